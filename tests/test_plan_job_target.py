"""Planning towards a saved job posting: the pure chain, the choice on /me/plan/, the fallback."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats

from careers.content_types import SkillInfo
from careers.job_matching import build_index, match_posting
from config.page_shell import StandIn
from profiles import gap, job_gap, planning, plans
from profiles.export import export_user_data
from profiles.models import JobPosting, PlanSettings, Profile
from profiles.progress import set_progress

from .factories import SkillFactory, StepFactory, StepSkillFactory, TrackFactory

TODAY = date(2026, 12, 2)

SKILLS = {
    "python": SkillInfo("python", "Python", 40),
    "torch": SkillInfo("torch", "PyTorch", 30, ("python",)),
    "serving": SkillInfo("serving", "Serving", 30, ("torch",)),
    "kv": SkillInfo("kv", "KV cache", 20, ("serving",)),
    "k8s": SkillInfo("k8s", "Kubernetes", 30),
}
INDEX = build_index(
    {"python": ["python"], "serving": ["vllm"], "kv": ["kv cache"], "k8s": ["kubernetes"]}
)


def job_plan(text, statuses):
    """The chain plans.load follows for a posting, without the database."""
    target = job_gap.job_track(match_posting(text, INDEX), SKILLS, "Inference")
    report = gap.analyse(target, SKILLS, statuses, 10)
    skills = planning.from_gap(report, SKILLS, target)
    return skills, planning.build_plan(skills, weekly_hours=10, today=TODAY)


def test_a_job_plan_holds_each_remaining_skill_once_prerequisites_first():
    skills, plan = job_plan("KV cache and vLLM.\nNice to have: Kubernetes", {"python": "done"})
    planned = [item.slug for week in plan.weeks for item in week.items if item.last_part]
    # Required kv and serving, the unnamed prerequisite torch; python is done, k8s optional.
    assert sorted(planned) == ["kv", "serving", "torch"]
    assert len(planned) == len(set(planned))
    finishes = plan.finishes()
    assert finishes["torch"] < finishes["serving"] < finishes["kv"]
    assert {skill.slug: skill.step_slug for skill in skills} == {
        "kv": job_gap.NAMED_STEP,
        "serving": job_gap.NAMED_STEP,
        "torch": job_gap.PREREQUISITES_STEP,
    }


def test_a_prerequisite_of_a_done_skill_does_not_hold_the_plan_back():
    _skills, plan = job_plan("vLLM", {"torch": "done"})
    # python stays in the job's groundwork, but serving needs only torch, which is done:
    # nothing holds serving back, so it comes first, in the posting's order.
    planned = [item.slug for week in plan.weeks for item in week.items]
    assert planned[0] == "serving" and sorted(set(planned)) == ["python", "serving"]


def test_a_skill_in_progress_stays_and_a_skipped_one_leaves():
    _skills, plan = job_plan("vLLM and Python", {"python": "learning", "torch": "skipped"})
    planned = [item.slug for week in plan.weeks for item in week.items if item.last_part]
    assert planned == ["python", "serving"]


# The page ---------------------------------------------------------------------------

POSTING = "Inference engineer\n\nRequirements:\n- vLLM in production\n- KV cache tuning\n"


@pytest.fixture
def catalogue(db):
    python = SkillFactory(slug="python", name="Python", hours=10, keywords={"en": ["python"]})
    serving = SkillFactory(
        slug="serving", name="Serving engines", hours=10, keywords={"en": ["vllm"]}
    )
    serving.prerequisites.add(python)
    kv = SkillFactory(slug="kv", name="KV cache", hours=10, keywords={"en": ["kv cache"]})
    kv.prerequisites.add(serving)
    track = TrackFactory(slug="platform", name="Platform")
    step = StepFactory(track=track)
    StepSkillFactory(step=step, skill=python)
    return {"python": python, "serving": serving, "kv": kv, "track": track}


@pytest.fixture
def learner(mentee, catalogue):
    posting = JobPosting.objects.create(owner=mentee, title="Inference engineer", text=POSTING)
    Profile.objects.filter(user=mentee).update(
        target_track=catalogue["track"], target_job=posting, weekly_hours=10
    )
    return mentee, posting


def test_the_plan_follows_the_track_until_the_owner_chooses_the_job(client, learner):
    user, posting = learner
    client.force_login(user)
    body = client.get("/me/plan/").content.decode()
    assert "Plan for" in body and "Inference engineer (target job)" in body
    assert PlanSettings.objects.get(user=user).baseline_target == "track:platform"

    response = client.post(reverse("profiles:plan_target"), {"target": str(posting.pk)})
    assert response.status_code == 302
    settings = PlanSettings.objects.get(user=user)
    assert settings.job == posting
    # A new baseline for the new target: python, serving and kv, one week each.
    assert settings.baseline_target == f"job:{posting.pk}"
    assert set(settings.baseline) == {"python", "serving", "kv"}
    assert export_user_data(user)["plan"]["plan_for_job"] == posting.pk
    body = client.get("/me/plan/").content.decode()
    assert "To Inference engineer" in body and "Your plan now leads to" in body
    loaded = plans.load(user, Profile.objects.get(user=user))
    assert [skill.slug for skill in planning.order(loaded.skills)] == ["python", "serving", "kv"]

    response = client.post(
        reverse("profiles:plan_target"), {"target": "track"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "To Platform" in response.content.decode()
    settings.refresh_from_db()
    assert settings.job is None and settings.baseline_target == "track:platform"
    assert list(settings.baseline) == ["python"]


def own(response, key):
    """A value the dashboard's view gave, not the stand-in its shell was built with."""
    return next(c[key] for c in response.context if key in c and not isinstance(c[key], StandIn))


