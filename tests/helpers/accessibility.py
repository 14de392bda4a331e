"""axe-core's serious and critical findings on a page, once the page has settled."""

from __future__ import annotations

SERIOUS = ("serious", "critical")


def serious_violations(page, allowed: dict[str, str] | None = None) -> list[str]:
    """Each serious or critical axe-core violation on ``page``: its rule, its impact and the
    first three elements it names; rules in ``allowed`` (rule: reason) are left out.

    A served workbook page tidies itself a moment after it changes (keyboard stops on
    tables that scroll sideways, headings said twice); it is looked at once it has
    (``<html data-pk-tidy>``), as a person would meet it, not in the middle of a change.
    """
    from axe_playwright_python.sync_playwright import Axe

    if page.locator("#rendered_cells").count():
        page.wait_for_selector("html[data-pk-tidy]", state="attached")
    results = Axe().run(page).response
    allowed = allowed or {}
    return [f"{v['id']} ({v['impact']}): {[n['html'][:120] for n in v['nodes'][:3]]}"
            for v in results["violations"]
            if v["impact"] in SERIOUS and v["id"] not in allowed]
