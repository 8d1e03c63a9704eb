"""An owner downloads a backup, loses records, and brings them back from the zip in Chromium."""

import pytest

from ccus.accounts.models import Worker
from ccus.accounts.services import account_update
from tests.ccus.rosters.backups import PASSPHRASE, make_awkward_firm
from tests.console import hand_session_to_browser
from tests.factories import SECRETS, leaked, make_worker


@pytest.mark.django_db(transaction=True)
def test_it_restores_a_backup_after_a_preview_on_a_desktop_and_a_phone(
    page, live_server, screenshot, organization, owner, tmp_path
):
    make_awkward_firm(organization, owner)
    for n in range(12):
        make_worker(
            organization, name=f"ｶﾀｶﾅ 作業員{n:02d}", ccus_id=f"１２３４５６７８９０００{n:02d}"
        )
    hand_session_to_browser(page, live_server, owner)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/backup/")
    page.get_by_label("パスフレーズ（12文字以上）").fill(PASSPHRASE)
    page.get_by_label("同じパスフレーズをもう一度").fill(PASSPHRASE)
    with page.expect_download() as download:
        page.get_by_role("button", name="バックアップをダウンロード").click()
    zip_path = tmp_path / download.value.suggested_filename
    download.value.save_as(zip_path)

    # Records lost or changed after the backup.
    Worker.objects.filter(name__startswith="ｶﾀｶﾅ 作業員0").delete()
    account_update(account=Worker.objects.get(name="秘密 太郎"), password="changed-later-1")

    page.get_by_role("link", name="バックアップから復元").click()
    roster = tmp_path / "名簿.csv"
    roster.write_bytes("氏名,技能者ID\r\n山田,12345678901234\r\n".encode("cp932"))
    page.get_by_label("バックアップファイル（.zip）").set_input_files(str(roster))
    page.get_by_label("バックアップのパスフレーズ").fill(PASSPHRASE)
    page.get_by_role("button", name="バックアップの中身を確認").click()
    assert page.get_by_text("バックアップとして読み込めません").is_visible()
    page.get_by_label("バックアップファイル（.zip）").set_input_files(str(zip_path))
    page.get_by_label("バックアップのパスフレーズ").fill(PASSPHRASE.replace("ｾﾞﾝｶｸ", "ｾﾞﾝｶｸ "))
    page.get_by_role("button", name="バックアップの中身を確認").click()
    assert page.get_by_text("このパスフレーズでは、このバックアップを開けません").is_visible()
    screenshot("restore-wrong-passphrase")

    page.get_by_label("バックアップファイル（.zip）").set_input_files(str(zip_path))
    page.get_by_label("バックアップのパスフレーズ").fill(PASSPHRASE)
    page.get_by_role("button", name="バックアップの中身を確認").click()
    page.wait_for_url("**/backup/restore/*/")
    assert page.get_by_text("復元する前の確認").is_visible()
    assert page.locator("tr", has_text="秘密 太郎").get_by_text("パスワード").is_visible()
    assert leaked(page.content(), {**SECRETS, "changed": "changed-later-1"}) == []
    screenshot("restore-preview")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("restore-preview-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="11件のアカウントを復元する").click()
    assert page.get_by_text("復元済み").is_visible()
    screenshot("restore-done")
    assert Worker.objects.filter(name__startswith="ｶﾀｶﾅ 作業員").count() == 12
    assert Worker.objects.get(name="秘密 太郎").password == SECRETS["password"]
