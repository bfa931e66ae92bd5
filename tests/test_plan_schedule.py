"""The planning module: weeks, order, pins and standing, without HTTP or the database."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profiles import gap, planning
from profiles.planning import PinRefused, PlanSkill, build_plan

TODAY = date(2026, 12, 2)  # a Wednesday
MONDAY = date(2026, 11, 30)


def skill(slug, hours, *prerequisites, status="none", step="s1"):
    return PlanSkill(slug, slug.title(), hours, status, tuple(prerequisites), step, step.upper())


@st.composite
def skill_graphs(draw):
    """Skills in roadmap order, each with prerequisites among any other skill (acyclic)."""
    count = draw(st.integers(min_value=0, max_value=12))
    hours = draw(st.lists(st.integers(0, 40), min_size=count, max_size=count))
    # A random topological rank makes the graph acyclic without following roadmap order.
    ranks = draw(st.permutations(range(count)))
    skills = []
    for index in range(count):
        lower = [other for other in range(count) if ranks[other] < ranks[index]]
        prerequisites = (
            draw(st.lists(st.sampled_from(lower), unique=True, max_size=3)) if lower else []
        )
        status = draw(st.sampled_from(["none", "learning"]))
        skills.append(
            skill(
                f"k{index}",
                hours[index],
                *(f"k{other}" for other in prerequisites),
                status=status,
                step=f"s{index % 3}",
            )
        )
    return skills


plan_options = st.fixed_dictionaries(
    {
        "weekly_hours": st.integers(1, 20),
        "study_days": st.sets(st.integers(0, 6), min_size=1),
        "lost_weeks": st.sets(st.integers(0, 8).map(lambda n: MONDAY + timedelta(weeks=n))),
    }
)


def parts_by_skill(plan):
    found = {}
    for position, week in enumerate(plan.weeks):
        for order, item in enumerate(week.items):
            found.setdefault(item.slug, []).append((position, order, item))
    return found


def check_plan(skills, plan, weekly_hours):
    found = parts_by_skill(plan)
    # Every remaining skill exactly once, with all its hours.
    assert set(found) == {s.slug for s in skills}
    for s in skills:
        parts = found[s.slug]
        assert sum(item.hours for *_, item in parts) == s.hours
        # Never more weeks than the hours need; parts in consecutive study weeks.
        assert len(parts) == max(1, -(-s.hours // weekly_hours))
        study_positions = [
            [w.start for w in plan.weeks if not w.lost].index(plan.weeks[p].start)
            for p, *_ in parts
        ]
        assert study_positions == list(range(study_positions[0], study_positions[0] + len(parts)))
        # A skill larger than a week has its full weeks to itself.
        for position, _order, item in parts[:-1]:
            assert item.hours == weekly_hours
            assert plan.weeks[position].hours == weekly_hours
    for week in plan.weeks:
        assert week.hours <= weekly_hours
        if week.lost:
            assert not week.items
    # No skill before its prerequisites: the prerequisite's last part comes first.
    for s in skills:
        first = found[s.slug][0][:2]
        for prerequisite in s.prerequisites:
            assert found[prerequisite][-1][:2] < first, (prerequisite, s.slug)


@settings(max_examples=150, deadline=None)
@given(skill_graphs(), plan_options)
def test_every_skill_once_in_order_and_no_week_over_the_hours(skills, options):
    plan = build_plan(skills, today=TODAY, **options)
    check_plan(skills, plan, options["weekly_hours"])
    assert plan.finish is None if not skills else plan.finish.weekday() in options["study_days"]


@settings(max_examples=150, deadline=None)
@given(skill_graphs(), plan_options, st.data())
def test_pinning_never_breaks_the_rules(skills, options, data):
    if not skills:
        return
    pins = {}
    for _ in range(data.draw(st.integers(1, 4))):
        target = data.draw(st.sampled_from(skills)).slug
        week = MONDAY + timedelta(weeks=data.draw(st.integers(-1, 12)))
        try:
            plan = planning.pin(skills, pins, target, week, today=TODAY, **options)
        except PinRefused as refused:
            assert refused.refusal.slug == target
            assert refused.refusal.reason in {"past", "lost", "full", "prerequisite", "dependent"}
            continue
        pins = dict(plan.pins)
        assert plan.week_of(target) == planning.monday(week)
        assert not plan.refused_pins
        check_plan(skills, plan, options["weekly_hours"])


def study_layout(plan):
    """The items of each study week in turn: what stays when only the calendar moves."""
    return [week.items for week in plan.weeks if not week.lost]


@settings(max_examples=150, deadline=None)
@given(skill_graphs(), plan_options, st.data())
def test_losing_a_week_and_giving_it_back_move_pins_and_keep_the_rules(skills, options, data):
    pins = {}
    for _ in range(data.draw(st.integers(0, 4)) if skills else 0):
        target = data.draw(st.sampled_from(skills)).slug
        week = MONDAY + timedelta(weeks=data.draw(st.integers(0, 12)))
        try:
            pins = dict(planning.pin(skills, pins, target, week, today=TODAY, **options).pins)
        except PinRefused:
            continue
    before = build_plan(skills, today=TODAY, pins=pins, **options)
    lost = MONDAY + timedelta(weeks=data.draw(st.integers(0, 14)))
    changed = planning.lose_week(pins, options["lost_weeks"], lost, MONDAY)
    after = build_plan(
        skills, today=TODAY, **{**options, "pins": changed.pins, "lost_weeks": changed.lost_weeks}
    )
    assert lost in changed.lost_weeks and set(options["lost_weeks"]) <= set(changed.lost_weeks)
    # Every skill planned once, prerequisites first, no week over; every pin still holds.
    check_plan(skills, after, options["weekly_hours"])
    assert not after.refused_pins and after.pins == changed.pins
    # Pins before the lost week stay; from it on, each moves to a later week, in order.
    for slug, day in pins.items():
        if day < lost:
            assert changed.pins[slug] == day
        elif lost not in options["lost_weeks"]:
            assert changed.pins[slug] >= day + timedelta(weeks=1)
            assert changed.pins[slug] not in changed.lost_weeks
    # The study weeks hold the same skills: the plan only moved in the calendar.
    assert study_layout(after) == study_layout(before)
    assert after.finish is None or after.finish >= before.finish
    # Giving the week back undoes it, and the plan again only moves in the calendar.
    back = planning.restore_week(changed.pins, changed.lost_weeks, lost)
    restored = build_plan(
        skills, today=TODAY, **{**options, "pins": back.pins, "lost_weeks": back.lost_weeks}
    )
    assert not restored.refused_pins and study_layout(restored) == study_layout(before)
    if lost not in options["lost_weeks"]:
        assert back.pins == pins and set(back.lost_weeks) == set(options["lost_weeks"])


def test_a_lost_week_moves_its_pins_and_later_ones_by_one_study_week():
    pins = {"a": MONDAY, "b": MONDAY + timedelta(weeks=1), "c": MONDAY + timedelta(weeks=3)}
    lost = [MONDAY + timedelta(weeks=2)]
    changed = planning.lose_week(pins, lost, MONDAY + timedelta(weeks=1), MONDAY)
    # b skips the week already lost; c stays the third study week of the plan.
    assert changed.pins == {
        "a": MONDAY,
        "b": MONDAY + timedelta(weeks=3),
        "c": MONDAY + timedelta(weeks=4),
    }
    assert changed.lost_weeks == (MONDAY + timedelta(weeks=1), MONDAY + timedelta(weeks=2))


def test_giving_a_week_back_moves_the_later_pins_back_by_one_study_week():
    pins = {"a": MONDAY, "b": MONDAY + timedelta(weeks=3), "c": MONDAY + timedelta(weeks=4)}
    lost = [MONDAY + timedelta(weeks=1), MONDAY + timedelta(weeks=2)]
    back = planning.restore_week(pins, lost, MONDAY + timedelta(weeks=1))
    assert back.pins == {
        "a": MONDAY,
        "b": MONDAY + timedelta(weeks=1),
        "c": MONDAY + timedelta(weeks=3),
    }
    assert back.lost_weeks == (MONDAY + timedelta(weeks=2),)


def test_lost_weeks_already_over_are_forgotten():
    changed = planning.lose_week({}, [MONDAY - timedelta(weeks=1)], MONDAY, MONDAY)
    assert changed.lost_weeks == (MONDAY,)


def test_learning_skills_come_first_then_roadmap_order():
    skills = [skill("a", 4), skill("b", 4, "a"), skill("c", 4, status="learning")]
    plan = build_plan(skills, weekly_hours=8, today=TODAY)
    assert [[item.slug for item in week.items] for week in plan.weeks] == [["c", "a"], ["b"]]
    assert plan.weeks[0].start == MONDAY
    assert plan.weeks[0].items[1].unlocks == (planning.Unlock("b", "B"),)


def test_a_skill_that_does_not_fit_starts_the_next_week_and_a_big_one_spans_weeks():
    plan = build_plan([skill("a", 6), skill("b", 6), skill("c", 20)], weekly_hours=8, today=TODAY)
    assert [[(i.slug, i.hours) for i in w.items] for w in plan.weeks] == [
        [("a", 6)],
        [("b", 6)],
        [("c", 8)],
        [("c", 8)],
        [("c", 4)],
    ]
    # 4 of 8 hours in the last week, every day a study day: done on the fourth day.
    assert plan.finish == MONDAY + timedelta(weeks=4, days=3)


def test_lost_week_moves_everything_after_it_and_the_finish():
    skills = [skill("a", 8), skill("b", 8)]
    before = build_plan(skills, weekly_hours=8, today=TODAY)
    after = build_plan(skills, weekly_hours=8, today=TODAY, lost_weeks=[MONDAY])
    assert after.weeks[0].lost and after.weeks[1].items[0].slug == "a"
    assert after.finish == before.finish + timedelta(weeks=1)


def test_start_date_in_the_future_and_study_days():
    plan = build_plan(
        [skill("a", 6)], weekly_hours=6, today=TODAY, start=date(2027, 1, 6), study_days={0, 2, 4}
    )
    assert plan.first_week == date(2027, 1, 4)
    assert plan.weeks[0].study_dates == (date(2027, 1, 4), date(2027, 1, 6), date(2027, 1, 8))
    assert plan.finish == date(2027, 1, 8)


def test_milestones_at_the_end_of_each_step_the_first_job_layer_and_the_finish():
    skills = [skill("a", 8, step="s1"), skill("b", 8, step="s2"), skill("c", 8, step="s2")]
    plan = build_plan(skills, weekly_hours=8, today=TODAY, first_job=frozenset({"a", "b"}))
    kinds = [[(m.kind, m.slug) for m in week.milestones] for week in plan.weeks]
    assert kinds == [[("step", "s1")], [("first-job", "")], [("step", "s2"), ("finish", "")]]
    without = build_plan(skills, weekly_hours=8, today=TODAY)
    assert all(m.kind != "first-job" for week in without.weeks for m in week.milestones)


@pytest.mark.parametrize(
    ("slug", "week", "reason", "blocking"),
    [
        ("b", MONDAY, "prerequisite", ("a",)),
        ("a", MONDAY - timedelta(weeks=1), "past", ()),
        ("a", MONDAY + timedelta(weeks=2), "lost", ()),
    ],
)
def test_refused_pins_say_why(slug, week, reason, blocking):
    skills = [skill("a", 8), skill("b", 8, "a")]
    lost = [MONDAY + timedelta(weeks=2)]
    with pytest.raises(PinRefused) as refused:
        planning.pin(skills, {}, slug, week, weekly_hours=8, today=TODAY, lost_weeks=lost)
    assert refused.value.refusal.reason == reason
    assert refused.value.refusal.blocking == blocking


def test_a_pin_that_fits_moves_the_skill_and_a_full_week_refuses_the_next():
    skills = [skill("a", 8), skill("b", 8), skill("c", 8)]
    plan = planning.pin(skills, {}, "c", MONDAY, weekly_hours=8, today=TODAY)
    assert [w.items[0].slug for w in plan.weeks] == ["c", "a", "b"]
    with pytest.raises(PinRefused) as refused:
        planning.pin(skills, plan.pins, "b", MONDAY, weekly_hours=8, today=TODAY)
    assert refused.value.refusal.reason == "full"


def test_a_new_pin_never_pushes_out_an_older_one():
    skills = [skill("a", 4), skill("b", 4, "a")]
    plan = planning.pin(skills, {}, "b", MONDAY + timedelta(weeks=1), weekly_hours=8, today=TODAY)
    with pytest.raises(PinRefused) as refused:
        planning.pin(
            skills, plan.pins, "a", MONDAY + timedelta(weeks=3), weekly_hours=8, today=TODAY
        )
    assert refused.value.refusal.reason == "dependent"
    assert refused.value.refusal.blocking == ("b",)


def test_plan_skills_come_from_the_gap_analysis_without_done_or_skipped_ones():
    skills = {
        "a": gap.SkillInfo("a", "A", 10),
        "b": gap.SkillInfo("b", "B", 20, ("a",)),
        "c": gap.SkillInfo("c", "C", 5),
        "d": gap.SkillInfo("d", "D", 5),
    }
    track = gap.TrackInfo(
        "t",
        "T",
        (
            gap.StepInfo("one", "One", (gap.StepSkill("a", True), gap.StepSkill("d", False))),
            gap.StepInfo("two", "Two", (gap.StepSkill("b", True), gap.StepSkill("c", True))),
        ),
    )
    report = gap.analyse(track, skills, {"a": "done", "c": "skipped", "b": "learning"})
    planned = planning.from_gap(report, skills, track)
    assert planned == [PlanSkill("b", "B", 20, "learning", ("a",), "two", "Two")]


def test_standing_counts_skills_behind_and_ahead_and_the_moved_finish():
    baseline = {
        "a": MONDAY + timedelta(days=6),
        "b": MONDAY + timedelta(days=13),
        "c": date(2027, 3, 1),
    }
    status = planning.standing(
        baseline, date(2027, 3, 3), {"c"}, MONDAY + timedelta(days=14), date(2027, 3, 24)
    )
    assert (status.behind, status.ahead, status.moved) == (2, 1, True)
    on_track = planning.standing(baseline, date(2027, 3, 3), {"a"}, TODAY, date(2027, 3, 3))
    assert (on_track.behind, on_track.moved) == (0, False)


def test_the_first_job_layer_comes_from_the_content_when_it_marks_one():
    from types import SimpleNamespace

    from profiles.plans import first_job_layer

    def link(slug, core=True, first_job=False):
        return SimpleNamespace(slug=slug, core=core, first_job=first_job)

    marked = SimpleNamespace(
        steps=[
            SimpleNamespace(skills=[link("a", first_job=True), link("b"), link("c", False, True)])
        ]
    )
    assert first_job_layer(marked) == frozenset({"a"})
    unmarked = gap.TrackInfo("t", "T", (gap.StepInfo("s", "S", (gap.StepSkill("a", True),)),))
    assert first_job_layer(unmarked) is None
