"""corridor: track the legal authorizations that keep humanitarian cross-border corridors open."""

__version__ = "0.1.0"
