"""Lint and format (ruff, configured in pyproject.toml): the repository's Python is clean, and the
check is live (it finds a planted mistake)."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RUFF = Path(sys.prefix, "bin", "ruff")


def ruff(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    assert RUFF.is_file(), "no ruff: requirements.txt installs it (make setup)"
    return subprocess.run([str(RUFF), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_ruff_check_is_clean():
    result = ruff("check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing():
    result = ruff("format", "--no-cache", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_a_planted_mistake(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("import os\n\n\ndef f(x):\n    return undefined_name\n")
    result = ruff("check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(planted), cwd=tmp_path)
    assert result.returncode != 0 and "F401" in result.stdout and "F821" in result.stdout, result.stdout
