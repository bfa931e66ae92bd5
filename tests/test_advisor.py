"""The advisor: its rules file, the article's advice as examples, and the /advisor/ page."""

import re
from itertools import product

import pytest
import yaml
from django.utils import translation

from careers.advisor import (
    RULES_FILE,
    advise,
    content_files,
    get_rules,
    known_skills,
    load_rules,
)
from careers.content_io import ContentError, read_content
from careers.models import Track
from profiles.models import Background, Profile

PLATFORM = "llm-platform-engineer"
DATA = "llm-data-engineer"
APPLICATION = "llm-application-engineer"
DEPLOYMENT = "llm-deployment-engineer"
YEARS = ["0", "1-3", "3-5", "5-plus"]
INTERESTS = ["data", "infra", "models", "products", "performance"]


def answers(background, experience="3-5", interests=(), domain="no"):
    return {
        "background": background,
        "experience": experience,
        "interests": list(interests),
        "domain": domain,
    }


def ranking(**kwargs):
    return [suggestion.track for suggestion in advise(answers(**kwargs))]


# The rules file ---------------------------------------------------------------


def test_bundled_rules_are_valid_and_cover_every_track():
    rules = load_rules(known=content_files())
    content = read_content()
    assert {rule.slug for rule in rules.tracks} == {track.slug for track in content.tracks}
    assert [q.key for q in rules.questions] == ["background", "experience", "interests", "domain"]
    questions = {question.key: question for question in rules.questions}
    # Same values as the profile's background, so an answer could prefill the other.
    assert [o.value for o in questions["background"].options] == Background.values
    assert [o.value for o in questions["experience"].options] == YEARS
    assert [o.value for o in questions["interests"].options] == INTERESTS
    assert questions["interests"].multiple
    assert [o.value for o in questions["domain"].options] == ["yes", "no"]


def _broken_copy(tmp_path, change):
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "advisor.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _student(data):
    return data["questions"][0]["options"][0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: _student(data)["weights"].update({"llm-nope": 3}),
            "advisor.yaml: question 'background': option 'student'.weights: "
            "unknown track 'llm-nope'",
        ),
        (
            lambda data: _student(data)["reasons"].update({"llm-nope": {"en": "x", "zh": "x"}}),
            "option 'student'.reasons: unknown track 'llm-nope'",
        ),
        (
            lambda data: data["tracks"].append({"slug": "llm-nope", "entry": {"en": "x"}}),
            "advisor.yaml: track 'llm-nope': unknown track 'llm-nope'",
        ),
        (
            lambda data: data["tracks"][0].update({"via": "llm-nope"}),
            "track 'llm-data-engineer'.via: unknown track 'llm-nope'",
        ),
        (
            lambda data: _student(data)["skills"].append("cobol"),
            "option 'student'.skills: unknown skill 'cobol'",
        ),
        (
            lambda data: _student(data)["weights"].update({DATA: "lots"}),
            "option 'student'.weights.llm-data-engineer: expected a whole number",
        ),
        (
            lambda data: _student(data)["label"].pop("zh"),
            "option 'student'.label: Chinese text ('zh') is required",
        ),
        (
            lambda data: data["questions"][3]["options"][1].update({"value": False}),
            "question 'domain': option #2.value: expected quoted text, not False",
        ),
        (
            lambda data: data["questions"][1].update({"kind": "slider"}),
            "question 'experience'.kind: must be single or multiple",
        ),
        (lambda data: data.pop("tracks"), "advisor.yaml: missing field 'tracks'"),
    ],
)
def test_broken_rules_raise_a_clear_error(tmp_path, change, message):
    with pytest.raises(ContentError) as error:
        load_rules(_broken_copy(tmp_path, change), content_files())
    assert message in str(error.value)


