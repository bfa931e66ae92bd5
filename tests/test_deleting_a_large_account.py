"""Deleting an account costs a fixed number of queries, however long its history.

The content signals listen only to content models, so Django can delete a user's progress
and status log with one DELETE each instead of loading every row first.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models.deletion import Collector
from django.db.models.signals import post_delete, post_save
from django.test.utils import CaptureQueriesContext

from careers.models import Skill
from profiles.models import (
    DigestSent,
    JobPosting,
    MentorNote,
    Mentorship,
    PlanSettings,
    Profile,
    SkillProgress,
    StatusChange,
)

from .factories import UserFactory

pytestmark = pytest.mark.django_db

LOG_ROWS = 5_000
SKILLS = 200
# 24 on SQLite, whatever the history's length (the test below holds that): each relation of
# a user costs a fixed number of queries, one DELETE where Django can fast-delete it.
# The 16 of the first release grew with relations other features added, each a constant:
# the confirmed e-mail address (its confirmations, then itself: +2), plan settings (+1),
# weekly digests sent (+1), saved job postings (+3: their ids, because a profile's target_job
# points at them with SET_NULL, clearing that target, then the postings) and skills the
# learner verified as a mentor (+1, SET_NULL). SET_NULL is right for both: a posting or a
# mentor going away must not take a profile or a learner's progress with it.
# The budget leaves room for one more relation; a relation whose cost grows with the
# history fails the test below whatever the budget.
QUERY_BUDGET = 26


def _learner_with_history(log_rows: int):
    learner = UserFactory(username="veteran")
    mentor = UserFactory(username="their-mentor")
    skills = Skill.objects.bulk_create(
        Skill(slug=f"skill-{i}", name=f"Skill {i}", summary="s", description="d", hours=5)
        for i in range(SKILLS)
    )
    SkillProgress.objects.bulk_create(
        SkillProgress(user=learner, skill=skill, status="done") for skill in skills
    )
    # The learner is also someone's mentor and vouched for their skills.
    SkillProgress.objects.bulk_create(
        SkillProgress(user=mentor, skill=skill, status="done", verified_by=learner)
        for skill in skills[:5]
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            user=learner, skill=skills[i % SKILLS], from_status="none", to_status="learning"
        )
        for i in range(log_rows)
    )
    mentorship = Mentorship.objects.create(mentee=learner, mentor=mentor)
    MentorNote.objects.bulk_create(
        MentorNote(mentorship=mentorship, text=f"Note {i}") for i in range(50)
    )
    PlanSettings.objects.create(user=learner, weekly_digest=True)
    # One digest a week: a long history has many.
    DigestSent.objects.bulk_create(
        DigestSent(user=learner, week=f"{2000 + i // 52}-W{i % 52 + 1:02}")
        for i in range(log_rows // 20)
    )
    postings = JobPosting.objects.bulk_create(
        JobPosting(owner=learner, text=f"Posting {i}") for i in range(log_rows // 100 + 1)
    )
    Profile.objects.filter(user=learner).update(target_job=postings[0])
    return learner


def test_deleting_a_user_with_a_long_history_stays_within_a_query_budget(
    django_assert_max_num_queries,
):
    learner = _learner_with_history(LOG_ROWS)
    with django_assert_max_num_queries(QUERY_BUDGET):
        learner.delete()
    assert not get_user_model().objects.filter(username="veteran").exists()
    assert not StatusChange.objects.exists()
    assert not SkillProgress.objects.filter(user__username="veteran").exists()
    assert not MentorNote.objects.exists()
    assert not (DigestSent.objects.exists() or JobPosting.objects.exists())
    assert not SkillProgress.objects.filter(verified_by__isnull=False).exists()
    assert get_user_model().objects.filter(username="their-mentor").exists()


def test_the_query_count_does_not_grow_with_the_history(django_assert_num_queries):
    small = _learner_with_history(10)
    with CaptureQueriesContext(connection) as small_delete:
        small.delete()
    get_user_model().objects.all().delete()
    Skill.objects.all().delete()
    large = _learner_with_history(LOG_ROWS)
    with django_assert_num_queries(len(small_delete.captured_queries)):
        large.delete()


def test_content_signals_leave_fast_delete_to_the_models_of_people():
    assert post_save.has_listeners(Skill) and post_delete.has_listeners(Skill)
    collector = Collector(using=DEFAULT_DB_ALIAS)
    for model in (StatusChange, SkillProgress, MentorNote, DigestSent, PlanSettings):
        assert collector.can_fast_delete(model.objects.all()), model
