"""Search over skills and tracks, English and Chinese, ranked name > keywords > summary > text.

Two halves: `rank` and friends are pure functions over plain rows (tested without a
database); `search` loads the candidate rows in a fixed number of queries and ranks them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language

from .models import Skill, StepSkill, Track

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_SKILL_HITS = 50
MAX_TRACK_HITS = 10

# How much a term found in each field is worth: a match in the name beats any number of
# matches in the description. Keywords are curated aliases ("vllm", "dedup"), nearly a name.
WEIGHTS = {"name": 100, "keywords": 60, "tagline": 10, "summary": 10, "description": 1}
WHOLE_NAME_BONUS = 1000
NAME_PREFIX_BONUS = 200
SKILL_FIELDS = ("name", "keywords", "summary", "description")
TRACK_FIELDS = ("name", "tagline", "description")

# Letters, digits and CJK characters make a term; the rest (punctuation, symbols) only
# separates terms, so "vLLM!!!" is "vllm" and "%%%" is nothing.
# (\w covers CJK characters: 去重 is one term, 大模型 量化 two.)
_TERM = re.compile(r"\w+(?:[.#-]\w+)*(?:\+\+|#)?")


@dataclass(frozen=True)
class Candidate:
    """A searchable row: its identity and its texts in every language, field by field."""

    slug: str
    texts: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Placement:
    """Where a skill sits: a published track, one of its steps, core or optional."""

    track_slug: str
    track_name: str
    step_slug: str
    step_title: str
    core: bool
    position: int = 0  # in the order of every roadmap: track, step, then skill


@dataclass
class SkillHit:
    slug: str
    name: str
    summary: str
    hours: int
    score: int
    placements: list[Placement] = field(default_factory=list)
    status: str = ""  # the signed-in person's, filled in by the page


@dataclass
class TrackHit:
    slug: str
    name: str
    tagline: str
    score: int


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    skills: list[SkillHit] = field(default_factory=list)
    tracks: list[TrackHit] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.skills and not self.tracks


def clean_query(raw: str | None) -> str:
    """The query as searched: whitespace collapsed, cut (never refused) at 200 characters."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH].strip()


def query_terms(query: str) -> list[str]:
    """The distinct lower-case terms of a query, in order, at most MAX_TERMS."""
    terms: list[str] = []
    for term in _TERM.findall(query.lower()):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def score(candidate: Candidate, terms: list[str], query: str = "") -> int:
    """0 unless every term is found; else the weights of the fields holding each term, plus
    a bonus when the name is the query or starts with it.

    A name match (100) outweighs a summary and description match together (11), and a
    term found in the name and the summary beats one found in the name alone.
    """
    if not terms:
        return 0
    # One lower-cased blob per field: a term found anywhere in it earns the field's weight.
    blobs = [(WEIGHTS[name], "\n".join(texts).lower()) for name, texts in candidate.texts.items()]
    total = 0
    for term in terms:
        found = sum(weight for weight, blob in blobs if term in blob)
        if not found:
            return 0
        total += found
    wanted = " ".join(terms)
    phrase = query.lower().strip() or wanted
    names = [name.lower() for name in candidate.texts.get("name", ())]
    if any(name in (phrase, wanted) for name in names):
        total += WHOLE_NAME_BONUS
    elif any(name.startswith((phrase, wanted)) for name in names):
        total += NAME_PREFIX_BONUS
    return total


def rank(candidates: list[Candidate], terms: list[str], query: str = "") -> list[tuple[str, int]]:
    """(slug, score) of the matching candidates, best first; ties go to the shorter name
    (the more focused skill), then to the slug."""
    scored = [(c, score(c, terms, query)) for c in candidates]
    ranked = sorted(
        ((c, points) for c, points in scored if points),
        key=lambda item: (-item[1], _name_length(item[0]), item[0].slug),
    )
    return [(c.slug, points) for c, points in ranked]


def _name_length(candidate: Candidate) -> int:
    return min(map(len, candidate.texts.get("name", ())), default=0)


# Loading from the database --------------------------------------------------------


def _language_suffixes() -> list[str]:
    return [code.replace("-", "_") for code, _name in settings.LANGUAGES]


