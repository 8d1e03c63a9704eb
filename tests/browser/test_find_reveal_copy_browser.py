"""From the list to a copied password in a few steps; the quick search finds people as typed."""

import re
import time

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_console_browser import PASSWORD, _expire_reauthentication
from tests.console import hand_session_to_browser
from tests.factories import SECRETS, leaked, make_secret_worker, make_worker
from vault.audit.models import AuditEvent

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


class Steps:
    """Do what a person does (click, type) and count each of it as one action."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def type(self, locator, text: str) -> None:
        self.count += 1
        locator.fill(text)


def _clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def _wait_until(check) -> None:
    """Wait until check() holds; polled from here, as the page's own clock may be faked."""
    for _ in range(200):
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("never came true")


def _wait_for_clipboard(page, expected: str) -> None:
    _wait_until(lambda: _clipboard(page) == expected)


def _copies(field: str = "password") -> int:
    return AuditEvent.objects.filter(action="secret.copy", field=field).count()


def _open_workers(page, live_server, user, screen: str, *, confirmed: bool = True) -> None:
    """Open the worker list as user, with an empty clipboard (it outlives a page)."""
    page.set_viewport_size(SCREENS[screen])
    hand_session_to_browser(page, live_server, user)
    if not confirmed:
        _expire_reauthentication(user)
    page.goto("/workers/")
    page.bring_to_front()
    page.evaluate("navigator.clipboard.writeText('')")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", SCREENS)
