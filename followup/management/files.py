"""The files the management commands read and write, with their Swedish refusals: a file
that cannot be read or written, one too large, and one that was read but not taken in
(each problem on stderr, then the count)."""

from pathlib import Path

from django.core.management.base import CommandError


def cannot_read(path: Path, exc: OSError) -> CommandError:
    return CommandError(f"Kunde inte läsa {path}: {exc.strerror}.")


def read_at_most(path: Path, max_bytes: int, *, too_large: str) -> bytes:
    """The file's content; refused when it cannot be read or is larger than ``max_bytes``
    (``too_large`` says what it should have been: "{path} är för stor för <too_large>.")."""
    try:
        with path.open("rb") as fh:
            content = fh.read(max_bytes + 1)
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    if len(content) > max_bytes:
        raise CommandError(f"{path} är för stor för {too_large}.")
    return content


def write(path: Path, content: bytes | str) -> None:
    """Writes bytes, or text as UTF-8; refused when the file cannot be written."""
    try:
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    except OSError as exc:
        raise CommandError(f"Kunde inte skriva {path}: {exc.strerror}.") from exc


def not_read(stderr, path: Path, problems, *, nothing: str) -> CommandError:
    """Writes each problem of the file to ``stderr``; the error that ends the command
    (``nothing``: "Ingenting har ändrats." or "Ingenting har sparats.")."""
    for problem in problems:
        stderr.write(str(problem))
    return CommandError(f"{path} lästes inte in: {len(problems)} fel. {nothing}")
