"""Routes are closed by default: every URL is declared public or guarded, and guards hold."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The Django admin guards itself (staff only, and only Dinas admins are staff).
SELF_GUARDED_NAMESPACES = {"admin"}


def walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p.callback


def test_every_route_is_declared_public_or_guarded():
    undeclared = [
        route
        for route, namespace, view in walk(get_resolver().url_patterns)
        if namespace not in SELF_GUARDED_NAMESPACES and not hasattr(view, "sentra_access")
    ]
    assert undeclared == []


def test_the_walk_finds_the_routes_it_checks():
    routes = {route for route, _, _ in walk(get_resolver().url_patterns)}
    assert "healthz" in routes and "accounts/login/" in routes


@pytest.mark.django_db
def test_a_visitor_is_sent_to_sign_in_from_a_guarded_page(client):
    response = client.get(reverse("registry:sme_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["cashier", "partner", "buyer", "outsider", "sme_owner"])
def test_roles_outside_the_dinas_get_403_on_the_registry(client, personas, role):
    client.force_login(personas[role])
    response = client.get(reverse("registry:sme_list"))
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode() or "tidak" in response.content.decode()


def test_only_dinas_admins_reach_the_back_office(client, personas):
    client.force_login(personas["officer"])
    assert client.get("/admin/").status_code == 302  # to the admin login: not staff
    client.force_login(personas["admin"])
    assert client.get("/admin/").status_code == 200


def test_an_unknown_page_answers_a_friendly_404(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_a_server_error_shows_a_friendly_page_without_a_traceback(client, admin_user, monkeypatch):
    from sentra.core import views

    def broken(*, user):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "home_context", lambda user: broken(user=user))
    client.raise_request_exception = False
    client.force_login(admin_user)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html
    assert "Traceback" not in html and "RuntimeError" not in html
