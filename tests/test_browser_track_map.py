"""The track page as a map in a browser: where it starts and how tall it is at 1280 and 375 px,
the skill panel beside it (mouse, keyboard, Back, reload, a status change updating the map),
tracing prerequisites, the plain links without JavaScript, and axe on the open panel."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from careers.models import Skill, Track
from profiles.models import SkillProgress
from profiles.progress import set_progress

from .factories import SkillFactory, StepFactory, StepSkillFactory, TrackFactory, UserFactory

try:
    from axe_playwright_python.base import AXE_SCRIPT
except ImportError:  # pragma: no cover - the browser fixture skips first
    AXE_SCRIPT = ""

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
MAP_TOP_BUDGET = 400  # px from the top of the page to the first step, at 1280 x 800
LANGUAGES = {"en": "en-US", "zh-hans": "zh-CN"}
NAMES = [
    "Distributed training with data, tensor and pipeline parallelism",
    "Linux and the shell",
    "Deduplication: exact, near-duplicate and semantic",
    "Kubernetes basics",
    "Quantisation and model compression",
    "Evaluation sets and benchmark design",
    "GPU memory and KV-cache optimisation",
    "Python for engineering work",
]

MEASURE = """() => {
  const top = el => el.getBoundingClientRect().top + window.scrollY;
  const map = document.querySelector('#roadmap');
  const first = document.querySelector('.map-outside, .map-step');
  return {
    mapTop: Math.round(top(map)),
    firstStepTop: Math.round(top(first)),
    mapHeight: Math.round(map.getBoundingClientRect().height),
    pageHeight: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
    nodes: document.querySelectorAll('.map-steps .map-node').length,
  };
}"""


@pytest.fixture
def world(transactional_db, import_bundled_content):
    """The bundled content, a 40-skill track drawn from its catalogue, and a learner."""
    import_bundled_content()
    # Forty skills with names as long as real ones, each needing one of the step before,
    # and two prerequisites from outside the track.
    outside = [SkillFactory(name=f"Outside prerequisite {n}", hours=20) for n in range(2)]
    big = TrackFactory(slug="forty", name="Forty skills", order=99)
    previous = []
    for number in range(8):
        step = StepFactory(track=big, title=f"Step {number + 1} of the long road", order=number)
        current = []
        for position in range(5):
            name = NAMES[(number * 5 + position) % len(NAMES)]
            skill = SkillFactory(name=f"{name} {number}{position}", hours=10 + position * 6)
            skill.prerequisites.add(*(previous[position : position + 1] or outside[:1]))
            StepSkillFactory(
                step=step,
                skill=skill,
                order=position,
                importance="core" if position < 4 else "optional",
            )
            current.append(skill)
        previous = current
    previous[0].prerequisites.add(outside[1])
    learner = UserFactory(username="learner", email="learner@example.com")
    data = Track.objects.get(slug="llm-data-engineer")
    linked = list(Skill.objects.filter(step_skills__track=data).order_by("step_skills__order"))
    for skill in linked[:6]:
        set_progress(learner, skill, status="done")
    set_progress(learner, linked[6], status="learning")
    set_progress(learner, linked[7], status="skipped")
    return {"learner": learner, "big": big, "data": data, "linked": linked}


def _context(browser, live_server, user=None, viewport=DESKTOP, locale="en-US", **options):
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport=viewport, **options
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "learner"])
def test_a_forty_skill_map_starts_high_and_fits_two_screens_at_1280(
    browser, live_server, world, signed_in
):
    user = world["learner"] if signed_in else None
    context, page = _context(browser, live_server, user)
    try:
        page.goto("/tracks/forty/")
        figures = page.evaluate(MEASURE)
        print(f"\n1280 px, 40 skills, {'learner' if signed_in else 'visitor'}: {figures}")
        assert figures["nodes"] == 40
        assert figures["firstStepTop"] <= MAP_TOP_BUDGET, figures
        assert figures["mapHeight"] <= 2 * DESKTOP["height"], figures
        assert figures["scrollWidth"] <= DESKTOP["width"], figures
        # Every bundled track: the map starts within the budget (the data engineer's first
        # step too) and fits two screens, whatever the length of its name and tagline.
        bundled = Track.objects.filter(published=True).exclude(pk=world["big"].pk)
        for slug in bundled.values_list("slug", flat=True):
            page.goto(f"/tracks/{slug}/")
            figures = page.evaluate(MEASURE)
            print(f"1280 px, {slug}: {figures}")
            assert figures["mapTop"] <= MAP_TOP_BUDGET, (slug, figures)
            if slug == "llm-data-engineer":
                assert figures["firstStepTop"] <= MAP_TOP_BUDGET, figures
            assert figures["mapHeight"] <= 2 * DESKTOP["height"], (slug, figures)
            assert figures["scrollWidth"] <= DESKTOP["width"], (slug, figures)
    finally:
        context.close()


def test_the_phone_map_is_one_column_without_sideways_scrolling(browser, live_server, world):
    context, page = _context(browser, live_server, world["learner"], viewport=PHONE)
    try:
        for path in ("/tracks/forty/", "/tracks/llm-data-engineer/"):
            page.goto(path)
            figures = page.evaluate(MEASURE)
            print(f"\n375 px, {path}: {figures}")
            assert figures["scrollWidth"] <= PHONE["width"], figures
            assert figures["firstStepTop"] < PHONE["height"], "the map starts on the first screen"
            lefts = page.eval_on_selector_all(
                ".map-step:first-child .map-node", "nodes => nodes.map(n => n.offsetLeft)"
            )
            assert len(set(lefts)) == 1, "one node a row"
    finally:
        context.close()


def test_the_panel_opens_beside_the_map_and_closes_back_to_the_node(browser, live_server, world):
    context, page = _context(browser, live_server, world["learner"])
    try:
        page.goto("/tracks/llm-data-engineer/")
        page.evaluate("window.noReload = true")
        slug = world["linked"][9].slug
        node_link = page.locator(f"#node-{slug} .map-node-link")
        drawer = page.locator("#skill-drawer")

        # Mouse: the panel opens, the URL is the skill's, the map stays.
        node_link.click()
        expect(drawer).to_be_visible()
        expect(page.locator("#panel-title")).to_be_focused()
        assert page.url.endswith(f"/skills/{slug}/")
        assert page.locator("#roadmap").is_visible()
        assert page.locator(f"#node-{slug}").get_attribute("class").count("is-current") == 1
        page.get_by_role("button", name="Close the skill panel").click()
        expect(drawer).to_be_hidden()
        expect(node_link).to_be_focused()
        assert page.url.endswith("/tracks/llm-data-engineer/")

        # Keyboard: Enter opens, Escape closes and focus returns to the node.
        node_link.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#panel-title")).to_be_focused()
        page.keyboard.press("Escape")
        expect(drawer).to_be_hidden()
        expect(node_link).to_be_focused()

        # Back closes the panel; forward opens it again.
        node_link.click()
        expect(drawer).to_be_visible()
        page.go_back()
        expect(drawer).to_be_hidden()
        assert page.url.endswith("/tracks/llm-data-engineer/")
        page.go_forward()
        expect(drawer).to_be_visible()
        expect(page.locator("#panel-title")).to_have_text(world["linked"][9].name)
        assert page.evaluate("window.noReload") is True, "the page reloaded"

        # A reload of the panel's URL is the skill's full page.
        page.reload()
        expect(page.locator("h1")).to_have_text(world["linked"][9].name)
        assert page.locator("#roadmap").count() == 0
    finally:
        context.close()


def test_a_status_change_in_the_panel_updates_the_node_and_the_readiness(
    browser, live_server, world
):
    context, page = _context(browser, live_server, world["learner"])
    try:
        page.goto("/tracks/llm-data-engineer/")
        readiness = page.locator("#track-readiness")
        before = readiness.inner_text()
        skill = world["linked"][8]
        page.locator(f"#node-{skill.slug} .map-node-link").click()
        done = page.get_by_role("button", name=f"Mark {skill.name} as done")
        done.click()
        expect(page.locator(f"#node-{skill.slug}")).to_contain_text("Done")
        expect(readiness).not_to_have_text(before)
        # htmx settles attributes a moment after the content: wait for the class, not just the text.
        node = page.locator(f"#node-{skill.slug}")
        expect(node).to_have_class(re.compile(r"\bstatus-done\b"))
        expect(done).to_have_attribute("aria-pressed", "true")
        expect(done).to_be_focused()  # htmx keeps the focus on the pressed button
        # The panel is still open and the node still marked as the open one.
        assert page.locator("#skill-drawer").is_visible()
        expect(node).to_have_class(re.compile(r"\bis-current\b"))
        # The note and the evidence link are saved in place too, with a confirmation.
        page.locator("#skill-drawer").get_by_label("Personal note").fill("Course half done.")
        page.get_by_role("button", name="Save note and link").click()
        expect(page.locator("#skill-drawer")).to_contain_text("Note and link saved.")
        assert page.locator("#roadmap").is_visible()
        # A refused link comes back inside the panel, the error beside the field.
        link = page.locator("#skill-drawer").get_by_label("Evidence link")
        link.evaluate("field => field.setAttribute('type', 'text')")
        link.fill("javascript:alert(1)")
        page.get_by_role("button", name="Save note and link").click()
        expect(page.locator("#skill-drawer #evidence-errors")).to_have_text("Enter a valid URL.")
        expect(link).to_have_attribute("aria-invalid", "true")
        assert page.locator("#roadmap").is_visible()
        link.fill("")
        page.get_by_role("button", name="Save note and link").click()
        expect(page.locator("#skill-drawer")).to_contain_text("Note and link saved.")
        page.keyboard.press("Escape")
        expect(page.locator(f"#node-{skill.slug} .map-node-link")).to_be_focused()
        assert SkillProgress.objects.get(user=world["learner"], skill=skill).note == (
            "Course half done."
        )
    finally:
        context.close()


def test_a_node_lights_up_what_it_needs_and_unlocks(browser, live_server, world):
    data = world["data"]
    needy = next(
        skill
        for skill in Skill.objects.filter(step_skills__track=data, prerequisites__isnull=False)
        .prefetch_related("prerequisites")
        .distinct()
        if any(p.step_skills.filter(track=data).exists() for p in skill.prerequisites.all())
    )
    prerequisite = next(
        p for p in needy.prerequisites.all() if p.step_skills.filter(track=data).exists()
    )
    context, page = _context(browser, live_server, world["learner"])
    try:
        page.goto("/tracks/llm-data-engineer/")
        page.locator(f"#node-{needy.slug} .map-node-link").hover()
        expect(page.locator(f"#node-{prerequisite.slug}")).to_have_attribute(
            "data-trace", "needed first"
        )
        assert "is-tracing" in page.locator("#roadmap").get_attribute("class")
        page.locator(f"#node-{prerequisite.slug} .map-node-link").focus()
        expect(page.locator(f"#node-{needy.slug}")).to_have_attribute("data-trace", "unlocks next")
        # Arrow keys walk the nodes in roadmap order.
        first = page.locator(".map-steps .map-node-link").first
        first.focus()
        page.keyboard.press("ArrowRight")
        expect(page.locator(".map-steps .map-node-link").nth(1)).to_be_focused()
        page.keyboard.press("Home")
        expect(first).to_be_focused()
    finally:
        context.close()


def test_a_tab_opens_its_part_of_the_essay_below_the_map(browser, live_server, world):
    context, page = _context(browser, live_server)
    try:
        page.goto("/tracks/llm-data-engineer/")
        suits = page.locator("#who-it-suits")
        assert suits.get_attribute("open") is None, "closed until asked for"
        tabs = page.locator(".track-tabs")
        expect(tabs.locator("[aria-current]")).to_have_count(0)  # a jump bar: no claim yet
        tabs.get_by_role("link", name="Who it suits").click()
        expect(suits).to_have_attribute("open", "")
        # The tab followed is marked as where the reader is, and only that one.
        expect(tabs.get_by_role("link", name="Who it suits")).to_have_attribute(
            "aria-current", "location"
        )
        expect(tabs.locator("[aria-current]")).to_have_count(1)
        page.goto("/tracks/llm-data-engineer/#getting-in")  # a shared address opens it too
        expect(page.locator("#getting-in")).to_have_attribute("open", "")
        expect(tabs.locator("[aria-current]")).to_have_text("Getting in")
        tabs.get_by_role("link", name="Roadmap").click()
        expect(tabs.locator("[aria-current]")).to_have_text("Roadmap")
    finally:
        context.close()


def test_without_javascript_a_node_is_a_link_and_the_status_form_works(browser, live_server, world):
    context, page = _context(browser, live_server, world["learner"], java_script_enabled=False)
    try:
        page.goto("/tracks/llm-data-engineer/")
        skill = world["linked"][10]
        page.locator(f"#node-{skill.slug} .map-node-link").click()
        page.wait_for_url(f"**/skills/{skill.slug}/")
        page.get_by_role("button", name=f"Mark {skill.name} as learning").click()
        page.wait_for_url(f"**/skills/{skill.slug}/**")
        page.goto("/tracks/llm-data-engineer/")
        assert "status-learning" in page.locator(f"#node-{skill.slug}").get_attribute("class")
    finally:
        context.close()


def _violations(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_and_the_open_panel_pass_axe_in_both_themes(browser, live_server, world, language):
    problems = []
    for theme in ("light", "dark"):
        for user in (None, world["learner"]):
            context, page = _context(
                browser, live_server, user, locale=LANGUAGES[language], color_scheme=theme
            )
            try:
                page.goto("/tracks/llm-data-engineer/")
                where = f"{theme} {'learner' if user else 'visitor'}"
                problems += [f"map {where}: {p}" for p in _violations(page)]
                page.locator(".map-steps .map-node-link").nth(3).click()
                expect(page.locator("#panel-title")).to_be_focused()
                problems += [f"panel {where}: {p}" for p in _violations(page)]
            finally:
                context.close()
    assert not problems, "\n".join(problems)


def test_a_prerequisite_named_in_the_panel_opens_in_the_panel(browser, live_server, world):
    data = world["data"]
    needy = next(
        skill
        for skill in world["linked"]
        if skill.prerequisites.filter(step_skills__track=data).exists()
    )
    prerequisite = needy.prerequisites.filter(step_skills__track=data).first()
    context, page = _context(browser, live_server, world["learner"])
    try:
        page.goto("/tracks/llm-data-engineer/")
        page.locator(f"#node-{needy.slug} .map-node-link").click()
        expect(page.locator("#panel-title")).to_have_text(needy.name)
        page.locator("#skill-drawer").get_by_role("link", name=prerequisite.name).click()
        expect(page.locator("#panel-title")).to_have_text(prerequisite.name)
        assert page.url.endswith(f"/skills/{prerequisite.slug}/")
        page.keyboard.press("Escape")
        expect(page.locator("#skill-drawer")).to_be_hidden()
        assert page.url.endswith("/tracks/llm-data-engineer/")
    finally:
        context.close()


def test_on_a_phone_the_panel_is_a_full_screen_sheet(browser, live_server, world):
    context, page = _context(browser, live_server, world["learner"], viewport=PHONE)
    try:
        page.goto("/tracks/llm-data-engineer/")
        node_link = page.locator(".map-steps .map-node-link").nth(2)
        node_link.click()
        expect(page.locator("#panel-title")).to_be_focused()
        box = page.locator("#skill-drawer").bounding_box()
        assert (box["x"], box["width"]) == (0, PHONE["width"])
        assert page.evaluate("document.querySelector('main').inert") is True
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("button", name="Close the skill panel").click()
        expect(node_link).to_be_focused()
        assert page.evaluate("document.querySelector('main').inert") is False
    finally:
        context.close()


# The panel slides in and the essay's disclosure arrows turn; nothing else on the map moves.
DURATIONS = """() => [
  getComputedStyle(document.querySelector('#skill-drawer')),
  getComputedStyle(document.querySelector('.disclosure > summary'), '::before'),
].map(style => Math.max(...style.transitionDuration.split(',').map(parseFloat)))"""


def test_reduced_motion_turns_the_maps_and_panels_movement_off(browser, live_server, world):
    for motion, moving in (("no-preference", True), ("reduce", False)):
        context, page = _context(browser, live_server, reduced_motion=motion)
        try:
            page.goto("/tracks/forty/")
            # Seconds, as the browser computes them: 0.01 ms is what the reduced CSS leaves.
            durations = page.evaluate(DURATIONS)
            if moving:
                assert all(seconds >= 0.05 for seconds in durations), durations
            else:
                assert all(seconds <= 0.00001 for seconds in durations), durations
        finally:
            context.close()
