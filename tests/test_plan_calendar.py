"""/me/plan.ics: the plan as a calendar feed, its token, and the time zone setting."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar

from profiles import plans
from profiles.models import (
    JobPosting,
    MentorNote,
    Mentorship,
    PlanSettings,
    Profile,
    SkillProgress,
    StatusChange,
)
from profiles.planning import monday
from profiles.progress import set_progress

from .factories import SkillFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(mentee):
    track = make_track(n_steps=2, skills_per_step=2, name="Platform")
    Profile.objects.filter(user=mentee).update(target_track=track, weekly_hours=10)
    return mentee


def feed_token(client, user):
    client.force_login(user)
    client.get("/me/plan/")
    client.logout()
    return PlanSettings.objects.get(user=user).ical_token


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_feed_has_one_event_per_study_week_with_stable_uids(client, learner):
    token = feed_token(client, learner)
    calendar = parse(client.get(f"/me/plan.ics?token={token}"))
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    first = events[0]
    start = monday(timezone.localdate())
    assert first.decoded("dtstart") == start
    assert first.decoded("dtend") == start + timedelta(days=7)
    assert str(first["summary"]).startswith("Study: Skill")
    assert "(10 hours)" in str(first["summary"])
    assert "/skills/" in str(first["url"])
    assert str(calendar["x-wr-timezone"]) == "UTC"
    # RFC 5545: CRLF line ends, lines folded at 75 octets.
    response = client.get(f"/me/plan.ics?token={token}")
    lines = response.content.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and all(len(line) <= 75 for line in lines)
    # A new token, the same UIDs: subscribed calendars update their events in place.
    client.force_login(learner)
    client.post("/me/plan/calendar-token/")
    client.logout()
    new_token = PlanSettings.objects.get(user=learner).ical_token
    again = parse(client.get(f"/me/plan.ics?token={new_token}"))
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(e["uid"]) for e in events]


def test_feed_titles_follow_the_learners_language(client, learner):
    Profile.objects.filter(user=learner).update(language="zh-hans")
    token = feed_token(client, learner)
    calendar = parse(client.get(f"/me/plan.ics?token={token}"))
    summary = str(calendar.walk("VEVENT")[0]["summary"])
    assert summary.startswith("学习：") and "技能" in summary


def test_study_days_and_time_zone_shape_the_events(client, learner):
    token = feed_token(client, learner)
    PlanSettings.objects.filter(user=learner).update(
        study_days=[1, 3], time_zone="Pacific/Kiritimati"
    )
    calendar = parse(client.get(f"/me/plan.ics?token={token}"))
    first = calendar.walk("VEVENT")[0]
    assert first.decoded("dtstart").weekday() == 1
    assert first.decoded("dtend").weekday() == 4  # the day after Thursday, exclusive
    assert str(calendar["x-wr-timezone"]) == "Pacific/Kiritimati"


@pytest.mark.parametrize("token", ["", "short", "x" * 43, "x" * 300])
def test_bad_tokens_are_a_plain_404(client, learner, token):
    feed_token(client, learner)
    response = client.get(f"/me/plan.ics?token={token}")
    assert response.status_code == 404


def test_an_old_token_or_an_inactive_user_is_the_same_404(client, learner, stranger):
    token = feed_token(client, learner)
    client.force_login(learner)
    response = client.post("/me/plan/calendar-token/")
    assert response.status_code == 302
    client.logout()
    unknown = client.get("/me/plan.ics?token=" + "y" * 43)
    old = client.get(f"/me/plan.ics?token={token}")
    assert old.status_code == unknown.status_code == 404

    # The page echoes the address it was asked for and has a fresh CSRF token; apart from
    # those, not a byte differs.
    def normalised(response, asked):
        body = response.content.replace(asked.encode(), b"TOKEN")
        return re.sub(rb"[A-Za-z0-9]{64}", b"CSRF", body)

    assert normalised(old, token) == normalised(unknown, "y" * 43)
    new = PlanSettings.objects.get(user=learner).ical_token
    learner.is_active = False
    learner.save()
    assert client.get(f"/me/plan.ics?token={new}").status_code == 404


def test_a_learner_without_target_gets_an_empty_valid_calendar(client, stranger):
    token = plans.settings_for(stranger).ical_token
    calendar = parse(client.get(f"/me/plan.ics?token={token}"))
    assert calendar.walk("VEVENT") == []


def test_the_token_is_changed_by_post_only_and_for_oneself(client, learner, stranger):
    token = feed_token(client, learner)
    client.force_login(stranger)
    assert client.get("/me/plan/calendar-token/").status_code == 405
    client.post("/me/plan/calendar-token/")
    assert PlanSettings.objects.get(user=learner).ical_token == token


# The time zone setting ------------------------------------------------------------


def settings_data(**changes):
    data = {
        "weekly_hours": "8",
        "visibility": "mentors",
        "plan-time_zone": "Asia/Shanghai",
        "plan-browser_time_zone": "",
    }
    data.update(changes)
    return data


def test_a_chosen_time_zone_is_saved_and_dates_follow_it(client, mentee):
    client.force_login(mentee)
    response = client.post("/me/settings/", settings_data())
    assert response.status_code == 302
    assert PlanSettings.objects.get(user=mentee).time_zone == "Asia/Shanghai"
    assert client.session["time_zone"] == "Asia/Shanghai"
    set_progress(mentee, SkillFactory(), status="learning")
    body = client.get("/me/history/").content.decode()
    assert '+08:00">' in body


def test_without_a_choice_the_browsers_zone_is_used_else_utc(client, mentee):
    client.force_login(mentee)
    client.post(
        "/me/settings/",
        settings_data(**{"plan-time_zone": "", "plan-browser_time_zone": "Europe/Berlin"}),
    )
    assert PlanSettings.objects.get(user=mentee).time_zone == "Europe/Berlin"
    client.post(
        "/me/settings/",
        settings_data(**{"plan-time_zone": "", "plan-browser_time_zone": "Mars/Olympus"}),
    )
    assert PlanSettings.objects.get(user=mentee).time_zone == "UTC"


def onboarding_data(**changes):
    data = {"background": "software", "weekly_hours": "6", "browser_time_zone": "Asia/Tokyo"}
    data.update(changes)
    return data


def test_a_new_learner_gets_the_browsers_zone_at_onboarding(client, mentee):
    client.force_login(mentee)
    assert client.post("/me/welcome/", onboarding_data()).status_code == 302
    assert PlanSettings.objects.get(user=mentee).time_zone == "Asia/Tokyo"
    assert client.session["time_zone"] == "Asia/Tokyo"


def test_onboarding_keeps_a_chosen_zone_and_ignores_a_bad_one(client, mentee):
    client.force_login(mentee)
    client.post("/me/welcome/", onboarding_data(browser_time_zone="Mars/Olympus"))
    assert not PlanSettings.objects.filter(user=mentee).exclude(time_zone="UTC").exists()
    assert "time_zone" not in client.session
    client.post("/me/settings/", settings_data())  # chooses Asia/Shanghai
    client.post("/me/welcome/", onboarding_data(browser_time_zone="Europe/Berlin"))
    assert PlanSettings.objects.get(user=mentee).time_zone == "Asia/Shanghai"


def test_a_time_zone_that_does_not_exist_is_refused_and_nothing_is_saved(client, mentee):
    client.force_login(mentee)
    response = client.post(
        "/me/settings/", settings_data(**{"plan-time_zone": "Mars/Olympus", "weekly_hours": "30"})
    )
    assert response.status_code == 200
    assert "“Mars/Olympus” is not a time zone." in response.content.decode()
    assert Profile.objects.get(user=mentee).weekly_hours == 8
    assert PlanSettings.objects.get(user=mentee).time_zone == "UTC"


def test_the_settings_page_loads_the_time_zone_script_without_inline_code(client, mentee):
    client.force_login(mentee)
    body = client.get("/me/settings/").content.decode()
    assert '<script src="/static/js/timezone.js" defer></script>' in body
    assert "data-browser-time-zone" in body


def test_logging_in_brings_back_the_saved_time_zone(client, mentee):
    PlanSettings.objects.create(user=mentee, time_zone="America/Sao_Paulo")
    client.force_login(mentee)
    assert client.session["time_zone"] == "America/Sao_Paulo"


# 12:00 UTC on 1 January is already 02:00 on 2 January at UTC+14.
WHEN = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_dates_on_the_learners_and_the_mentors_pages_follow_their_time_zone(client, mentee):
    mentor = UserFactory(username="mentor")
    skill = SkillFactory(name="Linux")
    set_progress(mentee, skill, status="done")
    mentorship = Mentorship.objects.create(mentee=mentee, mentor=mentor)
    note = MentorNote.objects.create(mentorship=mentorship, skill=skill, text="Well done.")
    posting = JobPosting.objects.create(owner=mentee, title="Data engineer", text="Linux")
    # The status log is append-only for the app, not for a test that needs a past change.
    QuerySet(StatusChange).filter(user=mentee).update(changed_at=WHEN)
    SkillProgress.objects.filter(user=mentee).update(started_at=WHEN, completed_at=WHEN)
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=WHEN)
    MentorNote.objects.filter(pk=note.pk).update(created_at=WHEN)
    JobPosting.objects.filter(pk=posting.pk).update(created_at=WHEN)
    for user in (mentee, mentor):
        PlanSettings.objects.create(user=user, time_zone="Pacific/Kiritimati")
    pages = {
        mentee: ["/me/", "/me/history/", "/me/report/", "/me/mentors/", "/jobs/", skill.slug],
        mentor: ["/mentoring/", "/u/mentee/"],
    }
    for user, urls in pages.items():
        client.force_login(user)  # logging in brings the saved zone into the session
        for url in urls:
            url = f"/skills/{url}/" if not url.startswith("/") else url
            body = " ".join(client.get(url).content.decode().split())
            assert "2 Jan 2026" in body, url
            assert "1 Jan 2026" not in body, url
    client.force_login(mentee)
    assert "2 Jan 2026, 02:00" in client.get("/me/history/").content.decode()