def test_the_dashboard_measures_against_the_plans_target(client, learner, catalogue):
    user, posting = learner
    client.force_login(user)
    client.get("/me/plan/")
    client.post(reverse("profiles:plan_target"), {"target": str(posting.pk)})
    set_progress(user, catalogue["serving"], status="learning")
    response = client.get("/me/")
    status = own(response, "plan_status")
    # Measured against the job's baseline, which has skills the track does not.
    assert {"serving", "kv"} <= set(PlanSettings.objects.get(user=user).baseline)
    assert status is not None and status.finish == own(response, "plan").finish
    assert 'id="plan-standing"' in response.content.decode()

    # The posting goes: the job's baseline says nothing about the track, so the dashboard
    # shows no standing until the plan page takes a new one, rather than a false "ahead".
    posting.delete()
    response = client.get("/me/")
    assert response.status_code == 200 and own(response, "plan_status") is None
    client.get("/me/plan/")
    assert own(client.get("/me/"), "plan_status") is not None


def test_a_stranger_cannot_choose_someone_elses_posting(client, learner, stranger):
    _user, posting = learner
    client.force_login(stranger)
    response = client.post(reverse("profiles:plan_target"), {"target": str(posting.pk)})
    assert response.status_code == 404
    assert not PlanSettings.objects.filter(job=posting).exists()


def test_bad_choice_is_a_404_and_anonymous_is_sent_to_log_in(client, learner):
    user, _posting = learner
    response = client.post(reverse("profiles:plan_target"), {"target": "track"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(user)
    assert client.post(reverse("profiles:plan_target"), {"target": "x"}).status_code == 404
    assert client.get(reverse("profiles:plan_target")).status_code == 405


def test_a_deleted_posting_falls_back_to_the_track(client, learner):
    user, posting = learner
    client.force_login(user)
    client.post(reverse("profiles:plan_target"), {"target": str(posting.pk)})
    posting.delete()
    response = client.get("/me/plan/")
    assert response.status_code == 200 and "To Platform" in response.content.decode()
    settings = PlanSettings.objects.get(user=user)
    assert settings.job is None and settings.baseline_target == "track:platform"
    feed = client.get(reverse("profiles:plan_ics") + f"?token={settings.ical_token}")
    assert feed.status_code == 200 and b"Python" in feed.content


def test_the_calendar_feed_follows_the_job(client, learner):
    user, posting = learner
    client.force_login(user)
    client.post(reverse("profiles:plan_target"), {"target": str(posting.pk)})
    settings = PlanSettings.objects.get(user=user)
    client.logout()
    feed = client.get(reverse("profiles:plan_ics") + f"?token={settings.ical_token}")
    assert feed.status_code == 200
    text = feed.content.decode().replace("\r\n ", "")  # unfold RFC 5545 lines
    assert "KV cache" in text and "Serving engines" in text
    assert "every skill the job requires done" in text


def test_the_page_stays_within_its_queries_for_a_job_plan(
    client, learner, django_assert_max_num_queries
):
    user, posting = learner
    client.force_login(user)
    client.post(reverse("profiles:plan_target"), {"target": str(posting.pk)})
    with django_assert_max_num_queries(20):
        assert client.get("/me/plan/").status_code == 200


def test_no_choice_without_a_target_job(client, learner):
    user, _posting = learner
    Profile.objects.filter(user=user).update(target_job=None)
    client.force_login(user)
    assert "Plan for" not in client.get("/me/plan/").content.decode()


def test_the_weekly_digest_follows_the_job(client, learner):
    user, posting = learner
    client.force_login(user)
    client.post(reverse("profiles:plan_target"), {"target": str(posting.pk)})
    PlanSettings.objects.filter(user=user).update(weekly_digest=True)
    call_command("send_digests", stdout=StringIO())
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    # Three 10-hour skills of the job at 10 h a week; the track alone would end this week.
    loaded = plans.load(user, Profile.objects.get(user=user))
    assert len(loaded.plan.weeks) == 3
    assert f"Finish date: {formats.date_format(loaded.plan.finish, 'DATE_FORMAT')}" in body
    assert "On track" in body
