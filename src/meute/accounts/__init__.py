"""Accounts: people who log in (e-mail and password)."""
