"""The job-posting matcher: normalisation, boundaries, longest match, optional parts."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from careers.job_matching import (
    build_index,
    clean_posting,
    match_posting,
    normalise,
    optional_ranges,
    pieces,
)

KEYWORDS = {
    "rag": ["RAG", "retrieval-augmented generation", "检索增强生成"],
    "ray": ["Ray"],
    "serving": ["vLLM", "TensorRT-LLM", "推理引擎"],
    "graph": ["TensorRT"],
    "parallel": ["Megatron", "张量并行", "3D 并行"],
    "python": ["Python"],
    "node": ["node.js"],
    "cpp": ["C++"],
}
INDEX = build_index(KEYWORDS)


def slugs(text, index=INDEX):
    return set(match_posting(text, index).slugs)


def test_normalise_folds_case_full_width_and_separators():
    assert normalise("ＴｅｎｓｏｒＲＴ_LLM") == "tensorrt llm"
    assert normalise("tensorrt - llm") == "tensorrt llm"
    assert normalise("3D 并行") == normalise("3d并行") == "3d并行"
    assert normalise("  Python\u3000\t") == "python"


def test_latin_keywords_match_whole_words_only():
    assert slugs("We store data in object storage arrays") == set()
    assert slugs("Experience with RAG, and Ray.") == {"rag", "ray"}
    assert slugs("x-ray imaging") == {"ray"}  # a separator is a word boundary


def test_chinese_keywords_match_inside_text():
    assert slugs("熟悉检索增强生成与推理引擎优化") == {"rag", "serving"}
    assert slugs("负责3D并行和张量并行") == {"parallel"}
    assert slugs("熟悉Python和vLLM") == {"python", "serving"}


def test_longest_match_wins():
    result = match_posting("Deploy with TensorRT-LLM, or tensorrt_llm, and TensorRT.", INDEX)
    assert result.slugs == ("serving", "graph")
    serving = result.detections[0]
    assert len(serving.spans) == 2


def test_each_skill_once_with_all_its_spans():
    text = "Python first. Then more python. 还有 PYTHON。"
    result = match_posting(text, INDEX)
    assert result.slugs == ("python",)
    spans = result.detections[0].spans
    assert [text[s.start : s.end] for s in spans] == ["Python", "python", "PYTHON"]


def test_spans_point_at_the_original_full_width_text():
    text = "熟悉 ＶＬＬＭ 与 Ｒａｙ"
    result = match_posting(text, INDEX)
    assert [text[s.start : s.end] for s in result.spans] == ["ＶＬＬＭ", "Ｒａｙ"]


def test_keywords_with_punctuation():
    assert slugs("Node.js and C++ and nodejs") == {"node", "cpp"}


def test_nice_to_have_sections_are_optional():
    text = (
        "Requirements:\n- Python\n- vLLM\n\nNice to have\n- Ray\n- Megatron\n\n"
        "Responsibilities\n- RAG pipelines\n"
    )
    result = match_posting(text, INDEX)
    optional = {d.slug: d.optional for d in result.detections}
    assert optional == {
        "python": False,
        "serving": False,
        "ray": True,
        "parallel": True,
        "rag": False,
    }


def test_chinese_bonus_sections_and_preferred_clauses():
    text = "任职要求：\n1. 熟悉 Python；\n2. 了解 vLLM，有 Ray 经验者优先。\n加分项：\n- 张量并行\n"
    optional = {d.slug: d.optional for d in match_posting(text, INDEX).detections}
    assert optional == {"python": False, "serving": False, "ray": True, "parallel": True}


def test_a_skill_required_anywhere_is_required():
    text = "Must have: Python\nBonus: Python and Ray\n"
    optional = {d.slug: d.optional for d in match_posting(text, INDEX).detections}
    assert optional == {"python": False, "ray": True}


def test_inline_heading_with_text():
    text = "Required: Python.\nPreferred: experience with Ray.\n"
    ranges = optional_ranges(text)
    assert ranges == [(len("Required: Python.\n"), len(text))]


def test_unmatched_terms_look_like_tools():
    text = (
        "Experience with Kafka, LangFuse, Node.js, K8s or H100s is needed. Strong Python. AI, LLM."
    )
    result = match_posting(text, INDEX)
    assert result.unmatched == ("Kafka", "LangFuse", "K8s", "H100s")


def test_unmatched_terms_skip_titles_and_sentence_starts():
    text = "Senior Platform Engineer, Model Serving\nStrong skills. Terraform is used.\n- Helm"
    assert match_posting(text, INDEX).unmatched == ()
    text = "- Android NDK, Metal or Vulkan\n熟悉 Milvus / Elasticsearch"
    assert match_posting(text, INDEX).unmatched == (
        "NDK",
        "Metal",
        "Vulkan",
        "Milvus",
        "Elasticsearch",
    )


def test_unmatched_chinese_terms_end_like_a_technique():
    text = (
        "1. 熟悉知识图谱、联邦学习，配合算法团队完成目标检测；\n"
        "2. 熟悉 PyTorch 等深度学习框架，具备持续学习能力；\n"
        "3. 有强化学习经验者优先，能提升算法效果；了解对比学习。"
    )
    # Not 算法团队 (a team), 持续学习 (a trait) nor 提升算法 (a verb and the ending alone);
    # 深度学习框架 once, not also 深度学习.
    assert match_posting(text, INDEX).unmatched == (
        "知识图谱",
        "联邦学习",
        "目标检测",
        "PyTorch",
        "深度学习框架",
        "强化学习",
        "对比学习",
    )


def test_a_recognised_chinese_phrase_is_not_listed_as_unmatched():
    index = build_index({**KEYWORDS, "rl": ["强化学习"]})
    result = match_posting("熟悉检索增强生成、强化学习与知识图谱", index)
    assert result.slugs == ("rag", "rl")
    assert result.unmatched == ("知识图谱",)


def test_mixed_script_terms_in_text_order():
    text = "熟悉 Milvus 与图数据库，了解 Kafka 等消息队列"
    assert match_posting(text, INDEX).unmatched == ("Milvus", "图数据库", "Kafka", "消息队列")


def test_pieces_cover_the_whole_text_in_order():
    text = "Use vLLM and Ray <b>now</b>"
    result = match_posting(text, INDEX)
    parts = pieces(text, result.spans)
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.slugs) for p in parts if p.slugs] == [
        ("vLLM", ("serving",)),
        ("Ray", ("ray",)),
    ]


def test_a_shared_keyword_names_each_skill():
    index = build_index({"a": ["spark"], "b": ["Spark"]})
    assert match_posting("Spark jobs", index).slugs == ("a", "b")


def test_clean_posting_drops_control_characters_and_keeps_lines():
    assert clean_posting("  a\x00b\r\nc\x07\td\u200b  ") == "ab\nc\td"


def test_hostile_text_does_not_break_matching():
    text = "\x00\x01<script>alert(1)</script> 🚀🔥 Python‮ vLLM 𝔓𝔶𝔱𝔥𝔬𝔫 " + "字" * 5000
    result = match_posting(clean_posting(text), INDEX)
    assert {"python", "serving"} <= set(result.slugs)


def test_empty_text():
    assert match_posting("", INDEX).detections == ()


# Properties ------------------------------------------------------------------

SKILL = st.sampled_from(sorted(KEYWORDS))
FILLER = st.text(alphabet=string.ascii_letters + " ,.\n-", max_size=60)
UNRELATED = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=200)
@given(SKILL, st.data())
def test_a_posting_made_of_a_skills_keywords_detects_it(slug, data):
    words = data.draw(st.lists(st.sampled_from(KEYWORDS[slug]), min_size=1, max_size=4))
    separator = data.draw(st.sampled_from([" ", ", ", "\n- ", "；", " and "]))
    assert slug in slugs(separator.join(words))


@settings(max_examples=200)
@given(SKILL, st.data())
def test_detection_ignores_case_and_full_width(slug, data):
    keyword = data.draw(st.sampled_from(KEYWORDS[slug]))
    text = f"We use {keyword} daily"
    for variant in (text.upper(), text.lower(), text.swapcase(), _full_width(text)):
        assert slug in slugs(variant), variant


@settings(max_examples=300)
@given(FILLER, UNRELATED, UNRELATED)
def test_adding_unrelated_text_never_removes_a_detection(body, before, after):
    text = f"{body}\nPython, vLLM, Ray and 张量并行\n{body}"
    found = slugs(text)
    assert {"python", "serving", "ray", "parallel"} <= found
    # Added on their own lines, so they cannot join or split a word of the posting.
    assert found <= slugs(f"{before}\n{text}\n{after}")


def test_the_benchmark_runs_at_a_tiny_size():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "bench" / "job_matching_benchmark.py"
    result = subprocess.run(
        [sys.executable, str(script), "20", "500"], capture_output=True, text=True, check=True
    )
    assert "against 20 skills x 10 keywords" in result.stdout and "median" in result.stdout


HAN = st.text(
    alphabet="熟悉知识图谱强化学习的和与数据库检测算法团队有对比在线张量并行检索增强生成",
    max_size=60,
)


@settings(max_examples=200)
@given(HAN, HAN)
def test_unmatched_terms_come_from_the_text_outside_every_phrase(before, after):
    text = f"{before}，熟悉张量并行{after}"
    result = match_posting(text, INDEX)
    assert "parallel" in result.slugs
    for term in result.unmatched:
        assert term in text and len(term) >= 4
        assert not any(term in text[span.start : span.end] for span in result.spans)
