"""A new user asks the advisor, takes its first suggestion as target, sees it on /me/ and
gets their transcript as a PDF: sign-up to a printable transcript without a dead end."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def content(transactional_db, import_bundled_content):
    import_bundled_content()


def test_backend_engineer_takes_platform_from_the_advisor(page, content):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("backend@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    # The address is confirmed first (mandatory): the link in the mail signs in.
    page.wait_for_url("**/accounts/confirm-email/")
    (message,) = mail.outbox
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0))
    page.get_by_role("button", name="Confirm").click()
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

    # The results take the form's place, and the keyboard and screen reader start there.
    heading = page.get_by_role("heading", name="Tracks for you, best fit first")
    expect(heading).to_be_focused()
    expect(page.get_by_role("button", name="Show the tracks for me")).to_be_hidden()
    results = page.locator("ol.advisor-results > li")
    assert results.count() == 4
    first = results.first.get_by_role("heading", level=3)
    assert first.inner_text().startswith("LLM platform engineer")

    page.get_by_role("button", name="Make this my target: LLM platform engineer").click()
    # To the track's map, with what to do first.
    page.wait_for_url("**/tracks/llm-platform-engineer/")
    message = page.locator(".messages").inner_text()
    assert "LLM platform engineer is now your target. What to do first:" in message

    page.goto("/me/")
    expect(page.locator(".dashboard-target")).to_contain_text("Target: LLM platform engineer")

    # From the dashboard to a transcript to print or download: no dead end on the way.
    page.get_by_role("link", name="Open the transcript").click()
    page.wait_for_url("**/me/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills transcript of backend")
    assert "LLM platform engineer" in page.locator(".transcript-facts").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.startswith("skillpath-transcript-backend-")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
