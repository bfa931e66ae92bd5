"""A learner's plan as an iCalendar (RFC 5545) feed: one all-day event per study week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event

from .plans import LoadedPlan


def uid(settings_id: int, week_start, site: str) -> str:
    """The same week of the same person keeps its UID, so calendars update it in place."""
    host = site.split("://", 1)[-1]
    return f"plan-{settings_id}-{week_start.isoformat()}@{host}"


def render(loaded: LoadedPlan | None, site: str) -> bytes:
    """The feed's bytes (folded lines, CRLF), in the active language and time zone."""
    calendar = Calendar()
    calendar.add("prodid", "-//SkillPath//Plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("My SkillPath plan"))
    if loaded is None:
        return calendar.to_ical()
    calendar.add("x-wr-timezone", loaded.settings.time_zone)
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    stamp = datetime.now(UTC).replace(microsecond=0)
    for week in loaded.plan.weeks:
        if week.lost or not week.items:
            continue
        names = ", ".join(item.name for item in week.items)
        event = Event()
        event.add("uid", uid(loaded.settings.pk, week.start, site))
        event.add("dtstamp", stamp)
        # Dates, not times: a study week is the same days wherever the calendar is opened;
        # the days are counted in the learner's time zone (the calendar's X-WR-TIMEZONE).
        event.add("dtstart", week.study_dates[0])
        event.add("dtend", week.study_dates[-1] + timedelta(days=1))
        event.add(
            "summary",
            ngettext(
                "Study: %(skills)s (%(hours)d hour)",
                "Study: %(skills)s (%(hours)d hours)",
                week.hours,
            )
            % {"skills": names, "hours": week.hours},
        )
        lines = []
        for item in week.items:
            url = site + reverse("careers:skill", args=[item.slug])
            if item.parts > 1:
                line = _("%(skill)s, part %(part)d of %(parts)d: %(hours)d h") % {
                    "skill": item.name,
                    "part": item.part,
                    "parts": item.parts,
                    "hours": item.hours,
                }
            else:
                line = _("%(skill)s: %(hours)d h") % {"skill": item.name, "hours": item.hours}
            lines.append(f"{line}\n{url}")
        for milestone in week.milestones:
            lines.append(milestone_text(milestone, for_job=loaded.posting is not None))
        event.add("description", "\n\n".join(lines))
        event.add("url", site + reverse("careers:skill", args=[week.items[0].slug]))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def milestone_text(milestone, for_job: bool = False) -> str:
    """A milestone in words, in the active language."""
    if milestone.kind == "step":
        return _("Milestone: %(step)s complete") % {"step": milestone.title}
    if milestone.kind == "first-job":
        return _("Milestone: ready for a first job")
    if for_job:
        return _("Milestone: every skill the job requires done")
    return _("Milestone: every core skill of the track done")
