"""Random and malicious values posted to every POST endpoint: never a 500, never stored
unescaped, never a change to someone else's data.

HOSTILE_EXAMPLES sets the examples per endpoint (the suite runs a few dozen; the
production check in loadtest/README.md runs more); run with -s to see the outcomes.
"""

import os
from collections import Counter
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers.models import Skill
from profiles.models import MentorInvitation, MentorNote, Mentorship, Profile, SkillProgress
from profiles.progress import set_progress

from .factories import UserFactory, make_track

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "30"))
PASSWORD = "correct horse battery staple"

SCRIPT = '<script>alert("xss")</script>'
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)//https://example.com",
    "' OR 1=1 --",
    "'; DROP TABLE profiles_skillprogress; --",
    "{{ request.user.password }}{% debug %}",
    "../../../../etc/passwd",
    "\x00",
    "done\x00",
    "\u202eevil",
    "\r\nSet-Cookie: x=1",
    "x" * 100_000,
    "𝕏" * 5_000,
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "",
    " ",
    "https://example.com/" + "a" * 600,
    "https://exa mple.com/",
    "//evil.example.com/",
    "https://evil.example.com/",
]
VALID = ["done", "learning", "skipped", "none", "en", "zh-hans", "public", "private", "mentors"]

hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.sampled_from(VALID),
    st.text(max_size=40),  # any code point, control characters and surrogates aside
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    st.integers().map(str),
)
# A list becomes the same field sent several times: the wrong type for a single value.
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))


def hostile_form(fields):
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(fields, hostile_value))
    unknown = st.dictionaries(st.text(min_size=1, max_size=10), hostile_value, max_size=2)
    return st.tuples(known, unknown).map(lambda pair: {**pair[1], **pair[0]})


def path_part(valid):
    """A valid identifier three times in four (so the views get past their lookups),
    otherwise anything, quoted into the path."""
    anything = hostile_text.map(lambda t: quote(t, safe=""))
    return st.integers(0, 3).flatmap(lambda n: anything if n == 0 else st.sampled_from(valid))


class World:
    def __init__(self):
        self.track = make_track(n_steps=2, skills_per_step=3, slug="data")
        self.skills = list(Skill.objects.filter(step_skills__track=self.track).order_by("pk"))
        self.mentee = UserFactory(username="mentee")
        self.mentor = UserFactory(username="mentor")
        self.stranger = UserFactory(username="stranger")
        Profile.objects.filter(user=self.mentee).update(target_track=self.track)
        self.mentorship = Mentorship.objects.create(mentee=self.mentee, mentor=self.mentor)
        set_progress(self.mentee, self.skills[0], status="done")
        set_progress(self.stranger, self.skills[0], status="learning", note="mine")
        self.stranger_mentorship = Mentorship.objects.create(
            mentee=self.stranger, mentor=UserFactory(username="other-mentor")
        )
        self.stranger_invitation = MentorInvitation.objects.create(
            mentee=self.stranger,
            token_hash="0" * 64,
            expires_at=self.mentorship.started_at.replace(year=2100),
        )
        self.clients = {"anonymous": Client()}
        for name in ("mentee", "mentor"):
            self.clients[name] = Client()
            self.clients[name].force_login(getattr(self, name))
        self.stranger_before = self.stranger_state()
        self.outcomes = Counter()

    def stranger_state(self):
        """Everything of the stranger's that a hostile post could try to change."""
        user = type(self.stranger).objects.get(pk=self.stranger.pk)
        return (
            user.password,
            user.email,
            user.is_active,
            tuple(Profile.objects.filter(user=user).values_list()),
            tuple(SkillProgress.objects.filter(user=user).values_list()),
            tuple(Mentorship.objects.filter(mentee=user).values_list()),
            tuple(MentorInvitation.objects.filter(mentee=user).values_list()),
            tuple(MentorNote.objects.filter(mentorship__mentee=user).values_list()),
        )

    def post(self, actor, url, data):
        response = self.clients[actor].post(url, data)
        self.outcomes[response.status_code] += 1
        assert response.status_code < 500, (url, data)
        assert self.stranger_state() == self.stranger_before, (url, data)
        return response


@pytest.fixture
def world(db):
    world = World()
    yield world
    assert_nothing_stored_unescaped(world)


