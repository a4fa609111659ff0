"""Tests for fibrostats (run without Django: ``pytest packages/fibrostats``)."""
