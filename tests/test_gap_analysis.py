"""The gap analysis over plain data: the definitions on a small track, then properties."""

from __future__ import annotations

import ast
import math
import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers import content_types
from careers.content_types import SkillInfo, SkillSlot, StepInfo, TrackInfo, TransitionInfo
from profiles import gap
from profiles.gap import (
    BUILDING_FROM,
    LABELS,
    NEARLY_THERE_FROM,
    NEXT_STEPS_LIMIT,
    READY_AT,
    analyse,
    definitions,
    rank_tracks,
    readiness_label,
    weeks_at,
)

STATUSES = ("learning", "done", "skipped")

# The hand-made track --------------------------------------------------------------
#
# Step "basics": python (core, 10 h), prompting (core, 30 h, needs python),
#                notebooks (optional, 5 h).
# Step "build": rag (core, 40 h, needs prompting and linear-algebra, which is in no step),
#               old-api (core, 20 h, archived), evals (optional, 15 h, needs rag).

SKILLS = {
    s.slug: s
    for s in (
        SkillInfo("python", "Python", 10, ()),
        SkillInfo("prompting", "Prompting", 30, ("python",)),
        SkillInfo("notebooks", "Notebooks", 5, ()),
        SkillInfo("rag", "RAG", 40, ("prompting", "linear-algebra")),
        SkillInfo("old-api", "Old API", 20, (), archived=True),
        SkillInfo("evals", "Evals", 15, ("rag",)),
        SkillInfo("linear-algebra", "Linear algebra", 25, ()),
    )
}
TRACK = TrackInfo(
    "llm-apps",
    "LLM applications",
    (
        StepInfo(
            "basics",
            "Basics",
            (
                SkillSlot("python", True),
                SkillSlot("prompting", True),
                SkillSlot("notebooks", False),
            ),
        ),
        StepInfo(
            "build",
            "Build",
            (SkillSlot("rag", True), SkillSlot("old-api", True), SkillSlot("evals", False)),
        ),
    ),
    (TransitionInfo("llm-ops", "LLM operations", "Deploy what you build."),),
)


def slugs(items) -> list[str]:
    return [item.slug for item in items]


# Generated tracks -------------------------------------------------------------------


def generate_track(n_skills: int, seed: int) -> tuple[TrackInfo, dict[str, SkillInfo]]:
    """A random track of n_skills skills with its catalogue, including outside skills."""
    rng = random.Random(seed)
    outside = [
        SkillInfo(f"out-{i}", f"Outside {i}", rng.randint(1, 50), (), rng.random() < 0.2)
        for i in range(rng.randint(0, 3))
    ]
    catalogue = {skill.slug: skill for skill in outside}
    inside: list[SkillInfo] = []
    for i in range(n_skills):
        # Prerequisites come from earlier skills, outside skills, or a slug the catalogue
        # lacks, so every kind of blocker occurs.
        pool = [s.slug for s in inside] + [s.slug for s in outside] + ["ghost"]
        prerequisites = tuple(
            dict.fromkeys(rng.sample(pool, k=min(len(pool), rng.choice((0, 0, 1, 1, 2, 3)))))
        )
        skill = SkillInfo(
            f"s-{i}",
            f"Skill {i}",
            rng.choice((0, 1, 5, 10, 20, 40, 80)),
            prerequisites,
            rng.random() < 0.1,
        )
        inside.append(skill)
        catalogue[skill.slug] = skill
    steps = []
    position = 0
    step_index = 0
    while position < n_skills or (n_skills == 0 and step_index < rng.randint(0, 2)):
        size = rng.randint(0, 6)
        chunk = inside[position : position + size]
        position += size
        steps.append(
            StepInfo(
                f"step-{step_index}",
                f"Step {step_index}",
                tuple(SkillSlot(skill.slug, rng.random() < 0.7) for skill in chunk),
            )
        )
        step_index += 1
    return TrackInfo(f"track-{seed}", f"Track {seed}", tuple(steps)), catalogue


@st.composite
def scenarios(draw, max_skills: int = 25):
    """A generated track, its catalogue, a person's statuses and weekly hours."""
    track, catalogue = generate_track(
        draw(st.integers(0, max_skills)), draw(st.integers(0, 2**32 - 1))
    )
    statuses = {}
    for slug in [*catalogue, "ghost"]:
        status = draw(st.sampled_from((None, *STATUSES)))
        if status:
            statuses[slug] = status
    weekly = draw(st.one_of(st.none(), st.integers(0, 40)))
    return track, catalogue, statuses, weekly


