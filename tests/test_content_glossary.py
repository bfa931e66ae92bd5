"""Chinese content uses the one term per concept that docs/glossary.md fixes."""

import re
from pathlib import Path

import pytest
import yaml

from careers.content_io import DEFAULT_CONTENT_DIR

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"
# A full-width parenthesis holding only Latin text is an English gloss: 预填充（prefill）.
LATIN_GLOSS = re.compile(r"（[^（）\u4e00-\u9fff]*）")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z ]*")


def enforced_terms(markdown: str) -> list[tuple[str, list[str]]]:
    """Return (preferred term, variants to avoid) for each row of the enforced table."""
    section = markdown.split("## Enforced terms", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Concept (English)", "---"):
            continue
        variants = re.findall(r"`([^`]+)`", cells[2])
        if variants:
            rows.append((cells[1], variants))
    return rows


def variant_pattern(variant: str) -> re.Pattern:
    """Latin variants match as whole words in any case; others match literally."""
    if LATIN_WORD.fullmatch(variant):
        return re.compile(rf"(?<![A-Za-z]){re.escape(variant)}(?![A-Za-z])", re.IGNORECASE)
    return re.compile(re.escape(variant))


def chinese_texts(node, where: str):
    """Yield (location, text) for every zh text in a parsed content file."""
    if isinstance(node, dict):
        label = node.get("slug") or node.get("skill") or node.get("to")
        here = f"{where}/{label}" if label else where
        for key, value in node.items():
            if key == "zh" and isinstance(value, str):
                yield here, value
            else:
                yield from chinese_texts(value, f"{here}.{key}" if key != "zh" else here)
    elif isinstance(node, list):
        for item in node:
            yield from chinese_texts(item, where)


def find_variants(text: str, variants: list[str]) -> list[str]:
    """Return each avoided variant found in text, with a little context."""
    checked = LATIN_GLOSS.sub("", text)
    found = []
    for variant in variants:
        for match in variant_pattern(variant).finditer(checked):
            context = checked[max(0, match.start() - 12) : match.end() + 12].replace("\n", " ")
            found.append(f"{variant!r} in …{context}…")
    return found


@pytest.fixture(scope="module")
def terms():
    return enforced_terms(GLOSSARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts():
    paths = [DEFAULT_CONTENT_DIR / "skills.yaml", DEFAULT_CONTENT_DIR / "advisor.yaml"]
    paths += sorted((DEFAULT_CONTENT_DIR / "tracks").glob("*.yaml"))
    found = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(f"{path.name}:{where}", text) for where, text in chinese_texts(data, "")]
    return found


def test_the_glossary_table_lists_the_issue_terms(terms):
    preferred = {use for use, _ in terms}
    issue_terms = {"运维", "预填充", "解码", "具备上岗能力", "掌握的标志：", "提示注入", "基座模型"}
    assert issue_terms <= preferred
    assert any("「" in variants for _, variants in terms), "one quotation-mark style must be fixed"


def test_content_has_chinese_text_to_check(texts):
    assert len(texts) > 500


def test_no_chinese_text_uses_an_avoided_variant(terms, texts):
    problems = [
        f"{where}: use {use!r}, not {hit}"
        for use, variants in terms
        for where, text in texts
        for hit in find_variants(text, variants)
    ]
    assert not problems, "Variants listed in docs/glossary.md:\n" + "\n".join(problems)


def test_every_skill_ends_with_the_you_have_it_when_line():
    skills = yaml.safe_load((DEFAULT_CONTENT_DIR / "skills.yaml").read_text(encoding="utf-8"))
    wrong = [
        skill["slug"]
        for skill in skills["skills"]
        if not skill["description"]["en"].split("\n\n")[-1].startswith("You have it when")
        or not skill["description"]["zh"].split("\n\n")[-1].startswith("掌握的标志：")
    ]
    assert not wrong


@pytest.mark.parametrize(
    ("text", "variants", "expected"),
    [
        ("负责 GPU 集群运营", ["运营"], 1),
        ("分块预填充（chunked prefill）与吞吐", ["prefill"], 0),
        ("单步 decode 的耗时", ["decode"], 1),
        ("decoder-only 架构", ["decode"], 0),
        ("Agentic RAG 与多 Agent 协作", ["Agent"], 1),
        ("大模型智能体（Agent）", ["Agent"], 0),
        ("常说的「配置问题」", ["「", "」"], 2),
        ('招聘时常叫"大模型算法工程师"', ['"'], 2),
    ],
)
def test_the_checker_finds_variants_and_spares_glosses(text, variants, expected):
    assert len(find_variants(text, variants)) == expected
