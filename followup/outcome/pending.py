"""An uploaded file of outcome that waits, between its preview and its confirmation.

The upload page previews a file and asks finance to confirm. The file is kept in
MEDIA_ROOT (which the web server does not serve) under a random name, and the page
carries a signed token naming it together with the period, the user, the file's SHA-256
and the preview's fingerprint. The token cannot be forged or moved to another period or
user, and it expires: the confirmation reads the same bytes that were previewed, or is
refused in Swedish. A confirmed file is removed; files never confirmed are removed by the
next upload once their token has expired.
"""

import logging
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing

from followup.outcome import files
from followup.outcome.preview import StalePreview
from followup.outcome.problems import OutcomeFileError, OutcomeProblem

logger = logging.getLogger(__name__)

SALT = "followup.outcome.pending"
MAX_AGE = 2 * 60 * 60  # seconds a preview can be confirmed
FOLDER = "utfall-forhandsgranskning"

EXPIRED = (
    "Förhandsgranskningen har gått ut eller kan inte läsas. Ingenting har sparats; läs in "
    "filen igen."
)

NOT_KEPT = (
    "Filen kunde inte sparas i väntan på bekräftelsen; ingenting har lästs in. Försök igen, "
    "och kontakta systemförvaltningen om felet kvarstår."
)


@dataclass(frozen=True)
class Pending:
    path: Path
    data: bytes
    file_name: str
    file_format: str
    fingerprint: str


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def keep(data: bytes, *, preview, user) -> str:
    """Store the previewed file; the token the confirmation posts."""
    folder = _folder()
    name = secrets.token_hex(16)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_expired(folder)
        (folder / name).write_bytes(data)
    except OSError as exc:
        logger.exception("An outcome file could not be kept for its confirmation")
        raise OutcomeFileError([OutcomeProblem(NOT_KEPT)]) from exc
    return signing.dumps(
        {
            "name": name,
            "period": preview.period.pk,
            "user": user.pk,
            "sha256": preview.sha256,
            "file_name": preview.file_name,
            "format": preview.file_format,
            "fingerprint": preview.fingerprint,
        },
        salt=SALT,
    )


def take(token: str, *, period, user) -> Pending:
    """The file a token names, as it was previewed; OutcomeFileError (StalePreview when
    the file is no longer the one previewed) otherwise."""
    try:
        kept = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is one
        raise OutcomeFileError([OutcomeProblem(EXPIRED)]) from exc
    if kept.get("period") != period.pk or kept.get("user") != user.pk:
        raise OutcomeFileError([OutcomeProblem(EXPIRED)])
    path = _folder() / kept["name"]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OutcomeFileError([OutcomeProblem(EXPIRED)]) from exc
    if files.sha256(data) != kept["sha256"]:
        raise StalePreview()
    return Pending(path, data, kept["file_name"], kept["format"], kept["fingerprint"])


def discard(pending: Pending) -> None:
    pending.path.unlink(missing_ok=True)


def _remove_expired(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # removed by another request in the meantime
