"""Every URL of the site × every role × GET and POST → the expected status; never a 500.

The URLs are found by walking config.urls, so a new URL without a row in EXPECTED fails
test_every_url_has_a_row. The admin (/admin/) and allauth (/accounts/) URLs are covered by a
rule instead of rows: for every role and both methods they answer without a server error
(their own permission checks are Django's and allauth's, tested upstream; the admin's split
between editors and others is in test_admin_permissions.py).

Each request runs in a savepoint that is rolled back, so every cell starts from the same
world: a mentee (visible to mentors) with a done skill, a pending invitation (e-mailed to the
pending invitee), an active mentor and a former one.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from profiles import digests, mentoring_services, plans
from profiles.models import JobPosting, Mentorship, Profile
from profiles.progress import set_progress

from .factories import EditorFactory, SkillFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "mentor", "invitee", "former", "stranger", "editor", "superuser")
SIGNED_IN = ROLES[1:]
RULE_PREFIXES = ("admin/", "accounts/")


def walk(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern, names namespaced, nested includes flattened."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name


# Expected statuses: (GET, POST) per role, or one pair for every role. L = redirect to login.
L = 302


def row(anonymous, signed_in=None, **per_role):
    """A row: anonymous's pair, the pair of every signed-in role, and exceptions by role."""
    table = {"anonymous": anonymous}
    for role in SIGNED_IN:
        table[role] = per_role.get(role, signed_in)
    return table


def everyone(pair):
    return dict.fromkeys(ROLES, pair)


