import pytest
from django.urls import reverse

from careers.models import Skill

from .factories import SkillFactory, StepSkillFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db

CONTENT_PAGES = ["track", "roadmapstep", "skill", "resource"]


@pytest.mark.parametrize("model", CONTENT_PAGES)
def test_editor_can_list_and_add_content(client, editor, model):
    client.force_login(editor)
    assert client.get(reverse(f"admin:careers_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:careers_{model}_add")).status_code == 200


def test_editor_cannot_see_users_or_groups(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/auth/" not in index


def test_plain_staff_cannot_edit_content(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:careers_skill_changelist")).status_code == 403


def test_editor_edits_a_skill_and_a_cycle_is_refused(client, editor):
    a, b = SkillFactory(slug="a"), SkillFactory(slug="b")
    b.prerequisites.add(a)
    client.force_login(editor)
    url = reverse("admin:careers_skill_change", args=[a.pk])
    data = {
        "slug": "a",
        "name_en": "Renamed",
        "name_zh_hans": "改名",
        "summary_en": "S",
        "description_en": "D",
        "hours": 7,
        "prerequisites": [b.pk],
        "resources-TOTAL_FORMS": 0,
        "resources-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "would form a cycle" in response.content.decode()
    data["prerequisites"] = []
    response = client.post(url, data)
    assert response.status_code == 302
    assert Skill.objects.get(pk=a.pk).name_zh_hans == "改名"


def test_archive_action(client, editor):
    skill = SkillFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:careers_skill_changelist"),
        {"action": "archive", "_selected_action": [skill.pk]},
        follow=True,
    )
    assert "Archived 1 skill" in response.content.decode()
    skill.refresh_from_db()
    assert skill.archived


def test_deleting_a_skill_used_in_a_step_is_refused_and_explained(client, editor):
    link = StepSkillFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:careers_skill_delete", args=[link.skill.pk]), {"post": "yes"}
    )
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Skill.objects.filter(pk=link.skill.pk).exists()


def test_track_change_page_with_30_skills_renders(client, editor):
    track = make_track(n_steps=6, skills_per_step=5)
    client.force_login(editor)
    assert client.get(reverse("admin:careers_track_change", args=[track.pk])).status_code == 200
    step = track.steps.first()
    response = client.get(reverse("admin:careers_roadmapstep_change", args=[step.pk]))
    assert response.status_code == 200


def test_anonymous_is_sent_to_admin_login(client):
    response = client.get(reverse("admin:careers_skill_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
