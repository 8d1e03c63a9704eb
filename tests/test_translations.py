"""The committed Japanese catalogue is complete and compiled."""

import gettext
import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "ja" / "LC_MESSAGES"


def _po_entries() -> dict[str, str]:
    """Return msgid -> msgstr (first plural form) of the .po file."""
    entries, key, current = {}, None, {}
    for line in (CATALOGUE / "django.po").read_text().splitlines():
        match = re.match(r'^(msgid|msgstr|msgstr\[0\]|msgid_plural|msgstr\[\d+\]) "(.*)"$', line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip() and current:
            entries[current.get("msgid", "")] = current.get("msgstr", current.get("msgstr[0]"))
            current, key = {}, None
    if current:
        entries[current.get("msgid", "")] = current.get("msgstr", current.get("msgstr[0]"))
    entries.pop("", None)
    return entries


def test_it_translates_every_message():
    untranslated = [msgid for msgid, msgstr in _po_entries().items() if not msgstr]
    assert untranslated == []


def test_it_ships_a_compiled_catalogue_matching_the_source():
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, msgstr in _po_entries().items():
        text = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        expected = msgstr.encode().decode("unicode_escape").encode("latin-1").decode()
        assert compiled.gettext(text) == expected, msgid
