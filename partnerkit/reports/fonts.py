"""Fonts for every script: Latin and Polish, Chinese, Japanese, Korean, Arabic, Urdu, Hebrew.

One place says which fonts partnerkit prints and draws with:

- :data:`CSS_FONT_STACK` is the print and page font stack. WeasyPrint (through Pango and
  fontconfig) takes each character from the first font in the stack that has it, so the
  Noto families named here are used for the scripts the first fonts lack.
- :func:`use_chart_fonts` sets matplotlib's ``font.family`` to a list of families.
  matplotlib (3.6 and later) takes each glyph from the first family in the list that has
  it; with one family it draws an empty box for every character that family lacks.
- matplotlib 3.11 and later join Arabic letters and order right-to-left text (libraqm);
  :func:`isolate` keeps a typed name from turning a whole label right to left. With an
  older matplotlib, :func:`chart_text` gives the letters their joined forms
  (arabic-reshaper) and puts each line in the order it is seen (python-bidi), when those
  optional packages are installed; without them such text is drawn unjoined.

The Noto fonts are Debian's ``fonts-noto-core`` and ``fonts-noto-cjk`` (see the README).
A family that is not installed is left out (and :func:`missing_chart_families` names it).
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path

CHART_FAMILIES: tuple[str, ...] = (
    "DejaVu Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans CJK SC")
"""matplotlib's families, in order: DejaVu Sans (matplotlib's own; Latin with Polish,
Greek, Cyrillic, most Arabic and Hebrew), then Noto for the letters it lacks (Urdu's
extra letters, Hebrew, and Chinese, Japanese and Korean in one font)."""

FONT_FILES: dict[str, str] = {
    "Noto Sans Arabic": "NotoSansArabic-",
    "Noto Sans Hebrew": "NotoSansHebrew-",
    "Noto Sans CJK SC": "NotoSansCJK-",
}
"""How each Noto family's files begin, to find them when matplotlib's font list is older
than the fonts (matplotlib keeps its list in a cache made the first time it ran)."""

CSS_FONT_STACK = ('"Segoe UI", Arial, "Liberation Sans", "Noto Sans Arabic", "Noto Sans Hebrew", '
                  '"Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", "DejaVu Sans", '
                  'sans-serif')
"""The font stack of every page and report (``templates/base.html.j2`` and the served
pages say it word for word): the usual fonts first (Arial is Liberation Sans on Linux),
then Noto for Arabic with Urdu's letters, Hebrew, and Chinese, Japanese and Korean, before
DejaVu Sans (whose Arabic lacks Urdu's letters: a word must not change font half way,
or its letters stop joining). The emoji font is not named: named, it is taken for digits
too ("2 0 2 6"); fontconfig still finds it for emoji."""

RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
"""Hebrew, Arabic (with Urdu's letters) and their presentation forms."""
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Invisible marks that steer the order of right-to-left text; never drawn in a chart."""


def _known() -> set[str]:
    from matplotlib import font_manager

    return {entry.name for entry in font_manager.fontManager.ttflist}


def _add_installed(families: list[str]) -> None:
    """Add to matplotlib's font list the installed files of ``families`` it does not know."""
    from matplotlib import font_manager

    prefixes = tuple(FONT_FILES[f] for f in families if f in FONT_FILES)
    if not prefixes:
        return
    for path in font_manager.findSystemFonts():
        name = Path(path).name
        if name.startswith(prefixes) and ("Regular" in name or "Bold" in name):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # an unreadable font file is left out, as matplotlib does
    _remember_fonts()


def _remember_fonts() -> None:
    """Write matplotlib's font list back to its cache, so the next process knows the fonts.

    Without it every kernel would look for the Noto files again (tens of milliseconds
    a page). A cache that cannot be written is left as it is.
    """
    import matplotlib
    from matplotlib import font_manager

    version = font_manager.FontManager.__version__
    cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{version}.json"
    try:
        font_manager.json_dump(font_manager.fontManager, cache)
    except OSError:
        pass


@lru_cache(maxsize=1)
def chart_families() -> tuple[str, ...]:
    """The families of :data:`CHART_FAMILIES` that are installed, in order."""
    known = _known()
    missing = [f for f in CHART_FAMILIES if f not in known]
    if missing:
        _add_installed(missing)
        known = _known()
    return tuple(f for f in CHART_FAMILIES if f in known)


def missing_chart_families() -> tuple[str, ...]:
    """The families of :data:`CHART_FAMILIES` that are not installed (empty when all are)."""
    found = chart_families()
    return tuple(f for f in CHART_FAMILIES if f not in found)


SCRIPTS = {
    "Noto Sans Arabic": re.compile("[\u0600-\u06ff\u0750-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"),
    "Noto Sans Hebrew": re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]"),
    "Noto Sans CJK SC": re.compile(
        "[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"),
}
"""The letters each fallback family is there for (Urdu's and Arabic's, Hebrew's, CJK)."""


