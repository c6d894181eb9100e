"""WSGI entry point (``gunicorn meute.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
application = get_wsgi_application()
