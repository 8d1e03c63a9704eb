"""Readiness over 12 weeks: the rollup's small charts, the drill-down's and the health report's."""

import datetime

import pytest

from ccus.health.models import HealthSnapshot
from ccus.oversight.digest import week_of
from ccus.oversight.models import Engagement, SubcontractorSnapshot
from tests.browser.conftest import SCREENSHOTS
from tests.console import hand_session_to_browser
from tests.factories import make_company, make_member, make_organization, make_worker

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
SCORES = {
    "丸山電設": [40, 42, 47, 50, 55, 53, 60, 66, 70, 72, 78],
    "青空塗装": [80, 78, 75, 70, 66, 60, 58, 55, 50, 45, 42],
    "北川工業": [0, 0, 10, 20, 20, 35, 35, 50, 50, 65, 70],
}


@pytest.mark.django_db(transaction=True)
def test_readiness_charts_on_desktop_phone_and_paper(page, live_server, organization, owner):
    prime = make_organization("元請建設")
    prime_owner = make_member(prime, "owner")
    this_week = week_of(datetime.date.today())
    for name, scores in SCORES.items():
        firm = make_organization(name)
        make_company(firm, name=name, ccus_id=None)
        make_worker(firm, ccus_id="12345678901234")
        Engagement.objects.create(prime=prime, subcontractor=firm, status="active")
        for weeks_ago, score in zip(range(11, 0, -1), scores, strict=True):
            week = this_week - datetime.timedelta(weeks=weeks_ago)
            SubcontractorSnapshot.objects.create(prime=prime, subcontractor=firm, week=week,
                                                 score=score)  # fmt: skip
            HealthSnapshot.objects.get_or_create(organization=organization, week=week,
                                                 defaults={"score": score})  # fmt: skip

    hand_session_to_browser(page, live_server, prime_owner)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto("/oversight/")
        assert page.locator("svg.sparkline").count() == 3
        assert page.locator("svg.sparkline").first.is_visible()
        page.screenshot(path=SCREENSHOTS / f"readiness-rollup-{name}.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="丸山電設").click()
    chart = page.locator("figure.chart")
    assert chart.locator("figcaption").inner_text() == "準備度の推移（過去12週）"
    assert chart.locator("svg.line-chart text.value").count() == 12
    # The numbers are there for a screen reader, in a table it can read.
    cells = chart.locator("table td").all_inner_texts()
    assert cells[1::2][:11] == [str(s) for s in SCORES["丸山電設"]]
    page.screenshot(path=SCREENSHOTS / "readiness-drill-down-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / "readiness-drill-down-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="print")
    assert chart.locator("svg.line-chart").is_visible()
    page.screenshot(path=SCREENSHOTS / "readiness-drill-down-print.png", full_page=True)
    page.emulate_media(media="screen")

    hand_session_to_browser(page, live_server, owner)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto("/")
        health = page.locator("figure.chart")
        assert health.locator("figcaption").inner_text() == "会社の準備度の推移（過去12週）"
        assert health.locator("svg.line-chart circle").count() == 12
        page.screenshot(path=SCREENSHOTS / f"readiness-health-{name}.png", full_page=True)
