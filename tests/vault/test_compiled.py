"""A query compiled once gives what its queryset gives, in one query, on each database."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from tests.factories import make_member, make_organization
from vault.auth.backends import AccountBackend, user_by_id
from vault.compiled import CompiledQuery, CompiledRows
from vault.firms.models import Membership
from vault.firms.permissions import memberships_of, memberships_of_user_id

pytestmark = pytest.mark.django_db


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_it_gives_the_memberships_the_queryset_gives_with_their_firms_in_one_query():
    first = make_organization(name="山田建設")
    user = make_member(first, "staff")
    for name, role in (("青木工業", "owner"), ("山田建設", "viewer"), ("和田組", "admin")):
        Membership.objects.create(user=user, organization=make_organization(name=name), role=role)
    make_member(first, "admin")  # someone else's membership is never among them
    expected = list(memberships_of(user))
    with CaptureQueriesContext(connection) as queries:
        got = memberships_of_user_id(user.pk)
        names = [m.organization.name for m in got]
    assert len(queries) == 1
    assert [fields(m) for m in got] == [fields(m) for m in expected]
    assert [fields(m.organization) for m in got] == [fields(m.organization) for m in expected]
    assert sorted(names) == sorted(["山田建設", "青木工業", "山田建設", "和田組"])
    assert memberships_of_user_id(user.pk + 10_000) == []


def test_it_reads_the_user_of_a_request_as_the_queryset_does_and_refuses_an_inactive_one():
    member = make_member(make_organization(), "staff")
    [got] = user_by_id(member.pk)
    assert fields(got) == fields(type(member).objects.get(pk=member.pk))
    assert AccountBackend().get_user(member.pk) == member
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    assert AccountBackend().get_user(member.pk) is None
    assert AccountBackend().get_user(member.pk + 10_000) is None


def test_it_refuses_a_query_that_does_not_take_its_parameter_exactly_once():
    twice = CompiledQuery(
        lambda pk: Membership.objects.filter(pk=pk) | Membership.objects.filter(user_id=pk)
    )
    with pytest.raises(ValueError):
        twice(1)


def _memberships_near(user, organization=None):
    """Memberships of the user and of everyone in the user's firms: user sits in two places."""
    near = Membership.objects.filter(Q(user_id=user) | Q(organization__memberships__user_id=user))
    if organization is not None:
        near = near.filter(organization_id=organization)
    return near.distinct().order_by("id").values_list("id", "uuid", "role", "organization__name")


def test_compiled_rows_give_what_their_queryset_gives_for_each_set_of_parameters():
    first, second = make_organization(name="山田建設"), make_organization(name="青木工業")
    user = make_member(first, "staff")
    Membership.objects.create(user=user, organization=second, role="owner")
    make_member(second, "admin")
    make_member(make_organization(name="和田組"), "owner")  # nobody near the user
    near = CompiledRows(_memberships_near)
    for values in ({"user": user.pk}, {"user": user.pk, "organization": second.pk}) * 2:
        with CaptureQueriesContext(connection) as queries:
            got = near(**values)
        assert len(queries) == 1
        assert [tuple(row) for row in got] == list(_memberships_near(**values))
    assert len(near(user=user.pk)) == 3 and len(near(user=user.pk, organization=second.pk)) == 2
    assert near(user=user.pk + 10_000) == []


def test_compiled_rows_refuse_a_query_that_leaves_a_parameter_out():
    unused = CompiledRows(lambda user: Membership.objects.values_list("id"))
    with pytest.raises(ValueError):
        unused(user=1)
