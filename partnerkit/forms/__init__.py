"""Forms: a record type becomes an ipywidgets form that validates and autosaves.

:func:`record_form` is the one call. One module per concern:

- :mod:`~partnerkit.forms.engine`: the form for one record (:class:`RecordForm`);
- :mod:`~partnerkit.forms.fields`: field editors (labels, help, messages, the widget
  for each field type, checklists and rows of sub-records);
- :mod:`~partnerkit.forms.autosave`: saving as the practitioner types;
- :mod:`~partnerkit.forms.finished`: only finished values count (a choice waits for a
  pause or for the person to move on; a date needs a whole year in its range);
- :mod:`~partnerkit.forms.dates`: dates typed and shown day/month/year (dd/mm/yyyy),
  whatever the browser's locale;
- :mod:`~partnerkit.forms.looks`: the forms' styles and shared default widget looks.
"""

from __future__ import annotations

from partnerkit.forms.autosave import AUTOSAVE_COALESCE, autosave
from partnerkit.forms.dates import DateBox, DateError, parse_date
from partnerkit.forms.engine import Check, RecordForm, record_form
from partnerkit.forms.fields import (
    ChoiceChecklist,
    FieldEditor,
    SubRecordList,
    choice_labels,
    help_text,
)
from partnerkit.forms.looks import FORM_CSS, own_layout, share_default_looks

__all__ = ["AUTOSAVE_COALESCE", "FORM_CSS", "Check", "ChoiceChecklist", "DateBox",
           "DateError", "FieldEditor", "parse_date",
           "RecordForm", "SubRecordList", "autosave", "choice_labels", "help_text",
           "own_layout", "record_form", "share_default_looks"]
