"""C5 proven over the whole test run: a pytest plugin (loaded by the root
conftest) that keeps every line the configured log handlers write and, at
the end of the session, fails the run if any line holds a full resident ID
number or mobile phone number.

It wraps the handlers Django's LOGGING installed (not pytest's capture), so
what it checks is exactly what production would write, after the masking
filter (kesu.privacy.MaskingLogFilter)."""

import logging
import re

import pytest

ID_OR_MOBILE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])")
_lines: list[str] = []
_wrapped: list[tuple[logging.Handler, object]] = []


def _wrap(handler: logging.Handler) -> None:
    if getattr(handler, "_kesu_logscan", False):
        return
    handler._kesu_logscan = True  # type: ignore[attr-defined]
    original = handler.emit

    def emit(record):
        if handler.filter(record):
            try:
                _lines.append(handler.format(record))
            except Exception:  # a broken record is the logger's problem, not ours
                pass
        original(record)

    handler.emit = emit
    _wrapped.append((handler, original))


def written_lines() -> list[str]:
    return list(_lines)


def leaks(lines: list[str]) -> list[str]:
    return [line for line in lines if ID_OR_MOBILE.search(line)]


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    import django

    django.setup()  # LOGGING is configured now
    _wrap_configured_handlers()


def _wrap_configured_handlers() -> None:
    """Idempotent; re-run before every test because a test may configure
    logging again (new handler objects)."""
    for handler in logging.getLogger().handlers:
        if not type(handler).__module__.startswith("_pytest"):
            _wrap(handler)


def pytest_sessionfinish(session, exitstatus):
    found = leaks(_lines)
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"C5: {len(found)} log lines hold a full ID or phone number, e.g.:",
                red=True,
            )
            for line in found[:5]:
                reporter.write_line("  " + line[:200], red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _kesu_test_speed_and_isolation(settings):
    """For every test: a fast password hasher (argon2 costs ~0.2 s per user
    created; production keeps argon2 first, see test_login_security) and fresh
    rate-limit counters, so one test's requests never throttle another's."""
    from django.core.cache import caches

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caches["ratelimit"].clear()
    _wrap_configured_handlers()
