"""The password hasher: argon2id at OWASP's minimum (docs/decisions/0024-password-hashing.md)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with 19 MiB of memory, 2 passes and 1 lane.

    Django's own argon2 hasher asks for 100 MiB and 8 lanes: on a two-core server that is
    more than a login should cost in the month-end rush. The algorithm name stays "argon2",
    so hashes made with other parameters still verify and are brought to these on the next
    login (``must_update``), as the PBKDF2 hashes of earlier versions are.
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
