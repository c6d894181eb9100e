"""Companies, leaders, networks, memberships and roles; the directory; import and export."""
