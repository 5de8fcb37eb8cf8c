"""English is complete: every message of the project has a translation
(Simplified Chinese is the source language)."""

from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "kesu" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries():
    entry: dict = {}
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                yield entry
            entry = {}
        elif line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith(("msgid ", "msgstr", '"')):
            key = line.split(" ", 1)[0] if not line.startswith('"') else entry["last"]
            entry["last"] = key
            entry[key] = entry.get(key, "") + line.split('"', 1)[1].rsplit('"', 1)[0]


def test_every_message_has_an_english_translation():
    missing = [
        e["msgid"]
        for e in _entries()
        if e.get("msgid")
        and (
            not any(v for k, v in e.items() if k.startswith("msgstr"))
            or "fuzzy" in e.get("flags", "")
        )
    ]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"
