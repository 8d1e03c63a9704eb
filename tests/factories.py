"""Builders for test records, through the same services the product uses."""

import datetime
import itertools
import re

from ccus.accounts.models import Company, Worker
from ccus.accounts.services import company_create, worker_create
from vault.auth.models import User
from vault.firms.models import Membership, Organization

_numbers = itertools.count(1)

# Plaintexts a test can search for in responses, rows and emails, as the vault stores them.
SECRETS = {
    "ccus_id": "12345678901234",
    "registered_email": "secret.mail@example.jp",
    "password": "Pa55-secret-word",
    "initial_password": "Initial-secret-77",
    "security_code": "4821",
    "security_code_hint": "金庫の赤い封筒",
    "address": "大阪府大阪市北区梅田9-9-9",
    "phone": "06-9876-5432",
    "notes": "秘密のメモ",
}


# Typed in full-width digits, as Japanese input often is; the vault stores ASCII digits.
TYPED_SECURITY_CODE = "４８２１"
# UUIDs, hex and long tokens (CSRF, signatures), where any 4 digits can turn up by chance.
_TOKENS = re.compile(r"[0-9a-fA-F-]{8,}|[A-Za-z0-9_:]{24,}")
_DIGITS = re.compile(r"[0-9-]+")


def leaked(text: str, secrets: dict | None = None) -> list[str]:
    """Return the names of the secrets found in text, outside UUIDs, hex and long tokens."""
    plain = _TOKENS.sub(lambda m: m.group() if _DIGITS.fullmatch(m.group()) else "", text)
    return [name for name, value in (secrets or SECRETS).items() if value in plain]


def make_organization(name: str = "協力建設株式会社") -> Organization:
    return Organization.objects.create(name=name)


def make_user(email: str | None = None, password: str = "correct-horse-battery") -> User:
    return User.objects.create_user(email or f"user{next(_numbers)}@example.jp", password)


def make_member(organization: Organization, role: str) -> User:
    user = make_user(f"{role}{next(_numbers)}@example.jp")
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def make_company(organization: Organization, **fields) -> Company:
    fields.setdefault("name", f"事業者{next(_numbers)}")
    return company_create(organization=organization, **fields)


def make_worker(organization: Organization, **fields) -> Worker:
    fields.setdefault("name", f"技能者{next(_numbers)}")
    return worker_create(organization=organization, **fields)


def make_secret_worker(organization: Organization, **overrides) -> Worker:
    """Make a worker whose every secret field holds a known plaintext from SECRETS."""
    values = {
        "name": "秘密 太郎",
        "name_kana": "ヒミツ タロウ",
        **SECRETS,
        "security_code": TYPED_SECURITY_CODE,
        "birth_date": datetime.date(1981, 2, 3),
        **overrides,
    }
    return make_worker(organization, **values)
