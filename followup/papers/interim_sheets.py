"""The interim report's and the annual accounts' tables of the committees, the investments
and the companies (figures from followup.papers.interim_report):

- **Driftredovisning**: per committee the budget, budget to date, outcome to date (and last
  year's for the same months), forecast, deviation, the previous forecast and the change
  since, and last year's outcome; the annual accounts: budget, outcome for the year,
  deviation, the latest forecast, last year's outcome and the change since.
- **Prognossäkerhet**: each committee's forecast in each forecast period of the year; in
  the annual accounts beside the year's outcome, each forecast's distance from it.
- **Investeringar**: per committee and project the budget, carry-over, outcome and forecast
  (the annual accounts: outcome for the year, and what is to be carried into next year);
  the committees' totals and the total are formulas over the projects.
- **Bolag**: the companies' forecast results beside the document's, and the municipality's
  result beside them.

Amounts are exact Decimal mkr, shown with one decimal; every deviation and total is a
formula over the rows.
"""

from openpyxl.utils import get_column_letter

from budget import xlsx
from budget.money import format_mkr
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    bold_row,
    finish_sheet,
    fit_rows,
    keep_together,
    paragraph,
    sheet_heading,
    total_label,
    wrap,
)

OPERATIONS_SHEET = "Driftredovisning"
ACCURACY_SHEET = "Prognossäkerhet"
INVESTMENTS_SHEET = "Investeringar"
COMPANIES_SHEET = "Bolag"
INVESTMENTS_TOTAL = "Summa investeringar"
COMPANIES_TOTAL = "Summa bolagen"
MUNICIPALITY_LINE = "Kommunen, årets resultat"
GROUP_LINE = "Kommunkoncernen: kommunen och bolagen (före koncerninterna elimineringar)"


def _letter(column: int) -> str:
    return get_column_letter(column)


def _month(period) -> str:
    """ "jan–aug": January to the period's month, as the statements' headings say it."""
    return f"jan–{period.month_name[:3]}"


# Driftredovisning -----------------------------------------------------------------------

NAME_WIDTH = 34
AMOUNT_WIDTH = 13
DEVIATION_WIDTH = 16


def operations_columns(report) -> list:
    """(key, header, width) of the Driftredovisning's columns after the committee's name."""
    period, last = report.period, report.previous_year
    if report.is_outcome:
        return [
            ("budget", "Budget", AMOUNT_WIDTH),
            ("outcome", f"Utfall {period.year}", AMOUNT_WIDTH),
            ("deviation", "Avvikelse (utfall − budget)", DEVIATION_WIDTH),
            ("previous_forecast", "Senaste prognos", AMOUNT_WIDTH),
            ("miss", "Utfall − senaste prognos", DEVIATION_WIDTH),
            ("previous_year", f"Utfall {last}", AMOUNT_WIDTH),
            ("change_year", f"Förändring mot {last} (utfall − utfall {last})", DEVIATION_WIDTH),
        ]
    months = _month(period)
    return [
        ("budget", "Budget", AMOUNT_WIDTH),
        ("budget_to_date", f"Budget {months}", AMOUNT_WIDTH),
        ("outcome", f"Utfall {months}", AMOUNT_WIDTH),
        ("outcome_deviation", f"Avvikelse utfall (utfall − budget {months})", DEVIATION_WIDTH),
        ("previous_to_date", f"Utfall {months} {last}", AMOUNT_WIDTH),
        ("forecast", "Prognos", AMOUNT_WIDTH),
        ("deviation", "Avvikelse (prognos − budget)", DEVIATION_WIDTH),
        ("previous_forecast", "Föregående prognos", AMOUNT_WIDTH),
        ("forecast_change", "Förändring sedan föregående prognos", DEVIATION_WIDTH),
        ("previous_year", f"Utfall {last}", AMOUNT_WIDTH),
    ]


def _operations_values(report, row) -> dict:
    previous = report.previous.get(row.committee.pk)
    return {
        "budget": row.budget,
        "budget_to_date": report.budget_to_date.get(row.committee.pk),
        "outcome": row.outcome,
        "previous_to_date": None if previous is None else previous.to_date,
        "forecast": row.forecast,
        "previous_forecast": row.previous_forecast,
        "previous_year": None if previous is None else previous.year,
    }


