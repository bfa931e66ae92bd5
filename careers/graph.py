"""Checks on the skill prerequisite graph, over plain data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """Return one cycle as a closed path of slugs (first == last), or None if acyclic."""
    visiting: list[str] = []
    on_path: set[str] = set()
    finished: set[str] = set()
    # Iterative depth-first search: a deep chain must not hit the recursion limit.
    for start in edges:
        if start in finished:
            continue
        stack = [(start, iter(edges.get(start, ())))]
        visiting.append(start)
        on_path.add(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                visiting.pop()
                on_path.discard(node)
                finished.add(node)
            elif child in on_path:
                return visiting[visiting.index(child) :] + [child]
            elif child not in finished:
                stack.append((child, iter(edges.get(child, ()))))
                visiting.append(child)
                on_path.add(child)
    return None


def describe_cycle(cycle: list[str]) -> str:
    """Format a cycle for an error message."""
    return " → ".join(cycle)
