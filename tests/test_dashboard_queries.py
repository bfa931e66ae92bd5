"""The dashboard's queries written in SQL return what the ORM's queries returned."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from profiles import dashboard, mentoring_services, plans
from profiles.models import (
    JobPosting,
    MentorNote,
    Mentorship,
    PlanSettings,
    SkillProgress,
    StatusChange,
)

from .factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

START = date(2026, 3, 1)
# Around midnight of START in each zone below: UTC, UTC+5:30 and UTC+14.
MOMENTS = [
    datetime(2026, 2, 28, 9, 59, 59, tzinfo=UTC),
    datetime(2026, 2, 28, 10, 0, tzinfo=UTC),
    datetime(2026, 2, 28, 18, 29, 59, 999999, tzinfo=UTC),
    datetime(2026, 2, 28, 18, 30, tzinfo=UTC),
    datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 3, 1, 0, 0, 0, 1, tzinfo=UTC),
]


def _log(user, skill, moment: datetime) -> None:
    change = StatusChange.objects.create(
        user=user, skill=skill, from_status="none", to_status="learning"
    )
    # The status log is append-only for the app, not for a test that needs a past change.
    QuerySet(StatusChange).filter(pk=change.pk).update(changed_at=moment)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "Pacific/Kiritimati"])
def test_changes_since_a_day_are_those_of_that_day_on_in_the_current_zone(mentee, zone):
    skill = SkillFactory()
    for moment in MOMENTS:
        _log(mentee, skill, moment)
    _log(UserFactory(username="someone-else"), skill, MOMENTS[-1])
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        rows = dashboard._changes_since(mentee, START)
        expected = StatusChange.objects.filter(user=mentee, changed_at__date__gte=START)
        expected = expected.values_list(
            "changed_at", "skill__slug", "from_status", "to_status", "id"
        )
        assert sorted(rows) == sorted(expected)
    assert rows and all(row[0].tzinfo is not None for row in rows)
    assert min(row[0] for row in rows) in MOMENTS[1:]


def test_the_calendar_shows_only_the_given_days_changes():
    today = date(2026, 12, 1)
    first = dashboard.charts.activity_calendar({today: 2, date(2020, 1, 1): 5}, today, 26)
    second = dashboard.charts.activity_calendar({today - timedelta(days=1): 7}, today, 26)
    # Every person's calendar starts from the same blank grid: none sees another's changes.
    assert [(day.day, day.count, day.level) for day in first.days if day.count] == [(today, 2, 2)]
    assert [(day.count, day.level) for day in second.days if day.count] == [(7, 4)]
    assert (first.total, first.active_days, second.total, second.active_days) == (2, 1, 7, 1)
    assert first.days[-1].x == second.days[-1].x and first.days[-1].y == second.days[-1].y


def test_progress_rows_are_the_recorded_progress_with_its_verifier(mentee, mentor):
    verified, done, learning, untouched = (SkillFactory() for _ in range(4))
    moment = datetime(2026, 3, 1, 12, 30, 15, 250, tzinfo=UTC)
    SkillProgress.objects.create(
        user=mentee,
        skill=verified,
        status="done",
        note="Line one\nline two",
        evidence_url="https://example.com/proof",
        completed_at=moment,
        verified_by=mentor,
        verified_at=moment + timedelta(days=1),
    )
    SkillProgress.objects.create(user=mentee, skill=done, status="done", completed_at=moment)
    SkillProgress.objects.create(user=mentee, skill=learning, status="learning")
    SkillProgress.objects.create(user=mentee, skill=untouched, status="none")
    SkillProgress.objects.create(user=mentor, skill=learning, status="done")
    rows = dashboard._progress_rows(mentee)
    expected = SkillProgress.objects.filter(user=mentee).exclude(status="none")
    assert sorted(rows) == sorted(expected.values_list(*dashboard.DONE_SKILL_FIELDS))
    assert len(rows) == 3
    assert any(row[-1] == mentor.username for row in rows)


def test_notes_are_the_latest_of_every_mentor_or_of_one(mentee, mentor):
    other = UserFactory(username="other-mentor")
    skill = SkillFactory()
    for by in (mentor, other):
        mentorship, _ = Mentorship.objects.get_or_create(mentee=mentee, mentor=by)
        for n in range(30):
            MentorNote.objects.create(
                mentorship=mentorship, text=f"{by.username} {n}", skill=skill if n % 2 else None
            )
    # Notes of another mentee's mentorship stay theirs.
    Mentorship.objects.create(mentee=other, mentor=mentor).notes.create(text="not this")
    for shown_to in (None, mentor, other):
        notes = MentorNote.objects.filter(mentorship__mentee=mentee)
        if shown_to is not None:
            notes = notes.filter(mentorship__mentor=shown_to)
        expected = notes.order_by("-created_at", "-id").values_list(
            "text", "created_at", "mentorship__mentor__username", "skill__slug"
        )[:50]
        rows = mentoring_services.feedback(mentee, mentor=shown_to, done=[])["mentor_notes"]
        assert [
            (row.text, row.created_at, row.mentor, row.skill and row.skill.slug) for row in rows
        ] == list(expected)
        assert len(rows) == (50 if shown_to is None else 30)


def test_stored_plan_settings_are_the_models_or_none(mentee, stranger):
    posting = JobPosting.objects.create(owner=mentee, title="Data engineer", text="Linux")
    PlanSettings.objects.create(
        user=mentee,
        start_date=date(2026, 3, 2),
        study_days=[0, 2, 4],
        pins={"linux": "2026-03-09"},
        lost_weeks=["2026-03-16"],
        baseline={"linux": "2026-03-15"},
        baseline_finish=date(2026, 3, 15),
        job=posting,
        baseline_target=f"job:{posting.pk}",
        ical_token="token",
        time_zone="Asia/Kolkata",
    )
    stored = plans._stored_settings(mentee)
    expected = PlanSettings.objects.get(user=mentee)
    for field in PlanSettings._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(expected, field.attname), field.name
    assert stored.updated_at.tzinfo is not None and stored.pins == {"linux": "2026-03-09"}
    assert plans._stored_settings(stranger) is None