def operations_sheet(ws, report) -> tuple[dict, dict]:
    """Every committee's row and the municipality's total. Returns (key → the total's
    cell as other sheets refer to it, "'Driftredovisning'!K15"; committee id → key → its
    row's cell), for the summary to refer to."""
    period = report.period
    columns = operations_columns(report)
    widths = (NAME_WIDTH, *(w for _, _, w in columns))
    at = {key: 2 + i for i, (key, _, _) in enumerate(columns)}
    letter = {key: _letter(c) for key, c in at.items()}
    differences = (
        {
            "deviation": ("outcome", "budget"),
            "miss": ("outcome", "previous_forecast"),
            "change_year": ("outcome", "previous_year"),
        }
        if report.is_outcome
        else {
            "outcome_deviation": ("outcome", "budget_to_date"),
            "deviation": ("forecast", "budget"),
            "forecast_change": ("forecast", "previous_forecast"),
        }
    )
    label = report.figure_label.lower()
    sheet_heading(
        ws,
        report,
        f"Driftredovisning – {period}",
        widths,
        note=f"Belopp i mkr, nettobelopp: kostnader negativa. Avvikelse = {label} − budget: "
        "positiv är bättre än budget, negativ ett underskott. Budgeten är den som gäller vid "
        f"periodens slut. Utfallet {report.previous_year} är det ekonomiavdelningen har "
        "registrerat för föregående år.",
    )
    xlsx.header_row(ws, HEADER_ROW, ("Nämnd", *(h for _, h, _ in columns)), numeric_from=2)
    wrap(ws, HEADER_ROW, len(widths))
    r = FIRST_ROW
    cells = {}
    for row in report.rows:
        values = _operations_values(report, row)
        cells[row.committee.pk] = {key: xlsx.reference(ws, r, column) for key, column in at.items()}
        xlsx.put_text(ws, r, 1, row.committee.name, alignment=xlsx.WRAP)
        for key, column in at.items():
            if key in differences:
                minuend, subtrahend = differences[key]
                formula = xlsx.difference(r, letter[minuend], letter[subtrahend])
                xlsx.put_formula(ws, r, column, formula, xlsx.MKR_FORMAT)
            else:
                xlsx.put_number(ws, r, column, xlsx.mkr(values[key]), xlsx.MKR_FORMAT)
        r += 1
    total, last = r, r - 1
    xlsx.put_text(ws, total, 1, total_label(report.result), font=xlsx.BOLD)
    if report.rows:
        for key, column in at.items():
            formula = xlsx.column_total(letter[key], FIRST_ROW, last)
            if key == "forecast":
                # As MunicipalityResult: a committee without a forecast counts its budget.
                b, d = letter["budget"], letter["deviation"]
                formula = (
                    f'=IF(COUNT({d}{FIRST_ROW}:{d}{last})=0,"",'
                    f"SUM({b}{FIRST_ROW}:{b}{last})+SUM({d}{FIRST_ROW}:{d}{last}))"
                )
            xlsx.put_formula(ws, total, column, formula, xlsx.MKR_FORMAT)
        bold_row(ws, total, len(widths))
    xlsx.total_border(ws, total, len(widths))
    r = total + 2
    notes = []
    if not report.is_outcome and report.result.without_forecast:
        names = ", ".join(c.name for c in report.result.without_forecast)
        notes.append(f"Utan prognos räknas budgeten som prognos i summan för: {names}.")
    if not report.has_previous:
        notes.append(
            f"Utfallet {report.previous_year} är inte registrerat av ekonomiavdelningen: "
            "kolumnerna för föregående år står tomma."
        )
    for text in notes:
        paragraph(ws, r, text, widths, font=xlsx.ITALIC)
        r += 1
    finish_sheet(ws, widths)
    return {key: xlsx.reference(ws, total, column) for key, column in at.items()}, cells


# Prognossäkerhet ------------------------------------------------------------------------


