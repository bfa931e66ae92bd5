"""Skill keywords: validated by the importer, round-tripped by the export, edited in the admin."""

from pathlib import Path

import pytest

from careers.content_io import (
    DEFAULT_CONTENT_DIR,
    SKILLS_FILE,
    ContentError,
    export_content,
    import_content,
    read_content,
)
from careers.job_matching import normalise
from careers.models import Skill

from .content_samples import valid_files, write_files


def with_keywords(files, slug, keywords):
    for item in files["skills.yaml"]["skills"]:
        if item["slug"] == slug:
            item["keywords"] = keywords
    return files


def test_every_bundled_skill_has_keywords_in_both_languages():
    content = read_content(DEFAULT_CONTENT_DIR)
    # The matcher reads active skills only; a merged skill's keywords moved to its survivor.
    for skill in (skill for skill in content.skills if not skill.archived):
        assert skill.keywords.get("en"), f"{skill.slug} needs English keywords"
        assert skill.keywords.get("zh"), f"{skill.slug} needs Chinese keywords"


@pytest.mark.django_db
def test_bundled_skills_file_is_in_the_export_format(tmp_path):
    """skills.yaml reads back byte for byte from export_content: keywords sit after hours."""
    import_content(DEFAULT_CONTENT_DIR)
    export_content(tmp_path)
    exported = (tmp_path / SKILLS_FILE).read_text(encoding="utf-8")
    bundled = (DEFAULT_CONTENT_DIR / SKILLS_FILE).read_text(encoding="utf-8")
    assert exported == bundled


@pytest.mark.django_db
def test_keywords_import_and_export(tmp_path):
    files = with_keywords(valid_files(), "dedup", {"en": ["MinHash", "dedup"], "zh": ["去重"]})
    import_content(write_files(tmp_path / "in", files))
    assert Skill.objects.get(slug="dedup").keywords == {"en": ["MinHash", "dedup"], "zh": ["去重"]}
    export_content(tmp_path / "out")
    text = Path(tmp_path / "out" / SKILLS_FILE).read_text(encoding="utf-8")
    assert "hours: 10\n  keywords:\n    en:\n    - MinHash" in text
    exported = {skill.slug: skill for skill in read_content(tmp_path / "out").skills}
    assert exported["dedup"].keywords["zh"] == ["去重"]


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"en": ["ok", "  "]}, "keywords.en[1]: expected a non-empty phrase"),
        ({"en": [""]}, "expected a non-empty phrase"),
        ({"en": "minhash"}, "expected a list of phrases"),
        ({"fr": ["x"]}, "unknown language 'fr'"),
        (["minhash"], "expected a mapping"),
        ({"en": ["MinHash", "min-hash"], "zh": ["ＭＩＮＨＡＳＨ"]}, "listed twice"),
    ],
)
def test_bad_keywords_are_refused_with_a_clear_error(tmp_path, keywords, message):
    files = with_keywords(valid_files(), "dedup", keywords)
    with pytest.raises(ContentError) as error:
        read_content(write_files(tmp_path, files))
    assert message in str(error.value)


def test_a_keyword_claimed_by_two_skills_needs_shared_keywords(tmp_path):
    files = with_keywords(valid_files(), "dedup", {"en": ["Spark"]})
    files = with_keywords(files, "pipelines", {"en": ["spark"]})
    with pytest.raises(ContentError) as error:
        read_content(write_files(tmp_path / "a", files))
    assert "keyword 'spark' is claimed by dedup, pipelines" in str(error.value)

    files["skills.yaml"]["shared_keywords"] = ["Spark"]
    content = read_content(write_files(tmp_path / "b", files))
    assert content.shared_keywords == ["Spark"]


def test_shared_keywords_must_really_be_shared(tmp_path):
    files = with_keywords(valid_files(), "dedup", {"en": ["Spark"]})
    files["skills.yaml"]["shared_keywords"] = ["spark"]
    with pytest.raises(ContentError) as error:
        read_content(write_files(tmp_path, files))
    assert "'spark' is not listed by two skills" in str(error.value)


