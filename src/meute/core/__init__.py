"""Shared kernel: audit log, domain errors, the permission layer. No domain nouns here."""
