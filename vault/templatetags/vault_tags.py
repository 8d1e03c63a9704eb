"""Template filters that show secrets masked."""

from django import template

from vault.crypto.masking import mask_ccus_id, mask_email, mask_text

register = template.Library()


@register.filter
def masked_id(last4: str) -> str:
    """Show an ID from its last four digits: `•••• •••• ••12 34`."""
    return mask_ccus_id(last4)


@register.filter
def masked_email(value: str | None) -> str:
    """Show an email address as `t•••@example.jp`."""
    return mask_email(value)


@register.filter
def masked(value) -> str:
    """Show only that a value is stored."""
    return mask_text(str(value) if value not in (None, "") else "")


@register.filter
def attr(obj, name: str):
    """Return obj.name, for templates that walk a list of field names."""
    return getattr(obj, name, None)


@register.filter
def get_item(mapping: dict, key: str):
    """Return mapping[key], for templates that walk a dict by known keys."""
    return mapping.get(key)
