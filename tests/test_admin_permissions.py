import pytest
from django.urls import reverse

from careers.models import Skill, Track

from .factories import SkillFactory, StepSkillFactory, TrackFactory, UserFactory, make_track

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


@pytest.mark.parametrize(
    ("model", "action", "field", "value", "message"),
    [
        ("track", "unpublish", "published", False, "Unpublished 2 tracks."),
        ("track", "publish", "published", True, "Published 2 tracks."),
        ("skill", "archive", "archived", True, "Archived 2 skills."),
        ("skill", "unarchive", "archived", False, "Restored 2 skills."),
    ],
)
def test_bulk_actions_change_the_rows_drop_cached_content_and_say_how_many(
    client, editor, django_capture_on_commit_callbacks, model, action, field, value, message
):
    from careers.structure import content_version

    rows = (
        [TrackFactory(published=not value) for _ in range(2)]
        if model == "track"
        else [SkillFactory(archived=not value) for _ in range(2)]
    )
    version = content_version()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(f"admin:careers_{model}_changelist"),
            {"action": action, "_selected_action": [row.pk for row in rows]},
            follow=True,
        )
    assert message in response.content.decode()
    kind = Track if model == "track" else Skill
    assert set(
        kind.objects.filter(pk__in=[row.pk for row in rows]).values_list(field, flat=True)
    ) == {value}
    assert content_version() != version


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


def test_a_bulk_action_on_ids_that_cannot_exist_is_a_message_not_an_error(client, editor):
    skill = SkillFactory()
    client.force_login(editor)
    for bad in ["abc", "99999999999999999999999", "1.5", ""]:
        response = client.post(
            reverse("admin:careers_skill_changelist"),
            {"action": "archive", "_selected_action": [skill.pk, bad]},
            follow=True,
        )
        assert response.status_code == 200
        assert "items that do not exist" in response.content.decode()
    skill.refresh_from_db()
    assert not skill.archived


def test_the_autocomplete_answers_a_search(client, editor):
    SkillFactory(slug="pytorch", name="PyTorch basics")
    client.force_login(editor)
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "careers",
            "model_name": "skill",
            "field_name": "prerequisites",
            "term": "py",
        },
    )
    assert response.status_code == 200 and "PyTorch" in response.content.decode()


def test_an_editor_cannot_map_profile_ids_to_usernames(client, editor, mentee, superuser):
    from django.contrib.contenttypes.models import ContentType

    from profiles.models import Profile

    content_type = ContentType.objects.get_for_model(Profile)
    url = f"/admin/r/{content_type.pk}/{mentee.profile.pk}/"
    client.force_login(editor)
    assert client.get(url).status_code == 404
    skill = SkillFactory()
    skill_type = ContentType.objects.get_for_model(Skill)
    response = client.get(f"/admin/r/{skill_type.pk}/{skill.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(f"/skills/{skill.slug}/")
    client.force_login(superuser)
    assert client.get(url)["Location"].endswith(f"/u/{mentee.username}/")


# Tracks that learners target -----------------------------------------------------------------


def test_a_targeted_track_cannot_be_deleted_and_the_admin_says_why(client, editor, mentee):
    from django.db.models import ProtectedError

    from careers.models import Track
    from profiles.models import Profile

    track = make_track()
    Profile.objects.filter(user=mentee).update(target_track=track)
    client.force_login(editor)
    listing = client.get(reverse("admin:careers_track_changelist")).content.decode()
    assert "Learners targeting it" in listing and 'class="field-learners">1<' in listing
    url = reverse("admin:careers_track_delete", args=[track.pk])
    page = client.get(url).content.decode()
    assert "1 learner targets this: unpublish the track instead of deleting it." in page
    assert mentee.username not in page  # editors are not told who
    client.post(url, {"post": "yes"})
    assert Track.objects.filter(pk=track.pk).exists()
    with pytest.raises(ProtectedError):
        track.delete()
    assert Profile.objects.get(user=mentee).target_track == track
    # What editors do instead: unpublish.
    response = client.post(
        reverse("admin:careers_track_changelist"),
        {"action": "unpublish", "_selected_action": [track.pk]},
        follow=True,
    )
    assert "Unpublished 1 track." in response.content.decode()
    assert not Track.objects.get(pk=track.pk).published


def test_a_track_nobody_targets_can_still_be_deleted(client, editor):
    from careers.models import Track

    track = make_track()
    client.force_login(editor)
    client.post(reverse("admin:careers_track_delete", args=[track.pk]), {"post": "yes"})
    assert not Track.objects.filter(pk=track.pk).exists()
