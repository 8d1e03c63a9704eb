"""Radio buttons are small circles with their label right beside them, the import kind chosen."""

import pytest

from tests.console import hand_session_to_browser
from tests.factories import make_member, make_organization


def _assert_beside_its_label(page, radio) -> None:
    box = radio.bounding_box()
    label = radio.locator("xpath=..").bounding_box()
    assert box["width"] <= 30 and box["height"] <= 30, box
    # The label text starts right after the circle and the row is not squeezed.
    assert box["x"] - label["x"] <= 4, (box, label)
    assert label["width"] >= 200, label


@pytest.mark.django_db(transaction=True)
def test_it_draws_the_import_kind_as_small_radios_with_workers_chosen(
    page, live_server, screenshot, owner
):
    hand_session_to_browser(page, live_server, owner)
    page.goto("/workers/import/")
    radios = page.locator("input[name=kind]")
    assert radios.count() == 2
    for index in range(2):
        _assert_beside_its_label(page, radios.nth(index))
    assert radios.nth(0).is_checked() and radios.nth(0).get_attribute("value") == "worker"
    screenshot("import-kind")
    page.set_viewport_size({"width": 390, "height": 844})
    _assert_beside_its_label(page, radios.nth(0))
    screenshot("import-kind-phone")


@pytest.mark.django_db(transaction=True)
def test_it_draws_the_sharing_choice_as_small_radios(page, live_server, screenshot, organization):
    from ccus.oversight.models import Engagement

    owner = make_member(organization, "owner")
    prime = make_organization("元請建設")
    Engagement.objects.create(prime=prime, subcontractor=organization)
    hand_session_to_browser(page, live_server, owner)
    page.goto("/engagements/")
    radios = page.locator("input[name=sharing]")
    assert radios.count() == 2
    for index in range(2):
        _assert_beside_its_label(page, radios.nth(index))
    screenshot("engagement-sharing")
