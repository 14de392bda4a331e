"""Data-protection operations on one pupil: subject access, correction, erasure, holds, retention.

For the data-protection lead (the one permission check, :func:`partnerkit.access.decide_dp`,
says who may do each), from the command line (``partnerkit pupil ...``, ``partnerkit
retention ...``) and from the "Subject access and erasure" workbook. By concern:

* :mod:`.subject`: who may act, and that the pupil is known in the workspace;
* :mod:`.holdings`: everything held about one pupil, as one dictionary;
* :mod:`.bundle` and :mod:`.report`: the subject access bundle (JSON and a readable PDF);
* :mod:`.folder`: the files in the data folder about a pupil (reports, attendance rows);
* :mod:`.erasure`, :mod:`.holds`, :mod:`.leaving`, :mod:`.correction`: the changes;
* :mod:`.due`: what the retention schedule (:mod:`partnerkit.records.retention`) says is
  due, and erasing it;
* :mod:`.commands`: the command line; :mod:`.views` (and ``views_*``): the workbook's page.

It is a door-level package (beside ``render`` and ``admin``): it gathers from every
wing's records and the attendance files and erases across them, so no wing may import
it. What the wings show themselves (the sharing log in the pupil's pack) lives below
them, in :mod:`partnerkit.records.sharing`.
"""
