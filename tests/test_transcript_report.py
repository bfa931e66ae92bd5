"""/me/report/ (the skills transcript) and its PDF, per role and in both languages."""

import re
import zlib
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from careers.content_types import SkillInfo, SkillSlot, StepInfo, TrackInfo
from profiles import transcript as transcript_data
from profiles.models import Profile, SkillProgress
from profiles.progress import set_progress

from .factories import SkillFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with their compressed streams inflated, to search for names."""
    inflated = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(inflated)


@pytest.fixture
def track(db):
    return make_track(n_steps=2, skills_per_step=3, name="Platform", name_zh_hans="平台")


def _skills(track):
    return [link.skill for step in track.steps.all() for link in step.step_skills.all()]


@pytest.fixture
def learner(mentee, track):
    Profile.objects.filter(user=mentee).update(target_track=track, weekly_hours=5)
    skills = _skills(track)
    set_progress(mentee, skills[0], status="done", evidence_url="https://example.com/proof")
    set_progress(mentee, skills[1], status="done")
    set_progress(mentee, skills[3], status="learning")
    set_progress(mentee, skills[4], status="skipped")
    mentor = UserFactory(username="mentor")
    SkillProgress.objects.filter(user=mentee, skill=skills[0]).update(
        verified_by=mentor, verified_at=datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    )
    return mentee


def test_transcript_groups_done_skills_by_step_and_lists_the_gap():
    skills = {
        slug: SkillInfo(slug, slug.upper(), hours)
        for slug, hours in [("a", 10), ("b", 20), ("c", 5), ("d", 8), ("x", 3)]
    }
    track = TrackInfo(
        "t",
        "T",
        (
            StepInfo("s1", "One", (SkillSlot("a", True), SkillSlot("b", True))),
            StepInfo("s2", "Two", (SkillSlot("c", True), SkillSlot("d", False))),
        ),
    )
    records = [
        transcript_data.Record("a", "done", "https://example.com/a"),
        transcript_data.Record("c", "learning"),
        transcript_data.Record("d", "skipped"),
        transcript_data.Record("x", "done"),
    ]
    result = transcript_data.build(track, skills, records)
    assert [(g.title, [e.slug for e in g.entries], g.hours) for g in result.done_by_step] == [
        ("One", ["a"], 10)
    ]
    assert [e.slug for e in result.done_elsewhere] == ["x"]
    assert [e.slug for e in result.in_progress] == ["c"]
    assert [e.slug for e in result.skipped] == ["d"]
    assert [e.slug for e in result.remaining] == ["b", "c"]
    assert (result.done_count, result.done_hours, result.remaining_hours) == (2, 13, 25)


def test_owner_sees_a_full_transcript(client, learner, track):
    skills = _skills(track)
    client.force_login(learner)
    response = client.get(reverse("profiles:report"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skills transcript of mentee" in body
    assert "Platform" in body
    assert "https://example.com/proof" in body
    assert "by mentor on 3 Nov 2026" in body
    assert skills[3].name in body  # in progress
    assert f"{skills[4].name}, 10 h" in body  # skipped, with its hours
    assert "4 core skills of 40 h in all are left." in body
    assert "About 8 weeks at 5 h a week." in body
    assert "http://testserver/me/report/" in body  # the printed footer


def test_the_report_lists_the_projects_that_close_the_target_steps(client, learner, track):
    first, second = track.steps.all()
    first.project_build, first.project_check = "A cleaned corpus", "Under 1% duplicates remain"
    first.save()
    client.force_login(learner)
    body = client.get(reverse("profiles:report")).content.decode()
    assert "Step projects" in body
    assert "A cleaned corpus" in body and "Under 1% duplicates remain" in body
    assert "step done" not in body  # two of the first step's three core skills are done
    assert second.title not in body.split("Step projects", 1)[1]  # no project, not listed

    set_progress(learner, _skills(track)[2], status="done")
    body = client.get(reverse("profiles:report")).content.decode()
    assert "step done" in body


def test_transcript_in_chinese_uses_chinese_dates(client, learner):
    client.force_login(learner)
    with translation.override("zh-hans"):
        body = client.get(
            reverse("profiles:report"), headers={"accept-language": "zh-hans"}
        ).content.decode()
    assert "技能成绩单" in body
    assert "2026年11月3日" in body


def test_report_queries_are_few(client, learner, django_assert_max_num_queries):
    client.force_login(learner)
    client.get(reverse("profiles:report"))  # warms the catalogue cache
    with django_assert_max_num_queries(8):
        client.get(reverse("profiles:report"))


def test_pdf_download_is_a_pdf_with_the_transcript(client, learner):
    client.force_login(learner)
    response = client.get(reverse("profiles:report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="skillpath-transcript-')
    assert response.content.startswith(b"%PDF-")
    assert b"SkillPath" in _pdf_objects(response.content)  # the document's metadata


def test_a_pdf_in_chinese_embeds_a_cjk_font(client, learner):
    client.force_login(learner)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    response = client.get(reverse("profiles:report_pdf"))
    assert response.status_code == 200
    fonts = set(re.findall(rb"/BaseFont\s*/([\w+-]+)", _pdf_objects(response.content)))
    assert any(b"CJK-SC" in font for font in fonts), fonts


@pytest.mark.parametrize("name", ["report", "report_pdf"])
def test_anonymous_is_sent_to_log_in(client, name):
    response = client.get(reverse(f"profiles:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_stranger_gets_their_own_transcript_never_another(client, learner, stranger):
    client.force_login(stranger)
    body = client.get(reverse("profiles:report")).content.decode()
    assert "Skills transcript of stranger" in body
    assert "example.com/proof" not in body


def test_staff_sees_only_their_own_transcript(client, learner, superuser):
    client.force_login(superuser)
    body = client.get(reverse("profiles:report")).content.decode()
    assert "Skills transcript of admin" in body and "example.com/proof" not in body


def test_a_transcript_without_a_target_says_so(client, stranger):
    SkillFactory()
    client.force_login(stranger)
    body = client.get(reverse("profiles:report")).content.decode()
    assert "No target track is chosen" in body
