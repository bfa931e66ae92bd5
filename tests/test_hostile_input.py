"""Random and malicious values posted to every POST endpoint: never a 500, never stored
unescaped, never a change to someone else's data. Then every URL of the URLconf, found by
walking it: control characters in each path parameter, query and form field, unreadable,
oversized and over-long requests, each with the one answer the request guard gives.

HOSTILE_EXAMPLES sets the examples per endpoint (the suite runs a few dozen; the
production check in loadtest/README.md runs more); run with -s to see the outcomes and
the count of hostile requests by status.
"""

import os
import re
from collections import Counter
from functools import partial
from html import unescape
from urllib.parse import quote, urlsplit

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers.models import Skill
from profiles.models import MentorInvitation, MentorNote, Mentorship, Profile, SkillProgress
from profiles.progress import set_progress

from .factories import UserFactory, make_track
from .urlconf import Site, route_names, routes

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "30"))
PASSWORD = "correct horse battery staple"

SENT = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_hostile_requests():
    yield
    print(
        f"\nhostile requests sent by this file: {sum(SENT.values())}, "
        f"by status {dict(sorted(SENT.items()))}"
    )


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
        SENT[response.status_code] += 1
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
    SENT[response.status_code] += 1
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


# Every URL in the URLconf ---------------------------------------------------------------
#
# Generated from the URLconf, so a new URL is attacked as soon as it exists: control
# characters in each path parameter, each query and each form field the pages offer;
# bodies in other charsets, broken, oversized or with too many fields; over-long URLs.
# No 500, exactly the guard's answer, and no control character ever reaches the database.

# NUL, an escape, DEL, a C1 control (U+0085) and a line break: one of each kind.
CONTROL_IN_PATH = ["%00", "x%00", "%1B", "x%7F", "%C2%85", "%0D%0A"]
CONTROL_IN_VALUE = ["x\x00y", "\x1b[31m", "\x85"]


@pytest.fixture
def site(db):
    return Site()


def hostile(client, method, url, expected, **kwargs):
    """Send one hostile request: the expected status, and nothing hostile in any query."""
    reached = []
    with connection.execute_wrapper(partial(_controls_in_parameters, reached)):
        if method == "raw":  # the body's bytes as they are, whatever the content type says
            response = client.generic("POST", url, **kwargs)
        else:
            response = getattr(client, method)(url, **kwargs)
    SENT[response.status_code] += 1
    assert response.status_code in expected, (method, url, response.status_code)
    assert not reached, (url, reached)
    return response


def _controls_in_parameters(reached, execute, sql, params, many, context):
    """Note every query parameter holding a control character, as the driver gets it. (The
    query log is no use here: SQLite's quoting cuts a logged string at its first NUL.)"""
    if many:
        params = list(params)  # an iterator would be spent before the driver reads it
    for row in params if many else [params]:
        values = row.values() if isinstance(row, dict) else row or []
        reached += [value for value in values if isinstance(value, str) and _CONTROL.search(value)]
    if _CONTROL.search(sql):
        reached.append(sql)
    return execute(sql, params, many, context)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def test_the_url_list_covers_every_kind_of_route():
    found = list(routes())
    assert "/u/{username}/skills/{slug}/verify/" in found
    assert "/accounts/password/reset/key/{uidb36}-{key}/" in found
    assert "/admin/r/{content_type_id}/{object_id}/" in found
    assert len(found) > 80


def test_control_characters_in_any_path_parameter_are_a_404(site):
    for route in routes():
        for name in route_names(route):
            for n, value in enumerate(CONTROL_IN_PATH):
                for role in ("anonymous", "boss") if n % 2 else ("learner",):
                    url = site.url(route, **{name: value})
                    hostile(site.clients[role], "get", url, {404})
                    hostile(site.clients[role], "post", url, {404}, data={"x": "1"})


def test_control_characters_in_any_query_are_a_400(site):
    for route in routes():
        url = site.url(route)
        for value in CONTROL_IN_VALUE:
            client = site.clients["boss" if "/admin/" in url else "learner"]
            hostile(client, "get", url, {400}, data={"next": value})
            hostile(client, "get", url + "?" + quote(value) + "=1", {400})


def discovered_forms(site):
    """{action: (role, fields)} for every POST form on every page each role can open; a form
    that several roles see (the language switcher) is attacked once, by the first."""
    forms = {}
    for role in ("anonymous", "learner", "mentor", "boss"):
        for route in routes():
            url = site.url(route)
            response = site.clients[role].get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for action, fields in _post_forms(response.content.decode(), url):
                forms.setdefault(action, (role, {}))[1].update(fields)
    return forms


def _post_forms(html: str, page_url: str):
    for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S | re.I):
        attributes, body = form.groups()
        if not re.search(r'method="post"', attributes, re.I):
            continue
        action = re.search(r'action="([^"]*)"', attributes)
        action = unescape(action[1]) if action and action[1] else page_url
        fields = {}
        for tag in re.finditer(r"<(?:input|select|textarea|button)\b[^>]*>", body, re.I):
            name = re.search(r'name="([^"]+)"', tag[0])
            value = re.search(r'value="([^"]*)"', tag[0])
            if name:
                fields[unescape(name[1])] = unescape(value[1]) if value else "1"
        yield urlsplit(action).path or page_url, fields


