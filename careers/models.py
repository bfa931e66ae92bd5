from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lowercase letters, digits and single hyphens."),
)


class TrackQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Track(models.Model):
    slug = models.SlugField(unique=True, validators=[slug_validator])
    name = models.CharField(_("name"), max_length=120)
    tagline = models.CharField(_("tagline"), max_length=240)
    description = models.TextField(_("description of the work"))
    suits = models.TextField(_("who it suits"))
    entry_difficulty = models.PositiveSmallIntegerField(
        _("entry difficulty"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1: easiest entry for a newcomer, 5: hardest."),
    )
    entry = models.TextField(_("how hard it is to enter"))
    first_tasks = models.TextField(_("a newcomer's first tasks"))
    credits = models.TextField(_("sources"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("careers:track", args=[self.slug])


class RoadmapStep(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="steps")
    slug = models.SlugField(validators=[slug_validator])
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), blank=True)
    outcome = models.TextField(_("what you can do after it"), blank=True)
    project_build = models.TextField(_("project: what to build"), blank=True)
    project_data = models.TextField(_("project: public data or model to use"), blank=True)
    project_check = models.TextField(_("project: how to know it works"), blank=True)
    project_no_gpu = models.TextField(_("project: variant without a GPU"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["track", "order", "id"]
        verbose_name = _("roadmap step")
        verbose_name_plural = _("roadmap steps")
        constraints = [
            models.UniqueConstraint(fields=["track", "slug"], name="unique_step_slug_per_track"),
        ]

    def __str__(self):
        return f"{self.track} · {self.title}"

    def get_absolute_url(self):
        return reverse("careers:track", args=[self.track.slug]) + f"#step-{self.slug}"


class SkillQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived=False)


def validate_keywords(value) -> None:
    """Keywords are {"en": [...], "zh": [...]}: non-empty, distinct phrases in each list."""
    if value in (None, {}):
        return
    if not isinstance(value, dict) or set(value) - {"en", "zh"}:
        raise ValidationError(_('Write keywords as {"en": [...], "zh": [...]}.'))
    for words in value.values():
        if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
            raise ValidationError(_("Each language's keywords must be a list of phrases."))
        if any(not word.strip() for word in words):
            raise ValidationError(_("A keyword cannot be empty."))


class Skill(models.Model):
    slug = models.SlugField(unique=True, validators=[slug_validator])
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    hours = models.PositiveSmallIntegerField(
        _("effort (hours)"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="unlocks",
        blank=True,
        verbose_name=_("prerequisites"),
    )
    archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_("Hidden from roadmaps for new learners; kept for those who recorded it."),
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("merged into"),
        help_text=_(
            "For an archived skill merged into another: progress on it counts for that skill."
        ),
    )
    keywords = models.JSONField(
        _("keywords"),
        default=dict,
        blank=True,
        validators=[validate_keywords],
        help_text=_(
            'Names, tools and phrases a job posting uses for this skill, as {"en": [...], '
            '"zh": [...]}. Matching ignores case, full-width forms and -, _ or spaces.'
        ),
    )

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("careers:skill", args=[self.slug])

    def clean(self):
        super().clean()
        if self.replaced_by_id is None:
            return
        if self.replaced_by_id == self.pk:
            raise ValidationError({"replaced_by": _("A skill cannot be merged into itself.")})
        if not self.archived:
            raise ValidationError({"archived": _("A skill merged into another must be archived.")})
        if self.replaced_by.archived:
            raise ValidationError({"replaced_by": _("Merge into a skill that is not archived.")})


class Importance(models.TextChoices):
    CORE = "core", _("core")
    OPTIONAL = "optional", _("optional")


class StepSkill(models.Model):
    step = models.ForeignKey(RoadmapStep, on_delete=models.CASCADE, related_name="step_skills")
    # Copied from the step so the database itself enforces one skill per track.
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="+", editable=False)
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="step_skills")
    importance = models.CharField(
        _("importance"), max_length=8, choices=Importance.choices, default=Importance.CORE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    first_job = models.BooleanField(
        _("first-job path"),
        default=False,
        help_text=_("Part of the minimum set of core skills for a first job in this track."),
    )

    class Meta:
        ordering = ["step", "order", "id"]
        verbose_name = _("skill in a step")
        verbose_name_plural = _("skills in steps")
        constraints = [
            models.UniqueConstraint(fields=["track", "skill"], name="unique_skill_per_track"),
        ]

    def __str__(self):
        return f"{self.step} · {self.skill}"

    def save(self, *args, **kwargs):
        self.track_id = self.step.track_id
        super().save(*args, **kwargs)

    @property
    def is_core(self):
        return self.importance == Importance.CORE

    def validate_unique(self, exclude=None):
        self.track_id = self.step.track_id if self.step_id else None
        super().validate_unique(exclude=exclude)
        if self.track_id and self.skill_id:
            clash = StepSkill.objects.filter(track_id=self.track_id, skill_id=self.skill_id)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"skill": _("This skill is already in another step of this track.")}
                )


class Resource(models.Model):
    class Kind(models.TextChoices):
        DOCS = "docs", _("documentation")
        PAPER = "paper", _("paper")
        COURSE = "course", _("course")
        BOOK = "book", _("book")
        REPO = "repo", _("repository")
        VIDEO = "video", _("video")
        ARTICLE = "article", _("article")

    class Language(models.TextChoices):
        EN = "en", _("English")
        ZH = "zh", _("Chinese")

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    checked = models.DateField(
        _("last checked"),
        null=True,
        blank=True,
        help_text=_("The day the link last answered (manage.py check_links --update)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["skill", "order", "id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.UniqueConstraint(fields=["skill", "url"], name="unique_resource_url_per_skill"),
        ]

    def __str__(self):
        return self.title


class Transition(models.Model):
    from_track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="transitions")
    to_track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="+")
    why = models.TextField(_("why"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["from_track", "order", "id"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        constraints = [
            models.UniqueConstraint(fields=["from_track", "to_track"], name="unique_transition"),
            models.CheckConstraint(
                condition=~models.Q(from_track=models.F("to_track")), name="transition_not_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.from_track} → {self.to_track}"
