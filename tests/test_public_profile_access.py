"""/u/<username>/: the owner, an administrator, or anyone when public; 404 for the rest."""

import pytest

from profiles.models import Profile
from profiles.progress import set_progress

from .factories import SkillFactory, make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentee_with_progress(mentee):
    track = make_track(n_steps=1, skills_per_step=2)
    Profile.objects.filter(user=mentee).update(target_track=track)
    set_progress(mentee, SkillFactory(), status="done", note="secret note")
    return mentee


def url(user):
    return f"/u/{user.username}/"


def test_owner_sees_everything(client, mentee_with_progress):
    client.force_login(mentee_with_progress)
    body = client.get(url(mentee_with_progress)).content.decode()
    assert "Target:" in body and "This week" in body


@pytest.mark.parametrize("who", ["anonymous", "stranger", "editor"])
def test_private_profile_is_a_404_for_others(client, mentee_with_progress, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(url(mentee_with_progress)).status_code == 404


def test_administrator_sees_the_profile(client, mentee_with_progress, superuser):
    client.force_login(superuser)
    assert client.get(url(mentee_with_progress)).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_public_profile_is_a_reduced_view(client, mentee_with_progress, who, request):
    Profile.objects.filter(user=mentee_with_progress).update(visibility="public")
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(url(mentee_with_progress))
    body = response.content.decode()
    assert response.status_code == 200
    assert "mentee's target:" in body  # others read in the third person
    assert "secret note" not in body and "@example.com" not in body
    assert "This week" not in body and "Start learning" not in body


def test_unknown_user_is_a_404(client):
    assert client.get("/u/nobody/").status_code == 404


def test_profile_page_queries_are_fixed(
    client, mentee_with_progress, django_assert_max_num_queries
):
    client.force_login(mentee_with_progress)
    client.get(url(mentee_with_progress))
    with django_assert_max_num_queries(9):
        client.get(url(mentee_with_progress))