def test_malformed_yaml_is_reported(tmp_path):
    path = tmp_path / "advisor.yaml"
    path.write_text("tracks: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="advisor.yaml: malformed YAML"):
        load_rules(path)


# The article's advice, pinned -------------------------------------------------


@pytest.mark.parametrize("experience", YEARS)
def test_a_software_engineer_into_infrastructure_goes_platform(experience):
    assert ranking(background="software", experience=experience, interests=["infra"])[0] == PLATFORM


@pytest.mark.parametrize(
    ("interest", "domain"), list(product([None, "data", "models"], ["yes", "no"]))
)
def test_a_student_starts_with_data_unless_drawn_to_infrastructure(interest, domain):
    interests = [interest] if interest else []
    assert (
        ranking(background="student", experience="0", interests=interests, domain=domain)[0] == DATA
    )
    assert ranking(background="student", experience="0", interests=["infra"])[0] == PLATFORM


@pytest.mark.parametrize("experience", YEARS)
def test_an_nlp_engineer_with_domain_experience_goes_application(experience):
    first = ranking(background="algorithm", experience=experience, domain="yes")[0]
    assert first == APPLICATION


def test_application_without_business_experience_says_so():
    suggestion = next(s for s in advise(answers("software")) if s.track == APPLICATION)
    assert any("business experience" in reason for reason in suggestion.reasons)


@pytest.mark.parametrize(
    ("experience", "interests", "domain"),
    [("1-3", [], "no"), ("3-5", ["performance"], "yes"), ("5-plus", ["performance"], "no")],
)
def test_a_hardware_engineer_gets_deployment_entered_through_platform(
    experience, interests, domain
):
    first = advise(answers("hardware", experience, interests, domain))[0]
    assert first.track == DEPLOYMENT
    assert first.via == PLATFORM
    assert "platform" in first.entry
    assert first.reasons, "the ranking is explained"


def test_newcomers_are_steered_away_from_deployment_first():
    assert ranking(background="student", experience="0", interests=["performance"])[-1] in {
        DEPLOYMENT,
        APPLICATION,
    }


def test_reasons_follow_the_active_language():
    with translation.override("zh-hans"):
        first = advise(answers("student", experience="0"))[0]
    assert first.track == DATA
    assert "数据" in first.reasons[0]
    assert "数据" in first.entry


def test_no_answers_ranks_every_track_in_the_files_order():
    suggestions = advise({})
    assert [s.track for s in suggestions] == [rule.slug for rule in get_rules().tracks]
    assert {s.score for s in suggestions} == {0}


def test_unknown_answers_are_refused():
    with pytest.raises(ValueError, match="unknown answer 'wizard' to question 'background'"):
        advise({"background": "wizard"})
    with pytest.raises(ValueError, match="takes one answer"):
        advise({"background": ["student", "software"]})


def test_known_skills_come_from_the_background_without_repeats():
    skills = known_skills(answers("algorithm"))
    assert {"python", "pytorch-basics", "transformer-architecture"} <= set(skills)
    assert len(skills) == len(set(skills))
    assert known_skills(answers("other")) == []


# The page -----------------------------------------------------------------------

URL = "/advisor/"
SOFTWARE_INFRA = {
    "background": "software",
    "experience": "3-5",
    "interests": "infra",
    "domain": "no",
}


@pytest.fixture
def content(bundled_content, db):
    """The bundled tracks, written once for this module's tests."""


def _ranked(body: str) -> list[str]:
    return re.findall(r'id="suggestion-([a-z0-9-]+)"', body)


def test_first_visit_shows_the_questions(client, content):
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert body.count("<fieldset") == 4
    assert "<legend" in body and "What is your background?" in body
    assert 'type="checkbox" name="interests"' in body
    assert "Tracks for you" not in body
    assert "errorlist" not in body


def test_answers_show_the_ranked_tracks_with_reasons_and_skills(client, content):
    response = client.get(URL, SOFTWARE_INFRA)
    body = response.content.decode()
    assert response.status_code == 200
    assert _ranked(body)[0] == PLATFORM
    assert len(_ranked(body)) == 4
    assert '<a href="/tracks/llm-platform-engineer/">LLM platform engineer</a>' in body
    assert "Your engineering experience carries over" in body
    assert "Start with:" in body  # deployment, through platform
    assert 'href="/skills/docker/"' in body
    assert "Make this my target" not in body  # only for signed-in people
    assert "checked" in body  # the answers stay selected


def test_draft_tracks_are_left_out(client, content):
    Track.objects.filter(slug=DEPLOYMENT).update(published=False)
    body = client.get(URL, {**SOFTWARE_INFRA, "background": "hardware"}).content.decode()
    assert DEPLOYMENT not in _ranked(body)
    assert _ranked(body)[0] == PLATFORM


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({**SOFTWARE_INFRA, "background": "wizard"}, "is not one of the answers"),
        ({**SOFTWARE_INFRA, "interests": "<script>"}, "is not one of the answers"),
        ({"experience": "3-5"}, "Please choose an answer."),
    ],
)
def test_bad_answers_are_a_400_with_the_form_and_a_message(client, content, query, message):
    response = client.get(URL, query)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "Some answers are missing or not valid" in body
    assert "<script>" not in body
    assert not _ranked(body)


def test_chinese_visitors_get_chinese_reasons(client, content):
    response = client.get(URL, SOFTWARE_INFRA, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert "你目前的背景是什么？" in body
    assert "大模型平台工程师" in body
    assert "你的工程经验在平台方向最能直接复用" in body
    assert "Your engineering experience" not in body


def test_signed_in_user_takes_a_suggestion_as_target(client, content, mentee):
    client.force_login(mentee)
    response = client.get(URL, SOFTWARE_INFRA)
    body = response.content.decode()
    assert 'action="/me/target/"' in body
    assert 'aria-label="Make this my target: LLM platform engineer"' in body
    assert 'name="track" value="llm-platform-engineer"' in body
    back = response.wsgi_request.get_full_path()
    response = client.post("/me/target/", {"track": PLATFORM, "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert Profile.objects.get(user=mentee).target_track.slug == PLATFORM


@pytest.mark.parametrize("signed_in", [False, True])
def test_advisor_page_queries_are_few_and_fixed(
    client, content, mentee, django_assert_max_num_queries, signed_in
):
    if signed_in:
        client.force_login(mentee)
    with django_assert_max_num_queries(4):
        assert client.get(URL, SOFTWARE_INFRA).status_code == 200


def test_the_page_reads_no_content_file_at_runtime(client, content, monkeypatch):
    import careers.advisor
    from careers import content_io

    def only_the_rules(self, path, label):
        assert path == RULES_FILE, f"read {path} at runtime"
        return read(self, path, label)

    def no_content_files(*args, **kwargs):
        raise AssertionError("the advisor read the content files at runtime")

    read = content_io._Reader.load_yaml
    monkeypatch.setattr(content_io._Reader, "load_yaml", only_the_rules)
    monkeypatch.setattr(content_io, "read_content", no_content_files)
    monkeypatch.setattr(careers.advisor, "read_content", no_content_files)
    get_rules.cache_clear()
    try:
        response = client.get(URL, SOFTWARE_INFRA)
    finally:
        get_rules.cache_clear()
    assert response.status_code == 200
    assert _ranked(response.content.decode())[0] == PLATFORM
    assert 'href="/skills/docker/"' in response.content.decode()
