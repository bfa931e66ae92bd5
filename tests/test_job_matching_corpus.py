"""Precision and recall of the matcher on the labelled postings in tests/data/jobs/.

Run with -s to see the figures: .venv/bin/python -m pytest tests/test_job_matching_corpus.py -s
"""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from careers.content_io import DEFAULT_CONTENT_DIR, read_content
from careers.job_matching import build_index, match_posting

CORPUS = Path(__file__).parent / "data" / "jobs"
THRESHOLD = 0.85


def load_corpus() -> list[dict]:
    return [
        {"file": path.name, **yaml.safe_load(path.read_text(encoding="utf-8"))}
        for path in sorted(CORPUS.glob("*.yaml"))
    ]


@pytest.fixture(scope="module")
def postings():
    return load_corpus()


@pytest.fixture(scope="module")
def index():
    content = read_content(DEFAULT_CONTENT_DIR)
    return build_index(
        {
            skill.slug: [word for words in skill.keywords.values() for word in words]
            for skill in content.skills
            if not skill.archived
        }
    )


def test_the_corpus_covers_both_languages_all_directions_and_levels(postings):
    assert len(postings) >= 40
    languages = Counter(posting["language"] for posting in postings)
    assert languages["en"] >= 20 and languages["zh"] >= 20
    directions = {"data", "platform", "application", "deployment"}
    for language in ("en", "zh"):
        assert {p["direction"] for p in postings if p["language"] == language} == directions
        assert {p["level"] for p in postings if p["language"] == language} == {
            "junior",
            "mid",
            "senior",
        }
    slugs = {skill.slug for skill in read_content(DEFAULT_CONTENT_DIR).skills}
    for posting in postings:
        assert set(posting["skills"]) <= slugs, posting["file"]
        assert len(posting["text"]) > 150, posting["file"]


def _figures(postings: list[dict], index) -> tuple[float, float, int, int, int, list[str]]:
    """Precision, recall, right, extra and missed skills over postings, and each miss."""
    true_positives = false_positives = false_negatives = 0
    misses = []
    for posting in postings:
        found = set(match_posting(posting["text"], index).slugs)
        wanted = set(posting["skills"])
        true_positives += len(found & wanted)
        false_positives += len(found - wanted)
        false_negatives += len(wanted - found)
        if found != wanted:
            extra, missed = sorted(found - wanted), sorted(wanted - found)
            misses.append(f"{posting['file']}: extra {extra}, missed {missed}")
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)
    return precision, recall, true_positives, false_positives, false_negatives, misses


def test_precision_and_recall_on_the_corpus(postings, index):
    """Over the whole corpus and over each language alone: a language must not hide
    behind the other."""
    groups = {"all": postings}
    for language in ("en", "zh"):
        groups[language] = [p for p in postings if p["language"] == language]
    failures, all_misses = [], []
    for name, group in groups.items():
        precision, recall, right, extra, missed, misses = _figures(group, index)
        print(
            f"\njob matching on {len(group)} postings ({name}): precision {precision:.3f}, "
            f"recall {recall:.3f} ({right} right, {extra} extra, {missed} missed)"
        )
        if name == "all":
            all_misses = misses
        if precision < THRESHOLD or recall < THRESHOLD:
            failures.append(f"{name}: precision {precision:.3f}, recall {recall:.3f}")
    print("\n".join(all_misses))
    assert not failures, f"below {THRESHOLD}: {failures}"
