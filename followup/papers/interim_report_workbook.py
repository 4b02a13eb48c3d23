"""The interim report (Delårsrapport) and the annual accounts (Årsbokslut) as Excel
papers: delarsrapport-2026.xlsx, arsbokslut-2026.xlsx.

Sheets (figures from ``interim_report``; see there for where each comes from):

- **Sammanfattning**: every committee's figures and the municipality's result against the
  budgeted result, the surplus target and last year's result (interim report: forecast;
  annual accounts: outcome); the balance requirement's verdict, the goals' verdict and
  finance's assessment of god ekonomisk hushållning (entered, with who and when).
- **Driftredovisning**: per committee budget, budget to date, outcome, forecast, deviation,
  the previous forecast and last year's outcome (annual accounts: outcome for the year in
  the forecast's place) (followup.papers.interim_sheets).
- **Resultaträkning**, **Balansräkning**, **Kassaflödesanalys**, **Balanskravsutredning**:
  followup.papers.statement_sheets.
- **Investeringar**: per committee and project budget, carry-over, outcome and forecast
  (annual accounts: outcome, and what is carried into next year), with the committees'
  totals.
- **Bolag**: the companies' forecasts for the period beside the document's figure, and the
  municipality and the companies together (kommunkoncernen).
- **Prognossäkerhet**: each committee's forecast in each forecast period of the year; in
  the annual accounts each against the year's outcome.
- **Mål och indikatorer**: the inriktningsmål, their indicators with values per year and
  trend, the financial goals' indicators (resultatandel, soliditet) as of the period beside
  the budget's, and finance's analysis of each goal for the period.
- **Omfördelningar**: the reallocations decided in the year up to the period (left out
  when there are none; the summary says so).
- **Nämnderna**: a part per committee: its activities with the controller's comments, its
  report's thread, and its action plans with every measure (expected effect, responsible,
  date, status as of the period) (followup.papers.committee_sheets).

Amounts are exact Decimal mkr, shown with one decimal; totals are formulas; text is
always text. Every sheet prints on A4 landscape, one page wide, title rows repeated, its
rows as high as their wrapped text.
"""

from datetime import date

from django.utils import timezone
from openpyxl import Workbook

from budget import xlsx
from budget.money import format_mkr, format_percent
from followup.goals.progress import Trend
from followup.papers.committee_sheets import (
    COMMITTEES_SHEET,
    REALLOCATIONS_SHEET,
    committees_sheet,
    reallocations_sheet,
)
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    RESULT_HEADING,
    SUMMARY_WIDTHS,
    bold_row,
    budget_line,
    budget_note,
    finish_paper,
    finish_sheet,
    fit_rows,
    keep_together,
    new_paper,
    paper_bytes,
    paper_title,
    paragraph,
    paragraphs,
    put_figure,
    report_status,
    result_section,
    sheet_heading,
    summary_sheet,
    total_label,
    wrap,
)
from followup.papers.interim_report import InterimReport, interim_report
from followup.papers.interim_sheets import (
    ACCURACY_SHEET,
    COMPANIES_SHEET,
    INVESTMENTS_SHEET,
    OPERATIONS_SHEET,
    accuracy_sheet,
    companies_sheet,
    investments_sheet,
    operations_sheet,
)
from followup.papers.statement_sheets import (
    REQUIREMENT_SHEET,
    STATEMENT_SHEETS,
    requirement_sheet,
    statement_sheet,
)

__all__ = [
    "ACCURACY_SHEET",
    "COMMITTEES_SHEET",
    "COMPANIES_SHEET",
    "GOALS_SHEET",
    "INVESTMENTS_SHEET",
    "OPERATIONS_SHEET",
    "REALLOCATIONS_SHEET",
    "build_interim_report",
    "filename",
    "workbook_bytes",
]

GOALS_SHEET = "Mål och indikatorer"


def filename(period) -> str:
    """ "delarsrapport-2026.xlsx" or "arsbokslut-2026.xlsx"."""
    return f"{period.kind}-{period.year}.xlsx"


def workbook_bytes(period, *, today: date | None = None, corrections=()) -> bytes:
    """The paper; ``corrections`` (followup.papers.common.corrections_sheet) add the sheet
    "Rättelser" to a paper corrected after publication."""
    report = interim_report(period, today=today or timezone.localdate())
    return paper_bytes(report, build_interim_report, corrections)


