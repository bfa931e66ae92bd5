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
from profiles.models import MentorNote, Mentorship, SkillProgress, StatusChange

from .factories import UserFactory

pytestmark = pytest.mark.django_db

LOG_ROWS = 5_000
SKILLS = 200
# 16 with 20,000 log rows on SQLite; the budget leaves room for a few more relations.
QUERY_BUDGET = 20


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
    return learner


def test_deleting_a_user_with_a_long_history_stays_within_a_query_budget(
    django_assert_max_num_queries,
):
    learner = _learner_with_history(LOG_ROWS)
    with django_assert_max_num_queries(QUERY_BUDGET):
        learner.delete()
    assert not get_user_model().objects.filter(username="veteran").exists()
    assert not StatusChange.objects.exists()
    assert not SkillProgress.objects.exists()
    assert not MentorNote.objects.exists()
    assert get_user_model().objects.filter(username="their-mentor").exists()


def test_the_query_count_does_not_grow_with_the_history(django_assert_num_queries):
    small = _learner_with_history(10)
    with CaptureQueriesContext(connection) as small_delete:
        small.delete()
    Skill.objects.all().delete()
    large = _learner_with_history(LOG_ROWS)
    with django_assert_num_queries(len(small_delete.captured_queries)):
        large.delete()


def test_content_signals_leave_fast_delete_to_the_models_of_people():
    assert post_save.has_listeners(Skill) and post_delete.has_listeners(Skill)
    collector = Collector(using=DEFAULT_DB_ALIAS)
    for model in (StatusChange, SkillProgress, MentorNote):
        assert collector.can_fast_delete(model.objects.all()), model
