"""The advisor: tracks ranked for a person's answers, by the rules in content/advisor.yaml."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from .content_io import DEFAULT_CONTENT_DIR, ContentError, Text, _Reader, read_content

RULES_FILE = DEFAULT_CONTENT_DIR / "advisor.yaml"
LABEL = "advisor.yaml"
KINDS = {"single", "multiple"}
# Question keys become form field names and query-string parameters.
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_WEIGHT = 20

Answers = Mapping[str, str | Sequence[str] | None]


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    weights: dict[str, int]
    reasons: dict[str, Text]
    skills: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    key: str
    multiple: bool
    label: Text
    help: Text
    options: tuple[Option, ...]


@dataclass(frozen=True)
class TrackRule:
    slug: str
    entry: Text
    via: str | None


@dataclass(frozen=True)
class Rules:
    tracks: tuple[TrackRule, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Suggestion:
    track: str
    score: int
    reasons: list[str]
    entry: str
    via: str | None  # the track to enter through first, if any


def localize(text: Text) -> str:
    """The text in the active language, falling back to English."""
    language = "zh" if (get_language() or "").startswith("zh") else "en"
    return text.get(language) or text.get("en", "")


# Loading ----------------------------------------------------------------------


class _RulesReader(_Reader):
    """The content reader's checks, plus the advisor's own: both languages are required."""

    def both(self, where: str, value: Any) -> Text:
        text = self.text(where, value, None)
        if text and not text.get("zh"):
            self.error(where, "Chinese text ('zh') is required")
        return text

    def optional_mapping(self, where: str, value: Any) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(where, "expected a mapping of track slugs")
            return {}
        return value


def _read_tracks(reader: _RulesReader, raw: Any, known: Collection[str] | None) -> list[TrackRule]:
    if not isinstance(raw, list) or not raw:
        reader.error(f"{LABEL}: tracks", "expected a non-empty list")
        return []
    rules = []
    for index, item in enumerate(raw):
        where = f"{LABEL}: track #{index + 1}"
        if not reader.mapping(where, item, {"slug", "entry"}, {"via"}):
            continue
        slug = reader.slug(f"{where}.slug", item["slug"])
        where = f"{LABEL}: track '{slug}'"
        if slug and known is not None and slug not in known:
            reader.error(where, f"unknown track '{slug}'")
        if any(rule.slug == slug for rule in rules):
            reader.error(where, "listed twice")
        via = item.get("via")
        if via is not None:
            via = reader.slug(f"{where}.via", via) or None
        rules.append(
            TrackRule(slug=slug, entry=reader.both(f"{where}.entry", item["entry"]), via=via)
        )
    slugs = {rule.slug for rule in rules}
    for rule in rules:
        if rule.via == rule.slug:
            reader.error(f"{LABEL}: track '{rule.slug}'.via", "a track cannot lead to itself")
        elif rule.via and rule.via not in slugs:
            reader.error(f"{LABEL}: track '{rule.slug}'.via", f"unknown track '{rule.via}'")
    return rules


def _read_option(
    reader: _RulesReader,
    where: str,
    item: Any,
    tracks: set[str],
    skills: Mapping[str, bool] | None,
) -> Option | None:
    if not reader.mapping(where, item, {"value", "label"}, {"weights", "reasons", "skills"}):
        return None
    if not isinstance(item["value"], str) or not item["value"]:
        # Unquoted yes, no or 0 arrive from YAML as a boolean or a number.
        reader.error(f"{where}.value", f"expected quoted text, not {item['value']!r}")
    weights = {}
    for slug, weight in reader.optional_mapping(f"{where}.weights", item.get("weights")).items():
        if slug not in tracks:
            reader.error(f"{where}.weights", f"unknown track '{slug}'")
        weights[slug] = reader.integer(f"{where}.weights.{slug}", weight, -MAX_WEIGHT, MAX_WEIGHT)
    reasons = {}
    for slug, text in reader.optional_mapping(f"{where}.reasons", item.get("reasons")).items():
        if slug not in tracks:
            reader.error(f"{where}.reasons", f"unknown track '{slug}'")
        reasons[slug] = reader.both(f"{where}.reasons.{slug}", text)
    option_skills = reader.slug_list(f"{where}.skills", item.get("skills"))
    for slug in option_skills if skills is not None else ():
        if slug not in skills:
            reader.error(f"{where}.skills", f"unknown skill '{slug}' (not in skills.yaml)")
        elif skills[slug]:
            reader.error(f"{where}.skills", f"skill '{slug}' is archived")
    return Option(
        value=str(item["value"]),
        label=reader.both(f"{where}.label", item["label"]),
        weights=weights,
        reasons=reasons,
        skills=tuple(dict.fromkeys(option_skills)),
    )


def _read_questions(
    reader: _RulesReader, raw: Any, tracks: set[str], skills: Mapping[str, bool] | None
) -> list[Question]:
    if not isinstance(raw, list) or not raw:
        reader.error(f"{LABEL}: questions", "expected a non-empty list")
        return []
    questions = []
    for index, item in enumerate(raw):
        where = f"{LABEL}: question #{index + 1}"
        if not reader.mapping(where, item, {"key", "kind", "label", "options"}, {"help"}):
            continue
        key = item["key"]
        if not isinstance(key, str) or not KEY_RE.match(key):
            reader.error(f"{where}.key", f"invalid key {key!r} (lowercase letters, digits, _)")
            key = ""
        where = f"{LABEL}: question '{key}'" if key else where
        if key and any(question.key == key for question in questions):
            reader.error(where, "duplicate key")
        if item["kind"] not in KINDS:
            reader.error(f"{where}.kind", "must be single or multiple")
        raw_options = item["options"]
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            reader.error(f"{where}.options", "expected a list of at least two answers")
            raw_options = []
        options: list[Option] = []
        for o_index, o_item in enumerate(raw_options):
            value = o_item.get("value") if isinstance(o_item, dict) else None
            o_where = f"{where}: option " + (f"'{value}'" if value else f"#{o_index + 1}")
            option = _read_option(reader, o_where, o_item, tracks, skills)
            if option and any(other.value == option.value for other in options):
                reader.error(o_where, "duplicate value")
            if option:
                options.append(option)
        questions.append(
            Question(
                key=key,
                multiple=item["kind"] == "multiple",
                label=reader.both(f"{where}.label", item["label"]),
                help=reader.both(f"{where}.help", item["help"]) if "help" in item else {},
                options=tuple(options),
            )
        )
    return questions


@dataclass(frozen=True)
class KnownContent:
    """The tracks and skills the rules may name: slugs, and whether each skill is archived."""

    tracks: frozenset[str]
    skills: Mapping[str, bool]


def content_files(content_dir: Path = DEFAULT_CONTENT_DIR) -> KnownContent:
    """The tracks and skills of the content files, for checking the rules before a deploy."""
    content = read_content(content_dir)
    return KnownContent(
        tracks=frozenset(track.slug for track in content.tracks),
        skills={skill.slug: skill.archived for skill in content.skills},
    )


def load_rules(path: Path = RULES_FILE, known: KnownContent | None = None) -> Rules:
    """Read and check the rules, and against known content if given; raise ContentError."""
    reader = _RulesReader()
    raw = reader.load_yaml(Path(path), LABEL)
    tracks: list[TrackRule] = []
    questions: list[Question] = []
    if raw is None and not reader.errors:
        reader.error(LABEL, "file is empty")
    elif raw is not None and reader.mapping(LABEL, raw, {"tracks", "questions"}, set()):
        tracks = _read_tracks(reader, raw["tracks"], known.tracks if known else None)
        slugs = {rule.slug for rule in tracks}
        questions = _read_questions(
            reader, raw["questions"], slugs, known.skills if known else None
        )
    if reader.errors:
        raise ContentError(reader.errors)
    return Rules(tracks=tuple(tracks), questions=tuple(questions))


@functools.cache
def get_rules() -> Rules:
    """The bundled rules, read once per process (they change only with a deploy).

    Only advisor.yaml is read: the tests check it against the content files, and the page
    keeps what the database publishes (the catalogue), so no content file is read at runtime.
    """
    return load_rules()


# Advice -----------------------------------------------------------------------


def _chosen(answers: Answers, rules: Rules) -> Iterator[Option]:
    """The options picked in answers; unanswered questions count for nothing."""
    for question in rules.questions:
        given = answers.get(question.key) or []
        values = [given] if isinstance(given, str) else list(given)
        if len(values) > 1 and not question.multiple:
            raise ValueError(f"question '{question.key}' takes one answer, got {values!r}")
        options = {option.value: option for option in question.options}
        for value in values:
            if value not in options:
                raise ValueError(f"unknown answer {value!r} to question '{question.key}'")
            yield options[value]


def advise(answers: Answers, rules: Rules | None = None) -> list[Suggestion]:
    """Every track in the rules, best fit first, with reasons in the active language."""
    rules = rules or get_rules()
    scores = {track.slug: 0 for track in rules.tracks}
    reasons: dict[str, list[str]] = {track.slug: [] for track in rules.tracks}
    for option in _chosen(answers, rules):
        for slug, weight in option.weights.items():
            scores[slug] += weight
        for slug, text in option.reasons.items():
            reasons[slug].append(localize(text))
    # sorted() is stable, so ties keep the file's order: the easier entry first.
    ranked = sorted(rules.tracks, key=lambda track: -scores[track.slug])
    return [
        Suggestion(
            track=track.slug,
            score=scores[track.slug],
            reasons=reasons[track.slug],
            entry=localize(track.entry),
            via=track.via,
        )
        for track in ranked
    ]


def known_skills(answers: Answers, rules: Rules | None = None) -> list[str]:
    """Slugs of the skills people with these answers probably have, without repeats."""
    rules = rules or get_rules()
    slugs = (slug for option in _chosen(answers, rules) for slug in option.skills)
    return list(dict.fromkeys(slugs))
