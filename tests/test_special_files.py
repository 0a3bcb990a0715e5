"""Reading and writing special files (README "Limits"): import from a pipe, export through a
symlink, over a file (its permissions kept, no temporary left), to /dev/stdout and a full
device."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest


def test_import_reads_a_pipe_with_a_writer(cli, empty_url, tmp_path):
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    record = "corridor: 1\ncrossings:\n  - {slug: rafah, name: Rafah, countries: [PS, EG]}\n"

    def writer():
        with open(fifo, "w") as f:
            f.write(record)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        # the writer may connect a moment after the open: retry the (non-blocking) read once
        for _ in range(50):
            r = cli("import", str(fifo), "--yes", "--db", empty_url)
            if r.code == 0:
                break
    finally:
        if thread.is_alive():
            with open(fifo) as f:
                f.read()
        thread.join()
    assert r.code == 0, r.err
    assert "Rafah" in cli("crossing", "list", "--db", empty_url).out


def test_export_through_a_symlink_keeps_the_link(cli, reference_url, tmp_path):
    target = tmp_path / "real.yaml"
    link = tmp_path / "link.yaml"
    target.write_text("old")
    link.symlink_to(target)
    assert cli("export", "-o", str(link), "--db", reference_url).code == 0
    assert link.is_symlink() and target.read_text().startswith("# corridor record")


def test_export_over_a_regular_file_keeps_its_permissions(cli, reference_url, tmp_path):
    out = tmp_path / "backup.yaml"
    out.write_text("old")
    out.chmod(0o600)
    assert cli("export", "-o", str(out), "--db", reference_url).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text() != "old"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.yaml"]  # no temporary left


def _corridor(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    kw.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "corridor", *args], stderr=subprocess.PIPE, env=env, **kw
    )


@pytest.mark.skipif(sys.platform != "linux", reason="/dev/stdout and /dev/full are Linux")
def test_export_to_dev_stdout_and_to_a_full_stdout(reference_url):
    r = _corridor("export", "-o", "/dev/stdout", "--db", reference_url)
    assert r.returncode == 0 and r.stdout.startswith(b"# corridor record")
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)
    if stat.S_ISCHR(os.stat("/dev/full").st_mode):
        with open("/dev/full", "w") as full:
            r = _corridor("export", "--db", reference_url, stdout=full)
        assert r.returncode == 2 and b"No space left" in r.stderr
        assert b"Traceback" not in r.stderr and r.stderr.count(b"Error: ") == 1
