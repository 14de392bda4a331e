"""``partnerkit demo`` ends with the commands to run next, as the README's set-up gives them."""

from __future__ import annotations

import re
from pathlib import Path

from partnerkit.demo import DemoSummary

README = Path(__file__).resolve().parents[2] / "README.md"


def summary(tmp_path: Path, data_given: bool) -> DemoSummary:
    return DemoSummary(data_dir=tmp_path / "my data", store=f"{tmp_path}/partnerkit.sqlite "
                       "(SQLite)", workspace="demo", pupils=["P-1001"], records=3,
                       data_given=data_given)


def setup_commands() -> list[str]:
    """The README's set-up commands: the bash blocks of its set-up section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Set up on a fresh machine"):text.index("## A short tour")]
    return re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)


def test_the_readme_gives_two_set_up_commands_in_a_virtual_environment():
    first, second = setup_commands()
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install .")
    assert "partnerkit demo && partnerkit serve" in first
    assert second == "bash scripts/test.sh"
    assert "Python 3.11 or newer" in README.read_text(encoding="utf-8")


def test_the_closing_lines_say_what_to_run_next_as_the_readme_does(tmp_path):
    lines = summary(tmp_path, data_given=False).describe().splitlines()
    start = lines.index("Next:")
    assert lines[start + 1].strip() == "partnerkit serve"
    assert "http://127.0.0.1:8866/" in lines[start + 2] and "demo-lead" in lines[start + 2]
    assert lines[start + 3].strip().endswith(setup_commands()[1])
    first = setup_commands()[0]
    assert "partnerkit demo && " + lines[start + 1].strip() in first


def test_a_demo_in_a_folder_of_its_own_says_to_serve_that_folder(tmp_path):
    text = summary(tmp_path, data_given=True).describe()
    assert f"partnerkit serve --data '{tmp_path / 'my data'}'" in text


def test_the_summary_holds_no_python_repr(tmp_path):
    text = summary(tmp_path, data_given=False).describe()
    assert "Store(" not in text and "PosixPath(" not in text and "'demo'" not in text
