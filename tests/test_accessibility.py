"""Accessibility audit: every page each role can reach, in English and Chinese, light and dark.

For each role (visitor, signed-in learner, mentor, content editor; the admin aside) the audit
opens every page that role reaches, in both languages, and checks with axe-core (through
axe-playwright-python) that no rule of serious or critical impact is violated. The same page
is then opened in dark mode for axe's colour-contrast rule, and at 375 px wide, where it must
not scroll sideways. Every page also has exactly one h1 and a skip link to the main landmark.

One test per role: the data is made once per test and every failure of the role is
collected into one readable message (page, language, theme, rule, impact, targets).
AXE_ALL=1 reports moderate and minor findings too, for a look around.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from careers.models import Skill, Track
from profiles.mentoring_services import create_invitation, hash_token, withdraw_invitation
from profiles.models import MentorInvitation, MentorNote, Mentorship, Profile, SkillProgress
from profiles.progress import set_progress

from .factories import EditorFactory, UserFactory

try:
    from axe_playwright_python.base import AXE_SCRIPT
except ImportError:  # pragma: no cover - the browser fixture skips first
    AXE_SCRIPT = ""

LANGUAGES = {"en": "en-US", "zh-hans": "zh-CN"}
PHONE_WIDTH = 375
BLOCKING = {"serious", "critical"}
DEBUG_ALL = os.environ.get("AXE_ALL") == "1"  # report every impact, for a look around
TARGET = "llm-data-engineer"

# Pages each role reaches, and the answers that are not a plain 200.
EXPECTED_STATUS = {
    "/no-such-page/": 404,
    "/advisor/?background=not-an-answer": 400,
    "/admin/": 403,  # a learner in the admin: told they have no access
    "/mentoring/accept/a-withdrawn-link/": 410,  # says so before asking anyone to log in
}
VISITOR_PAGES = [
    "/",
    "/tracks/",
    f"/tracks/{TARGET}/",
    "/skills/python/",
    "/advisor/",
    "/advisor/?background=software&experience=1-3&interests=data&interests=infra&domain=no",
    "/how-progress-is-computed/",
    "/search/?q=python",
    "/search/?q=%25%25%25",  # the empty state of a junk query
    "/skills/",
    "/u/learner/",  # public
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-not-a-key/",
    "/accounts/confirm-email/not-a-key/",
    "/accounts/confirm-email/",  # "check your e-mail", after signing up
    "/advisor/?background=not-an-answer",  # the form with its errors
    "/mentoring/accept/{token}/",  # who invites, before logging in
    "/mentoring/accept/a-withdrawn-link/",
    "/no-such-page/",
]
LEARNER_PAGES = [
    "/me/",
    "/me/welcome/",
    "/me/settings/",
    "/me/mentors/",
    "/me/history/",
    "/me/plan/",
    "/me/report/",
    "/me/delete/",
    "/me/mentors/invitations/{invitation}/withdraw/",  # the confirmation page
    f"/tracks/{TARGET}/",
    "/skills/python/",
    "/search/?q=量化",
    f"/skills/?track={TARGET}&sort=roadmap",
    "/advisor/?background=data-ml&experience=3-5&interests=models&domain=yes",
    "/mentoring/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
    "/u/learner/",
    "/admin/",
    "/no-such-page/",
]
# A mentor and an editor also reach the learner's pages; these are the ones that differ.
MENTOR_PAGES = [
    "/mentoring/",
    "/u/learner/",  # a mentee's profile, with verification and notes
    "/mentoring/accept/{token}/",
    "/u/learner/roadmap/",  # the mentee's roadmap, read-only
    "/mentoring/{mentorship}/end/",  # the confirmation page
    "/me/",
]
EDITOR_PAGES = [
    "/",
    "/me/",
    f"/tracks/{TARGET}/",
    "/skills/python/",
]


@dataclass
class Audit:
    problems: list[str] = field(default_factory=list)
    visits: int = 0

    def add(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}")


@pytest.fixture
def world(transactional_db, import_bundled_content):
    """The bundled content, a learner with progress, their mentor, an editor."""
    import_bundled_content()
    # A transactional test starts from empty tables: the group of the data migration is gone.
    Group.objects.get_or_create(name="Content editors")
    learner = UserFactory(username="learner", email="learner@example.com")
    mentor = UserFactory(username="mentor", email="mentor@example.com")
    editor = EditorFactory(username="editor", email="editor@example.com")
    newcomer = UserFactory(username="newcomer", email="newcomer@example.com")
    track = Track.objects.get(slug=TARGET)
    Profile.objects.filter(user=learner).update(
        target_track=track, background="software", weekly_hours=6, visibility="public"
    )
    Profile.objects.filter(user=editor).update(target_track=track)
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    for skill in skills[:5]:
        set_progress(learner, skill, status="done")
    set_progress(learner, skills[5], status="learning", note="Halfway through the course.")
    set_progress(learner, skills[6], status="skipped")
    python = Skill.objects.get(slug="python")
    set_progress(learner, python, status="done", evidence_url="https://example.com/my-project")
    set_progress(editor, python, status="learning")
    mentorship = Mentorship.objects.create(mentee=learner, mentor=mentor)
    SkillProgress.objects.filter(user=learner, skill=skills[0]).update(
        verified_by=mentor, verified_at=timezone.now()
    )
    MentorNote.objects.create(mentorship=mentorship, skill=python, text="Good work: go on.")
    MentorNote.objects.create(mentorship=mentorship, text="Try the dedup project next.")
    # An invitation from the newcomer, pending: the mentor sees the accept page.
    _invitation, token = create_invitation(newcomer)
    # And one from the learner, to withdraw; and one withdrawn already, at a known address.
    invitation, _token = create_invitation(learner)
    withdrawn, _token = create_invitation(learner)
    MentorInvitation.objects.filter(pk=withdrawn.pk).update(
        token_hash=hash_token("a-withdrawn-link")
    )
    withdrawn.refresh_from_db()
    withdraw_invitation(withdrawn)
    return {
        "learner": learner,
        "mentor": mentor,
        "editor": editor,
        "token": token,
        "mentorship": mentorship.pk,
        "invitation": invitation.pk,
    }


def _context(browser, live_server, user, locale):
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900}
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _violations(page, rules=None) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line per rule."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = page.evaluate("options => axe.run(document, options)", options)
    found = []
    for violation in results["violations"]:
        if DEBUG_ALL or violation["impact"] in BLOCKING:
            nodes = violation["nodes"]
            targets = "; ".join(", ".join(map(str, node["target"])) for node in nodes[:6])
            more = f" (+{len(nodes) - 6} more)" if len(nodes) > 6 else ""
            found.append(f"{violation['id']} ({violation['impact']}): {targets}{more}")
    return found


STRUCTURE = """() => {
  const skip = document.querySelector('a.skip-link');
  const main = document.querySelector('main');
  return {
    h1: document.querySelectorAll('h1').length,
    skip: skip ? skip.getAttribute('href') : null,
    mainId: main ? main.id : null,
    mains: document.querySelectorAll('main').length,
  };
}"""


def audit_pages(browser, live_server, user, paths) -> Audit:
    audit = Audit()
    for language, locale in LANGUAGES.items():
        context, page = _context(browser, live_server, user, locale)
        try:
            for path in paths:
                where = f"{path} [{language}]"
                response = page.goto(path)
                status = response.status if response else 0
                if status != EXPECTED_STATUS.get(path, 200):
                    audit.add(where, f"HTTP {status}")
                    continue
                lang = page.locator("html").get_attribute("lang")
                if lang != language:
                    audit.add(where, f"html lang is {lang!r}")
                structure = page.evaluate(STRUCTURE)
                if structure["h1"] != 1:
                    audit.add(where, f"{structure['h1']} h1 elements (want exactly 1)")
                if structure["mains"] != 1 or structure["skip"] != f"#{structure['mainId']}":
                    audit.add(where, f"skip link {structure['skip']!r} does not target main")
                for problem in _violations(page):
                    audit.add(where + " light", problem)

                # The same page in dark mode: colours only (the rest does not change).
                page.emulate_media(color_scheme="dark")
                for problem in _violations(page, ["color-contrast", "link-in-text-block"]):
                    audit.add(where + " dark", problem)
                page.emulate_media(color_scheme="light")

                # And on a phone: nothing wider than the screen.
                page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE_WIDTH:
                    wide = page.evaluate(WIDEST)
                    audit.add(where, f"scrolls sideways at {PHONE_WIDTH}px: {width}px; {wide}")
                page.set_viewport_size({"width": 1280, "height": 900})
                audit.visits += 1
        finally:
            context.close()
    return audit


WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''));
    if (wide.length > 4) break;
  }
  return wide.join(', ');
}"""