def roadmap(track: TrackInfo) -> list[tuple[str, bool]]:
    return [(link.slug, link.core) for step in track.steps for link in step.skills]


def counted(track, catalogue, statuses) -> list[tuple[SkillInfo, bool]]:
    """The skills that count, by the docstring: in the catalogue, and not archived unless done."""
    return [
        (catalogue[slug], core)
        for slug, core in roadmap(track)
        if slug in catalogue and (not catalogue[slug].archived or statuses.get(slug) == "done")
    ]


def met(slug, catalogue, statuses) -> bool:
    return statuses.get(slug) == "done" or (slug in catalogue and catalogue[slug].archived)


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Examples: the definitions on the hand-made track ---------------------------------------


def test_fresh_user_is_getting_started_with_all_core_hours_left():
    report = analyse(TRACK, SKILLS, {}, 10)
    assert report.readiness == 0.0
    assert report.label == "getting-started"
    # The archived old-api is left out: python, prompting, rag.
    assert (report.core_done, report.core_total) == (0, 3)
    assert (report.optional_done, report.optional_total) == (0, 2)
    assert report.core_hours_total == 80
    assert report.remaining_core_hours == 80
    assert report.weeks == 8
    assert slugs(report.missing_core) == ["python", "prompting", "rag"]


def test_readiness_is_weighted_by_core_hours():
    report = analyse(TRACK, SKILLS, {"python": "done", "prompting": "done"}, None)
    assert report.readiness == 50.0  # 40 of 80 core hours, although 2 of 3 skills
    assert (report.core_done, report.core_total) == (2, 3)
    assert report.core_hours_done == 40
    assert report.label == "building"


def test_readiness_is_rounded_down_and_never_shows_100_before_the_end():
    skills = {
        "big": SkillInfo("big", "Big", 1999, ()),
        "tiny": SkillInfo("tiny", "Tiny", 1, ()),
        "free": SkillInfo("free", "Free", 0, ()),
    }
    track = TrackInfo(
        "t", "T", (StepInfo("s", "S", tuple(SkillSlot(slug, True) for slug in skills)),)
    )
    assert analyse(track, skills, {"big": "done"}).readiness == 99.9
    nearly = analyse(track, skills, {"big": "done", "tiny": "done"})
    # All hours are done but the zero-hour skill is not: not ready yet.
    assert nearly.readiness == 99.9
    assert nearly.label == "nearly-there"
    done = analyse(track, skills, dict.fromkeys(skills, "done"))
    assert done.readiness == 100.0
    assert done.label == "ready"


def test_optional_skills_never_change_readiness():
    base = analyse(TRACK, SKILLS, {"python": "done"})
    more = analyse(TRACK, SKILLS, {"python": "done", "notebooks": "done", "evals": "done"})
    assert more.readiness == base.readiness
    assert (more.optional_done, more.optional_total) == (2, 2)


def test_skipped_core_skill_is_not_done_and_reported_apart():
    report = analyse(TRACK, SKILLS, {"python": "done", "prompting": "skipped"}, 10)
    assert report.readiness == 12.5  # 10 of 80: skipping does not make you ready
    assert report.core_done == 1
    assert slugs(report.skipped_core) == ["prompting"]
    assert report.skipped_core_hours == 30
    assert report.skipped_count == 1
    assert report.remaining_core_hours == 70  # the skipped 30 hours are still left
    assert report.weeks == 7
    assert "prompting" in slugs(report.missing_core)
    assert "prompting" not in slugs(report.next_steps)
    assert "prompting" not in slugs(report.blocked)


def test_skipped_optional_skill_is_counted_in_skipped_but_not_in_skipped_core():
    report = analyse(TRACK, SKILLS, {"notebooks": "skipped"})
    assert report.skipped_count == 1
    assert report.skipped_core == ()
    assert report.skipped_core_hours == 0


def test_archived_skill_counts_only_once_done():
    not_done = analyse(TRACK, SKILLS, {"old-api": "learning"})
    assert (not_done.core_done, not_done.core_total, not_done.core_hours_total) == (0, 3, 80)
    assert not_done.learning_count == 0
    assert "old-api" not in slugs(not_done.next_steps) + slugs(not_done.missing_core)
    done = analyse(TRACK, SKILLS, {"old-api": "done"})
    assert (done.core_done, done.core_total, done.core_hours_total) == (1, 4, 100)
    assert done.readiness == 20.0


