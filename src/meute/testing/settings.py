"""Settings for the test suite: the real ones, with fast hashing and immediate background tasks."""

import os
import tempfile

os.environ.setdefault("MEUTE_DATA_DIR", tempfile.mkdtemp(prefix="meute-test-"))

from meute.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Uploaded files of the tests go to a folder of their own, removed after the run (tests/conftest.py).
    "private": {"BACKEND": "meute.files.storage.PrivateFileStorage",
                "OPTIONS": {"location": tempfile.mkdtemp(prefix="meute-test-files-")}},
}
