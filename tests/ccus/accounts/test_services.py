"""Creating and updating accounts: normalisation, derived indexes, uniqueness, warnings."""

import pytest
from django.core.exceptions import ValidationError

from ccus.accounts.lookup import ccus_id_index, filter_by_ccus_id
from ccus.accounts.models import Worker
from ccus.accounts.selectors import account_warnings
from ccus.accounts.services import account_update
from tests.factories import make_company, make_worker


def _codes(account) -> set[str]:
    return {warning.code for warning in account_warnings(account)}


@pytest.mark.django_db
def test_it_normalises_a_full_width_hyphenated_id(organization):
    worker = make_worker(organization, ccus_id="１２３４－５６７８ ９０１２３４")
    fresh = Worker.objects.get(pk=worker.pk)
    assert fresh.ccus_id == "12345678901234"
    assert fresh.ccus_id_last4 == "1234"
    assert fresh.ccus_id_index == ccus_id_index(organization, "12345678901234")


@pytest.mark.django_db
def test_it_finds_an_account_by_its_full_id_through_the_blind_index(organization):
    worker = make_worker(organization, ccus_id="00000000000042")
    make_worker(organization, ccus_id="00000000000043")
    found = filter_by_ccus_id(Worker.objects.all(), organization, "0000 0000 0000 42")
    assert list(found) == [worker]


@pytest.mark.django_db
def test_it_refuses_a_13_digit_id_and_writes_nothing(organization):
    with pytest.raises(ValidationError) as caught:
        make_worker(organization, ccus_id="1234567890123")
    error = caught.value.error_dict["ccus_id"][0]
    assert (error.code, error.params["reading"]) == ("leading_zero", "01234567890123")
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_it_offers_the_card_reading_of_a_longer_number_without_cutting_it(organization):
    with pytest.raises(ValidationError) as caught:
        make_worker(organization, ccus_id="123456789012345678")
    error = caught.value.error_dict["ccus_id"][0]
    assert (error.code, error.params["reading"]) == ("card_number", "12345678901234")
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_the_same_id_twice_in_a_firm_naming_the_holder(organization):
    make_worker(organization, name="田中 太郎", ccus_id="12345678901234")
    with pytest.raises(ValidationError) as caught:
        make_worker(organization, name="別人", ccus_id="12345678901234")
    error = caught.value.error_dict["ccus_id"][0]
    assert (error.code, error.params["name"]) == ("duplicate", "田中 太郎")


@pytest.mark.django_db
def test_it_allows_the_same_id_in_another_firm(organization, other_organization):
    make_worker(organization, ccus_id="12345678901234")
    make_worker(other_organization, ccus_id="12345678901234")
    assert Worker.objects.count() == 2


@pytest.mark.django_db
def test_it_allows_many_workers_without_an_id(organization):
    make_worker(organization)
    make_worker(organization, ccus_id="   ")
    assert Worker.objects.filter(ccus_id_index__isnull=True).count() == 2


@pytest.mark.django_db
def test_it_keeps_the_index_in_step_on_update(organization):
    worker = make_worker(organization, ccus_id="12345678901234")
    account_update(account=worker, ccus_id="43210987654321")
    assert list(filter_by_ccus_id(Worker.objects.all(), organization, "43210987654321")) == [worker]
    assert not filter_by_ccus_id(Worker.objects.all(), organization, "12345678901234").exists()


@pytest.mark.django_db
def test_it_refuses_a_business_account_of_another_firm(organization, other_organization):
    company = make_company(other_organization)
    with pytest.raises(ValidationError) as caught:
        make_worker(organization, company=company)
    assert caught.value.error_dict["company"][0].code == "other_firm"


@pytest.mark.django_db
def test_it_warns_when_the_same_digits_are_a_business_and_a_worker_id(organization):
    make_company(organization, name="本社", ccus_id="12345678901234")
    worker = make_worker(organization, ccus_id="12345678901234")
    assert "id_used_by_other_kind" in _codes(worker)


@pytest.mark.django_db
def test_it_flags_a_four_digit_hint(organization):
    worker = make_worker(organization, security_code_hint="１２３４")
    assert worker.hint_is_code
    assert "hint_is_code" in _codes(worker)
    assert not make_worker(organization, security_code_hint="金庫の中").hint_is_code


@pytest.mark.django_db
def test_it_warns_of_a_shared_and_a_company_email(organization):
    make_company(organization, registered_email="info@firm.example.jp")
    first = make_worker(organization, registered_email="INFO@firm.example.jp")
    make_worker(organization, registered_email="info@firm.example.jp")
    assert {"email_shared", "company_inbox_on_worker"} <= _codes(first)


@pytest.mark.django_db
def test_it_warns_of_a_mobile_carrier_address(organization):
    worker = make_worker(organization, registered_email="taro@docomo.ne.jp")
    assert "mobile_carrier" in _codes(worker)
    assert _codes(make_worker(organization, registered_email="taro@example.jp")) == set()


@pytest.mark.django_db
def test_it_accepts_a_full_width_at_sign(organization):
    worker = make_worker(organization, registered_email="taro＠example.jp")
    assert Worker.objects.get(pk=worker.pk).registered_email == "taro@example.jp"


@pytest.mark.django_db
def test_it_refuses_a_malformed_email(organization):
    with pytest.raises(ValidationError) as caught:
        make_worker(organization, registered_email="taro.example.jp")
    assert "registered_email" in caught.value.error_dict