@pytest.mark.django_db
def test_shared_keywords_survive_the_round_trip(tmp_path):
    files = with_keywords(valid_files(), "dedup", {"en": ["Spark"]})
    files = with_keywords(files, "pipelines", {"en": ["spark"]})
    files["skills.yaml"]["shared_keywords"] = ["Spark"]
    import_content(write_files(tmp_path / "in", files))
    export_content(tmp_path / "out")
    assert read_content(tmp_path / "out").shared_keywords == ["Spark"]


def test_bundled_keywords_are_distinct_after_normalisation():
    content = read_content(DEFAULT_CONTENT_DIR)
    keys = [normalise(w) for s in content.skills for words in s.keywords.values() for w in words]
    shared = {normalise(word) for word in content.shared_keywords}
    duplicated = {key for key in keys if keys.count(key) > 1} - shared
    assert not duplicated


# The admin ---------------------------------------------------------------------


def _form_data(skill, en="", zh=""):
    return {
        "slug": skill.slug,
        "name": skill.name,
        "summary": skill.summary,
        "description": skill.description,
        "hours": skill.hours,
        "keywords_en": en,
        "keywords_zh": zh,
    }


@pytest.mark.django_db
def test_admin_edits_keywords_one_per_line():
    from careers.admin import SkillForm

    from .factories import SkillFactory

    skill = SkillFactory(keywords={"en": ["old"]})
    form = SkillForm(instance=skill)
    assert form["keywords_en"].value() == "old"
    form = SkillForm(_form_data(skill, en=" vLLM \n\nSGLang\n", zh="推理引擎"), instance=skill)
    assert form.is_valid(), form.errors
    form.save()
    skill.refresh_from_db()
    assert skill.keywords == {"en": ["vLLM", "SGLang"], "zh": ["推理引擎"]}


@pytest.mark.django_db
def test_admin_refuses_a_keyword_of_another_skill():
    from careers.admin import SkillForm

    from .factories import SkillFactory

    SkillFactory(slug="serving", keywords={"en": ["vLLM"]})
    skill = SkillFactory()
    form = SkillForm(_form_data(skill, en="VLLM"), instance=skill)
    assert not form.is_valid()
    assert "already names the skill serving" in str(form.errors)


@pytest.mark.django_db
def test_admin_change_page_shows_the_keyword_boxes(client, editor):
    from .factories import SkillFactory

    skill = SkillFactory(keywords={"en": ["minhash"], "zh": ["去重"]})
    client.force_login(editor)
    body = client.get(f"/admin/careers/skill/{skill.pk}/change/").content.decode()
    assert 'name="keywords_en"' in body and "minhash" in body and "去重" in body


@pytest.mark.django_db
def test_admin_change_page_saves_keywords(client, superuser):
    from .factories import SkillFactory

    skill = SkillFactory(slug="dedup", keywords={})
    client.force_login(superuser)
    url = f"/admin/careers/skill/{skill.pk}/change/"
    body = client.get(url).content.decode()
    assert 'name="name_zh_hans"' in body
    data = {
        "slug": "dedup",
        "name_en": "Dedup",
        "name_zh_hans": "去重",
        "summary_en": "S",
        "summary_zh_hans": "",
        "description_en": "D",
        "description_zh_hans": "",
        "hours": 10,
        "keywords_en": "MinHash\nSimHash",
        "keywords_zh": "去重",
        "resources-TOTAL_FORMS": 0,
        "resources-INITIAL_FORMS": 0,
        "resources-MIN_NUM_FORMS": 0,
        "resources-MAX_NUM_FORMS": 1000,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    skill.refresh_from_db()
    assert skill.keywords == {"en": ["MinHash", "SimHash"], "zh": ["去重"]}
