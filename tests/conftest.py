"""The cast (owner, admin, staff, viewer, outsider, a prime) and the switches for real services."""

import os

import pytest
from django.conf import settings

from tests.console import sign_in
from tests.factories import make_member, make_organization

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if item.get_closest_marker("postgres") and "postgresql" not in engine:
        _missing("DATABASE_URL does not point at PostgreSQL")
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        _missing("REDIS_URL is not set")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: ids repeat from test to test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def organization(db):
    return make_organization("協力建設株式会社")


@pytest.fixture
def other_organization(db):
    return make_organization("よその工務店")


@pytest.fixture
def owner(organization):
    return make_member(organization, "owner")


@pytest.fixture
def admin_member(organization):
    return make_member(organization, "admin")


@pytest.fixture
def staff(organization):
    return make_member(organization, "staff")


@pytest.fixture
def viewer(organization):
    return make_member(organization, "viewer")


@pytest.fixture
def outsider(other_organization):
    return make_member(other_organization, "owner")


@pytest.fixture
def staff_client(client, staff):
    """A client signed in as a staff member."""
    sign_in(client, staff)
    return client


@pytest.fixture
def owner_client(client, owner):
    """A client signed in as the owner, re-authenticated for reveals."""
    sign_in(client, owner)
    return client


@pytest.fixture
def prime(db):
    """A prime contractor (元請) with its owner as `prime.owner`."""
    firm = make_organization("元請建設")
    firm.owner = make_member(firm, "owner")
    return firm