def build_interim_report(report: InterimReport) -> Workbook:
    wb = new_paper(report)
    summary = wb.active
    operations = wb.create_sheet(OPERATIONS_SHEET)
    statements = {kind: wb.create_sheet(title) for kind, title in STATEMENT_SHEETS.items()}
    requirement = wb.create_sheet(REQUIREMENT_SHEET)
    investments = wb.create_sheet(INVESTMENTS_SHEET)
    companies = wb.create_sheet(COMPANIES_SHEET)
    accuracy = wb.create_sheet(ACCURACY_SHEET)
    goals = wb.create_sheet(GOALS_SHEET)
    reallocations = wb.create_sheet(REALLOCATIONS_SHEET) if report.reallocations else None
    committees = wb.create_sheet(COMMITTEES_SHEET)

    totals, rows = operations_sheet(operations, report)
    result_cell = _summary_sheet(summary, report, totals, rows)
    for kind, ws in statements.items():
        statement_sheet(ws, report, kind)
    requirement_sheet(requirement, report, result=_total_cell(summary, report))
    investments_sheet(investments, report)
    companies_sheet(companies, report, municipality_result=result_cell)
    accuracy_sheet(accuracy, report)
    _goals_sheet(goals, report)
    if reallocations is not None:
        reallocations_sheet(reallocations, report, report.reallocations, when=_year_so_far(report))
    committees_sheet(committees, report, report.parts, outcome=report.is_outcome)
    return finish_paper(wb, report)


def _year_so_far(report) -> str:
    """ "januari–augusti 2026": the months the interim report covers."""
    period = report.period
    return f"januari–{period.month_name} {period.year}"


# Sammanfattning -------------------------------------------------------------------------


def _summary_sheet(ws, report, totals, rows) -> str:
    """The summary; each committee's figures refer to its row of the Driftredovisning
    (``rows``: committee id → key → cell). Returns the reference to the municipality's
    result (the forecast, or in the annual accounts the outcome) for the other sheets."""
    last_year = report.previous_year
    lines, after = (), ()
    if report.has_previous:
        lines = ((f"Utfall {last_year}", f"={totals['previous_year']}", None),)
        label = report.figure_label.lower()
        after = (
            (
                f"Förändring mot {last_year} ({label} − utfall {last_year})",
                lambda budget, figure, previous: (
                    f'=IF(OR(B{figure}="",B{previous}=""),"",B{figure}-B{previous})'
                ),
            ),
        )
    if report.is_outcome:
        last, widths = _annual_summary_sheet(ws, report, lines=lines, after=after, sources=rows)
    else:
        widths = SUMMARY_WIDTHS
        last = summary_sheet(
            ws,
            report,
            lines=lines,
            after=after,
            note=_previous_note(report),
            sources=rows,
        )
    figure_row = _figure_row(ws, report)
    blocks = [(_row_labelled(ws, RESULT_HEADING), last)]
    r = last + 2
    for section in (_balance_section, _goals_section, _assessment_section, _contents_section):
        start = r
        r = section(ws, report, r, widths)
        blocks.append((start, r - 1))
        r += 1
    # The pages after the first hold the verdicts, not the committees' table: only the
    # title lines are repeated on them.
    ws.print_title_rows = f"1:{SUMMARY_TITLE_ROWS}"
    fit_rows(ws)
    keep_together(ws, blocks, widths)
    return f"'{ws.title}'!B{figure_row}"


SUMMARY_TITLE_ROWS = 3


def _row_labelled(ws, label) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == label)


def _previous_note(report) -> str:
    if report.has_previous:
        return (
            f"Utfallet {report.previous_year} är nämndernas och finansförvaltningens utfall "
            "för föregående år som ekonomiavdelningen har registrerat (Driftredovisning)."
        )
    return (
        f"Utfallet {report.previous_year} är inte registrerat av ekonomiavdelningen: "
        "jämförelsen med föregående år saknas."
    )


def _total_cell(ws, report) -> str:
    """The summary's cell of the committees' total forecast (outcome): the year's result
    the balanskravsutredning starts from."""
    column = "C" if report.is_outcome else "D"
    return f"{xlsx.quote_sheet(ws.title)}!{column}{_row_labelled(ws, total_label(report.result))}"


def _figure_row(ws, report) -> int:
    """The row of the result section's forecast (outcome) line."""
    labels = ("Utfall",) if report.is_outcome else ("Prognos", "Prognos (på antagen budget)")
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(row=r, column=1).value in labels and ws.cell(row=r, column=2).data_type == "f":
            return r
    raise LookupError("the summary has no result line")


