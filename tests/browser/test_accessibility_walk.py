"""Every GET page each demo persona can reach, checked with axe at desktop and phone width.

Generated from the URL list, the way tests/core/test_routes.py checks every route: each pattern
without parameters is opened directly, and each pattern with parameters is opened at the first link
to it that a persona's pages show (so new areas are walked as soon as their URLs and links exist).
One page per pattern and persona; one browser context per persona, resized for the phone check.
The walk fails on any serious or critical axe finding, and on any server error.
"""

import os
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, get_resolver, resolve

from sentra.demo.users import DEMO_PASSWORD
from tests.core.test_routes import SELF_GUARDED_NAMESPACES, walk

from .conftest import serious_violations

DEMO_SCALE = 40
PERSONAS = [None, "admin", "petugas", "petugas.cikarang", "kasir", "pemilik", "mitra", "pembeli"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Pages a walk must not open: the back office guards and styles itself; signing out ends the walk.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/")
# A walk that reached fewer pages than this for a Dinas persona lost its way (a broken sign-in or
# link collection would otherwise pass with nothing checked).
DINAS_MINIMUM = 25


def direct_paths() -> list[str]:
    """The paths of every URL pattern that takes no parameters, from the URL list."""
    paths = []
    for route, namespace, _view in walk(get_resolver().url_patterns):
        if namespace in SELF_GUARDED_NAMESPACES or "<" in route or any(c in route for c in "^$()[]?*+\\"):
            continue
        paths.append("/" + route)
    return paths


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    if match.namespace in SELF_GUARDED_NAMESPACES:
        return None
    return f"{match.namespace}:{match.route}"


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def walk_persona(browser, base: str, username: str | None) -> tuple[list[str], list[str], set[str]]:
    """Open one page per reachable pattern; returns (checked paths, findings, patterns seen)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    findings, checked, seen = [], [], set()
    try:
        if username:
            sign_in(page, base, username)
        queue = deque(["/", *direct_paths()])
        while queue:
            path = queue.popleft()
            if path.startswith(SKIPPED_PREFIXES):
                continue
            pattern = pattern_of(path)
            if pattern is None or pattern in seen:
                continue
            seen.add(pattern)
            response = page.request.get(base + path, max_redirects=0)
            assert response.status < 500, f"{username or 'visitor'}: {path} answered {response.status}"
            content_type = response.headers.get("content-type", "")
            if response.status != 200 or not content_type.startswith("text/html"):
                continue  # not theirs (403/404/redirect to sign in), or a download
            if "<html" not in response.text()[:500].lower():
                continue  # an htmx fragment, shown inside a page that is checked itself
            page.goto(base + path)
            checked.append(path)
            for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(viewport)
                found = [f"{username or 'visitor'} {width} {path}: {v}" for v in serious_violations(page)]
                for line in found:
                    print(line, flush=True)  # seen as they come with -s, on a walk of many minutes
                findings += found
            page.set_viewport_size(DESKTOP)
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                parts = urlsplit(href)
                if f"{parts.scheme}://{parts.netloc}" == base:
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    finally:
        context.close()
    return checked, findings, seen


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", scale=DEMO_SCALE, verbosity=0)


def test_every_page_of_every_demo_persona_has_no_serious_axe_finding(demo, live_server, browser):
    findings, reached = [], {}
    # A11Y_WALK_PERSONAS=admin,pemilik walks some personas only, for working on their pages.
    chosen = os.environ.get("A11Y_WALK_PERSONAS")
    personas = [p for p in PERSONAS if (p or "visitor") in chosen.split(",")] if chosen else PERSONAS
    for username in personas:
        checked, found, _seen = walk_persona(browser, live_server.url, username)
        reached[username or "visitor"] = checked
        findings += found
        print(f"{username or 'visitor'}: {len(checked)} pages checked", flush=True)
    for dinas in {"admin", "petugas", "petugas.cikarang"}.intersection(reached):
        assert len(reached[dinas]) >= DINAS_MINIMUM, (dinas, reached[dinas])
    if "admin" in reached:
        # Record pages are reached through links, not the URL list: the walk must find them.
        assert any(path.startswith("/registry/smes/") and path.count("/") >= 4 for path in reached["admin"])
    assert findings == [], "\n".join(findings)