def accuracy_sheet(ws, report) -> None:
    """Each committee's forecast per forecast period; the annual accounts set each beside
    the year's outcome (forecast − outcome: positive where the forecast was better than
    the outcome turned out)."""
    period, accuracy = report.period, report.accuracy
    periods = accuracy.periods
    names = [p.month_name.capitalize() for p in periods]
    headers = ["Nämnd", "Budget", *(f"Prognos {n.lower()}" for n in names)]
    first_forecast = 3
    last_forecast = first_forecast + len(periods) - 1
    if report.is_outcome:
        outcome_column = last_forecast + 1
        headers.append(f"Utfall {period.year}")
        headers += [f"Prognos {n.lower()} − utfall" for n in names]
        note = (
            "Belopp i mkr, nettobelopp. Prognossäkerhet: hur långt varje periods prognos låg "
            "från årets utfall, prognos − utfall: positiv där prognosen var bättre än utfallet "
            "blev, negativ där den var sämre. Prognoserna är de som publicerades för varje "
            "period."
        )
    else:
        outcome_column = None
        if len(periods) > 1:
            headers.append(f"Förändring {names[0].lower()}–{names[-1].lower()}")
        note = (
            "Belopp i mkr, nettobelopp. Nämndernas prognoser för helåret i årets "
            "prognosperioder, som de publicerades. Hur nära prognoserna kom årets utfall "
            "visas i årsbokslutet; här syns hur de har rört sig under året."
        )
    widths = (NAME_WIDTH, *(AMOUNT_WIDTH for _ in headers[1:]))
    sheet_heading(ws, report, f"Prognossäkerhet – {period}", widths, note=note)
    xlsx.header_row(ws, HEADER_ROW, headers, numeric_from=2)
    wrap(ws, HEADER_ROW, len(headers))
    r = FIRST_ROW
    for row in report.rows:
        committee = row.committee
        xlsx.put_text(ws, r, 1, committee.name, alignment=xlsx.WRAP)
        xlsx.put_number(ws, r, 2, xlsx.mkr(row.budget), xlsx.MKR_FORMAT)
        for offset, p in enumerate(periods):
            forecast = accuracy.forecast(p, committee)
            xlsx.put_number(ws, r, first_forecast + offset, xlsx.mkr(forecast), xlsx.MKR_FORMAT)
        if outcome_column is not None:
            xlsx.put_number(ws, r, outcome_column, xlsx.mkr(row.outcome), xlsx.MKR_FORMAT)
            for offset in range(len(periods)):
                formula = xlsx.difference(
                    r, _letter(first_forecast + offset), _letter(outcome_column)
                )
                xlsx.put_formula(ws, r, outcome_column + 1 + offset, formula, xlsx.MKR_FORMAT)
        elif len(periods) > 1:
            formula = xlsx.difference(r, _letter(last_forecast), _letter(first_forecast))
            xlsx.put_formula(ws, r, last_forecast + 1, formula, xlsx.MKR_FORMAT)
        r += 1
    total, last = r, r - 1
    xlsx.put_text(ws, total, 1, total_label(report.result), font=xlsx.BOLD)
    if report.rows:
        for column in range(2, len(headers) + 1):
            formula = xlsx.column_total(_letter(column), FIRST_ROW, last)
            xlsx.put_formula(ws, total, column, formula, xlsx.MKR_FORMAT)
        bold_row(ws, total, len(headers))
    xlsx.total_border(ws, total, len(headers))
    if not periods:
        paragraph(ws, total + 2, "Året har ingen prognosperiod ännu.", widths, font=xlsx.ITALIC)
    finish_sheet(ws, widths)


# Investeringar --------------------------------------------------------------------------

PROJECT_WIDTH = 44
REMARK_WIDTH = 40


def investment_columns(report) -> list:
    """(key, header) of the amount columns."""
    if report.is_outcome:
        return [
            ("budget", "Budget"),
            ("carried", "Överflyttade medel"),
            ("budget_incl", "Budget inkl. överflyttade medel"),
            ("outcome", f"Utfall {report.period.year}"),
            ("deviation", "Avvikelse (budget inkl. − utfall)"),
            ("carried_out", f"Överflyttas till {report.period.year + 1}"),
        ]
    return [
        ("budget", "Budget"),
        ("carried", "Överflyttade medel"),
        ("budget_incl", "Budget inkl. överflyttade medel"),
        ("outcome", "Utfall hittills"),
        ("forecast", "Prognos"),
        ("deviation", "Avvikelse (budget inkl. − prognos)"),
    ]


