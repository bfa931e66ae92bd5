"""Content files (YAML) to and from the database: validated first, written all or nothing."""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from .closure import Link, closure_problems
from .graph import describe_cycle, find_cycle
from .job_matching import normalise
from .models import Importance, Resource, RoadmapStep, Skill, StepSkill, Track, Transition
from .signals import one_invalidation

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"
SKILLS_FILE = "skills.yaml"
TRACKS_DIR = "tracks"
# YAML language keys and the model field suffix modeltranslation gives each.
LANGUAGE_SUFFIXES = {"en": "en", "zh": "zh_hans"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_url_validator = URLValidator(schemes=["http", "https"])

Text = dict[str, str]


class ContentError(Exception):
    """The content files are invalid; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ResourceData:
    title: Text
    url: str
    kind: str
    language: str
    checked: datetime.date | None = None


@dataclass
class SkillData:
    slug: str
    name: Text
    summary: Text
    description: Text
    hours: int
    prerequisites: list[str]
    archived: bool
    resources: list[ResourceData]
    replaced_by: str | None = None
    keywords: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class StepData:
    slug: str
    title: Text
    summary: Text
    outcome: Text
    skills: list[tuple[str, str]]  # (skill slug, importance)
    first_job: list[str] = field(default_factory=list)  # skill slugs on the first-job path
    project: dict[str, Text] = field(default_factory=dict)  # PROJECT_PARTS -> text


@dataclass
class TransitionData:
    to: str
    why: Text


@dataclass
class TrackData:
    slug: str
    order: int
    published: bool
    texts: dict[str, Text]
    entry_difficulty: int
    steps: list[StepData]
    transitions: list[TransitionData]


@dataclass
class Content:
    skills: list[SkillData]
    tracks: list[TrackData]
    # Keywords that may name several skills: a posting that says one finds each of them.
    shared_keywords: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Skills and skill links: the units an import's progress is counted in."""
        links = sum(len(step.skills) for track in self.tracks for step in track.steps)
        return len(self.skills) + links


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    archived: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.archived)

    def lines(self) -> list[str]:
        out = []
        for verb, counts in (
            ("created", self.created),
            ("updated", self.updated),
            ("deleted", self.deleted),
        ):
            for kind, n in sorted(counts.items()):
                out.append(f"{verb} {n} {kind}")
        if self.archived:
            out.append(f"archived {len(self.archived)} skills: {', '.join(self.archived)}")
        return out


# The parts of a step's closing project, each a translated text, all required.
PROJECT_PARTS = ("build", "data", "check", "no_gpu")
TRACK_TEXTS = ("name", "tagline", "description", "suits", "entry", "first_tasks", "credits")
OPTIONAL_TRACK_TEXTS = {"credits"}


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


