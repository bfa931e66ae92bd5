import re
import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from careers.models import Skill, Track
from config.accounts import password_is_correct

from .models import Profile, Status

# Bidirectional controls and invisible characters: in a link they make what a mentor reads
# differ from where it goes ("https://x.example/\u202egnp.exe" reads as "…exe.png").
_DECEPTIVE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Zero-width non-joiner and joiner: part of how Persian or Indic names (and emoji) are written.
_JOINERS = "\u200c\u200d"


def validate_evidence_url(url: str) -> None:
    """Refuse links with credentials in them, or with characters that hide what they are."""
    if _DECEPTIVE.search(url) or any(unicodedata.category(c) in {"Cc", "Cf"} for c in url):
        raise ValidationError(
            _("The link holds invisible or direction-changing characters: type it again."),
            code="deceptive",
        )
    if "@" in (urlsplit(url).netloc or ""):
        raise ValidationError(
            _("The link holds a user name or password (before an @): leave them out."),
            code="userinfo",
        )


def validate_display_name(name: str) -> None:
    """A name is one line of visible text: no control characters (the request guard answers
    NUL and most of them with a 400; tab and line breaks reach the form) and no invisible
    format or direction-changing ones, but for the joiners some scripts write names with."""
    if any(unicodedata.category(c) in {"Cc", "Cf"} and c not in _JOINERS for c in name):
        raise ValidationError(
            _("The name holds invisible or control characters (such as a tab or a line break)."),
            code="control",
        )


class ProgressForm(forms.Form):
    """What a POST to /me/skills/<slug>/ may set; absent fields stay as they are."""

    status = forms.ChoiceField(choices=Status.choices, required=False)
    note = forms.CharField(
        label=_("Personal note"), max_length=2000, required=False, widget=forms.Textarea
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_(
            "A link to your work: a repository, a write-up, a certificate (http or https)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the http(s) validator: with URLField's own as well, a bad link got the same
        # error twice.
        field = self.fields["evidence_url"]
        field.validators = [v for v in field.validators if not isinstance(v, URLValidator)]
        field.validators += [URLValidator(schemes=["http", "https"]), validate_evidence_url]
        self.fields["status"].error_messages["invalid_choice"] = _(
            "Unknown status “%(value)s”: use learning, done, skipped or none."
        )

    def clean_status(self) -> str:
        # Not required (a note is saved without it), but a status sent empty is no status:
        # stored, it would break every page that names it.
        status = self.cleaned_data["status"]
        if "status" in self.data and not status:
            field = self.fields["status"]
            raise ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return status

    def changes(self) -> dict:
        """The fields that were actually sent, cleaned."""
        return {name: self.cleaned_data[name] for name in self.fields if name in self.data}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "display_name",
            "target_track",
            "background",
            "weekly_hours",
            "visibility",
            "language",
            "notify_on_note",
        ]
        widgets = {"visibility": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser checks what the model checks: 1 to 80 hours, typed as digits.
        hours = self.fields["weekly_hours"]
        hours.min_value, hours.max_value = 1, 80
        hours.widget.attrs.update({"min": 1, "max": 80, "inputmode": "numeric"})
        if "display_name" in self.fields:
            name = self.fields["display_name"]
            name.validators.append(validate_display_name)
            name.widget.attrs.update({"autocomplete": "name"})
        self.fields["target_track"].queryset = Track.objects.published()
        self.fields["target_track"].empty_label = _("Not decided yet")
        if "language" in self.fields:
            choices = list(self.fields["language"].choices)[1:]  # drop Django's "---------"
            self.fields["language"].choices = [("", _("Follow my browser")), *choices]


class OnboardingForm(SettingsForm):
    class Meta(SettingsForm.Meta):
        fields = ["target_track", "background", "weekly_hours"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = request.user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Checked like a log-in, so it counts toward the failed-login limits.
        if not password_is_correct(self.request, self.user, password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Send the link to (optional)"),
        required=False,
        help_text=_("Leave empty to copy the link and send it yourself."),
    )


class NoteForm(forms.Form):
    """A mentor's note on a mentee, about one skill (by its slug) or in general."""

    text = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea)
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("There is no such skill.")},
    )


class SkillIndexForm(forms.Form):
    """The skill index's filters, from the query string; every field optional."""

    track = forms.ChoiceField(label=_("Track"), required=False)
    step = forms.ChoiceField(label=_("Step"), required=False)
    importance = forms.ChoiceField(
        label=_("Importance"),
        required=False,
        choices=[("", _("Core and optional")), ("core", _("Core")), ("optional", _("Optional"))],
    )
    status = forms.ChoiceField(
        label=_("My status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    effort = forms.ChoiceField(
        label=_("Effort"),
        required=False,
        choices=[
            ("", _("Any effort")),
            ("short", _("Up to 10 hours")),
            ("medium", _("11 to 40 hours")),
            ("long", _("More than 40 hours")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("roadmap", _("Roadmap order")),
            ("hours", _("Fewest hours first")),
            ("-hours", _("Most hours first")),
        ],
    )

    def __init__(self, data, *, tracks, steps, signed_in: bool):
        """tracks: [(slug, name)]; steps: {track slug: [(step slug, title)]}."""
        super().__init__(data)
        self.steps = steps
        self.fields["track"].choices = [("", _("All tracks")), *tracks]
        chosen = data.get("track", "")
        self.fields["step"].choices = [("", _("All steps")), *steps.get(chosen, [])]
        if not signed_in:
            del self.fields["status"]
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = _(
                "“%(value)s” is not a choice for this filter."
            )
            field.widget.attrs.update(id=f"index-{name}", **{"class": "input"})
