"""A config file for a test: written private (0600, as a file holding channel URLs must be)
and pointed at by $CORRIDOR_CONFIG for the rest of the test."""

from __future__ import annotations


def write_config(tmp_path, monkeypatch, text: str):
    path = tmp_path / "corridor.toml"
    path.write_text(text)
    path.chmod(0o600)
    monkeypatch.setenv("CORRIDOR_CONFIG", str(path))
    return path
