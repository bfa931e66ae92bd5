"""The advisor gives the article's advice for every combination of answers, not just a few."""

from itertools import combinations, product

import pytest

from careers.advisor import advise, get_rules

DATA = "llm-data-engineer"
PLATFORM = "llm-platform-engineer"
APPLICATION = "llm-application-engineer"
DEPLOYMENT = "llm-deployment-engineer"
BACKGROUNDS = ["student", "software", "data-ml", "algorithm", "infra", "hardware", "other"]
YEARS = ["0", "1-3", "3-5", "5-plus"]
INTERESTS = ["data", "infra", "models", "products", "performance"]
EVERY_ANSWER = [
    (background, years, list(interests), domain)
    for background, years, domain in product(BACKGROUNDS, YEARS, ["yes", "no"])
    for size in range(len(INTERESTS) + 1)
    for interests in combinations(INTERESTS, size)
]


def first(background, years, interests, domain):
    answers = {
        "background": background,
        "experience": years,
        "interests": interests,
        "domain": domain,
    }
    return advise(answers)[0]


def _cases(keep):
    return [answers for answers in EVERY_ANSWER if keep(*answers)]


def test_the_whole_answer_space_is_covered():
    assert len(EVERY_ANSWER) == 7 * 4 * 2 * 32


def test_deployment_is_entered_through_platform():
    assert {rule.slug: rule.via for rule in get_rules().tracks}[DEPLOYMENT] == PLATFORM


def test_a_newcomer_never_starts_in_deployment():
    newcomers = _cases(lambda background, years, *_: years == "0" or background == "student")
    wrong = [answers for answers in newcomers if first(*answers).track == DEPLOYMENT]
    assert not wrong, wrong[:5]


def test_a_newcomer_drawn_to_data_models_or_products_starts_with_data():
    newcomers = _cases(
        lambda background, years, interests, _: (
            background in {"student", "other"}
            and years == "0"
            and set(interests) <= {"data", "models", "products"}
        )
    )
    wrong = [answers for answers in newcomers if first(*answers).track != DATA]
    assert not wrong, wrong[:5]


def test_a_student_drawn_to_infrastructure_starts_on_the_platform():
    students = _cases(
        lambda background, _, interests, __: (
            background in {"student", "other"}
            and "infra" in interests
            and set(interests) <= {"infra", "performance"}
        )
    )
    wrong = [answers for answers in students if first(*answers).track != PLATFORM]
    assert not wrong, wrong[:5]


def test_an_engineer_goes_to_the_platform():
    engineers = _cases(
        lambda background, _, interests, __: (
            background in {"software", "infra"} and set(interests) <= {"infra"}
        )
    )
    wrong = [answers for answers in engineers if first(*answers).track != PLATFORM]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("interests", [[], ["performance"], ["infra"], ["infra", "performance"]])
@pytest.mark.parametrize("domain", ["yes", "no"])
def test_hardware_without_experience_goes_to_the_platform_first(interests, domain):
    assert first("hardware", "0", interests, domain).track == PLATFORM


def test_hardware_with_experience_may_aim_at_deployment_through_the_platform():
    suggestion = first("hardware", "3-5", ["performance"], "no")
    assert suggestion.track == DEPLOYMENT and suggestion.via == PLATFORM


def test_application_comes_first_only_with_algorithm_work_or_business_experience():
    wrong = [
        answers
        for answers in EVERY_ANSWER
        if first(*answers).track == APPLICATION
        and not (answers[3] == "yes" or (answers[0] == "algorithm" and answers[1] != "0"))
    ]
    assert not wrong, wrong[:5]


def test_algorithm_work_plus_business_experience_goes_to_application():
    cases = _cases(
        lambda background, _, interests, domain: (
            background == "algorithm"
            and domain == "yes"
            and set(interests) <= {"models", "products"}
        )
    )
    wrong = [answers for answers in cases if first(*answers).track != APPLICATION]
    assert not wrong, wrong[:5]
