"""Checks every outcome file passes before it is read: size, text at all, and its format."""

import hashlib

from budget.uploads import UploadRefused, read_limited
from followup.outcome.problems import refuse

# A SIE 4E export holds every voucher of the year as well as the balances, so it is far
# larger than a CSV of the same outcome.
MAX_BYTES = 20 * 1024 * 1024

CSV = "csv"
SIE = "sie"
UTF8_BOM = b"\xef\xbb\xbf"

# Files people pick by mistake, recognised by their first bytes.
SIGNATURES = (
    (
        b"PK\x03\x04",
        "Filen är en Excel-arbetsbok eller ett zip-arkiv. Spara utfallet som CSV "
        "(semikolonseparerad) eller exportera en SIE-fil och försök igen.",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "Filen är en äldre Excel-arbetsbok (.xls). Spara utfallet som CSV "
        "(semikolonseparerad) och försök igen.",
    ),
    (b"%PDF", "Filen är en PDF. Läs in en CSV-fil eller en SIE-fil från ekonomisystemet."),
)


def read_upload(fileobj, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refused when it is empty, too large or not text at all."""
    try:
        data = read_limited(fileobj, max_bytes=max_bytes)
    except UploadRefused as exc:
        refuse(str(exc))
    if not data.strip():
        refuse("Filen är tom.")
    for signature, message in SIGNATURES:
        if data.startswith(signature):
            refuse(message)
    if b"\x00" in data[:65536]:
        refuse(
            "Filen är ingen textfil (den innehåller binära data). Läs in en CSV-fil eller en "
            "SIE-fil från ekonomisystemet."
        )
    return data


def marked_utf8(data: bytes, *, what: str) -> str | None:
    """The text of a file that starts with UTF-8's byte-order mark, without the mark; None
    when it has none. ``what`` names the file in the refusal ("Filen", "SIE-filen")."""
    if not data.startswith(UTF8_BOM):
        return None
    try:
        return data[len(UTF8_BOM) :].decode("utf-8")
    except UnicodeDecodeError:
        refuse(f"{what} är märkt som UTF-8 men innehåller tecken som inte är UTF-8.")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_format(data: bytes) -> str:
    """SIE when the file starts with its flag record (#FLAGGA), as every SIE file must."""
    start = data.removeprefix(UTF8_BOM).lstrip()
    return SIE if start[:7].upper() == b"#FLAGGA" else CSV


def check_format(data: bytes, chosen: str | None) -> str:
    """The file's format: the one chosen, if the content agrees, else the detected one."""
    detected = detect_format(data)
    if chosen in (None, ""):
        return detected
    if chosen not in (CSV, SIE):
        refuse(f"Okänt filformat ”{chosen}”; välj CSV eller SIE.")
    if chosen == SIE and detected != SIE:
        refuse(
            "Filen är ingen SIE-fil: en SIE-fil börjar med #FLAGGA. Välj CSV om filen är en "
            "CSV-fil."
        )
    if chosen == CSV and detected == SIE:
        refuse("Filen är en SIE-fil (den börjar med #FLAGGA), men formatet CSV valdes.")
    return chosen