EXPECTED: dict[str, dict[str, tuple[int, int]]] = {
    # Public pages: read-only, so a POST is a 405.
    "careers:landing": everyone((200, 405)),
    "careers:tracks": everyone((200, 405)),
    "careers:track": everyone((200, 405)),
    "careers:skill": everyone((200, 405)),
    "careers:advisor": everyone((200, 405)),
    "profiles:how": everyone((200, 405)),
    "profiles:search": everyone((200, 405)),
    "profiles:skill_index": everyone((200, 405)),
    "healthz": everyone((200, 405)),
    "set_language": everyone((302, 302)),
    # My own pages: signed in only, each about the signed-in person.
    "profiles:dashboard": row((L, L), (200, 405)),
    "profiles:welcome": row((L, L), (200, 200)),  # an empty POST re-shows the form
    "profiles:settings": row((L, L), (200, 200)),
    "profiles:set_target": row((L, L), (405, 404)),  # no such track
    "profiles:set_status": row((L, L), (405, 302)),
    "profiles:history": row((L, L), (200, 405)),
    "profiles:report": row((L, L), (200, 405)),
    "profiles:report_pdf": row((L, L), (200, 405)),
    "profiles:export": row((L, L), (200, 405)),
    "profiles:delete": row((L, L), (200, 200)),  # no password: the form again
    "profiles:mentors": row((L, L), (200, 405)),
    "profiles:invite": row((L, L), (405, 302)),
    "profiles:mentoring": row((L, L), (200, 405)),
    # My plan: changes need a target (404 without one, as for everyone but the mentee here);
    # an empty POST is refused (400) and changes nothing.
    "profiles:plan": row((L, L), (200, 405)),
    "profiles:plan_pin": row((L, L), (405, 404), owner=(405, 400)),
    "profiles:plan_unpin": row((L, L), (405, 404), owner=(405, 400)),
    "profiles:plan_lose_week": row((L, L), (405, 404), owner=(405, 400)),
    "profiles:plan_restore_week": row((L, L), (405, 404), owner=(405, 400)),
    "profiles:plan_pace": row((L, L), (405, 404), owner=(405, 400)),
    "profiles:plan_token": row((L, L), (405, 302)),
    "profiles:plan_target": row((L, L), (405, 404)),  # no such target: neither track nor posting
    # The calendar feed is opened by calendar apps, with its token only: none here, so 404.
    "profiles:plan_ics": everyone((404, 405)),
    # The mentee's signed unsubscribe link works without logging in, for whoever holds it.
    "profiles:unsubscribe": everyone((200, 200)),
    # The mentee's profile: owner, admin and active mentor; 404 for everyone else.
    "profiles:public": {
        "anonymous": (404, 405),
        "owner": (200, 405),
        "mentor": (200, 405),
        "invitee": (404, 405),
        "former": (404, 405),
        "stranger": (404, 405),
        "editor": (404, 405),
        "superuser": (200, 405),
    },
    # The mentee's roadmap, read-only: as the profile; its owner goes to the track's own page.
    "profiles:roadmap": {
        "anonymous": (404, 405),
        "owner": (302, 405),
        "mentor": (200, 405),
        "invitee": (404, 405),
        "former": (404, 405),
        "stranger": (404, 405),
        "editor": (404, 405),
        "superuser": (200, 405),
    },
    # Mentor actions: 404 for whoever cannot see the profile, 403 for who sees but is no mentor.
    "profiles:write_note": row(
        (L, L), (405, 404), owner=(405, 403), mentor=(405, 302), superuser=(405, 403)
    ),
    "profiles:verify": row(
        (L, L), (405, 404), owner=(405, 403), mentor=(405, 302), superuser=(405, 403)
    ),
    # The mentee's pending invitation: only the mentee withdraws it (GET asks first).
    "profiles:withdraw": row((L, L), (404, 404), owner=(200, 302)),
    # The active mentorship: either side ends it; nobody else (a former mentor included).
    "profiles:end_mentorship": row((L, L), (404, 404), owner=(200, 302), mentor=(200, 302)),
    # The pending invitation's link: anyone signed in may accept it, except the mentee
    # (403) and the active mentor (200: "you already mentor", nothing created). A visitor
    # sees who invites them (200) and is sent to log in to accept.
    "profiles:accept": row((200, L), (200, 302), owner=(403, 403), mentor=(200, 200)),
    # Job postings: anyone may analyse one (an empty POST is a 400); saving needs a login.
    "profiles:jobs_new": everyone((200, 400)),
    "profiles:jobs": row((L, L), (200, 405)),
    "profiles:jobs_compare": row((L, L), (200, 405)),
    # A saved posting: seen like the profile (owner, admin, active mentor), acted on by its owner.
    "profiles:job": {
        "anonymous": (404, 405),
        "owner": (200, 405),
        "mentor": (200, 405),
        "invitee": (404, 405),
        "former": (404, 405),
        "stranger": (404, 405),
        "editor": (404, 405),
        "superuser": (200, 405),
    },
    "profiles:job_target": row((L, L), (405, 404), owner=(405, 302)),
    "profiles:job_delete": row((L, L), (405, 404), owner=(405, 302)),
}


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    track = make_track(n_steps=1, skills_per_step=2)
    owner = UserFactory(username="mentee")
    Profile.objects.filter(user=owner).update(target_track=track)
    skill = SkillFactory(slug="done-skill")
    set_progress(owner, skill, status="done", note="private")
    users = {
        "owner": owner,
        "mentor": UserFactory(username="mentor"),
        "invitee": UserFactory(username="invitee"),
        "former": UserFactory(username="former"),
        "stranger": UserFactory(username="stranger"),
        "editor": EditorFactory(username="editor"),
        "superuser": UserFactory(username="admin", is_staff=True, is_superuser=True),
    }
    invitation, token = mentoring_services.create_invitation(owner, users["invitee"].email)
    active = Mentorship.objects.create(mentee=owner, mentor=users["mentor"])
    ended = Mentorship.objects.create(mentee=owner, mentor=users["former"])
    mentoring_services.end_mentorship(ended, owner)
    posting = JobPosting.objects.create(owner=owner, title="A job", text="Python")
    args = {
        "profiles:job": {"pk": posting.pk},
        "profiles:job_target": {"pk": posting.pk},
        "profiles:job_delete": {"pk": posting.pk},
        "careers:track": {"slug": track.slug},
        "careers:skill": {"slug": skill.slug},
        "profiles:set_status": {"slug": skill.slug},
        "profiles:public": {"username": owner.username},
        "profiles:roadmap": {"username": owner.username},
        "profiles:write_note": {"username": owner.username},
        "profiles:verify": {"username": owner.username, "slug": skill.slug},
        "profiles:withdraw": {"pk": invitation.pk},
        "profiles:end_mentorship": {"pk": active.pk},
        "profiles:accept": {"token": token},
        "profiles:unsubscribe": {"token": digests.unsubscribe_signer().sign(str(owner.pk))},
    }
    plans.settings_for(owner)
    post_data = {"profiles:write_note": {"text": "A note from the matrix"}}
    return sessions_of(users), args, post_data


