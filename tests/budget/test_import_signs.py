"""A budget workbook whose committees' net costs are typed as positive figures (as many
municipalities print them) is refused with an explanation of the signs, or turned when
asked: the application counts costs negative and revenues positive (docs/domain.md)."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse

from budget import loader
from budget.imports import (
    BudgetWorkbookError,
    import_budget_workbook,
    read_budget_workbook,
    summary,
)
from budget.imports.signs import CostSignsPrintedPositive, positive_years
from budget.models import AuditEntry, Committee, FrameEntry, Municipality, StatedFigure
from tests.budget.test_import import edited, frames, set_frame, upload

FRAMES = "Ramar per verksamhet"
STATED = "Angivna uppgifter"
ALL_YEARS = "Bokslut 2024, Budget 2025, Budget 2026, Plan 2027 och Plan 2028"
REFUSAL = "Nämndernas nettokostnader står som positiva belopp i arbetsboken"
# Hedemora's committees and reserve have 36 frames other than 0 in the five year columns;
# the stated Summa nämnder (5 + 3 figures) and Budgetförändring in mkr (4) are 12 figures.
TURNED = (
    "Tecknen vändes på 36 ramar för 7 nämnder och 1 reserv (Kommunrevisionen, Valnämnden, "
    "Överförmyndaren, Kommunstyrelsen, Bildningsnämnden, Omsorgsnämnden, Miljö- och "
    "samhällsbyggnadsnämnden och Politisk utfördelning) i " + ALL_YEARS + " och på 12 angivna "
    "uppgifter på bladet ”Angivna uppgifter” (Summa nämnder och Budgetförändring i mkr), så att "
    "nämndernas nettokostnader blev negativa."
)


def negate_cells(ws, row, first_column):
    for cell in ws[row][first_column - 1 :]:
        if isinstance(cell.value, (int, float)) and cell.value:
            cell.value = -cell.value


def costs_typed_positive(headers=None):
    """An edit: the workbook as a municipality that prints its committees' net costs as
    positive figures fills it in. The frames of the committees and of the reserve, the stated
    Summa nämnder and the Budgetförändring in mkr get their signs turned (in the columns
    ``headers`` only, when given); the finance administration's lines keep theirs."""
    turned_kinds = (Committee.Kind.COMMITTEE, Committee.Kind.RESERVE)
    committees = set(Committee.objects.filter(kind__in=turned_kinds).values_list("code", flat=True))

    def in_columns(ws, row, first_column):
        if headers is None:
            negate_cells(ws, row, first_column)
            return
        for cell in ws[row][first_column - 1 :]:
            if ws.cell(2, cell.column).value in headers and cell.value:
                cell.value = -cell.value

    def edit(wb):
        ws = wb[FRAMES]
        for row in range(3, ws.max_row + 1):
            if ws[f"A{row}"].value in committees:
                in_columns(ws, row, 5)
        ws = wb[STATED]
        for row in range(3, ws.max_row + 1):
            table, code, unit = (ws.cell(row, c).value for c in (1, 2, 3))
            if unit == "mkr" and (
                code == "summa-namnder" or (table == "budgetforandring" and code.endswith("-mkr"))
            ):
                in_columns(ws, row, 4)

    return edit


def renamed(name):
    """An edit: the workbook of another municipality, ``name``."""

    def edit(wb):
        ws = wb["Organisation"]
        row = next(r for r in range(1, 20) if ws[f"A{r}"].value == "Kommun")
        ws[f"B{row}"] = name

    return edit


def both(*edits):
    def edit(wb):
        for each in edits:
            each(wb)

    return edit


def frame_of(municipality, activity_code, kind, year):
    return FrameEntry.objects.get(
        activity__committee__municipality__name=municipality,
        activity__code=activity_code,
        budget_year__kind=kind,
        budget_year__year=year,
        kind=FrameEntry.Kind.ORIGINAL,
    ).amount


# --- refused ----------------------------------------------------------------------------------


