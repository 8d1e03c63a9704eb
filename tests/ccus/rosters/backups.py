"""Helpers for backup tests: a firm full of awkward values, and every field of it, compared."""

import datetime

from django.utils import timezone

from ccus.accounts.models import Company, ManagerIdFee, Worker
from ccus.accounts.services import refresh_derived
from tests.factories import make_company, make_secret_worker, make_worker

PASSPHRASE = "ｾﾞﾝｶｸ-passphrase-ー１２３"


def make_awkward_firm(organization, confirmer) -> None:
    """Give the firm accounts whose values a spreadsheet or CSV could bend if handled carelessly."""
    company = make_company(
        organization, name="=協力建設", name_kana="ｷｮｳﾘｮｸ", ccus_id="１１１１２２２２３３３３４４",
        responsible_person="+山田", registered_email="office@example.jp", password="'quoted",
        security_code="0123", address="東京都\r\n千代田区", phone="-03-1111-2222",
        notes="@メモ\t\"引用\"", notice_location="金庫,上段",
        registration_expires_on=datetime.date(2028, 3, 31),
    )  # fmt: skip
    ManagerIdFee.objects.create(company=company, label="第1階層", due_on=datetime.date(2027, 4, 1))
    make_secret_worker(
        organization, company=company, level=3, card_expires_on=datetime.date(2029, 1, 2)
    )
    make_worker(organization, name="空欄 だけ")
    make_worker(
        organization, name="\tタブ", ccus_id="00000000000001", notes="\n改行で始まる",
        initial_password="=SUM(A1)", security_code_hint="'", status="left",
        left_on=datetime.date(2026, 1, 31), consent_given_on=datetime.date(2020, 4, 1),
    )  # fmt: skip
    Worker.objects.filter(organization=organization).update(
        last_confirmed_at=timezone.now() - datetime.timedelta(days=3), last_confirmed_by=confirmer
    )


def make_many_workers(organization, count: int) -> None:
    """Add count workers, every secret distinct, the fast way (one insert per 500)."""
    workers = []
    for n in range(count):
        worker = Worker(
            organization=organization, name=f"技能者 {n:05d}", name_kana=f"ｷﾞﾉｳｼｬ {n}",
            ccus_id=f"{90000000000000 + n}", registered_email=f"worker{n}@example.jp",
            password=f"pass-{n}-秘密", initial_password=f"init-{n}",
            security_code=f"{n % 10000:04d}", security_code_hint=f"ヒント{n}",
            address=f"大阪市{n}番地", phone=f"06-{n:04d}-0000",
            notes=f"=メモ{n}" if n % 7 == 0 else f"メモ{n}",
            birth_date=datetime.date(1980, 1, 1) + datetime.timedelta(days=n),
            card_expires_on=datetime.date(2030, 1, 1), level=1 + n % 4,
        )  # fmt: skip
        refresh_derived(worker)
        workers.append(worker)
    Worker.objects.bulk_create(workers, batch_size=500)


def snapshot(organization) -> dict:
    """Return every field of every account and fee of the firm, opened, by UUID."""
    companies = dict(Company.objects.filter(organization=organization).values_list("id", "uuid"))
    result = {}
    for model in (Company, Worker, ManagerIdFee):
        mine = (
            {"company__organization": organization}
            if model is ManagerIdFee
            else {"organization": organization}
        )
        records = model.objects.filter(**mine)
        if model is not ManagerIdFee:
            records = records.select_related("organization")  # opens without a query each
        for record in records:
            row = {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields}
            row.pop("id")
            row.pop("organization_id", None)  # the firm is matched by its UUID
            if "company_id" in row:
                row["company_id"] = companies.get(row["company_id"])
            result[(model.__name__, row["uuid"])] = row
    return result


def delete_accounts(organization) -> None:
    """Delete every worker and business account of the firm (what a restore must bring back)."""
    Worker.objects.filter(organization=organization).only("id").delete()
    Company.objects.filter(organization=organization).only("id").delete()
