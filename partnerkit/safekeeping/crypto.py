"""Sealing a backup: AES-256-GCM with a key derived from a passphrase by scrypt.

A sealed file is a magic line, one header line of JSON, then the ciphertext. The header
says what the backup holds (the store's schema version and revision, its backend, when
and by which partnerkit it was made), how the key was derived (scrypt's parameters and
salt), the nonce, the ciphertext's length and its SHA-256 checksum. The header is the
cipher's associated data, so changing a byte of it or of the ciphertext is found when the
file is opened. Opening tells apart, each with its own message: a file that is not a
backup, one cut short, one whose bytes changed (the checksum), and a wrong passphrase
(the checksum holds but the cipher's tag does not).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from partnerkit.errors import BackupError

MAGIC = b"PARTNERKIT-BACKUP 1\n"
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}
"""scrypt's cost: about 32 MiB and a tenth of a second per try on a laptop."""
MAX_HEADER = 64 * 1024


@dataclass(frozen=True)
class Opened:
    """A backup opened: its header and the payload it held."""

    header: dict[str, Any]
    payload: bytes


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def seal(payload: bytes, passphrase: str, about: dict[str, Any]) -> bytes:
    """The sealed bytes of ``payload`` (compressed, then encrypted); ``about`` in the header."""
    salt, nonce = os.urandom(16), os.urandom(12)
    plain = zlib.compress(payload, 6)
    key = _key(passphrase, salt, **SCRYPT)
    # the ciphertext's length and checksum are known before it is made: GCM adds 16 bytes
    header = {**about, "cipher": "AES-256-GCM", "compression": "zlib",
              "kdf": {"name": "scrypt", **SCRYPT, "salt": _b64(salt)}, "nonce": _b64(nonce),
              "length": len(plain) + 16}
    head = _header_bytes(header)
    body = AESGCM(key).encrypt(nonce, plain, head)
    header["sha256"] = hashlib.sha256(body).hexdigest()
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


def _header_bytes(header: dict[str, Any]) -> bytes:
    """The associated data: the header without its checksum, canonical."""
    shown = {k: v for k, v in header.items() if k != "sha256"}
    return json.dumps(shown, sort_keys=True, separators=(",", ":")).encode()


def read_header(data: bytes, where: str) -> tuple[dict[str, Any], bytes]:
    """The header and the ciphertext of a sealed file, or a clear refusal."""
    if not data.startswith(MAGIC):
        raise BackupError("is not a partnerkit backup (it does not start as one)",
                          where=where, fix="give a file partnerkit backup wrote")
    line_end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    try:
        header = json.loads(data[len(MAGIC):line_end]) if line_end > 0 else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or not {"length", "sha256", "kdf", "nonce"} <= set(header):
        raise BackupError("is damaged: its header cannot be read", where=where,
                          fix="use another copy of the backup")
    body = data[line_end + 1:]
    if len(body) < header["length"]:
        raise BackupError(f"is cut short ({len(body)} of {header['length']} bytes of data)",
                          where=where, fix="copy the whole file again, or use another backup")
    if len(body) > header["length"] or hashlib.sha256(body).hexdigest() != header["sha256"]:
        raise BackupError("was changed after it was written (its checksum does not match)",
                          where=where, fix="use another copy of the backup")
    return header, body


def unseal(data: bytes, passphrase: str, where: str) -> Opened:
    """Open a sealed file: check it whole, then decrypt and decompress its payload."""
    header, body = read_header(data, where)
    kdf = header["kdf"]
    key = _key(passphrase, _unb64(kdf["salt"]), int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    try:
        plain = AESGCM(key).decrypt(_unb64(header["nonce"]), body, _header_bytes(header))
    except InvalidTag:
        raise BackupError("cannot be opened with this passphrase (it is wrong, or the file "
                          "was altered along with its checksum); nothing was restored",
                          where=where, fix="give the passphrase the backup was made with") \
            from None
    return Opened(header, zlib.decompress(plain))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
