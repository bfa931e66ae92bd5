"""/u/<name>/ lists the person's saved job postings to exactly those who may open them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from profiles.models import JobPosting, Mentorship, Profile

pytestmark = pytest.mark.django_db

HEADING = "Saved job postings"


@pytest.fixture
def posting(mentee):
    return JobPosting.objects.create(
        owner=mentee, title="Inference engineer", text="Python and vLLM in production"
    )


def profile_page(client, viewer=None):
    if viewer is not None:
        client.force_login(viewer)
    return client.get("/u/mentee/")


def make_public():
    Profile.objects.filter(user__username="mentee").update(visibility="public")


@pytest.mark.parametrize("viewer", ["mentee", "mentor", "superuser"])
def test_those_who_may_open_a_posting_see_it_listed(client, posting, viewer, request):
    response = profile_page(client, request.getfixturevalue(viewer))
    body = response.content.decode()
    assert response.status_code == 200
    assert HEADING in body
    assert f'<a href="/jobs/{posting.pk}/">Inference engineer</a>' in body
    # The link leads to a page the same viewer may open.
    assert client.get(f"/jobs/{posting.pk}/").status_code == 200


@pytest.mark.parametrize("viewer", ["anonymous", "stranger", "editor"])
def test_a_public_profile_does_not_list_postings_to_others(client, posting, viewer, request):
    make_public()
    response = profile_page(
        client, None if viewer == "anonymous" else request.getfixturevalue(viewer)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert HEADING not in body and "Inference engineer" not in body
    assert f"/jobs/{posting.pk}/" not in body


def test_a_former_mentor_no_longer_sees_them(client, posting, mentor):
    Mentorship.objects.update(ended_at=timezone.now())
    make_public()
    body = profile_page(client, mentor).content.decode()
    assert HEADING not in body and "Inference engineer" not in body


def test_a_private_profile_hides_them_from_the_mentor_too(client, posting, mentor):
    Profile.objects.filter(user__username="mentee").update(visibility="private")
    assert profile_page(client, mentor).status_code == 404


def test_no_section_without_postings(client, mentee):
    assert HEADING not in profile_page(client, mentee).content.decode()


def test_untitled_posting_is_listed_by_its_first_line(client, mentee):
    JobPosting.objects.create(owner=mentee, text="Requirements:\nML platform engineer\n- Go")
    assert "ML platform engineer</a>" in profile_page(client, mentee).content.decode()


def test_queries_do_not_grow_with_the_postings(
    client, posting, mentor, django_assert_max_num_queries
):
    client.force_login(mentor)
    client.get("/u/mentee/")  # warm the content caches
    with CaptureQueriesContext(connection) as with_one:
        client.get("/u/mentee/")
    # Counted now: every request empties the connection's query log.
    one_posting = len(with_one)
    for n in range(20):
        JobPosting.objects.create(owner=posting.owner, title=f"Job {n}", text="Python")
    with django_assert_max_num_queries(one_posting):
        assert "Job 19" in client.get("/u/mentee/").content.decode()
