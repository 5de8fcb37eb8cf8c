"""A font that renders Chinese in PDFs. Fonts are not committed: the set-up
installs Debian's `fonts-wqy-zenhei` (TrueType in a TTC; reportlab embeds a
subset, so every viewer shows the same glyphs). KESU_PDF_FONT may name another
TrueType file. Without any, reportlab's built-in CID font STSong-Light is used:
it is not embedded and relies on the viewer having a CJK font."""

import functools
import logging
import os
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)
FONT_NAME = "KesuCJK"
CANDIDATES = (
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "NotoSansSC-Regular.ttf",
    "SourceHanSansSC-Regular.ttf",
    "simsun.ttc",
    "simhei.ttf",
)
FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts")


def _find_font_file() -> Path | None:
    configured = os.environ.get("KESU_PDF_FONT")
    if configured and Path(configured).is_file():
        return Path(configured)
    for root in FONT_ROOTS:
        if not Path(root).is_dir():
            continue
        for name in CANDIDATES:
            found = next(Path(root).rglob(name), None)
            if found:
                return found
    return None


@functools.cache
def cjk_font() -> str:
    """Register and return the name of a CJK-capable font (once per process)."""
    path = _find_font_file()
    if path is not None:
        try:
            kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **kwargs))
            return FONT_NAME
        except TTFError:  # e.g. a CFF-outline font reportlab cannot embed
            log.warning("cannot embed %s, falling back to STSong-Light", path)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"
