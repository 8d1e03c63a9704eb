"""Registered emails: the syntax CCUS needs, carriers' older addresses, and soft warnings."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from ccus.accounts.text import per_text, settled, strip_invisible
from ccus.accounts.validators import SoftWarning

# Japanese mobile-carrier mail domains; any subdomain (e.g. t.vodafone.ne.jp) counts too.
MOBILE_CARRIER_DOMAINS = frozenset(
    {
        "docomo.ne.jp",
        "ezweb.ne.jp",
        "au.com",
        "biz.au.com",
        "softbank.ne.jp",
        "i.softbank.jp",
        "vodafone.ne.jp",
        "ymobile.ne.jp",
        "y-mobile.ne.jp",
        "emnet.ne.jp",
        "disney.ne.jp",
        "willcom.com",
        "pdx.ne.jp",
        "wcm.ne.jp",
        "rakumail.jp",
        "uqmobile.jp",
    }
)
_email_syntax = EmailValidator()
# "山田 太郎 <taro@example.jp>", as copied from a mail program.
_WITH_NAME = re.compile(r"^(.*?)<([^<>]*)>$")
_LIST_SEPARATORS = re.compile(r"[,;、，；\s]+")
# Dots that the rules forbid but carriers issued until 2009: taro.@docomo.ne.jp, a..b@ezweb.ne.jp
_ODD_DOTS = re.compile(r"^\.|\.\.|\.$")


def _email_once(value: str) -> str:
    return strip_invisible(unicodedata.normalize("NFKC", value)).strip()


@per_text
def normalize_registered_email(value: str) -> str:
    """Return an address with full-width characters made ASCII and invisible characters dropped."""
    return settled(_email_once, value)


def _parent_domains(address: str) -> set[str]:
    """Return the domain of an address and every parent domain of it, in lower case."""
    _local, at, domain = email_index_value(address).rpartition("@")
    if not at:
        return set()
    parts = domain.rstrip(".").split(".")
    return {".".join(parts[i:]) for i in range(len(parts))}


def is_carrier_address(address: str) -> bool:
    """Tell whether an address is at a Japanese mobile carrier (or a subdomain of one)."""
    return bool(_parent_domains(address) & MOBILE_CARRIER_DOMAINS)


def has_odd_dots(address: str) -> bool:
    """Tell whether the part before @ has dots the rules forbid (leading, doubled, trailing)."""
    local, at, _domain = address.rpartition("@")
    return bool(at) and _ODD_DOTS.search(local) is not None


def _is_older_carrier_address(address: str) -> bool:
    """Tell whether an address is valid but for the dots carriers allowed before 2009."""
    local, _at, domain = address.rpartition("@")
    if not (has_odd_dots(address) and is_carrier_address(address)):
        return False
    tidy = re.sub(r"\.+", ".", local).strip(".")
    try:
        _email_syntax(f"{tidy}@{domain}")
    except ValidationError:
        return False
    return bool(tidy)


def _refuse_several(address: str) -> None:
    """Refuse a name with the address, or two addresses in one field, saying exactly that."""
    named = _WITH_NAME.match(address)
    if named and named.group(1).strip():
        raise ValidationError(
            _("This holds a name as well as the address. Enter the address alone: %(address)s"),
            code="with_name",
            params={"address": named.group(2).strip()},
        )
    parts = [part for part in _LIST_SEPARATORS.split(address) if "@" in part]
    if len(parts) > 1:
        raise ValidationError(
            _(
                "This holds %(count)s addresses. CCUS keeps one registered email per account: "
                "enter only that one."
            ),
            code="several",
            params={"count": len(parts)},
        )


def validate_registered_email(value: str) -> str:
    """Return the address with full-width characters made ASCII, or raise if it is malformed."""
    address = normalize_registered_email(value)
    _refuse_several(address)
    named = _WITH_NAME.match(address)
    if named:
        address = named.group(2).strip()
    try:
        _email_syntax(address)
    except ValidationError as error:
        if _is_older_carrier_address(address):
            return address
        raise ValidationError(
            _("This is not an email address. Enter it in the form name@example.jp."),
            code="invalid",
        ) from error
    return address


def email_index_value(value: str) -> str:
    """Return the form of an address compared for equality: NFKC, trimmed, lower case."""
    return normalize_registered_email(value).lower()


def email_warnings(value: str) -> list[SoftWarning]:
    """Warn of a mobile-carrier address (filters drop PC mail) and of carriers' older dots."""
    warnings = []
    if is_carrier_address(value):
        message = _(
            "This is a mobile-phone address. Carriers often block mail sent from PCs, so the CCUS "
            "password-reset mail may not arrive: allow mail from ccus.jp or use another address."
        )
        warnings.append(SoftWarning("mobile_carrier", str(message)))
    if has_odd_dots(normalize_registered_email(value)):
        message = _(
            "This address has a dot at the start or end of the part before @, or two dots in a "
            "row. Carriers issued such addresses before 2009 and they still receive mail, but "
            "some services refuse them: if CCUS does, register another address."
        )
        warnings.append(SoftWarning("older_carrier_address", str(message)))
    return warnings
