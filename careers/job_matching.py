"""Find the skills a job posting asks for, from each skill's keywords: pure Python, no ORM.

Text and keywords are normalised the same way (NFKC, so full-width forms become half-width;
case folding; `-`, `_` and whitespace as one space; no space next to a Chinese character).
Keywords that begin or end with a Latin letter or digit match on word boundaries there
(`rag` is not found in `storage`); Chinese keywords match anywhere. Scanning left to right,
the longest keyword starting at a position wins and the scan resumes after it, so
`tensorrt-llm` is one match and not also `tensorrt`. Lines under a "nice to have" heading,
and clauses that say "preferred" or "优先", make their matches optional.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MAX_POSTING_CHARS = 20_000

_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_SEPARATORS = frozenset("-_")
_END = ""  # the trie key that holds the skills of a keyword ending at that node


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


_SPACE = " "
# Each character's folded form: "" to drop it, " " for a separator, else its characters.
# Filled as characters are met; a posting repeats few distinct characters.
_FOLDED: dict[str, str] = {}


def _fold(char: str) -> str:
    folded = _FOLDED.get(char)
    if folded is None:
        parts = []
        for part in unicodedata.normalize("NFKC", char).casefold():
            category = unicodedata.category(part)
            if category == "Cf":
                continue  # zero-width and direction marks: "vL\u200bLM" is still vllm
            if part.isspace() or part in _SEPARATORS or category[0] == "C":
                parts = [_SPACE]
                break
            parts.append(part)
        folded = "".join(parts)
        if len(_FOLDED) < 100_000:
            _FOLDED[char] = folded
    return folded


def _normalised_chars(text: str) -> tuple[list[str], list[int]]:
    """Normalised characters of text, each with the index of the character it came from."""
    chars: list[str] = []
    origins: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        # Per character, so that every output character knows its origin for highlighting.
        folded = _FOLDED.get(char) or _fold(char)
        if folded == _SPACE:
            pending_space = True
            continue
        for part in folded:
            if pending_space and chars and not _is_cjk(chars[-1]) and not _is_cjk(part):
                chars.append(_SPACE)
                origins.append(index)
            pending_space = False
            chars.append(part)
            origins.append(index)
    return chars, origins


def normalise(text: str) -> str:
    """The form in which keywords and postings are compared."""
    return "".join(_normalised_chars(text)[0])


# The index ------------------------------------------------------------------


@dataclass(frozen=True)
class KeywordIndex:
    """A trie over every normalised keyword, each keyword leading to its skills' slugs."""

    trie: dict
    size: int


def build_index(keywords: Mapping[str, Iterable[str]]) -> KeywordIndex:
    """An index from {skill slug: keywords}; a keyword listed by several skills finds each."""
    trie: dict = {}
    size = 0
    for slug, words in keywords.items():
        for word in words:
            key = normalise(word)
            if not key:
                continue
            node = trie
            for char in key:
                node = node.setdefault(char, {})
            owners = node.setdefault(_END, ())
            if slug not in owners:
                node[_END] = (*owners, slug)
                size += 1
    return KeywordIndex(trie=trie, size=size)


# The result -----------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A recognised phrase: where it is in the original text and the skills it names."""

    start: int
    end: int
    slugs: tuple[str, ...]
    optional: bool


@dataclass(frozen=True)
class Detection:
    """A skill the posting asks for, with every phrase that named it."""

    slug: str
    spans: tuple[Span, ...]
    optional: bool  # True when every phrase naming it sits in a "nice to have" part


@dataclass(frozen=True)
class MatchResult:
    """What a posting asks for: skills in order of first mention, phrases, unknown terms."""

    detections: tuple[Detection, ...]
    spans: tuple[Span, ...]
    unmatched: tuple[str, ...]

    @property
    def slugs(self) -> tuple[str, ...]:
        """The detected skills' slugs, in order of first mention."""
        return tuple(detection.slug for detection in self.detections)


