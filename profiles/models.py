from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.content_types import Status as SkillStatus
from careers.models import Skill, Track


class Background(models.TextChoices):
    STUDENT = "student", _("Student or new graduate")
    SOFTWARE = "software", _("Software engineer")
    DATA_ML = "data-ml", _("Data or ML engineer")
    ALGORITHM = "algorithm", _("Algorithm or NLP engineer")
    INFRA = "infra", _("Infrastructure or operations")
    HARDWARE = "hardware", _("Hardware or embedded")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    MENTORS = "mentors", _("Me and my mentors")
    PUBLIC = "public", _("Anyone (a reduced public view)")


class ProfileQuerySet(models.QuerySet):
    def of(self, user) -> "Profile":
        """A user's profile; made with the user (profiles.signals)."""
        # Pages read the target from the catalogue by target_track_id
        # (careers.catalogue.Catalogue.track_with_id): joining the track cost more than that.
        return self.get(user=user)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # Personal data: shown only where the profile itself may be seen (profiles.access), and
    # everywhere through shown_name, which falls back to the username.
    display_name = models.CharField(
        _("your name"),
        max_length=100,
        blank=True,
        help_text=_("Your name — shown on your transcript and to your mentors."),
    )
    # A track that learners target is unpublished, never deleted: deleting it would quietly
    # take their target away, and re-importing it would not give it back.
    target_track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target track"),
    )
    background = models.CharField(
        _("background"), max_length=16, choices=Background.choices, blank=True
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("hours per week for learning"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
    )
    visibility = models.CharField(
        _("who can see my profile"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.MENTORS,
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    target_job = models.ForeignKey(
        "JobPosting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target job"),
    )
    notify_on_note = models.BooleanField(_("e-mail me when a mentor leaves a note"), default=True)
    onboarded = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("profiles:public", args=[self.user.get_username()])

    @property
    def shown_name(self) -> str:
        """How the person is named to others and on documents: their name, or the username."""
        return shown_name(self.display_name, self.user.get_username())


def shown_name(display_name: str | None, username: str) -> str:
    """Profile.shown_name from plain values, for pages that read profiles as rows."""
    return display_name or username


class Status(models.TextChoices):
    """careers.content_types.Status with a label for each: the values are defined there."""

    NONE = SkillStatus.NONE.value, _("not started")
    LEARNING = SkillStatus.LEARNING.value, _("learning")
    DONE = SkillStatus.DONE.value, _("done")
    SKIPPED = SkillStatus.SKIPPED.value, _("skipped")


class SkillProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_progress"
    )
    # A skill someone has recorded can be archived, never deleted.
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.NONE
    )
    note = models.TextField(_("personal note"), max_length=2000, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # A mentor's verification of a done skill; set_progress removes it when the status
    # changes away from done.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("skill progress")
        verbose_name_plural = _("skill progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="one_progress_per_user_skill"),
            # Every page that shows a status names it: an unknown one (an empty form field
            # once got through) must never be stored, whatever path writes it.
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="progress_status_is_known"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.skill} · {self.status}"


class StatusChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The status log is append-only.")


class StatusChange(models.Model):
    """One line of the append-only log of status changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="status_changes"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=8, choices=Status.choices)
    to_status = models.CharField(max_length=8, choices=Status.choices)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["user", "-changed_at"], name="status_log_user_recent")]

    def __str__(self):
        return f"{self.user} · {self.skill_id}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The status log is append-only.")
        super().save(*args, **kwargs)


# Mentoring --------------------------------------------------------------------


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class MentorInvitation(models.Model):
    """A single-use invitation link a mentee gives to a future mentor.

    Only a SHA-256 digest of the token is stored: the link is shown once, when it is made,
    and whoever reads the database cannot use a pending invitation.
    """

    VALID_FOR = timedelta(days=14)

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentor invitation")
        verbose_name_plural = _("mentor invitations")

    def __str__(self):
        return f"{self.mentee} · {self.created_at:%Y-%m-%d}"

    def state(self, now=None) -> InvitationState:
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.withdrawn_at:
            return InvitationState.WITHDRAWN
        if self.expires_at <= (now or timezone.now()):
            return InvitationState.EXPIRED
        return InvitationState.PENDING


class MentorshipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Mentorship(models.Model):
    """A mentor follows a mentee from acceptance until either side ends it."""

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    invitation = models.OneToOneField(
        MentorInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_mentorship_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(mentee=models.F("mentor")), name="no_self_mentoring"
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class MentorNote(models.Model):
    """A mentor's note to a mentee, on the profile as a whole or on one skill."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="notes")
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mentor note")
        verbose_name_plural = _("mentor notes")

    def __str__(self):
        return f"{self.mentorship} · {self.created_at:%Y-%m-%d}"


class JobPosting(models.Model):
    """A job posting a person saved, to measure their gap against it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_postings"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("the posting"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved job posting")
        verbose_name_plural = _("saved job postings")

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("profiles:job", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title, or the posting's first line when it has none."""
        if self.title:
            return self.title
        lines = [line.strip() for line in self.text.splitlines() if line.strip()]
        # A heading such as "Responsibilities:" says nothing about which job it is.
        first = next((line for line in lines if not line.endswith((":", "："))), "")
        return first[:80] or str(_("Untitled posting"))


# The dated plan ---------------------------------------------------------------


def _every_day() -> list[int]:
    return [0, 1, 2, 3, 4, 5, 6]


class PlanSettings(models.Model):
    """A learner's plan choices, calendar feed, time zone and weekly e-mail choices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_settings"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    # Weekdays as numbers, 0 for Monday, as Python's date.weekday() counts them.
    study_days = models.JSONField(_("study days"), default=_every_day)
    # Skill slug -> the Monday of the week it is pinned to (ISO date).
    pins = models.JSONField(default=dict, blank=True)
    # Mondays (ISO dates) of the weeks the learner lost.
    lost_weeks = models.JSONField(default=list, blank=True)
    # What the plan expected when the learner last set it up: skill slug -> ISO date of the
    # end of its week, and the finish date; the dashboard compares today against it.
    baseline = models.JSONField(default=dict, blank=True)
    baseline_finish = models.DateField(null=True, blank=True)
    # What the plan leads to: a saved posting, or the target track when empty (also when the
    # posting is deleted). The baseline records which target it measured ("track:<slug>" or
    # "job:<id>"), so a change of target starts a new baseline instead of a false "behind".
    job = models.ForeignKey(
        "JobPosting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan for job"),
    )
    baseline_target = models.CharField(max_length=80, blank=True, default="")
    # The calendar feed's secret; shown to its owner, so stored as it is. Regenerating it
    # makes the old feed URL a 404.
    ical_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    weekly_digest = models.BooleanField(_("e-mail me my plan every week"), default=False)
    mentor_digest = models.BooleanField(
        _("e-mail me a weekly digest of my mentees' progress"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan settings")
        verbose_name_plural = _("plan settings")

    def __str__(self):
        return str(self.user)


class DigestSent(models.Model):
    """One weekly e-mail sent to one person: at most one per person per ISO week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    week = models.CharField(max_length=8)  # ISO week in the recipient's time zone: 2026-W49
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("weekly e-mail sent")
        verbose_name_plural = _("weekly e-mails sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_user_week")
        ]

    def __str__(self):
        return f"{self.user} · {self.week}"
