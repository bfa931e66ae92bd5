"""The Simplified Chinese interface catalogue is complete, well-formed and compiled.

The .po file is read with a small parser (no extra dependency). CI separately re-runs
makemessages and fails when the catalogue misses strings from the code and templates.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

# %(name)s, %s, %d, %.1f ... but not the literal %%.
PRINTF = re.compile(r"%(?:\((?P<name>[^)]+)\))?[#0 +-]*\d*(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa])")
BRACE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPES.update({"f": "\f", "v": "\v"})


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(text: str, where: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"line {where}: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # the field that continuation lines extend

    def finish():
        nonlocal current, target
        if current is not None and (current.msgstr or current.msgid or current.line):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if current is None:
            current = Entry()
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"line {number}: string without a keyword")
            value = _unquote(line, number)
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        keyword, _, rest = line.partition(" ")
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match or keyword == "msgstr":
            index = int(match.group(1)) if match else 0
            current.msgstr[index] = _unquote(rest, number)
            target = ("msgstr", index)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            if keyword in ("msgctxt", "msgid") and current.msgstr:
                # A new entry without a blank line before it.
                finish()
                current = Entry()
            if keyword == "msgid":
                current.line = number
            setattr(current, keyword, _unquote(rest, number))
            target = (keyword, 0)
        else:
            raise ValueError(f"line {number}: unknown keyword {keyword!r}")
    finish()
    return [entry for entry in entries if not entry.obsolete]


def _placeholders(text: str) -> Counter:
    """Named and positional printf placeholders, brace placeholders and HTML tags."""
    found = Counter()
    for match in PRINTF.finditer(text.replace("%%", "")):
        found[match.group(0)] += 1
    found.update(BRACE.findall(text))
    found.update(TAG.findall(text))
    return found


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    return [entry for entry in entries if not entry.is_header]


def test_parser_reads_multiline_plural_and_flags():
    sample = "\n".join(
        [
            'msgid ""',
            'msgstr "Plural-Forms: nplurals=1; plural=0;\\n"',
            "",
            "#: a.py:1",
            "#, fuzzy, python-format",
            'msgid ""',
            '"%(n)s long "',
            '"line"',
            'msgid_plural "%(n)s \\"lines\\""',
            'msgstr[0] "%(n)s 行"',
            "",
            'msgctxt "menu"',
            'msgid "Open"',
            'msgstr "打开"',
            "",
            '#~ msgid "Gone"',
            '#~ msgstr "没了"',
        ]
    )
    header, plural, with_context = parse_po(sample)
    assert header.is_header
    assert plural.msgid == "%(n)s long line"
    assert plural.msgid_plural == '%(n)s "lines"'
    assert plural.msgstr == {0: "%(n)s 行"}
    assert plural.flags == {"fuzzy", "python-format"}
    assert with_context.msgctxt == "menu"
    assert (with_context.msgid, with_context.msgstr) == ("Open", {0: "打开"})


def test_header_declares_chinese_with_one_plural_form(entries):
    header = next(entry for entry in entries if entry.is_header)
    fields = dict(line.split(":", 1) for line in header.msgstr[0].splitlines() if ":" in line)
    assert fields["Language"].strip() == "zh_Hans"
    assert "charset=UTF-8" in fields["Content-Type"]
    assert fields["Plural-Forms"].strip() == "nplurals=1; plural=0;"
    assert "fuzzy" not in header.flags, "a fuzzy header is ignored by msgfmt"


def test_catalogue_is_not_empty(messages):
    assert len(messages) > 100


def test_every_entry_is_translated(messages):
    untranslated = [
        str(entry)
        for entry in messages
        if 0 not in entry.msgstr or not all(text.strip() for text in entry.msgstr.values())
    ]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)


def test_plural_entries_have_exactly_one_form(messages):
    wrong = [str(e) for e in messages if e.msgid_plural is not None and set(e.msgstr) != {0}]
    assert not wrong, "Chinese has one plural form (msgstr[0] only):\n" + "\n".join(wrong)


def test_no_entry_is_fuzzy(entries):
    fuzzy = [str(entry) for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)


def test_placeholders_and_tags_are_kept(messages):
    broken = []
    for entry in messages:
        expected = _placeholders(entry.msgid_plural or entry.msgid)
        if entry.msgid_plural is not None:
            # The single Chinese form stands for both; it needs every placeholder of either.
            expected |= _placeholders(entry.msgid)
        for index, text in entry.msgstr.items():
            if _placeholders(text) != expected:
                broken.append(f"{entry} [{index}]: {dict(expected)} != {dict(_placeholders(text))}")
    assert not broken, "placeholders or tags differ:\n" + "\n".join(broken)


def test_python_format_entries_stay_valid_format_strings(messages):
    broken = []
    for entry in messages:
        if "python-format" not in entry.flags:
            continue
        found = list(PRINTF.finditer((entry.msgid_plural or entry.msgid).replace("%%", "")))
        names = {match.group("name") for match in found} - {None}
        for text in entry.msgstr.values():
            try:
                if names:
                    text % dict.fromkeys(names, 1)
                else:
                    text % tuple(1 for _ in found)
            except (TypeError, ValueError, KeyError) as error:
                broken.append(f"{entry}: {error}")
    assert not broken, "\n".join(broken)


def test_compiled_catalogue_matches_the_po_file(messages):
    """The committed .mo is compiled from the current .po (run compilemessages after editing)."""
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in messages:
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue  # msgfmt leaves these out; the tests above report them
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            compiled = catalog.get(key)
            if compiled != entry.msgstr[0]:
                stale.append(f"{entry}: .mo has {compiled!r}")
        else:
            for index, text in entry.msgstr.items():
                compiled = catalog.get((key, index))
                if compiled != text:
                    stale.append(f"{entry} [{index}]: .mo has {compiled!r}")
    assert not stale, "django.mo is out of date; run compilemessages:\n" + "\n".join(stale)


def test_django_serves_the_chinese_interface():
    with translation.override("zh-hans"):
        assert translation.gettext("Tracks") == "方向"
        assert translation.gettext("Sign up") == "注册"
        assert translation.gettext("Log in") == "登录"
        assert translation.ngettext("%(hours)s hour", "%(hours)s hours", 3) % {"hours": 3} == (
            "3 小时"
        )
    with translation.override("en"):
        assert translation.gettext("Tracks") == "Tracks"


@pytest.mark.django_db
def test_landing_page_is_in_chinese_for_a_chinese_browser(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in body
    assert "浏览各个方向" in body
    assert "Browse the tracks" not in body


@pytest.mark.django_db
def test_how_progress_is_computed_reads_in_chinese(client):
    """The rules come from profiles/gap.py; the page shows them translated, % signs and all."""
    from profiles.gap import DEFINITIONS

    body = client.get("/how-progress-is-computed/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    for title, text in DEFINITIONS:
        assert title not in body
        assert text.split("\n\n")[0][:40] not in body
    assert "就绪度等级" in body and "达到 100%" in body