ANNUAL_HEADERS = ("Nämnd", "Budget", "Utfall", "Avvikelse (utfall − budget)", "Rapportens status")
ANNUAL_WIDTHS = (36, 14, 14, 16, 30, 14)
ANNUAL_NOTE = (
    "Belopp i mkr. Avvikelse = utfall − budget: positiv är bättre än budget, negativ ett "
    "underskott."
)


def _annual_summary_sheet(ws, report, *, lines=(), after=(), sources=None) -> tuple[int, tuple]:
    """The annual accounts' summary: each committee's outcome for the year against its
    budget (references to ``sources``, as ``summary_sheet``); the municipality's result is
    the outcome (``year_result``). Returns the last row written and the sheet's widths."""
    sources = sources or {}
    sheet_heading(ws, report, paper_title(report), ANNUAL_WIDTHS, note=ANNUAL_NOTE)
    xlsx.header_row(ws, HEADER_ROW, ANNUAL_HEADERS, numeric=(2, 3, 4))
    wrap(ws, HEADER_ROW, len(ANNUAL_HEADERS))
    r = FIRST_ROW
    for row in report.rows:
        xlsx.put_text(ws, r, 1, row.committee.name, alignment=xlsx.WRAP)
        source = sources.get(row.committee.pk, {})
        put_figure(ws, r, 2, row.budget, source.get("budget"))
        put_figure(ws, r, 3, row.outcome, source.get("outcome"))
        xlsx.put_formula(ws, r, 4, xlsx.difference(r, "C", "B"), xlsx.MKR_FORMAT)
        xlsx.put_text(ws, r, 5, report_status(row, report.today), alignment=xlsx.WRAP)
        r += 1
    total_row, last = r, r - 1
    xlsx.put_text(ws, total_row, 1, total_label(report.result), font=xlsx.BOLD)
    if report.rows:
        for column, letter in ((2, "B"), (3, "C"), (4, "D")):
            xlsx.put_formula(
                ws, total_row, column, xlsx.column_total(letter, FIRST_ROW, last), xlsx.MKR_FORMAT
            )
        bold_row(ws, total_row, 4)
    xlsx.total_border(ws, total_row, len(ANNUAL_HEADERS))
    r = total_row + 1
    without = [row.committee.name for row in report.rows if row.budget and row.outcome is None]
    if without:
        text = f"Utan utfall för året (ingår inte i utfallet): {', '.join(without)}."
        paragraph(ws, r, text, ANNUAL_WIDTHS, font=xlsx.ITALIC)
        r += 1
    last_row = result_section(
        ws,
        report.result,
        r + 1,
        lines=(
            (*budget_line(report.result, f"=B{total_row}"), report.result.tax_base_budget),
            ("Utfall", f"=C{total_row}", report.balance.year_result.tax_and_grants),
            *lines,
        ),
        deviation=f"=D{total_row}",
        note=f"{budget_note(report.result)} Utfallet är summan av rapporternas utfall för "
        "året. Resultatmålet för utfallet räknas på utfallet för skatteintäkter och generella "
        f"statsbidrag. {_previous_note(report)}",
        widths=ANNUAL_WIDTHS,
        after=after,
    )
    finish_sheet(ws, ANNUAL_WIDTHS)
    return last_row, ANNUAL_WIDTHS


BALANCE_HEADING = "Balanskravet"
GOALS_HEADING = "Målen"
ASSESSMENT_HEADING = "God ekonomisk hushållning – ekonomiavdelningens bedömning"
NO_ASSESSMENT = (
    "Ekonomiavdelningen har inte registrerat någon bedömning av god ekonomisk hushållning "
    "för perioden."
)


