"""Tests for fibrostats (run without Django: ``pytest fibrostats -p no:django``)."""
