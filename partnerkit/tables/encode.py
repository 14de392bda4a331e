"""Turn a column of raw values into integer codes plus the list of distinct values, fast.

Attendance exports repeat a few values millions of times (codes, sessions, dates, pupil
references). Every check and count works on the distinct values and on integer codes, so
a value is validated once however often it appears.

Most export columns hold values of one width (``20/08/2024``, ``AM``, ``10``, a nine-digit
candidate number). For those, :func:`factorize_fixed` reads each value as one or two
64-bit words straight from the file's bytes, keeps only the byte positions that vary and
groups the resulting integer keys (a lookup table for 1–2 varying bytes; runs for sorted
columns; a hash table otherwise). Anything else goes through pyarrow's dictionary
encoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_MASKS = [np.uint64((1 << (8 * k)) - 1) if k < 8 else np.uint64(0xFFFFFFFFFFFFFFFF)
          for k in range(9)]
#: Bytes after a value that word reads may touch; buffers are padded by this much.
PADDING = 16


@dataclass(frozen=True)
class Encoded:
    """A column as ``codes`` (int64, one per record) into ``uniques`` (raw bytes)."""

    codes: np.ndarray
    uniques: list[bytes]

    def values(self) -> list[bytes]:
        """Every record's raw value."""
        return [self.uniques[c] for c in self.codes.tolist()]

    def take(self, rows: np.ndarray) -> Encoded:
        """The same column for some records only."""
        return Encoded(self.codes[rows], self.uniques)


@dataclass(frozen=True)
class PairEncoded(Encoded):
    """Two neighbouring columns encoded together.

    Each distinct value is the first column's ``width`` bytes, one separator byte, then
    the second column's bytes.
    """

    width: int = 0


def split_pair(pair: PairEncoded) -> tuple[list[bytes], list[bytes], np.ndarray, np.ndarray]:
    """Split a :class:`PairEncoded` column into its two columns' distinct values.

    Returns ``(first values, second values, first index of each pair value, second index
    of each pair value)``.
    """
    firsts: dict[bytes, int] = {}
    seconds: dict[bytes, int] = {}
    first_of = np.empty(len(pair.uniques), dtype=np.int64)
    second_of = np.empty(len(pair.uniques), dtype=np.int64)
    for i, value in enumerate(pair.uniques):
        first_of[i] = firsts.setdefault(value[:pair.width], len(firsts))
        second_of[i] = seconds.setdefault(value[pair.width + 1:], len(seconds))
    return list(firsts), list(seconds), first_of, second_of


@dataclass(frozen=True)
class FixedField:
    """A column of values of one width inside a byte buffer.

    Value ``i`` is ``buf[offset + i*stride : offset + i*stride + width]``; ``buf`` has at
    least :data:`PADDING` bytes after the last value.
    """

    buf: np.ndarray
    offset: int
    width: int
    stride: int
    n: int

    def matrix(self) -> np.ndarray:
        """The values as an (n, width) uint8 view."""
        return np.lib.stride_tricks.as_strided(self.buf[self.offset:], (self.n, self.width),
                                               (self.stride, 1), writeable=False)

    def word(self, at: int) -> np.ndarray:
        """Eight bytes from position ``at`` of every value, as little-endian uint64."""
        return np.ndarray((self.n,), dtype="<u8", buffer=self.buf, offset=self.offset + at,
                          strides=(self.stride,))


def factorize(values: pa.Array | FixedField) -> Encoded:
    """Codes and distinct values of a column (a pyarrow binary array or a FixedField)."""
    if isinstance(values, FixedField):
        return factorize_fixed(values)
    n = len(values)
    if n == 0:
        return Encoded(np.empty(0, dtype=np.int64), [])
    if values.null_count:
        values = pc.fill_null(values, b"")
    starts = _arrow_run_starts(values)
    if starts is not None:
        encoded = pc.dictionary_encode(values.take(pa.array(starts)))
        codes = np.repeat(encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
                          np.diff(np.append(starts, n)))
    else:
        encoded = pc.dictionary_encode(values)
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return Encoded(codes, [v if v is not None else b"" for v in encoded.dictionary.to_pylist()])


def _arrow_run_starts(values: pa.Array) -> np.ndarray | None:
    """Where runs of equal values start, or ``None`` unless values come in long runs."""
    n = len(values)
    head = values.slice(0, 4096)
    if n < 64 or pc.sum(pc.not_equal(head.slice(1), head.slice(0, len(head) - 1))
                        ).as_py() * 8 > len(head):
        return None
    changed = pc.not_equal(values.slice(1), values.slice(0, n - 1))
    starts = np.flatnonzero(changed.to_numpy(zero_copy_only=False))
    if (starts.size + 1) * 4 > n:
        return None
    return np.concatenate([[0], starts + 1])


