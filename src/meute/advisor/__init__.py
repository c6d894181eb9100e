"""The network advisor and introductions: the right networks for each leader, the right people to meet."""
