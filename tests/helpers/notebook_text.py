"""What an executed notebook showed, as one string, for workbook tests to search."""

import json


def notebook_text(notebook) -> str:
    """Everything a run of the notebook showed: outputs and the widgets' state."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.extend(str(v) for v in output.get("data", {}).values())
            parts.append(str(output.get("text", "")))
    parts.append(json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False))
    return "\n".join(parts)