def test_control_characters_in_any_form_field_are_a_400(site):
    forms = discovered_forms(site)
    assert len(forms) > 20
    for action, (role, fields) in forms.items():
        for name in fields:
            for value in CONTROL_IN_VALUE:
                hostile(site.clients[role], "post", action, {400}, data={**fields, name: value})
            # And in a field's name.
            data = {**fields, name + "\x00": "x"}
            hostile(site.clients[role], "post", action, {400}, data=data)
    # And a POST to every route, whether or not a page offers a form for it.
    for route in routes():
        hostile(site.clients["boss"], "post", site.url(route), {400}, data={"next": "\x00"})


def test_every_field_and_query_sent_twice_is_never_a_500(site):
    """Duplicated parameters: each form's fields all sent twice (the valid value, then
    another), and every URL with its usual query sent twice. A view must take one value or
    refuse, never fail."""
    forms = discovered_forms(site)
    for action, (role, fields) in forms.items():
        doubled = {name: [value, value + "2"] for name, value in fields.items()}
        hostile(site.clients[role], "post", action, range(200, 500), data=doubled)
        # A form may sign its sender out (log-out, deleting the account): back in.
        if role != "anonymous":
            site.clients[role].force_login(getattr(site, role))
    for route in routes():
        url = site.url(route)
        client = site.clients["boss" if "/admin/" in url else "learner"]
        query = "?next=/&next=//evil.example/&q=a&q=b&page=1&page=x&track=data&track=data"
        hostile(client, "get", url + query, range(200, 500))


BAD_BODIES = [
    ("application/x-www-form-urlencoded; charset=latin-1", "login=caf\xe9".encode("latin-1")),
    ("application/x-www-form-urlencoded; charset=utf-16", "login=x".encode("utf-16")),
    ("application/x-www-form-urlencoded; charset=shift_jis", b"a=%82%A0"),
    ("multipart/form-data; boundary=", b"--\r\nbroken"),
    ("multipart/form-data", b"no boundary at all"),
]


def test_bodies_that_cannot_be_read_are_a_400_page(site):
    # With CSRF checks on, as in production: the check reads the form too.
    checked = Client(enforce_csrf_checks=True)
    for route in routes():
        for content_type, body in BAD_BODIES:
            for client in (checked, site.clients["learner"]):
                response = hostile(
                    client,
                    "raw",
                    site.url(route),
                    {400},
                    data=body,
                    content_type=content_type,
                )
                assert b"Bad request" in response.content


def test_unknown_charsets_and_broken_utf8_are_read_as_utf8(site):
    """Django reads an unknown charset, and bytes that are not UTF-8, as UTF-8 with
    replacement characters: an ordinary form, answered by the view."""
    for route in routes():
        for content_type, body in [
            ("application/x-www-form-urlencoded; charset=no-such-charset", b"next=%2F"),
            ("application/x-www-form-urlencoded", b"next=\xff\xfe%FF&text=\xc3"),
        ]:
            hostile(
                site.clients["learner"],
                "raw",
                site.url(route),
                range(200, 500),
                data=body,
                content_type=content_type,
            )


def test_oversized_bodies_are_a_413_and_too_many_fields_a_400(site, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    for route in routes():
        url = site.url(route)
        response = hostile(site.clients["learner"], "post", url, {413}, data={"text": "x" * 20_000})
        assert b"Too much data" in response.content
        many = "&".join(f"f{n}=1" for n in range(1001))
        hostile(
            site.clients["learner"],
            "raw",
            url,
            {400},
            data=many,
            content_type="application/x-www-form-urlencoded",
        )


def test_over_long_urls_are_a_414(site):
    for route in routes():
        url = site.url(route)
        for long_url in [url + "a" * 5000, url + "?q=" + "a" * 5000]:
            response = hostile(site.clients["anonymous"], "get", long_url, {414})
            assert b"Address too long" in response.content


def test_the_probes_reproductions(site, client):
    """The requests from the probe's report, one by one."""
    client.force_login(site.learner)
    slug = site.skill.slug
    for method, url, data, expected in [
        ("get", "/u/%00/", None, 404),
        ("get", "/u/bob%00/", None, 404),
        ("post", "/u/x%00/notes/", {"text": "hi"}, 404),
        ("post", f"/u/x%00/skills/{slug}/verify/", {}, 404),
        ("post", "/me/target/", {"track": "\x00"}, 400),
        (
            "get",
            "/admin/autocomplete/?app_label=careers&model_name=skill"
            "&field_name=prerequisites&term=%00",
            None,
            400,
        ),
    ]:
        kwargs = {"data": data} if data is not None else {}
        hostile(client, method, url, {expected}, **kwargs)
        hostile(site.clients["boss"], method, url, {expected}, **kwargs)
