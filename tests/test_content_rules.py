import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from careers.admin import SkillForm
from careers.models import Skill, StepSkill, Track

from .factories import SkillFactory, StepFactory, StepSkillFactory, TrackFactory

pytestmark = pytest.mark.django_db


def test_prerequisite_cycle_is_refused_by_the_model():
    a, b, c = SkillFactory(slug="a"), SkillFactory(slug="b"), SkillFactory(slug="c")
    b.prerequisites.add(a)
    c.prerequisites.add(b)
    with pytest.raises(ValidationError, match="cycle: "), transaction.atomic():
        a.prerequisites.add(c)
    assert not a.prerequisites.exists()


def test_prerequisite_cycle_is_refused_from_the_reverse_side():
    a, b = SkillFactory(slug="a"), SkillFactory(slug="b")
    b.prerequisites.add(a)
    with pytest.raises(ValidationError, match="cycle"), transaction.atomic():
        b.unlocks.add(a)  # would make b a prerequisite of a


def test_self_prerequisite_is_refused():
    a = SkillFactory(slug="a")
    with pytest.raises(ValidationError, match="cycle: a → a"), transaction.atomic():
        a.prerequisites.add(a)


def test_admin_form_refuses_a_cycle_with_a_clear_message():
    a, b = SkillFactory(slug="a"), SkillFactory(slug="b")
    b.prerequisites.add(a)
    data = {
        "slug": "a",
        "name": "A",
        "summary": "A skill.",
        "description": "About A.",
        "hours": 5,
        "prerequisites": [b.pk],
    }
    form = SkillForm(data=data, instance=a)
    assert not form.is_valid()
    message = str(form.errors["prerequisites"])
    assert "would form a cycle: a → b → a" in message or "cycle: b → a → b" in message


def test_admin_form_accepts_replacing_prerequisites():
    a, b, c = SkillFactory(slug="a"), SkillFactory(slug="b"), SkillFactory(slug="c")
    a.prerequisites.add(b)
    data = {
        "slug": "a",
        "name": "A",
        "summary": "A skill.",
        "description": "About A.",
        "hours": 5,
        "prerequisites": [c.pk],
    }
    assert SkillForm(data=data, instance=a).is_valid()


def test_skill_appears_at_most_once_per_track_in_the_database():
    track = TrackFactory()
    first, second = StepFactory(track=track), StepFactory(track=track)
    link = StepSkillFactory(step=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        StepSkill.objects.create(step=second, skill=link.skill)


def test_skill_twice_in_a_track_fails_validation_with_a_message():
    track = TrackFactory()
    first, second = StepFactory(track=track), StepFactory(track=track)
    link = StepSkillFactory(step=first)
    with pytest.raises(ValidationError, match="already in another step"):
        StepSkill(step=second, skill=link.skill).full_clean()


def test_same_skill_in_two_tracks_is_fine():
    skill = SkillFactory()
    StepSkillFactory(skill=skill)
    StepSkillFactory(skill=skill)
    assert skill.step_skills.count() == 2


def test_step_link_copies_its_track():
    link = StepSkillFactory()
    assert link.track_id == link.step.track_id


def test_published_and_active_querysets():
    TrackFactory(slug="draft", published=False)
    TrackFactory(slug="live")
    SkillFactory(slug="old", archived=True)
    SkillFactory(slug="new")
    assert list(Track.objects.published().values_list("slug", flat=True)) == ["live"]
    assert list(Skill.objects.active().values_list("slug", flat=True)) == ["new"]


def test_chinese_falls_back_to_english_when_missing():
    from django.utils import translation

    skill = SkillFactory(name="Deduplication", name_zh_hans="")
    with translation.override("zh-hans"):
        assert Skill.objects.get(pk=skill.pk).name == "Deduplication"
