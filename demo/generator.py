"""Generated demo content and people, reproducible from a seed, written in bulk.

Everything generated is marked: tracks, steps and skills have slugs starting with "demo-",
users have usernames starting with "demo-" and e-mail addresses at demo.invalid. Given the
same seed and the same `now`, the same rows come out (ids aside).

What the rows look like, and the rules the tests check:
- skills form a DAG: a skill's prerequisites come earlier in the same track's roadmap, and
  the shared foundation skills (the first step of every track) only need each other;
- each user walks their target track in roadmap order (then another track): a skill is done
  only if its prerequisites are done, except for about 3% of the done rows (people who
  learned something elsewhere);
- the status log replays each row from "none" to its current status, at times between the
  user's sign-up and now, in order, and the row's dates match the log;
- mentors follow 1 to 6 mentees (the first user follows 50), some mentorships have ended,
  some done skills are verified by an active mentor, and mentors leave a few notes.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from tqdm import tqdm

from careers.catalogue import content_changed
from careers.models import RoadmapStep, Skill, StepSkill, Track
from profiles.models import (
    Background,
    MentorInvitation,
    MentorNote,
    Mentorship,
    Profile,
    SkillProgress,
    Status,
    StatusChange,
    Visibility,
)

PREFIX = "demo-"
DEMO_PASSWORD = "skillpath-demo"  # noqa: S105 - printed on purpose: demo accounts only
EMAIL_DOMAIN = "demo.invalid"  # a reserved domain: no mail can ever reach anyone
SKILLS_PER_STEP = 6
BIG_MENTOR_MENTEES = 50
MENTOR_SHARE = 0.02
ROWS_PER_BATCH = 5000

TOPICS = [
    "Python for data work",
    "Linux and shell",
    "Git and code review",
    "SQL and data modelling",
    "Tokenization",
    "Web crawling",
    "Text cleaning",
    "Toxic-content filtering",
    "Deduplication",
    "Data mixing",
    "Evaluation sets",
    "PyTorch",
    "CUDA",
    "Distributed training",
    "GPU cluster operations",
    "Kubernetes",
    "Model serving",
    "Quantisation",
    "KV-cache optimisation",
    "Prompt design",
    "Retrieval-augmented generation",
    "Supervised fine-tuning",
    "Preference tuning",
    "LLM evaluation",
    "Observability",
    "Inference engines",
    "Operator fusion",
    "Edge deployment",
]
LEVELS = ["basics", "in practice", "at scale", "internals", "for production", "deep dive"]
NOTES = [
    "Worked through the official tutorial.",
    "Need to revisit the last chapter.",
    "Used this at work last month.",
    "Pairing with a colleague on this.",
    "Slow going: the maths takes time.",
    "Built a small project to practise.",
]
MENTOR_NOTES = [
    "Good progress this month: keep the pace.",
    "Try a small end-to-end project before moving on.",
    "This one matters for interviews: go deeper.",
    "Nice write-up, the evidence is convincing.",
    "Consider skipping the optional parts for now.",
]
HOURS = [4, 6, 8, 10, 12, 16, 20, 24, 30, 40]
WEEKLY_HOURS = [2, 4, 5, 6, 8, 10, 12, 15, 20]


@dataclass(frozen=True)
class DemoSpec:
    """What to generate."""

    users: int
    tracks: int = 4
    skills_per_track: int = 30
    seed: int = 1
    rows_per_user: int = 30  # the average number of progress rows per user
    extra_tracks: tuple[int, ...] = ()  # sizes of further tracks, e.g. (300,)


@dataclass
class DemoSummary:
    """What was written, for the command's report."""

    tracks: int = 0
    skills: int = 0
    users: int = 0
    progress: int = 0
    log: int = 0
    mentorships: int = 0
    notes: int = 0
    seconds: float = 0.0


class DemoDataExists(Exception):
    """The database already holds demo data (generate with replace to start over)."""


