"""/me/export/ gives me all my data; /me/delete/ removes it, and nothing of anyone else."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from careers.models import Skill
from profiles.models import PlanSettings, SkillProgress, StatusChange
from profiles.progress import set_progress

from .factories import SkillFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_export_has_profile_progress_notes_and_log(client, mentee, stranger):
    skill = SkillFactory(slug="rag")
    set_progress(mentee, skill, status="learning")
    set_progress(mentee, skill, status="done", note="Shipped", evidence_url="https://x.org/r")
    set_progress(stranger, skill, status="skipped", note="not mine")
    client.force_login(mentee)
    response = client.get(reverse("profiles:export"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "mentee"
    assert data["profile"]["visibility"] == "mentors"
    assert data["progress"] == [
        {
            **data["progress"][0],
            "skill": "rag",
            "status": "done",
            "note": "Shipped",
            "evidence_url": "https://x.org/r",
        }
    ]
    assert [(c["from"], c["to"]) for c in data["status_log"]] == [
        ("none", "learning"),
        ("learning", "done"),
    ]
    assert "not mine" not in response.content.decode()


def test_export_query_count_is_fixed(client, mentee, django_assert_max_num_queries):
    for skill in SkillFactory.create_batch(20):
        set_progress(mentee, skill, status="done")
    client.force_login(mentee)
    client.get(reverse("profiles:export"))  # the catalogue (skill names) built once
    with django_assert_max_num_queries(9):
        client.get(reverse("profiles:export"))
    # A plan adds its settings' row and the weeks its e-mails went out: one query more.
    PlanSettings.objects.create(user=mentee, weekly_digest=True)
    with django_assert_max_num_queries(10):
        client.get(reverse("profiles:export"))


def test_delete_asks_on_a_page_of_its_own_with_the_danger_button(client, mentee):
    client.force_login(mentee)
    body = client.get(reverse("profiles:delete")).content.decode()
    assert "It cannot be undone." in body and 'name="password"' in body
    assert '<button type="submit" class="danger">Delete my account for good</button>' in body
    assert get_user_model().objects.filter(pk=mentee.pk).exists()  # asking deletes nothing


def test_delete_needs_my_password(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("profiles:delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert get_user_model().objects.filter(pk=mentee.pk).exists()


def test_delete_removes_me_and_only_me(client, mentee, stranger):
    skill = SkillFactory()
    set_progress(mentee, skill, status="done")
    set_progress(stranger, skill, status="done")
    client.force_login(mentee)
    response = client.post(reverse("profiles:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=mentee.pk).exists()
    assert not SkillProgress.objects.filter(user_id=mentee.pk).exists()
    assert not StatusChange.objects.filter(user_id=mentee.pk).exists()
    assert SkillProgress.objects.filter(user=stranger).count() == 1
    assert Skill.objects.filter(pk=skill.pk).exists()
    assert client.get("/me/").status_code == 302  # logged out


def test_a_recorded_skill_cannot_be_deleted(mentee):
    from django.db.models import ProtectedError

    skill = SkillFactory()
    set_progress(mentee, skill, status="done")
    with pytest.raises(ProtectedError):
        skill.delete()


def test_export_includes_mentors_notes_and_verifications(client, mentee, stranger):
    from profiles.models import MentorNote, Mentorship

    skill = SkillFactory(slug="rag")
    set_progress(mentee, skill, status="done")
    mentorship = Mentorship.objects.create(mentee=mentee, mentor=stranger)
    MentorNote.objects.create(mentorship=mentorship, skill=skill, text="Nice RAG demo")
    SkillProgress.objects.filter(user=mentee).update(verified_by=stranger)
    client.force_login(mentee)
    data = json.loads(client.get(reverse("profiles:export")).content)
    assert data["mentors"][0]["mentor"] == "stranger"
    assert data["mentor_notes"][0] == {
        **data["mentor_notes"][0],
        "skill": "rag",
        "text": "Nice RAG demo",
    }
    assert data["progress"][0]["verified_by"] == "stranger"
