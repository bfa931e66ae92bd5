"""Prerequisite graph checks against the database."""

from collections import defaultdict
from collections.abc import Iterable

from .graph import find_cycle
from .models import Skill


def cycle_if_added(new_edges: Iterable[tuple[int, int]], replace_for: int | None = None):
    """Return the cycle (as slugs) that adding (skill, prerequisite) edges would close, or None.

    With `replace_for`, that skill's current prerequisites are dropped first (a form
    that sets the whole list).
    """
    through = Skill.prerequisites.through
    edges: dict[int, set[int]] = defaultdict(set)
    for from_id, to_id in through.objects.values_list("from_skill_id", "to_skill_id"):
        if from_id != replace_for:
            edges[from_id].add(to_id)
    for from_id, to_id in new_edges:
        edges[from_id].add(to_id)
    cycle = find_cycle(edges)
    if cycle is None:
        return None
    slugs = dict(Skill.objects.filter(pk__in=set(cycle)).values_list("pk", "slug"))
    return [slugs[pk] for pk in cycle]
