"""Every route of the URLconf as a template, and a site with a client per role to visit
them: tests built on these cover a new URL as soon as it exists."""

import re
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from careers.models import Skill
from profiles.models import Mentorship, Profile
from profiles.progress import set_progress

from .factories import UserFactory, make_track

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<group>\w+)>")


def routes(patterns=None, prefix=""):
    """Every route in the URLconf as a template: '/u/{username}/skills/{slug}/verify/'."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern):
            text = _regex_to_template(text)
        else:
            text = _PARAMETER.sub(lambda m: "{" + m["name"] + "}", text)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + text)
        else:
            yield "/" + prefix + text


def _regex_to_template(regex: str) -> str:
    out, depth, i = [], 0, 0
    while i < len(regex):
        match = re.match(r"\(\?P<(\w+)>", regex[i:])
        if match and depth == 0:
            out.append("{" + match[1] + "}")
            depth, i = 1, i + match.end()
            continue
        char = regex[i]
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        elif char not in "^$\\":
            out.append(char)
        i += 1
    return "".join(out)


def route_names(route: str) -> list[str]:
    return re.findall(r"{(\w+)}", route)


class Site:
    """Everyone and everything the pages need, and a client per role."""

    def __init__(self):
        self.track = make_track(n_steps=1, skills_per_step=3, slug="data")
        self.skill = Skill.objects.filter(step_skills__track=self.track).first()
        self.learner = UserFactory(username="learner")
        self.mentor = UserFactory(username="guide")
        self.boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
        Profile.objects.filter(user=self.learner).update(target_track=self.track)
        self.mentorship = Mentorship.objects.create(mentee=self.learner, mentor=self.mentor)
        set_progress(self.learner, self.skill, status="done", evidence_url="https://x.example/")
        self.clients = {"anonymous": Client()}
        for role in ("learner", "mentor", "boss"):
            self.clients[role] = Client()
            self.clients[role].force_login(getattr(self, role))

    def value(self, route: str, name: str) -> str:
        """A valid value for a path parameter, so the request reaches the view's logic."""
        if name == "slug":
            return self.track.slug if route.startswith("/tracks/") else self.skill.slug
        if name == "username":
            return self.learner.username
        if name == "pk":
            return str(self.mentorship.pk)
        if name == "content_type_id":
            return str(ContentType.objects.get_for_model(Skill).pk)
        if name in ("object_id", "id"):
            model = _admin_model(route)
            found = model.objects.order_by("pk").first() if model else None
            return str(found.pk) if found else "1"
        return "x"

    def url(self, route: str, **hostile) -> str:
        values = {
            name: hostile.get(name) or quote(self.value(route, name), safe="")
            for name in route_names(route)
        }
        return route.format(**values)


def _admin_model(route: str):
    match = re.match(r"/admin/(\w+)/(\w+)/", route)
    if not match:
        return None
    try:
        return ContentType.objects.get_by_natural_key(*match.groups()).model_class()
    except ContentType.DoesNotExist:
        return None
