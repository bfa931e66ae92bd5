"""Time the gap analysis alone on a generated track: `python bench/gap_benchmark.py [N]`."""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from careers.content_types import SkillInfo, SkillSlot, StepInfo, TrackInfo  # noqa: E402
from profiles import gap  # noqa: E402  (pure module: no Django needed)


def generated(n_skills: int, seed: int = 1):
    """A track of n_skills in steps of 20, each skill with up to 3 earlier prerequisites."""
    rng = random.Random(seed)
    slugs = [f"skill-{i}" for i in range(n_skills)]
    skills = {
        slug: SkillInfo(
            slug=slug,
            name=slug.title(),
            hours=rng.randint(4, 60),
            prerequisites=tuple(rng.sample(slugs[:i], min(i, rng.randint(0, 3)))),
        )
        for i, slug in enumerate(slugs)
    }
    steps = tuple(
        StepInfo(
            slug=f"step-{s}",
            title=f"Step {s}",
            skills=tuple(SkillSlot(slug, rng.random() < 0.8) for slug in slugs[s : s + 20]),
        )
        for s in range(0, n_skills, 20)
    )
    statuses = {
        slug: rng.choice(["done", "done", "learning", "skipped"])
        for slug in slugs
        if rng.random() < 0.5
    }
    return TrackInfo("generated", "Generated", steps), skills, statuses


def main() -> None:
    n_skills = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    track, skills, statuses = generated(n_skills)
    timings = []
    for _ in range(200):
        start = time.perf_counter()
        report = gap.analyse(track, skills, statuses, weekly_hours=8)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(
        f"gap.analyse on a {n_skills}-skill track ({len(report.blocked)} blocked, "
        f"{len(report.next_steps)} next): median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms over {len(timings)} runs"
    )


if __name__ == "__main__":
    main()