def test_archiving_a_done_skill_keeps_readiness():
    statuses = {"python": "done", "rag": "done"}
    skills = dict(SKILLS, rag=replace(SKILLS["rag"], archived=True))
    assert analyse(TRACK, skills, statuses).readiness == analyse(TRACK, SKILLS, statuses).readiness


def test_archived_prerequisite_does_not_block():
    skills = dict(SKILLS, **{"linear-algebra": replace(SKILLS["linear-algebra"], archived=True)})
    report = analyse(TRACK, skills, {"python": "done", "prompting": "done"})
    assert slugs(report.next_steps) == ["rag"]
    assert slugs(report.blocked) == ["evals"]  # waits for rag only
    assert tuple(b.slug for b in report.blocked[0].blockers) == ("rag",)


def test_next_steps_are_available_core_skills_in_roadmap_order():
    report = analyse(TRACK, SKILLS, {})
    assert slugs(report.next_steps) == ["python"]
    assert report.next_steps[0].core is True


def test_learning_skill_keeps_its_roadmap_place_in_next_steps():
    skills = dict(SKILLS, prompting=replace(SKILLS["prompting"], prerequisites=()))
    report = analyse(TRACK, skills, {"prompting": "learning"})
    assert slugs(report.next_steps) == ["python", "prompting"]
    assert report.next_steps[1].status == "learning"
    assert report.learning_count == 1


def test_optional_skills_are_suggested_when_no_core_skill_can_start():
    report = analyse(TRACK, SKILLS, {"python": "done", "prompting": "done"})
    # rag waits for linear-algebra, from outside the track.
    assert slugs(report.next_steps) == ["notebooks"]
    assert report.next_steps[0].core is False


def test_blocked_skills_list_their_blockers_and_mark_outside_ones():
    report = analyse(TRACK, SKILLS, {"python": "done"})
    blocked = {item.slug: item for item in report.blocked}
    assert list(blocked) == ["rag", "evals"]
    assert tuple(b.slug for b in blocked["rag"].blockers) == ("prompting", "linear-algebra")
    assert [(b.name, b.outside_track) for b in blocked["rag"].blockers] == [
        ("Prompting", False),
        ("Linear algebra", True),
    ]
    assert blocked["evals"].core is False


def test_prerequisite_missing_from_catalogue_blocks_without_crashing():
    skills = dict(SKILLS, python=replace(SKILLS["python"], prerequisites=("unknown",)))
    report = analyse(TRACK, skills, {"unknown": "done"})
    assert slugs(report.next_steps) == ["python"]
    report = analyse(TRACK, skills, {})
    python = next(item for item in report.blocked if item.slug == "python")
    assert [(b.slug, b.name, b.outside_track) for b in python.blockers] == [
        ("unknown", "unknown", True)
    ]


def test_step_reports_count_core_and_optional_per_step():
    report = analyse(TRACK, SKILLS, {"python": "done", "notebooks": "done", "old-api": "done"})
    basics, build = report.steps
    assert (basics.slug, basics.title) == ("basics", "Basics")
    assert (basics.core_done, basics.core_total, basics.optional_done, basics.optional_total) == (
        1,
        2,
        1,
        1,
    )
    assert (basics.hours_left, basics.percent) == (30, 25.0)
    assert (build.core_done, build.core_total, build.hours_left, build.percent) == (1, 2, 40, 33.3)


def test_all_core_done_is_ready_with_nothing_left():
    statuses = {"python": "done", "prompting": "done", "rag": "done"}
    report = analyse(TRACK, SKILLS, statuses, 5)
    assert (report.readiness, report.label) == (100.0, "ready")
    assert (report.remaining_core_hours, report.weeks) == (0, 0)
    assert report.blocked == ()
    assert slugs(report.next_steps) == ["notebooks", "evals"]


def test_empty_track_reads_zero_without_dividing_by_zero():
    report = analyse(TrackInfo("empty", "Empty", ()), {}, {}, 10)
    assert (report.readiness, report.label) == (0.0, "getting-started")
    assert (report.core_total, report.remaining_core_hours, report.weeks) == (0, 0, 0)
    assert report.next_steps == report.blocked == report.steps == ()


