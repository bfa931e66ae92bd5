"""The dashboard's first screen answers "where am I?" at 1280×800 and at 375 px."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from careers.models import Skill
from profiles.models import Profile
from profiles.progress import set_progress

from .factories import UserFactory, make_track

TILES = ("Readiness", "Core hours left", "This week", "Next up")


@pytest.fixture
def learner(transactional_db):
    track = make_track(n_steps=3, skills_per_step=4, name="LLM platform engineer")
    user = UserFactory(username="erin", email="erin@example.com")
    Profile.objects.filter(user=user).update(target_track=track, weekly_hours=8)
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    for skill in skills[:3]:
        set_progress(user, skill, status="done")
    set_progress(user, skills[3], status="skipped")
    return user, skills


def _open(browser, live_server, user, width, height, javascript=True):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": width, "height": height},
        java_script_enabled=javascript,
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/me/")
    return context, page


def _in_first_screen(page, locator, height) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (375, 812)])
def test_the_first_screen_shows_the_four_tiles(browser, live_server, learner, width, height):
    user, skills = learner
    context, page = _open(browser, live_server, user, width, height)
    try:
        tiles = page.locator(".dashboard-tiles > .tile")
        expect(tiles).to_have_count(4)
        labels = [tiles.nth(i).locator(".tile-label").inner_text() for i in range(4)]
        assert labels == list(TILES)
        readiness = tiles.nth(0).inner_text()
        assert "25%" in readiness and "3 of 12 core skills done" in readiness
        time_left = tiles.nth(1).inner_text()
        assert "90 h" in time_left and "about 12 weeks at 8 h a week" in time_left
        assert "done by " in time_left
        assert "4 skills changed" in tiles.nth(2).inner_text()
        # At 1280×800 all four tiles fit; on a phone, readiness, time and this week do,
        # and the next skills start on the first screen.
        visible = range(4) if width > 800 else range(3)
        for index in visible:
            assert _in_first_screen(page, tiles.nth(index), height), (width, TILES[index])
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        next_up = tiles.nth(3).locator(".next-up > li")
        expect(next_up).to_have_count(3)
        # The first skill to start and its buttons are on the first screen at both widths.
        assert _in_first_screen(page, next_up.first, height), (width, "first next skill")
        # The long sections come after the tiles.
        assert page.locator("#steps").bounding_box()["y"] > tiles.nth(3).bounding_box()["y"]
    finally:
        context.close()


def test_next_up_buttons_change_the_tiles_in_place(browser, live_server, learner):
    user, skills = learner
    context, page = _open(browser, live_server, user, 1280, 800)
    try:
        page.evaluate("window.notReloaded = true")
        first = page.locator(".next-up > li").first
        name = first.locator("a").inner_text()
        page.get_by_role("button", name=f"Mark {name} as learning").click()
        expect(page.get_by_role("button", name=f"Mark {name} as learning")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert user.skill_progress.get(skill__name=name).status == "learning"
        page.get_by_role("button", name=f"Mark {name} as done").click()
        tiles = page.locator(".dashboard-tiles > .tile")
        expect(tiles.nth(0)).to_contain_text("4 of 12 core skills done")
        expect(page.get_by_role("button", name=f"Mark {name} as done")).to_have_count(0)
        # The button left with its skill: the focus lands on "Next up", not on the page.
        expect(page.locator("#next-up-label")).to_be_focused()
        # The step bars behind the tiles follow (out of band), without a page load.
        expect(page.locator(".step-bars")).to_contain_text("Core: 1 of 4 done")
        assert page.evaluate("window.notReloaded === true")
        assert user.skill_progress.get(skill__name=name).status == "done"
    finally:
        context.close()


def test_next_up_buttons_work_without_javascript(browser, live_server, learner):
    user, skills = learner
    context, page = _open(browser, live_server, user, 1280, 800, javascript=False)
    try:
        name = page.locator(".next-up > li").first.locator("a").inner_text()
        page.get_by_role("button", name=f"Mark {name} as learning").click()
        page.wait_for_url("**/me/")
        expect(page.get_by_role("button", name=f"Mark {name} as learning")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert user.skill_progress.get(skill__name=name).status == "learning"
    finally:
        context.close()


def test_the_charts_are_labelled(browser, live_server, learner):
    user, _ = learner
    context, page = _open(browser, live_server, user, 1280, 800)
    try:
        fit = page.locator(".fit-bars")
        assert "LLM platform engineer" in fit.inner_text() and "25%" in fit.inner_text()
        months = page.locator("svg.calendar text")
        assert "Mon" in months.all_text_contents() and "More" in months.all_text_contents()
        axis = page.locator("svg.line-chart text.axis-label").all_text_contents()
        assert "0" in axis and "3" in axis
    finally:
        context.close()