# Optional ("nice to have") parts ---------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*•·●▪◦+>]|\d{1,2}\s*[.)、．:]|[（(]\d{1,2}[)）]|#+)\s*")
_OPTIONAL_HEADING = re.compile(
    r"nice[\s-]to[\s-]have|good[\s-]to[\s-]have|bonus|preferred|\bplus\b|desirable|optional"
    r"|加分|优先|可选",
    re.IGNORECASE,
)
_OPTIONAL_CLAUSE = re.compile(
    r"nice[\s-]to[\s-]have|is a plus|a plus\b|bonus|preferred|desirable|加分|优先",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[，,；;。]|\.\s")
_HEADING_WITH_TEXT = re.compile(r"^([^:：]{1,40})[:：](.*)$")
_SENTENCE_MARK = re.compile(r"[.,;。，；!?！？]")


def _heading(body: str) -> tuple[str | None, int]:
    """The heading a line opens, if any, and where the text after it starts in body."""
    stripped = body.strip()
    if stripped.startswith("【") and "】" in stripped:
        return stripped[1 : stripped.index("】")], body.index("】") + 1
    match = _HEADING_WITH_TEXT.match(body)
    if match:
        return match.group(1), match.start(2)
    if 0 < len(stripped) <= 40 and not _SENTENCE_MARK.search(stripped):
        return stripped, len(body)
    return None, 0


def optional_ranges(text: str) -> list[tuple[int, int]]:
    """The character ranges of text that a reader takes as nice to have, not required."""
    ranges: list[tuple[int, int]] = []
    in_optional_section = False
    position = 0
    for line in text.splitlines(keepends=True):
        start, end = position, position + len(line)
        position = end
        bullet = _BULLET.match(line)
        body_start = bullet.end() if bullet else 0
        body = line[body_start:]
        heading, rest = (
            (None, 0) if bullet and bullet.group().strip() not in ("#", "##") else (_heading(body))
        )
        if heading is not None:
            in_optional_section = bool(_OPTIONAL_HEADING.search(heading))
            if in_optional_section:
                ranges.append((start, end))
                continue
            body_start += rest
            body = line[body_start:]
        if in_optional_section:
            ranges.append((start, end))
            continue
        # Within a required line, only the clause that says "preferred" is optional.
        clause_start = 0
        for clause_end in [m.end() for m in _CLAUSE_END.finditer(body)] + [len(body)]:
            if _OPTIONAL_CLAUSE.search(body[clause_start:clause_end]):
                ranges.append((start + body_start + clause_start, start + body_start + clause_end))
            clause_start = clause_end
    return ranges


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(low <= start and end <= high for low, high in ranges)


# Terms that look like skills -----------------------------------------------------

_TERM = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[.+#/-][A-Za-z0-9]+)*[+#]*")
# Capitalised words that are not skills, and acronyms every posting uses.
_NOT_SKILLS = frozenset(
    ["ai", "llm", "llms", "ml", "api", "apis", "and", "or", "the", "we", "you", "our", "us"]
    + ["uk", "eu", "ceo", "cto", "hr", "phd", "ms", "bs", "msc", "bsc", "ba", "ma", "it", "ok"]
    + ["gpu", "gpus", "cpu", "cpus", "js", "ui", "ux", "io", "faq", "aigc", "nlp", "saas"]
)
UNMATCHED_LIMIT = 30


# Capitalised words that are common in the middle of an English sentence yet name no tool.
_COMMON_PROPER = frozenset(
    ["english", "chinese", "mandarin", "linkedin", "we", "our", "you", "engineer", "engineers"]
    + ["scientist", "developer", "senior", "staff", "principal", "lead", "junior", "manager"]
)


_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "of",
        "for",
        "the",
        "in",
        "on",
        "at",
        "to",
        "with",
        "by",
        "from",
        "s",
        "js",
    ]
)


def _looks_like_skill(term: str, text: str, start: int) -> bool:
    """CamelCase, acronyms, digits or dots; or a capitalised word inside a sentence, which
    in a posting is most often a product name (Terraform, Elasticsearch)."""
    letters = term[1:]
    if (
        any(char.isupper() for char in letters)
        or any(char.isdigit() for char in term)
        or any(char in ".+#" for char in term)
    ):
        return True
    if not term[0].isupper() or len(term) < 3 or term.casefold() in _COMMON_PROPER:
        return False
    previous = start - 1
    while previous >= 0 and text[previous] in " \t":
        previous -= 1
    # The first word of a line, bullet or sentence is capitalised anyway.
    if (
        previous < 0
        or text[previous] in "\n.!?:;-*•·>)）】。！？：；(（"
        or text[previous].isdigit()
    ):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else None]
    if _BULLET.match(line) or any(_is_cjk(char) for char in line):
        return True
    # A title ("Senior Platform Engineer, Model Serving") capitalises every word but the
    # small ones.
    words = [word for word in re.findall(r"[A-Za-z]+", line) if word not in _SMALL_WORDS]
    return any(word[0].islower() for word in words)