def test_a_workbook_with_positive_committee_costs_is_refused_and_nothing_is_saved(exported):
    before, entries = frames(), AuditEntry.objects.count()
    content = edited(exported, costs_typed_positive())

    with pytest.raises(CostSignsPrintedPositive) as caught:
        import_budget_workbook(BytesIO(content))

    assert isinstance(caught.value, BudgetWorkbookError)
    [problem] = caught.value.problems
    assert problem.sheet == FRAMES
    assert problem.message.startswith(f"{REFUSAL} ({ALL_YEARS}).")
    assert (
        "Budgetuppföljning räknar kostnader som negativa och intäkter som positiva, som i "
        "budgetdokumentets tabeller" in problem.message
    )
    assert "”Vänd tecknen på nämndernas nettokostnader”" in problem.message
    assert "--flip-cost-signs" in problem.message
    assert problem.message.endswith("Ingenting har sparats.")
    assert frames() == before
    assert AuditEntry.objects.count() == entries


def test_the_refusal_names_only_the_year_columns_typed_positive(exported):
    content = edited(exported, costs_typed_positive(headers={"Plan 2028"}))

    with pytest.raises(CostSignsPrintedPositive) as caught:
        import_budget_workbook(BytesIO(content))

    assert caught.value.years == ("plan-2028",)
    assert f"{REFUSAL} (Plan 2028)." in str(caught.value)


# --- turned on request -------------------------------------------------------------------------


def test_with_the_option_the_frames_load_negative_and_the_result_says_what_was_turned(exported):
    content = edited(exported, both(renamed("Avesta kommun"), costs_typed_positive()))

    result = import_budget_workbook(BytesIO(content), flip_cost_signs=True)

    assert frame_of("Avesta kommun", "bildningsnamnden", "budget", 2026) == Decimal("-523300000.00")
    assert frame_of("Avesta kommun", "politisk-utfordelning", "plan", 2028) == Decimal("9400000.00")
    # The finance administration's lines keep their signs: tax revenue stays positive.
    assert frame_of("Avesta kommun", "skatteintakter", "budget", 2026) == Decimal("839100000.00")
    avesta = Municipality.objects.get(name="Avesta kommun")
    assert StatedFigure.objects.get(
        plan__municipality=avesta,
        table="budgetjamforelse",
        row="summa-namnder",
        budget_year__kind="budget",
        budget_year__year=2026,
    ).value == Decimal("-1207500000.00")
    assert TURNED in result.notes
    assert TURNED in summary(result)


def test_every_entry_the_budgets_load_writes_says_that_the_signs_were_turned(exported):
    content = edited(exported, both(renamed("Avesta kommun"), costs_typed_positive()))

    import_budget_workbook(BytesIO(content), flip_cost_signs=True, reason="Budget 2026")

    entries = AuditEntry.objects.filter(
        plan__municipality__name="Avesta kommun", area__in=set(loader.AREAS.values())
    )
    assert entries.exists()
    assert {entry.reason for entry in entries} == {f"Budget 2026 {TURNED}"}


def test_turning_the_signs_of_hedemoras_workbook_typed_positive_gives_back_the_same_budget(
    exported,
):
    before = frames()

    result = import_budget_workbook(
        BytesIO(edited(exported, costs_typed_positive())), flip_cost_signs=True
    )

    assert (result.created, result.updated) == (0, 0)
    assert frames() == before


def test_only_the_year_columns_typed_positive_are_turned(exported):
    content = edited(exported, costs_typed_positive(headers={"Plan 2028"}))

    result = import_budget_workbook(BytesIO(content), flip_cost_signs=True)

    assert (result.created, result.updated) == (0, 0)
    [note] = [note for note in result.notes if note.startswith("Tecknen")]
    assert note.startswith("Tecknen vändes på 8 ramar för 7 nämnder och 1 reserv (")
    assert note.endswith(
        ") i Plan 2028 och på 2 angivna uppgifter på bladet ”Angivna uppgifter” (Summa "
        "nämnder och Budgetförändring i mkr), så att nämndernas nettokostnader blev negativa."
    )


# --- not flagged ---------------------------------------------------------------------------------


def test_hedemoras_own_workbook_round_trips_and_is_not_flagged(exported):
    before = frames()

    data = read_budget_workbook(BytesIO(exported))
    result = import_budget_workbook(BytesIO(exported))

    assert positive_years(data) == []
    assert (result.created, result.updated) == (0, 0)
    assert frames() == before
    assert not any("Tecknen" in note for note in result.notes)


def test_the_option_on_a_workbook_with_negative_costs_turns_nothing_and_says_so(exported):
    before = frames()

    result = import_budget_workbook(BytesIO(exported), flip_cost_signs=True)

    assert (result.created, result.updated) == (0, 0)
    assert frames() == before
    assert (
        "Inga tecken vändes: nämndernas nettokostnader stod redan som negativa belopp i "
        "arbetsboken." in result.notes
    )


