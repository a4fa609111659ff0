"""Research studies: one protocol run with many participants, from enrolment to the pooled result (issue 18)."""