def balance_verdict(report) -> str:
    """Whether the balance requirement is met by the year's result (forecast or outcome),
    in a sentence or two (the utredning itself: sheet Balanskravsutredning)."""
    balance = report.balance
    statement = balance.statement
    if statement is None:
        return balance.missing or "Balanskravsutredningen kan inte göras ännu."
    label = report.figure_label.lower()
    amount = format_mkr(statement.balance_result)
    if statement.balance_result >= 0:
        text = (
            f"Balanskravet uppfylls enligt {label}: balanskravsresultatet är {amount} mkr."
            if not report.is_outcome
            else f"Balanskravet är uppfyllt: balanskravsresultatet är {amount} mkr."
        )
    else:
        verb = "uppfylls inte enligt " + label if not report.is_outcome else "är inte uppfyllt"
        text = f"Balanskravet {verb}: balanskravsresultatet är {amount} mkr"
        if statement.new_deficit is not None:
            text += f" och ska återställas senast {statement.new_deficit.restore_by}"
        text += " (KL 11 kap. 12 §)."
    left = sum((d.amount for d in statement.deficits_to_restore), start=0)
    if statement.deficits_to_restore and statement.new_deficit is None:
        text += f" Underskott från tidigare år att återställa: {format_mkr(left)} mkr."
    if statement.messages:
        n = len(statement.messages)
        text += f" Utredningen har {n} {'anmärkning' if n == 1 else 'anmärkningar'}."
    if balance.inputs is None:
        text += (
            " Ekonomiavdelningens underlag (realisationsvinster, reservering) är inte "
            "registrerat: utredningen är beräknad utan justeringar."
        )
    return text + " Se bladet Balanskravsutredning."


def _balance_section(ws, report, r, widths) -> int:
    xlsx.put_text(ws, r, 1, BALANCE_HEADING, font=xlsx.SECTION_FONT)
    r += 1
    statement = report.balance.statement
    if statement is not None:
        xlsx.put_text(ws, r, 1, f"Balanskravsresultat enligt {report.figure_label.lower()}")
        xlsx.put_number(ws, r, 2, xlsx.mkr(statement.balance_result), xlsx.MKR_FORMAT)
        r += 1
    paragraph(ws, r, balance_verdict(report), widths, font=None)
    return r + 1


TREND_WORDS = {
    Trend.BETTER: "bättre",
    Trend.UNCHANGED: "oförändrat",
    Trend.WORSE: "sämre",
    Trend.NONE: "utan jämförelse ännu",
}


def goal_verdict(report, follow_up, financial) -> str:
    """One goal in a sentence or two: its indicators' trends, its financial indicators as
    of the period beside the budget's, and whether finance has analysed it."""
    parts = []
    if follow_up.indicators:
        trends = [f.trend for f in follow_up.indicators]
        counted = ", ".join(
            f"{trends.count(t)} {word}" for t, word in TREND_WORDS.items() if t in trends
        )
        n = len(trends)
        parts.append(f"{n} nyckeltal ({'trend' if n == 1 else 'trender'}: {counted}).")
    label = report.figure_label.lower()
    missing = False
    for f in financial:
        if f.figure is None:
            parts.append(f"{f.indicator.name}: saknas.")
            missing = True
        else:
            budget = f" (budget {format_percent(f.budget)})" if f.budget is not None else ""
            parts.append(f"{f.indicator.name}: {format_percent(f.figure)} enligt {label}{budget}.")
    if missing:
        parts.append(f"Vad som saknas står på bladet {GOALS_SHEET}.")
    if not parts:
        parts.append("Målet har inga nyckeltal.")
    if follow_up.analysis is None:
        parts.append("Ekonomiavdelningen har inte skrivit någon analys för perioden.")
    return " ".join(p.strip() for p in parts)


def _financial_of(report) -> dict:
    """goal id → the financial indicators that follow it up (None: without a goal)."""
    by_goal = {}
    for f in report.financial:
        goal_id = f.indicator.goal_id if f.indicator is not None else None
        by_goal.setdefault(goal_id, []).append(f)
    return by_goal


def _goals_section(ws, report, r, widths) -> int:
    xlsx.put_text(ws, r, 1, GOALS_HEADING, font=xlsx.SECTION_FONT)
    r += 1
    paragraph(
        ws,
        r,
        "Inriktningsmålen följs som trend över tid, inte som årlig måluppfyllelse; de "
        "finansiella målen med nyckeltal enligt "
        f"{report.figure_label.lower()}. Värden och ekonomiavdelningens analys av varje mål "
        f"står på bladet {GOALS_SHEET}.",
        widths,
        font=xlsx.ITALIC,
    )
    r += 1
    financial = _financial_of(report)
    if not report.goals:
        xlsx.put_text(ws, r, 1, "Budgeten har inga inriktningsmål.")
        r += 1
    for follow_up in report.goals:
        goal = follow_up.goal
        xlsx.put_text(ws, r, 1, f"{goal.number}. {goal.title}", alignment=xlsx.WRAP)
        verdict = goal_verdict(report, follow_up, financial.get(goal.pk, []))
        paragraph(ws, r, verdict, widths, font=None, first_column=2)
        r += 1
    unplaced = financial.get(None, [])
    if unplaced:
        xlsx.put_text(ws, r, 1, "Finansiella nyckeltal", alignment=xlsx.WRAP)
        text = " ".join(
            f"{f.indicator.name}: {format_percent(f.figure) or 'saknas'}." for f in unplaced
        )
        paragraph(ws, r, text, widths, font=None, first_column=2)
        r += 1
    return r


