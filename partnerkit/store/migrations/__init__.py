"""Alembic's migration environment for the store: ``env.py`` and ``versions/``.

Nothing here is imported by partnerkit itself; Alembic loads ``env.py`` and the
revision files when :mod:`partnerkit.store.migrate` upgrades a store. To write a new
revision, number it after the last one and raise ``HEAD_REVISION`` in ``migrate.py``::

    from alembic import command
    from partnerkit.store.migrate import alembic_config
    config = alembic_config(url="sqlite:////tmp/at-head.sqlite")  # a store at head
    command.revision(config, "what it changes", rev_id="0002", autogenerate=True)

It is written as ``versions/r0002_what_it_changes.py``. A revision only adds: it never
drops a table or a column that holds data.
"""