def searchable_columns(model, fields: tuple[str, ...]) -> dict[str, list[str]]:
    """Each field's database columns that exist: its translations, or the field itself.

    Fields a model does not have yet (Skill.keywords) are left out, so adding one to the
    model makes it searchable without a change here.
    """
    names = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    columns: dict[str, list[str]] = {}
    for name in fields:
        translated = [f"{name}_{suffix}" for suffix in _language_suffixes()]
        present = [column for column in translated if column in names]
        if present:
            columns[name] = present
        elif name in names:
            columns[name] = [name]
    return columns


def _spellings(model, column: str, term: str) -> set[str]:
    """The term as the column stores it: JSON text on SQLite escapes non-ASCII (去 is \\u53bb)."""
    spellings = {term}
    if model._meta.get_field(column).get_internal_type() == "JSONField":
        spellings.add(json.dumps(term)[1:-1])
    return spellings


def _matching(model, terms: list[str], columns: dict[str, list[str]]) -> Q:
    """Rows where every term appears in at least one column (the database narrows, we rank)."""
    every_column = [column for group in columns.values() for column in group]
    per_term = [
        reduce(
            or_,
            (
                Q(**{f"{column}__icontains": spelling})
                for column in every_column
                for spelling in _spellings(model, column, term)
            ),
        )
        for term in terms
    ]
    return reduce(and_, per_term)


def _as_text(value) -> tuple[str, ...]:
    """The texts in a column's value: a string, a list of them, or keywords by language."""
    if value is None:
        return ()
    if isinstance(value, dict):
        return tuple(text for item in value.values() for text in _as_text(item))
    if isinstance(value, list | tuple):
        return tuple(text for item in value for text in _as_text(item))
    return (str(value),)


def _candidate(row: dict, columns: dict[str, list[str]]) -> Candidate:
    texts = {
        name: tuple(text for column in group for text in _as_text(row[column]))
        for name, group in columns.items()
    }
    return Candidate(slug=row["slug"], texts=texts)


def localised(row: dict, name: str) -> str:
    """A translated field of a values() row in the active language, English as fallback."""
    suffix = (get_language() or "en").replace("-", "_")
    return row.get(f"{name}_{suffix}") or row.get(f"{name}_en") or row.get(name) or ""


def search(raw_query: str | None) -> SearchResults:
    """Skills and published tracks matching the query, in three queries whatever the catalogue."""
    query = clean_query(raw_query)
    terms = query_terms(query)
    results = SearchResults(query=query, terms=terms)
    if not terms:
        return results

    skill_columns = searchable_columns(Skill, SKILL_FIELDS)
    skill_rows = {
        row["slug"]: row
        for row in Skill.objects.active()
        .filter(_matching(Skill, terms, skill_columns))
        .values("id", "slug", "hours", *{c for group in skill_columns.values() for c in group})
    }
    ranked = rank([_candidate(r, skill_columns) for r in skill_rows.values()], terms, query)
    for slug, points in ranked[:MAX_SKILL_HITS]:
        row = skill_rows[slug]
        results.skills.append(
            SkillHit(
                slug=slug,
                name=localised(row, "name"),
                summary=localised(row, "summary"),
                hours=row["hours"],
                score=points,
            )
        )
    placements = placements_of([hit.slug for hit in results.skills])
    for hit in results.skills:
        hit.placements = placements.get(hit.slug, [])

    track_columns = searchable_columns(Track, TRACK_FIELDS)
    track_rows = {
        row["slug"]: row
        for row in Track.objects.published()
        .filter(_matching(Track, terms, track_columns))
        .values("slug", *{c for group in track_columns.values() for c in group})
    }
    ranked_tracks = rank([_candidate(r, track_columns) for r in track_rows.values()], terms, query)
    results.tracks = [
        TrackHit(
            slug=slug,
            name=localised(track_rows[slug], "name"),
            tagline=localised(track_rows[slug], "tagline"),
            score=points,
        )
        for slug, points in ranked_tracks[:MAX_TRACK_HITS]
    ]
    return results


