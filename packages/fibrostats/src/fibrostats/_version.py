"""The package version, kept in one place for the JSON output."""

__version__ = "0.1.0"
