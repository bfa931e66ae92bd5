"""/me/plan/: the dated plan, pins, lost weeks, pace, per role and with bad input."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers.models import Skill, StepSkill
from profiles import plans
from profiles.models import Mentorship, PlanSettings, Profile
from profiles.planning import monday
from profiles.progress import set_progress

from .factories import UserFactory, make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(db):
    track = make_track(n_steps=2, skills_per_step=3, name="Platform")
    skills = ordered_skills(track)
    skills[4].prerequisites.add(skills[3])
    return track


def ordered_skills(track):
    return list(
        Skill.objects.filter(step_skills__track=track).order_by(
            "step_skills__step__order", "step_skills__order"
        )
    )


@pytest.fixture
def learner(mentee, track):
    Profile.objects.filter(user=mentee).update(target_track=track, weekly_hours=10)
    return mentee


def this_monday():
    return monday(timezone.localdate())


def day(value):
    return formats.date_format(value, "DATE_FORMAT")


def test_anonymous_is_sent_to_log_in(client):
    for name in ("plan", "plan_pin", "plan_unpin", "plan_lose_week", "plan_pace", "plan_token"):
        response = client.get(reverse(f"profiles:{name}"))
        assert response.status_code in (302, 405), name
    response = client.get("/me/plan/")
    assert response["Location"].startswith("/accounts/login/?next=/me/plan/")
    response = client.post("/me/plan/pin/", {"skill": "x", "week": "2030-01-07"})
    assert response.status_code == 302


def test_owner_sees_weeks_milestones_and_the_finish(
    client, learner, track, django_assert_max_num_queries
):
    skills = ordered_skills(track)
    client.force_login(learner)
    client.get("/me/plan/")  # the first visit makes the settings and the baseline
    with django_assert_max_num_queries(8):
        response = client.get("/me/plan/")
    body = response.content.decode()
    assert response.status_code == 200
    start = this_monday()
    # Six 10-hour skills at 10 h a week: one a week, finishing on the sixth Sunday.
    assert f"Week of {day(start)}" in body
    assert f"Week of {day(start + timedelta(weeks=5))}" in body
    # The week we are in is marked, and only that one.
    assert body.count('aria-current="date"') == 1
    assert f'id="week-{start.isoformat()}" aria-current="date"' in body
    assert f'id="plan-finish">{day(start + timedelta(weeks=5, days=6))}<' in body
    assert "Milestone: Step" in body and "Milestone: every core skill of the track done" in body
    assert f'unlocks <a href="/skills/{skills[4].slug}/">{skills[4].name}</a>' in body
    assert "On track" in body
    settings = PlanSettings.objects.get(user=learner)
    assert settings.baseline_finish == start + timedelta(weeks=5, days=6)
    assert f"/me/plan.ics?token={settings.ical_token}" in body


def test_the_first_job_milestone_follows_the_layer_the_content_marks(
    client, learner, track, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    assert "ready for a first job" not in client.get("/me/plan/").content.decode()
    # The content's cache is renewed after the commit, as an editor's change would be.
    with django_capture_on_commit_callbacks(execute=True):
        for link in StepSkill.objects.filter(track=track).order_by("step__order", "order")[:2]:
            link.first_job = True
            link.save()
    body = client.get("/me/plan/").content.decode()
    # Two 10-hour skills at 10 h a week: the first-job layer is done in the second week.
    second = body.split(f'id="week-{(this_monday() + timedelta(weeks=1)).isoformat()}"')[1]
    assert "Milestone: ready for a first job" in second.split('<li class="card')[0]


def test_done_and_skipped_skills_drop_out_and_learning_comes_first(client, learner, track):
    skills = ordered_skills(track)
    set_progress(learner, skills[0], status="done")
    set_progress(learner, skills[1], status="skipped")
    set_progress(learner, skills[5], status="learning")
    client.force_login(learner)
    body = client.get("/me/plan/").content.decode()
    assert skills[0].name not in body.split("Week by week")[1]
    assert skills[1].name not in body.split("Week by week")[1]
    weeks = body.split("Week by week")[1]
    assert weeks.index(skills[5].name) < weeks.index(skills[2].name)
    assert '<span class="tile-value">40 h</span>' in body


@pytest.mark.parametrize("role", ["mentor", "stranger", "staff"])
def test_others_see_only_their_own_plan(client, learner, track, role, superuser, stranger):
    other = {
        "mentor": UserFactory(username="mentor"),
        "stranger": stranger,
        "staff": superuser,
    }[role]
    if role == "mentor":
        Mentorship.objects.create(mentee=learner, mentor=other)
    client.get("/")
    client.force_login(learner)
    client.get("/me/plan/")
    token = PlanSettings.objects.get(user=learner).ical_token
    client.force_login(other)
    body = client.get("/me/plan/").content.decode()
    assert "Choose a target track first" in body
    assert token not in body
    # Changing a plan needs one's own target: nobody reaches the learner's.
    response = client.post("/me/plan/lose-week/", {"week": this_monday().isoformat()})
    assert response.status_code == 404
    assert PlanSettings.objects.get(user=learner).lost_weeks == []


def test_pin_moves_a_skill_and_says_the_new_finish(client, learner, track):
    skills = ordered_skills(track)
    client.force_login(learner)
    client.get("/me/plan/")
    week = this_monday() + timedelta(weeks=7)
    response = client.post("/me/plan/pin/", {"skill": skills[5].slug, "week": week.isoformat()})
    assert response.status_code == 302
    settings = PlanSettings.objects.get(user=learner)
    assert settings.pins == {skills[5].slug: week.isoformat()}
    body = client.get("/me/plan/").content.decode()
    finish = day(week + timedelta(days=6))
    old = day(this_monday() + timedelta(weeks=5, days=6))
    assert f"New finish date: {finish} (it was {old})" in body
    assert "finish date moved from" in body
    # Unpinning gives the old plan back.
    client.post("/me/plan/unpin/", {"skill": skills[5].slug})
    assert PlanSettings.objects.get(user=learner).pins == {}


def test_pin_with_htmx_answers_the_plan_in_place(client, learner, track):
    skills = ordered_skills(track)
    client.force_login(learner)
    response = client.post(
        "/me/plan/pin/",
        {"skill": skills[2].slug, "week": this_monday().isoformat()},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="plan"')
    assert "Your plan is saved" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"skill": "nope", "week": "2030-01-07"}, "That skill is not in your plan."),
        ({"skill": "SKILL4", "week": "not-a-date"}, "Choose a week of the plan."),
        ({"skill": "SKILL4", "week": "PAST"}, "is over"),
        ({"skill": "SKILL4", "week": "NOW"}, "needs"),
        ({"skill": "SKILL4", "week": "2999-01-07"}, "too far ahead to plan"),
    ],
)
def test_bad_pins_are_refused_with_a_reason_and_nothing_saved(
    client, learner, track, data, message
):
    skills = ordered_skills(track)
    data = {
        "skill": data["skill"].replace("SKILL4", skills[4].slug),
        "week": data["week"]
        .replace("PAST", (this_monday() - timedelta(weeks=1)).isoformat())
        .replace("NOW", this_monday().isoformat()),
    }
    client.force_login(learner)
    response = client.post("/me/plan/pin/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    htmx = client.post("/me/plan/pin/", data, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 422 and message in htmx.content.decode()
    assert PlanSettings.objects.get(user=learner).pins == {}


def test_losing_a_week_moves_the_plan_and_giving_it_back_restores_it(client, learner, track):
    client.force_login(learner)
    client.get("/me/plan/")
    this_week = this_monday()
    response = client.post("/me/plan/lose-week/", {"week": this_week.isoformat()})
    assert response.status_code == 302
    body = client.get("/me/plan/").content.decode()
    assert "lost week: nothing planned" in body
    assert f'id="plan-finish">{day(this_week + timedelta(weeks=6, days=6))}<' in body
    assert "finish date moved from" in body
    client.post("/me/plan/restore-week/", {"week": this_week.isoformat()})
    assert PlanSettings.objects.get(user=learner).lost_weeks == []


def test_a_week_ahead_is_one_you_cannot_study_rather_than_one_you_lost(client, learner, track):
    client.force_login(learner)
    this_week = this_monday()
    next_week = this_week + timedelta(weeks=1)
    client.post("/me/plan/lose-week/", {"week": (next_week + timedelta(weeks=1)).isoformat()})
    body = client.get("/me/plan/").content.decode()

    def card(week):
        start = body.index(f'id="week-{week.isoformat()}"')
        return body[start : body.index("</li>\n      \n", start)]

    assert "I lost this week</button>" in card(this_week)
    assert "I can’t study this week</button>" in card(next_week)
    assert "I lost this week" not in card(next_week)
    assert "week off: nothing planned" in card(next_week + timedelta(weeks=1))


@pytest.mark.parametrize(("language", "hours"), [("en", ">60 h<"), ("zh-hans", ">60 小时<")])
def test_the_hours_in_the_plan_in_each_language(client, learner, track, settings, language, hours):
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert hours in client.get("/me/plan/").content.decode()


def test_losing_a_week_and_giving_it_back_move_the_later_pins_with_the_plan(client, learner, track):
    client.force_login(learner)
    client.get("/me/plan/")
    this_week = this_monday()
    pins = {"early": this_week.isoformat(), "later": (this_week + timedelta(weeks=2)).isoformat()}
    PlanSettings.objects.filter(user=learner).update(pins=pins)
    client.post("/me/plan/lose-week/", {"week": (this_week + timedelta(weeks=1)).isoformat()})
    assert PlanSettings.objects.get(user=learner).pins == {
        "early": this_week.isoformat(),
        "later": (this_week + timedelta(weeks=3)).isoformat(),
    }
    client.post("/me/plan/restore-week/", {"week": (this_week + timedelta(weeks=1)).isoformat()})
    assert PlanSettings.objects.get(user=learner).pins == pins


@pytest.mark.parametrize("week", ["", "yesterday", "2001-01-01", "2999-01-01"])
def test_bad_lost_weeks_are_refused(client, learner, week):
    client.force_login(learner)
    response = client.post("/me/plan/lose-week/", {"week": week})
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert PlanSettings.objects.get(user=learner).lost_weeks == []


def test_pace_change_recomputes_and_takes_a_new_baseline(client, learner, track):
    client.force_login(learner)
    client.get("/me/plan/")
    start = this_monday() + timedelta(weeks=2)
    response = client.post(
        "/me/plan/pace/",
        {"weekly_hours": "20", "start_date": start.isoformat(), "study_days": ["0", "2", "4"]},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    # 60 hours at 20 a week, from the start week: three weeks, the last study day a Friday.
    finish = start + timedelta(weeks=2, days=4)
    assert f"New finish date: {day(finish)}" in body
    settings = PlanSettings.objects.get(user=learner)
    assert settings.study_days == [0, 2, 4] and settings.start_date == start
    assert settings.baseline_finish == finish
    assert Profile.objects.get(user=learner).weekly_hours == 20


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekly_hours": "0", "study_days": ["0"]}, "Plan at least 1 hour a week."),
        ({"weekly_hours": "81", "study_days": ["0"]}, "80 hours a week is the most"),
        ({"weekly_hours": "ten", "study_days": ["0"]}, "whole number"),
        ({"weekly_hours": "8"}, "Choose at least one day of the week."),
        ({"weekly_hours": "8", "study_days": ["9"]}, "Select a valid choice"),
        ({"weekly_hours": "8", "study_days": ["0"], "start_date": "1999-01-01"}, "within a year"),
        ({"weekly_hours": "8", "study_days": ["0"], "start_date": "2999-01-01"}, "within a year"),
    ],
)
def test_bad_pace_is_refused_and_nothing_is_half_saved(client, learner, data, message):
    client.force_login(learner)
    client.get("/me/plan/")
    before = PlanSettings.objects.get(user=learner)
    response = client.post("/me/plan/pace/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    after = PlanSettings.objects.get(user=learner)
    assert (after.study_days, after.start_date, after.baseline) == (
        before.study_days,
        before.start_date,
        before.baseline,
    )
    assert Profile.objects.get(user=learner).weekly_hours == 10


def test_without_a_target_the_page_asks_for_one_and_changes_are_404(client, mentee):
    client.force_login(mentee)
    assert "Choose a target track first" in client.get("/me/plan/").content.decode()
    assert client.post("/me/plan/pace/", {"weekly_hours": "5"}).status_code == 404


def test_dashboard_says_honestly_how_the_plan_stands(client, learner, track):
    client.force_login(learner)
    body = client.get("/me/").content.decode()
    assert "Plan my weeks to the target" in body
    client.get("/me/plan/")
    settings = PlanSettings.objects.get(user=learner)
    # Two skills were due before today and are not done: behind by two, finish moved.
    past = this_monday() - timedelta(days=1)
    settings.baseline = {slug: past.isoformat() for slug in list(settings.baseline)[:2]}
    settings.baseline_finish = past
    settings.save()
    body = client.get("/me/").content.decode()
    finish = day(this_monday() + timedelta(weeks=5, days=6))
    assert f"2 skills behind the plan you made, finish date moved from {day(past)} to {finish}" in (
        " ".join(body.split())
    )


HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1e9",
    "9" * 40,
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    '<script>alert("x")</script>',
    "' OR 1=1 --",
    "\x00",
    "\u202e",
    "../../etc/passwd",
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(data=st.data())
def test_hostile_posts_never_break_the_plan_or_touch_anyone_else(client, learner, stranger, data):
    Profile.objects.filter(user=stranger).update(target_track=learner.profile.target_track)
    theirs = plans.settings_for(stranger)
    before = (theirs.pins, theirs.lost_weeks, theirs.study_days, theirs.ical_token)
    value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
    url = data.draw(
        st.sampled_from(
            ["/me/plan/pin/", "/me/plan/unpin/", "/me/plan/lose-week/", "/me/plan/restore-week/"]
            + ["/me/plan/pace/", "/me/plan/calendar-token/"]
        )
    )
    form = {
        name: data.draw(value)
        for name in ("skill", "week", "weekly_hours", "start_date", "study_days")
        if data.draw(st.booleans())
    }
    client.force_login(learner)
    headers = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans()) else {}
    response = client.post(url, form, **headers)
    assert response.status_code in (200, 302, 400, 422)
    assert '<script>alert("x")</script>' not in response.content.decode()
    theirs.refresh_from_db()
    assert (theirs.pins, theirs.lost_weeks, theirs.study_days, theirs.ical_token) == before


def test_the_export_carries_the_plan_and_e_mail_settings_but_not_the_feed_secret(
    client, learner, track
):
    skills = ordered_skills(track)
    client.force_login(learner)
    week = this_monday() + timedelta(weeks=7)
    client.post("/me/plan/pin/", {"skill": skills[5].slug, "week": week.isoformat()})
    PlanSettings.objects.filter(user=learner).update(weekly_digest=True, time_zone="Asia/Tokyo")
    data = client.get("/me/export/").json()
    plan = data["plan"]
    assert plan["pins"] == {skills[5].slug: week.isoformat()}
    assert plan["weekly_digest"] is True and plan["mentor_digest"] is False
    assert plan["time_zone"] == "Asia/Tokyo" and plan["calendar_feed"] is True
    assert plan["study_days"] == [0, 1, 2, 3, 4, 5, 6] and plan["digests_sent"] == []
    token = PlanSettings.objects.get(user=learner).ical_token
    assert token not in client.get("/me/export/").content.decode()


def test_a_plan_costs_the_dashboard_no_extra_query(client, learner):
    client.force_login(learner)
    client.get("/me/")
    with CaptureQueriesContext(connection) as without_plan:
        client.get("/me/")
    client.get("/me/plan/")
    with CaptureQueriesContext(connection) as with_plan:
        body = client.get("/me/").content.decode()
    assert "On track: finish date" in body
    # One lookup of the plan settings either way; the plan itself is pure Python.
    assert len(with_plan) == len(without_plan) <= 9
