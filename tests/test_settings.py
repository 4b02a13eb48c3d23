"""Settings: safe development defaults, production mode that refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def fresh_process(args, env, *, unset=(), unset_prefix=None):
    """``python args`` run in a new process, in the project's folder, with this process's
    environment less the ``unset`` variables (and those starting with ``unset_prefix``)
    and with ``env`` added."""
    full = {
        k: v
        for k, v in os.environ.items()
        if k not in unset and not (unset_prefix and k.startswith(unset_prefix))
    }
    full.update(env)
    return subprocess.run(
        [sys.executable, *args],
        env=full,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


SET_BY_THE_BROWSER_TESTS_AND_CI = ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")


def run_with(env):
    """Django set up in a new process with ``env`` in place of the key, hosts and site."""
    return fresh_process(
        ["-c", "import django; django.setup()"],
        env | {"DJANGO_SETTINGS_MODULE": "hedemora.settings"},
        unset=("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"),
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_with({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "budget.example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set in production mode" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts():
    result = run_with({"DJANGO_ENV": "production", "SECRET_KEY": "x" * 60})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_mode_refuses_to_start_without_the_site_url_for_links_in_e_mail():
    result = run_with(
        {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "budget.example.org"}
    )

    assert result.returncode != 0
    assert "SITE_URL must be set in production mode" in result.stderr


def settings_in_a_fresh_process(env, *names):
    """The named settings as seen by a new process started with ``env`` in place of the
    ambient mode, site address and e-mail settings."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        f"print(*(getattr(s, n) for n in {names!r}), sep='\\n')"
    )
    result = fresh_process(
        ["-c", code],
        env | {"DJANGO_SETTINGS_MODULE": "hedemora.settings"},
        unset=("DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"),
        unset_prefix="EMAIL_",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_development_prints_e_mail_on_the_console_with_links_to_the_local_server():
    backend, site_url = settings_in_a_fresh_process({}, "EMAIL_BACKEND", "SITE_URL")

    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert site_url == "http://127.0.0.1:8000"


def test_production_sends_e_mail_through_the_configured_smtp_server():
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "budget.example.org",
        "SITE_URL": "https://budget.example.org/",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "true",
    }

    values = settings_in_a_fresh_process(
        env, "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "SITE_URL"
    )

    assert values == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
        "https://budget.example.org",
    ]


def test_production_mode_passes_the_deployment_checks():
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "k3y" * 20,
        "ALLOWED_HOSTS": "budget.example.org",
        "SITE_URL": "https://budget.example.org",
    }
    result = fresh_process(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env,
        unset=SET_BY_THE_BROWSER_TESTS_AND_CI,
    )

    assert result.returncode == 0, result.stderr


def test_development_runs_on_the_embedded_sqlite_file_unless_told_otherwise():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], sep='\\n')"
    )
    result = fresh_process(
        ["-c", code],
        {"DJANGO_SETTINGS_MODULE": "hedemora.settings"},
        unset=("DJANGO_ENV", "DATABASE_URL"),
    )

    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.splitlines()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == Path(settings.BASE_DIR) / "db.sqlite3"


def test_postgresql_connections_have_jit_compilation_off():
    (options,) = settings_in_a_fresh_process(
        {"DATABASE_URL": "postgres://budget@db.example.org:5432/budget"}, "DATABASES"
    )

    assert "'options': '-c jit=off'" in options


def test_interface_is_swedish():
    assert settings.LANGUAGE_CODE == "sv"


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.DEBUG)"
    )
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "budget.example.org",
        "SITE_URL": "https://budget.example.org",
        "DJANGO_SETTINGS_MODULE": "hedemora.settings",
    }
    result = fresh_process(["-c", code], env, unset=SET_BY_THE_BROWSER_TESTS_AND_CI)

    assert result.stdout.split() == ["True", "True", "True", "True", "False"]


def test_every_page_sends_a_content_security_policy_without_inline_script(client, councillor):
    client.force_login(councillor)

    response = client.get("/budget/2026/")

    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy
