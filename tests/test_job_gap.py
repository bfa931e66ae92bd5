"""The gap to a job posting, as plain data: groups, prerequisites, order, closest track."""

from careers.content_types import SkillInfo, SkillSlot, StepInfo, TrackInfo
from careers.job_matching import build_index, match_posting
from profiles.job_gap import analyse_job, closest_track, learning_order, recurring_skills

SKILLS = {
    "python": SkillInfo("python", "Python", 40),
    "torch": SkillInfo("torch", "PyTorch", 30, ("python",)),
    "serving": SkillInfo("serving", "Serving", 30, ("torch",)),
    "kv": SkillInfo("kv", "KV cache", 20, ("serving",)),
    "k8s": SkillInfo("k8s", "Kubernetes", 30),
    "old": SkillInfo("old", "Old", 10, archived=True),
}
INDEX = build_index(
    {"python": ["python"], "serving": ["vllm"], "kv": ["kv cache"], "k8s": ["kubernetes"]}
)


def track(slug, *slugs):
    step = StepInfo("s", "S", tuple(SkillSlot(s, True) for s in slugs))
    return TrackInfo(slug, slug.title(), (step,))


TRACKS = [track("platform", "python", "k8s"), track("deploy", "python", "torch", "serving")]


def test_groups_prerequisites_and_hours():
    match = match_posting("KV cache and vLLM, Python.\nNice to have: Kubernetes", INDEX)
    statuses = {"python": "done", "serving": "learning"}
    job = analyse_job(match, SKILLS, TRACKS, statuses, {"python"}, 10)
    assert [s.slug for s in job.have] == ["python"] and job.have[0].verified
    assert [s.slug for s in job.learning] == ["serving"]
    assert [(s.slug, s.optional) for s in job.missing] == [("kv", False), ("k8s", True)]
    assert [s.slug for s in job.prerequisites] == ["torch"]  # python is named, so not here
    # Required and prerequisites not done: kv 20 + serving 30 + torch 30; k8s is optional.
    assert job.report.remaining_core_hours == 80 and job.report.weeks == 8
    assert job.optional_hours_left == 30
    assert [s.slug for s in job.order] == ["torch", "serving", "kv"]


def test_skipped_skills_stay_missing_but_are_not_suggested():
    match = match_posting("vLLM", INDEX)
    job = analyse_job(match, SKILLS, TRACKS, {"serving": "skipped"})
    assert [s.status for s in job.missing] == ["skipped"]
    assert "serving" not in [s.slug for s in job.order]
    assert job.report.remaining_core_hours == 30 + 30 + 40


def test_closest_track_and_what_the_job_asks_beyond_it():
    best = closest_track(["python", "serving", "kv"], SKILLS, TRACKS, {})
    assert best.slug == "deploy" and best.covered == 2 and best.total == 3
    assert best.percent == 100 * 70 // 90
    assert [s.slug for s in best.beyond] == ["kv"] and best.beyond_hours == 20


def test_learning_order_follows_prerequisites_then_posting_order():
    assert learning_order(["k8s", "kv", "torch", "serving"], SKILLS, {}) == [
        "k8s",
        "torch",
        "serving",
        "kv",
    ]


def test_recurring_skills_rank_by_postings_then_missing_then_hours():
    matches = [match_posting(t, INDEX) for t in ("python vllm", "Python, Python", "kubernetes")]
    rows = recurring_skills(matches, SKILLS, {"python": "done"})
    assert [(r.slug, r.count) for r in rows] == [("python", 2), ("k8s", 1), ("serving", 1)]


def test_an_archived_prerequisite_is_not_asked_for():
    skills = {**SKILLS, "serving": SkillInfo("serving", "Serving", 30, ("old",))}
    job = analyse_job(match_posting("vLLM", INDEX), skills, [], {})
    assert job.prerequisites == ()


def test_what_only_a_nice_to_have_needs_is_a_nice_to_have():
    skills = {
        **SKILLS,
        "cuda": SkillInfo("cuda", "CUDA", 32),
        "kernels": SkillInfo("kernels", "GPU kernels", 120, ("cuda", "python")),
    }
    index = build_index({"kv": ["kv cache"], "kernels": ["triton"], "python": ["python"]})
    match = match_posting("Requirements:\n- KV cache\n\nNice to have:\n- Triton", index)
    job = analyse_job(match, skills, TRACKS, {}, (), 10)
    assert [(s.slug, s.optional) for s in job.prerequisites] == [
        ("python", False),  # KV cache needs it through serving and torch
        ("torch", False),
        ("serving", False),
        ("cuda", True),  # only the Triton kernels need it
    ]
    assert [s.slug for s in job.order] == ["python", "torch", "serving", "kv"]
    assert job.report.remaining_core_hours == 40 + 30 + 30 + 20
    assert job.optional_hours_left == 120 + 32


def test_a_nice_to_have_that_a_requirement_builds_on_is_required():
    match = match_posting("Requirements: KV cache.\nNice to have: Python", INDEX)
    job = analyse_job(match, SKILLS, TRACKS, {})
    assert [(s.slug, s.optional) for s in job.missing] == [("kv", False), ("python", False)]
    assert [s.slug for s in job.order] == ["python", "torch", "serving", "kv"]
    assert job.optional_hours_left == 0
