"""Shared test helpers: factories and browser helpers (never imported by the app)."""
