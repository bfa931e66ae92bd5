"""Per-track content figures over the imported catalogue, for release notes and reviews.

    export DEBUG=1 DATABASE_URL=sqlite:////tmp/content_audit.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py import_content
    .venv/bin/python manage.py shell -c "exec(open('scripts/content_figures.py').read())"

Prints, per published track: steps, skills, core hours as the site counts them and with every
prerequisite of a core skill added (equal when the closure rule holds), first-job hours, the
Chinese share of resources and the steps without a Chinese resource; then what a learner who
recorded a merged skill is credited with.
"""

from careers.catalogue import catalogue
from careers.models import Resource, Skill
from profiles.gap import Status, analyse

cat = catalogue()


def closure(slug, seen):
    for prerequisite in cat.skills[slug].prerequisites:
        if prerequisite not in seen and not cat.skills[prerequisite].archived:
            seen.add(prerequisite)
            closure(prerequisite, seen)
    return seen


live = Resource.objects.filter(skill__archived=False)
chinese = live.filter(language="zh").count()
without = Skill.objects.filter(archived=False).exclude(resources__language="zh").count()
print(
    f"resources of live skills: {live.count()}, Chinese {chinese} "
    f"({100 * chinese / live.count():.1f}%); live skills without a Chinese resource: {without}"
)
print("track | steps | skills (core/optional) | core h | core h with closure | first-job h | zh")
for track in cat.tracks.values():
    slugs = [link.slug for step in track.steps for link in step.skills]
    core = {link.slug for step in track.steps for link in step.skills if link.core}
    needed = set(core)
    for slug in core:
        closure(slug, needed)
    first_job = [link.slug for step in track.steps for link in step.skills if link.first_job]
    found = live.filter(skill__slug__in=slugs)
    zh = found.filter(language="zh").count()
    bare = [
        step.slug
        for step in track.steps
        if not live.filter(skill__slug__in=[x.slug for x in step.skills], language="zh").exists()
    ]
    print(
        f"{track.slug} | {len(track.steps)} | {len(slugs)} ({len(core)}/{len(slugs) - len(core)})"
        f" | {cat.track_hours(track, core_only=True)} | {sum(cat.skills[s].hours for s in needed)}"
        f" | {sum(cat.skills[s].hours for s in first_job)} | {zh}/{found.count()} = "
        f"{100 * zh / found.count():.1f}%, steps without: {bare or 'none'}"
    )
print("merged skills: what a learner who recorded one as done is credited with")
for merged in (skill for skill in cat.skills.values() if skill.replaced_by):
    survivor = cat.skills[merged.replaced_by]
    for track in cat.tracks.values():
        links = [link for step in track.steps for link in step.skills if link.slug == survivor.slug]
        if links:
            report = analyse(track, cat.skills, {merged.slug: Status.DONE})
            print(
                f"  {merged.slug} ({merged.hours} h) -> {survivor.slug} ({survivor.hours} h, "
                f"{'core' if links[0].core else 'optional'} in {track.slug}): "
                f"{report.core_hours_done} core h done, readiness {report.readiness}%"
            )
