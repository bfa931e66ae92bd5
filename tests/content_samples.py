"""A small, valid set of content files that tests copy and break one rule at a time."""

import copy
from pathlib import Path

import yaml


def text(en: str, zh: str | None = None) -> dict:
    return {"en": en, "zh": zh or f"{en}(中文)"}


def skill(slug: str, prerequisites=(), hours: int = 10) -> dict:
    return {
        "slug": slug,
        "name": text(slug.replace("-", " ").title()),
        "summary": text(f"What {slug} is."),
        "description": text(f"What {slug} covers.\n\nYou have it when you can use {slug}."),
        "hours": hours,
        "prerequisites": list(prerequisites),
        "resources": [
            {
                "title": text(f"{slug} docs"),
                "url": f"https://example.com/{slug}",
                "kind": "docs",
                "language": "en",
            },
            {
                "title": text(f"{slug} paper"),
                "url": f"https://arxiv.org/abs/{slug}",
                "kind": "paper",
                "language": "en",
            },
        ],
    }


def track(slug: str, steps: list[tuple[str, list[tuple[str, str]]]], transitions=()) -> dict:
    return {
        "slug": slug,
        "order": 1,
        "published": True,
        "name": text(slug.title()),
        "tagline": text("A way in."),
        "description": text("The work."),
        "suits": text("Who it suits."),
        "entry_difficulty": 2,
        "entry": text("How to get in."),
        "first_tasks": text("Environment setup."),
        "credits": text("Our own summary."),
        "steps": [
            {
                "slug": step_slug,
                "title": text(step_slug.title()),
                "summary": text("Why this step."),
                "outcome": text("What you can do."),
                "skills": [{"skill": s, "importance": imp} for s, imp in skills],
            }
            for step_slug, skills in steps
        ],
        "transitions": [{"to": to, "why": text("Because.")} for to in transitions],
    }


VALID = {
    "skills.yaml": {
        "skills": [
            skill("python"),
            skill("sql"),
            skill("dedup", ["python"]),
            skill("pipelines", ["python", "sql"]),
            skill("cuda", hours=30),
        ]
    },
    "tracks/data.yaml": track(
        "data",
        [
            # Core skills bring their prerequisites, earlier in the roadmap (the closure rule).
            ("basics", [("python", "core"), ("sql", "core")]),
            ("cleaning", [("dedup", "core"), ("pipelines", "core"), ("cuda", "optional")]),
        ],
        transitions=["platform"],
    ),
    "tracks/platform.yaml": track(
        "platform", [("basics", [("python", "core"), ("cuda", "core")])], transitions=["data"]
    ),
}


def valid_files() -> dict:
    return copy.deepcopy(VALID)


def write_files(directory: Path, files: dict) -> Path:
    """Write {relative path: data or raw text} as YAML under directory."""
    (directory / "tracks").mkdir(parents=True, exist_ok=True)
    for relative, data in files.items():
        content = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        (directory / relative).write_text(content, encoding="utf-8")
    return directory