class _Reader:
    """Collects every problem in the files instead of stopping at the first."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def load_yaml(self, path: Path, label: str) -> Any:
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            self.error(label, f"malformed YAML: {exc}".replace("\n", " "))
        except (OSError, UnicodeDecodeError) as exc:
            self.error(label, f"cannot read file: {exc}")
        return None

    def mapping(self, where: str, value: Any, required: set[str], optional: set[str]) -> bool:
        if not isinstance(value, dict):
            self.error(where, "expected a mapping of fields")
            return False
        ok = True
        for key in sorted(required - value.keys()):
            self.error(where, f"missing field '{key}'")
            ok = False
        for key in sorted(value.keys() - required - optional, key=str):
            self.error(where, f"unknown field '{key}'")
            ok = False
        return ok

    def text(self, where: str, value: Any, max_length: int | None, required=True) -> Text:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.error(where, "expected a mapping with 'en' and optionally 'zh'")
            return {}
        result = {}
        for key in sorted(value.keys() - LANGUAGE_SUFFIXES.keys(), key=str):
            self.error(where, f"unknown language '{key}' (use en and zh)")
        for lang in LANGUAGE_SUFFIXES:
            item = value.get(lang)
            if item is None:
                continue
            if not isinstance(item, str):
                self.error(f"{where}.{lang}", "expected text")
                continue
            item = item.strip()
            if max_length and len(item) > max_length:
                self.error(f"{where}.{lang}", f"longer than {max_length} characters")
            result[lang] = item
        if required and not result.get("en"):
            self.error(where, "English text ('en') is required")
        return result

    def integer(self, where: str, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(where, f"expected a whole number from {low} to {high}")
            return low
        return value

    def boolean(self, where: str, value: Any) -> bool:
        if not isinstance(value, bool):
            self.error(where, "expected true or false")
            return False
        return value

    def date(self, where: str, value: Any) -> datetime.date | None:
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.error(where, f"expected a date as YYYY-MM-DD, not {value!r}")
            return None

    def slug(self, where: str, value: Any) -> str:
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > 50:
            self.error(where, f"invalid slug {value!r} (lowercase letters, digits, hyphens)")
            return ""
        return value

    def optional_slug(self, where: str, value: Any) -> str | None:
        if value is None:
            return None
        return self.slug(where, value) or None

    def slug_list(self, where: str, value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(where, "expected a list of slugs")
            return []
        return [s for i, item in enumerate(value) if (s := self.slug(f"{where}[{i}]", item))]


def _read_keywords(reader: _Reader, where: str, value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        reader.error(where, "expected a mapping with 'en' and 'zh' lists")
        return {}
    result = {}
    for key in sorted(value.keys() - LANGUAGE_SUFFIXES.keys(), key=str):
        reader.error(where, f"unknown language '{key}' (use en and zh)")
    for lang in LANGUAGE_SUFFIXES:
        words = value.get(lang)
        if words is None:
            continue
        if not isinstance(words, list):
            reader.error(f"{where}.{lang}", "expected a list of phrases")
            continue
        kept = []
        for index, word in enumerate(words):
            if not isinstance(word, str) or not normalise(word):
                reader.error(f"{where}.{lang}[{index}]", "expected a non-empty phrase")
                continue
            kept.append(word.strip())
        result[lang] = kept
    return result


def _read_shared_keywords(reader: _Reader, data: dict, label: str) -> list[str]:
    value = data.get("shared_keywords") or []
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        reader.error(f"{label}.shared_keywords", "expected a list of phrases")
        return []
    return [word.strip() for word in value]


def _read_skills(reader: _Reader, data: Any, label: str) -> list[SkillData]:
    if not reader.mapping(label, data, {"skills"}, {"shared_keywords"}):
        return []
    if not isinstance(data["skills"], list):
        reader.error(label, "'skills' must be a list")
        return []
    skills = []
    seen: set[str] = set()
    for index, raw in enumerate(data["skills"]):
        where = f"{label}: skill #{index + 1}"
        if isinstance(raw, dict) and isinstance(raw.get("slug"), str):
            where = f"{label}: skill '{raw['slug']}'"
        required = {"slug", "name", "summary", "description", "hours"}
        optional = {"keywords", "prerequisites", "archived", "resources", "replaced_by"}
        if not reader.mapping(where, raw, required, optional):
            continue
        slug = reader.slug(f"{where}.slug", raw["slug"])
        if slug in seen:
            reader.error(where, "duplicate slug")
        seen.add(slug)
        resources = []
        raw_resources = raw.get("resources") or []
        if not isinstance(raw_resources, list):
            reader.error(f"{where}.resources", "expected a list")
            raw_resources = []
        urls: set[str] = set()
        for r_index, r_raw in enumerate(raw_resources):
            r_where = f"{where}.resources[{r_index}]"
            r_required = {"title", "url", "kind", "language"}
            if not reader.mapping(r_where, r_raw, r_required, {"checked"}):
                continue
            url = r_raw["url"]
            try:
                if not isinstance(url, str) or len(url) > _max_length(Resource, "url"):
                    raise ValidationError("bad")
                _url_validator(url)
            except ValidationError:
                reader.error(f"{r_where}.url", f"not an http(s) URL: {url!r}")
            if url in urls:
                reader.error(f"{r_where}.url", "listed twice for this skill")
            urls.add(url)
            if r_raw["kind"] not in Resource.Kind.values:
                reader.error(f"{r_where}.kind", f"must be one of {', '.join(Resource.Kind.values)}")
            if r_raw["language"] not in Resource.Language.values:
                reader.error(f"{r_where}.language", "must be en or zh")
            resources.append(
                ResourceData(
                    title=reader.text(
                        f"{r_where}.title", r_raw["title"], _max_length(Resource, "title")
                    ),
                    url=str(url),
                    kind=str(r_raw["kind"]),
                    language=str(r_raw["language"]),
                    checked=reader.date(f"{r_where}.checked", r_raw.get("checked")),
                )
            )
        skills.append(
            SkillData(
                slug=slug,
                name=reader.text(f"{where}.name", raw["name"], _max_length(Skill, "name")),
                summary=reader.text(
                    f"{where}.summary", raw["summary"], _max_length(Skill, "summary")
                ),
                description=reader.text(f"{where}.description", raw["description"], None),
                hours=reader.integer(f"{where}.hours", raw["hours"], 1, 2000),
                prerequisites=reader.slug_list(f"{where}.prerequisites", raw.get("prerequisites")),
                archived=reader.boolean(f"{where}.archived", raw.get("archived", False)),
                resources=resources,
                replaced_by=reader.optional_slug(f"{where}.replaced_by", raw.get("replaced_by")),
                keywords=_read_keywords(reader, f"{where}.keywords", raw.get("keywords")),
            )
        )
    return skills


def _read_project(reader: _Reader, where: str, raw: Any) -> dict[str, Text]:
    if raw is None:
        return {}
    if not reader.mapping(where, raw, set(PROJECT_PARTS), set()):
        return {}
    return {part: reader.text(f"{where}.{part}", raw[part], None) for part in PROJECT_PARTS}


def _read_track(reader: _Reader, data: Any, label: str, stem: str) -> TrackData | None:
    required = {"slug", "name", "tagline", "description", "suits", "entry", "first_tasks"}
    required |= {"entry_difficulty", "steps"}
    if not reader.mapping(label, data, required, {"order", "published", "credits", "transitions"}):
        return None
    slug = reader.slug(f"{label}.slug", data["slug"])
    if slug and slug != stem:
        reader.error(label, f"slug '{slug}' must match the file name ({stem}.yaml)")
    texts = {
        name: reader.text(
            f"{label}.{name}",
            data.get(name),
            _max_length(Track, name),
            required=name not in OPTIONAL_TRACK_TEXTS,
        )
        for name in TRACK_TEXTS
    }
    steps = []
    if not isinstance(data["steps"], list):
        reader.error(f"{label}.steps", "expected a list")
    else:
        step_slugs: set[str] = set()
        for index, raw in enumerate(data["steps"]):
            where = f"{label}: step #{index + 1}"
            if isinstance(raw, dict) and isinstance(raw.get("slug"), str):
                where = f"{label}: step '{raw['slug']}'"
            step_optional = {"summary", "outcome", "project"}
            if not reader.mapping(where, raw, {"slug", "title", "skills"}, step_optional):
                continue
            step_slug = reader.slug(f"{where}.slug", raw["slug"])
            if step_slug in step_slugs:
                reader.error(where, "duplicate step slug in this track")
            step_slugs.add(step_slug)
            step_skills = []
            first_job = []
            raw_skills = raw["skills"]
            if not isinstance(raw_skills, list):
                reader.error(f"{where}.skills", "expected a list")
                raw_skills = []
            for s_index, s_raw in enumerate(raw_skills):
                s_where = f"{where}.skills[{s_index}]"
                if not reader.mapping(s_where, s_raw, {"skill", "importance"}, {"first_job"}):
                    continue
                if s_raw["importance"] not in Importance.values:
                    reader.error(f"{s_where}.importance", "must be core or optional")
                skill_slug = reader.slug(f"{s_where}.skill", s_raw["skill"])
                step_skills.append((skill_slug, str(s_raw["importance"])))
                if reader.boolean(f"{s_where}.first_job", s_raw.get("first_job", False)):
                    first_job.append(skill_slug)
            steps.append(
                StepData(
                    slug=step_slug,
                    title=reader.text(
                        f"{where}.title", raw["title"], _max_length(RoadmapStep, "title")
                    ),
                    summary=reader.text(f"{where}.summary", raw.get("summary"), None, False),
                    outcome=reader.text(f"{where}.outcome", raw.get("outcome"), None, False),
                    skills=step_skills,
                    first_job=first_job,
                    project=_read_project(reader, f"{where}.project", raw.get("project")),
                )
            )
    transitions = []
    raw_transitions = data.get("transitions") or []
    if not isinstance(raw_transitions, list):
        reader.error(f"{label}.transitions", "expected a list")
        raw_transitions = []
    for index, raw in enumerate(raw_transitions):
        where = f"{label}: transition #{index + 1}"
        if not reader.mapping(where, raw, {"to", "why"}, set()):
            continue
        transitions.append(
            TransitionData(
                to=reader.slug(f"{where}.to", raw["to"]),
                why=reader.text(f"{where}.why", raw["why"], None),
            )
        )
    return TrackData(
        slug=slug,
        order=reader.integer(f"{label}.order", data.get("order", 0), 0, 1000),
        published=reader.boolean(f"{label}.published", data.get("published", False)),
        texts=texts,
        entry_difficulty=reader.integer(
            f"{label}.entry_difficulty", data["entry_difficulty"], 1, 5
        ),
        steps=steps,
        transitions=transitions,
    )


def _check_keywords(reader: _Reader, content: Content) -> None:
    """A keyword names one skill, unless shared_keywords says it names several on purpose."""
    shared = {normalise(word) for word in content.shared_keywords}
    owners: dict[str, list[str]] = defaultdict(list)
    for skill in content.skills:
        seen: set[str] = set()
        for words in skill.keywords.values():
            for word in words:
                key = normalise(word)
                if key in seen:
                    reader.error(
                        f"{SKILLS_FILE}: skill '{skill.slug}'", f"keyword '{word}' listed twice"
                    )
                    continue
                seen.add(key)
                owners[key].append(skill.slug)
    for key, slugs in owners.items():
        if len(slugs) > 1 and key not in shared:
            reader.error(
                SKILLS_FILE,
                f"keyword '{key}' is claimed by {', '.join(slugs)}: keep it in one skill, "
                "or list it under shared_keywords to let it name each of them",
            )
    for key in sorted(shared - {key for key, slugs in owners.items() if len(slugs) > 1}):
        reader.error(f"{SKILLS_FILE}.shared_keywords", f"'{key}' is not listed by two skills")


def _check_references(reader: _Reader, content: Content) -> None:
    _check_keywords(reader, content)
    catalogue = {skill.slug: skill for skill in content.skills}
    for skill in content.skills:
        where = f"{SKILLS_FILE}: skill '{skill.slug}'"
        for prerequisite in skill.prerequisites:
            if prerequisite == skill.slug:
                reader.error(where, "lists itself as a prerequisite")
            elif prerequisite not in catalogue:
                reader.error(where, f"unknown prerequisite '{prerequisite}'")
        if len(set(skill.prerequisites)) != len(skill.prerequisites):
            reader.error(where, "lists a prerequisite twice")
        for prerequisite in skill.prerequisites:
            merged = catalogue.get(prerequisite)
            if merged and merged.replaced_by and not skill.archived:
                reader.error(
                    where,
                    f"prerequisite '{prerequisite}' was merged into '{merged.replaced_by}': "
                    f"list '{merged.replaced_by}' instead",
                )
        if skill.replaced_by:
            survivor = catalogue.get(skill.replaced_by)
            if skill.replaced_by == skill.slug:
                reader.error(where, "cannot be replaced by itself")
            elif survivor is None:
                reader.error(where, f"replaced by unknown skill '{skill.replaced_by}'")
            elif survivor.archived:
                reader.error(where, f"replaced by '{skill.replaced_by}', which is archived itself")
            if not skill.archived:
                reader.error(where, "has replaced_by but is not archived: add 'archived: true'")
    cycle = find_cycle({skill.slug: skill.prerequisites for skill in content.skills})
    if cycle:
        reader.error(SKILLS_FILE, f"prerequisites form a cycle: {describe_cycle(cycle)}")

    track_slugs = Counter(track.slug for track in content.tracks)
    for track in content.tracks:
        label = f"{TRACKS_DIR}/{track.slug}.yaml"
        if track_slugs[track.slug] > 1:
            reader.error(label, "duplicate track slug")
        placed: dict[str, str] = {}
        for step in track.steps:
            for skill_slug, _importance in step.skills:
                where = f"{label}: step '{step.slug}'"
                if skill_slug not in catalogue:
                    reader.error(where, f"unknown skill '{skill_slug}'")
                if skill_slug in placed:
                    reader.error(
                        where,
                        f"skill '{skill_slug}' is already in step '{placed[skill_slug]}' "
                        "(a skill appears at most once per track)",
                    )
                placed.setdefault(skill_slug, step.slug)
                merged = catalogue.get(skill_slug)
                if merged and merged.replaced_by:
                    reader.error(
                        where,
                        f"skill '{skill_slug}' was merged into '{merged.replaced_by}': "
                        f"list '{merged.replaced_by}' instead",
                    )
        _check_closure(reader, label, track, catalogue)
        targets = [transition.to for transition in track.transitions]
        for target in targets:
            if target == track.slug:
                reader.error(label, "a transition cannot lead to the same track")
            elif target not in track_slugs:
                reader.error(label, f"transition to unknown track '{target}'")
        if len(set(targets)) != len(targets):
            reader.error(label, "a transition is listed twice")


def _check_closure(
    reader: _Reader, label: str, track: TrackData, catalogue: dict[str, SkillData]
) -> None:
    links = [
        Link(
            skill=slug, step=step.slug, core=importance == "core", first_job=slug in step.first_job
        )
        for step in track.steps
        for slug, importance in step.skills
    ]
    prerequisites = {slug: skill.prerequisites for slug, skill in catalogue.items()}
    archived = [slug for slug, skill in catalogue.items() if skill.archived]
    for problem in closure_problems(links, prerequisites, archived):
        reader.error(f"{label}: track '{track.slug}'", problem)


def read_content(directory: Path = DEFAULT_CONTENT_DIR) -> Content:
    """Read and validate every content file; raise ContentError listing all problems."""
    directory = Path(directory)
    reader = _Reader()
    skills_path = directory / SKILLS_FILE
    skills: list[SkillData] = []
    shared_keywords: list[str] = []
    if not skills_path.is_file():
        reader.error(str(skills_path), "skill catalogue not found")
    else:
        raw = reader.load_yaml(skills_path, SKILLS_FILE)
        if raw is not None or not reader.errors:
            skills = _read_skills(reader, raw, SKILLS_FILE)
            if isinstance(raw, dict):
                shared_keywords = _read_shared_keywords(reader, raw, SKILLS_FILE)
    tracks = []
    for path in sorted((directory / TRACKS_DIR).glob("*.yaml")):
        label = f"{TRACKS_DIR}/{path.name}"
        raw = reader.load_yaml(path, label)
        if raw is None:
            if not any(e.startswith(label) for e in reader.errors):
                reader.error(label, "file is empty")
            continue
        track = _read_track(reader, raw, label, path.stem)
        if track:
            tracks.append(track)
    content = Content(skills=skills, tracks=tracks, shared_keywords=shared_keywords)
    if not reader.errors:
        _check_references(reader, content)
    if reader.errors:
        raise ContentError(reader.errors)
    return content


def _text_fields(name: str, text: Text) -> dict[str, str]:
    return {f"{name}_{suffix}": text.get(lang, "") for lang, suffix in LANGUAGE_SUFFIXES.items()}


def _sync(obj, values: dict[str, Any]) -> bool:
    """Set changed attributes on obj; return whether anything changed."""
    changed = [k for k, v in values.items() if (getattr(obj, k) or "") != (v or "")]
    for key in changed:
        setattr(obj, key, values[key])
    return bool(changed)


def _upsert(model, lookup: dict, values: dict, report: ImportReport, kind: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.created[kind] += 1
    elif _sync(obj, values):
        obj.save()
        report.updated[kind] += 1
    return obj


def _nothing() -> None:
    pass


def _write_skills(
    content: Content, report: ImportReport, advance: Callable[[], object]
) -> dict[str, Skill]:
    existing = {skill.slug: skill for skill in Skill.objects.all()}
    by_slug = {}
    for data in content.skills:
        values = {
            **_text_fields("name", data.name),
            **_text_fields("summary", data.summary),
            **_text_fields("description", data.description),
            "hours": data.hours,
            "keywords": data.keywords,
            "archived": data.archived,
        }
        skill = existing.get(data.slug)
        if skill is None:
            skill = Skill.objects.create(slug=data.slug, **values)
            report.created["skills"] += 1
        elif _sync(skill, values):
            skill.save()
            report.updated["skills"] += 1
        _write_resources(skill, data.resources, report)
        by_slug[data.slug] = skill
        advance()
    for slug, skill in existing.items():
        if slug not in by_slug and not skill.archived:
            skill.archived = True
            skill.save(update_fields=["archived"])
            report.archived.append(slug)
        by_slug.setdefault(slug, skill)
    for data in content.skills:
        skill = by_slug[data.slug]
        survivor_id = by_slug[data.replaced_by].pk if data.replaced_by else None
        if skill.replaced_by_id != survivor_id:
            skill.replaced_by_id = survivor_id
            skill.save(update_fields=["replaced_by"])
            report.updated["skills"] += 1

    # The whole graph was checked for cycles before writing, so the edge rows are
    # written directly rather than one by one through the per-edge signal check.
    through = Skill.prerequisites.through
    wanted = {
        (by_slug[data.slug].pk, by_slug[p].pk)
        for data in content.skills
        for p in data.prerequisites
    }
    in_files = {by_slug[data.slug].pk for data in content.skills}
    current = set(
        through.objects.filter(from_skill_id__in=in_files).values_list(
            "from_skill_id", "to_skill_id"
        )
    )
    stale = current - wanted
    for from_id, to_id in stale:
        through.objects.filter(from_skill_id=from_id, to_skill_id=to_id).delete()
    through.objects.bulk_create(
        [through(from_skill_id=f, to_skill_id=t) for f, t in sorted(wanted - current)]
    )
    if wanted - current:
        report.created["prerequisite links"] += len(wanted - current)
    if stale:
        report.deleted["prerequisite links"] += len(stale)
    return by_slug


def _write_resources(skill: Skill, resources: list[ResourceData], report: ImportReport) -> None:
    existing = {resource.url: resource for resource in skill.resources.all()}
    for order, data in enumerate(resources):
        values = {
            **_text_fields("title", data.title),
            "kind": data.kind,
            "language": data.language,
            "checked": data.checked,
            "order": order,
        }
        _upsert(Resource, {"skill": skill, "url": data.url}, values, report, "resources")
    urls = {data.url for data in resources}
    for url, resource in existing.items():
        if url not in urls:
            resource.delete()
            report.deleted["resources"] += 1


def _write_track(
    data: TrackData, skills: dict[str, Skill], report: ImportReport, advance: Callable[[], object]
) -> Track:
    values = {"order": data.order, "published": data.published}
    values["entry_difficulty"] = data.entry_difficulty
    for name, text in data.texts.items():
        values.update(_text_fields(name, text))
    track = _upsert(Track, {"slug": data.slug}, values, report, "tracks")

    steps = {}
    for order, step_data in enumerate(data.steps):
        values = {
            **_text_fields("title", step_data.title),
            **_text_fields("summary", step_data.summary),
            **_text_fields("outcome", step_data.outcome),
            "order": order,
        }
        for part in PROJECT_PARTS:
            values.update(_text_fields(f"project_{part}", step_data.project.get(part, {})))
        steps[step_data.slug] = _upsert(
            RoadmapStep, {"track": track, "slug": step_data.slug}, values, report, "steps"
        )

    wanted = {}
    for step_data in data.steps:
        for order, (skill_slug, importance) in enumerate(step_data.skills):
            first_job = skill_slug in step_data.first_job
            wanted[skill_slug] = (steps[step_data.slug], importance, order, first_job)
    for link in StepSkill.objects.filter(track=track).select_related("skill"):
        if link.skill.slug not in wanted:
            link.delete()
            report.deleted["skill links"] += 1
    for skill_slug, (step, importance, order, first_job) in wanted.items():
        values = {
            "step_id": step.pk,
            "importance": importance,
            "order": order,
            "first_job": first_job,
        }
        _upsert(
            StepSkill, {"track": track, "skill": skills[skill_slug]}, values, report, "skill links"
        )
        advance()
    for step in track.steps.exclude(slug__in=steps):
        step.delete()
        report.deleted["steps"] += 1
    return track


def _write_transitions(data: TrackData, tracks: dict[str, Track], report: ImportReport) -> None:
    track = tracks[data.slug]
    targets = set()
    for order, transition in enumerate(data.transitions):
        target = tracks[transition.to]
        targets.add(target.pk)
        values = {**_text_fields("why", transition.why), "order": order}
        _upsert(
            Transition, {"from_track": track, "to_track": target}, values, report, "transitions"
        )
    deleted, _ = track.transitions.exclude(to_track__in=targets).delete()
    if deleted:
        report.deleted["transitions"] += deleted


def write_content(
    content: Content, dry_run: bool = False, advance: Callable[[], object] = _nothing
) -> ImportReport:
    """Write validated content in one transaction; with dry_run, roll it back."""
    # advance() is called once per unit of content.size written: a progress bar's update.
    report = ImportReport()
    # One invalidation after the commit for the whole import, not one per saved row.
    with transaction.atomic(), one_invalidation():
        skills = _write_skills(content, report, advance)
        tracks = {data.slug: _write_track(data, skills, report, advance) for data in content.tracks}
        for data in content.tracks:
            _write_transitions(data, tracks, report)
        if dry_run:
            transaction.set_rollback(True)
    if report.changed and not dry_run:
        from .catalogue import content_changed

        content_changed()
    return report


def import_content(directory: Path = DEFAULT_CONTENT_DIR, dry_run: bool = False) -> ImportReport:
    """Validate the files under directory and write them to the database."""
    return write_content(read_content(directory), dry_run=dry_run)


# Export ---------------------------------------------------------------------


def _text(obj, name: str) -> Text:
    text = {}
    for lang, suffix in LANGUAGE_SUFFIXES.items():
        value = getattr(obj, f"{name}_{suffix}", None)
        if value:
            text[lang] = value
    return text


def _export_resource(resource: Resource) -> dict[str, Any]:
    item: dict[str, Any] = {
        "title": _text(resource, "title"),
        "url": resource.url,
        "kind": resource.kind,
        "language": resource.language,
    }
    if resource.checked:
        item["checked"] = resource.checked
    return item


def export_data() -> dict[str, Any]:
    """Return {relative file path: data} for every content file, in the import format."""
    files: dict[str, Any] = {}
    prerequisites = defaultdict(list)
    through = Skill.prerequisites.through
    for from_slug, to_slug in through.objects.order_by("to_skill__slug").values_list(
        "from_skill__slug", "to_skill__slug"
    ):
        prerequisites[from_slug].append(to_slug)
    resources = defaultdict(list)
    for resource in Resource.objects.order_by("skill_id", "order", "id"):
        resources[resource.skill_id].append(resource)
    skills = []
    slugs = dict(Skill.objects.values_list("pk", "slug"))
    for skill in Skill.objects.order_by("slug"):
        item: dict[str, Any] = {
            "slug": skill.slug,
            "name": _text(skill, "name"),
            "summary": _text(skill, "summary"),
            "description": _text(skill, "description"),
            "hours": skill.hours,
        }
        # Right after hours, always: a fixed place keeps text merges of skills.yaml mechanical.
        if skill.keywords:
            item["keywords"] = {lang: list(skill.keywords.get(lang, [])) for lang in ("en", "zh")}
        if prerequisites[skill.slug]:
            item["prerequisites"] = prerequisites[skill.slug]
        if skill.archived:
            item["archived"] = True
        if skill.replaced_by_id:
            item["replaced_by"] = slugs[skill.replaced_by_id]
        item["resources"] = [_export_resource(resource) for resource in resources[skill.pk]]
        skills.append(item)
    files[SKILLS_FILE] = {"skills": skills}
    if shared := shared_keywords(skill["keywords"] for skill in skills if "keywords" in skill):
        files[SKILLS_FILE]["shared_keywords"] = shared

    links = defaultdict(list)
    for link in StepSkill.objects.select_related("skill").order_by("step_id", "order", "id"):
        entry = {"skill": link.skill.slug, "importance": link.importance}
        if link.first_job:
            entry["first_job"] = True
        links[link.step_id].append(entry)
    transitions = defaultdict(list)
    for transition in Transition.objects.select_related("to_track").order_by("order", "id"):
        transitions[transition.from_track_id].append(
            {"to": transition.to_track.slug, "why": _text(transition, "why")}
        )
    steps = defaultdict(list)
    for step in RoadmapStep.objects.order_by("order", "id"):
        entry = {"slug": step.slug, "title": _text(step, "title")}
        for name in ("summary", "outcome"):
            if text := _text(step, name):
                entry[name] = text
        entry["skills"] = links[step.pk]
        project = {part: _text(step, f"project_{part}") for part in PROJECT_PARTS}
        if any(project.values()):
            entry["project"] = project
        steps[step.track_id].append(entry)
    for track in Track.objects.order_by("order", "slug"):
        item = {"slug": track.slug, "order": track.order, "published": track.published}
        for name in TRACK_TEXTS:
            if name == "entry":
                item["entry_difficulty"] = track.entry_difficulty
            if text := _text(track, name):
                item[name] = text
        item["steps"] = steps[track.pk]
        if transitions[track.pk]:
            item["transitions"] = transitions[track.pk]
        files[f"{TRACKS_DIR}/{track.slug}.yaml"] = item
    return files


def shared_keywords(keyword_sets) -> list[str]:
    """The keywords that more than one skill lists, each once, in first-seen spelling."""
    counts: Counter = Counter()
    spelling: dict[str, str] = {}
    for keywords in keyword_sets:
        keys = {normalise(word): word for words in keywords.values() for word in words}
        counts.update(keys.keys())
        for key, word in keys.items():
            spelling.setdefault(key, word)
    return sorted(spelling[key] for key, count in counts.items() if count > 1)


class _ContentDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str):
    # Multi-line text as a literal block keeps the files readable and diffable.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ContentDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """Serialise content data the way the bundled files are written."""
    return yaml.dump(
        data, Dumper=_ContentDumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )


def export_content(directory: Path) -> list[Path]:
    """Write every content file under directory; return the paths written."""
    directory = Path(directory)
    (directory / TRACKS_DIR).mkdir(parents=True, exist_ok=True)
    written = []
    for relative, data in export_data().items():
        path = directory / relative
        path.write_text(dump_yaml(data), encoding="utf-8")
        written.append(path)
    return written
