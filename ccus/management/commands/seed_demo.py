"""`manage.py seed_demo`: create a demo firm, its prime contractor and their logins."""

import datetime
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ccus.accounts.models import Company, Worker
from ccus.accounts.services import company_create, worker_create
from ccus.oversight.engagements import engagement_answer, engagement_invite, site_save
from ccus.oversight.models import Engagement
from vault.auth.models import User
from vault.firms.models import Membership, Organization, Role

DEMO_FIRM = "デモ建設株式会社"
PRIME_FIRM = "デモ元請建設株式会社"
DEMO_SITE = "デモ駅前ビル新築工事"
# email, name, firm, role, who they are
PEOPLE = [
    ("operator@demo.example.jp", "運用 管理者", None, None, "operator of the service"),
    ("owner@demo.example.jp", "山田 花子", DEMO_FIRM, Role.OWNER, "subcontractor"),
    ("admin@demo.example.jp", "佐藤 一郎", DEMO_FIRM, Role.ADMIN, "subcontractor"),
    ("staff@demo.example.jp", "鈴木 次郎", DEMO_FIRM, Role.STAFF, "subcontractor"),
    ("viewer@demo.example.jp", "高橋 三郎", DEMO_FIRM, Role.VIEWER, "subcontractor"),
    ("prime@demo.example.jp", "木村 元", PRIME_FIRM, Role.OWNER, "prime contractor"),
]
# name, kana, email, months until card expiry, days since confirmed, level
WORKERS = [
    ("田中 太郎", "タナカ タロウ", "tanaka.taro@example.jp", 48, 20, 2),
    ("伊藤 健", "イトウ ケン", "info@demo-kensetsu.example.jp", 30, 40, 1),
    ("渡辺 誠", "ワタナベ マコト", None, 4, 200, 3),
    ("中村 大輔", "ナカムラ ダイスケ", "nakamura@docomo.ne.jp", 2, 365, 1),
    ("小林 翔", "コバヤシ ショウ", "info@demo-kensetsu.example.jp", -1, 10, 1),
    ("加藤 勇気", "カトウ ユウキ", "kato.yuki@example.jp", 90, None, 4),
    ("吉田 聡", "ヨシダ サトシ", None, 70, 100, None),
    ("山本 剛", "ヤマモト ツヨシ", "yamamoto.t@example.jp", 5, 190, 2),
]


def _digits() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(14))


def _months(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=round(n * 30.4))


class Command(BaseCommand):
    help = "Create the demo firm with sample accounts (once) and print the demo logins."

    def handle(self, *args, **options) -> None:
        logins_file = Path(settings.VAR_DIR) / "demo-logins.txt"
        if Organization.objects.filter(name=DEMO_FIRM).exists():
            self.stdout.write(
                f"The demo firm exists; nothing changed. Demo logins ({logins_file}):"
            )
            if logins_file.exists():
                self.stdout.write(logins_file.read_text())
            return
        logins = self._create()
        logins_file.parent.mkdir(parents=True, exist_ok=True)
        logins_file.write_text(logins)
        logins_file.chmod(0o600)
        self.stdout.write(self.style.SUCCESS("Created the demo firm. Demo logins:"))
        self.stdout.write(logins)

    @transaction.atomic
    def _create(self) -> str:
        firms = {name: Organization.objects.create(name=name) for name in (DEMO_FIRM, PRIME_FIRM)}
        # The address `make run` serves on (its PORT, 8000 unless told otherwise).
        address = f"http://127.0.0.1:{os.environ.get('PORT') or 8000}/"
        lines = [f"{address}  (the Django admin, for the superuser: /admin/)"]
        users = {}
        for email, name, firm, role, who in PEOPLE:
            password = secrets.token_urlsafe(12)
            if role is None:
                user = User.objects.create_superuser(email, password, full_name=name)
                lines.append(f"{email}  {password}  superuser, {who}")
            else:
                user = User.objects.create_user(email, password, full_name=name)
                Membership.objects.create(user=user, organization=firms[firm], role=role)
                lines.append(f"{email}  {password}  {role} of {firm} ({who})")
            users[email] = user
        company = self._companies(firms[DEMO_FIRM])
        self._workers(firms[DEMO_FIRM], company)
        self._engagement(
            firms[PRIME_FIRM], firms[DEMO_FIRM],
            users["prime@demo.example.jp"], users["owner@demo.example.jp"],
        )  # fmt: skip
        return "\n".join(lines) + "\n"

    def _engagement(self, prime, subcontractor, prime_owner, subcontractor_owner) -> None:
        """The prime looks over the demo firm, which shares its status and full IDs, on a site."""
        engagement = engagement_invite(
            prime=prime, subcontractor=subcontractor, actor=prime_owner, request=None
        )
        engagement_answer(
            engagement=engagement, accept=True, sharing=Engagement.Sharing.IDS, pass_up=False,
            actor=subcontractor_owner, request=None,
        )  # fmt: skip
        site_save(
            organization=prime, actor=prime_owner, request=None, name=DEMO_SITE,
            address="東京都港区芝浦1-1-1", engagements=[engagement],
        )  # fmt: skip

    def _companies(self, organization: Organization) -> Company:
        own = company_create(
            organization=organization,
            name=DEMO_FIRM,
            name_kana="デモケンセツ",
            ccus_id=_digits(),
            responsible_person="山田 花子",
            registered_email="info@demo-kensetsu.example.jp",
            password=secrets.token_urlsafe(10),
            security_code_hint="金庫の青いファイル",
            address="東京都千代田区丸の内1-1-1",
            phone="03-1234-5678",
            registration_expires_on=_months(5),
            notice_location="事務所の金庫（圧着ハガキ）",
        )
        company_create(
            organization=organization,
            name="山田工業（一人親方）",
            name_kana="ヤマダコウギョウ",
            ccus_id=_digits(),
            responsible_person="山田 剛",
            password=secrets.token_urlsafe(10),
            security_code_hint="1234",
            registration_expires_on=_months(26),
        )
        Company.objects.filter(pk=own.pk).update(last_confirmed_at=timezone.now())
        return own

    def _workers(self, organization: Organization, company: Company) -> None:
        for name, kana, email, expiry, confirmed_days_ago, level in WORKERS:
            worker = worker_create(
                organization=organization,
                company=company,
                name=name,
                name_kana=kana,
                ccus_id=_digits() if level else None,
                registered_email=email,
                password=secrets.token_urlsafe(10),
                security_code="".join(secrets.choice("0123456789") for _ in range(4)),
                birth_date=datetime.date(1970 + len(name) * 3, 4, 1),
                card_expires_on=_months(expiry),
                level=level,
                consent_given_on=timezone.localdate() - datetime.timedelta(days=400),
            )
            if confirmed_days_ago is not None:
                confirmed = timezone.now() - datetime.timedelta(days=confirmed_days_ago)
                Worker.objects.filter(pk=worker.pk).update(last_confirmed_at=confirmed)
