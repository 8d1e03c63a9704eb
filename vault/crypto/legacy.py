"""Read values of the old format (django-cryptography's Fernet over a pickle) without unpickling.

Old values stay readable until `manage.py migrate_encryption` has rewritten them. Their pickle
is read here opcode by opcode, executing nothing: only a str or a date is accepted, anything
else is refused as unreadable. Nothing in CCUS Vault imports pickle.
"""

import datetime
import struct

from vault.crypto.keyring import UndecryptableValue, key_ring

LEGACY_MARK = b"\x80"  # the first byte of every Fernet token
# The few pickle opcodes (protocols 4 and 5) that a str or a date is written with.
_LENGTHS = {0x8C: 1, 0x58: 4, 0x8D: 8, 0x43: 1}  # SHORT_BINUNICODE, BINUNICODE, ..8, SHORT_BINBYTES
_SKIP = {0x80: 1, 0x95: 8}  # PROTO and its version, FRAME and its size
_BARE = {0x94: "MEMOIZE", 0x93: "STACK_GLOBAL", 0x85: "TUPLE1", 0x52: "REDUCE"}
_DATE = ["text", "text", "STACK_GLOBAL", "bytes", "TUPLE1", "REDUCE"]


def _opcodes(data: bytes) -> list[tuple[str, object]]:
    """Read the opcodes of a tiny pickle as (kind, argument) without executing anything."""
    found, at = [], 0
    while at < len(data):
        code = data[at]
        at += 1
        if code == 0x2E:  # STOP
            return found
        if code in _SKIP:
            at += _SKIP[code]
        elif code in _LENGTHS:
            size_bytes = _LENGTHS[code]
            size = int.from_bytes(data[at : at + size_bytes], "little")
            at += size_bytes
            argument = data[at : at + size]
            at += size
            found.append(("bytes", argument) if code == 0x43 else ("text", argument.decode()))
        elif code in _BARE:
            if code != 0x94:
                found.append((_BARE[code], None))
        else:
            break
    raise UndecryptableValue("An old-format value holds something other than text or a date.")


def _parse(data: bytes) -> str | datetime.date:
    try:
        ops = _opcodes(data)
    except (UnicodeDecodeError, struct.error, ValueError):
        raise UndecryptableValue("An old-format value is damaged.") from None
    if len(ops) == 1 and ops[0][0] == "text":
        return ops[0][1]
    if [kind for kind, _ in ops] == _DATE and [ops[0][1], ops[1][1]] == ["datetime", "date"]:
        raw = ops[3][1]
        if len(raw) == 4:
            return datetime.date(raw[0] * 256 + raw[1], raw[2], raw[3])
    raise UndecryptableValue("An old-format value holds something other than text or a date.")


def read_legacy(token: bytes) -> str | datetime.date:
    """Decrypt an old-format value with the configured keys and read its text or date."""
    data, _ = key_ring().decrypt(token)
    return _parse(data)
