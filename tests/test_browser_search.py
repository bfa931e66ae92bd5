"""Search from the header: results as you type with htmx, and the same without JavaScript."""

import pytest

from careers.content_io import import_content

from .content_samples import valid_files, write_files


@pytest.fixture
def content(transactional_db, tmp_path):
    import_content(write_files(tmp_path, valid_files()))


def test_results_appear_as_you_type_in_the_header_and_back_returns(page, content):
    page.goto("/tracks/data/")
    # A mark on this document: it survives an in-place update, not a page load.
    page.evaluate("window.stillHere = true")
    box = page.get_by_role("searchbox", name="Search skills and tracks")
    box.press_sequentially("dedu", delay=40)
    page.wait_for_url("**/search/?q=dedu")
    hit = page.locator("#hit-dedup")
    hit.wait_for()
    assert "Dedup" in hit.inner_text()
    assert "Data › " in hit.inner_text()
    assert page.evaluate("window.stillHere === true"), "the page was reloaded"
    assert page.locator("h1").inner_text() == "Search"
    assert box.input_value() == "dedu"

    # Typing on narrows the results, still in place.
    box.fill("")
    box.press_sequentially("zzzz", delay=40)
    page.wait_for_url("**/search/?q=zzzz")
    page.get_by_text("Nothing matches “zzzz”.").wait_for()
    assert page.evaluate("window.stillHere === true")

    page.go_back()
    page.wait_for_url("**/search/?q=dedu")
    page.locator("#hit-dedup").wait_for()


def test_search_works_without_javascript(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/tracks/data/")
    page.get_by_role("searchbox", name="Search skills and tracks").fill("Dedup(中文)")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator("#hit-dedup").is_visible()
    page.goto("/search/?q=%25%25%25")
    assert "has no letters or digits to search for" in page.locator("main").inner_text()
    context.close()
