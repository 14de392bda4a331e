"""Pictures for the Word writer: inline SVG drawings lifted out of the HTML and drawn to PNG.

An HTML parser lowercases SVG's attribute names (``viewBox``), so the drawings are taken
out of the page as their original text first and drawn from that with CairoSVG, whose
safe mode reads ``data:`` URIs only: no files, no network, no entities. PNG is what every
Word version shows (an SVG picture needs Word 2016 or later).
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from html import unescape

from lxml import etree

SVG_OPEN = re.compile(r"<svg\b", re.I)
SVG_TAG = re.compile(r"<(/?)svg\b[^>]*?(/?)>", re.I)
LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|in|cm|mm|pc)?\s*$", re.I)
PX_PER = {"px": 1.0, "pt": 96 / 72, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "pc": 16.0,
          None: 1.0}
PLACEHOLDER = "data-pk-svg"
"""The attribute of the ``<img>`` that stands where a lifted drawing was."""
PICTURES = ("image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp")


def lift_svgs(html: str) -> tuple[str, list[str]]:
    """Take each top-level inline ``<svg>`` out of the HTML, leaving ``<img data-pk-svg=N>``.

    The placeholder carries the drawing's text alternative (aria-label, <title> or
    <desc>) as its ``alt``.
    """
    if not SVG_OPEN.search(html):
        return html, []
    pieces: list[str] = []
    svgs: list[str] = []
    depth = start = cursor = 0
    for match in SVG_TAG.finditer(html):
        closing, self_closing = match.group(1), match.group(2)
        if not closing and not self_closing:
            start = match.start() if depth == 0 else start
            depth += 1
        elif closing and depth:
            depth -= 1
            if depth == 0:
                svg = html[start:match.end()]
                label = _escape_attr(svg_label(svg))
                pieces += [html[cursor:start], f'<img {PLACEHOLDER}="{len(svgs)}" alt="{label}">']
                svgs.append(svg)
                cursor = match.end()
        elif self_closing and depth == 0:
            pieces.append(html[cursor:match.start()])
            cursor = match.end()
    pieces.append(html[cursor:])
    return "".join(pieces), svgs


def _escape_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def svg_label(svg: str) -> str:
    """The drawing's text alternative: aria-label, then <title>, then <desc>."""
    head = svg[: svg.find(">") + 1]
    label = re.search(r'aria-label\s*=\s*"([^"]*)"', head)
    if label:
        return unescape(label.group(1))
    for tag in ("title", "desc"):
        found = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", svg, re.S | re.I)
        if found and found.group(1).strip():
            return unescape(re.sub(r"<[^>]+>", "", found.group(1)).strip())
    return "drawing"


def svg_png(svg: str) -> tuple[bytes | None, float | None]:
    """Draw an SVG to PNG at twice its size; its width in CSS pixels comes back with it.

    ``(None, None)`` when CairoSVG is missing or cannot read the drawing.
    """
    try:
        import cairosvg
    except (ImportError, OSError):
        return None, None
    try:
        png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2.0, unsafe=False)
    except Exception:  # noqa: BLE001 - a drawing CairoSVG cannot read stands as its text
        return None, None
    return png, svg_width(svg)


def svg_width(svg: str) -> float | None:
    """The drawing's width in CSS pixels, from ``width`` or else the ``viewBox``."""
    try:
        root = etree.fromstring(svg.encode("utf-8"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    width = css_pixels(root.get("width"))
    if width:
        return width
    box = (root.get("viewBox") or "").split()
    try:
        return float(box[2]) if len(box) == 4 else None
    except ValueError:
        return None


def css_pixels(value: str | None) -> float | None:
    """A length (``300``, ``12pt``, ``5cm``) in CSS pixels (96 to the inch), or None."""
    match = LENGTH.match(value or "")
    if not match:
        return None
    unit = match.group(2).lower() if match.group(2) else None
    return float(match.group(1)) * PX_PER[unit]


def picture(src: str) -> tuple[bytes | None, str | None, float | None]:
    """A ``data:`` URI's picture as (bytes, MIME type, width): SVG is drawn to PNG.

    Anything else (a web address, a file) gives ``(None, None, None)``: a report's Word
    file never fetches from the network or reads the disk.
    """
    if not src.startswith("data:") or "," not in src:
        return None, None, None
    head, payload = src[5:].split(",", 1)
    parts = [p.strip().lower() for p in head.split(";")]
    try:
        data = (base64.b64decode(payload) if "base64" in parts
                else urllib.parse.unquote_to_bytes(payload))
    except ValueError:
        return None, None, None
    if parts[0] == "image/svg+xml":
        png, width = svg_png(data.decode("utf-8", errors="replace"))
        return png, "image/png" if png else None, width
    if parts[0] in PICTURES:
        return data, parts[0], None
    return None, None, None
