import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from careers.models import Resource, RoadmapStep, Skill, StepSkill, Track, Transition
from careers.track_map import NodeState


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        # Log-in needs a confirmed address (ACCOUNT_EMAIL_VERIFICATION is mandatory);
        # verified_email=False makes a user who has not confirmed theirs yet.
        if create and self.email and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email.lower(), defaults={"verified": True, "primary": True}
            )


class EditorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    is_staff = True

    @factory.post_generation
    def editor_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Content editors"))


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    slug = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")
    name_zh_hans = factory.Sequence(lambda n: f"方向 {n}")
    tagline = "A way into the field"
    description = "What the work is."
    suits = "Who it suits."
    entry_difficulty = 2
    entry = "How to get in."
    first_tasks = "Setting up environments."
    published = True
    order = factory.Sequence(int)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapStep

    track = factory.SubFactory(TrackFactory)
    slug = factory.Sequence(lambda n: f"step-{n}")
    title = factory.Sequence(lambda n: f"Step {n}")
    order = factory.Sequence(int)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    name_zh_hans = factory.Sequence(lambda n: f"技能 {n}")
    summary = "One sentence about it."
    description = "What it covers.\n\nYou have it when you can use it."
    hours = 10


class StepSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepSkill

    step = factory.SubFactory(StepFactory)
    skill = factory.SubFactory(SkillFactory)
    importance = "core"
    order = factory.Sequence(int)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    skill = factory.SubFactory(SkillFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = factory.Sequence(lambda n: f"https://example.com/resource/{n}")
    kind = "docs"
    language = "en"


class TransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transition

    from_track = factory.SubFactory(TrackFactory)
    to_track = factory.SubFactory(TrackFactory)
    why = "Because the skills carry over."


def make_track(n_steps: int = 2, skills_per_step: int = 3, **kwargs) -> Track:
    """A published track with steps and core skills, each skill with a resource."""
    track = TrackFactory(**kwargs)
    for _ in range(n_steps):
        step = StepFactory(track=track)
        for _ in range(skills_per_step):
            link = StepSkillFactory(step=step)
            ResourceFactory(skill=link.skill)
    return track


class NodeStatesOverlay:
    """A map overlay (careers.track_map.MapOverlay) from node states alone, for tests of what
    the map draws: its figures are placeholders, and no step has progress."""

    readiness, core_done, core_total, remaining_core_hours = 0.0, 0, 0, 0
    first_job_readiness, how_url = None, ""

    def __init__(self, states):
        self.states = states

    def node(self, slug):
        return self.states.get(slug, NodeState())

    def step(self, slug):
        return None
