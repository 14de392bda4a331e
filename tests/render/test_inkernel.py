"""What runs inside a render's kernel: silent widgets, a reset between targets."""

from __future__ import annotations

import os

import ipywidgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from partnerkit.render import inkernel  # noqa: E402


def test_setup_makes_widgets_that_send_nothing(monkeypatch):
    import comm

    monkeypatch.setattr(comm, "create_comm", comm.create_comm)
    inkernel.setup(widget_state=False)
    assert comm.create_comm(target_name="x").__class__.__name__ == "DummyComm"


def test_setup_with_widget_state_keeps_the_kernels_comms(monkeypatch):
    import comm

    before = comm.create_comm
    monkeypatch.setattr(comm, "create_comm", before)
    inkernel.setup(widget_state=True)
    assert comm.create_comm is before


def test_reset_closes_figures_and_widgets_and_goes_back_to_the_folder(tmp_path, monkeypatch):
    import comm

    monkeypatch.setattr(comm, "create_comm", comm.create_comm)
    inkernel.setup()
    monkeypatch.chdir(tmp_path)
    plt.figure()
    box = ipywidgets.VBox([ipywidgets.Text("left over")])
    os.chdir("/")
    inkernel.reset(str(tmp_path))
    assert plt.get_fignums() == []
    assert box.comm is None and box.children[0].comm is None
    assert os.getcwd() == str(tmp_path)
