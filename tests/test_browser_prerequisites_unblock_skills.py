"""On the roadmap, finishing prerequisites moves a blocked skill into the next steps, live."""

import pytest
from playwright.sync_api import expect

from careers.content_io import import_content

from .content_samples import valid_files, write_files
from .factories import UserFactory

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def signed_in(page, transactional_db, tmp_path):
    import_content(write_files(tmp_path, valid_files()))
    UserFactory(email="gap@example.com", password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("gap@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/me/")
    return page


def test_blocked_skill_becomes_a_next_step_when_its_prerequisites_are_done(signed_in):
    page = signed_in
    page.goto("/tracks/data/")
    pipelines = page.locator("#node-pipelines")
    assert "needs" in pipelines.inner_text()
    assert "Python" in pipelines.inner_text() and "Sql" in pipelines.inner_text()

    page.locator("#node-python .map-node-link").click()
    page.get_by_role("button", name="Mark Python as done").click()
    expect(pipelines).not_to_contain_text("Python")
    assert "next step" in page.locator("#node-dedup").inner_text()
    assert "needs" in pipelines.inner_text()  # still waits for SQL

    page.locator("#node-sql .map-node-link").click()
    page.get_by_role("button", name="Mark Sql as done").click()
    expect(pipelines).to_contain_text("next step")
    assert "needs" not in pipelines.inner_text()

    # The dashboard agrees once the track is the target.
    page.goto("/me/settings/")
    page.get_by_label("Target track").select_option(label="Data")
    page.get_by_role("button", name="Save settings").click()
    page.goto("/me/")
    next_steps = page.locator(".next-steps").inner_text()
    assert "Dedup" in next_steps and "Pipelines" in next_steps
