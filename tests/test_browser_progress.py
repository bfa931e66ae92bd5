"""A new user signs up, picks a track, records skills in place, exports and leaves."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from careers.content_io import import_content

from .content_samples import valid_files, write_files

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def content(transactional_db, tmp_path):
    import_content(write_files(tmp_path, valid_files()))


def test_new_user_records_progress_exports_and_deletes_the_account(page, content, tmp_path):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    # The address is confirmed first (mandatory): the link in the mail signs in.
    page.wait_for_url("**/accounts/confirm-email/")
    (message,) = mail.outbox
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0))
    page.get_by_role("button", name="Confirm").click()

    # Onboarding: choose the target track, background and pace.
    page.wait_for_url("**/me/welcome/")
    page.get_by_label("Target track").select_option(label="Data")
    page.get_by_label("Background").select_option("software")
    page.get_by_label("Hours per week for learning").fill("6")
    page.get_by_role("button", name="Show my roadmap").click()
    page.wait_for_url("**/tracks/data/")

    progress = page.locator("#track-readiness")
    assert "0 of 4 core skills done" in progress.inner_text()

    # Two skills by mouse in the panel beside the map, updated in place without a reload.
    page.evaluate("window.noReload = true")
    page.locator("#node-python .map-node-link").click()
    # The panel's title takes the focus once its buttons work.
    expect(page.locator("#panel-title")).to_be_focused()
    page.get_by_role("button", name="Mark Python as done").click()
    expect(progress).to_contain_text("1 of 4 core skills done")
    page.locator("#node-sql .map-node-link").click()
    expect(page.locator("#panel-title")).to_have_text("Sql")
    expect(page.locator("#panel-title")).to_be_focused()
    page.get_by_role("button", name="Mark Sql as learning").click()
    expect(page.locator('#status-sql [aria-pressed="true"]')).to_have_attribute("value", "learning")
    expect(page.locator("#node-sql")).to_have_class(re.compile(r"\bstatus-learning\b"))

    # One by keyboard: Enter on the node opens the panel; Enter on a button keeps the focus.
    # Escape goes back in history; the panel is closed once the browser has gone back.
    page.keyboard.press("Escape")
    expect(page.locator("#skill-drawer")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/tracks/data/$"))
    page.locator("#node-dedup .map-node-link").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#panel-title")).to_be_focused()
    done_dedup = page.get_by_role("button", name="Mark Dedup as done")
    done_dedup.focus()
    page.keyboard.press("Enter")
    expect(progress).to_contain_text("2 of 4 core skills done")
    assert page.evaluate("window.noReload") is True, "the page reloaded"
    assert page.evaluate("document.activeElement.id") == "status-dedup-done"

    # A reload keeps everything.
    page.goto("/tracks/data/")
    assert "2 of 4 core skills done" in page.locator("#track-readiness").inner_text()
    assert "status-learning" in page.locator("#node-sql").get_attribute("class")

    # Export: the three skills are in the file.
    with page.expect_download() as download_info:
        page.goto("/me/settings/")
        page.get_by_role("link", name="Download all my data (JSON)").click()
    path = tmp_path / "export.json"
    download_info.value.save_as(path)
    data = json.loads(path.read_text())
    assert {row["skill"]: row["status"] for row in data["progress"]} == {
        "python": "done",
        "sql": "learning",
        "dedup": "done",
    }

    # Delete the account, then the password no longer works.
    page.goto("/me/delete/")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()
    page.wait_for_url("**/")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    assert "not correct" in page.locator("main").inner_text()


def test_status_buttons_work_without_javascript(browser, live_server, content):
    from .factories import UserFactory

    UserFactory(username="nojs", email="nojs@example.com", password=PASSWORD)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("nojs@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.goto("/tracks/data/")
    page.locator("#node-python .map-node-link").click()  # a plain link to the skill's page
    page.get_by_role("button", name="Mark Python as done").click()
    page.wait_for_url("**/skills/python/#skill-python")
    page.goto("/tracks/data/")
    assert "1 of 4 core skills done" in page.locator("#track-readiness").inner_text()
    context.close()
