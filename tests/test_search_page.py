"""/search/?q=: skills and tracks by name in English and Chinese, with my statuses; never a 500."""

import re

import pytest

from careers.models import Skill
from profiles.models import Mentorship
from profiles.progress import set_progress

from .factories import (
    SkillFactory,
    StepFactory,
    StepSkillFactory,
    TrackFactory,
    UserFactory,
    make_track,
)

pytestmark = pytest.mark.django_db
URL = "/search/"


def hits(response) -> list[str]:
    return re.findall(r'id="hit-([a-z0-9-]+)"', response.content.decode())


@pytest.fixture
def serving(db):
    """A vLLM skill on a published track's step, and a decoy that only mentions it."""
    track = TrackFactory(slug="deployment", name="LLM deployment engineer", name_zh_hans="部署")
    step = StepFactory(track=track, slug="serving", title="Serving", title_zh_hans="推理服务")
    skill = SkillFactory(
        slug="llm-serving-engines",
        name="LLM serving engines",
        name_zh_hans="大模型推理服务引擎",
        summary="Serve models with vLLM.",
        summary_zh_hans="用 vLLM 提供服务。",
    )
    StepSkillFactory(step=step, skill=skill, importance="core")
    SkillFactory(slug="decoy", name="Decoy", description="Not vLLM, but mentions it.")
    return skill


# Per role ------------------------------------------------------------------------


def test_a_visitor_finds_the_skill_with_its_track_and_step_and_no_status(client, serving):
    response = client.get(URL, {"q": "vllm"})
    assert response.status_code == 200
    assert hits(response) == ["llm-serving-engines", "decoy"]
    body = response.content.decode()
    assert "LLM deployment engineer › Serving" in body
    assert 'href="/tracks/deployment/#step-serving"' in body
    assert "status-badge" not in body


def test_the_owner_sees_their_own_status(client, serving, mentee):
    set_progress(mentee, serving, status="done")
    client.force_login(mentee)
    body = client.get(URL, {"q": "vllm"}).content.decode()
    assert re.search(r'id="hit-llm-serving-engines".*?status-done', body, re.S)
    assert re.search(r'id="hit-decoy".*?status-none', body, re.S)


@pytest.mark.parametrize("role", ["mentor", "stranger", "staff"])
def test_others_see_their_own_status_never_the_learners(client, serving, mentee, role):
    set_progress(mentee, serving, status="done")
    other = UserFactory(username=role, is_staff=role == "staff", is_superuser=role == "staff")
    if role == "mentor":
        Mentorship.objects.create(mentee=mentee, mentor=other)
    client.force_login(other)
    body = client.get(URL, {"q": "vllm"}).content.decode()
    assert "status-done" not in body
    assert re.search(r'id="hit-llm-serving-engines".*?status-none', body, re.S)


# Languages, drafts and archives --------------------------------------------------


def test_chinese_queries_find_chinese_names_and_chinese_visitors_read_them(client, serving):
    response = client.get(URL, {"q": "推理服务"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert hits(response) == ["llm-serving-engines"]
    body = response.content.decode()
    assert "大模型推理服务引擎" in body
    assert "部署 › 推理服务" in body


def test_tracks_are_found_by_name(client, serving):
    body = client.get(URL, {"q": "deployment engineer"}).content.decode()
    assert 'href="/tracks/deployment/"' in body


def test_draft_tracks_and_archived_skills_are_not_found(client, serving):
    TrackFactory(slug="secret-draft", name="Secret deployment plan", published=False)
    Skill.objects.filter(slug="decoy").update(archived=True)
    body = client.get(URL, {"q": "deployment"}).content.decode()
    assert "secret-draft" not in body
    assert hits(client.get(URL, {"q": "vllm"})) == ["llm-serving-engines"]


def test_the_bundled_content_answers_the_issues_examples(client, import_bundled_content):
    import_bundled_content()
    assert hits(client.get(URL, {"q": "去重"}))[0] == "text-deduplication"
    assert hits(client.get(URL, {"q": "量化"}))[0] == "quantization"
    assert hits(client.get(URL, {"q": "vllm"}))[0] == "llm-serving-engines"


# Empty, junk and long queries ----------------------------------------------------


def test_an_empty_search_explains_itself_with_examples(client, serving):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Find a skill or a track by its name" in body
    assert 'href="/search/?q=%E5%8E%BB%E9%87%8D"' in body  # 去重
    assert 'href="/skills/"' in body


@pytest.mark.parametrize("junk", ["%%%", "!!!???", "' OR 1=1 --", "<script>alert(1)</script>"])
def test_junk_gets_a_helpful_empty_state_never_an_error(client, serving, junk):
    response = client.get(URL, {"q": junk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert hits(response) == []
    assert "has no letters or digits to search for" in body or "Nothing matches" in body
    assert 'href="/skills/"' in body


def test_nothing_found_says_so(client, serving):
    body = client.get(URL, {"q": "kubernetes operator"}).content.decode()
    assert "Nothing matches “kubernetes operator”." in body


def test_a_query_over_200_characters_is_cut_not_refused(client, serving):
    response = client.get(URL, {"q": "vllm " + "x" * 400})
    assert response.status_code == 200
    assert "only its first 200 characters were used" in response.content.decode()


# htmx and the header ------------------------------------------------------------


def test_htmx_gets_only_the_results_and_caches_vary_on_it(client, serving):
    response = client.get(URL, {"q": "vllm"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and 'id="search-results"' in body
    assert hits(response) == ["llm-serving-engines", "decoy"]
    assert "HX-Request" in response["Vary"]
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(URL, {"q": "vllm"}, headers=restore).content.decode()


@pytest.mark.parametrize("path", ["/", "/tracks/", "/search/?q=vllm"])
def test_every_page_has_the_search_box_in_its_header(client, serving, path):
    body = client.get(path).content.decode()
    assert 'role="search"' in body
    assert 'hx-trigger="input changed delay:300ms, search"' in body


def test_the_search_page_keeps_the_query_in_the_box(client, serving):
    body = client.get(URL, {"q": "vllm"}).content.decode()
    assert 'name="q" autocomplete="off"' in body and 'value="vllm"' in body


# Query budget --------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_query_count_does_not_grow_with_the_catalogue(
    client, mentee, django_assert_max_num_queries, signed_in
):
    if signed_in:
        client.force_login(mentee)
    make_track(n_steps=2, skills_per_step=3, name="Small track")
    with django_assert_max_num_queries(6):
        small = client.get(URL, {"q": "skill"})
    for _ in range(3):
        make_track(n_steps=4, skills_per_step=10)
    with django_assert_max_num_queries(6):
        large = client.get(URL, {"q": "skill"})
    assert len(hits(large)) > len(hits(small)) > 0


def test_keywords_find_a_skill_in_english_and_chinese(client, serving):
    SkillFactory(
        slug="minhash-dedup",
        name="Near-duplicate detection",
        name_zh_hans="近似重复检测",
        keywords={"en": ["MinHash", "LSH"], "zh": ["局部敏感哈希"]},
    )
    assert hits(client.get(URL, {"q": "minhash"})) == ["minhash-dedup"]
    assert hits(client.get(URL, {"q": "局部敏感哈希"})) == ["minhash-dedup"]
