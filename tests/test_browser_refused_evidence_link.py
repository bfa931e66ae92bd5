"""A refused evidence link comes back in its form: what was typed kept, the error beside it."""

import pytest
from playwright.sync_api import expect

from .factories import SkillFactory, UserFactory

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def signed_in(page, transactional_db):
    UserFactory(username="dora", email="dora@example.com", password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("dora@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/me/")
    return page


def test_a_bad_link_is_refused_with_the_note_kept(signed_in, transactional_db):
    page = signed_in
    skill = SkillFactory(name="Tokenizers")
    page.goto(skill.get_absolute_url())
    page.get_by_label("Personal note").fill("Read the BPE paper.\nTry sentencepiece next.")
    link = page.get_by_label("Evidence link")
    # The browser's own check would stop javascript: first; the server must refuse it too.
    link.evaluate("field => field.setAttribute('type', 'text')")
    link.fill("javascript:alert(1)")
    page.get_by_role("button", name="Save note and link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your note on Tokenizers was not saved"
    )
    expect(page.get_by_label("Personal note")).to_have_value(
        "Read the BPE paper.\nTry sentencepiece next."
    )
    expect(page.get_by_label("Evidence link")).to_have_value("javascript:alert(1)")
    expect(page.get_by_label("Evidence link")).to_have_attribute("aria-invalid", "true")
    assert page.locator("main").inner_text().count("Enter a valid URL.") == 1
    assert page.locator("#evidence-errors").inner_text() == "Enter a valid URL."

    # Corrected, it saves and goes back to the skill, the note's line breaks kept.
    page.get_by_label("Evidence link").fill("https://github.com/dora/bpe")
    page.get_by_role("button", name="Save note and link").click()
    page.wait_for_url(f"**{skill.get_absolute_url()}")
    expect(page.get_by_label("Personal note")).to_have_value(
        "Read the BPE paper.\nTry sentencepiece next."
    )