def investments_sheet(ws, report) -> None:
    """The committees' totals first, then each committee's projects with their sum."""
    follow_up, period = report.investments, report.period
    columns = investment_columns(report)
    at = {key: 2 + i for i, (key, _) in enumerate(columns)}
    letter = {key: _letter(c) for key, c in at.items()}
    remark = 2 + len(columns)
    widths = (PROJECT_WIDTH, *(AMOUNT_WIDTH for _ in columns), REMARK_WIDTH)
    figure = "utfall" if report.is_outcome else "prognos"
    sheet_heading(
        ws,
        report,
        f"Investeringsredovisning {follow_up.year} – {period}",
        widths,
        note="Bruttoutgifter i mkr, positiva som i investeringsbudgeten. Avvikelse = budget "
        f"inkl. överflyttade medel − {figure}: positiv är budget som inte används, negativ en "
        "överskridning."
        + (
            ""
            if report.is_outcome
            else " Ett projekt utan prognos räknas med budgeten som prognos."
        )
        + " Överst nämndernas summor, därunder varje nämnds projekt.",
    )
    headers = ("Nämnd / projekt", *(h for _, h in columns), "Anmärkning")
    xlsx.header_row(ws, HEADER_ROW, headers, numeric=range(2, remark))
    wrap(ws, HEADER_ROW, len(headers))
    committees = follow_up.committees
    if not committees:
        xlsx.put_text(ws, FIRST_ROW, 1, "Planen har inga investeringar att följa upp.")
        finish_sheet(ws, widths)
        return
    # The committees' rows refer to their sums below; the sums are formulas over projects.
    summary_rows = {c.committee.pk: FIRST_ROW + i for i, c in enumerate(committees)}
    total = FIRST_ROW + len(committees)
    blocks = [(FIRST_ROW, total)]
    r = total + 2
    for figures in committees:
        committee = figures.committee
        blocks.append((r, r + len(figures.projects) + 1))
        xlsx.put_text(ws, r, 1, f"{committee.name}: projekt", font=xlsx.SECTION_FONT)
        r += 1
        first = r
        for project in figures.projects:
            _project_row(ws, r, report, project, at, letter, remark)
            r += 1
        subtotal = r
        xlsx.put_text(ws, subtotal, 1, f"Summa {committee.name}", font=xlsx.BOLD)
        for key, column in at.items():
            formula = (
                xlsx.column_total(letter[key], first, subtotal - 1) if figures.projects else '=""'
            )
            xlsx.put_formula(ws, subtotal, column, formula, xlsx.MKR_FORMAT)
        bold_row(ws, subtotal, remark - 1)
        xlsx.total_border(ws, subtotal, len(headers))
        # The committee's row at the top: its sum.
        top = summary_rows[committee.pk]
        xlsx.put_text(ws, top, 1, committee.name, alignment=xlsx.WRAP)
        for key, column in at.items():
            xlsx.put_formula(ws, top, column, f"={letter[key]}{subtotal}", xlsx.MKR_FORMAT)
        estimated = [p for p in figures.projects if p.estimated]
        if estimated and not report.is_outcome:
            xlsx.put_text(
                ws, top, remark, f"{len(estimated)} projekt utan prognos", alignment=xlsx.WRAP
            )
        if figures.differs:
            text = (
                f"Projektens budget skiljer sig från den antagna investeringsbudgeten "
                f"({format_mkr(figures.adopted or 0)} mkr)."
            )
            cell = ws.cell(row=top, column=remark)
            cell.value = " ".join(p for p in (cell.value, text) if p)
            cell.alignment = xlsx.WRAP
        r = subtotal + 2
    xlsx.put_text(ws, total, 1, INVESTMENTS_TOTAL, font=xlsx.BOLD)
    for key, column in at.items():
        formula = xlsx.column_total(letter[key], FIRST_ROW, total - 1)
        xlsx.put_formula(ws, total, column, formula, xlsx.MKR_FORMAT)
    bold_row(ws, total, remark - 1)
    xlsx.total_border(ws, total, len(headers))
    finish_sheet(ws, widths)
    fit_rows(ws)
    keep_together(ws, blocks, widths)  # a committee's projects on one page where they fit


def _project_row(ws, r, report, project, at, letter, remark) -> None:
    code = project.project.code
    name = project.project.name
    xlsx.put_text(ws, r, 1, f"{code} {name}" if code else name, alignment=xlsx.WRAP)
    values = {
        "budget": project.budget,
        "carried": project.carried,
        "outcome": project.outcome,
        "forecast": project.forecast,
    }
    carried_out = report.carried_out.get(project.project.pk)
    if carried_out is not None:
        values["carried_out"] = carried_out.amount
    for key, column in at.items():
        if key == "budget_incl":
            formula = f"={letter['budget']}{r}+{letter['carried']}{r}"
            xlsx.put_formula(ws, r, column, formula, xlsx.MKR_FORMAT)
        elif key == "deviation":
            figure = "outcome" if report.is_outcome else "forecast"
            formula = xlsx.difference(r, letter["budget_incl"], letter[figure])
            xlsx.put_formula(ws, r, column, formula, xlsx.MKR_FORMAT)
        else:
            xlsx.put_number(ws, r, column, xlsx.mkr(values.get(key)), xlsx.MKR_FORMAT)
    remarks = []
    if report.is_outcome:
        if project.outcome is None:
            remarks.append("Inget utfall registrerat.")
        if carried_out is not None:
            remarks.append(f"Överflyttning: {carried_out.get_status_display().lower()}.")
    elif project.estimated:
        remarks.append("Ingen prognos: budgeten räknas som prognos.")
    elif project.forecast_period is not None and project.forecast_period.pk != report.period.pk:
        remarks.append(
            f"Prognos från {project.forecast_period.month_name} {project.forecast_period.year}."
        )
    xlsx.put_text(ws, r, remark, " ".join(remarks), alignment=xlsx.WRAP)


