"""Masked forms of secret values, for display where the value itself must not appear."""

DOT = "•"


def mask_digits(value: str | None, visible: int = 4) -> str:
    """Mask all but the last digits, grouped by four: `•••• •••• ••12 34`."""
    if not value:
        return ""
    masked = DOT * max(len(value) - visible, 0) + value[-visible:]
    # Group from the left in fours, the last group split in two for reading aloud.
    groups = [masked[i : i + 4] for i in range(0, len(masked) - 4, 4)]
    tail = masked[len(groups) * 4 :]
    return " ".join([*groups, tail[:2], tail[2:]]).strip()


def mask_email(value: str | None) -> str:
    """Keep the first character of the local part and the domain: `t•••@example.jp`."""
    if not value:
        return ""
    local, _, domain = value.partition("@")
    return f"{local[:1]}{DOT * 3}@{domain}" if domain else DOT * 6


def mask_text(value: str | None) -> str:
    """Hide a value entirely, showing only that one is stored."""
    return DOT * 8 if value else ""


def mask_ccus_id(last4: str) -> str:
    """Mask a 14-digit ID from its last four digits alone: `•••• •••• ••12 34`."""
    return mask_digits(DOT * 10 + last4) if last4 else ""
