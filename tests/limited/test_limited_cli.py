"""`python -m mlqa.limited`: the list, one technique's last line, and clear errors without tracebacks (Q30)."""

import re
import subprocess
import sys

import pytest

from mlqa.limited import TECHNIQUES
from mlqa.limited.__main__ import main


def test_list_names_every_technique(capsys):
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    for name in ("learning-curves", "augmentation", "transfer", "self-supervised", "active-learning"):
        assert name in out


def test_technique_prints_the_summary_as_last_line():
    done = subprocess.run([sys.executable, "-m", "mlqa.limited", "--technique", "active-learning",
                           "--labels-per-class", "3", "--seeds", "1", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"active-learning: baseline 0\.\d{3} -> 0\.\d{3}", last), last


@pytest.mark.parametrize("argv, message", [
    (["--technique", "magic"], "unknown technique 'magic'; known techniques: learning-curves"),
    (["--technique", "augmentation", "--labels-per-class", "500"], "asked for 500 labels per class"),
    (["--technique", "learning-curves", "--labels-per-class", "30"], "4 x 30 = 120 labels per class"),
    (["--technique", "augmentation", "--labels-per-class", "0"], "labels_per_class must be >= 1, got 0"),
    (["--technique", "augmentation", "--seeds", "0"], "--seeds must be at least 1, got 0"),
])
def test_bad_input_is_a_clear_error(capsys, argv, message):
    assert main([*argv, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("name", list(TECHNIQUES))
def test_every_technique_refuses_more_labels_than_exist(capsys, name):
    assert main(["--technique", name, "--labels-per-class", "500", "--seeds", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and re.search(r"\d{3}", err) and "Traceback" not in err
