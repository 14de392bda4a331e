"""``partnerkit verify CODE [--pdf FILE]``: say whether a certificate is genuine.

The code is looked up among the certificates issued from this data folder's store and
checked against the certificate's text with the server secret; with ``--pdf`` the text
of that PDF is checked too, so a certificate whose text was altered fails. Exit status:
0 genuine, 1 not genuine, 2 a malformed code or an unreadable file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from partnerkit import paths
from partnerkit.arguments import add_data
from partnerkit.errors import CertificateError


def add_verify(commands: Any) -> None:
    """Add ``verify`` to the command line's subcommands."""
    verify = commands.add_parser(
        "verify", help="say whether a certificate of completion is genuine",
        description="Say whether a certificate of completion is genuine: its code was issued "
                    "here and matches its text. Give --pdf to check the text of a "
                    "certificate's PDF as well.")
    verify.add_argument("code", metavar="CODE", help="the verification code, PK-XXXX-...")
    verify.add_argument("--pdf", metavar="FILE", help="the certificate's PDF, to check its text")
    add_data(verify)
    verify.set_defaults(run=run_verify)


def _pdf(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CertificateError(f"cannot be read ({exc.strerror})", value=path,
                               where="--pdf", fix="give the path of the certificate's PDF") \
            from None


def run_verify(args: argparse.Namespace) -> int:
    """Print whether the certificate is genuine; 0 if it is, 1 if not."""
    from partnerkit.collaborative_working.certificate import pdf_text, verify
    from partnerkit.store import open_store

    text = pdf_text(_pdf(args.pdf)) if args.pdf else None
    folder = paths.data_dir(args.data, create=False)
    store = open_store(folder, args.database_url)
    try:
        result = verify(store, args.code, folder, text=text)
    finally:
        store.close()
    print(("GENUINE: " if result.genuine else "NOT GENUINE: ") + result.message)
    return 0 if result.genuine else 1
