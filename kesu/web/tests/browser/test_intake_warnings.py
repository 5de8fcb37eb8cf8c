"""While the clerk types, an earlier complaint by the same person on the same
policy is shown (htmx, served by kesu itself under the CSP)."""

import pytest

from kesu.accounts.tests.factories import PASSWORD
from kesu.complaints.tests.factories import ComplaintFactory

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_repeat_complaint_warning_appears_while_typing(page, shot, org, city_clerk):
    earlier = ComplaintFactory(owning_company=org["gz"])
    login(page, "gz_clerk", PASSWORD)
    page.goto("/complaints/new/")
    page.fill("#id_id_number", earlier.complainant.id_number)
    page.fill("#id_policy_number", earlier.policy_number)
    page.locator("#id_policy_number").blur()
    warning = page.locator("[data-testid=repeat-warning]")
    warning.wait_for()
    assert earlier.number in warning.inner_text()
    shot("12-intake-repeat-warning")
    assert not page.js_errors, page.js_errors
