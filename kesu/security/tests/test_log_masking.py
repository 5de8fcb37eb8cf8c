"""C5: what the log handlers write never holds a full ID or phone number."""

import logging

from kesu.security.logscan import leaks, written_lines


def test_a_logged_id_and_phone_are_written_masked():
    before = len(written_lines())
    logging.getLogger("kesu.test").warning(
        "complainant %s called from %s", "110101199003071234", "13812341234"
    )
    new = written_lines()[before:]
    assert new, "the log-scan plugin must see the configured handlers' output"
    assert leaks(new) == []
    assert "110***********1234" in new[-1] and "138****1234" in new[-1]


def test_the_scanner_recognises_a_leak():
    assert leaks(["ok 138****1234", "bad 13812341234", "bad 11010119900307123X"]) == [
        "bad 13812341234",
        "bad 11010119900307123X",
    ]
