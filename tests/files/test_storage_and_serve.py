"""Private files: stored under random names with no URL, sent as downloads with protective headers."""

import pytest
from django.core.files.base import ContentFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory

from meute.files.checks import check_upload
from meute.files.serve import file_response
from meute.files.storage import private_storage, stored_name
from tests.files import samples

pytestmark = pytest.mark.nodb


def stored(name: str, data: bytes) -> tuple[FieldFile, object]:
    checked = check_upload(samples.upload(name, data))
    storage = private_storage()
    saved = storage.save(stored_name("tests", checked), ContentFile(data))
    return FieldFile(None, FileField(storage=storage), saved), checked


def test_stored_names_are_random_and_have_no_url():
    """The person's name never reaches the storage, and a private file has no public address."""
    field_file, _checked = stored("../../secret plan.pdf", samples.pdf_bytes())
    assert field_file.name.startswith("tests/") and "plan" not in field_file.name
    assert field_file.name.endswith(".pdf")
    with pytest.raises(ValueError, match="no URL"):
        private_storage().url(field_file.name)


def test_download_headers():
    """A download is an attachment under its safe name, never sniffed, sandboxed and not cached."""
    field_file, checked = stored("plan.pdf", samples.pdf_bytes())
    response = file_response(RequestFactory().get("/"), field_file, name="plan d’action.pdf", mime=checked.mime)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''plan%20d%E2%80%99action.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == samples.pdf_bytes()


def test_inline_only_for_pdf_and_images():
    """Inline display is granted to a PDF when asked, never to an office or text file."""
    pdf, checked = stored("plan.pdf", samples.pdf_bytes())
    assert file_response(RequestFactory().get("/"), pdf, name="plan.pdf", mime=checked.mime,
                         inline=True)["Content-Disposition"].startswith("inline;")
    text, checked = stored("notes.txt", b"hello")
    assert file_response(RequestFactory().get("/"), text, name="notes.txt", mime=checked.mime,
                         inline=True)["Content-Disposition"].startswith("attachment;")


def test_a_missing_file_is_not_found():
    """A file gone from the storage answers 404, not a server error."""
    field_file = FieldFile(None, FileField(storage=private_storage()), "tests/missing.pdf")
    with pytest.raises(Http404):
        file_response(RequestFactory().get("/"), field_file, name="x.pdf", mime="application/pdf")