def factorize_fixed(field: FixedField) -> Encoded:
    """Codes and distinct values of values of one width."""
    n, width = field.n, field.width
    if n == 0:
        return Encoded(np.empty(0, dtype=np.int64), [])
    if width == 0:
        return Encoded(np.zeros(n, dtype=np.int64), [b""])
    if width > 16:
        return _factorize_matrix(field.matrix())
    words = _words(field)
    spans = []
    for j in range(words.shape[1]):
        word = words[:, j]
        changed = int(np.bitwise_or.reduce(word)) ^ int(np.bitwise_and.reduce(word))
        if changed:
            first = ((changed & -changed).bit_length() - 1) // 8
            spans.append((j, first, (changed.bit_length() - 1) // 8 - first + 1))
    first_value = field.matrix()[0].tobytes()
    total = sum(size for _, _, size in spans)
    if total == 0:
        return Encoded(np.zeros(n, dtype=np.int64), [first_value])
    if total > 8:
        return _factorize_matrix(field.matrix())
    starts = _run_starts(words)
    if starts is not None:
        run_codes, keys = _factorize_keys(_key(words[starts], spans), total)
        codes = np.repeat(run_codes, np.diff(np.append(starts, n)))
    else:
        codes, keys = _factorize_keys(_key(words, spans), total)
    places = [(8 * j + first, size) for j, first, size in spans]
    return Encoded(codes, _rebuild(first_value, keys, places))


def _words(field: FixedField) -> np.ndarray:
    """Every value as one or two little-endian uint64 words (n × 1 or n × 2).

    Bytes after the value's width are set to 0.
    """
    count = 1 if field.width <= 8 else 2
    raw = np.ndarray((field.n,), dtype=f"V{8 * count}", buffer=field.buf, offset=field.offset,
                     strides=(field.stride,))
    words = np.empty((field.n, count), dtype="<u8")
    words.view(f"V{8 * count}").ravel()[:] = raw
    words[:, -1] &= _MASKS[field.width - 8 * (count - 1)]
    return words


def _run_starts(words: np.ndarray) -> np.ndarray | None:
    """Where runs of equal values start, or ``None`` unless values come in long runs.

    Long runs are what a column the file is sorted by (pupil references) looks like.
    """
    n = words.shape[0]
    sample = words[:4096]
    if n < 64 or np.count_nonzero((sample[1:] != sample[:-1]).any(axis=1)) * 8 > sample.shape[0]:
        return None
    changed = words[1:, 0] != words[:-1, 0]
    for j in range(1, words.shape[1]):
        changed |= words[1:, j] != words[:-1, j]
    starts = np.flatnonzero(changed)
    if (starts.size + 1) * 4 > n:
        return None
    starts += 1
    return np.concatenate([[0], starts])


def _key(words: np.ndarray, spans: list[tuple[int, int, int]]) -> np.ndarray:
    """Pack the varying bytes of each value into one uint64 key."""
    key = None
    shift = 0
    for j, first, size in spans:
        part = words[:, j] >> np.uint64(8 * first)
        part &= _MASKS[size]
        if shift:
            part <<= np.uint64(shift)
        if key is None:
            key = part
        else:
            key |= part
        shift += 8 * size
    return key


def _rebuild(template: bytes, keys: np.ndarray, places: list[tuple[int, int]]) -> list[bytes]:
    """The distinct values, in key order.

    Each is ``template`` with the bytes of its key put back in ``places`` (start, size).
    """
    width = len(template)
    rows = np.empty((keys.size, width), dtype=np.uint8)
    rows[:] = np.frombuffer(template, dtype=np.uint8)
    raw = np.ascontiguousarray(keys, dtype="<u8").view(np.uint8).reshape(-1, 8)
    column = 0
    for start, size in places:
        rows[:, start:start + size] = raw[:, column:column + size]
        column += size
    if width and not (rows[:, -1] == 0).any():
        return rows.view(f"S{width}").ravel().tolist()
    return [row.tobytes() for row in rows]


def _factorize_keys(keys: np.ndarray, nbytes: int) -> tuple[np.ndarray, np.ndarray]:
    """Group integer keys: (codes int64, distinct keys uint64 in code order)."""
    if nbytes <= 2:
        index = keys.view(np.int64)
        counts = np.bincount(index, minlength=1 << (8 * nbytes))
        present = np.flatnonzero(counts)
        lut = np.full(counts.size, -1, dtype=np.int64)
        lut[present] = np.arange(present.size)
        return lut[index], present.astype(np.uint64)
    codes, distinct = pd.factorize(keys)
    return codes.astype(np.int64, copy=False), np.asarray(distinct, dtype=np.uint64)


def _factorize_matrix(matrix: np.ndarray) -> Encoded:
    """Values of one width given as an (n, width) matrix: pack the varying positions."""
    n, width = matrix.shape
    first = matrix[0]
    varying = [j for j in range(width) if not (matrix[:, j] == first[j]).all()]
    if not varying:
        return Encoded(np.zeros(n, dtype=np.int64), [first.tobytes()])
    if len(varying) > 8:
        rows = np.ascontiguousarray(matrix)
        keys = rows.view(np.dtype((np.void, width))).ravel()
        uniq, codes = np.unique(keys, return_inverse=True)
        return Encoded(codes.astype(np.int64).ravel(), [u.tobytes() for u in uniq])
    packed = np.zeros((n, 8), dtype=np.uint8)
    packed[:, :len(varying)] = matrix[:, varying]
    codes, keys = _factorize_keys(packed.view("<u8").ravel().copy(), len(varying))
    template = first.copy()
    uniques = []
    for row in keys.astype("<u8").view(np.uint8).reshape(-1, 8)[:, :len(varying)]:
        template[varying] = row
        uniques.append(template.tobytes())
    return Encoded(codes, uniques)