def _check(audit: Audit, expected_visits: int) -> None:
    assert not audit.problems, f"{len(audit.problems)} accessibility problem(s):\n" + "\n".join(
        audit.problems
    )
    assert audit.visits == expected_visits


def test_visitor_pages_are_accessible(browser, live_server, world):
    paths = [path.format(token=world["token"]) for path in VISITOR_PAGES]
    audit = audit_pages(browser, live_server, None, paths)
    _check(audit, len(VISITOR_PAGES) * len(LANGUAGES))


def test_signed_in_pages_are_accessible(browser, live_server, world):
    paths = [path.format(invitation=world["invitation"]) for path in LEARNER_PAGES]
    audit = audit_pages(browser, live_server, world["learner"], paths)
    _check(audit, len(paths) * len(LANGUAGES))


def test_mentor_pages_are_accessible(browser, live_server, world):
    paths = [
        path.format(token=world["token"], mentorship=world["mentorship"]) for path in MENTOR_PAGES
    ]
    audit = audit_pages(browser, live_server, world["mentor"], paths)
    _check(audit, len(paths) * len(LANGUAGES))


def test_content_editor_pages_are_accessible(browser, live_server, world):
    audit = audit_pages(browser, live_server, world["editor"], EDITOR_PAGES)
    _check(audit, len(EDITOR_PAGES) * len(LANGUAGES))


