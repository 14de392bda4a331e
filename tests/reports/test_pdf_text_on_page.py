"""Reports never drop text: long addresses, links and words print whole, inside the margins.

Every report :data:`~tests.reports.test_libreoffice.REPORTS` builds is made from the demo
data after every free-text field of every stored record (and the free-text columns of the
demo's pupils file) has been filled with a long e-mail address, a long link and a long
unbroken word: 5,000 characters in the first record of each kind and in the first row of
each of its lists, 200 elsewhere (the whole module takes about 35 s of processor time).
Each report is printed to PDF once; the reflective logs are those of a practitioner
with entries. The text and position of every run of text on every page are read from the
PDF's content (pypdf's operator visitor, the font's widths and character map): every
character of every injected value the report shows must be printed, in order, and every
run must lie inside the page's margins (the page numbers in the footer apart).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import typing
from dataclasses import dataclass

import pytest
from lxml import html as lxml_html
from pydantic import BaseModel, ValidationError
from pypdf import PdfReader
from pypdf.generic._font import Font

from partnerkit import reports
from partnerkit.demo import DEMO_WORKSPACE, create_demo
from partnerkit.records import RECORD_TYPES
from partnerkit.reflective_log import log_html
from partnerkit.reports.marks import read_marks
from partnerkit.reports.pdf import MARGINS_MM, shorten_mark
from partnerkit.store import open_store
from tests.reports.documents import LONG_LINE, squeeze
from tests.reports.test_libreoffice import REPORTS as LIBREOFFICE_REPORTS

EMAIL = "firstname.middlename.lastname.department@eastfield-community-learning.example.org"
LINK = ("https://www.example.org/services/family-learning/referrals?pupil=P-1001"
        "&form=long-form-name&session=autumn-term")
LONG_WORD, SHORT_WORD = LONG_LINE, LONG_LINE[:200]
RENAMED_KINDS = {"directory_entry"}  # its key is its name: filed again under the new one
CHOSEN = {"request_for_assistance": {"partner_service": "other"}}  # so the typed name shows
WS = DEMO_WORKSPACE
MM = 72 / 25.4
TOLERANCE = 0.5  # points
TAG = re.compile(r"inj\d{4} ")
HEADINGS_MAX = 400  # characters a page may print in a column before a value goes on
FOOTER = re.compile(r"Page \d+ of \d+")


def _log_writer(store) -> str:
    """A practitioner with reflective-log entries (the demo's own author has none)."""
    return store.list(DEMO_WORKSPACE, "log_entry")[0].data["practitioner"]


REPORTS = (*((name, build) for name, build in LIBREOFFICE_REPORTS
             if name not in ("reflective_log", "collaborative_working")),
           ("reflective_log", lambda store, data: log_html(store, WS, _log_writer(store))),
           ("collaborative_working", lambda store, data: log_html(
               store, WS, _log_writer(store), show_history=True)))


class Values:
    """Distinct long values, each opening with a tag (``inj0007``) that names it."""

    def __init__(self) -> None:
        self.made: list[str] = []
        self._numbers = itertools.count()

    def next(self, word: str, limit: int | None) -> str:
        """A new value: tag, e-mail address, link and ``word``, cut to ``limit``."""
        value = f"inj{next(self._numbers):04d} {EMAIL} {LINK} {word}"[:limit].strip()
        self.made.append(value)
        return value


def _max_length(info: typing.Any) -> int | None:
    return next((m.max_length for m in info.metadata if getattr(m, "max_length", None)), None)


def _filled(model: type[BaseModel], data: dict, values: Values, word: str) -> dict:
    """``data`` with every plain text field (and list of text, and nested rows) long."""
    out = dict(data)
    for name, info in model.model_fields.items():
        kind, args = typing.get_origin(info.annotation), typing.get_args(info.annotation)
        if info.annotation is str:
            out[name] = values.next(word, _max_length(info))
        elif kind is list and args == (str,):
            out[name] = [values.next(word, None)]
        elif kind is list and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
            out[name] = [_filled(args[0], row, values, word if i == 0 else SHORT_WORD)
                         for i, row in enumerate(data.get(name) or [])]
    return out


def _key_fields(record_type: type[BaseModel], data: dict) -> set[str]:
    """The fields that make the record's key (changing them files it elsewhere)."""
    key = record_type.model_validate(data).record_key()
    changed = set()
    for name, info in record_type.model_fields.items():
        if info.annotation is str and data.get(name):
            probe = {**data, name: data[name] + "x"}
            try:
                if record_type.model_validate(probe).record_key() != key:
                    changed.add(name)
            except ValidationError:
                changed.add(name)
    return changed


def _valid(record_type: type[BaseModel], new: dict, old: dict) -> BaseModel:
    """The filled record, with the original value kept where a field refuses the long one."""
    for _ in range(len(new) + 1):
        try:
            return record_type.model_validate(new)
        except ValidationError as exc:
            fields = {error["loc"][0] for error in exc.errors() if error["loc"]}
            if not fields:
                raise
            new.update({name: old.get(name) for name in fields})
    raise AssertionError(f"{record_type.kind} cannot be filled")


def inject_store(store, workspace: str, values: Values, author: str) -> None:
    """Fill every free-text field of every record of the workspace with long values."""
    for kind, record_type in sorted(RECORD_TYPES.items()):
        for index, stored in enumerate(store.list(workspace, kind)):
            old = stored.data
            keys = set() if kind in RENAMED_KINDS else _key_fields(record_type, old)
            new = _filled(record_type, old, values, LONG_WORD if index == 0 else SHORT_WORD)
            new.update(CHOSEN.get(kind, {}))
            new.update({name: old[name] for name in keys if name in old})
            record = _valid(record_type, new, old)
            if record.record_key() != stored.key:
                store.delete(workspace, kind, stored.key, author)
            store.save(workspace, kind, record.record_key(), record.model_dump(mode="json"),
                       stored.author or author)


def inject_pupils_file(path, values: Values) -> None:
    """Give groups of six pupils a long class and a long ethnicity (shown as groups)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for column, first, word in (("Class", 0, LONG_WORD), ("Ethnicity", 6, SHORT_WORD),
                                ("Ethnicity", 12, LONG_WORD[:1000])):
        value = values.next(word, None)
        for row in rows[first:first + 6]:
            row[column] = value
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@dataclass
class Run:
    """One text-showing operation on a page: where it starts and ends, and its text."""

    page: int
    x0: float
    x1: float
    y: float
    text: str


def _apply(matrix: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _times(m: list[float], n: list[float]) -> list[float]:
    """The matrix product ``m × n`` of two PDF matrices (``m`` applied first)."""
    a, b, c, d, e, f = m
    return [a * n[0] + b * n[2], a * n[1] + b * n[3], c * n[0] + d * n[2],
            c * n[1] + d * n[3], e * n[0] + f * n[2] + n[4], e * n[1] + f * n[3] + n[5]]


def _codes(item: typing.Any, font: Font) -> str:
    data = item.get_original_bytes() if hasattr(item, "get_original_bytes") else bytes(item)
    if isinstance(font.encoding, str):
        return data.decode(font.encoding, "surrogatepass")
    return "".join(chr(byte) for byte in data)


def page_runs(data: bytes) -> tuple[list[Run], list[tuple[float, float]]]:
    """Every text run of the PDF with its position, and each page's size (points)."""
    reader, runs, sizes = PdfReader(io.BytesIO(data)), [], []
    for number, page in enumerate(reader.pages):
        fonts = page["/Resources"].get_object().get("/Font", {})
        loaded: dict[str, Font] = {}
        state = {"font": None, "size": 0.0}

        def visit(op, args, cm, tm, number=number, fonts=fonts, loaded=loaded, state=state):
            if op == b"Tf":
                name = str(args[0])
                if name not in loaded:
                    loaded[name] = Font.from_font_resource(fonts[name].get_object())
                state.update(font=loaded[name], size=float(args[1]))
            elif op in (b"TJ", b"Tj") and state["font"] is not None:
                runs.append(_run(number, args[0], state["font"], state["size"], _times(tm, cm)))

        page.extract_text(visitor_operand_before=visit)
        sizes.append((float(page.mediabox.width), float(page.mediabox.height)))
    return runs, sizes


def _run(number: int, shown: typing.Any, font: Font, size: float, matrix: list[float]) -> Run:
    items = shown if isinstance(shown, list) else [shown]
    advance, text = 0.0, []
    default = font.character_widths.get("default", 1000)
    for item in items:
        if isinstance(item, (int, float)):
            advance -= float(item) / 1000 * size
            continue
        for code in _codes(item, font):
            advance += font.character_widths.get(code, default) / 1000 * size
            text.append(str(font.character_map.get(code, code)))
    (x0, y), (x1, _) = _apply(matrix, 0, 0), _apply(matrix, advance, 0)
    return Run(number, min(x0, x1), max(x0, x1), y, "".join(text))


def body_runs(runs: list[Run], sizes: list[tuple[float, float]]) -> list[Run]:
    """The runs between each page's top and bottom margins: not its header and footer."""
    top, _, bottom, _ = (m * MM - TOLERANCE for m in MARGINS_MM)
    return [r for r in runs if bottom <= r.y <= sizes[r.page][1] - top]


def outside_margins(runs: list[Run], sizes: list[tuple[float, float]],
                    marks: frozenset[str] = frozenset()) -> list[str]:
    """The runs not wholly inside their page's margins, but for the page marks.

    The footer's page numbers and the ``marks`` (reference, marking, date) may stand in
    the top or bottom margin, between the left and right ones.
    """
    top, right, bottom, left = (m * MM - TOLERANCE for m in MARGINS_MM)
    found = []
    for run in runs:
        width, height = sizes[run.page]
        in_margin = (run.y < bottom or run.y > height - top) and left <= run.x0 \
            and run.x1 <= width - right
        if in_margin and (FOOTER.fullmatch(run.text.strip()) or run.text.strip() in marks):
            continue
        if not (left <= run.x0 and run.x1 <= width - right and bottom <= run.y <= height - top):
            found.append(f"page {run.page + 1} x {run.x0:.0f}-{run.x1:.0f} (width {width:.0f}) "
                         f"y {run.y:.0f}: {run.text[:40]!r}")
    return found


def columns(runs: list[Run]) -> list[list[str]]:
    """The printed text read column by column, as each page holds it (whitespace removed).

    A column is every line that starts at the same x, in order; a table cell's lines all
    start at its left edge, page after page, so a value that wraps reads whole in one
    column, between the lines of the row's other cells. Runs that continue a line (same
    baseline, starting where it ended) join it.
    """
    found: dict[int, dict[int, list[str]]] = {}
    line: Run | None = None
    for run in runs:
        if line and run.page == line.page and abs(run.y - line.y) < 0.5 \
                and abs(run.x0 - line.x1) < 1.5:
            line.x1 = run.x1
            found[round(line.x0)][line.page][-1] += run.text
            continue
        line = Run(run.page, run.x0, run.x1, run.y, run.text)
        found.setdefault(round(run.x0), {}).setdefault(run.page, []).append(run.text)
    return [[squeeze("".join(lines)) for lines in pages.values()] for pages in found.values()]


def printed_whole(value: str, read: list[list[str]]) -> bool:
    """Whether ``value`` is printed whole in one column: on one page, or going on over
    pages where the next page's part of the column may open with other text first (the
    table's headings, repeated on each page)."""
    wanted = squeeze(value)
    for pages in read:
        for first, text in enumerate(pages):
            if wanted in text:
                return True
            for start in _starts(text, wanted):
                if _goes_on(wanted[len(text) - start:], pages[first + 1:]):
                    return True
    return False


def _starts(text: str, wanted: str) -> list[int]:
    """Where ``text`` ends with a beginning of ``wanted`` (at least its tag)."""
    head, found, at = wanted[:12], [], text.find(wanted[:12])
    while at >= 0:
        if wanted.startswith(text[at:]):
            found.append(at)
        at = text.find(head, at + 1)
    return found


def _goes_on(rest: str, pages: list[str]) -> bool:
    for text in pages:
        if not rest:
            return True
        end = next((i for i in range(min(len(text), HEADINGS_MAX))
                    if rest.startswith(text[i:]) or text.startswith(rest, i)), None)
        if end is None:
            return False
        if text.startswith(rest, end):
            return True
        rest = rest[len(text) - end:]
    return not rest


def shown_values(page: str, values: list[str]) -> list[str]:
    """The injected values the report's HTML shows (outside drawings)."""
    tree = lxml_html.document_fromstring(page)
    for unseen in tree.xpath("//style | //script | //title | //svg"):
        unseen.drop_tree()
    text = squeeze(tree.find("body").text_content())
    return [v for v in values if squeeze(v) in text]


def tables_without_values(page: str) -> list[str]:
    """The tables showing typed text (a filled ``user-text`` cell) that no long value reached."""
    tree = lxml_html.document_fromstring(page)
    missing = []
    for number, table in enumerate(tree.iter("table"), 1):
        typed = [c for c in table.xpath(".//*[contains(@class, 'user-text')]")
                 if c.text_content().strip()]
        if typed and not TAG.search(table.text_content()):
            missing.append(f"table {number}: {typed[0].text_content().strip()[:40]}")
    return missing


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each report built from the filled demo: its HTML, the values, and its PDF's runs."""
    data = tmp_path_factory.mktemp("demo")
    create_demo(data=data)
    values = Values()
    store = open_store(data)
    try:
        inject_store(store, DEMO_WORKSPACE, values, "Injector")
        inject_pupils_file(data / DEMO_WORKSPACE / "pupils.csv", values)
        result = {}
        for name, build in REPORTS:
            page = build(store, data)
            result[name] = (page, values.made, *page_runs(reports.html_to_pdf(page)))
        return result
    finally:
        store.close()


@pytest.mark.parametrize("name", [name for name, _ in REPORTS])
def test_every_character_of_long_text_is_printed_inside_the_margins(printed, name):
    page, values, runs, sizes = printed[name]
    shown = shown_values(page, values)
    assert any(len(v) > 4000 for v in shown), f"the {name} report shows no 5,000-character word"
    assert tables_without_values(page) == []
    read = columns(body_runs(runs, sizes))
    assert [v[:40] for v in shown if not printed_whole(v, read)] == []
    assert outside_margins(runs, sizes, mark_texts(page)) == []


def mark_texts(page: str) -> frozenset[str]:
    """What a report's pages print in their margins, besides the page numbers."""
    marks = read_marks(page)
    assert marks is not None, "the report has no page marks"
    return frozenset((shorten_mark(marks.reference), marks.marking,
                      f"Produced {marks.produced}"))


def test_text_beyond_the_right_margin_is_found():
    """The check itself: a line too wide for its page, and one off the page, are named."""
    page = ("<html><body><p style='white-space: nowrap'>" + "wide " * 60 + "</p>"
            "<p style='position: absolute; left: 250mm'>gone</p></body></html>")
    runs, sizes = page_runs(reports.html_to_pdf(page))
    found = outside_margins(runs, sizes)
    assert any("'wide wide" in line for line in found) and any("'gone'" in line for line in found)
    assert printed_whole("wide wide", columns(runs)) and printed_whole("gone", columns(runs))
