"""A reallocation between two committees in the browser: the finance officer draws it up
in tkr the Swedish way, prepares it for kommunfullmäktige and downloads the council's Excel
paper; a colleague records the decision and applies it (four eyes: the officer who drew it up
is told why not); the committee page then shows the new frame.
An unbalanced draft is refused and nothing is saved."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from budget.models import Activity, FrameEntry, Role
from budget.money import format_mkr
from followup.models import Reallocation, ReallocationLine

from .conftest import E2E_PASSWORD, committed_plan, give_role

SHOTS = Path("/tmp/shots")
TITLE = "Förstärkt hemtjänst"
# A minimal file that starts like a PDF: the form checks the first bytes, nothing more.
PROTOCOL = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def year(transactional_db, plan_data, request):
    """The adopted plan for 2026, and e2e_user a finance officer (ekonomiavdelningen)."""
    plan = committed_plan(plan_data)
    give_role(request.getfixturevalue("e2e_user"), Role.FINANCE)
    return plan


@pytest.fixture
def colleague_page(signed_in, year, django_user_model):
    """A second browser, signed in as another finance officer; closed after the test."""
    colleague = django_user_model.objects.create_user(
        username="webbkollega", password=E2E_PASSWORD, first_name="Webb", last_name="Kollega"
    )
    colleague.groups.add(Group.objects.get_or_create(name=Role.FINANCE.value)[0])
    return signed_in("webbkollega")


def original_frame(activity_code, year=2026) -> Decimal:
    """The adopted frame (kr) of an activity for the budget year, as the database holds it."""
    return FrameEntry.objects.get(
        activity__code=activity_code,
        budget_year__year=year,
        budget_year__kind="budget",
        kind=FrameEntry.Kind.ORIGINAL,
    ).amount


def new_draft(page, live_server):
    page.goto(f"{live_server.url}/uppfoljning/2026/omfordelningar/")
    expect(page.get_by_role("heading", name="Budgetomfördelningar 2026", level=1)).to_be_visible()
    page.get_by_role("link", name="Ny omfördelning").click()
    expect(page.get_by_role("heading", name="Ny budgetomfördelning", level=1)).to_be_visible()


def fill_draft(page, lines):
    """Fill in the draft's text and ``lines`` [(activity, tkr as typed, comment)]."""
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_label("Slag").select_option(label="Budgetomfördelning")
    page.get_by_label("Budgetår som ändras").select_option(label="Budget 2026")
    page.get_by_label("Syfte").fill("Fler brukare i hemtjänsten än budgeterat.")
    page.get_by_label("Varifrån pengarna kommer").fill(
        "Kommunstyrelsens medel för utvecklingsinsatser som inte används i år."
    )
    for number, (activity, amount, note) in enumerate(lines, start=1):
        page.get_by_label(f"Verksamhet, rad {number}", exact=True).select_option(label=activity)
        page.get_by_label(f"Belopp i tkr, rad {number}", exact=True).fill(amount)
        page.get_by_label(f"Kommentar, rad {number}", exact=True).fill(note)


