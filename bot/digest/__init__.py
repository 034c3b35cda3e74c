"""The daily digest: compose, schedule, deliver exactly once."""
