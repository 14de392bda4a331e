"""The one heading matcher: which column of a CSV or XLSX file holds which field.

Files name their columns in their own way ("Pupil Ref", "SCN", "What it offers"). A
:class:`HeadingMatcher` knows a domain's fields, their names in plain words and the
headings commonly used for them (synonyms). Each field is matched in this order: a
mapping the user gave, the field's own name, then its synonyms. Headings are compared
ignoring case, spaces and punctuation, and a heading is used for one field only.

When a required field has no column, the error names the file, the heading row, the
field and the headings found, says which unused heading was probably meant, and how to
fix it. A ``strict`` matcher (the partner directory) also refuses a field given twice and
a heading that is a near miss for a field ("Organsation"), instead of ignoring them.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from partnerkit.errors import InputFileError
from partnerkit.tables.out import unquote

#: How close an unknown heading must be to a field's name to be called a near miss.
NEAR_MISS = 0.75
#: How close an unused heading must be to be suggested for a missing field.
SUGGEST = 0.6


def normalise_heading(text: object) -> str:
    """Lower-case a heading and drop everything but letters and digits."""
    return re.sub(r"[^0-9a-z]", "", str(text or "").replace("\ufeff", "").lower())


@dataclass(frozen=True)
class ColumnMatch:
    """Where a field was found: the heading, its position and how it was matched.

    ``how`` is ``"mapped by you"``, ``"same name"``, ``"recognised heading"`` or
    ``"not found"`` (then ``heading`` and ``index`` are ``None``).
    """

    field: str
    heading: str | None
    index: int | None
    how: str
    required: bool


@dataclass(frozen=True)
class HeadingMatcher:
    """A domain's fields and how their headings may be written.

    ``labels`` maps every field to its name in plain words (for messages); ``synonyms``
    maps a field to other headings used for it (written any way: they are normalised);
    ``kind`` is what a column is called in messages ("directory column");
    ``fix_missing`` says how to fix a missing column (``{field}`` is replaced by the
    field's name, ``{names}`` by some of its other accepted headings).
    """

    labels: Mapping[str, str]
    synonyms: Mapping[str, Sequence[str]] = field(default_factory=dict)
    strict: bool = False
    kind: str = "column"
    fix_missing: str = "rename the heading so it names the {field} column"

    def names(self, name: str) -> tuple[str, ...]:
        """Every normalised heading that names field ``name``, its own name first."""
        return (normalise_heading(name),
                *(normalise_heading(s) for s in self.synonyms.get(name, ())))

    def examples(self, name: str, count: int = 4) -> str:
        """Some other headings accepted for field ``name``, for messages: ``"SCN, Ref, …"``."""
        known = list(self.synonyms.get(name, ()))
        return ", ".join(known[:count]) + (", …" if len(known) > count else "")

    def _fix_missing(self, name: str) -> str:
        return self.fix_missing.format(field=name, names=self.examples(name))

    def read_mapping(self, columns: Mapping[str, object] | str | Path | None
                     ) -> dict[str, list[str]]:
        """Turn a user's mapping (a dict, or a CSV/YAML file) into ``{field: [headings]}``.

        A mapping is ``{field: heading}`` (a heading may be a list, any of which will do),
        the reverse ``{heading: field}``, a CSV with columns ``field,heading`` or a YAML
        mapping. Raises :class:`InputFileError` naming the file, row and value for an
        entry that names no known field.
        """
        if columns is None:
            return {}
        source, pairs = _mapping_pairs(columns)
        result: dict[str, list[str]] = {}
        for key, value, row in pairs:
            headings = [value] if isinstance(value, str) else list(value or [])
            if key in self.labels:
                name, found = key, [str(h) for h in headings]
            elif len(headings) == 1 and str(headings[0]) in self.labels:
                name, found = str(headings[0]), [key]
            else:
                raise InputFileError(f"mapping entry {key!r} names no partnerkit field",
                                     file=source, row=row, column="field", value=key,
                                     fix="use one of: " + ", ".join(self.labels))
            result.setdefault(name, []).extend(found)
        return result

    def match(self, headings: Sequence[str], fields: Sequence[str], required: Sequence[str],
              mapping: Mapping[str, list[str]]) -> list[ColumnMatch]:
        """Match ``fields`` to ``headings``: one :class:`ColumnMatch` per field, in order.

        The user's mapping wins over names and synonyms, and a field the user mapped to a
        heading that is not there is not found (rather than guessed).
        """
        norm = [normalise_heading(h) for h in headings]
        found: dict[str, tuple[int, str]] = {}
        for name in fields:
            for heading in mapping.get(name, []):
                index = _find(norm, headings, heading, found)
                if index is not None:
                    found[name] = (index, "mapped by you")
                    break
        asked = {f for f in fields if mapping.get(f)}
        for rank, how in ((0, "same name"), (1, "recognised heading")):
            for name in fields:
                if name in found or name in asked:
                    continue
                candidates = self.names(name)[:1] if rank == 0 else self.names(name)[1:]
                index = next((norm.index(c) for c in candidates if c in norm
                              and norm.index(c) not in _used(found)), None)
                if index is not None:
                    found[name] = (index, how)
        return [ColumnMatch(f, headings[found[f][0]], found[f][0], found[f][1], f in required)
                if f in found else ColumnMatch(f, None, None, "not found", f in required)
                for f in fields]

    def suggest(self, heading: str, among: Sequence[str], cutoff: float = NEAR_MISS
                ) -> str | None:
        """The field of ``among`` that ``heading`` most likely means, or ``None``."""
        aliases = {alias: name for name in among for alias in self.names(name)}
        close = difflib.get_close_matches(normalise_heading(heading), list(aliases), n=1,
                                          cutoff=cutoff)
        return aliases[close[0]] if close else None

    def problems(self, matches: Sequence[ColumnMatch], headings: Sequence[str], file: str,
                 mapping: Mapping[str, list[str]], header_row: int = 1
                 ) -> list[InputFileError]:
        """Every problem with a heading row, in order: fields twice, near misses, missing.

        Only a ``strict`` matcher reports fields given twice and near misses.
        """
        problems: list[InputFileError] = []
        misspelt: set[str] = set()
        if self.strict:
            problems += self._repeats(matches, headings, file, header_row)
            for index, name in self._near_misses(matches, headings):
                misspelt.add(name)
                problems.append(InputFileError(
                    f"heading {headings[index]!r} is not a {self.kind}; did you mean "
                    f"{name!r}?", file=file, row=header_row, column=headings[index],
                    value=headings[index], fix=f"rename the heading to {name!r}"))
        unused = unused_headings(matches, headings)
        problems += [self.missing_error(m, headings, file, mapping, header_row, unused)
                     for m in matches if m.required and m.index is None
                     and m.field not in misspelt]
        return problems

    def missing_error(self, match: ColumnMatch, headings: Sequence[str], file: str,
                      mapping: Mapping[str, list[str]], header_row: int = 1,
                      unused: Sequence[str] = ()) -> InputFileError:
        """The error for a required field with no column: what was found, how to map it."""
        label = self.labels.get(match.field, match.field)
        shown = ", ".join(repr(h) for h in headings if str(h).strip()) or "no headings"
        asked = mapping.get(match.field)
        if asked:
            return InputFileError(
                f"the column {asked[0]!r} you mapped to {label} ({match.field!r}) is not in "
                f"the file; found: {shown}", file=file, row=header_row, column=match.field,
                value=asked[0], fix=self._fix_missing(match.field))
        meant = self._meant(match.field, unused)
        hint = f" (is {meant!r} meant to be {match.field!r}? rename it to " \
               f"{match.field!r})" if meant else ""
        return InputFileError(f"the column {match.field!r} is missing{hint}: no heading for "
                              f"{label}; found: {shown}", file=file, row=header_row,
                              column=match.field, value=shown,
                              fix=self._fix_missing(match.field))

    def _meant(self, name: str, unused: Sequence[str]) -> str | None:
        """The unused heading probably meant for a missing field, if any."""
        own = normalise_heading(name)
        for heading in unused:
            key = normalise_heading(heading)
            if own in key or difflib.get_close_matches(key, list(self.names(name)), n=1,
                                                       cutoff=SUGGEST):
                return heading
        return None

    def _repeats(self, matches: Sequence[ColumnMatch], headings: Sequence[str], file: str,
                 header_row: int) -> list[InputFileError]:
        used = {m.index for m in matches if m.index is not None}
        out = []
        for m in matches:
            if m.index is None:
                continue
            for index, heading in enumerate(headings):
                if index not in used and normalise_heading(heading) in self.names(m.field):
                    used.add(index)
                    out.append(InputFileError(
                        f"the column {m.field!r} appears twice", file=file, row=header_row,
                        column=str(heading), value=str(heading),
                        fix="keep one of the two columns"))
        return out

    def _near_misses(self, matches: Sequence[ColumnMatch], headings: Sequence[str]
                     ) -> list[tuple[int, str]]:
        missing = [m.field for m in matches if m.index is None]
        used = {m.index for m in matches if m.index is not None}
        out: list[tuple[int, str]] = []
        for index, heading in enumerate(headings):
            if index in used or not normalise_heading(heading):
                continue
            name = self.suggest(heading, [f for f in missing if f not in dict(out).values()])
            if name is not None and not self._is_other_field(heading, matches):
                out.append((index, name))
        return out

    def _is_other_field(self, heading: str, matches: Sequence[ColumnMatch]) -> bool:
        key = normalise_heading(heading)
        return any(key in self.names(m.field) for m in matches if m.index is not None)


def unused_headings(matches: Sequence[ColumnMatch], headings: Sequence[str]) -> list[str]:
    """The non-empty headings no field was matched to, in file order."""
    used = {m.index for m in matches if m.index is not None}
    return [str(h) for i, h in enumerate(headings) if i not in used and str(h).strip()]


def raise_problems(problems: Sequence[InputFileError], file: str, note: str = "") -> None:
    """Raise one :class:`InputFileError`: the first problem, with every one in ``problems``."""
    first = problems[0]
    more = len(problems) - 1
    message = first.message + note
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''} listed below)"
    raise InputFileError(message, file=file, row=first.row, column=first.column,
                         value=first.value, fix=first.fix, problems=list(problems))


def _used(found: Mapping[str, tuple[int, str]]) -> set[int]:
    return {index for index, _ in found.values()}


def _find(norm: list[str], headings: Sequence[str], wanted: str,
          found: Mapping[str, tuple[int, str]]) -> int | None:
    used = _used(found)
    if wanted in headings and list(headings).index(wanted) not in used:
        return list(headings).index(wanted)
    key = normalise_heading(wanted)
    if key in norm and norm.index(key) not in used:
        return norm.index(key)
    return None


def _mapping_pairs(columns: object) -> tuple[str, list[tuple[str, object, int | None]]]:
    """``(source name, [(key, value, row)])`` of a mapping given as a dict or a file."""
    if isinstance(columns, (str, Path)):
        path = Path(columns)
        try:
            # newline="": a line break inside a quoted heading is kept as it was written
            with path.open(encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(f"cannot read the column mapping ({exc})", file=path.name,
                                 value=str(path),
                                 fix="pass a CSV with columns field,heading or a YAML "
                                     "mapping of field: heading") from None
        return path.name, _pairs_from_text(text, path.suffix.lower(), path.name)
    if isinstance(columns, Mapping):
        return "columns", [(str(k), v, None) for k, v in columns.items()]
    raise InputFileError("the column mapping must be a dict or a file path", file="columns",
                         value=repr(columns), fix="pass columns={'pupil': 'Your heading', ...}")


def _pairs_from_text(text: str, suffix: str, source: str) -> list[tuple[str, object, int | None]]:
    if suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise InputFileError(f"the column mapping is not valid YAML ({exc})", file=source,
                                 fix="write one 'field: heading' per line") from None
        if not isinstance(data, dict):
            raise InputFileError("the column mapping must be a YAML mapping", file=source,
                                 value=str(data)[:80], fix="write one 'field: heading' per line")
        return [(str(k), v, None) for k, v in data.items()]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [normalise_heading(c) for c in rows[0][:2]] != ["field", "heading"]:
        raise InputFileError("the column mapping CSV must start with the headings field,heading",
                             file=source, row=1, value=",".join(rows[0]) if rows else "",
                             fix="write 'field,heading' on the first line")
    # a heading written by partnerkit carries the spreadsheet guard (see tables.out)
    return [(r[0].strip(), unquote(r[1].strip()), number)
            for number, r in enumerate(rows[1:], start=2) if len(r) >= 2 and r[0].strip()]
