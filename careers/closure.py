"""The closure rule: a track's core skills bring every prerequisite they need, in order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


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
                f"optional skill '{link.skill}' (step '{link.step}') is marked first_job: "
                "the first-job path is made of core skills; make it core or drop first_job"
            )
        if not link.core:
            continue
        for prerequisite in prerequisites.get(link.skill, ()):
            if prerequisite in ignored:
                continue
            needs = f"core skill '{link.skill}' (step '{link.step}') needs '{prerequisite}'"
            other = by_skill.get(prerequisite)
            if other is None:
                problems.append(
                    f"{needs}, which is not in this track: add '{prerequisite}' as a core skill "
                    f"in an earlier step, or remove it from the prerequisites of '{link.skill}' "
                    "in skills.yaml if it is not really needed"
                )
            elif not other.core:
                problems.append(
                    f"{needs}, which is optional in this track: make '{prerequisite}' core "
                    f"(step '{other.step}')"
                )
            elif position[prerequisite] > index and other.step != link.step:
                problems.append(
                    f"{needs}, which comes later, in step '{other.step}': move '{prerequisite}' "
                    f"to step '{link.step}' or an earlier one"
                )
            elif position[prerequisite] > index:
                problems.append(
                    f"{needs}, which comes after it in the same step: list '{prerequisite}' "
                    f"before '{link.skill}'"
                )
            elif link.first_job and not other.first_job:
                problems.append(
                    f"first-job skill '{link.skill}' (step '{link.step}') needs "
                    f"'{prerequisite}', which is not on the first-job path: mark "
                    f"'{prerequisite}' first_job: true"
                )
    return problems
