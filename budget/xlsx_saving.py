"""Saving a workbook: openpyxl's writer, with each sheet's cells written as XML text.

openpyxl writes every cell as an ElementTree element serialised by et_xmlfile's
pure-Python incremental writer, which for a paper of 40 000 cells was the largest part of
making it. ``save`` is openpyxl's own saving (``openpyxl.writer.excel.ExcelWriter``) with
one change: a sheet's rows and its text, number, boolean and formula cells are written as
the very text openpyxl would write. Everything else about the file (the sheets' settings,
the styles, the package) is openpyxl's. Any other cell (a date, rich text, an array
formula, a hyperlink, a comment) is passed to openpyxl's own cell writer.

It leans on openpyxl 3.1's insides (its sheet writer, and et_xmlfile's ``_file``, where
the text goes): without lxml and with that ``_file`` every row is written here, else
openpyxl writes it all. tests/test_workbook_saving.py holds the saved files byte for byte
against openpyxl's, for a sheet with every kind of cell and for every paper, so an
upgrade that writes differently fails there.

Given the formulas' computed values (budget.xlsx_values.computed_values), a formula cell
written here carries its value as ``store_values`` would put it in afterwards; ``save``
says how many it wrote, so that the caller stores the others (written by openpyxl) with
``store_values``. tests/test_workbook_saving.py holds the two ways byte for byte.
"""

from decimal import Decimal
from xml.etree.ElementTree import _escape_attrib, _escape_cdata
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import LXML
from openpyxl.cell._writer import write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from budget.xlsx_values import stored_text


def save(wb, target, *, compression=ZIP_DEFLATED, values=None) -> int:
    """``wb`` saved into ``target`` (a file or a path), as ``wb.save(target)`` saves it;
    ``compression``: ZIP_STORED for a file that is compressed afterwards. ``values``:
    (sheet title, coordinate) → a formula's computed value, written beside the formula.
    Returns how many of ``values`` were written."""
    if wb.read_only or wb.write_only:
        wb.save(target)
        return 0
    by_sheet = {}
    for (title, coordinate), value in (values or {}).items():
        by_sheet.setdefault(title, {})[coordinate] = value
    archive = ZipFile(target, "w", compression, allowZip64=True)
    writer = _Writer(wb, archive)
    writer.values, writer.stored = by_sheet, 0
    writer.save()
    return writer.stored


class _Writer(ExcelWriter):
    values: dict  # sheet title → coordinate → a formula's computed value
    stored: int  # how many of them were written

    def write_worksheet(self, ws):
        # openpyxl 3.1's ExcelWriter.write_worksheet for a workbook that is not
        # write-only, with the sheet writer below.
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws)
        writer.values = self.values.get(ws.title, {})
        writer.write()
        self.stored += writer.stored
        ws._rels = writer._rels
        self._archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()


class _SheetWriter(WorksheetWriter):
    def __init__(self, ws, out=None):
        super().__init__(ws, out)
        # Each style's id by its StyleArray's bytes: openpyxl hashes the array anew for
        # each cell.
        self.style_ids = {}
        self.values = {}  # coordinate → a formula's computed value
        self.stored = 0

    def write_row(self, xf, row, row_idx):
        # openpyxl's WorksheetWriter.write_row, each cell written as text where it can;
        # a row's text goes to the file in one piece.
        raw = None if LXML else getattr(xf, "_file", None)
        if raw is None:
            super().write_row(xf, row, row_idx)
            return
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        parts = ["<row" + "".join(f' {k}="{_escape_attrib(v)}"' for k, v in attrs.items()) + ">"]
        style_ids = self.style_ids
        values = self.values
        for cell in row:
            if cell._comment is not None:
                self.ws._comments.append(CommentRecord.from_cell(cell))
            style = cell._style
            styled = style is not None and any(style)  # openpyxl's cell.has_style
            if cell._value is None and not styled and not cell._comment:
                continue
            style_id = None
            if styled:
                key = style.tobytes()
                style_id = style_ids.get(key)
                if style_id is None:
                    style_id = style_ids[key] = cell.style_id
            computed = NOT_COMPUTED
            if values and cell.data_type == "f":
                computed = values.get(cell.coordinate, NOT_COMPUTED)
            text = cell_xml(cell, style_id, computed)
            if text is None:
                raw("".join(parts))  # what comes before it, in order
                parts = []
                write_cell(xf, self.ws, cell, styled)
            else:
                parts.append(text)
                if computed is not NOT_COMPUTED:
                    self.stored += 1
        parts.append("</row>")
        raw("".join(parts))


NOT_COMPUTED = object()  # a formula without a computed value: written as openpyxl does


def cell_xml(cell, style_id: int | None, computed=NOT_COMPUTED) -> str | None:
    """The cell's <c> element as openpyxl's cell writer (``etree_write_cell``) writes it
    (``style_id``: a styled cell's); a formula with its ``computed`` value where given, as
    budget.xlsx_values.store_values puts it in afterwards. None for a kind of cell left to
    openpyxl (dates, rich text, array and table formulas, hyperlinks, comments)."""
    value = cell._value
    kind = cell.data_type
    types = _WRITTEN.get(kind)
    if (
        types is None
        or cell.hyperlink is not None
        or cell._comment is not None
        or not (value is None or isinstance(value, types))
    ):
        return None  # rich text is neither text nor a number: left to openpyxl too
    # openpyxl's _set_attributes: the reference, the style's id, the type.
    start = f'<c r="{get_column_letter(cell.column)}{cell.row}"'
    if style_id is not None:
        start += f' s="{style_id}"'
    start += _TYPE[kind]
    if value is None or value == "":
        return start + " />"
    if kind == "s":
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        return f"{start}><is><t{space}>{_escape_cdata(value)}</t></is></c>"
    if kind == "f":
        formula = _element("f", value[1:])
        if computed is not NOT_COMPUTED:
            kind_attribute, text = stored_text(computed)
            return f"{start}{kind_attribute}>{formula}<v>{text}</v></c>"
        return f"{start}>{formula}<v /></c>"
    return f"{start}>{_element('v', safe_string(value))}</c>"


# The kinds of cell written here (openpyxl's data types), the values they may hold and the
# type attribute openpyxl writes for them.
_WRITTEN = {"s": str, "f": str, "n": int | float | Decimal, "b": bool}
_TYPE = {"s": ' t="inlineStr"', "f": "", "n": ' t="n"', "b": ' t="b"'}


def _element(tag: str, text: str) -> str:
    return f"<{tag}>{_escape_cdata(text)}</{tag}>" if text else f"<{tag} />"
