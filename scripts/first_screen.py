"""What the dashboard shows above the fold: `python scripts/first_screen.py`.

Sets up the same throwaway site and demo learner as scripts/screenshots.py, opens /me/ with
the system Chromium at 1280×800 and at 375×812 (as the README's screenshots), in English and
Chinese, and prints each part of the first screen with how much of it is in view: "whole",
"top only" (it starts above the fold and runs below it) or "below" (scrolling needed).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import LANGUAGES, WIDTHS, chromium_path, demo_site, launch, log_in  # noqa: E402

# The parts of the page, in reading order: a CSS selector and what to call it.
PARTS = [
    ("main h1", "heading"),
    (".dashboard-target", "target"),
    (".dashboard-tiles > .tile", "tile"),
    (".next-up > li", "next up"),
    (".tile-more", "link"),
    (".dashboard-tabs", "section tabs"),
    ("main h2", "section"),
]

MEASURE = """([selector, height]) => [...document.querySelectorAll(selector)].map(element => {
  const box = element.getBoundingClientRect();
  const seen = box.bottom <= height ? 'whole' : box.top < height ? 'top only' : 'below';
  return {seen, text: element.innerText.replace(/\\s+/g, ' ').trim().slice(0, 110)};
})"""


def main() -> None:
    chromium = chromium_path()
    with (
        tempfile.TemporaryDirectory(prefix="skillpath-fold-") as tmp,
        demo_site(tmp) as base,
        sync_playwright() as playwright,
    ):
        browser = launch(playwright, chromium)
        storage = log_in(browser, base, "demo@example.com")
        for lang, locale in LANGUAGES.items():
            for width, height in WIDTHS.values():
                context = browser.new_context(
                    base_url=base,
                    locale=locale,
                    viewport={"width": width, "height": height},
                    storage_state=storage,
                )
                page = context.new_page()
                page.goto("/me/")
                page.wait_for_load_state("networkidle")
                print(f"\n## /me/ at {width}×{height}, {lang}")
                for selector, kind in PARTS:
                    for part in page.evaluate(MEASURE, [selector, height]):
                        if part["seen"] != "below" or kind == "section":
                            print(f"- [{part['seen']}] {kind}: {part['text']}")
                            if kind == "section" and part["seen"] == "below":
                                break  # the first section below the fold, then stop
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
