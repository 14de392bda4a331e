"""One Store for everything practitioners enter: a SQLite file by default, PostgreSQL by URL.

The package, by concern:

* :mod:`~partnerkit.store.tables`: the schema as SQLAlchemy tables;
* :mod:`~partnerkit.store.engine`: which database, the owner-only SQLite file, refusing
  a damaged one;
* :mod:`~partnerkit.store.migrate` and ``migrations/``: schema versions with Alembic
  (a SQLite file is copied aside before an upgrade; a newer schema is refused);
* :mod:`~partnerkit.store.store`: the :class:`Store` (save, get, list, delete, real names);
* :mod:`~partnerkit.store.history`: every change, who, when, before and after;
* :mod:`~partnerkit.store.rows`: what reads return, and times and data as stored text.

The store knows no record type and no widget.
"""

from partnerkit.store.engine import STORE_FILENAME, URL_ENV, resolve_url
from partnerkit.store.rows import Change, Clock, StoredRecord, utc_now
from partnerkit.store.store import Store, open_store

__all__ = ["STORE_FILENAME", "URL_ENV", "Change", "Clock", "Store", "StoredRecord",
           "open_store", "resolve_url", "utc_now"]
