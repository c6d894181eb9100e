"""Uploaded files: what they are (checks), where they live (storage), how they are sent (serve).

No models of its own: each app keeps its files in a ``FileField`` on the private storage and
serves them through :func:`meute.files.serve.file_response` after its own permission check.
"""