def test_a_finance_officer_takes_a_reallocation_from_draft_to_the_new_frame(
    year, live_server, logged_in_page, colleague_page, tmp_path
):
    from openpyxl import load_workbook

    page = logged_in_page
    omsorg_frame = original_frame("omsorgsnamnden")

    # Drawn up in the page's form, in tkr with a true minus sign and a space.
    new_draft(page, live_server)
    fill_draft(
        page,
        [
            ("Omsorgsnämndens verksamhet", "−1 500", "Hemtjänst"),
            ("Kommunstyrelsens verksamhet", "1 500", "Utvecklingsmedel"),
        ],
    )
    page.get_by_role("button", name="Spara utkast").click()
    expect(
        page.get_by_text("Omfördelning 2026:1 är sparad som utkast. Raderna summerar till 0 tkr.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=f"Budgetomfördelning 2026:1: {TITLE}")).to_be_visible()

    # The application, not the user, says who decides: two committees → kommunfullmäktige.
    expect(
        page.get_by_role("definition").filter(has_text="Raderna berör flera nämnder")
    ).to_have_text("KommunfullmäktigeRaderna berör flera nämnder: kommunfullmäktige beslutar.")
    lines = page.get_by_role("region", name="Omfördelningens rader")
    expect(
        lines.get_by_role("row", name=re.compile("^Omsorgsnämndens verksamhet"))
    ).to_contain_text("Får 1 500 tkr")
    expect(
        lines.get_by_role("row", name=re.compile("^Kommunstyrelsens verksamhet"))
    ).to_contain_text("Lämnar 1 500 tkr")

    page.get_by_role("button", name="Bered för beslut").click()
    expect(
        page.get_by_text("Omfördelning 2026:1 är beredd för beslut av Kommunfullmäktige.")
    ).to_be_visible()

    # On the council's list, and in its Excel paper.
    page.goto(f"{live_server.url}/uppfoljning/2026/kf-arenden/")
    expect(page.get_by_role("heading", name="Ärenden till kommunfullmäktige")).to_be_visible()
    item = page.get_by_role("region", name=f"Budgetomfördelning 2026:1: {TITLE}")
    expect(item).to_contain_text(
        "Pengar flyttas mellan nämnder (Kommunstyrelsen och Omsorgsnämnden)."
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned ärendelistan i Excel").click()
    assert download.value.suggested_filename == "kf-arenden-2026.xlsx"
    paper = tmp_path / download.value.suggested_filename
    download.value.save_as(paper)
    wb = load_workbook(paper)
    texts = [c.value for row in wb["KF-ärenden"].iter_rows() for c in row if c.value]
    assert f"Budgetomfördelning 2026:1: {TITLE}" in texts
    flat = {
        row[6]: row[7]
        for row in wb["Alla rader"].iter_rows(min_row=2, values_only=True)
        if row[0] == "2026:1"
    }
    assert flat == {"Omsorgsnämndens verksamhet": -1500, "Kommunstyrelsens verksamhet": 1500}

    # Back to the reallocation: four eyes, so not the officer who drew it up ...
    item.get_by_role("link", name=f"Budgetomfördelning 2026:1: {TITLE}").click()
    expect(page.get_by_text("eftersom du har upprättat omfördelningen")).to_be_visible()
    expect(page.get_by_role("button", name="Registrera beslutet")).to_have_count(0)
    # ... but a colleague records the decision, then applies it.
    detail = page.url
    page = colleague_page
    page.goto(detail)
    page.get_by_label("Beslutsdatum").fill("2026-04-27")
    page.get_by_label("Paragraf", exact=True).fill("§ 45")
    page.get_by_label("Protokollsutdrag (PDF, högst 10 MB)").set_input_files(
        {"name": "protokollsutdrag.pdf", "mimeType": "application/pdf", "buffer": PROTOCOL}
    )
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Beslutet är registrerat: KF 2026-04-27 § 45.")).to_be_visible()
    expect(page.get_by_role("link", name="Protokollsutdrag 2026:1 (PDF)")).to_be_visible()

    page.get_by_role("button", name="Genomför omfördelningen").click()
    expect(
        page.get_by_text(
            "Omfördelning 2026:1 är genomförd: ramarna är ändrade enligt beslutet "
            "KF 2026-04-27 § 45."
        )
    ).to_be_visible()

    # Omsorgsnämnden's current frame: adopted frame + the change it received.
    page.goto(f"{live_server.url}/budget/2026/namnder/omsorgsnamnden/")
    frame = page.get_by_role("region", name="Ram Budget 2026")
    row = frame.get_by_role("row", name=re.compile("^Omsorgsnämndens verksamhet"))
    expect(row.get_by_role("cell")).to_have_text(
        [
            format_mkr(omsorg_frame),
            format_mkr(Decimal("-1500000")),
            format_mkr(omsorg_frame + Decimal("-1500000")),
        ]
    )
    decided = page.get_by_role("region", name="Beslutade förändringar Budget 2026")
    expect(decided.get_by_role("row", name=re.compile("^KF 2026-04-27 § 45"))).to_contain_text(
        "−1 500"
    )

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "reallocation_journey.png"), full_page=True)
    reallocation = Reallocation.objects.get(plan=year, number=1)
    assert (reallocation.status, reallocation.decision) == (
        Reallocation.Status.APPLIED,
        "KF 2026-04-27 § 45",
    )


def test_an_unbalanced_draft_is_refused_and_nothing_is_saved(year, live_server, logged_in_page):
    page = logged_in_page
    new_draft(page, live_server)
    fill_draft(
        page,
        [
            ("Omsorgsnämndens verksamhet", "−1 500", ""),
            ("Kommunstyrelsens verksamhet", "1 250", ""),
        ],
    )
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.get_by_role("button", name="Spara utkast").click()

    assert response.value.status == 400
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Omfördelningen sparades inte")
    expect(alert).to_contain_text("Raderna summerar till −250 tkr, inte 0")
    expect(alert).to_contain_text("Ingenting har sparats.")
    expect(page.get_by_label("Belopp i tkr, rad 2", exact=True)).to_have_value("1 250")
    assert not Reallocation.objects.filter(plan=year).exists()
    assert not ReallocationLine.every_line.filter(
        activity__in=Activity.objects.filter(code__in=["omsorgsnamnden", "kommunstyrelsen"])
    ).exists()
