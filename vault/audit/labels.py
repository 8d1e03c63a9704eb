"""What a person reads for the action codes and field names stored in the audit trail."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Each app registers the labels of the actions it records (the vault's own are here).
_ACTIONS: dict[str, Promise] = {
    "member.invite": _("Member invited"),
    "member.remove": _("Member removed"),
    "organization.policy": _("Firm settings changed"),
    "firm.delete": _("Firm deleted"),
    "passkey.register": _("Passkey added"),
    "passkey.remove": _("Passkey removed"),
    "two_factor.setup": _("Authenticator app set up"),
    "reauth.locked_out": _("Identity confirmation locked after wrong tries"),
    "keys.rotate": _("Encryption keys rotated"),
    "keys.migrate": _("Records moved to the new encryption"),
}


def register_actions(labels: dict[str, Promise]) -> None:
    """Add the labels of an app's audit actions."""
    _ACTIONS.update(labels)


def action_label(code: str) -> str:
    """Return the label of an action code; an unknown code is shown as an unnamed action."""
    label = _ACTIONS.get(code)
    return str(label) if label is not None else str(_("Other action"))


def action_choices(codes) -> list[tuple[str, str]]:
    """Return (code, label) of the given action codes, in the order of their labels."""
    return sorted(((code, action_label(code)) for code in set(codes)), key=lambda c: c[1])


def known_actions() -> set[str]:
    """Return every action code that has a label."""
    return set(_ACTIONS)


def field_label(target_type: str, field: str) -> str:
    """Return the verbose name of the record's field, by the model name stored with the event."""
    if not field:
        return ""
    for model in apps.get_models():
        if model._meta.model_name == target_type:
            try:
                return capfirst(model._meta.get_field(field).verbose_name)
            except FieldDoesNotExist:
                break
    return str(_("Other field"))
