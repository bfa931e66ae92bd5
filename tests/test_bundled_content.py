"""The LLM tracks shipped in careers/content/ meet the content bar, in both languages."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from careers.content_io import (
    DEFAULT_CONTENT_DIR,
    export_content,
    export_data,
    import_content,
    read_content,
    write_content,
)
from careers.graph import find_cycle
from careers.models import Track

TRACKS = {
    "llm-data-engineer",
    "llm-platform-engineer",
    "llm-application-engineer",
    "llm-deployment-engineer",
}
FOUNDATIONS = {"python", "linux-shell", "git", "sql", "pytorch-basics", "transformer-architecture"}


@pytest.fixture(scope="module")
def content():
    return read_content(DEFAULT_CONTENT_DIR)


def both(text: dict) -> bool:
    return bool(text.get("en", "").strip()) and bool(text.get("zh", "").strip())


def test_the_four_tracks_are_there_and_published(content):
    assert {track.slug for track in content.tracks} == TRACKS
    assert all(track.published for track in content.tracks)


@pytest.mark.parametrize("slug", sorted(TRACKS))
def test_each_track_has_depth(content, slug):
    track = next(t for t in content.tracks if t.slug == slug)
    links = [link for step in track.steps for link in step.skills]
    assert len(track.steps) >= 6
    assert len(links) >= 20
    assert {importance for _, importance in links} == {"core", "optional"}
    assert len({skill for skill, _ in links}) == len(links), "a skill twice in one track"
    assert track.transitions, "every track says where it leads"
    for name, text in track.texts.items():
        assert both(text), f"{slug}.{name} needs English and Chinese"
    assert "丁师兄" in track.texts["credits"]["zh"], "the source article is credited"
    for step in track.steps:
        assert both(step.title) and both(step.summary) and both(step.outcome), step.slug
    for transition in track.transitions:
        assert both(transition.why)


def test_foundation_skills_are_shared_across_tracks(content):
    for slug in FOUNDATIONS:
        users = [
            t.slug for t in content.tracks if any(s == slug for st in t.steps for s, _ in st.skills)
        ]
        assert len(users) >= 2, f"{slug} should count in several tracks, is in {users}"


def test_every_skill_is_complete_in_both_languages(content):
    for skill in content.skills:
        assert skill.hours > 0, skill.slug
        for text in (skill.name, skill.summary, skill.description):
            assert both(text), skill.slug
        assert 2 <= len(skill.resources) <= 5, f"{skill.slug} has {len(skill.resources)} resources"
        for resource in skill.resources:
            assert both(resource.title), f"{skill.slug}: {resource.url}"
            parts = urlsplit(resource.url)
            assert parts.scheme == "https" and "." in parts.netloc, resource.url
            assert " " not in resource.url


# Skills still waiting for a good Chinese resource; the list only shrinks.
WITHOUT_CHINESE_RESOURCE = {"llm-model-serving-platform", "llm-service-monitoring"}


def test_skills_have_a_chinese_resource_but_the_known_few(content):
    missing = {
        skill.slug
        for skill in content.skills
        if not any(resource.language == "zh" for resource in skill.resources)
    }
    assert missing <= WITHOUT_CHINESE_RESOURCE, sorted(missing - WITHOUT_CHINESE_RESOURCE)


def test_every_skill_is_used_by_a_track_and_prerequisites_are_acyclic(content):
    used = {s for t in content.tracks for step in t.steps for s, _ in step.skills}
    unused = {skill.slug for skill in content.skills if not skill.archived} - used
    assert not unused, f"skills in no track: {sorted(unused)}"
    assert find_cycle({s.slug: s.prerequisites for s in content.skills}) is None


@pytest.mark.django_db
def test_bundled_import_is_idempotent_and_export_round_trips_byte_for_byte(tmp_path):
    import_content()
    out = StringIO()
    call_command("import_content", stdout=out)
    assert "No changes" in out.getvalue()
    export_content(tmp_path)
    for path in [DEFAULT_CONTENT_DIR / "skills.yaml", *DEFAULT_CONTENT_DIR.glob("tracks/*.yaml")]:
        exported = tmp_path / path.relative_to(DEFAULT_CONTENT_DIR)
        assert exported.read_text() == path.read_text(), f"{path.name} is not in export format"


@pytest.mark.django_db
def test_every_track_page_gives_its_total_hours_in_both_languages(client, import_bundled_content):
    import_bundled_content()
    for track in Track.objects.all():
        body = client.get(track.get_absolute_url()).content.decode()
        assert "Total effort" in body and " hours" in body
        body = client.get(track.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
        assert track.name_zh_hans in body


@pytest.mark.django_db
def test_the_suites_quick_copy_of_the_content_equals_an_import(
    import_bundled_content, bundled_content_files
):
    """import_bundled_content inserts rows captured from one import: the same content."""

    def state():
        models = apps.get_app_config("careers").get_models(include_auto_created=True)
        counts = {model.__name__: model._base_manager.count() for model in models}
        return counts, export_data()

    with transaction.atomic():
        write_content(bundled_content_files)
        imported = state()
        transaction.set_rollback(True)
    assert not Track.objects.exists()
    import_bundled_content()
    assert state() == imported
    assert Track.objects.get(slug="llm-data-engineer").steps.exists()
