"""The ASGI callable ``application``, for an ASGI server. Production runs WSGI
(hedemora.wsgi, under gunicorn; see the README)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")

application = get_asgi_application()
