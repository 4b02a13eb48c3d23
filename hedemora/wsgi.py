"""The WSGI callable ``application`` that gunicorn serves in production (see the README
and docs/decisions/0015-production-server-and-load-test.md).

Each worker imports every view and compiles the project's templates as it starts, before
its first request: otherwise the first request a new worker takes (after a deploy, a
restart, or in the month-end's first burst of logins) waits about a quarter of a second
for them. A template that does not compile stops the worker from starting, as a module
that does not import would."""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")

application = get_wsgi_application()


def warm_up() -> list[str]:
    """Import the URLconf's views and compile every template of the project's template
    folders into the cached loader. Returns the names of the templates compiled."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing the views is the point
    names = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            get_template(name)
            names.append(name)
    return names


warm_up()
