"""The reporting calendar as a sheet of the budget workbook ("Uppföljningskalender"):
written with the plan, read back and loaded when the workbook is imported, so that a
municipality's follow-up year can start from its own workbook (budget.extensions
``WorkbookPart``, registered in followup/apps.py)."""

import datetime

from budget import xlsx
from budget.extensions import WorkbookPart
from budget.forms import whole_number
from budget.loader import PlanDataError
from followup.models import ReportingPeriod
from followup.periods.calendar import ASK_LABELS, asks_of, load_calendar

SHEET = "Uppföljningskalender"
ABOUT = (
    "en rad per uppföljningsperiod: månad, rapport, innehåll, vad nämnderna lämnar (Ja eller "
    "tomt) och sista dag. Inläsningen skapar och uppdaterar perioderna; en sista dag som "
    "ekonomiavdelningen redan har satt ändras inte."
)
HEADERS = ("Månad", "Rapport", "Innehåll", *(header for _, header in ASK_LABELS), "Sista dag")
WIDTHS = (8, 16, 56, 10, 14, 18, 16, 12)
HEADER_ROW = 4
YES = "Ja"
NOTE = (
    "En rad per period. Månad: 1–12. Rapport: Månadsrapport, Delårsrapport eller Årsbokslut. "
    "Utfall, Helårsprognos, Planerade åtgärder, Måluppföljning: Ja om nämnderna lämnar det, "
    "annars tomt. Sista dag: nämndernas sista dag för rapporten (ÅÅÅÅ-MM-DD); tom, så sätter "
    "ekonomiavdelningen den i Budgetuppföljning."
)


def write_sheet(ws, plan) -> None:
    """The plan's periods, one row each, in month order."""
    xlsx.put_text(
        ws,
        1,
        1,
        f"{plan.municipality.name} – Uppföljningskalender {plan.year}",
        font=xlsx.TITLE_FONT,
    )
    xlsx.put_text(ws, 2, 1, NOTE, font=xlsx.ITALIC)
    xlsx.header_row(ws, HEADER_ROW, HEADERS, numeric=(1,))
    periods = ReportingPeriod.objects.filter(plan=plan, year=plan.year).order_by("month")
    for r, period in enumerate(periods, start=HEADER_ROW + 1):
        xlsx.put_number(ws, r, 1, period.month, "0")
        xlsx.put_text(ws, r, 2, period.get_kind_display())
        xlsx.put_text(ws, r, 3, period.content)
        asks = asks_of(period)
        for c, (key, _) in enumerate(ASK_LABELS, start=4):
            xlsx.put_text(ws, r, c, YES if key in asks else "")
        xlsx.put_number(ws, r, len(HEADERS), period.deadline, xlsx.DATE_FORMAT)
    xlsx.set_widths(ws, WIDTHS)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def read_sheet(rows, problem) -> list[dict]:
    """The calendar entries of the sheet's rows (as budget.loader's data file has them:
    month, kind, content, asks, deadline); ``problem(row, column, message)`` for each
    thing wrong."""
    header = next(
        (i for i, row in enumerate(rows) if row and _text(row[0]).casefold() == "månad"), None
    )
    if header is None:
        problem(None, None, f"Rubrikraden ({', '.join(HEADERS)}) saknas.")
        return []
    kinds = {label.casefold(): value for value, label in ReportingPeriod.Kind.choices}
    entries, months = [], {}
    for index in range(header + 1, len(rows)):
        row = tuple(rows[index]) + (None,) * len(HEADERS)
        number = index + 1
        if all(_text(value) == "" for value in row[: len(HEADERS)]):
            continue
        month = _month(row[0])
        if month is None:
            problem(number, 0, "Månaden ska vara ett heltal från 1 till 12.")
        elif month in months:
            problem(number, 0, f"Månad {month} finns redan på rad {months[month]}.")
        else:
            months[month] = number
        kind = kinds.get(_text(row[1]).casefold())
        if kind is None:
            allowed = ", ".join(label for _, label in ReportingPeriod.Kind.choices)
            problem(number, 1, f"Okänd rapport ”{_text(row[1])}”; tillåtna: {allowed}.")
        content = _text(row[2])
        if not content:
            problem(number, 2, "Innehållet saknas (till exempel ”Ekonomisk uppföljning”).")
        asks = []
        for c, (key, header_text) in enumerate(ASK_LABELS, start=3):
            answer = _text(row[c])
            if answer.casefold() == YES.casefold():
                asks.append(key)
            elif answer:
                problem(number, c, f"{header_text}: skriv Ja eller lämna tomt, inte ”{answer}”.")
        deadline, wrong = _date(row[len(HEADERS) - 1])
        if wrong:
            problem(number, len(HEADERS) - 1, "Sista dag ska vara ett datum (ÅÅÅÅ-MM-DD).")
        entries.append(
            {
                "month": month,
                "kind": kind,
                "content": content,
                "asks": asks,
                "deadline": deadline,
                "row": number,
            }
        )
    return entries


def load_sheet(*, plan, data: list[dict], actor) -> str:
    """Create or update the plan's periods from the sheet's entries."""
    early = [
        f"Blad ”{SHEET}”, rad {e['row']}: sista dag kan inte ligga före periodens månad."
        for e in data
        if e["deadline"] is not None and e["deadline"] < datetime.date(plan.year, e["month"], 1)
    ]
    if early:
        raise PlanDataError(early)
    count = load_calendar(plan=plan, entries=data, actor=actor)
    return f"Uppföljningskalendern: {len(data)} perioder i arbetsboken, {count} i planen."


PART = WorkbookPart(sheet=SHEET, about=ABOUT, write=write_sheet, read=read_sheet, load=load_sheet)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _month(value) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        value = whole_number(value, low=1, high=12)
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12
        else None
    )


def _date(value) -> tuple[datetime.date | None, bool]:
    """(the date, whether the cell holds something that is not one)."""
    if value is None or _text(value) == "":
        return None, False
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    try:
        return datetime.date.fromisoformat(_text(value)), False
    except ValueError:
        return None, True
