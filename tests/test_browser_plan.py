"""In the browser: see the plan, pin a skill, lose a week; the finish date follows, in place."""

from datetime import timedelta

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from careers.models import Skill
from profiles.models import JobPosting, PlanSettings, Profile
from profiles.planning import monday

from .factories import UserFactory, make_track

PASSWORD = "a-long-unusual-passphrase-42"


def day(value):
    return formats.date_format(value, "DATE_FORMAT")


@pytest.fixture
def signed_in(page, transactional_db):
    track = make_track(n_steps=2, skills_per_step=2, name="Platform")
    user = UserFactory(email="plan@example.com", password=PASSWORD)
    Profile.objects.filter(user=user).update(target_track=track, weekly_hours=10)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("plan@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me/")
    return page, user, track


def test_plan_pin_and_lost_week_move_the_finish_date(signed_in):
    page, user, track = signed_in
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    start = monday(timezone.localdate())
    page.goto("/me/")
    page.get_by_role("link", name="Plan my weeks to the target, with dates").click()
    page.wait_for_url("**/me/plan/")
    finish = page.locator("#plan-finish")
    # Four 10-hour skills at 10 h a week: the fourth Sunday.
    expect(finish).to_have_text(day(start + timedelta(weeks=3, days=6)))

    # Pin the last skill five weeks out: the plan answers in place with the new date.
    page.evaluate("window.noReload = true")
    page.get_by_text("Pin a skill to a week").click()
    page.get_by_label("Skill", exact=True).select_option(skills[3].slug)
    page.get_by_label("Week", exact=True).select_option((start + timedelta(weeks=5)).isoformat())
    page.get_by_role("button", name="Pin", exact=True).click()
    new_finish = day(start + timedelta(weeks=5, days=6))
    expect(page.locator("#plan-notice")).to_contain_text(f"New finish date: {new_finish}")
    expect(finish).to_have_text(new_finish)

    # "I lost this week": everything moves on a week, the pinned skill too (its study week).
    page.locator(f"#week-{start.isoformat()}").get_by_role(
        "button", name="I lost this week"
    ).click()
    expect(page.locator(f"#week-{start.isoformat()}")).to_contain_text("lost week")
    expect(page.locator("#plan-standing")).to_contain_text("finish date moved from")
    lost_finish = day(start + timedelta(weeks=6, days=6))
    expect(finish).to_have_text(lost_finish)
    assert page.evaluate("window.noReload") is True, "the page reloaded"
    saved = PlanSettings.objects.get(user=user)
    assert saved.lost_weeks == [start.isoformat()]
    assert saved.pins == {skills[3].slug: (start + timedelta(weeks=6)).isoformat()}

    # A refused pin says why and changes nothing.
    page.get_by_label("Skill", exact=True).select_option(skills[1].slug)
    page.get_by_label("Week", exact=True).select_option((start + timedelta(weeks=6)).isoformat())
    page.get_by_role("button", name="Pin", exact=True).click()
    expect(page.locator("#plan-errors")).to_contain_text("already full")
    assert list(PlanSettings.objects.get(user=user).pins) == [skills[3].slug]

    # A reload shows the same plan: every change was saved.
    page.reload()
    expect(page.locator("#plan-finish")).to_have_text(lost_finish)


def test_settings_take_the_browsers_time_zone(signed_in):
    page, user, _track = signed_in
    page.goto("/me/settings/")
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    expect(page.locator("input[data-browser-time-zone]")).to_have_value(zone)
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url("**/me/settings/")
    assert PlanSettings.objects.get(user=user).time_zone == zone


def test_switch_the_plan_to_the_target_job(signed_in):
    page, user, track = signed_in
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    Skill.objects.filter(pk=skills[1].pk).update(keywords={"en": ["vllm"]})
    posting = JobPosting.objects.create(owner=user, title="Inference engineer", text="vLLM")
    Profile.objects.filter(user=user).update(target_job=posting)
    start = monday(timezone.localdate())
    page.goto("/me/plan/")
    page.evaluate("window.noReload = true")
    page.get_by_label("Plan for").select_option(str(posting.pk))
    page.get_by_role("button", name="Plan for this").click()
    expect(page.locator("#plan-notice")).to_contain_text("Your plan now leads to Inference")
    # One 10-hour skill at 10 h a week: this week's Sunday.
    expect(page.locator("#plan-finish")).to_have_text(day(start + timedelta(days=6)))
    assert page.evaluate("window.noReload") is True, "the page reloaded"
    assert PlanSettings.objects.get(user=user).job == posting


def test_onboarding_takes_the_browsers_time_zone(browser, live_server, transactional_db):
    make_track(n_steps=1, skills_per_step=2, name="Platform")
    UserFactory(email="tokyo@example.com", password=PASSWORD)
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", timezone_id="Asia/Tokyo"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill("tokyo@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/me/**")
        page.goto("/me/welcome/")
        page.get_by_label("Hours per week for learning").fill("6")
        page.get_by_role("button", name="Show my roadmap").click()
        page.wait_for_url(lambda url: "/me/welcome/" not in url)
        assert PlanSettings.objects.get(user__email="tokyo@example.com").time_zone == "Asia/Tokyo"
    finally:
        context.close()


def test_on_a_phone_the_first_week_is_on_the_first_screen(signed_in):
    page, _, _ = signed_in
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/me/plan/")
    page.reload()  # the second visit: against the plan made on the first, a third tile
    expect(page.locator("#plan-standing")).to_be_visible()
    first = page.locator(f"#week-{monday(timezone.localdate()).isoformat()}")
    box = first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 812, box
    # The settings stay one tap away; one opened takes the whole row.
    pin = page.locator(".plan-settings > details").nth(1)
    pin.locator("summary").click()
    expect(pin.get_by_label("Skill", exact=True)).to_be_visible()
    row = page.locator(".plan-settings").bounding_box()
    assert abs(pin.bounding_box()["width"] - row["width"]) < 1
