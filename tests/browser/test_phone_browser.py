"""On a phone: the menu folds behind one button, no page scrolls sideways, the sheet fits on A4."""

import datetime
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from ccus.oversight.models import Engagement, Site
from ccus.recovery.models import RecoveryCase
from ccus.reminders.planning import plan_reminders
from tests.browser.conftest import SCREENSHOTS
from tests.console import hand_session_to_browser
from tests.factories import make_company, make_secret_worker, make_worker

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}


@pytest.fixture
def firm(organization):
    """A firm with long names, a recovery case and reminders: what makes pages wide."""
    company = make_company(
        organization, name="株式会社ながいなまえの建設工業所東日本支店第二営業所",
        ccus_id="99990000111122", registered_email="office-of-the-long-name@example.jp",
        registration_expires_on=datetime.date.today() - datetime.timedelta(days=5),
    )  # fmt: skip
    worker = make_secret_worker(organization, company=company)
    for n in range(3):
        make_worker(organization, name=f"技能者 {n}", company=company)
    RecoveryCase.objects.create(organization=organization, worker=worker, path="password_reset")
    plan_reminders()
    return {"company": company, "worker": worker}


def _sideways(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


@pytest.mark.django_db(transaction=True)
def test_the_menu_folds_behind_one_button_on_a_phone(page, live_server, owner, firm):
    hand_session_to_browser(page, live_server, owner)
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    menu = page.get_by_role("button", name="メニュー")
    assert not menu.is_visible()
    assert page.get_by_role("link", name="技能者").first.is_visible()
    page.screenshot(path=SCREENSHOTS / "menu-desktop.png")

    page.set_viewport_size(PHONE)
    page.goto("/")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    nav = page.get_by_role("navigation", name="メインメニュー")
    assert not nav.is_visible()
    page.screenshot(path=SCREENSHOTS / "menu-phone-closed.png")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and nav.is_visible()
    assert _sideways(page) <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / "menu-phone-open.png")
    nav.get_by_role("link", name="技能者").click()
    page.wait_for_url("**/workers/")
    assert not nav.is_visible()
    # By keyboard: the button opens the menu, Escape closes it and gives the focus back.
    menu.focus()
    page.keyboard.press("Enter")
    assert nav.is_visible()
    nav.get_by_role("link", name="事業者").focus()
    page.keyboard.press("Escape")
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.dataset.menuToggle") == ""


@pytest.mark.django_db(transaction=True)
def test_the_menu_stays_unfolded_without_javascript(browser, live_server, owner, firm):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP",
                                  viewport=PHONE, java_script_enabled=False)  # fmt: skip
    page = context.new_page()
    hand_session_to_browser(page, live_server, owner)
    page.goto("/")
    assert page.get_by_role("link", name="技能者").first.is_visible()
    assert not page.locator("[data-menu-toggle]").is_visible()
    assert _sideways(page) <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / "menu-phone-no-script.png")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_no_main_page_scrolls_sideways_on_a_phone(page, live_server, owner, firm):
    worker, company = firm["worker"], firm["company"]
    case = RecoveryCase.objects.get()
    pages = {
        "health": "/",
        "workers": "/workers/",
        "companies": "/companies/",
        "worker": f"/workers/{worker.uuid}/",
        "worker-edit": f"/workers/{worker.uuid}/edit/",
        "company": f"/companies/{company.uuid}/",
        "worker-new": "/workers/new/",
        "import": "/workers/import/",
        "recovery-start": f"/workers/{worker.uuid}/recovery/",
        "recovery-case": f"/recovery/{case.uuid}/",
        "recovery-sheet": f"/workers/{worker.uuid}/sheet/",
        "recovery-log": "/recovery/",
        "handover": f"/workers/{worker.uuid}/handover/",
        "oversight": "/oversight/",
        "engagements": "/engagements/",
        "calendar": "/calendar/",
        "members": "/firm/members/",
        "audit": "/firm/audit/",
        "reminder-preferences": "/reminders/preferences/",
        "reminder-log": "/reminders/log/",
        "backup": "/backup/",
        "api-tokens": "/firm/api-tokens/",
        "policy": "/firm/policy/",
        "passkeys": "/account/passkeys/",
    }
    page.set_viewport_size(PHONE)
    page.goto("/login/")
    page.screenshot(path=SCREENSHOTS / "phone-login.png", full_page=True)
    assert _sideways(page) <= PHONE["width"]
    assert _walk(page, live_server, owner, pages) == {}


@pytest.mark.django_db(transaction=True)
def test_no_page_of_a_prime_scrolls_sideways_on_a_phone(
    page, live_server, prime, organization, firm
):
    engagement = Engagement.objects.create(prime=prime, subcontractor=organization, status="active")
    site = Site.objects.create(
        organization=prime, name="東京都千代田区丸の内一丁目再開発新築工事（仮称）"
    )
    site.engagements.add(engagement)
    pages = {
        "rollup": "/oversight/",
        "subcontractor": f"/oversight/{engagement.uuid}/",
        "sites": "/oversight/sites/",
        "site": f"/oversight/sites/{site.uuid}/",
        "site-roster": f"/oversight/sites/{site.uuid}/roster/",
    }
    page.set_viewport_size(PHONE)
    assert _walk(page, live_server, prime.owner, pages) == {}


def _walk(page, live_server, user, pages: dict[str, str]) -> dict[str, int]:
    """Open each page as user, screenshot it; return those wider than the screen."""
    hand_session_to_browser(page, live_server, user)
    wide = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        page.screenshot(path=SCREENSHOTS / f"phone-{name}.png", full_page=True)
        if _sideways(page) > PHONE["width"]:
            wide[name] = _sideways(page)
    return wide


def _pdf_pages(pdf: bytes) -> int:
    """Count a PDF's pages with pdfinfo (poppler) where installed, else with pypdf."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
        line = next(x for x in info.stdout.decode().splitlines() if x.startswith("Pages:"))
        return int(line.split()[1])
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db(transaction=True)
def test_the_recovery_sheet_prints_on_one_a4_page(page, live_server, owner, firm):
    worker = firm["worker"]
    hand_session_to_browser(page, live_server, owner)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/workers/{worker.uuid}/sheet/")
    assert _pdf_pages(page.pdf(format="A4", print_background=True)) == 1
    page.get_by_role("button", name="保存されている秘密の値も入れて印刷する").click()
    page.wait_for_load_state()
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / "recovery-sheet-print.png", full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOTS / "recovery-sheet.pdf").write_bytes(pdf)
    assert _pdf_pages(pdf) == 1
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert "登録済メールアドレス" in text and "変更希望メールアドレス" in text