def use_chart_fonts(*texts: str) -> None:
    """Make matplotlib draw with :func:`chart_families`, each glyph from the first that has it.

    Given the ``texts`` a chart will show, only the families their letters need are
    listed: a fallback family is a large font file that matplotlib opens for every text
    it measures, so a chart in Latin letters only is drawn with DejaVu Sans alone.
    Without texts, every family is listed. Sets ``font.family`` for this process (so
    text measured before drawing is measured in the fonts it is drawn in); safe to call
    often.
    """
    import matplotlib

    families = list(chart_families())
    if texts:
        sample = "".join(texts)
        families = [f for f in families
                    if f not in SCRIPTS or SCRIPTS[f].search(sample)] or families[:1]
    if matplotlib.rcParams["font.family"] != families:
        matplotlib.rcParams["font.family"] = families


@lru_cache(maxsize=1)
def lays_out_text() -> bool:
    """True when matplotlib joins Arabic letters and orders right-to-left text itself.

    matplotlib 3.11 and later lay text out with libraqm (HarfBuzz and FriBidi), as a
    browser does; earlier versions draw each character alone, left to right.
    """
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", None))


@lru_cache(maxsize=1024)
def chart_text(text: str) -> str:
    """Text as matplotlib must be given it to show right-to-left words as they are read.

    With a matplotlib that lays text out itself (:func:`lays_out_text`) the text comes
    back as it is, marks of :func:`isolate` included. Otherwise text without Hebrew or
    Arabic letters comes back without those marks; text with them has, line by line, its
    Arabic letters joined (arabic-reshaper, every vowel mark kept) and is put in the
    order it is seen (python-bidi), when those two optional packages are installed.
    Call it once per label (a second call would turn the line back).
    """
    if lays_out_text():
        return text
    if not RTL.search(text):
        return BIDI_CONTROLS.sub("", text)
    try:
        from arabic_reshaper import ArabicReshaper
        from bidi import get_display
    except ImportError:
        warnings.warn("matplotlib is older than 3.11 and arabic-reshaper and python-bidi "
                      "are not installed: right-to-left text in charts is drawn unjoined, "
                      "left to right", stacklevel=2)
        return BIDI_CONTROLS.sub("", text)
    reshaper = ArabicReshaper(configuration={"delete_harakat": False,
                                             "support_ligatures": True})
    lines = (get_display(reshaper.reshape(line), base_dir="L") for line in text.split("\n"))
    return BIDI_CONTROLS.sub("", "\n".join(lines))


def isolate(value: str) -> str:
    """A typed value to put inside a chart label, kept apart from the words round it.

    Unicode's first-strong-isolate marks go round the value: in a label such as
    "<Urdu name>: 1 Sep 2026" the name then no longer turns the whole label right to
    left (drawn "Sep 2026 1 :<name>"). :func:`chart_text` keeps the marks for a
    matplotlib that lays text out; otherwise it orders the value on its own and removes
    them. A value with no Hebrew or Arabic letter needs no marks and comes back as it is.
    """
    return f"\u2068{value}\u2069" if RTL.search(value) else value


__all__ = ["CHART_FAMILIES", "CSS_FONT_STACK", "chart_families", "chart_text", "isolate",
           "lays_out_text", "missing_chart_families", "use_chart_fonts"]
