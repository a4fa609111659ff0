"""The knowledge app's models (articles, their revisions, and the opt-in outcome aggregates)."""
