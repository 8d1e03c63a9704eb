"""One msgid has one meaning: an English word that means two things here always says which."""

import ast
import re
from pathlib import Path

from tests.test_translations import _po_entries

ROOT = Path(__file__).resolve().parent.parent
# English words that mean two things in this product, each use given a context (pgettext).
NEEDS_CONTEXT = {
    "Active": "a worker still employed (在籍), an engagement in effect, a user who may sign in",
    "Done": "a handover step done (済み), a button that closes a page (閉じる)",
    "Left": "a worker who left the firm (退職), the side of something",
}
TEMPLATE_TAG = re.compile(r"{%\s*(?:translate|trans)\s+(['\"])(.*?)\1(.*?)%}")
BLOCK_TAG = re.compile(r"{%\s*(?:blocktranslate|blocktrans)\b(.*?)%}(.*?){%\s*endblocktrans", re.S)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}


def _template_uses() -> list[tuple[str, str]]:
    """Return (place, msgid) of each template use without a context."""
    uses = []
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix not in (".html", ".txt"):
            continue
        text = path.read_text()
        uses += [(str(path.relative_to(ROOT)), m.group(2)) for m in TEMPLATE_TAG.finditer(text)
                 if "context" not in m.group(3)]  # fmt: skip
        uses += [(str(path.relative_to(ROOT)), m.group(2).strip()) for m in BLOCK_TAG.finditer(text)
                 if "context" not in m.group(1)]  # fmt: skip
    return uses


def _calls(source: str, place: str) -> list[tuple[str, str]]:
    """Return (place:line, msgid) of each gettext call on a literal in the source."""
    return [
        (f"{place}:{node.lineno}", node.args[0].value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in GETTEXT
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def _python_uses() -> list[tuple[str, str]]:
    """Return (place, msgid) of each gettext call on a literal, which has no context."""
    return [use for package in ("ccus", "vault") for path in (ROOT / package).rglob("*.py")
            for use in _calls(path.read_text(), str(path.relative_to(ROOT)))]  # fmt: skip


def test_it_gives_a_context_to_every_use_of_a_word_with_two_meanings():
    bare = [(place, msgid) for place, msgid in _template_uses() + _python_uses()
            if msgid in NEEDS_CONTEXT]  # fmt: skip
    assert bare == [], "use pgettext / {% translate ... context ... %} for these"


def test_it_keeps_no_catalogue_entry_of_such_a_word_without_a_context():
    # makemessages writes an entry without msgctxt whenever any source uses the bare word.
    bare = [msgid for context, msgid in _po_entries() if msgid in NEEDS_CONTEXT and not context]
    assert bare == []


def test_it_tells_the_meanings_apart_in_japanese():
    entries = _po_entries()
    meanings = {msgstr for (context, msgid), msgstr in entries.items() if msgid == "Active"}
    assert len(meanings) >= 2
    assert entries[("worker status", "Active")] == "在籍"
    assert entries[("engagement status", "Active")] != "在籍"
    assert entries[("close the page", "Done")] == "閉じる"
    # A handover step done reads with its day, never as the word that closes a page.
    assert "閉じる" not in entries[(None, "Done on %(day)s")]


def test_it_finds_a_bare_use_in_a_template_and_in_python():
    # The scanners see what they must see: a bare use is reported, a use with context is not.
    assert ("t", "Done") in [("t", m.group(2)) for m in TEMPLATE_TAG.finditer(
        '{% translate "Done" %}') if "context" not in m.group(3)]  # fmt: skip
    assert not [m for m in TEMPLATE_TAG.finditer('{% translate "Done" context "close the page" %}')
                if "context" not in m.group(3)]  # fmt: skip
    source = 'A = _("Done")\nB = pgettext_lazy("handover step", "Done")\n'
    assert [msgid for _place, msgid in _calls(source, "x.py")] == ["Done"]