def _assessment_section(ws, report, r, widths) -> int:
    xlsx.put_text(ws, r, 1, ASSESSMENT_HEADING, font=xlsx.SECTION_FONT)
    r += 1
    assessment = report.assessment
    if assessment is None or not assessment.text.strip():
        paragraph(ws, r, NO_ASSESSMENT, widths, font=xlsx.ITALIC)
        return r + 1
    r = paragraphs(ws, r, assessment.text, widths)
    by = assessment.recorded_by
    who = f" av {by.get_full_name() or by.get_username()}" if by is not None else ""
    day = timezone.localdate(assessment.recorded_at)
    paragraph(
        ws, r, f"Ekonomiavdelningen, registrerad {day:%Y-%m-%d}{who}.", widths, font=xlsx.ITALIC
    )
    return r + 1


def _contents_section(ws, report, r, widths) -> int:
    parts = [
        f"Nämndernas redovisning med kommentarer, rapporternas trådar och åtgärdsplanerna "
        f"med varje åtgärd och dess status står på bladet {COMMITTEES_SHEET}."
    ]
    if report.reallocations:
        parts.append(
            f"Budgetomfördelningarna beslutade {_year_so_far(report)} står på bladet "
            f"{REALLOCATIONS_SHEET}."
        )
    else:
        parts.append(f"Inga budgetomfördelningar beslutades {_year_so_far(report)}.")
    paragraph(ws, r, " ".join(parts), widths, font=xlsx.ITALIC)
    return r + 1


# Mål och indikatorer --------------------------------------------------------------------

GOAL_HEADERS = (
    "Mål och nyckeltal",
    "Utgångsvärde",
    "Utgångsår",
    "Målvärde",
    "Målår",
    "Önskad riktning",
    "Källa",
)
GOAL_WIDTHS = (60, 13, 11, 13, 11, 16, 30)
YEAR_WIDTH = 10
TREND_HEADERS = ("Trend mot föregående värde", "Mot utgångsvärdet", "Till målvärdet")
TREND_WIDTHS = (18, 18, 18)
ANALYSIS_LABEL = "Ekonomiavdelningens analys"
NO_ANALYSIS = "Ingen analys är skriven för perioden."
VALUE_FORMAT = "0.0#"
FINANCIAL_HEADING = "Finansiella nyckeltal"


def goal_years(report) -> tuple:
    """The years with a value of any indicator, ascending: one column each."""
    return tuple(sorted({y for g in report.goals for y in g.years}))


