"""Content changes invalidate cached structures once per transaction, after the commit."""

import pytest
from django.db import transaction

from careers import catalogue
from careers.catalogue import content_changed, content_version
from careers.content_io import read_content, write_content
from careers.signals import one_invalidation

from .content_samples import valid_files, write_files
from .factories import SkillFactory, TrackFactory, make_track

pytestmark = pytest.mark.django_db


def _invalidations(callbacks) -> int:
    return sum(1 for callback in callbacks if callback is content_changed)


def test_many_saves_in_one_batch_invalidate_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, one_invalidation():
        for index in range(20):
            SkillFactory(slug=f"bulk-{index}")
        TrackFactory(slug="one-track")
    assert _invalidations(callbacks) == 1


def test_a_failed_batch_schedules_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValueError),
        transaction.atomic(),
        one_invalidation(),
    ):
        SkillFactory(slug="half-done")
        raise ValueError("the import stops here")
    assert _invalidations(callbacks) == 0


def test_each_edit_outside_a_batch_invalidates_after_its_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        SkillFactory(slug="edited-in-the-admin")
    assert _invalidations(callbacks) == 1


def test_the_version_changes_after_the_commit(django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        SkillFactory(slug="fresh")
    assert content_version() != before


def test_a_rolled_back_savepoint_does_not_swallow_a_later_invalidation(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            SkillFactory(slug="undone")
            transaction.set_rollback(True)
        SkillFactory(slug="kept")
    assert _invalidations(callbacks) == 1


def test_importing_a_whole_catalogue_schedules_one_invalidation(
    tmp_path, django_capture_on_commit_callbacks
):
    content = read_content(write_files(tmp_path, valid_files()))
    with django_capture_on_commit_callbacks() as callbacks:
        write_content(content)
    assert _invalidations(callbacks) == 1


class CountingCache:
    """The cache, counting its reads of the content version."""

    def __init__(self, cache):
        self.cache, self.version_reads = cache, 0

    def get(self, key, *args):
        self.version_reads += key == catalogue.VERSION_KEY
        return self.cache.get(key, *args)

    def __getattr__(self, name):
        return getattr(self.cache, name)


@pytest.fixture
def counting_cache(monkeypatch):
    catalogue.content_version()  # the version exists: each read is one round trip
    counting = CountingCache(catalogue.cache)
    monkeypatch.setattr(catalogue, "cache", counting)
    return counting


def test_a_request_reads_the_version_once_and_sees_its_own_change(counting_cache):
    with catalogue.one_content_version():
        first = catalogue.content_version()
        assert catalogue.content_version() == catalogue.content_version() == first
        assert counting_cache.version_reads == 1
        catalogue.content_changed()
        assert catalogue.content_version() != first
    assert counting_cache.version_reads == 2
    catalogue.content_version()
    catalogue.content_version()
    assert counting_cache.version_reads == 4  # outside a request, each call reads


def test_the_signed_in_track_page_reads_the_version_once(client, mentee, counting_cache):
    track = make_track()
    client.force_login(mentee)
    client.get(track.get_absolute_url())
    counting_cache.version_reads = 0
    assert client.get(track.get_absolute_url()).status_code == 200
    assert counting_cache.version_reads == 1
