"""External programs that some tests need (Chromium, LibreOffice).

On a developer's machine without them those tests skip with a reason that says how to
install the program. CI sets REQUIRE_BROWSER=1, and then a missing program fails the
run instead, so CI can never pass with those tests silently skipped.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_HINT = "apt-get install chromium"
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
    return require_tool(CHROMIUM, CHROMIUM_HINT)


def require_soffice() -> str:
    return require_tool(SOFFICE, SOFFICE_HINT)


def _convert_with_libreoffice(source: Path, to: str, outdir: Path, profile: Path) -> None:
    """Have LibreOffice, headless, convert ``source`` ``to`` a format into ``outdir``."""
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
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def recomputed_sheets(content: bytes, tmp_path: Path, name: str = "arbetsbok") -> dict:
    """Every sheet of a workbook as LibreOffice computes it: {sheet name: rows of cell
    texts}. Formulas are recomputed; openpyxl alone would give no values for them."""
    import csv

    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(content)
    out = tmp_path / "csv"
    _convert_with_libreoffice(
        source,
        "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
        out,
        tmp_path / "profile",
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
    _convert_with_libreoffice(source, "xlsx:Calc MS Excel 2007 XML", tmp_path, tmp_path / "profile")
    return (tmp_path / f"{name}.xlsx").read_bytes()
