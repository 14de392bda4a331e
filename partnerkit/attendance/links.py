"""Links from a flagged pupil to their other workbooks (map and staged support plan).

Links are relative URLs to the Voilà page of a workbook with the pupil's pseudonymous
reference in the query string. They are built in :func:`pupil_link` only, so the address
scheme can change in one place.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from partnerkit.reports import environment

#: Where Voilà renders a workbook, relative to the page showing the list.
VOILA_RENDER = "../voila/render/"
#: The partial that draws one link.
LINK_TEMPLATE = "parts/pupil_link.html.j2"
#: Columns of :func:`flagged_pupils`.
FLAGGED_COLUMNS = ("pupil", "rate", "possible", "attended", "unauthorised", "band", "stage",
                   "class", "map_link", "support_link")


def pupil_link(workbook: str, pupil: str, workspace: str | None = None,
               base: str = VOILA_RENDER) -> str:
    """Relative URL of ``workbook`` for one pupil.

    For example ``../voila/render/mapping_tool.ipynb?pupil=P-0001``.
    """
    query = {"pupil": pupil}
    if workspace:
        query["workspace"] = workspace
    return f"{base}{workbook}.ipynb?{urlencode(query)}"


def flagged_pupils(rates: pd.DataFrame, workspace: str | None = None) -> pd.DataFrame:
    """Pupils flagged for low attendance, lowest rate first, with links.

    Columns :data:`FLAGGED_COLUMNS`: ``pupil`` (pseudonymous reference), ``rate``,
    ``possible``, ``attended``, ``unauthorised``, ``band``, ``stage``, ``class``, and
    ``map_link`` / ``support_link`` (relative URLs of the ``mapping_tool`` and
    ``staged_support`` workbooks for that pupil).
    """
    out = rates[rates["low_attendance"]].sort_values(["rate", "pupil"], kind="stable")
    out = out.reset_index(drop=True).copy()
    out["band"] = out["band"].astype(str)
    out["map_link"] = [pupil_link("mapping_tool", p, workspace) for p in out["pupil"]]
    out["support_link"] = [pupil_link("staged_support", p, workspace) for p in out["pupil"]]
    return out[list(FLAGGED_COLUMNS)]


def flagged_view(flagged: pd.DataFrame):
    """A styled table of :func:`flagged_pupils` with clickable links, for a notebook.

    Each link is drawn by the partial ``templates/parts/pupil_link.html.j2``.
    """
    links = {"map_link": "Map", "support_link": "Staged support"}
    anchor = environment().get_template(LINK_TEMPLATE)
    shown = flagged.rename(columns=links)
    return (shown.style
            .format({"rate": "{:.1%}", "possible": "{:,.0f}", "attended": "{:,.0f}",
                     "unauthorised": "{:,.0f}"}, escape="html")
            .format({"Map": lambda url: anchor.render(url=url, text="open map"),
                     "Staged support": lambda url: anchor.render(url=url, text="open plan")},
                    subset=list(links.values()))
            .hide(axis="index"))