def placements_of(skill_slugs: list[str] | None = None) -> dict[str, list[Placement]]:
    """The published tracks and steps of each skill (of all skills without a list), one query."""
    links = StepSkill.objects.filter(track__published=True)
    if skill_slugs is not None:
        links = links.filter(skill__slug__in=skill_slugs)
    suffixes = _language_suffixes()
    rows = links.order_by("track__order", "track__slug", "step__order", "order").values(
        "skill__slug",
        "track__slug",
        "step__slug",
        "importance",
        *[f"track__name_{s}" for s in suffixes],
        *[f"step__title_{s}" for s in suffixes],
    )
    found: dict[str, list[Placement]] = {}
    for position, row in enumerate(rows):
        track = {key.removeprefix("track__"): v for key, v in row.items() if "track__" in key}
        step = {key.removeprefix("step__"): v for key, v in row.items() if "step__" in key}
        found.setdefault(row["skill__slug"], []).append(
            Placement(
                track_slug=row["track__slug"],
                track_name=localised(track, "name"),
                step_slug=row["step__slug"],
                step_title=localised(step, "title"),
                core=row["importance"] == "core",
                position=position,
            )
        )
    return found


# The skill index ------------------------------------------------------------------

EFFORT_BANDS = {"short": (0, 10), "medium": (11, 40), "long": (41, 10_000)}
SORTS = ("name", "hours", "-hours", "roadmap")


@dataclass
class IndexRow:
    slug: str
    name: str
    summary: str
    hours: int
    placements: list[Placement] = field(default_factory=list)
    status: str = ""


@dataclass(frozen=True)
class IndexFilters:
    track: str = ""
    step: str = ""
    importance: str = ""  # "core" or "optional"
    status: str = ""  # "none", "learning", "done" or "skipped"; only for a signed-in person
    effort: str = ""  # a key of EFFORT_BANDS
    sort: str = "name"


def index_rows() -> list[IndexRow]:
    """Every active skill with its placements, in two queries whatever the catalogue."""
    suffixes = _language_suffixes()
    columns = [f"{name}_{s}" for name in ("name", "summary") for s in suffixes]
    placements = placements_of()
    rows = Skill.objects.active().values("slug", "hours", *columns)
    return [
        IndexRow(
            slug=row["slug"],
            name=localised(row, "name"),
            summary=localised(row, "summary"),
            hours=row["hours"],
            placements=placements.get(row["slug"], []),
        )
        for row in rows
    ]


def _in_scope(row: IndexRow, filters: IndexFilters) -> list[Placement]:
    return [
        p
        for p in row.placements
        if (not filters.track or p.track_slug == filters.track)
        and (not filters.step or p.step_slug == filters.step)
    ]


def filter_index(
    rows: list[IndexRow], filters: IndexFilters, statuses: dict[str, str] | None = None
) -> list[IndexRow]:
    """The rows that pass every filter, sorted; statuses (slug -> status) mark each row."""
    kept = []
    for row in rows:
        row.status = statuses.get(row.slug, "none") if statuses is not None else ""
        placements = _in_scope(row, filters) if filters.track or filters.step else row.placements
        if (filters.track or filters.step) and not placements:
            continue
        if filters.importance and not any(
            p.core == (filters.importance == "core") for p in placements
        ):
            continue
        if filters.status and row.status != filters.status:
            continue
        if filters.effort:
            low, high = EFFORT_BANDS[filters.effort]
            if not low <= row.hours <= high:
                continue
        kept.append(row)
    return sort_index(kept, filters)


def sort_index(rows: list[IndexRow], filters: IndexFilters) -> list[IndexRow]:
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.slug))
    if filters.sort == "hours":
        return sorted(by_name, key=lambda row: row.hours)
    if filters.sort == "-hours":
        return sorted(by_name, key=lambda row: -row.hours)
    if filters.sort == "roadmap":
        # In the order of the roadmaps (of the chosen track, if any); unplaced skills last.
        unplaced = 1 << 30

        def position(row: IndexRow) -> int:
            scoped = _in_scope(row, filters) or row.placements
            return min((p.position for p in scoped), default=unplaced)

        return sorted(by_name, key=position)
    return by_name