def test_it_copies_a_password_from_the_list_in_one_action_when_confirmed_recently(
    page, live_server, screenshot, organization, owner, screen
):
    worker = make_secret_worker(organization)
    make_worker(organization, name="山田 太郎", name_kana="ヤマダ タロウ", password="other-pass-9")
    _open_workers(page, live_server, owner, screen)
    screenshot(f"find-copy-list-{screen}")
    steps = Steps(page)
    steps.click(page.get_by_role("button", name="秘密 太郎のパスワードをコピー"))
    _wait_until(lambda: _copies() == 1)
    _wait_for_clipboard(page, SECRETS["password"])
    assert steps.count <= 3
    assert page.get_by_role("button", name="秘密 太郎のパスワードをコピー").inner_text() in {
        "コピーしました", "コピー"
    }  # fmt: skip
    # Copied without being shown: the page never holds the value.
    assert leaked(page.content()) == []
    assert page.get_by_text("30秒後にクリップボードから消えます").is_visible()

    # By way of the account: open it, show the password in place, copy it.
    steps = Steps(page)
    steps.click(page.get_by_role("link", name="秘密 太郎"))
    steps.click(page.locator("#secret-password").get_by_role("button", name="表示"))
    value = page.locator("#revealed-password")
    assert value.inner_text() == SECRETS["password"]
    assert page.url.endswith(f"/workers/{worker.uuid}/")
    screenshot(f"find-copy-shown-in-place-{screen}")
    page.evaluate("navigator.clipboard.writeText('')")
    steps.click(page.locator("#secret-password").get_by_role("button", name="コピー"))
    _wait_for_clipboard(page, SECRETS["password"])
    assert steps.count <= 3
    assert AuditEvent.objects.filter(action="secret.reveal", field="password").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["width"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", SCREENS)
def test_it_copies_a_password_in_four_actions_when_identity_must_be_confirmed(
    page, live_server, screenshot, organization, owner, screen
):
    worker = make_secret_worker(organization)
    _open_workers(page, live_server, owner, screen, confirmed=False)
    steps = Steps(page)
    steps.click(page.get_by_role("button", name="秘密 太郎のパスワードをコピー"))
    page.wait_for_url("**/account/confirm/**")
    assert not AuditEvent.objects.filter(action__startswith="secret.").exists()
    screenshot(f"find-copy-confirm-{screen}")
    steps.type(page.get_by_label("ご自分のパスワード、または認証アプリの6桁のコード"), PASSWORD)
    steps.click(page.get_by_role("button", name="確認する"))
    # Back at the value asked for: shown in place, marked, with its copy button.
    page.wait_for_url(re.compile(rf".*/workers/{worker.uuid}/#secret-password$"))
    value = page.locator("#secret-password.asked #revealed-password")
    assert value.inner_text() == SECRETS["password"]
    screenshot(f"find-copy-after-confirm-{screen}")
    steps.click(page.locator("#secret-password").get_by_role("button", name="コピー"))
    _wait_for_clipboard(page, SECRETS["password"])
    assert steps.count <= 4
    assert AuditEvent.objects.filter(action="secret.reveal", field="password").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_clears_the_clipboard_30_seconds_after_a_copy(page, live_server, organization, owner):
    make_secret_worker(organization)
    page.clock.install()
    _open_workers(page, live_server, owner, "desktop")
    page.get_by_role("button", name="秘密 太郎のパスワードをコピー").click()
    _wait_until(lambda: _copies() == 1)
    _wait_for_clipboard(page, SECRETS["password"])
    page.clock.run_for(28_000)
    assert _clipboard(page) == SECRETS["password"]
    page.clock.run_for(3_000)
    _wait_for_clipboard(page, "")


@pytest.mark.django_db(transaction=True)
def test_it_shows_a_value_on_its_own_page_without_the_script(
    browser, live_server, organization, owner
):
    worker = make_secret_worker(organization)
    context = browser.new_context(base_url=live_server.url, locale="ja-JP",
                                  java_script_enabled=False)  # fmt: skip
    page = context.new_page()
    hand_session_to_browser(page, live_server, owner)
    _expire_reauthentication(owner)
    page.goto("/workers/")
    # Copying needs the script: without it the list offers no copy button.
    assert page.get_by_role("button", name="秘密 太郎のパスワードをコピー").count() == 0
    page.get_by_role("link", name="秘密 太郎").click()
    page.locator("#secret-password").get_by_role("button", name="表示").click()
    page.get_by_label("ご自分のパスワード、または認証アプリの6桁のコード").fill(PASSWORD)
    page.get_by_role("button", name="確認する").click()
    assert page.locator("#secret-password.asked").is_visible()
    page.locator("#secret-password").get_by_role("button", name="表示").click()
    assert page.locator("#revealed-value").inner_text() == SECRETS["password"]
    assert page.url.endswith(f"/workers/{worker.uuid}/reveal/")
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", SCREENS)
def test_it_finds_a_worker_as_the_name_is_typed(
    page, live_server, screenshot, organization, other_organization, owner, screen
):
    page.set_viewport_size(SCREENS[screen])
    yamada = make_worker(organization, name="山田 太郎", name_kana="ヤマダ タロウ",
                         ccus_id="12345678905678")  # fmt: skip
    make_worker(organization, name="佐藤 花子", name_kana="サトウ ハナコ")
    make_worker(other_organization, name="山田 次郎", name_kana="ヤマダ ジロウ")
    hand_session_to_browser(page, live_server, owner)
    page.goto("/calendar/")
    box = page.get_by_role("searchbox", name="技能者・事業者を検索")
    box.press_sequentially("ﾔﾏﾀﾞ", delay=30)
    results = page.locator("#quick-search-results")
    results.get_by_role("link", name=re.compile("山田 太郎")).wait_for()
    assert "山田 次郎" not in results.inner_text() and "佐藤" not in results.inner_text()
    screenshot(f"quick-search-{screen}")
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["width"]
    box.fill("")
    box.press_sequentially("5678", delay=30)
    results.get_by_role("link", name=re.compile("山田 太郎")).wait_for()
    box.fill("")
    box.press_sequentially("たなか", delay=30)
    results.get_by_text("「たなか」に一致する技能者・事業者はありません。").wait_for()
    box.fill("やまだ")
    results.get_by_role("link", name=re.compile("山田 太郎")).wait_for()
    box.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/workers/{yamada.uuid}/")


@pytest.mark.django_db(transaction=True)
def test_it_opens_a_results_page_without_the_script(browser, live_server, organization, owner):
    make_worker(organization, name="山田 太郎", name_kana="ヤマダ タロウ")
    context = browser.new_context(base_url=live_server.url, locale="ja-JP",
                                  java_script_enabled=False, viewport=SCREENS["phone"])  # fmt: skip
    page = context.new_page()
    hand_session_to_browser(page, live_server, owner)
    page.goto("/")
    page.get_by_role("searchbox", name="技能者・事業者を検索").fill("やまだ")
    page.get_by_role("searchbox", name="技能者・事業者を検索").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("heading", name="「やまだ」の検索結果").is_visible()
    assert page.get_by_role("link", name=re.compile("山田 太郎")).is_visible()
    page.screenshot(path=str(SCREENSHOTS / "quick-search-page-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS["phone"]["width"]
    context.close()
