"""A plain, non-editable install of the built wheel works: it ships its migrations, creates a
brand-new database on first use, and reports from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("corridor-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with only the wheel installed; its dependencies come from this test run's
    environment through a .pth line (no network needed), never corridor itself."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True
    )
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "deps-from-test-env.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def test_wheel_ships_the_migrations_and_the_dataset(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "corridor/migrations/env.py" in names
    assert "corridor/migrations/script.py.mako" in names
    assert any(n.startswith("corridor/migrations/versions/0001") for n in names)
    assert "corridor/data/reference.yaml" in names


def test_installed_wheel_reports_from_a_brand_new_database(installed, new_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_")}
    env.update(CORRIDOR_CONFIG=str(tmp_path / "none.toml"), XDG_DATA_HOME=str(tmp_path / "d"))
    run = subprocess.run(
        [
            str(installed / "bin" / "corridor"),
            "upcoming",
            "--db",
            new_url,
            "--as-of",
            "2022-12-20",
            "--tz",
            "Europe/Istanbul",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "Created a new corridor database" in run.stderr
    items = json.loads(run.stdout)["items"]
    assert items[0]["date"] == "2023-01-10" and items[0]["instrument"] == "S/RES/2642 (2022)"
    where = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import corridor, corridor.store.migrate as m; print(corridor.__file__); "
            "print(m.migrations_dir())",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    module, migrations = where.stdout.split()
    assert module.startswith(str(installed)) and migrations.startswith(str(installed))


def test_python_dash_m_corridor(installed, tmp_path):
    run = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "corridor", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert (run.returncode, run.stdout) == (0, "corridor 0.1.0\n")