@dataclass(frozen=True)
class TrackPlan:
    """A generated track: its skills in roadmap order, which is also a topological order."""

    id: int
    slug: str
    skills: tuple[int, ...]


@dataclass
class Content:
    tracks: list[TrackPlan]
    prerequisites: dict[int, tuple[int, ...]]
    optional: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class UserPlan:
    index: int
    joined: datetime
    last_active: datetime
    target: int | None  # an index into Content.tracks


# Writing many rows ------------------------------------------------------------


def _rng(seed: int, *parts: object) -> random.Random:
    """A generator of its own for each part of the data, so parts do not shift each other."""
    # Seeded from a string: the same on every platform and Python run (hash randomisation
    # does not apply). Not for secrets, for reproducible demo data.
    return random.Random(":".join(map(str, (seed, *parts))))  # noqa: S311


def _columns(model, names: list[str]) -> tuple[str, list[str]]:
    meta = model._meta
    return meta.db_table, [meta.get_field(name).column for name in names]


def insert_rows(model, names: list[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples into model's table: COPY on PostgreSQL, executemany elsewhere.

    Bypasses the ORM on purpose: it is ten times faster, and bulk_create would overwrite the
    generated dates of auto_now fields (updated_at, changed_at, created_at) with the time
    of the run. No signal is sent; callers do what signals would have done.
    """
    table, columns = _columns(model, names)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:  # noqa: E501
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: E501, S608 - names from model meta
        batch: list[tuple] = []
        for row in rows:
            batch.append(tuple(_adapt(value) for value in row))
            if len(batch) >= ROWS_PER_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _adapt(value):
    # Raw SQL skips the field's conversion: SQLite wants datetimes as UTC strings.
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


# Deleting and checking --------------------------------------------------------


def has_demo_data() -> bool:
    """Whether any demo user or demo track exists."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(username__startswith=PREFIX).exists()
        or Track.objects.filter(slug__startswith=PREFIX).exists()
        or Skill.objects.filter(slug__startswith=PREFIX).exists()
    )


def delete_demo_data() -> None:
    """Delete every demo user (with their rows) and all demo content."""
    user_model = get_user_model()
    users_table = user_model._meta.db_table
    demo_users = f"SELECT id FROM {users_table} WHERE username LIKE %s"  # noqa: S608
    demo_skills = f"SELECT id FROM {Skill._meta.db_table} WHERE slug LIKE %s"  # noqa: S608
    pattern = PREFIX + "%"
    note_table, mentorship_table = MentorNote._meta.db_table, Mentorship._meta.db_table
    # Plain DELETE statements: the content signals listen to every post_delete, which
    # turns Django's fast delete off, and collecting millions of rows would take minutes.
    statements = [
        (
            f"DELETE FROM {note_table} WHERE mentorship_id IN (SELECT id FROM {mentorship_table}"  # noqa: S608
            f" WHERE mentee_id IN ({demo_users}) OR mentor_id IN ({demo_users}))",
            [pattern, pattern],
        ),
        (f"DELETE FROM {note_table} WHERE skill_id IN ({demo_skills})", [pattern]),  # noqa: S608
        (
            f"DELETE FROM {mentorship_table} WHERE mentee_id IN ({demo_users})"  # noqa: S608
            f" OR mentor_id IN ({demo_users})",
            [pattern, pattern],
        ),
        (
            f"DELETE FROM {MentorInvitation._meta.db_table} WHERE mentee_id IN ({demo_users})",  # noqa: S608
            [pattern],
        ),
    ]
    for model in (SkillProgress, StatusChange):
        table = model._meta.db_table
        statements += [
            (f"DELETE FROM {table} WHERE user_id IN ({demo_users})", [pattern]),  # noqa: S608
            # Real people may have recorded generated skills: those rows go with the skills.
            (f"DELETE FROM {table} WHERE skill_id IN ({demo_skills})", [pattern]),  # noqa: S608
        ]
    statements.append(
        (f"DELETE FROM {Profile._meta.db_table} WHERE user_id IN ({demo_users})", [pattern])  # noqa: S608
    )
    statements.append(
        (f"DELETE FROM {EmailAddress._meta.db_table} WHERE user_id IN ({demo_users})", [pattern])  # noqa: S608
    )
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    # What is left is small: the ORM handles the remaining relations (sessions, admin log,
    # verifications by demo mentors on real people's rows, ...).
    user_model.objects.filter(username__startswith=PREFIX).delete()
    StepSkill.objects.filter(skill__slug__startswith=PREFIX).delete()
    StepSkill.objects.filter(track__slug__startswith=PREFIX).delete()
    Skill.prerequisites.through.objects.filter(from_skill__slug__startswith=PREFIX).delete()
    Skill.prerequisites.through.objects.filter(to_skill__slug__startswith=PREFIX).delete()
    Skill.objects.filter(slug__startswith=PREFIX).delete()
    # Generated tracks go with the demo; real people who targeted one have no target then.
    Profile.objects.filter(target_track__slug__startswith=PREFIX).update(target_track=None)
    Track.objects.filter(slug__startswith=PREFIX).delete()
    transaction.on_commit(content_changed)


# Content ----------------------------------------------------------------------


def _skill(number: int, rng: random.Random) -> Skill:
    topic = TOPICS[number % len(TOPICS)]
    level = LEVELS[(number // len(TOPICS)) % len(LEVELS)]
    name = f"{topic} {level} ({number})"
    return Skill(
        slug=f"{PREFIX}skill-{number:05d}",
        name=name,
        name_en=name,
        name_zh_hans=f"演示技能 {number}",
        summary=f"A generated skill about {topic.lower()}.",
        summary_en=f"A generated skill about {topic.lower()}.",
        description=f"Generated demo content: {topic}, {level}.",
        description_en=f"Generated demo content: {topic}, {level}.",
        hours=rng.choice(HOURS),
    )


def _pick_prerequisites(rng: random.Random, earlier: list[int]) -> list[int]:
    """0 to 2 prerequisites among the few skills just before, so chains stay local."""
    window = earlier[-8:]
    k = min(len(window), rng.choices([0, 1, 2], weights=[30, 45, 25])[0])
    return rng.sample(window, k)


def create_content(spec: DemoSpec, rng: random.Random) -> Content:
    """Tracks of steps of skills: a shared foundation step first, then each track's own."""
    sizes = [spec.skills_per_track] * spec.tracks + list(spec.extra_tracks)
    shared_count = max(1, spec.skills_per_track // 5)
    skills = [_skill(n, rng) for n in range(shared_count)]
    own_counts = [max(size - shared_count, 1) for size in sizes]
    for count in own_counts:
        start = len(skills)
        skills += [_skill(n, rng) for n in range(start, start + count)]
    Skill.objects.bulk_create(skills, batch_size=1000)
    ids = dict(Skill.objects.filter(slug__startswith=PREFIX).values_list("slug", "id"))
    skill_ids = [ids[skill.slug] for skill in skills]
    shared = skill_ids[:shared_count]
    # Edges always point to an earlier skill in this global order (shared first, then each
    # track's own skills in roadmap order), so the graph is acyclic by construction.
    prerequisites: dict[int, list[int]] = {}
    for i, skill_id in enumerate(shared):
        prerequisites[skill_id] = _pick_prerequisites(rng, shared[:i])
    Track.objects.bulk_create(
        [
            Track(
                slug=f"{PREFIX}track-{t + 1}",
                name=f"Demo track {t + 1} ({size} skills)",
                name_en=f"Demo track {t + 1} ({size} skills)",
                name_zh_hans=f"演示方向 {t + 1}",
                tagline_en="Generated content for demos and benchmarks.",
                description_en="A generated track: not real career advice.",
                suits_en="Nobody in particular.",
                entry_difficulty=1 + t % 5,
                entry_en="Generated.",
                first_tasks_en="Generated.",
                published=True,
                order=100 + t,
            )
            for t, size in enumerate(sizes)
        ]
    )
    tracks = list(Track.objects.filter(slug__startswith=PREFIX).order_by("order"))
    plans, optional, links = [], set(), []
    offset = shared_count
    steps_to_create: list[tuple[Track, int, list[int]]] = []
    for track, count in zip(tracks, own_counts, strict=True):
        own = skill_ids[offset : offset + count]
        offset += count
        for i, skill_id in enumerate(own):
            prerequisites[skill_id] = _pick_prerequisites(rng, shared + own[:i])
        roadmap = shared + own
        for s in range(0, len(roadmap), SKILLS_PER_STEP):
            steps_to_create.append((track, s // SKILLS_PER_STEP, roadmap[s : s + SKILLS_PER_STEP]))
        plans.append(TrackPlan(id=track.pk, slug=track.slug, skills=tuple(roadmap)))
    RoadmapStep.objects.bulk_create(
        [
            RoadmapStep(
                track=track,
                slug=f"{PREFIX}step-{n + 1}",
                title=f"Step {n + 1}",
                title_en=f"Step {n + 1}",
                title_zh_hans=f"第 {n + 1} 步",
                order=n,
            )
            for track, n, _ in steps_to_create
        ]
    )
    step_ids = {
        (track_id, slug): pk
        for pk, track_id, slug in RoadmapStep.objects.filter(
            track__slug__startswith=PREFIX
        ).values_list("id", "track_id", "slug")
    }
    for track, n, chunk in steps_to_create:
        step_id = step_ids[(track.pk, f"{PREFIX}step-{n + 1}")]
        for order, skill_id in enumerate(chunk):
            # The first skill of a step is always core; a fifth of the others are optional.
            core = order == 0 or rng.random() >= 0.2
            if not core:
                optional.add(skill_id)
            links.append(
                StepSkill(
                    step_id=step_id,
                    track_id=track.pk,
                    skill_id=skill_id,
                    importance="core" if core else "optional",
                    order=order,
                )
            )
    StepSkill.objects.bulk_create(links, batch_size=1000)
    through = Skill.prerequisites.through
    # bulk_create skips the m2m_changed cycle guard: the graph is acyclic by construction.
    through.objects.bulk_create(
        [
            through(from_skill_id=skill_id, to_skill_id=required)
            for skill_id, required_ids in prerequisites.items()
            for required in required_ids
        ],
        batch_size=1000,
    )
    # A skill shared by tracks is optional only if it is optional everywhere; close enough
    # for generated data: optional only matters for which rows get skipped more often.
    return Content(
        tracks=plans,
        prerequisites={k: tuple(v) for k, v in prerequisites.items()},
        optional=optional,
    )


# People -----------------------------------------------------------------------


def _username(index: int) -> str:
    return f"{PREFIX}user-{index:06d}"


def plan_user(seed: int, index: int, content: Content, now: datetime) -> UserPlan:
    """When a user joined, was last active, and their target track (from the seed)."""
    rng = _rng(seed, "user", index)
    joined = now - timedelta(days=rng.uniform(1, 365))
    # Most people were active recently, a long tail went quiet.
    quiet = timedelta(days=min(rng.expovariate(1 / 21), (now - joined).days))
    last_active = max(now - quiet, joined)
    weights = [1.0 if i < len(content.tracks) else 0.5 for i in range(len(content.tracks))]
    target = rng.choices(range(len(content.tracks)), weights=weights)[0]
    if rng.random() < 0.1:
        target = None
    return UserPlan(index=index, joined=joined, last_active=last_active, target=target)


def _user_row(plan: UserPlan, password: str) -> tuple:
    name = _username(plan.index)
    email = f"{name}@{EMAIL_DOMAIN}"
    return (password, plan.last_active, False, name, "", "", email, False, True, plan.joined)


def _profile_row(seed: int, plan: UserPlan, user_id: int, content: Content) -> tuple:
    rng = _rng(seed, "profile", plan.index)
    target = content.tracks[plan.target].id if plan.target is not None else None
    visibility = rng.choices(
        [Visibility.MENTORS, Visibility.PRIVATE, Visibility.PUBLIC], weights=[60, 20, 20]
    )[0]
    language = rng.choices(["", "en", "zh-hans"], weights=[80, 10, 10])[0]
    return (
        user_id,
        "",  # demo learners go by their usernames
        target,
        rng.choice(Background.values),
        rng.choice(WEEKLY_HOURS),
        str(visibility),
        language,
        rng.random() < 0.85,
        True,
        plan.joined,
    )


@dataclass(frozen=True)
class MentorshipPlan:
    mentor: int  # user indexes
    mentee: int
    started: datetime
    ended: datetime | None
    ended_by_mentor: bool


def plan_mentorships(seed: int, plans: list[UserPlan], now: datetime) -> list[MentorshipPlan]:
    """About 2% of users mentor 1 to 6 people; the first user mentors 50."""
    n = len(plans)
    if n < 2:
        return []
    rng = _rng(seed, "mentors")
    mentor_count = max(1, int(n * MENTOR_SHARE))
    mentors = [0] + rng.sample(range(1, n), min(mentor_count - 1, n - 1))
    result = []
    for mentor in mentors:
        size = min(BIG_MENTOR_MENTEES if mentor == 0 else rng.randint(1, 6), n - 1)
        # Any other user: sample among n - 1 and step over the mentor's own index.
        for other in rng.sample(range(n - 1), size):
            mentee = other if other < mentor else other + 1
            start_from = max(plans[mentor].joined, plans[mentee].joined)
            started = start_from + (now - start_from) * rng.random()
            ended = None
            # The big mentor's mentorships all stay active: the benchmark needs 50.
            if mentor != 0 and rng.random() < 0.15:
                ended = started + (now - started) * rng.random()
            result.append(MentorshipPlan(mentor, mentee, started, ended, rng.random() < 0.5))
    return result


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random() if end > start else start


def progress_rows(
    seed: int,
    plan: UserPlan,
    content: Content,
    rows_per_user: int,
    verifier: tuple[int, datetime] | None,
    now: datetime,
) -> tuple[list[tuple], list[tuple]]:
    """One user's progress rows (skill, status, ...) and status log rows, consistent."""
    rng = _rng(seed, "progress", plan.index)
    first = plan.target if plan.target is not None else rng.randrange(len(content.tracks))
    walk = list(content.tracks[first].skills)
    seen = set(walk)
    others = [t for i, t in enumerate(content.tracks) if i != first]
    rng.shuffle(others)
    for track in others:
        walk += [s for s in track.skills if s not in seen]
        seen.update(track.skills)
    count = min(len(walk), round(rng.uniform(0, 2 * rows_per_user)))
    walk = walk[:count]
    done_share = rng.uniform(0.3, 0.9)
    times = sorted(_between(rng, plan.joined, plan.last_active) for _ in walk)
    done: set[int] = set()
    progress, log = [], []
    for j, (skill_id, at) in enumerate(zip(walk, times, strict=True)):
        ready = all(p in done for p in content.prerequisites.get(skill_id, ()))
        r = rng.random()
        if ready and j < done_share * count:
            status = Status.DONE if r < 0.93 else Status.SKIPPED
        elif ready:
            status = Status.LEARNING if r < 0.7 else Status.SKIPPED if r < 0.88 else Status.NONE
        else:
            # The exception to the rule: a few people learned a skill before its basics.
            status = (
                Status.DONE
                if r < 0.03
                else Status.LEARNING
                if r < 0.75
                else Status.SKIPPED
                if r < 0.9
                else Status.NONE
            )
        if skill_id in content.optional and status == Status.LEARNING and rng.random() < 0.2:
            status = Status.SKIPPED
        earlier = max(at - timedelta(days=rng.uniform(0.05, 30)), plan.joined)
        chain: list[tuple[str, datetime]] = []  # (to_status, at), starting from none
        started = completed = None
        if status == Status.DONE:
            done.add(skill_id)
            completed = at
            if rng.random() < 0.3:
                started = at
                chain = [(Status.DONE, at)]
            else:
                started = earlier
                chain = [(Status.LEARNING, earlier), (Status.DONE, at)]
                if rng.random() < 0.05:
                    # Marked done too early once, reopened, then done again.
                    a, b = sorted(_between(rng, earlier, at) for _ in range(2))
                    chain = [
                        (Status.LEARNING, earlier),
                        (Status.DONE, a),
                        (Status.LEARNING, b),
                        (Status.DONE, at),
                    ]
        elif status == Status.LEARNING:
            started = at
            chain = [(Status.LEARNING, at)]
        elif status == Status.SKIPPED:
            if rng.random() < 0.2:
                started = earlier
                chain = [(Status.LEARNING, earlier), (Status.SKIPPED, at)]
            else:
                chain = [(Status.SKIPPED, at)]
        elif rng.random() < 0.5:
            # Back to "none": started once, then reset; kept because of its note.
            started = earlier
            chain = [(Status.LEARNING, earlier), (Status.NONE, at)]
        note = rng.choice(NOTES) if status == Status.NONE or rng.random() < 0.12 else ""
        evidence = ""
        if status == Status.DONE and rng.random() < 0.25:
            evidence = f"https://example.com/demo/{plan.index}/{j}"
        verified_by = verified_at = None
        if status == Status.DONE and verifier and rng.random() < 0.4:
            verified_by = verifier[0]
            verified_at = min(max(at, verifier[1]) + timedelta(hours=rng.uniform(1, 48)), now)
        progress.append(
            (
                skill_id,
                str(status),
                note,
                evidence,
                started,
                completed,
                at,
                verified_by,
                verified_at,
            )
        )
        previous = Status.NONE
        for to_status, changed_at in chain:
            log.append((skill_id, str(previous), str(to_status), changed_at))
            previous = to_status
    return progress, log


PROGRESS_FIELDS = [
    "user",
    "skill",
    "status",
    "note",
    "evidence_url",
    "started_at",
    "completed_at",
    "updated_at",
    "verified_by",
    "verified_at",
]
LOG_FIELDS = ["user", "skill", "from_status", "to_status", "changed_at"]
USER_FIELDS = [
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
]
PROFILE_FIELDS = [
    "user",
    "display_name",
    "target_track",
    "background",
    "weekly_hours",
    "visibility",
    "language",
    "notify_on_note",
    "onboarded",
    "created_at",
]


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(
    spec: DemoSpec,
    *,
    now: datetime,
    replace: bool = False,
    stream: TextIO | None = sys.stderr,
) -> DemoSummary:
    """Write the demo data in one transaction: all of it, or nothing on failure."""
    started = time.monotonic()
    summary = DemoSummary()
    with transaction.atomic():
        if has_demo_data():
            if not replace:
                raise DemoDataExists("The database already has demo data.")
            delete_demo_data()
        rng = _rng(spec.seed, "content")
        content = create_content(spec, rng)
        summary.tracks = len(content.tracks)
        summary.skills = len(content.prerequisites)

        plans = [plan_user(spec.seed, i, content, now) for i in range(spec.users)]
        password = make_password(DEMO_PASSWORD, salt=f"skillpathdemo{spec.seed}")
        bar = tqdm(
            total=2 * spec.users, desc="users", unit="row", file=stream, disable=stream is None
        )
        user_model = get_user_model()

        def users() -> Iterator[tuple]:
            for plan in plans:
                bar.update()
                yield _user_row(plan, password)

        def profiles() -> Iterator[tuple]:
            for plan in plans:
                bar.update()
                yield _profile_row(spec.seed, plan, ids[plan.index], content)

        summary.users = insert_rows(user_model, USER_FIELDS, users())
        user_ids = dict(
            user_model.objects.filter(username__startswith=PREFIX).values_list("username", "id")
        )
        ids = [user_ids[_username(i)] for i in range(spec.users)]
        insert_rows(Profile, PROFILE_FIELDS, profiles())
        # Log-in needs a confirmed address: demo addresses count as confirmed.
        insert_rows(
            EmailAddress,
            ["user", "email", "verified", "primary"],
            ((ids[i], f"{_username(i)}@{EMAIL_DOMAIN}", True, True) for i in range(spec.users)),
        )
        bar.close()

        mentorships = plan_mentorships(spec.seed, plans, now)
        summary.mentorships = insert_rows(
            Mentorship,
            ["mentor", "mentee", "started_at", "ended_at", "ended_by"],
            (
                (
                    ids[m.mentor],
                    ids[m.mentee],
                    m.started,
                    m.ended,
                    (ids[m.mentor] if m.ended_by_mentor else ids[m.mentee]) if m.ended else None,
                )
                for m in mentorships
            ),
        )
        summary.notes = _write_notes(spec.seed, mentorships, ids, content, now)
        # The mentor who verifies a mentee's skills: their first active mentor.
        verifiers: dict[int, tuple[int, datetime]] = {}
        for m in mentorships:
            if m.ended is None and m.mentee not in verifiers:
                verifiers[m.mentee] = (ids[m.mentor], m.started)

        bar = tqdm(
            total=spec.users, desc="progress", unit="user", file=stream, disable=stream is None
        )
        for chunk in _chunks(plans, 2000):
            progress, log = [], []
            for plan in chunk:
                rows, changes = progress_rows(
                    spec.seed,
                    plan,
                    content,
                    spec.rows_per_user,
                    verifiers.get(plan.index),
                    now,
                )
                user_id = ids[plan.index]
                progress += [(user_id, *row) for row in rows]
                log += [(user_id, *row) for row in changes]
            summary.progress += insert_rows(SkillProgress, PROGRESS_FIELDS, progress)
            summary.log += insert_rows(StatusChange, LOG_FIELDS, log)
            bar.update(len(chunk))
        bar.close()
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows the tables are large right away.
            with connection.cursor() as cursor:
                for model in (user_model, Profile, SkillProgress, StatusChange, Mentorship):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        # Rows were written without signals: invalidate the cached track structure here.
        transaction.on_commit(content_changed)
    summary.seconds = time.monotonic() - started
    return summary


def _write_notes(
    seed: int, mentorships: list[MentorshipPlan], ids: list[int], content: Content, now: datetime
) -> int:
    """0 to 3 notes per mentorship, some about a skill, dated while it was active."""
    if not mentorships:
        return 0
    rng = _rng(seed, "notes")
    # The ids of the mentorships just written, by (mentor, mentee): one row per pair.
    by_pair = {
        (mentor, mentee): pk
        for pk, mentor, mentee in Mentorship.objects.filter(
            mentor__username__startswith=PREFIX
        ).values_list("id", "mentor_id", "mentee_id")
    }
    all_skills = sorted(content.prerequisites)
    rows = []
    for m in mentorships:
        pk = by_pair[(ids[m.mentor], ids[m.mentee])]
        for _ in range(rng.randint(0, 3)):
            skill = rng.choice(all_skills) if rng.random() < 0.5 else None
            rows.append(
                (pk, skill, rng.choice(MENTOR_NOTES), _between(rng, m.started, m.ended or now))
            )
    return insert_rows(MentorNote, ["mentorship", "skill", "text", "created_at"], rows)
