"""Files saved with their row: a block that does not commit leaves no file behind in the private storage."""

import pytest
from django.core.files.base import ContentFile

from meute.files.storage import atomic_with_files, private_storage, save_private

pytestmark = pytest.mark.django_db


def _exists(name: str) -> bool:
    return private_storage().exists(name)


class Refused(Exception):
    pass


def test_a_committed_block_keeps_its_file():
    """A block that ends without error keeps the file it saved."""
    with atomic_with_files():
        name = save_private("tests/kept.txt", ContentFile(b"kept"))
    assert _exists(name)


def test_a_failure_after_the_save_removes_the_file():
    """An error after the save (the row refused) deletes the file, and the error goes on."""
    with pytest.raises(Refused), atomic_with_files():
        name = save_private("tests/failed.txt", ContentFile(b"failed"))
        raise Refused
    assert not _exists(name)


def test_a_nested_block_files_go_when_the_outer_block_fails():
    """A nested block that succeeded hands its file to the outer block: the outer failure removes it."""
    with pytest.raises(Refused), atomic_with_files():
        with atomic_with_files():
            inner = save_private("tests/inner.txt", ContentFile(b"inner"))
        assert _exists(inner)
        raise Refused
    assert not _exists(inner)


def test_a_failed_nested_block_caught_by_the_outer_one_removes_only_its_own_file():
    """The outer block commits its file; the nested block rolled back removes its own."""
    with atomic_with_files():
        outer = save_private("tests/outer.txt", ContentFile(b"outer"))
        with pytest.raises(Refused), atomic_with_files():
            inner = save_private("tests/inner.txt", ContentFile(b"inner"))
            raise Refused
    assert _exists(outer) and not _exists(inner)


def test_saving_outside_a_block_is_refused_and_saves_nothing():
    """Without a block to undo it, a save would leave an orphan on failure: it is refused."""
    before = private_storage().listdir("")[1] if _exists("") else []
    with pytest.raises(RuntimeError):
        save_private("orphan.txt", ContentFile(b"orphan"))
    assert not _exists("orphan.txt") and (private_storage().listdir("")[1] if _exists("") else []) == before
