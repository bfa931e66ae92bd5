"""The closure rule: a track's core skills bring every prerequisite they need, in order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Link:
    """A skill as a track's roadmap places it, in roadmap order."""

    skill: str
    step: str
    core: bool
    first_job: bool = False


def closure_problems(
    links: Sequence[Link],
    prerequisites: Mapping[str, Iterable[str]],
    archived: Iterable[str] = (),
) -> list[str]:
    """Every break of the rule, in words naming the skill, the prerequisite and the fix.

    Every prerequisite of a core skill must itself be a core skill of the track, placed in an
    earlier step or earlier in the same step; the first-job path must be closed the same way.
    Archived prerequisites are ignored: they never block anyone (see profiles/gap.py).
    """
    ignored = set(archived)
    position = {link.skill: index for index, link in enumerate(links)}
    by_skill = {link.skill: link for link in links}
    problems = []
    for index, link in enumerate(links):
        if link.first_job and not link.core:
            problems.append(
                _(
                    "optional skill '%(skill)s' (step '%(step)s') is marked first_job: the "
                    "first-job path is made of core skills; make it core or drop first_job"
                )
                % {"skill": link.skill, "step": link.step}
            )
        if not link.core:
            continue
        for prerequisite in prerequisites.get(link.skill, ()):
            if prerequisite in ignored:
                continue
            other = by_skill.get(prerequisite)
            names = {"skill": link.skill, "step": link.step, "prerequisite": prerequisite}
            if other is None:
                message = _(
                    "core skill '%(skill)s' (step '%(step)s') needs '%(prerequisite)s', which is "
                    "not in this track: add '%(prerequisite)s' as a core skill in an earlier "
                    "step, or remove it from the prerequisites of '%(skill)s' in skills.yaml if "
                    "it is not really needed"
                )
            elif not other.core:
                message = _(
                    "core skill '%(skill)s' (step '%(step)s') needs '%(prerequisite)s', which is "
                    "optional in this track: make '%(prerequisite)s' core (step '%(other_step)s')"
                )
            elif position[prerequisite] > index and other.step != link.step:
                message = _(
                    "core skill '%(skill)s' (step '%(step)s') needs '%(prerequisite)s', which "
                    "comes later, in step '%(other_step)s': move '%(prerequisite)s' to step "
                    "'%(step)s' or an earlier one"
                )
            elif position[prerequisite] > index:
                message = _(
                    "core skill '%(skill)s' (step '%(step)s') needs '%(prerequisite)s', which "
                    "comes after it in the same step: list '%(prerequisite)s' before '%(skill)s'"
                )
            elif link.first_job and not other.first_job:
                message = _(
                    "first-job skill '%(skill)s' (step '%(step)s') needs '%(prerequisite)s', "
                    "which is not on the first-job path: mark '%(prerequisite)s' first_job: true"
                )
            else:
                continue
            problems.append(message % {**names, "other_step": other.step if other else ""})
    return problems
