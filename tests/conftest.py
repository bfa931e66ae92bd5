import os
import shutil

import pytest

from .factories import EditorFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
_skipped_browser_tests: list[str] = []


@pytest.fixture(autouse=True)
def _isolated_cache_and_language():
    """Each test starts with an empty cache and in English: nothing leaks between tests."""
    from django.core.cache import caches
    from django.utils import translation

    for cache in caches.all():
        cache.clear()
    translation.activate("en")
    yield
    for cache in caches.all():
        cache.clear()
    translation.deactivate()


# The bundled content (careers/content/) ---------------------------------------


@pytest.fixture(scope="session")
def bundled_content_files():
    """The bundled content files, read and validated once per run (about 0.3 s)."""
    from careers.content_io import read_content

    return read_content()


def _content_models():
    from django.apps import apps

    return list(apps.get_app_config("careers").get_models(include_auto_created=True))


@pytest.fixture(scope="session")
def bundled_content_rows(django_db_setup, django_db_blocker, bundled_content_files):
    """Every careers row that the bundled content writes, captured once per run (per worker).

    Writing the content through the importer costs seconds of CPU; inserting the captured
    rows costs a few milliseconds, so each test that wants the content gets it this way.
    """
    from django.db import transaction

    from careers.content_io import write_content

    with django_db_blocker.unblock(), transaction.atomic():
        write_content(bundled_content_files)
        rows = {
            model: list(
                model._base_manager.order_by("pk").values(
                    *(field.attname for field in model._meta.concrete_fields)
                )
            )
            for model in _content_models()
        }
        transaction.set_rollback(True)
    return rows


def write_bundled_content(bundled_content_files, rows) -> None:
    """The bundled content in the database: the captured rows when no content is there yet,
    otherwise the importer, which merges it with what is there."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from careers.catalogue import content_changed
    from careers.content_io import write_content

    if any(model._base_manager.exists() for model in rows):
        write_content(bundled_content_files)
        return
    with transaction.atomic():
        for model, values in rows.items():
            model._base_manager.bulk_create([model(**row) for row in values])
        # Rows inserted with their ids leave PostgreSQL's sequences behind them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(rows)):
                cursor.execute(sql)
    content_changed()


@pytest.fixture(scope="module")
def bundled_content(
    django_db_setup, django_db_blocker, bundled_content_files, bundled_content_rows
):
    """The bundled content in the database, written once per module and rolled back after it.

    Each test of the module runs in its own savepoint inside this transaction, so it sees
    the content and its changes are undone. From the first test that asks for it to the
    end of the module every test sees the content, so use it where all tests want it, and
    only in modules of plain `db` tests: a transactional test (live server) writes the
    content itself with `import_bundled_content`.
    """
    from django.db import transaction

    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        write_bundled_content(bundled_content_files, bundled_content_rows)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def import_bundled_content(bundled_content_files, bundled_content_rows):
    """Write the bundled content (imported once per run) into the database of this test."""
    return lambda: write_bundled_content(bundled_content_files, bundled_content_rows)


@pytest.fixture
def mentee(db):
    return UserFactory(username="mentee")


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger")


@pytest.fixture
def mentor(mentee):
    """The mentee's mentor (an active mentorship)."""
    from profiles.models import Mentorship

    mentor = UserFactory(username="mentor")
    Mentorship.objects.create(mentee=mentee, mentor=mentor)
    return mentor


@pytest.fixture
def editor(db):
    return EditorFactory(username="editor")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


# Browser tests ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail("E2E_REQUIRED=1 but Chromium was not found (install the chromium package)")
        pytest.skip("Chromium not installed: browser tests skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django must still be
    # allowed to use the database from the test body.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def pytest_runtest_logreport(report):
    if report.skipped and "browser" in report.keywords:
        _skipped_browser_tests.append(report.nodeid)


def pytest_collection_modifyitems(items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) or "browser" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if _skipped_browser_tests:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(_skipped_browser_tests)} browser test(s) did not run: Chromium was not found. "
            "Install it (apt-get install chromium) or set CHROMIUM_PATH; "
            "E2E_REQUIRED=1 turns this into a failure.",
            red=True,
        )
