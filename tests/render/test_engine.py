"""The warm-kernel engine in papermill's registry."""

from __future__ import annotations

import nbformat
import papermill
from papermill.engines import papermill_engines

from partnerkit.render.engine import ENGINE_NAME, WarmKernelEngine


def test_the_engine_is_registered_with_papermill():
    assert papermill_engines.get_engine(ENGINE_NAME) is WarmKernelEngine


def test_without_a_warm_kernel_it_runs_a_notebook_as_papermill_does(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(x * 6)")])
    nb.metadata.kernelspec = {"name": "python3", "language": "python",
                              "display_name": "Python 3"}
    source = tmp_path / "in.ipynb"
    nbformat.write(nb, source)
    done = papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"),
                                      parameters={"x": 7}, engine_name=ENGINE_NAME,
                                      progress_bar=False)
    assert done.cells[-1].outputs[0]["text"] == "42\n"
