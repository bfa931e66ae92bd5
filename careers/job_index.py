"""The job matcher's keyword index of the active skills, rebuilt per content version."""

from __future__ import annotations

from . import job_matching
from .models import Skill
from .structure import content_version

# The process keeps the latest keyword index: one cache read (the version) per analysis.
_index: dict[str, tuple[str, job_matching.KeywordIndex]] = {}


def keyword_index() -> job_matching.KeywordIndex:
    """Every active skill's keywords as one index, rebuilt when the content changes."""
    version = content_version()
    cached = _index.get("index")
    if cached and cached[0] == version:
        return cached[1]
    rows = Skill.objects.active().values_list("slug", "keywords")
    index = job_matching.build_index(
        {
            slug: [word for words in (keywords or {}).values() for word in words]
            for slug, keywords in rows
        }
    )
    _index["index"] = (version, index)
    return index
