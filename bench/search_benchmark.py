"""Time /search/ over generated skills: `python bench/search_benchmark.py [N_SKILLS]`.

Builds a throwaway SQLite database with N generated skills (1,000 by default) in four
published tracks, English and Chinese, then times careers.search.search() alone and the
whole /search/ page (server time, through Django's test client) for a few queries.
Target: under 50 ms per search at 1,000 skills.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    ("data", "数据"),
    ("deduplication", "去重"),
    ("quantization", "量化"),
    ("serving", "推理服务"),
    ("vLLM", "vLLM"),
    ("cluster", "集群"),
    ("evaluation", "评测"),
    ("pipeline", "流水线"),
    ("kernel", "算子"),
    ("retrieval", "检索"),
    ("fine-tuning", "微调"),
    ("cache", "缓存"),
    ("tokenizer", "分词器"),
    ("distributed", "分布式"),
    ("monitoring", "监控"),
    ("compression", "压缩"),
]
QUERIES = ["vllm", "去重", "量化", "data pipeline", "kernel cache", "nothing-like-this", "a"]


def setup_django(directory: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{directory}/search_bench.sqlite3",
        # DEBUG=1 only so static URLs need no collectstatic manifest (as pages_benchmark --smoke).
        DEBUG="1",
        SECRET_KEY="bench-" + "x" * 40,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        REQUEST_LOG_LEVEL="WARNING",
        CACHE_DIR=f"{directory}/cache",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_skills: int, seed: int = 1) -> None:
    from careers.models import RoadmapStep, Skill, StepSkill, Track

    rng = random.Random(seed)
    tracks = [
        Track.objects.create(
            slug=f"track-{t}",
            name_en=f"Track {t}",
            name_zh_hans=f"方向 {t}",
            tagline_en="A way in",
            description_en="The work.",
            suits_en="Who it suits.",
            entry_difficulty=2,
            entry_en="How to enter.",
            first_tasks_en="Setting up.",
            published=True,
            order=t,
        )
        for t in range(4)
    ]
    skills = []
    for i in range(n_skills):
        words = rng.sample(WORDS, 3)
        skills.append(
            Skill(
                slug=f"skill-{i}",
                name_en=" ".join(w[0] for w in words[:2]).capitalize() + f" {i}",
                name_zh_hans="".join(w[1] for w in words[:2]) + f" {i}",
                summary_en=f"Learn {words[2][0]} for {words[0][0]} work.",
                summary_zh_hans=f"学习用于{words[0][1]}的{words[2][1]}。",
                description_en=" ".join(w[0] for w in rng.sample(WORDS, 8)) + ".",
                description_zh_hans="".join(w[1] for w in rng.sample(WORDS, 8)) + "。",
                hours=rng.randint(2, 80),
            )
        )
    skills = Skill.objects.bulk_create(skills)
    per_track = n_skills // len(tracks)
    for t, track in enumerate(tracks):
        chunk = skills[t * per_track : (t + 1) * per_track]
        steps = [
            RoadmapStep.objects.create(
                track=track, slug=f"step-{s}", title_en=f"Step {s}", title_zh_hans=f"阶段 {s}"
            )
            for s in range(10)
        ]
        StepSkill.objects.bulk_create(
            StepSkill(
                step=steps[k % 10],
                track=track,
                skill=skill,
                importance="core" if k % 4 else "optional",
                order=k,
            )
            for k, skill in enumerate(chunk)
        )


def timed(function, runs: int) -> tuple[list[float], float]:
    """Wall-clock milliseconds of each run, sorted, and the median CPU milliseconds.

    CPU time is what the search costs the server; wall time adds whatever else the
    machine is doing (on a shared 2-core box, often more than the search itself).
    """
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return sorted(timings), statistics.median(cpu)


def p95(timings: list[float]) -> float:
    return timings[max(0, int(len(timings) * 0.95) - 1)]


def main() -> None:
    n_skills = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    with tempfile.TemporaryDirectory(prefix="skillpath-search-") as directory:
        setup_django(directory)
        generate(n_skills)
        from django.test import Client

        from careers.search import search

        client = Client()
        print(f"search over {n_skills} skills, {runs} runs each (SQLite)")
        print("| query | hits | search() median ms (CPU) | p95 | page median ms (CPU) | p95 |")
        print("|---|---:|---:|---:|---:|---:|")
        worst = 0.0
        for query in QUERIES:
            hits = len(search(query).skills)
            alone, alone_cpu = timed(lambda q=query: search(q), runs)
            page, page_cpu = timed(lambda q=query: client.get("/search/", {"q": q}), runs)
            worst = max(worst, page_cpu)
            print(
                f"| {query} | {hits} | {statistics.median(alone):.1f} ({alone_cpu:.1f}) "
                f"| {p95(alone):.1f} | {statistics.median(page):.1f} ({page_cpu:.1f}) "
                f"| {p95(page):.1f} |"
            )
        verdict = "within" if worst < 50 else "OVER"
        print(f"slowest page: {worst:.1f} ms of CPU (median): {verdict} the 50 ms target")


if __name__ == "__main__":
    main()