def test_one_committee_with_more_revenue_than_cost_is_not_refused(exported):
    content = edited(exported, set_frame("miljo-och-samhallsbyggnadsnamnden", "Budget 2026", 25))

    result = import_budget_workbook(BytesIO(content))

    assert result.updated == 1
    assert frame_of(
        "Hedemora kommun", "miljo-och-samhallsbyggnadsnamnden", "budget", 2026
    ) == Decimal("25000000.00")


def committee(kind, *frames):
    return {
        "code": f"n{len(frames)}",
        "name": "N",
        "kind": kind,
        "activities": [{"frames": {"budget-2026": Decimal(f)}} for f in frames],
    }


@pytest.mark.parametrize(
    ("committees", "flagged"),
    [
        pytest.param(["-500", "-300", "40"], [], id="one committee of fees"),
        pytest.param(["-500", "-300", "900"], [], id="taxes under a committee"),
        pytest.param(["500", "300", "-40"], ["budget-2026"], id="costs typed positive"),
        pytest.param(["500", "0", "0"], ["budget-2026"], id="zero frames do not count"),
        pytest.param(["0", "0"], [], id="no frames"),
    ],
)
def test_the_rule_needs_both_a_positive_sum_and_most_committees_positive(committees, flagged):
    data = {"committees": [committee(Committee.Kind.COMMITTEE, f) for f in committees]}

    assert positive_years(data) == flagged


def test_the_finance_administration_and_the_reserve_do_not_decide():
    data = {
        "committees": [
            committee(Committee.Kind.COMMITTEE, "-500"),
            committee(Committee.Kind.RESERVE, "900"),
            committee(Committee.Kind.FINANCE, "1200"),
        ]
    }

    assert positive_years(data) == []


# --- the command -----------------------------------------------------------------------------------


def test_the_command_refuses_positive_costs_and_names_its_option(exported, tmp_path):
    path = tmp_path / "budget-2026.xlsx"
    path.write_bytes(edited(exported, costs_typed_positive()))
    before, err = frames(), StringIO()

    with pytest.raises(CommandError, match="lästes inte in: 1 fel"):
        call_command("import_budget", str(path), stderr=err)

    assert f"Blad ”{FRAMES}”: {REFUSAL}" in err.getvalue()
    assert "--flip-cost-signs" in err.getvalue()
    assert frames() == before


def test_the_command_turns_the_signs_with_its_option(exported, tmp_path):
    path = tmp_path / "budget-2026.xlsx"
    path.write_bytes(edited(exported, costs_typed_positive()))
    out = StringIO()

    call_command("import_budget", str(path), "--flip-cost-signs", stdout=out)

    assert "0 nya, 0 ändrade och" in out.getvalue()
    assert TURNED in out.getvalue()


# --- the page ----------------------------------------------------------------------------------------


def test_the_upload_page_has_a_labelled_checkbox_to_turn_the_signs(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("budget:import"))

    assert 'type="checkbox" name="flip_cost_signs"' in response.text
    assert (
        '<label for="id_flip_cost_signs">Vänd tecknen på nämndernas nettokostnader</label>'
        in response.text
    )


def test_the_page_shows_the_refusal_as_a_form_error(client, administrator, exported):
    client.force_login(administrator)
    before = frames()
    content = edited(exported, costs_typed_positive())

    response = client.post(reverse("budget:import"), {"file": upload(content)})

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith(f"{REFUSAL} ({ALL_YEARS}).")
    assert "Formuläret innehåller fel" in response.text
    assert f"{REFUSAL} ({ALL_YEARS})." in response.text
    assert frames() == before


def test_the_page_turns_the_signs_when_asked(client, administrator, exported):
    client.force_login(administrator)
    content = edited(exported, both(renamed("Avesta kommun"), costs_typed_positive()))

    response = client.post(
        reverse("budget:import"), {"file": upload(content), "flip_cost_signs": "on"}
    )

    assert response.status_code == 302
    assert frame_of("Avesta kommun", "omsorgsnamnden", "budget", 2026) == Decimal("-534100000.00")
    [message] = get_messages(response.wsgi_request)
    assert TURNED in str(message)
