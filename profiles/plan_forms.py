"""Forms of the plan page and the plan's part of the settings page."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from . import planning
from .models import PlanSettings
from .plans import START_WINDOW, valid_time_zone, zone_names

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class PaceForm(forms.Form):
    weekly_hours = forms.IntegerField(
        label=_("Hours per week"),
        min_value=1,
        max_value=80,
        error_messages={
            "min_value": _("Plan at least 1 hour a week."),
            "max_value": _("80 hours a week is the most a plan can take."),
            "invalid": _("Enter the hours per week as a whole number, from 1 to 80."),
            "required": _("Enter the hours per week, from 1 to 80."),
        },
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to start this week."),
        error_messages={"invalid": _("Enter the start date as a date, for example 2027-01-04.")},
    )
    study_days = forms.TypedMultipleChoiceField(
        label=_("Days I study"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "cluster"}),
        error_messages={"required": _("Choose at least one day of the week.")},
    )

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start and not (self.today - START_WINDOW <= start <= self.today + START_WINDOW):
            raise forms.ValidationError(
                _("Choose a start date within a year of today (%(today)s)."),
                params={"today": self.today.isoformat()},
            )
        return start


class PinForm(forms.Form):
    skill = forms.CharField(label=_("Skill"), max_length=100)
    week = forms.DateField(
        label=_("Week"),
        error_messages={
            "invalid": _("Choose a week of the plan."),
            "required": _("Choose a week of the plan."),
        },
    )

    def __init__(self, *args, planned: dict[str, str], **kwargs):
        self.planned = planned
        super().__init__(*args, **kwargs)
        self.fields["skill"].widget = forms.Select(choices=list(planned.items()))

    def clean_skill(self):
        slug = self.cleaned_data["skill"]
        if slug not in self.planned:
            raise forms.ValidationError(_("That skill is not in your plan."))
        return slug


class WeekForm(forms.Form):
    """A week to mark lost or to give back."""

    week = forms.DateField(
        error_messages={
            "invalid": _("That is not a week of the plan."),
            "required": _("That is not a week of the plan."),
        }
    )

    def __init__(self, *args, first_week: date, **kwargs):
        self.first_week = first_week
        super().__init__(*args, **kwargs)

    def clean_week(self):
        week = planning.monday(self.cleaned_data["week"])
        if week < self.first_week:
            raise forms.ValidationError(_("That week is over: only this week and later ones."))
        if (week - self.first_week).days > planning.HORIZON_WEEKS * 7:
            raise forms.ValidationError(_("That week is too far ahead."))
        return week


class PlanPreferencesForm(forms.ModelForm):
    """The time zone and the weekly e-mails, on the settings page."""

    # A list to choose from, checked by clean_time_zone (a ChoiceField would answer a zone
    # that does not exist with its generic "Select a valid choice").
    time_zone = forms.CharField(label=_("Time zone"), required=False, widget=forms.Select())
    # Filled by static/js/timezone.js with the browser's zone; used when no zone is chosen.
    browser_time_zone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}),
    )

    class Meta:
        model = PlanSettings
        fields = ["time_zone", "weekly_digest", "mentor_digest"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.choices = [
            ("", _("My browser's time zone (UTC without one)")),
            *((name, name) for name in zone_names()),
        ]
        self.fields["time_zone"].help_text = _("Dates on your pages and in your plan follow it.")
        # UTC is also the default: offer the browser's zone until another one is chosen.
        if self.instance.time_zone == "UTC":
            self.initial["time_zone"] = ""

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        if name and not valid_time_zone(name):
            raise forms.ValidationError(_("“%(zone)s” is not a time zone."), params={"zone": name})
        return name

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("time_zone") and "time_zone" not in self.errors:
            browser = cleaned.get("browser_time_zone", "")
            cleaned["time_zone"] = browser if valid_time_zone(browser) else "UTC"
        return cleaned