def _goals_sheet(ws, report):
    kolada = report.municipality.kolada_id
    where = f"Kolada (kommun-id {kolada})" if kolada else "Kolada"
    years = goal_years(report)
    headers = (*GOAL_HEADERS, *(str(y) for y in years), *TREND_HEADERS)
    widths = (*GOAL_WIDTHS, *(YEAR_WIDTH for _ in years), *TREND_WIDTHS)
    sheet_heading(
        ws,
        report,
        f"Mål och indikatorer – {report.period}",
        widths,
        note="Inriktningsmålen följs upp som trend över tid, inte som årlig måluppfyllelse. "
        f"Nyckeltalens värden per år för kommunen hämtas från {where}. Trenden jämför det "
        "senaste värdet med det föregående mot den önskade riktningen; en förändring under "
        "0,5 % av utgångsvärdet räknas som oförändrad. De finansiella nyckeltalen står med "
        f"budgetens värde och värdet enligt {report.figure_label.lower()} under sitt mål. "
        "Under varje mål står ekonomiavdelningens analys för perioden.",
    )
    first_year, first_trend = len(GOAL_HEADERS) + 1, len(GOAL_HEADERS) + len(years) + 1
    xlsx.header_row(ws, HEADER_ROW, headers, numeric=(2, 3, 4, 5, *range(first_year, first_trend)))
    wrap(ws, HEADER_ROW, len(headers))
    column_of = {y: first_year + i for i, y in enumerate(years)}
    financial = _financial_of(report)
    r = FIRST_ROW
    if not report.goals:
        xlsx.put_text(ws, r, 1, "Budgeten har inga inriktningsmål.")
        r += 1
    blocks = []
    for follow_up in report.goals:
        start = r
        goal = follow_up.goal
        xlsx.put_text(ws, r, 1, f"{goal.number}. {goal.title}", font=xlsx.BOLD, alignment=xlsx.WRAP)
        r += 1
        if goal.description:
            r = _merged_text(ws, r, goal.description, widths)
        for f in follow_up.indicators:
            indicator = f.indicator
            xlsx.put_text(ws, r, 1, indicator.name, alignment=xlsx.WRAP)
            xlsx.put_number(ws, r, 2, indicator.baseline_value, VALUE_FORMAT)
            xlsx.put_number(ws, r, 3, indicator.baseline_year, xlsx.NUMBER_FORMAT)
            xlsx.put_number(ws, r, 4, indicator.target_value, VALUE_FORMAT)
            xlsx.put_number(ws, r, 5, indicator.target_year, xlsx.NUMBER_FORMAT)
            xlsx.put_text(ws, r, 6, indicator.get_direction_display())
            xlsx.put_text(ws, r, 7, "; ".join(p for p in (indicator.source, f.source_text) if p))
            ws.cell(row=r, column=7).alignment = xlsx.WRAP
            for value in f.values:
                xlsx.put_number(ws, r, column_of[value.year], value.value, VALUE_FORMAT)
            xlsx.put_text(ws, r, first_trend, f.trend.label, alignment=xlsx.WRAP)
            xlsx.put_text(ws, r, first_trend + 1, f.since_baseline.label, alignment=xlsx.WRAP)
            xlsx.put_text(ws, r, first_trend + 2, f.remaining_shown, alignment=xlsx.WRAP)
            r += 1
        r = _financial_rows(ws, r, report, financial.get(goal.pk, []), widths)
        analysis = follow_up.analysis
        xlsx.put_text(ws, r, 1, ANALYSIS_LABEL, font=xlsx.ITALIC)
        r += 1
        r = _merged_text(ws, r, analysis.text if analysis else NO_ANALYSIS, widths)
        blocks.append((start, r - 1))
        r += 1
    unplaced = financial.get(None, [])
    if unplaced:
        start = r
        xlsx.put_text(ws, r, 1, FINANCIAL_HEADING, font=xlsx.BOLD)
        r = _financial_rows(ws, r + 1, report, unplaced, widths)
        blocks.append((start, r - 1))
    finish_sheet(ws, widths)
    fit_rows(ws)
    keep_together(ws, blocks, widths)  # a goal with its indicators and analysis on one page


def _financial_rows(ws, r, report, items, widths) -> int:
    """The financial indicators of a goal: the budget year's value, the period's
    (forecast or outcome), their difference in percentage points and what the value rests
    on. Returns the next free row."""
    if not items:
        return r
    year = report.period.year
    headers = (
        FINANCIAL_HEADING,
        f"Budget {year}",
        f"{report.figure_label} {year}",
        "Skillnad, %-enheter",
        "Beräkning och underlag",
    )
    xlsx.header_row(ws, r, headers, numeric=(2, 3, 4))
    wrap(ws, r, len(headers))
    ws.merge_cells(start_row=r, start_column=5, end_row=r, end_column=len(widths))
    r += 1
    for f in items:
        xlsx.put_text(ws, r, 1, f.indicator.name, alignment=xlsx.WRAP)
        xlsx.put_number(ws, r, 2, f.budget, xlsx.PERCENT_FORMAT)
        xlsx.put_number(ws, r, 3, f.figure, xlsx.PERCENT_FORMAT)
        xlsx.put_formula(ws, r, 4, xlsx.difference(r, "C", "B"), xlsx.PERCENT_FORMAT)
        text = " ".join(p for p in (f.explanation, f.note) if p)
        xlsx.put_text(ws, r, 5, text, alignment=xlsx.WRAP)
        ws.merge_cells(start_row=r, start_column=5, end_row=r, end_column=len(widths))
        r += 1
    return r


def _merged_text(ws, r, text, widths) -> int:
    """A paragraph across the sheet's columns; returns the next row."""
    return paragraphs(ws, r, text, widths)
