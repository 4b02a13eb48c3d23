"""The settings the test suite runs with: the application's own, with a fast password hasher.

PBKDF2 at Django's iteration count costs about 0.3 s per password; the suite signs in
hundreds of personas. The hasher is no part of what the tests check (the production
settings are checked in test_settings.py, in a process of their own).
"""

from hedemora.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
