"""The map's nodes rendered once per look: the same HTML as the node template, reused from
memory, and a different node or state (a content edit, another status) renders anew."""

import dataclasses

from django.template.loader import get_template
from django.utils import translation

from careers.templatetags import map_fragments
from careers.track_map import NodeState, SkillData, StepData, build_map, view
from config import fragments

from .factories import NodeStatesOverlay

SKILLS = {
    "python": SkillData(slug="python", name="Python", hours=40),
    "sql": SkillData(slug="sql", name="SQL & <data>", hours=20),
    "pipelines": SkillData(
        slug="pipelines", name="Pipelines", hours=24, prerequisites=("python", "sql")
    ),
}
STEPS = (
    StepData("basics", "Basics", (("python", True), ("sql", False))),
    StepData("building", "Building", (("pipelines", True),)),
)


def _included(items, personal):
    """What the template's former loop of includes drew, node by node."""
    template = get_template("careers/map/_node.html")
    context = {"track": {"slug": "data"}, "personal": personal}
    return "".join(template.render({**context, "item": item}) for item in items)


def _tag(items, personal):
    return map_fragments.map_nodes(items, "data", personal)


def test_the_fragments_are_the_node_template_and_are_reused():
    fragments._fragments.clear()
    states = {
        "python": NodeState(status="done"),
        "pipelines": NodeState(blocked_by=("SQL & <data>",)),
        "sql": NodeState(status="learning", next=True),
    }
    steps = view(build_map(STEPS, SKILLS), NodeStatesOverlay(states))
    for personal in (True, False):
        for step in steps:
            assert _tag(step.nodes, personal) == _included(step.nodes, personal)
    assert "SQL &amp; &lt;data&gt;" in _tag(steps[0].nodes, True)
    cached = len(fragments._fragments)
    assert cached == 6  # three nodes, personal or not
    for step in steps:
        _tag(step.nodes, True)
    assert len(fragments._fragments) == cached


def test_another_state_language_or_content_renders_anew():
    fragments._fragments.clear()
    the_map = build_map(STEPS, SKILLS)
    first = view(the_map, NodeStatesOverlay({}))[0].nodes
    done = view(the_map, NodeStatesOverlay({"python": NodeState(status="done")}))[0].nodes
    assert "status-done" in _tag(done, True)
    assert "status-done" not in _tag(first, True)
    renamed = {**SKILLS, "python": dataclasses.replace(SKILLS["python"], name="Python 3")}
    edited = view(build_map(STEPS, renamed), NodeStatesOverlay({}))[0].nodes
    assert "Python 3" in _tag(edited, True)
    with translation.override("zh-hans"):
        chinese = _tag(first, False)
    assert chinese == _included_in("zh-hans", first)
    assert chinese != _tag(first, False)


def _included_in(language, items):
    with translation.override(language):
        return _included(items, False)


def test_the_memory_is_bounded(monkeypatch):
    fragments._fragments.clear()
    monkeypatch.setattr(fragments, "MAX_FRAGMENTS", 2)
    for status in ("none", "learning", "done", "skipped"):
        states = {"python": NodeState(status=status)}
        html = _tag(view(build_map(STEPS, SKILLS), NodeStatesOverlay(states))[0].nodes, True)
        assert f"status-{status}" in html
        assert len(fragments._fragments) <= 2


def test_a_step_is_its_template_with_its_nodes_and_is_reused():
    fragments._fragments.clear()
    steps = view(build_map(STEPS, SKILLS), NodeStatesOverlay({"python": NodeState(status="done")}))
    template = get_template("careers/map/_step.html")
    for step in steps:
        html = map_fragments.map_step(step, "data", True)
        nodes = _tag(step.nodes, True)
        context = {"item": step, "track": {"slug": "data"}, "personal": True, "nodes_html": nodes}
        assert html == template.render(context)
        assert nodes in html
    before = len(fragments._fragments)
    map_fragments.map_step(steps[0], "data", True)
    assert len(fragments._fragments) == before


def test_a_step_is_kept_apart_from_its_nodes_states():
    # Another person with the same step progress but other node states reuses the step's
    # head and gets their own nodes in it.
    fragments._fragments.clear()
    the_map = build_map(STEPS, SKILLS)
    learning = view(the_map, NodeStatesOverlay({"python": NodeState(status="learning")}))[0]
    skipped = view(the_map, NodeStatesOverlay({"python": NodeState(status="skipped")}))[0]
    first = map_fragments.map_step(learning, "data", True)
    kept = len(fragments._fragments)
    second = map_fragments.map_step(skipped, "data", True)
    assert len(fragments._fragments) == kept + 1  # the one new node, not a new step
    assert "status-learning" in first and "status-learning" not in second
    assert "status-skipped" in second and "<!--nodes-" not in second


def test_the_readiness_is_its_template_kept_per_figures():
    fragments._fragments.clear()
    template = get_template("careers/map/_readiness_figures.html")
    beginner, other_beginner = NodeStatesOverlay({}), NodeStatesOverlay({"python": NodeState()})
    for oob in (False, True):
        html = map_fragments.map_readiness(beginner, oob)
        assert html == template.render({"overlay": beginner, "oob": oob})
    kept = len(fragments._fragments)
    map_fragments.map_readiness(other_beginner)  # the same figures: the same HTML
    assert len(fragments._fragments) == kept
    halfway = NodeStatesOverlay({})
    halfway.readiness, halfway.core_done, halfway.core_total = 50.0, 3, 6
    assert "50% ready" in map_fragments.map_readiness(halfway)
    assert len(fragments._fragments) == kept + 1
