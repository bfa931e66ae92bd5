"""A signed-in page's shared part, rendered once and reused; only its personal parts each time.

Most of a page like the signed-in track page is the same for everyone signed in: the
header, the track's facts, its essay, the drawer. `render_with_shell` renders the template
once per key (the view's key, language, time zone, path, staff or not) with the personal parts
left out: each `{% personal "template" %}` leaves a marker where that template would be
included, each `{% personal_value expression %}` one where the value would be printed, and
the CSRF token a placeholder. Each request then renders only those, with the person's own
context, and joins them into the shell.

The shell is built from a stand-in, never from the person asking: the request's user is
one with no name and no data (only whether they are staff, which is in the key), there are
no messages, and the view's personal values are an empty stand-in. So nothing personal can
reach a shell, even if a template prints it outside a personal part; it would print the
stand-in's nothing, which a test would see.
"""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass

from django import template
from django.contrib.auth.models import AnonymousUser
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines
from django.template.base import render_value_in_context, token_kwargs
from django.template.context import make_context
from django.utils import timezone
from django.utils.autoreload import file_changed
from django.utils.translation import get_language

register = template.Library()

SHELL = "page_shell_recorder"  # the context key that marks a shell being built
MAX_SHELLS = 500  # a shell is about 20-40 KB; one per (page, language, content version)


class StandInUser(AnonymousUser):
    """Signed in, staff or not, with no name and no data: all a shell may know of anyone."""

    def __init__(self, is_staff: bool):
        self.is_staff = is_staff

    @property
    def is_anonymous(self):
        return False

    @property
    def is_authenticated(self):
        return True


class StandIn:
    """A personal value while a shell is built: true in an {% if %}, empty when printed."""

    def __bool__(self):
        return True

    def __str__(self):
        return ""

    def __iter__(self):
        return iter(())


@dataclass(frozen=True)
class Part:
    """A personal part: a template rendered with the person's context (and its `with` values)."""

    name: str
    extra: tuple[tuple[str, template.base.FilterExpression], ...] = ()

    def render(self, context) -> str:
        part = context.template.engine.get_template(self.name)
        values = {name: value.resolve(context) for name, value in self.extra}
        with context.push(**values):
            return part.render(context)


@dataclass(frozen=True)
class Value:
    """A personal value, printed as {{ }} would print it."""

    expression: template.base.FilterExpression

    def render(self, context) -> str:
        return render_value_in_context(self.expression.resolve(context), context)


@dataclass
class _Recorder:
    """Collects the personal parts and values while a shell is built."""

    nonce: str
    holes: list[Part | Value]

    def mark(self, hole: Part | Value) -> str:
        self.holes.append(hole)
        return f"<!--{self.nonce}:{len(self.holes) - 1}-->"


@dataclass(frozen=True)
class Shell:
    """The shared text with the places of the personal parts and values and the CSRF token."""

    texts: tuple[str, ...]  # one more than holes
    holes: tuple[Part | Value | None, ...]  # None for the CSRF token


class PersonalNode(template.Node):
    def __init__(self, hole: Part | Value):
        self.hole = hole

    def render(self, context):
        recorder = context.get(SHELL)
        if recorder is not None:
            return recorder.mark(self.hole)
        return self.hole.render(context)


@register.tag
def personal(parser, token):
    """{% personal "template.html" [with name=value ...] %}: an include that a shell leaves
    out, filled in per request."""
    bits = token.split_contents()
    name = bits[1] if len(bits) > 1 else ""
    extra = token_kwargs(bits[3:], parser, support_legacy=False) if len(bits) > 3 else {}
    if (
        len(name) < 2
        or name[0] not in "\"'"
        or name[0] != name[-1]
        or (len(bits) > 2 and (bits[2] != "with" or not extra or len(extra) != len(bits) - 3))
    ):
        raise template.TemplateSyntaxError(
            '{% personal %} takes a quoted template name, then "with" and name=value pairs'
        )
    return PersonalNode(Part(name[1:-1], tuple(extra.items())))


@register.tag
def personal_value(parser, token):
    """{% personal_value user.get_username %}: a {{ }} that a shell leaves out, filled in later."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% personal_value %} takes one expression")
    return PersonalNode(Value(parser.compile_filter(bits[1])))


_shells: dict[tuple, Shell] = {}


@receiver(file_changed, dispatch_uid="page_shells_file_changed")
def forget_shells(sender, file_path, **kwargs):
    """Under runserver an edited template shows at once, as Django's own loaders reset."""
    if file_path.suffix != ".py":
        _shells.clear()


def _build(request, template_name: str, shared: dict, personal_names) -> Shell:
    nonce = secrets.token_hex(16)
    placeholder = secrets.token_hex(16)
    recorder = _Recorder(nonce, [])
    stand_in_request = copy.copy(request)
    stand_in_request.user = StandInUser(is_staff=request.user.is_staff)
    stand_in_request._messages = []
    # config.visitor_cache.csrf_placeholder puts it where the token goes.
    stand_in_request.csrf_placeholder = placeholder
    context = {**shared, **{name: StandIn() for name in personal_names}, SHELL: recorder}
    html = engines["django"].get_template(template_name).render(context, stand_in_request)
    texts, holes, at = [], [], 0
    for found in re.finditer(f"<!--{nonce}:(\\d+)-->|{placeholder}", html):
        texts.append(html[at : found.start()])
        holes.append(recorder.holes[int(found[1])] if found[1] else None)
        at = found.end()
    texts.append(html[at:])
    return Shell(tuple(texts), tuple(holes))


def render_with_shell(
    request, template_name: str, shared: dict, own: dict, key: tuple
) -> HttpResponse:
    """The page as render() would draw it, from a shell per key and the request's own parts.

    `key` must name everything `shared` depends on (the object and its content version);
    the template name, the language, the time zone, the path and whether the person is staff
    are added.
    `own` holds the values only the personal parts may show.
    """
    if request.META.get("QUERY_STRING"):
        # The language switcher sends the reader back to the page with its query, which is
        # theirs: such a page is rendered in full.
        return render(request, template_name, {**shared, **own})
    # What the shared part may read of the request: none of it is personal.
    zone = timezone.get_current_timezone_name()
    full_key = (template_name, get_language(), zone, request.path, request.user.is_staff, *key)
    shell = _shells.get(full_key)
    if shell is None:
        shell = _build(request, template_name, shared, own)
        if len(_shells) >= MAX_SHELLS:
            _shells.clear()
        _shells[full_key] = shell
    engine = engines["django"].engine
    page = engine.get_template(template_name)
    context = make_context({**shared, **own}, request, autoescape=engine.autoescape)
    out = [shell.texts[0]]
    # Bound once to the page, as its own includes would be; one token for the whole page.
    with context.bind_template(page):
        token = str(context["csrf_token"])
        for hole, text in zip(shell.holes, shell.texts[1:], strict=True):
            out.append(token if hole is None else hole.render(context))
            out.append(text)
    return HttpResponse("".join(out))
