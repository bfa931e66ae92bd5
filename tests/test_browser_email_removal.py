"""Removing an e-mail address asks first, under the Content-Security-Policy (no inline script)."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from .factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="first@example.com")
    EmailAddress.objects.create(user=user, email="second@example.com", verified=True)
    return user


def test_removing_an_address_asks_and_cancelling_keeps_it(page, person):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/me/**")
    page.goto("/accounts/email/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.get_by_label("second@example.com").check()
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Remove the address").click()
    assert questions == ["Remove the chosen e-mail address from your account?"]
    expect(page.get_by_label("second@example.com")).to_be_checked()
    assert EmailAddress.objects.filter(email="second@example.com").exists()

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Remove the address").click()
    expect(page.get_by_label("second@example.com")).to_have_count(0)
    assert len(questions) == 2
    assert not EmailAddress.objects.filter(email="second@example.com").exists()
    assert violations == []
