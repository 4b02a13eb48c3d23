"""The council list as an Excel paper (ärendelista) for kommunfullmäktige.

Sheet "KF-ärenden", A4 portrait: one block per reallocation awaiting KF's decision, with
its heading, purpose, funding, why KF decides, and its lines by committee; the block's
sum row is a formula over its lines, and it is 0. Sheet "Alla rader": every line as one
flat table with a filter, for those who want to sort and filter.

Amounts are exact tkr (kronor / 1 000, never rounded in the cell), shown with one
decimal. The sum is rounded to five decimals (the öre) in the formula itself, so that a
spreadsheet program's binary arithmetic cannot show a balanced reallocation as 0,0000001.
"""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from budget import xlsx
from followup.reallocations.council import WHY_THE_COUNCIL_DECIDES, council_items
from followup.reallocations.workflow import SIGN_CONVENTION, effect

LIST_SHEET = "KF-ärenden"
LINES_SHEET = "Alla rader"
LINE_HEADERS = ("Nämnd", "Verksamhet", "Förändring av nettoram, tkr", "Innebär · kommentar")
LIST_WIDTHS = (30, 36, 14, 34)  # characters: fits A4 portrait
FLAT_COLUMNS = (
    ("Ärende", 10),
    ("Rubrik", 36),
    ("Slag", 24),
    ("Nämndkod", 22),
    ("Nämnd", 30),
    ("Verksamhetskod", 24),
    ("Verksamhet", 34),
    ("Förändring av nettoram, tkr", 16),
    ("Kommentar", 40),
)
SUM_LABEL = "Summa (ska vara 0)"
NOTHING = "Inga budgetomfördelningar väntar på beslut av kommunfullmäktige."


def filename(plan) -> str:
    return f"kf-arenden-{plan.year}.xlsx"


def workbook_bytes(plan, *, now=None) -> bytes:
    return xlsx.workbook_bytes(build_council_workbook(plan, now=now))


def build_council_workbook(plan, *, now=None) -> Workbook:
    items = council_items(plan)
    moment = xlsx.made_at(now)
    municipality = plan.municipality.name
    title = f"Ärenden till kommunfullmäktige – budgetomfördelningar {plan.year}"
    wb = xlsx.new_workbook(title=title, made=moment)

    ws = wb.active
    ws.title = LIST_SHEET
    _list_sheet(ws, plan, items, title, moment)
    printed = {"municipality": municipality, "title": title, "made_on": moment.date()}
    xlsx.print_setup(ws, **printed, orientation="portrait")
    flat = wb.create_sheet(LINES_SHEET)
    _lines_sheet(flat, items)
    xlsx.print_setup(flat, **printed)
    return wb


