"""Tenancy: every query scoped to the user's memberships and roles."""

import pytest
from django.db import IntegrityError

from ccus.accounts.models import Worker
from tests.factories import make_user, make_worker
from vault.firms.models import Membership, Organization, Role


@pytest.mark.django_db
def test_it_shows_a_member_only_their_organizations(owner, organization, other_organization):
    assert list(Organization.objects.for_user(owner)) == [organization]


@pytest.mark.django_db
def test_it_shows_a_member_only_their_firms_records(owner, organization, other_organization):
    mine = make_worker(organization)
    make_worker(other_organization)
    assert list(Worker.objects.for_user(owner)) == [mine]


@pytest.mark.django_db
def test_it_filters_by_minimum_role(staff, viewer, organization):
    make_worker(organization)
    assert Worker.objects.for_user(staff, min_role=Role.STAFF).count() == 1
    assert Worker.objects.for_user(viewer, min_role=Role.STAFF).count() == 0
    assert Worker.objects.for_user(viewer).count() == 1


@pytest.mark.django_db
def test_it_spans_several_memberships(owner, organization, other_organization):
    Membership.objects.create(user=owner, organization=other_organization, role=Role.VIEWER)
    make_worker(organization)
    make_worker(other_organization)
    assert Worker.objects.for_user(owner).count() == 2
    assert Worker.objects.for_user(owner, min_role=Role.ADMIN).count() == 1


@pytest.mark.django_db
def test_it_shows_nothing_to_a_user_without_membership(organization):
    make_worker(organization)
    assert Worker.objects.for_user(make_user()).count() == 0


@pytest.mark.django_db
def test_it_allows_one_membership_per_user_and_organization(owner, organization):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=owner, organization=organization, role=Role.STAFF)


def test_it_ranks_roles():
    membership = Membership(role=Role.ADMIN)
    assert membership.has_role(Role.STAFF)
    assert not membership.has_role(Role.OWNER)
