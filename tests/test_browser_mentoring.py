"""Two people, two browsers: a mentee invites, a mentor accepts, verifies and writes; it ends."""

import pytest
from playwright.sync_api import expect

from careers.content_io import import_content
from careers.models import Skill, Track
from profiles.models import Profile
from profiles.progress import set_progress

from .content_samples import valid_files, write_files
from .factories import UserFactory

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def people(transactional_db, tmp_path):
    import_content(write_files(tmp_path, valid_files()))
    mentee = UserFactory(username="mentee", email="mentee@example.com", password=PASSWORD)
    UserFactory(username="mentor", email="mentor@example.com", password=PASSWORD)
    Profile.objects.filter(user=mentee).update(target_track=Track.objects.get(slug="data"))
    set_progress(mentee, Skill.objects.get(slug="python"), status="done")


def signed_in(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/me/")
    return context, page


def test_a_mentorship_from_invitation_to_its_end(browser, live_server, people):
    mentee_context, mentee = signed_in(browser, live_server, "mentee@example.com")
    mentor_context, mentor = signed_in(browser, live_server, "mentor@example.com")

    # The mentee makes an invitation link and copies it.
    mentee.goto("/me/mentors/")
    mentee.get_by_role("button", name="Create an invitation link").click()
    link = mentee.get_by_role("textbox", name="Invitation link").input_value()
    assert "/mentoring/accept/" in link
    assert "It works once, until" in mentee.locator("main").inner_text()
    # The copy button appears with JavaScript and copies the whole link.
    mentee.context.grant_permissions(["clipboard-read", "clipboard-write"])
    mentee.get_by_role("button", name="Copy the link").click()
    expect(mentee.get_by_role("button", name="Copied")).to_be_visible()
    assert mentee.evaluate("navigator.clipboard.readText()") == link

    # The mentor opens it, confirms, and lands on the mentee's profile.
    mentor.goto(link)
    mentor.get_by_role("button", name="Become the mentor of mentee").click()
    mentor.wait_for_url("**/u/mentee/")
    mentor.get_by_role("button", name="Verify Python").click()
    mentor.wait_for_url("**/u/mentee/#done-skills")
    assert "verified by mentor on" in mentor.locator("#done-skills").inner_text()
    mentor.get_by_label("A note to mentee").fill("Solid Python: try the dedup project next.")
    mentor.get_by_label("About a skill (optional)").select_option(label="Python")
    mentor.get_by_role("button", name="Save the note").click()
    mentor.wait_for_url("**/u/mentee/#mentor-notes")
    assert "try the dedup project" in mentor.locator("#mentor-notes").inner_text()

    # The mentee sees both, on the dashboard and on the skill's page.
    mentee.goto("/me/")
    assert "verified by mentor on" in mentee.locator("#done-skills").inner_text()
    assert "try the dedup project" in mentee.locator("#mentor-notes").inner_text()
    mentee.goto("/skills/python/")
    main = mentee.locator("main").inner_text()
    assert "Verified by mentor on" in main and "try the dedup project" in main

    # The mentee ends it; the mentor's next visit is a 404.
    mentee.goto("/me/mentors/")
    mentee.get_by_role("link", name="End the mentorship with mentor").click()
    # A confirmation page first, with the danger button.
    mentee.get_by_role("button", name="End the mentorship").click()
    assert "mentor is no longer your mentor" in mentee.locator("main").inner_text()
    response = mentor.goto("/u/mentee/")
    assert response.status == 404
    mentor_context.close()
    mentee_context.close()
