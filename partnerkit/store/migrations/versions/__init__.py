"""The store's schema revisions, numbered in order (``r0001_...``, ``r0002_...``)."""
