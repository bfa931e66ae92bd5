"""Time the transcript's PDF: `python bench/report_pdf_benchmark.py [N_SKILLS] [RUNS]`.

Renders the same template and stylesheet as /me/report.pdf for a transcript of N done skills
(each with an evidence link and a verification), in English and Chinese, without a database.
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from careers.content_types import SkillInfo, SkillSlot, StepInfo, TrackInfo  # noqa: E402
from profiles import gap, pdf  # noqa: E402
from profiles import transcript as transcript_data  # noqa: E402


def context(n_skills: int) -> dict:
    """A transcript of n_skills done skills in steps of eight, plus a gap of ten."""
    when = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    total = n_skills + 10
    skills = {
        f"skill-{i}": SkillInfo(f"skill-{i}", f"Skill number {i} 技能", 10 + i % 30)
        for i in range(total)
    }
    slugs = list(skills)
    steps = tuple(
        StepInfo(f"step-{s}", f"Step {s} 阶段", tuple(SkillSlot(x, True) for x in chunk))
        for s, chunk in enumerate(slugs[i : i + 8] for i in range(0, total, 8))
    )
    track = TrackInfo("t", "LLM platform engineer", steps)
    records = [
        transcript_data.Record(
            slug,
            "done",
            f"https://github.com/learner/project-{i}",
            when - timedelta(days=60),
            when - timedelta(days=i),
            "mentor",
            when,
        )
        for i, slug in enumerate(slugs[:n_skills])
    ]
    records.append(transcript_data.Record(slugs[n_skills], "learning", started_at=when))
    statuses = {record.slug: record.status for record in records}
    return {
        "owner": SimpleNamespace(get_username=lambda: "learner"),
        "profile": SimpleNamespace(weekly_hours=8),
        "target": track,
        "report": gap.analyse(track, skills, statuses, 8),
        "transcript": transcript_data.build(track, skills, records),
        "generated": when,
        "page_url": "https://skillpath.example.com/me/report/",
        "pdf": True,
    }


def main() -> None:
    n_skills = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    data = context(n_skills)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            timings, cpu = [], []
            for _ in range(runs + 1):
                start, start_cpu = time.perf_counter(), time.process_time()
                html = render_to_string("profiles/report_document.html", data)
                document = pdf.html_to_pdf(html, base_url="https://skillpath.example.com/")
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            first, rest = timings[0], sorted(timings[1:])
            # CPU time as well: on a shared machine the wall time says more about the others.
            print(
                f"PDF of a {n_skills}-skill transcript ({language}, {len(document) // 1024} KiB): "
                f"first {first:.0f} ms, median {statistics.median(rest):.0f} ms, "
                f"max {rest[-1]:.0f} ms over {len(rest)} runs; "
                f"CPU: first {cpu[0]:.0f} ms, median {statistics.median(cpu[1:]):.0f} ms"
            )


if __name__ == "__main__":
    main()