# A Chinese posting names techniques as compounds with no space around them; those that
# end in one of these words are most often a technique or a kind of tool (强化学习, 知识图谱,
# 图数据库, 目标检测). Not 系统: postings say 核心系统 and 业务系统 far more than 推荐系统.
_ZH_TERM_ENDS = ("数据库", "学习", "网络", "图谱", "算法", "框架", "引擎", "识别", "检测")
_ZH_TERM_ENDS += ("蒸馏", "剪枝", "视觉", "队列")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_ZH_TERM_END = re.compile("|".join(_ZH_TERM_ENDS))
# Characters that join two phrases ("A和B", "A的B"): a term does not reach across them.
_ZH_JOINERS = frozenset("的和与及或等、")
# Verbs and fillers in front of a term ("熟悉知识图谱", "有强化学习经验"), longest first.
_ZH_LEADS = tuple(
    sorted(
        ["熟练掌握", "熟练使用", "熟悉", "熟练", "掌握", "了解", "精通", "使用", "运用", "具备"]
        + ["具有", "负责", "参与", "推进", "基于", "理解", "深入", "相关", "进行", "包括", "利用"]
        + ["结合", "提升", "建设", "构建", "设计", "研发", "开发", "探索", "支持", "实现", "主导"]
        + ["应用", "例如", "比如", "常用", "主流", "各类", "各种", "一种", "通过", "在", "有"]
        + ["懂", "如", "对", "将", "把", "用", "做", "从事", "配合", "以上", "年以上", "完成"],
        key=len,
        reverse=True,
    )
)
# Compounds with those endings that speak of the person, not a skill.
_ZH_NOT_SKILLS = ("持续学习", "快速学习", "自主学习", "自我学习", "终身学习")
# Words after the ending that make it a team or a job, not a technique (算法团队, 算法工程师).
_ZH_NOT_AFTER = ("团队", "工程师", "专家", "岗位", "同学", "人员", "研究员", "负责人", "部门")
_ZH_PREFIX_MAX = 6  # Han characters before the ending: 卷积神经 in 卷积神经网络, 年以上分布式


def _chinese_terms(text: str) -> list[tuple[int, int]]:
    """Where text has a Chinese compound that ends like a technique (see _ZH_TERM_ENDS),
    without the verb in front of it; a compound inside a longer one is not repeated. With
    no dictionary to cut words, a compound is kept only when its start is clear: the start
    of the Han run, a joiner such as 和 or 的, or a verb such as 熟悉."""
    found: list[tuple[int, int]] = []
    for run in _HAN_RUN.finditer(text):
        words = run.group()
        for ending in _ZH_TERM_END.finditer(words):
            position, end = ending.span()
            if not position or words.startswith(_ZH_NOT_AFTER, end):
                continue
            start = position
            while start > 0 and words[start - 1] not in _ZH_JOINERS:
                start -= 1
            clear = position - start <= _ZH_PREFIX_MAX
            start = max(start, position - _ZH_PREFIX_MAX)
            # The last verb before the ending starts the term: 完成|知识图谱.
            for index in range(start, position):
                lead = next((w for w in _ZH_LEADS if words.startswith(w, index)), "")
                if len(lead) > 1 and index + len(lead) <= position:
                    start, clear = index + len(lead), True
            while lead := next((w for w in _ZH_LEADS if words.startswith(w, start)), ""):
                if len(lead) == 1 and end - start <= 4:
                    break  # 对比学习 and 在线学习 are terms, not 对 + 比学习
                start, clear = start + len(lead), True
            term = words[start:end]
            if not clear or start >= position or len(term) < 4 or term.endswith(_ZH_NOT_SKILLS):
                continue
            span = (run.start() + start, run.start() + end)
            # 深度学习框架 after 深度学习: keep the longer compound only.
            found = [kept for kept in found if not (span[0] <= kept[0] and kept[1] <= span[1])]
            if not any(kept[0] <= span[0] and span[1] <= kept[1] for kept in found):
                found.append(span)
    return found