def assert_nothing_stored_unescaped(world):
    # A known payload is stored once on purpose, so the check below has something to find.
    set_progress(world.mentee, world.skills[1], status="learning", note=SCRIPT)
    world.clients["mentor"].post("/u/mentee/notes/", {"text": SCRIPT})
    pages = {
        "mentee": ["/me/", "/me/history/", "/me/mentors/", "/me/settings/", "/tracks/data/"],
        "mentor": ["/u/mentee/", "/mentoring/"],
    }
    pages["mentee"] += [f"/skills/{skill.slug}/" for skill in world.skills]
    escaped_seen = 0
    for actor, urls in pages.items():
        for url in urls:
            html = world.clients[actor].get(url).content.decode()
            for payload in ("<script>alert", "<img src=x", "onerror=alert"):
                assert payload not in html, (actor, url, payload)
            assert 'href="javascript:' not in html.lower(), (actor, url)
            escaped_seen += html.count("&lt;script&gt;alert")
    assert escaped_seen >= 2  # the stored payloads are shown, as text
    print(f"\n{EXAMPLES} examples: outcomes by status {dict(sorted(world.outcomes.items()))}")


hypothesis_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@hypothesis_settings
@given(data=st.data())
def test_status_posts(world, data):
    slug = data.draw(path_part([s.slug for s in world.skills] + ["no-such-skill"]))
    form = data.draw(hostile_form(["status", "note", "evidence_url", "track", "next"]))
    actor = data.draw(st.sampled_from(["mentee", "mentor", "anonymous"]))
    htmx = data.draw(st.booleans())
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = world.clients[actor].post(f"/me/skills/{slug}/", form, **headers)
    world.outcomes[response.status_code] += 1
    assert response.status_code < 500
    assert world.stranger_state() == world.stranger_before
    if response.status_code in (301, 302):
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//"), location


@hypothesis_settings
@given(data=st.data())
def test_settings_onboarding_and_target(world, data):
    url = data.draw(st.sampled_from(["/me/settings/", "/me/welcome/", "/me/target/"]))
    fields = ["target_track", "background", "weekly_hours", "visibility", "language"]
    form = data.draw(hostile_form([*fields, "notify_on_note", "track", "next"]))
    actor = data.draw(st.sampled_from(["mentee", "anonymous"]))
    world.post(actor, url, form)


@hypothesis_settings
@given(data=st.data())
def test_mentoring_posts(world, data):
    mentorship_ids = [str(world.mentorship.pk), str(world.stranger_mentorship.pk)]
    invitation_ids = [str(world.stranger_invitation.pk)]
    slugs = [s.slug for s in world.skills]
    usernames = ["mentee", "stranger", "mentor"]
    url = data.draw(
        st.one_of(
            st.just("/me/mentors/invite/"),
            path_part(invitation_ids).map(lambda pk: f"/me/mentors/invitations/{pk}/withdraw/"),
            path_part(mentorship_ids).map(lambda pk: f"/mentoring/{pk}/end/"),
            path_part(usernames).map(lambda name: f"/u/{name}/notes/"),
            st.tuples(path_part(usernames), path_part(slugs)).map(
                lambda pair: f"/u/{pair[0]}/skills/{pair[1]}/verify/"
            ),
            path_part(["0" * 20]).map(lambda token: f"/mentoring/accept/{token}/"),
        )
    )
    form = data.draw(hostile_form(["email", "text", "skill"]))
    actor = data.draw(st.sampled_from(["mentee", "mentor", "anonymous"]))
    # Ending the mentorship under test would leave nothing to attack: restore it.
    world.post(actor, url, form)
    Mentorship.objects.filter(pk=world.mentorship.pk).update(ended_at=None)


@hypothesis_settings
@given(data=st.data())
def test_account_and_language_posts(world, data):
    url = data.draw(
        st.sampled_from(
            [
                "/i18n/setlang/",
                "/accounts/login/",
                "/accounts/signup/",
                "/accounts/password/reset/",
                "/accounts/password/change/",
                "/accounts/email/",
                "/me/delete/",
            ]
        )
    )
    fields = ["language", "next", "login", "password", "email", "password1", "password2"]
    form = data.draw(hostile_form([*fields, "oldpassword", "action_add", "action_remove"]))
    actor = data.draw(st.sampled_from(["mentee", "anonymous"]))
    world.post(actor, url, form)
    # The mentee must stay able to sign in for the next example.
    assert type(world.mentee).objects.filter(pk=world.mentee.pk, is_active=True).exists()
    world.clients["mentee"].force_login(world.mentee)
