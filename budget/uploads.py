"""Reading an uploaded file within a size limit, with Swedish messages, and the field that
asks for it."""

from django import forms


class UploadRefused(Exception):
    """The upload cannot be read (Swedish message)."""


def file_size(size: int) -> str:
    """A file size as people read it: "4,8 MB", or "10 kB" below a megabyte."""
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def upload_field(*, label, help_text, accept) -> forms.FileField:
    """The file field of an upload form; ``accept`` (endings and content types) is what the
    browser's file picker offers. What the file holds is checked when it is read."""
    return forms.FileField(
        label=label, help_text=help_text, widget=forms.FileInput(attrs={"accept": accept})
    )


def read_limited(fileobj, *, max_bytes: int) -> bytes:
    """The upload's bytes; refused when it is larger than ``max_bytes`` or empty.

    The declared size is checked first, and never more than ``max_bytes + 1`` bytes
    are read, whatever the upload claims.
    """
    size = getattr(fileobj, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRefused(
            f"Filen är för stor ({file_size(size)}); största tillåtna storlek är "
            f"{file_size(max_bytes)}."
        )
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(
            f"Filen är för stor; största tillåtna storlek är {file_size(max_bytes)}."
        )
    if not data:
        raise UploadRefused("Filen är tom.")
    return data