class _Writer:
    """Rows one below the other on the list sheet; long texts span columns B–D."""

    def __init__(self, ws):
        self.ws = ws
        self.row = 1

    def text(self, text, font=None):
        xlsx.put_text(self.ws, self.row, 1, text, font=font)
        self.row += 1

    def paragraph(self, text, font=None):
        """A long text across the whole width, wrapped, the row high enough for it."""
        xlsx.put_text(self.ws, self.row, 1, text, font=font, alignment=xlsx.WRAP)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=4)
        self._height(text, sum(LIST_WIDTHS))
        self.row += 1

    def field(self, label, value, *, number=None):
        xlsx.put_text(self.ws, self.row, 1, label, font=xlsx.BOLD, alignment=xlsx.TOP)
        if number is not None:
            xlsx.put_number(self.ws, self.row, 2, number, xlsx.TKR_FORMAT).alignment = xlsx.TOP
        else:
            xlsx.put_text(self.ws, self.row, 2, value, alignment=xlsx.WRAP)
            self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=4)
            self._height(value, sum(LIST_WIDTHS[1:]))
        self.row += 1

    def _height(self, text, width):
        lines = sum(max(1, -(-len(part) // width)) for part in str(text or "").split("\n"))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = 15 * lines


def prepared(reallocation) -> str:
    """ "2026-04-10 av Eva Ekonom": when finance prepared it, and who."""
    when = f"{timezone.localtime(reallocation.prepared_at):%Y-%m-%d}"
    user = reallocation.prepared_by
    if user is None:
        return when
    return f"{when} av {user.get_full_name() or user.get_username()}"


def _list_sheet(ws, plan, items, title, moment):
    w = _Writer(ws)
    w.text(title, xlsx.TITLE_FONT)
    w.text(f"{plan.municipality.name} · {plan.title} · utdrag {moment:%Y-%m-%d %H:%M}", xlsx.BOLD)
    w.paragraph(f"Belopp i tkr. {SIGN_CONVENTION}", xlsx.ITALIC)
    w.paragraph(WHY_THE_COUNCIL_DECIDES)
    w.row += 1
    if not items:
        w.text(NOTHING)
    for item in items:
        r = item.reallocation
        w.text(f"{r.get_kind_display()} {r.reference}: {r.title}", xlsx.SECTION_FONT)
        w.field("Slag", r.get_kind_display())
        w.field("Budgetår", str(r.budget_year.year))
        w.field("Syfte", r.purpose)
        w.field("Varifrån pengarna kommer", r.funding)
        w.field("Varför kommunfullmäktige beslutar", item.reason)
        if r.prepared_at:
            w.field("Beredd", prepared(r))
        w.field("Belopp som flyttas, tkr", None, number=xlsx.tkr(item.moved))
        xlsx.header_row(ws, w.row, LINE_HEADERS, numeric=(3,))
        w.row += 1
        first = w.row
        for line in item.lines:
            xlsx.put_text(ws, w.row, 1, line.activity.committee.name, alignment=xlsx.TOP)
            xlsx.put_text(ws, w.row, 2, line.activity.name, alignment=xlsx.TOP)
            xlsx.put_number(
                ws, w.row, 3, xlsx.tkr(line.amount), xlsx.TKR_FORMAT
            ).alignment = xlsx.TOP
            said = " · ".join(part for part in (effect(line), line.note) if part)
            xlsx.put_text(ws, w.row, 4, said, alignment=xlsx.WRAP)
            w.row += 1
        last = w.row - 1
        xlsx.put_text(ws, w.row, 1, SUM_LABEL, font=xlsx.BOLD)
        xlsx.put_formula(
            ws, w.row, 3, f"=ROUND(SUM(C{first}:C{last}),5)", xlsx.TKR_FORMAT
        ).font = xlsx.BOLD
        xlsx.total_border(ws, w.row, len(LINE_HEADERS))
        w.row += 2
    xlsx.set_widths(ws, LIST_WIDTHS)
    ws.print_title_rows = "1:2"


def _lines_sheet(ws, items):
    headers = [name for name, _ in FLAT_COLUMNS]
    xlsx.header_row(ws, 1, headers, numeric=(8,))
    row = 2
    for item in items:
        r = item.reallocation
        for line in item.lines:
            activity, committee = line.activity, line.activity.committee
            values = (r.reference, r.title, r.get_kind_display(), committee.code)
            for column, value in enumerate(values, start=1):
                xlsx.put_text(ws, row, column, value)
            xlsx.put_text(ws, row, 5, committee.name)
            xlsx.put_text(ws, row, 6, activity.code)
            xlsx.put_text(ws, row, 7, activity.name)
            xlsx.put_number(ws, row, 8, xlsx.tkr(line.amount), xlsx.TKR_FORMAT)
            xlsx.put_text(ws, row, 9, line.note)
            row += 1
    last_column = get_column_letter(len(FLAT_COLUMNS))
    ws.auto_filter.ref = f"A1:{last_column}{max(row - 1, 1)}"
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    xlsx.set_widths(ws, [width for _, width in FLAT_COLUMNS])
