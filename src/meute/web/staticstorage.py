"""Static files with hashed, compressed names (whitenoise's compressed manifest storage)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names with gzip and brotli copies, written by ``collectstatic``.

    A name missing from the manifest (no ``collectstatic`` yet, e.g. a development server on a
    fresh data folder) is served under its plain name, which whitenoise finds in the apps'
    ``static/`` folders, instead of failing every page.
    """

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name
