"""The WSGI entry point gunicorn serves: a worker is ready before its first request."""

import subprocess
import sys

from django.conf import settings

CODE = """
import sys
from django.db import connection
from hedemora import wsgi
from django.template import engines
loader = engines["django"].engine.template_loaders[0]
print("views", "followup.views.reports" in sys.modules, "budget.views.pages" in sys.modules)
print("compiled", "base.html" in loader.get_template_cache)
print("connected", connection.connection is not None)
"""


def test_a_worker_has_imported_the_views_and_compiled_the_templates_before_its_first_request():
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "hedemora.settings"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == [
        "views True True",
        "compiled True",
        # Warming up reads no data: the worker opens its connection with its first request.
        "connected False",
    ]
