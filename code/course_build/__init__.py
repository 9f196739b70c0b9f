"""The course site's build, beside the helper package that the chapters import (likelihood_course).
Installed by `make setup` for the site and the tests, never into a reader's environment.

- ext/: the Sphinx extensions that _config.yml registers (`extra_extensions`), one reason each;
- build (the strict build of `make html` and `make pdf`), execute (the chapters in parallel into the
  execution cache), preview and resident_sphinx (`make preview`);
- assignments, grading and assignments_branch (`make assignments`: otter-grader's assignments from
  the coding exercises, a class graded into otter's CSV, the branch students pull them from);
- hub (a real JupyterHub on loopback), notebooks_branch (the downloads for Colab), vendor_pyodide
  (Python for the reader's browser, from npm and the pinned Pyodide packages);
- bench, bench_inpage, bench_hub (`make bench`, `make bench-hub`);
- book (the book's folder, _config.yml and pages), browser (Debian's chromium), serving (ports,
  servers, process groups) and upstream (the versions the workarounds were written for).

The tools run as modules: `python -m course_build.build --builder html`.
"""
