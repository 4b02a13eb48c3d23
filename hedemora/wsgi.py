"""The WSGI callable ``application`` that gunicorn serves in production (see the README
and docs/decisions/0015-production-server-and-load-test.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")

application = get_wsgi_application()