def sessions_of(users: dict) -> dict[str, str]:
    """Each role's session key, logged in once: the requests below only present it."""
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def call(sessions, role, method, url, data=None):
    """The status of one request, in a savepoint rolled back afterwards; 500 on an exception."""
    client = Client()
    if role != "anonymous":
        # The session row outlives each savepoint: a logout inside one is rolled back.
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    with transaction.atomic():
        try:
            response = getattr(client, method)(url, data or {})
            status = response.status_code
            location = response.get("Location", "")
        except Exception as error:  # noqa: BLE001 - any exception is the 500 we look for
            status, location = 500, repr(error)
        transaction.set_rollback(True)
    return status, location


def fill(route: str, kwargs: dict) -> str:
    for name, value in kwargs.items():
        route = re.sub(rf"<(?:\w+:)?{name}>", str(value), route)
    return "/" + route


def test_every_url_has_a_row():
    names = {name for route, name in walk() if not route.startswith(RULE_PREFIXES)}
    assert None not in names, "every URL outside /admin/ and /accounts/ needs a name"
    missing = names - EXPECTED.keys()
    assert not missing, f"URLs without a row in the authorization matrix: {sorted(missing)}"
    assert not EXPECTED.keys() - names, "rows for URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_matrix(world, name):
    sessions, args, post_data = world
    route = next(route for route, url_name in walk() if url_name == name)
    url = fill(route, args.get(name, {}))
    wrong = []
    for role in ROLES:
        for index, method in enumerate(("get", "post")):
            expected = EXPECTED[name][role][index]
            status, location = call(sessions, role, method, url, post_data.get(name))
            if status != expected:
                wrong.append(f"{method.upper()} {url} as {role}: {status}, expected {expected}")
            elif (
                # Anonymous visitors of signed-in pages are sent to log in, and back.
                role == "anonymous"
                and name.startswith("profiles:")
                and expected == 302
                and not location.startswith("/accounts/login/?next=")
            ):
                wrong.append(f"{method.upper()} {url} as {role}: redirected to {location}")
    assert not wrong, "\n".join(wrong)


# Rule: /admin/ and /accounts/ never answer with a server error -------------------------

SAMPLE = {
    "object_id": "1",
    "content_type_id": "1",
    "id": "1",
    "app_label": "careers",
    "url": "no/such/page/",
    "key": "not-a-key",
    "uidb36": "1",
}


def concrete(route: str) -> str:
    """A URL for a route, regular-expression routes included, with sample arguments."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE[m.group(1)], route)
    route = re.sub(
        r"\(\?P<(\w+)>[^()]*(?:\([^()]*\)[^()]*)*\)", lambda m: SAMPLE[m.group(1)], route
    )
    return "/" + route.replace("^", "").replace("$", "")


@pytest.mark.parametrize("prefix", RULE_PREFIXES)
def test_admin_and_account_urls_never_fail(world, prefix):
    sessions = world[0]
    urls = sorted({concrete(route) for route, _ in walk() if route.startswith(prefix)})
    assert urls
    failures = []
    for url in urls:
        for role in ROLES:
            for method in ("get", "post"):
                status, detail = call(sessions, role, method, url)
                if status >= 500:
                    failures.append(f"{method.upper()} {url} as {role}: {status} {detail}")
    assert not failures, "\n".join(failures)


def matrix_size() -> tuple[int, int, int]:
    """URLs × roles × methods, for the closing note."""
    return len(list(walk())), len(ROLES), 2
