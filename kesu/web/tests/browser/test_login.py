"""Log in, see who I am, switch language, log out — in a real browser."""

import pytest
from playwright.sync_api import expect

from kesu.accounts.tests.factories import PASSWORD

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_sees_company_and_role_and_switches_to_english(
    page, shot, city_clerk
):
    page.goto("/")
    assert "/login/" in page.url
    shot("01-login")
    login(page, "gz_clerk", PASSWORD)
    bar = page.locator("header.topbar")
    assert "李受理" in bar.inner_text()
    assert "广州分公司" in bar.inner_text()
    assert "受理员" in bar.inner_text()
    assert page.locator("h1").first.inner_text() == "我的待办"
    shot("02-workbench-clerk")

    page.click("button[name=language][value=en]")
    expect(page.locator("h1").first).to_have_text("My work")  # the next page
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()

    page.click("text=退出")
    page.wait_for_url("**/login/**")
    assert not page.js_errors, page.js_errors


def test_wrong_password_is_refused_with_a_clear_message(page, city_clerk):
    page.goto("/login/")
    page.fill("#id_username", "gz_clerk")
    page.fill("#id_password", "wrong-password-123")
    page.click(".login-box button[type=submit]")
    assert "/login/" in page.url
    assert page.locator(".alert.error").is_visible()
