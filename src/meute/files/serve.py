"""Sending a private file: only after the view's permission check, never rendered by the browser as a page."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest

INLINE_MIMES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif"})


def file_response(request: HttpRequest, field_file: FieldFile, *, name: str, mime: str,
                  inline: bool = False) -> FileResponse:
    """The file as a download (or shown inline, for a PDF or an image when ``inline``).

    The caller has checked that ``request.user`` may see the object the file belongs to; a file
    missing from the storage answers 404 like any object the person may not see.
    """
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    show_inline = inline and mime in INLINE_MIMES
    response = FileResponse(handle, as_attachment=not show_inline, filename=name, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
