"""The dashboard's "next up" buttons in place (htmx) and as plain posts, and its finish date."""

import re

import pytest
from django.urls import reverse
from django.utils import formats

from careers.models import Skill
from profiles.models import PlanSettings, Profile
from profiles.progress import set_progress

from .factories import make_track

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def track(db):
    return make_track(n_steps=2, skills_per_step=3, name="Platform")


@pytest.fixture
def learner(mentee, track):
    Profile.objects.filter(user=mentee).update(target_track=track, weekly_hours=10)
    return mentee


def ordered_skills(track):
    return list(
        Skill.objects.filter(step_skills__track=track).order_by(
            "step_skills__step__order", "step_skills__order"
        )
    )


def next_up_post(skill, status):
    return {"status": status, "next": "/me/", "panel": "dashboard"}


def test_next_up_buttons_post_in_place_and_without_javascript(client, learner, track):
    skill = ordered_skills(track)[0]
    client.force_login(learner)
    body = client.get("/me/").content.decode()
    url = reverse("profiles:set_status", args=[skill.slug])
    assert f'action="{url}" hx-post="{url}" hx-target="#dashboard-tiles"' in body
    assert '<input type="hidden" name="panel" value="dashboard">' in body
    # Without JavaScript: a plain post, then the dashboard again.
    response = client.post(url, next_up_post(skill, "learning"))
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert learner.skill_progress.get(skill=skill).status == "learning"


def test_next_up_change_through_htmx_answers_the_tiles_and_step_bars(client, learner, track):
    first, second = ordered_skills(track)[:2]
    client.force_login(learner)
    response = client.post(
        reverse("profiles:set_status", args=[first.slug]), next_up_post(first, "done"), **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert learner.skill_progress.get(skill=first).status == "done"
    assert body.lstrip().startswith(
        '<ul class="tiles dashboard-tiles has-week" id="dashboard-tiles"'
    )
    assert "1 of 6 core skills done" in body
    assert f"Mark {first.name} as done" not in body  # no longer next up
    assert f"Mark {second.name} as done" in body
    # The step bars behind the tiles follow out of band; nothing else of the page comes.
    assert 'hx-swap-oob="true"' in body and "Core: 1 of 3 done" in body
    assert "<html" not in body and "Charts" not in body


def test_refused_next_up_change_keeps_the_tiles_with_the_error(client, learner, track):
    skill = ordered_skills(track)[0]
    Skill.objects.filter(pk=skill.pk).update(archived=True)
    client.force_login(learner)
    response = client.post(
        reverse("profiles:set_status", args=[skill.slug]), next_up_post(skill, "done"), **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="dashboard-tiles"' in body and 'role="alert"' in body
    assert "This skill is archived" in body
    assert not learner.skill_progress.filter(skill=skill).exists()


def finish_on_dashboard(body):
    return re.search(r"done by ([^<]+)</strong>", body).group(1)


def test_dashboard_finish_date_is_the_plans_when_there_is_one(client, learner, track):
    skills = ordered_skills(track)
    # A skipped skill counts in the plain estimate but is left out of the plan.
    set_progress(learner, skills[1], status="skipped")
    client.force_login(learner)
    plain = finish_on_dashboard(client.get("/me/").content.decode())
    client.get("/me/plan/")  # the first visit makes the plan and its baseline
    settings = PlanSettings.objects.get(user=learner)
    body = client.get("/me/").content.decode()
    planned = formats.date_format(settings.baseline_finish, "DATE_FORMAT")
    assert finish_on_dashboard(body) == planned != plain
    plan_page = client.get("/me/plan/").content.decode()
    assert f'id="plan-finish">{planned}<' in plan_page


def test_a_mentor_sees_the_same_finish_date_as_the_learner(client, learner, track):
    from profiles.models import Mentorship

    from .factories import UserFactory

    set_progress(learner, ordered_skills(track)[1], status="skipped")
    mentor = UserFactory(username="mentor")
    Mentorship.objects.create(mentee=learner, mentor=mentor)
    client.force_login(learner)
    client.get("/me/plan/")  # the plan and its baseline
    own = finish_on_dashboard(client.get("/me/").content.decode())
    client.force_login(mentor)
    seen = finish_on_dashboard(client.get(f"/u/{learner.username}/").content.decode())
    planned = PlanSettings.objects.get(user=learner).baseline_finish
    assert seen == own == formats.date_format(planned, "DATE_FORMAT")


def test_a_mentor_sees_next_up_without_buttons_the_status_beside_the_skill(client, learner, track):
    from profiles.models import Mentorship

    from .factories import UserFactory

    first = ordered_skills(track)[0]
    set_progress(learner, first, status="learning")
    mentor = UserFactory(username="mentor")
    Mentorship.objects.create(mentee=learner, mentor=mentor)
    client.force_login(mentor)
    body = client.get(f"/u/{learner.username}/").content.decode()
    tiles = body[body.index('id="dashboard-tiles"') : body.index("</ul>", body.index("next-up"))]
    assert "<form" not in tiles and "Mark " not in tiles
    # The badge follows the skill's hours inside its name, not out in the buttons' column.
    badge = '<span class="status-badge status-learning">◐ Learning</span>'
    assert f'{first.name}</a> <span class="meta">10 h</span> {badge}</span>' in tiles
