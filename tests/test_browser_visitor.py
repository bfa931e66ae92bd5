"""A visitor browses a track and a skill, then switches to Chinese (Playwright, Chromium)."""

import pytest

from careers.content_io import import_content

from .content_samples import valid_files, write_files


@pytest.fixture
def content(transactional_db, tmp_path):
    import_content(write_files(tmp_path, valid_files()))


def test_visitor_browses_a_track_and_a_skill_then_reads_it_in_chinese(page, content):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Find your way into the LLM field"
    page.get_by_role("link", name="Data", exact=True).first.click()
    page.wait_for_url("**/tracks/data/")
    assert page.locator("h1").inner_text() == "Data"
    assert page.get_by_role("heading", name="Roadmap").is_visible()

    # The skill opens in a panel beside the map, at the skill's own address.
    page.locator("#node-dedup .map-node-link").click()
    page.wait_for_url("**/skills/dedup/")
    assert page.locator("#panel-title").inner_text() == "Dedup"
    assert page.get_by_role("link", name="dedup docs").is_visible()

    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url("**/skills/dedup/")
    assert page.locator("h1").inner_text() == "Dedup(中文)"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="dedup docs(中文)").is_visible()

    # The choice sticks as the visitor moves on.
    page.goto("/tracks/data/")
    assert page.locator("h1").inner_text() == "Data(中文)"


def test_keyboard_user_can_skip_to_content(page, content):
    page.goto("/tracks/data/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