def test_track_without_core_skills_reads_zero_even_when_optional_ones_are_done():
    skills = {"a": SkillInfo("a", "A", 10, ())}
    track = TrackInfo(
        "t", "T", (StepInfo("s", "S", (SkillSlot("a", False),)), StepInfo("e", "E", ()))
    )
    report = analyse(track, skills, {"a": "done"})
    assert (report.readiness, report.label, report.optional_done) == (0.0, "getting-started", 1)
    assert [step.percent for step in report.steps] == [0.0, 0.0]


def test_step_naming_a_skill_missing_from_the_catalogue_does_not_crash():
    track = TrackInfo("t", "T", (StepInfo("s", "S", (SkillSlot("nowhere", True),)),))
    report = analyse(track, {}, {"nowhere": "done"})
    assert (report.core_total, report.readiness) == (0, 0.0)


def test_next_steps_stop_at_the_limit():
    skills = {f"k{i}": SkillInfo(f"k{i}", f"K{i}", 1, ()) for i in range(8)}
    track = TrackInfo("t", "T", (StepInfo("s", "S", tuple(SkillSlot(s, True) for s in skills)),))
    assert slugs(analyse(track, skills, {}).next_steps) == [f"k{i}" for i in range(5)]
    assert NEXT_STEPS_LIMIT == 5


@pytest.mark.parametrize(
    ("hours", "weekly", "weeks"),
    [(0, 10, 0), (1, 10, 1), (10, 10, 1), (11, 10, 2), (80, 7, 12), (5, 0, None), (5, None, None)],
)
def test_weeks_at_rounds_up_and_needs_a_pace(hours, weekly, weeks):
    assert weeks_at(hours, weekly) == weeks


@pytest.mark.parametrize(
    ("percent", "label"),
    [
        (0.0, "getting-started"),
        (24.9, "getting-started"),
        (25.0, "building"),
        (74.9, "building"),
        (75.0, "nearly-there"),
        (99.9, "nearly-there"),
        (100.0, "ready"),
    ],
)
def test_readiness_label_thresholds(percent, label):
    assert readiness_label(percent) == label


def test_docstring_states_the_thresholds_and_limit_the_code_uses():
    text = {d.title: d.text for d in definitions()}
    labels = text["Readiness labels"]
    assert f"below {BUILDING_FROM:g}%" in labels
    assert f"building from {BUILDING_FROM:g}%" in labels
    assert f"nearly there from {NEARLY_THERE_FROM:g}%" in labels
    assert f"ready at {READY_AT:g}%" in labels
    assert f"Up to {NEXT_STEPS_LIMIT} missing core skills" in text["Next steps"]


def test_definitions_cover_every_topic_in_order():
    assert [d.title for d in definitions()] == [
        "What counts",
        "Readiness",
        "First-job readiness",
        "Skipped skills",
        "Learning",
        "Archived skills",
        "Merged skills",
        "Next steps",
        "Blocked",
        "Time left",
        "Readiness labels",
        "Fit across tracks",
    ]
    readiness = next(d.text for d in definitions() if d.title == "Readiness")
    assert "\n\n" in readiness and "\n" not in readiness.replace("\n\n", "")


def test_rank_tracks_orders_by_readiness_then_hours_left_then_input_order():
    skills = {s: SkillInfo(s, s.upper(), h, ()) for s, h in (("a", 10), ("b", 30), ("c", 10))}

    def track(slug, *members):
        return TrackInfo(
            slug, slug, (StepInfo("s", "S", tuple(SkillSlot(m, True) for m in members)),)
        )

    tracks = [
        track("first", "b"),
        track("second", "a", "b"),
        track("third", "c"),
        track("fourth", "c"),
    ]
    ranked = rank_tracks(tracks, skills, {"a": "done"}, 10)
    assert slugs(ranked) == ["second", "third", "fourth", "first"]
    assert (ranked[0].readiness, ranked[0].core_done, ranked[0].core_total) == (25.0, 1, 2)
    assert (ranked[0].remaining_core_hours, ranked[0].weeks) == (30, 3)


def _imports(module) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    return imported | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_gap_module_imports_only_the_standard_library_and_the_content_types():
    standard = {"__future__", "math", "collections.abc", "dataclasses", "enum", "typing"}
    assert _imports(gap) <= standard | {"careers.content_types"}
    assert _imports(content_types) <= standard


