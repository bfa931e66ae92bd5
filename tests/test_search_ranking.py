"""careers.search without HTTP: query cleaning, terms, and ranking in English and Chinese."""

import pytest

from careers.models import Skill, Track
from careers.search import (
    MAX_QUERY_LENGTH,
    Candidate,
    clean_query,
    query_terms,
    rank,
    score,
    searchable_columns,
)


def candidate(slug, name=(), summary=(), description=(), keywords=()):
    texts = {"name": name, "summary": summary, "description": description}
    if keywords:
        texts["keywords"] = keywords
    return Candidate(slug=slug, texts={k: tuple(v) for k, v in texts.items()})


DEDUP = candidate(
    "text-deduplication",
    name=("Text deduplication", "文本去重"),
    summary=("Find near-duplicate documents with MinHash.", "用 MinHash 找出近似重复的文档。"),
    description=("Exact and fuzzy dedup at web scale.", "网页规模的精确去重与模糊去重。"),
)
QUANT = candidate(
    "quantization",
    name=("Quantization", "模型量化"),
    summary=("Smaller, faster models with INT8 and INT4.", "用 INT8、INT4 让模型更小更快。"),
    description=("GPTQ, AWQ and their trade-offs.", "GPTQ、AWQ 及其取舍。"),
)
SERVING = candidate(
    "llm-serving-engines",
    name=("LLM serving engines", "大模型推理服务引擎"),
    summary=("Serve models with vLLM or TensorRT-LLM.", "用 vLLM 或 TensorRT-LLM 提供服务。"),
    description=("Continuous batching and paged attention.", "连续批处理与分页注意力。"),
)
PIPELINES = candidate(
    "data-pipelines",
    name=("Data pipelines", "数据管道"),
    summary=("Move and clean data; deduplication is one stage.", "搬运清洗数据，去重是一步。"),
    description=("Spark and Ray jobs that feed a quantization study.", "为量化研究供数的作业。"),
)
ALL = [DEDUP, QUANT, SERVING, PIPELINES]


def slugs(query):
    return [slug for slug, _score in rank(ALL, query_terms(clean_query(query)), query)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("去重", "text-deduplication"),
        ("量化", "quantization"),
        ("vllm", "llm-serving-engines"),
        ("VLLM", "llm-serving-engines"),
        ("deduplication", "text-deduplication"),
        ("模型量化", "quantization"),
    ],
)
def test_english_and_chinese_queries_find_the_skill_that_teaches_it(query, first):
    assert slugs(query)[0] == first


def test_a_name_match_ranks_above_a_summary_match_above_a_description_match():
    # "去重" is in the dedup skill's name and the pipelines' summary only.
    assert slugs("去重") == ["text-deduplication", "data-pipelines"]
    # "quantization" is in one name and in another's description only.
    assert slugs("quantization") == ["quantization", "data-pipelines"]
    name = score(QUANT, ["quantization"])
    description = score(PIPELINES, ["quantization"])
    assert name > description > 0


def test_every_term_must_match_somewhere():
    assert slugs("vllm tensorrt") == ["llm-serving-engines"]
    assert slugs("vllm minhash") == []


def test_the_whole_name_beats_a_longer_name_that_contains_it():
    short = candidate("python", name=("Python",))
    longer = candidate("python-for-data", name=("Python for data work",))
    mention = candidate("pandas", summary=("Tables in Python.",))
    assert [s for s, _ in rank([mention, longer, short], ["python"], "python")] == [
        "python",
        "python-for-data",
        "pandas",
    ]


def test_keywords_count_nearly_as_much_as_the_name():
    aliased = candidate("serving", name=("Model serving",), keywords=("vllm", "tgi"))
    mentioned = candidate("other", summary=("Runs on vllm.",))
    assert [s for s, _ in rank([mentioned, aliased], ["vllm"])] == ["serving", "other"]


def test_ties_are_broken_by_slug_so_results_are_stable():
    a = candidate("b-skill", name=("Ray",))
    b = candidate("a-skill", name=("Ray",))
    assert [s for s, _ in rank([a, b], ["ray"], "ray")] == ["a-skill", "b-skill"]


def test_queries_are_cut_at_200_characters_and_whitespace_is_collapsed():
    assert clean_query("  vLLM \n  serving\t") == "vLLM serving"
    assert len(clean_query("x" * 500)) == MAX_QUERY_LENGTH
    assert clean_query(None) == ""


@pytest.mark.parametrize("junk", ["", "   ", "%%%", "!!! ???", "— · —"])
def test_junk_has_no_terms_and_finds_nothing(junk):
    assert query_terms(clean_query(junk)) == []
    assert slugs(junk) == []


def test_terms_are_lower_case_distinct_and_keep_cjk_words_whole():
    assert query_terms("vLLM vllm 大模型 量化, C++!") == ["vllm", "大模型", "量化", "c++"]


def test_searchable_columns_are_both_languages_and_include_keywords_when_the_model_has_them():
    columns = searchable_columns(Skill, ("name", "keywords", "summary", "description"))
    assert columns["name"] == ["name_en", "name_zh_hans"]
    assert columns["description"] == ["description_en", "description_zh_hans"]
    has_keywords = any(f.name.startswith("keywords") for f in Skill._meta.get_fields())
    assert ("keywords" in columns) == has_keywords
    assert "summary" not in searchable_columns(Track, ("name", "summary"))


def test_a_term_in_the_name_and_summary_beats_one_in_the_name_alone():
    focused = candidate("serving", name=("Serving (vLLM)",), summary=("Serve with vLLM.",))
    passing = candidate("ascend", name=("Ascend (vLLM-Ascend)",), summary=("NPUs.",))
    assert [s for s, _ in rank([passing, focused], ["vllm"], "vllm")] == ["serving", "ascend"]


def test_on_a_tie_the_shorter_more_focused_name_comes_first():
    broad = candidate("a-broad", name=("Accelerators: CANN, HCCL, MindIE, vLLM-Ascend",))
    focused = candidate("z-focused", name=("Engines (vLLM)",))
    assert [s for s, _ in rank([broad, focused], ["vllm"], "vllm")] == ["z-focused", "a-broad"]
