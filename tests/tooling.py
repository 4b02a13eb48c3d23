"""External programs that some tests need (Chromium, LibreOffice).

On a developer's machine without them those tests skip with a reason that says how to
install the program. CI sets REQUIRE_BROWSER=1, and then a missing program fails the
run instead, so CI can never pass with those tests silently skipped.
"""

import os
import shutil
from pathlib import Path

import pytest

# Debian's chromium-headless-shell is the same Chromium build without the desktop browser
# around it (what Playwright itself runs headless): the browser tests take about a third less
# CPU with it. The full browser (package chromium) serves where the shell is not installed.
CHROMIUM_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_HINT = "apt-get install chromium-headless-shell (or chromium)"
SOFFICE = "soffice"
SOFFICE_HINT = "apt-get install libreoffice-calc-nogui"


def tools_required() -> bool:
    """True when missing tools must fail the run (CI), not skip."""
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def find_tool(path_or_name: str) -> str | None:
    """The executable's path, or None. Takes an absolute path or a name looked up on PATH."""
    if os.sep in path_or_name:
        path = Path(path_or_name)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    return shutil.which(path_or_name)


def require_tool(path_or_name: str, install_hint: str) -> str:
    """Return the tool's path; skip the test if it is missing (fail under REQUIRE_BROWSER=1)."""
    found = find_tool(path_or_name)
    if found:
        return found
    name = Path(path_or_name).name
    message = f"{name} not installed: {install_hint}"
    if tools_required():
        pytest.fail(f"{message} (REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
    pytest.skip(message)


def require_chromium() -> str:
    """Chromium's headless shell where installed, else the full browser."""
    return find_tool(CHROMIUM_SHELL) or require_tool(CHROMIUM, CHROMIUM_HINT)


def require_soffice() -> str:
    return require_tool(SOFFICE, SOFFICE_HINT)


def _convert_with_libreoffice(sources: list[Path], to: str, outdir: Path, profile: Path) -> None:
    """Have LibreOffice, headless, convert every file of ``sources`` ``to`` a format into
    ``outdir``: one LibreOffice run for them all (starting it costs about a second)."""
    import subprocess

    subprocess.run(
        [
            require_soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--calc",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *(str(source) for source in sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def _written(contents: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Each workbook of ``contents`` (name: bytes) written as ``folder``/<name>.xlsx."""
    folder.mkdir(parents=True)
    paths = {}
    for name, content in contents.items():
        paths[name] = folder / f"{name.replace(' ', '-')}.xlsx"
        paths[name].write_bytes(content)
    return paths


RECALCULATE_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


_profiles: dict[str, Path] = {}


def _profile(kind: str, settings: str | None = None) -> Path:
    """A LibreOffice profile of this test process, made by its first conversion and used by
    the next ones (LibreOffice sets a new profile up for a second or so)."""
    if kind not in _profiles:
        import atexit
        import shutil
        import tempfile

        profile = Path(tempfile.mkdtemp(prefix=f"lo-{kind}-"))
        atexit.register(shutil.rmtree, profile, ignore_errors=True)
        if settings is not None:
            (profile / "user").mkdir()
            (profile / "user" / "registrymodifications.xcu").write_text(settings)
        _profiles[kind] = profile
    return _profiles[kind]


def recalculating_profile() -> Path:
    """A LibreOffice profile that computes every formula again when it opens a workbook,
    whatever values the file has stored (by default it would show the stored ones)."""
    return _profile("recalculating", RECALCULATE_ALWAYS)


def recomputed_by_libreoffice(content: bytes, tmp_path: Path, name: str = "arbetsbok") -> bytes:
    """The workbook as LibreOffice saves it after computing every formula itself: its
    stored values are LibreOffice's, not the application's."""
    return recomputed_by_libreoffice_each({name: content}, tmp_path)[name]


def recomputed_by_libreoffice_each(contents: dict[str, bytes], tmp_path: Path) -> dict[str, bytes]:
    """recomputed_by_libreoffice of each workbook of ``contents`` (name: bytes), in one run."""
    sources = _written(contents, tmp_path / "beraknad")
    out = tmp_path / "beraknad-ut"
    _convert_with_libreoffice(
        list(sources.values()), "xlsx:Calc MS Excel 2007 XML", out, recalculating_profile()
    )
    return {name: (out / source.name).read_bytes() for name, source in sources.items()}


def printed_pages(content: bytes, tmp_path: Path, name: str = "arbetsbok") -> list[str]:
    """The text of each page LibreOffice prints of the workbook (PDF through pdftotext)."""
    return printed_pages_of_each({name: content}, tmp_path)[name]


def printed_pages_of_each(contents: dict[str, bytes], tmp_path: Path) -> dict[str, list[str]]:
    """printed_pages of each workbook of ``contents`` (name: bytes), printed in one run."""
    import subprocess

    folder = tmp_path / "utskrift"
    sources = _written(contents, folder)
    _convert_with_libreoffice(list(sources.values()), "pdf", folder, recalculating_profile())
    pdftotext = require_tool("pdftotext", "apt-get install poppler-utils")
    pages = {}
    for name, source in sources.items():
        text = subprocess.run(
            [pdftotext, "-layout", str(source.with_suffix(".pdf")), "-"],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout.decode("utf-8")
        pages[name] = text.split("\f")[:-1]
    return pages


def recomputed_sheets(content: bytes, tmp_path: Path, name: str = "arbetsbok") -> dict:
    """Every sheet of a workbook as LibreOffice computes it: {sheet name: rows of cell
    texts}. Formulas are recomputed; openpyxl alone would give no values for them."""
    import csv

    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(content)
    out = tmp_path / "csv"
    _convert_with_libreoffice(
        [source],
        "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
        out,
        _profile("plain"),
    )
    return {
        path.stem.removeprefix(f"{name}-"): list(
            csv.reader(path.read_text(encoding="utf-8").splitlines())
        )
        for path in out.glob(f"{name}-*.csv")
    }


def saved_again_by_libreoffice(content: bytes, tmp_path: Path, name: str = "arbetsbok") -> bytes:
    """The workbook as LibreOffice writes it after opening it: what a user's spreadsheet
    program hands back when someone fills in a template and saves it."""
    source = tmp_path / "mall" / f"{name}.xlsx"
    source.parent.mkdir()
    source.write_bytes(content)
    _convert_with_libreoffice([source], "xlsx:Calc MS Excel 2007 XML", tmp_path, _profile("plain"))
    return (tmp_path / f"{name}.xlsx").read_bytes()
