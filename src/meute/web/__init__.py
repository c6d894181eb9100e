"""The web interface: thin views that validate, call one service or query, and render."""