def test_analyses_a_thousand_skill_track():
    track, catalogue = generate_track(1000, seed=7)
    statuses = dict.fromkeys(list(catalogue)[::2], "done")
    report = analyse(track, catalogue, statuses, 8)
    assert 0.0 <= report.readiness <= 100.0
    assert report.core_total + report.optional_total == len(counted(track, catalogue, statuses))


# Properties over generated tracks -----------------------------------------------------


@PROPERTY
@given(scenarios())
def test_readiness_stays_within_0_and_100_and_matches_its_label(scenario):
    track, catalogue, statuses, weekly = scenario
    report = analyse(track, catalogue, statuses, weekly)
    assert 0.0 <= report.readiness <= 100.0
    assert report.label in LABELS
    assert report.label == readiness_label(report.readiness)
    all_done = report.core_total > 0 and report.core_done == report.core_total
    assert (report.readiness == 100.0) == all_done
    assert (report.label == "ready") == all_done
    for step in report.steps:
        assert 0.0 <= step.percent <= 100.0


@PROPERTY
@given(scenarios(), st.data())
def test_marking_a_skill_done_never_lowers_readiness(scenario, data):
    track, catalogue, statuses, weekly = scenario
    slug = data.draw(st.sampled_from([*catalogue, "ghost"]))
    before = analyse(track, catalogue, statuses, weekly)
    after = analyse(track, catalogue, {**statuses, slug: "done"}, weekly)
    assert after.readiness >= before.readiness
    assert after.core_done >= before.core_done
    assert after.remaining_core_hours <= before.remaining_core_hours
    for old, new in zip(before.steps, after.steps, strict=True):
        assert new.percent >= old.percent


@PROPERTY
@given(scenarios())
def test_next_steps_are_startable_missing_skills_in_roadmap_order(scenario):
    track, catalogue, statuses, weekly = scenario
    report = analyse(track, catalogue, statuses, weekly)
    assert len(report.next_steps) <= NEXT_STEPS_LIMIT
    order = {slug: index for index, (slug, _) in enumerate(roadmap(track))}
    positions = [order[item.slug] for item in report.next_steps]
    assert positions == sorted(positions)
    for item in report.next_steps:
        assert statuses.get(item.slug) not in ("done", "skipped")
        assert not catalogue[item.slug].archived
        assert all(met(p, catalogue, statuses) for p in catalogue[item.slug].prerequisites)
    # Exactly the first startable core skills, else the first startable optional ones.
    startable = [
        (skill.slug, core)
        for skill, core in counted(track, catalogue, statuses)
        if statuses.get(skill.slug) not in ("done", "skipped")
        and all(met(p, catalogue, statuses) for p in skill.prerequisites)
    ]
    core_first = [slug for slug, core in startable if core]
    expected = core_first or [slug for slug, core in startable if not core]
    assert slugs(report.next_steps) == expected[:NEXT_STEPS_LIMIT]


@PROPERTY
@given(scenarios())
def test_blocked_skills_are_the_missing_ones_with_unmet_prerequisites(scenario):
    track, catalogue, statuses, weekly = scenario
    report = analyse(track, catalogue, statuses, weekly)
    in_track = {slug for slug, _ in roadmap(track)}
    expected = [
        skill.slug
        for skill, _ in counted(track, catalogue, statuses)
        if statuses.get(skill.slug) not in ("done", "skipped")
        and not all(met(p, catalogue, statuses) for p in skill.prerequisites)
    ]
    assert slugs(report.blocked) == expected
    assert not set(slugs(report.blocked)) & set(slugs(report.next_steps))
    for item in report.blocked:
        unmet = [p for p in catalogue[item.slug].prerequisites if not met(p, catalogue, statuses)]
        assert [blocker.slug for blocker in item.blockers] == unmet
        assert [b.outside_track for b in item.blockers] == [p not in in_track for p in unmet]


