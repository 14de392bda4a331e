"""Text every report format can hold: invisible control characters are shown by their code.

A character no document format can hold (a control character other than tab and line
breaks, U+FFFE/U+FFFF, a lone surrogate) is written as its code, U+0007 as ``[U+0007]``,
alike in HTML, Word, PDF and spreadsheets, so what was typed is still shown.
"""

from __future__ import annotations

import re


def _visible_table() -> dict[int, str]:
    codes = [c for c in range(0x20) if c not in (9, 10, 13)]
    codes += [0x7F, *range(0x80, 0xA0), 0xFFFE, 0xFFFF]
    return {code: f"[U+{code:04X}]" for code in codes}


VISIBLE = _visible_table()
SURROGATES = re.compile("[\ud800-\udfff]")


def visible_text(text: str) -> str:
    """Text every format can hold, shown as typed: invisible control characters are named.

    Tab, line feed and carriage return stay as they are. Other control characters
    (C0, DEL, C1), U+FFFE/U+FFFF and lone surrogates, which XML (and so Word) cannot
    store and fonts do not draw, are written as their code, ``[U+0007]``, alike in
    HTML, Word and PDF.
    """
    text = text.translate(VISIBLE)
    if SURROGATES.search(text):
        text = SURROGATES.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    return text
