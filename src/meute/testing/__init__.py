"""Settings and helpers for meute's test suite."""
