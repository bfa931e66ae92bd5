"""/me/, the gap report, history and the how-it-works page, per role."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from careers.models import Skill
from profiles.models import MentorNote, Mentorship, Profile, SkillProgress
from profiles.progress import set_progress

from .factories import SkillFactory, StepFactory, StepSkillFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(db):
    return make_track(n_steps=2, skills_per_step=3, name="Platform")


def target(user, track, weekly_hours=5):
    Profile.objects.filter(user=user).update(target_track=track, weekly_hours=weekly_hours)


def test_anonymous_is_sent_to_log_in(client):
    for name in ("dashboard", "settings", "history", "export", "delete", "report"):
        response = client.get(reverse(f"profiles:{name}"))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/?next=/me/")


def test_dashboard_without_a_target_asks_for_one(client, mentee, track):
    client.force_login(mentee)
    body = client.get("/me/").content.decode()
    assert "Choose a target track" in body
    assert "How close you are to each track" in body


def test_dashboard_shows_readiness_steps_next_blocked_and_time(client, mentee, track):
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    skills[4].prerequisites.add(skills[3])
    target(mentee, track)
    set_progress(mentee, skills[0], status="done")
    set_progress(mentee, skills[1], status="skipped")
    set_progress(mentee, skills[2], status="learning")
    client.force_login(mentee)
    body = client.get("/me/").content.decode()
    assert 'Target: <a href="/tracks/' in body and ">Platform</a>" in body
    assert '<span class="tile-value">16%</span>' in body  # 10 of 60 hours
    assert "1 of 6 core skills done" in body
    assert "Skipped skills still count as missing" in body and skills[1].name in body
    assert '<span class="tile-value">50 h</span>' in body
    assert "about 10 weeks at 5 h a week" in body and "done by " in body
    assert f"Mark {skills[3].name} as learning" in body
    assert "Blocked for now" in body and skills[4].name in body
    assert "This week" in body and "not started → <strong>done</strong>" in body


def test_start_button_sets_learning(client, mentee, track):
    target(mentee, track)
    skill = Skill.objects.filter(step_skills__track=track).first()
    client.force_login(mentee)
    client.post(reverse("profiles:set_status", args=[skill.slug]), {"status": "learning"})
    assert mentee.skill_progress.get(skill=skill).status == "learning"


@pytest.mark.parametrize("extra_skills", [0, 60])
def test_dashboard_queries_do_not_grow_with_skills_tracks_or_log(
    client, mentee, django_assert_max_num_queries, extra_skills
):
    track = make_track(n_steps=2, skills_per_step=3)
    for index in range(extra_skills // 20):
        other = make_track(n_steps=1, skills_per_step=1)
        step = StepFactory(track=track if index % 2 else other)
        for _ in range(20):
            StepSkillFactory(step=step)
    target(mentee, track)
    mentor = UserFactory(username="mentor")
    mentorship = Mentorship.objects.create(mentee=mentee, mentor=mentor)
    for skill in Skill.objects.all()[: 5 + extra_skills]:
        for status in ("learning", "done", "skipped", "done"):
            set_progress(mentee, skill, status=status)
        SkillProgress.objects.filter(user=mentee, skill=skill).update(
            verified_by=mentor, verified_at=timezone.now()
        )
        MentorNote.objects.create(mentorship=mentorship, skill=skill, text="Well done.")
    client.force_login(mentee)
    client.get("/me/plan/")  # a plan with its baseline: the dashboard shows how it stands
    client.get("/me/")  # warm the cached structure, as on a live site
    # The session, the user, the profile, the progress, the log, the notes, the plan.
    with django_assert_max_num_queries(7):
        assert client.get("/me/").status_code == 200


def test_report_is_printable_and_private(client, mentee, stranger, track):
    target(mentee, track)
    client.force_login(mentee)
    body = client.get(reverse("profiles:report")).content.decode()
    assert "Skills transcript of mentee" in body
    assert "Start learning" not in body  # no controls on paper


def test_history_lists_my_changes_only(client, mentee, stranger):
    mine, theirs = SkillFactory(name="Mine"), SkillFactory(name="Theirs")
    set_progress(mentee, mine, status="done")
    set_progress(stranger, theirs, status="done")
    client.force_login(mentee)
    body = client.get(reverse("profiles:history")).content.decode()
    assert "Mine" in body and "Theirs" not in body


def test_how_progress_is_computed_is_public(client):
    body = client.get(reverse("profiles:how")).content.decode()
    assert "Readiness" in body and "Skipped" in body


def test_track_page_signed_in_shows_controls_and_marks(client, mentee, track):
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    skills[1].prerequisites.add(skills[0])
    client.force_login(mentee)
    body = client.get(track.get_absolute_url()).content.decode()
    assert "Not started" in body  # each node's status, in words
    assert "next step" in body and f"needs {skills[0].name}" in body
    assert 'id="track-readiness"' in body
    panel = client.get(skills[0].get_absolute_url(), {"track": track.slug}, HTTP_HX_REQUEST="true")
    assert f"Mark {skills[0].name} as done" in panel.content.decode()


def test_track_page_anonymous_has_no_controls(client, track):
    body = client.get(track.get_absolute_url()).content.decode()
    assert "Mark " not in body and 'id="track-readiness"' not in body


@pytest.mark.parametrize("size", [2, 12])
def test_signed_in_track_page_queries_do_not_grow(
    client, mentee, django_assert_max_num_queries, size
):
    track = make_track(n_steps=size, skills_per_step=3)
    for skill in Skill.objects.all():
        set_progress(mentee, skill, status="done")
    client.force_login(mentee)
    client.get(track.get_absolute_url())
    with django_assert_max_num_queries(9):
        assert client.get(track.get_absolute_url()).status_code == 200


def test_archived_skill_stays_visible_to_those_who_recorded_it(client, mentee, track):
    skill = Skill.objects.filter(step_skills__track=track).first()
    set_progress(mentee, skill, status="done")
    Skill.objects.filter(pk=skill.pk).update(archived=True)
    client.force_login(mentee)
    body = client.get(track.get_absolute_url()).content.decode()
    assert skill.name in body and "archived" in body
    client.logout()
    assert skill.name not in client.get(track.get_absolute_url()).content.decode()


def test_cached_structure_follows_content_edits(
    client, mentee, track, django_capture_on_commit_callbacks
):
    target(mentee, track)
    client.force_login(mentee)
    assert "0 of 6 core skills" in client.get("/me/").content.decode()  # structure now cached
    with django_capture_on_commit_callbacks(execute=True):
        StepSkillFactory(step=track.steps.first(), skill=SkillFactory(name="Brand new"))
    assert "0 of 7 core skills" in client.get("/me/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        track.steps.first().step_skills.filter(skill__name="Brand new").delete()
    assert "0 of 6 core skills" in client.get("/me/").content.decode()


@pytest.mark.parametrize(("language", "title"), [("en", ": 3 changes"), ("zh-hans", "：3 次更改")])
def test_activity_calendar_titles_only_the_days_with_changes(
    client, mentee, track, settings, language, title
):
    target(mentee, track)
    skill = Skill.objects.filter(step_skills__track=track).first()
    for status in ("learning", "done", "skipped"):
        set_progress(mentee, skill, status=status)
    client.force_login(mentee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/me/").content.decode()
    calendar = body[
        body.index('<svg class="calendar"') : body.index("</svg>", body.index("calendar"))
    ]
    legend = 5  # Less ■■■■■ More
    assert calendar.count("<rect ") == 26 * 7 - (6 - timezone.now().weekday()) + legend
    assert calendar.count("</title></rect>") == 1 and title in calendar
    assert 'class="level-2"' in calendar


def test_skill_links_built_without_reverse_match_reverse(mentee, track):
    from django.template import Context, Template

    skill = Skill.objects.filter(step_skills__track=track).first()
    rendered = Template("{% load progress_display %}{{ slug|skill_url }}").render(
        Context({"slug": skill.slug})
    )
    assert rendered == reverse("careers:skill", args=[skill.slug]) == skill.get_absolute_url()


def test_notes_keep_their_line_breaks_escaped(client, mentee, track):
    skill = Skill.objects.filter(step_skills__track=track).first()
    set_progress(mentee, skill, status="done", note="First line\n<b>second</b> line")
    client.force_login(mentee)
    body = client.get("/me/").content.decode()
    assert "First line<br>&lt;b&gt;second&lt;/b&gt; line" in body


def test_next_steps_show_five_and_link_to_the_rest(client, mentee):
    track = make_track(n_steps=2, skills_per_step=4, name="Wide")  # 8 skills, none blocked
    target(mentee, track)
    client.force_login(mentee)
    body = client.get("/me/").content.decode()
    start = body.index('<ol class="next-steps">')
    listed = body[start : body.index("</ol>", start)]
    assert listed.count("<li>") == 5
    more = f'<a href="{track.get_absolute_url()}">+3 more you can start, marked “next step”'
    assert more in body
    assert '<a class="tile-more" href="#next-steps">+5 more you can start</a>' in body


def test_skipped_skills_are_listed_with_their_hours(client, mentee, track):
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    target(mentee, track)
    set_progress(mentee, skills[1], status="skipped")
    client.force_login(mentee)
    body = client.get("/me/").content.decode()
    link = f'<a href="{skills[1].get_absolute_url()}">{skills[1].name}</a>'
    assert f"{link}</th><td>10</td><td>core</td>" in body
    assert "10 core hours of them are part of the time left" in body


def test_every_chart_has_its_table(client, mentee, track):
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    make_track(n_steps=1, skills_per_step=2, name="Other")
    target(mentee, track)
    set_progress(mentee, skills[0], status="done")
    client.force_login(mentee)
    body = client.get("/me/").content.decode()
    # The fit chart names every track with its value, and its table says the same.
    start = body.index('<table class="fit-table">')
    table = body[start : body.index("</table>", start)]
    # Its table folded in a disclosure, as the other charts' tables are; the bars read as text.
    opened = body.rindex("<details", 0, start)
    assert body[opened:start].startswith('<details class="disclosure chart-table">')
    assert "</details>" not in body[opened:start]
    assert '<ul class="fit-bars">' in body
    for name, percent in (("Platform", "16%"), ("Other", "0%")):
        within = "(?:(?!</li>|</tr>).)*?"  # in the same bar, in the same row
        bar = f'<span class="fit-name">{name}</span>{within}<span class="fit-value">{percent}<'
        assert re.search(bar, body, re.S), name
        assert re.search(f">{name}</a>{within}<td>{percent}</td>", table, re.S), name
    # Core skills over time and the activity calendar: week-by-week tables.
    assert (
        '<caption class="visually-hidden">Core skills done at the end of each week</caption>'
        in body
    )
    assert '<caption class="visually-hidden">Status changes per week</caption>' in body
    assert '<th scope="col">Week of</th><th scope="col">Core skills done</th>' in body
    assert "<td>1</td><td>1</td></tr>" in body  # this week: one change, on one day


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            [
                "1 change in the last 26 weeks · active on 1 day",
                "1 skill changed",
                "1 of 6 core skills done",
            ],
        ),
        ("zh-hans", ["最近 26 周共 1 次变更 · 其中 1 天有学习记录", "已完成核心技能 1/6"]),
    ],
)
def test_the_dashboards_counts_agree_with_their_numbers(
    client, mentee, track, settings, language, texts
):
    target(mentee, track)
    set_progress(mentee, Skill.objects.filter(step_skills__track=track).first(), status="done")
    client.force_login(mentee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/me/").content.decode()
    for text in texts:
        assert text in body
    assert "1 days" not in body and "1 skills" not in body and "1 changes" not in body