def unmatched_terms(text: str, spans: Iterable[Span]) -> tuple[str, ...]:
    """Terms that look like tools or skills and fall outside every recognised phrase, in
    the order of the text: what the catalogue may be missing. Latin terms by their form
    (CamelCase, acronyms, digits, dots, capitalised inside a sentence), Chinese ones by
    their ending (see _chinese_terms)."""
    covered = sorted((span.start, span.end) for span in spans)
    candidates: list[tuple[int, int]] = []
    for match in _TERM.finditer(text):
        term = match.group()
        if len(term) < 2 or not _looks_like_skill(term, text, match.start()):
            continue
        if term.casefold() in _NOT_SKILLS or term.isdigit():
            continue
        candidates.append((match.start(), match.end()))
    candidates.extend(_chinese_terms(text))
    found: dict[str, str] = {}
    for start, end in sorted(candidates):
        if any(low < end and start < high for low, high in covered):
            continue
        term = text[start:end]
        found.setdefault(term.casefold(), term)
        if len(found) >= UNMATCHED_LIMIT:
            break
    return tuple(found.values())


# Matching ---------------------------------------------------------------------------


def find_spans(text: str, index: KeywordIndex) -> list[Span]:
    """Every recognised phrase, leftmost first, the longest at each position."""
    chars, origins = _normalised_chars(text)
    optional = optional_ranges(text)
    trie = index.trie
    length = len(chars)
    spans: list[Span] = []
    position = 0
    while position < length:
        char = chars[position]
        if char in _WORD and position and chars[position - 1] in _WORD:
            position += 1  # inside a Latin word: no keyword starts here
            continue
        node = trie.get(char)
        best_end = 0
        best: tuple[str, ...] = ()
        cursor = position
        while node is not None:
            cursor += 1
            owners = node.get(_END)
            if owners and (
                cursor == length or chars[cursor - 1] not in _WORD or chars[cursor] not in _WORD
            ):
                best_end, best = cursor, owners
            if cursor == length:
                break
            node = node.get(chars[cursor])
        if not best:
            position += 1
            continue
        start, end = origins[position], origins[best_end - 1] + 1
        spans.append(Span(start, end, best, _inside(optional, start, end)))
        position = best_end
    return spans


def match_posting(text: str, index: KeywordIndex) -> MatchResult:
    """The skills a posting asks for, the phrases that name them and unknown skill-like terms."""
    spans = find_spans(text, index)
    by_slug: dict[str, list[Span]] = {}
    for span in spans:
        for slug in span.slugs:
            by_slug.setdefault(slug, []).append(span)
    detections = tuple(
        Detection(slug, tuple(found), all(span.optional for span in found))
        for slug, found in by_slug.items()
    )
    return MatchResult(detections, tuple(spans), unmatched_terms(text, spans))


@dataclass(frozen=True)
class Piece:
    """A run of the posting's text, recognised (with its skills) or plain."""

    text: str
    slugs: tuple[str, ...] = ()
    optional: bool = False


def pieces(text: str, spans: Iterable[Span]) -> list[Piece]:
    """The text cut into plain and recognised runs, in order, for highlighting."""
    out: list[Piece] = []
    position = 0
    for span in sorted(spans, key=lambda span: span.start):
        if span.start < position:
            continue
        if span.start > position:
            out.append(Piece(text[position : span.start]))
        out.append(Piece(text[span.start : span.end], span.slugs, span.optional))
        position = span.end
    if position < len(text):
        out.append(Piece(text[position:]))
    return out


_KEPT_FORMAT = frozenset("\u200c\u200d")  # joiners: emoji and some scripts need them


def clean_posting(text: str) -> str:
    """The posting as it is stored and shown: NUL, control, invisible and direction-override
    characters removed (tabs, line breaks and joiners kept), line endings unified, outer
    whitespace trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = (
        char
        for char in text
        if char in "\n\t"
        or char in _KEPT_FORMAT
        or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return "".join(kept).strip()
