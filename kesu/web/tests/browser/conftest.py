"""Browser tests: Debian's chromium driven by Playwright against pytest-django's
live_server. Never `playwright install`: the browser comes from apt."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KESU_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("KESU_SHOTS", "/tmp/kesu-shots"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]


@pytest.fixture(scope="module", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; Django would
    otherwise refuse ORM calls from tests and fixtures. Set per browser-test
    module (its teardown comes after the last database flush), never for the
    whole process: a leaked variable fails `check --deploy` (async.E001) in
    later tests that start manage.py."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(autouse=True)
def code_tables(allow_orm_beside_playwright, transactional_db):
    """Transactional tests flush every table, including the code tables the
    migration loaded; put them back for each browser test."""
    from kesu.classification.loading import load_defaults
    from kesu.classification.models import CodeEntry

    if not CodeEntry.objects.exists():
        load_defaults(CodeEntry)


@pytest.fixture(scope="module")
def browser(allow_orm_beside_playwright):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(
            "chromium is not installed (apt-get install -y chromium fonts-noto-cjk)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1400, "height": 900},
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # A form sent back with errors answers 400 on purpose; anything else counts.
    pg.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "status of 400" not in m.text
            else None
        ),
    )
    # Any request that leaves the live server would be an asset from the internet.
    outside: list[str] = []
    pg.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:")
            else None
        ),
    )
    pg.js_errors = errors
    pg.outside_requests = outside
    yield pg
    context.close()
    assert not outside, f"requests outside kesu: {outside}"


@pytest.fixture
def shot(page):
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(".login-box button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