@PROPERTY
@given(scenarios())
def test_remaining_hours_are_the_hours_of_core_skills_not_done_skipped_included(scenario):
    track, catalogue, statuses, weekly = scenario
    report = analyse(track, catalogue, statuses, weekly)
    core = [skill for skill, is_core in counted(track, catalogue, statuses) if is_core]
    missing = [skill for skill in core if statuses.get(skill.slug) != "done"]
    assert report.remaining_core_hours == sum(skill.hours for skill in missing)
    assert report.remaining_core_hours == report.core_hours_total - report.core_hours_done
    assert slugs(report.missing_core) == [skill.slug for skill in missing]
    assert report.skipped_core_hours == sum(
        skill.hours for skill in missing if statuses.get(skill.slug) == "skipped"
    )
    assert sum(step.hours_left for step in report.steps) == report.remaining_core_hours
    if weekly:
        assert report.weeks == math.ceil(report.remaining_core_hours / weekly)
    else:
        assert report.weeks is None


@PROPERTY
@given(scenarios())
def test_counts_add_up_across_steps(scenario):
    track, catalogue, statuses, weekly = scenario
    report = analyse(track, catalogue, statuses, weekly)
    assert len(report.steps) == len(track.steps)
    assert sum(s.core_done for s in report.steps) == report.core_done
    assert sum(s.core_total for s in report.steps) == report.core_total
    assert sum(s.optional_done for s in report.steps) == report.optional_done
    assert sum(s.optional_total for s in report.steps) == report.optional_total
    skills = counted(track, catalogue, statuses)
    assert report.learning_count == sum(statuses.get(s.slug) == "learning" for s, _ in skills)
    assert report.skipped_count == sum(statuses.get(s.slug) == "skipped" for s, _ in skills)


@PROPERTY
@given(scenarios(), st.sampled_from((None, "learning", "skipped")))
def test_archived_skills_not_done_leave_the_report_unchanged(scenario, status):
    track, catalogue, statuses, weekly = scenario
    archived = [slug for slug, skill in catalogue.items() if skill.archived]
    without = {k: v for k, v in statuses.items() if k not in archived}
    changed = dict(without, **dict.fromkeys(archived, status)) if status else without
    assert analyse(track, catalogue, changed, weekly) == analyse(track, catalogue, without, weekly)


@PROPERTY
@given(scenarios())
def test_archived_skills_appear_only_when_done(scenario):
    track, catalogue, statuses, weekly = scenario
    report = analyse(track, catalogue, statuses, weekly)
    listed = report.next_steps + report.missing_core + report.skipped
    assert not any(catalogue[item.slug].archived for item in listed)
    assert not any(catalogue[item.slug].archived for item in report.blocked)
    for item in report.blocked:
        assert not any(b.slug in catalogue and catalogue[b.slug].archived for b in item.blockers)


@PROPERTY
@given(st.lists(scenarios(max_skills=10), max_size=5), st.data())
def test_rank_tracks_is_sorted_by_its_rule(scenarios_, data):
    catalogue: dict[str, SkillInfo] = {}
    tracks = []
    for index, (track, skills, _, _) in enumerate(scenarios_):
        # Distinct slugs per track so the catalogues merge; shared ones stay shared.
        prefix = f"t{index}-"
        renamed = {
            prefix + slug: replace(s, slug=prefix + s.slug, prerequisites=())
            for slug, s in skills.items()
        }
        catalogue.update(renamed)
        steps = tuple(
            replace(
                step, skills=tuple(replace(link, slug=prefix + link.slug) for link in step.skills)
            )
            for step in track.steps
        )
        tracks.append(TrackInfo(f"track-{index}", f"Track {index}", steps))
    statuses = {
        slug: status
        for slug in catalogue
        if (status := data.draw(st.sampled_from((None, *STATUSES)))) is not None
    }
    weekly = data.draw(st.one_of(st.none(), st.integers(0, 20)))
    ranked = rank_tracks(tracks, catalogue, statuses, weekly)
    assert sorted(slugs(ranked)) == sorted(t.slug for t in tracks)
    position = {t.slug: i for i, t in enumerate(tracks)}
    keys = [(-e.readiness, e.remaining_core_hours, position[e.slug]) for e in ranked]
    assert keys == sorted(keys)
    for entry in ranked:
        report = analyse(tracks[position[entry.slug]], catalogue, statuses, weekly)
        assert (entry.readiness, entry.remaining_core_hours, entry.weeks) == (
            report.readiness,
            report.remaining_core_hours,
            report.weeks,
        )
        assert (entry.core_done, entry.core_total, entry.label) == (
            report.core_done,
            report.core_total,
            report.label,
        )
