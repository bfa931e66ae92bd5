"""In a real browser the Content-Security-Policy blocks nothing the pages need."""

import pytest
from playwright.sync_api import expect

from careers.content_io import import_content

from .content_samples import valid_files, write_files
from .factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def content(transactional_db, tmp_path):
    import_content(write_files(tmp_path, valid_files()))


def test_pages_and_in_place_updates_run_under_the_policy(page, content):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    user = UserFactory(email="csp@example.com")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/me/**")
    for url in ["/", "/tracks/", "/tracks/data/", "/skills/python/", "/advisor/", "/me/"]:
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # htmx (a vendored script) still updates a status in place under the policy.
    page.goto("/tracks/data/")
    page.evaluate("window.noReload = true")
    page.locator("#node-python .map-node-link").click()
    page.get_by_role("button", name="Mark Python as done").click()
    expect(page.locator('#status-python [aria-pressed="true"]')).to_have_attribute("value", "done")
    assert page.evaluate("window.noReload") is True
    assert violations == []
