"""A new user asks the advisor, takes its first suggestion as target and sees it on /me/."""

import pytest

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def content(transactional_db, import_bundled_content):
    import_bundled_content()


def test_backend_engineer_takes_platform_from_the_advisor(page, content):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("backend@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/me/welcome/")

    page.goto("/advisor/")
    page.get_by_label("Software engineer (backend, full-stack, …)").check()
    page.get_by_label("3–5 years").check()
    page.get_by_label("Infrastructure and systems").check()
    page.get_by_role("group", name="Do you have experience in a business domain").get_by_label(
        "No"
    ).check()
    page.get_by_role("button", name="Show the tracks for me").click()
    page.wait_for_url("**/advisor/?*")

    results = page.locator("ol.advisor-results > li")
    assert results.count() == 4
    first = results.first.get_by_role("heading", level=3)
    assert first.inner_text().startswith("LLM platform engineer")

    page.get_by_role("button", name="Make this my target: LLM platform engineer").click()
    page.wait_for_url("**/advisor/?*")
    assert "LLM platform engineer is now your target." in page.locator(".messages").inner_text()

    page.goto("/me/")
    assert page.get_by_role("heading", name="Target: LLM platform engineer").is_visible()
