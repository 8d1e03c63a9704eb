"""The committed Japanese catalogue is complete and compiled."""

import gettext
import re
from pathlib import Path

_FIELD = re.compile(r'^(msgctxt|msgid|msgstr|msgstr\[0\]|msgid_plural|msgstr\[\d+\]) "(.*)"$')
CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "ja" / "LC_MESSAGES"


def _po_entries() -> dict[tuple[str | None, str], str]:
    """Return (msgctxt, msgid) -> msgstr (first plural form) of the .po file."""
    entries, key, current = {}, None, {}

    def add(current: dict) -> None:
        entry = (current.get("msgctxt"), current.get("msgid", ""))
        entries[entry] = current.get("msgstr", current.get("msgstr[0]"))

    for line in (CATALOGUE / "django.po").read_text().splitlines():
        match = _FIELD.match(line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip() and current:
            add(current)
            current, key = {}, None
    if current:
        add(current)
    entries.pop((None, ""), None)
    return entries


def _text(escaped: str) -> str:
    return escaped.encode().decode("unicode_escape").encode("latin-1").decode()


def test_it_translates_every_message():
    untranslated = [key for key, msgstr in _po_entries().items() if not msgstr]
    assert untranslated == []


def test_it_ships_a_compiled_catalogue_matching_the_source():
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for (context, msgid), msgstr in _po_entries().items():
        text, expected = _text(msgid), _text(msgstr)
        if context is None:
            assert compiled.gettext(text) == expected, msgid
        else:
            assert compiled.pgettext(_text(context), text) == expected, (context, msgid)
