"""Keeping the store safe: audit checks, encrypted backups, store keys, paperwork.

The audit trail's checks and exports, encrypted backups and restores, the store's
encryption key, and the data-protection paperwork.

By concern: :mod:`.trail` (``partnerkit audit verify|export|anchor``), :mod:`.backup`
and :mod:`.crypto` (``partnerkit backup`` / ``restore``), :mod:`.passphrase` (asking
for one), :mod:`.paperwork` (the DPIA starter and the privacy-notice draft) and
:mod:`.commands` (the command lines). This is a door: it opens the store as the person
who owns the data folder, as ``partnerkit users`` does.
"""
