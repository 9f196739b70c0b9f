"""The kernels that execute the chapters talk to the build over encrypted TCP (issue 14).

ipykernel 7.4 logs "Kernel is running over TCP without encryption" on stderr whenever a kernel
starts on plain TCP, and every `make html` carried one per chapter. code/course_build/execute.py asks
jupyter_client for CurveZMQ (`KernelManager.transport_encryption = "required"`), so that the
warning's cause is gone rather than its line filtered. Checked on the tiny book (tests/books/tiny/),
next to a kernel started the default way, which still warns: so the check can fail."""

import subprocess
import sys
import textwrap

from tiny_books import copy_book, pre_execute

WARNING = "Kernel is running over TCP without encryption"


def test_a_default_kernel_still_warns():
    """The control: nbclient with jupyter_client's defaults, as before the fix."""
    code = textwrap.dedent("""
        import nbformat, nbclient
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
        nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbclient.execute(nb, timeout=120)
        print(nb.cells[0].outputs[0]["text"].strip())
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("42")
    assert WARNING in run.stderr, "ipykernel no longer warns on plain TCP: this check checks nothing"


def test_the_pre_execution_starts_kernels_without_the_warning(tmp_path):
    book = copy_book(tmp_path / "book", chapters=("ch1",))
    run = pre_execute(book)
    assert run.returncode == 0, f"pre-execution failed:\n{run.stdout}\n{run.stderr}"
    assert "1 executed, 0 failed" in run.stdout, run.stdout
    assert WARNING not in run.stderr + run.stdout, run.stderr
