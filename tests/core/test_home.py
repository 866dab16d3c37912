import pytest
from django.urls import reverse

from sentra.accounts.models import Role


@pytest.mark.parametrize("role", [*Role.values, "outsider"])
def test_each_role_sees_its_own_home_page(client, personas, role):
    client.force_login(personas[role])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert personas[role].first_name in response.content.decode()


def test_visitor_sees_the_landing_page_with_a_sign_in_link(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("login") in response.content.decode()