# Bolag ----------------------------------------------------------------------------------

COMPANY_WIDTHS = (44, 16, 28, 16, 60)


def companies_sheet(ws, report, *, municipality_result: str) -> None:
    """The companies' results for the period beside the document's, their sum, and the
    municipality's result beside them (``municipality_result``: a reference to the
    summary's result cell)."""
    period = report.period
    figure = (
        f"Resultat {period.year}"
        if report.is_outcome
        else f"Prognos {period.month_name} {period.year}"
    )
    sheet_heading(
        ws,
        report,
        f"Bolagen och kommunkoncernen – {period}",
        COMPANY_WIDTHS,
        note="Resultat i mkr; ett överskott är positivt. Bolagens resultat registreras av "
        "ekonomiavdelningen; bredvid står den prognos som dokumentet anger. Kommunkoncernens "
        "summa är kommunens och bolagens resultat tillsammans, utan koncerninterna "
        "elimineringar.",
    )
    headers = ("Bolag", f"Enligt {report.plan.title}", "Källa", figure, "Kommentar")
    xlsx.header_row(ws, HEADER_ROW, headers, numeric=(2, 4))
    wrap(ws, HEADER_ROW, len(headers))
    r = FIRST_ROW
    for line in report.companies:
        stated = line.stated[-1] if line.stated else None
        xlsx.put_text(ws, r, 1, line.company.name, alignment=xlsx.WRAP)
        xlsx.put_number(
            ws, r, 2, None if stated is None else xlsx.mkr(stated.amount), xlsx.MKR_FORMAT
        )
        xlsx.put_text(
            ws,
            r,
            3,
            "" if stated is None else _stated_source(stated),
            alignment=xlsx.WRAP,
        )
        forecast = line.forecast
        xlsx.put_number(
            ws, r, 4, None if forecast is None else xlsx.mkr(forecast.result), xlsx.MKR_FORMAT
        )
        comment = (
            "Ingen prognos registrerad för perioden." if forecast is None else forecast.comment
        )
        xlsx.put_text(ws, r, 5, comment, alignment=xlsx.WRAP)
        r += 1
    if not report.companies:
        xlsx.put_text(ws, r, 1, "Budgeten har inga bolag.")
        finish_sheet(ws, COMPANY_WIDTHS)
        return
    companies_total = r
    xlsx.put_text(ws, r, 1, COMPANIES_TOTAL, font=xlsx.BOLD)
    for column, letter in ((2, "B"), (4, "D")):
        xlsx.put_formula(
            ws, r, column, xlsx.column_total(letter, FIRST_ROW, r - 1), xlsx.MKR_FORMAT
        ).font = xlsx.BOLD
    xlsx.total_border(ws, r, len(headers))
    r += 2
    municipality = r
    xlsx.put_text(ws, r, 1, f"{MUNICIPALITY_LINE} ({report.figure_label.lower()})")
    xlsx.put_formula(ws, r, 4, f"={municipality_result}", xlsx.MKR_FORMAT)
    xlsx.put_text(ws, r, 5, "Som på sammanfattningen.", alignment=xlsx.WRAP)
    r += 1
    xlsx.put_text(ws, r, 1, GROUP_LINE, font=xlsx.BOLD, alignment=xlsx.WRAP)
    xlsx.put_formula(
        ws,
        r,
        4,
        f'=IF(OR(D{companies_total}="",D{municipality}=""),"",D{companies_total}+D{municipality})',
        xlsx.MKR_FORMAT,
    ).font = xlsx.BOLD
    if any(line.forecast is None for line in report.companies):
        xlsx.put_text(
            ws,
            r,
            5,
            "Ofullständig: alla bolags resultat är inte registrerade för perioden.",
            alignment=xlsx.WRAP,
        )
    xlsx.total_border(ws, r, len(headers))
    finish_sheet(ws, COMPANY_WIDTHS)


def _stated_source(stated) -> str:
    """Where the document's figure for a company comes from, with its year unless the
    source names it already ("Delårsbokslut 2025")."""
    year = str(stated.year)
    return stated.source if year in stated.source else f"{stated.source} ({year})"
