"""A logged-out invitee: sees who invites them, signs up, and comes back to accept."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from profiles import mentoring_services
from profiles.models import Mentorship

from .factories import UserFactory

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def link(transactional_db, live_server):
    alice = UserFactory(username="alice", email="alice@example.com")
    _invitation, token = mentoring_services.create_invitation(alice)
    return f"{live_server.url}/mentoring/accept/{token}/"


def test_an_invitee_signs_up_and_lands_back_on_the_invitation(page, link):
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "alice invites you to be their mentor"
    )
    assert "What accepting means" in page.locator("main").inner_text()
    page.get_by_role("link", name="Sign up to accept").click()
    page.get_by_label("Email").fill("bob@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    # The address is confirmed first (mandatory); the link in the mail signs in and goes
    # back to the invitation, not to onboarding.
    page.wait_for_url("**/accounts/confirm-email/")
    (message,) = mail.outbox
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(link)
    page.get_by_role("button", name="Become the mentor of alice").click()
    page.wait_for_url("**/u/alice/")
    assert Mentorship.objects.get().mentor.email == "bob@example.com"


def test_an_invitee_with_an_account_logs_in_and_comes_back(page, link):
    UserFactory(username="carol", email="carol@example.com", password=PASSWORD)
    page.goto(link)
    page.get_by_role("link", name="Log in to accept").click()
    page.get_by_label("Email").fill("carol@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(link)
    expect(page.get_by_role("button", name="Become the mentor of alice")).to_be_visible()


def test_a_withdrawn_link_says_so_without_asking_to_log_in(page, link):
    invitation = mentoring_services.find_invitation(link.rstrip("/").rsplit("/", 1)[-1])
    mentoring_services.withdraw_invitation(invitation)
    response = page.goto(link)
    assert response.status == 410
    main = page.locator("main").inner_text()
    assert "This invitation was withdrawn" in main and "Log in" not in main