PRINTED = """() => {
  // Laid out at all: neither the element nor any of its ancestors is display: none.
  const shown = selector => [...document.querySelectorAll(selector)]
    .some(element => element.getClientRects().length > 0);
  return {
    header: shown('.site-header'),
    footer: shown('.site-footer'),
    buttons: shown('main button, main a.button'),  // no on-screen-only controls
    background: getComputedStyle(document.documentElement).backgroundColor,
    color: getComputedStyle(document.body).color,
    statuses: shown('.map-node .status-icon'),
  };
}"""


def test_the_track_page_and_the_gap_report_print_black_on_white(browser, live_server, world):
    """Printing leaves out the site's navigation and controls, in black on white, even in dark."""
    context, page = _context(browser, live_server, world["learner"], "en-US")
    try:
        page.emulate_media(media="print", color_scheme="dark")
        for path in (f"/tracks/{TARGET}/", "/me/report/"):
            page.goto(path)
            printed = page.evaluate(PRINTED)
            assert not printed["header"] and not printed["footer"], path
            assert not printed["buttons"], f"{path}: buttons are printed"
            assert printed["background"] == "rgb(255, 255, 255)", path
            assert printed["color"] == "rgb(0, 0, 0)", path
        page.goto(f"/tracks/{TARGET}/")
        assert page.evaluate(PRINTED)["statuses"], "the track page prints my statuses"
    finally:
        context.close()
