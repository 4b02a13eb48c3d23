"""Files that must not be read in: each is refused with a Swedish message and nothing changes."""

import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budget.imports import BudgetWorkbookError, check_upload, read_budget_workbook, safety
from budget.imports.sheets import Uncomputed
from budget.models import Committee, FrameEntry

MB = 1024 * 1024


def saved(wb) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def edited(content: bytes, edit) -> bytes:
    wb = load_workbook(BytesIO(content))
    edit(wb)
    return saved(wb)


def with_entries(content: bytes, extra: dict, replace: dict | None = None) -> bytes:
    """The zip archive with extra entries added (and some entries' content replaced)."""
    replace = replace or {}
    buffer = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, replace.get(item.filename, source.read(item.filename)))
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def zip_of(entries: dict) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def first_row(ws, column, value):
    return next(r for r in range(1, ws.max_row + 1) if ws[f"{column}{r}"].value == value)


def with_cell(valid, sheet, column, row_of, value):
    """The workbook with ``value`` in ``column`` of the row ``row_of`` = (column, key) finds."""

    def edit(wb):
        ws = wb[sheet]
        ws[f"{column}{first_row(ws, *row_of)}"] = value

    return edited(valid, edit)


# Each case: (how to make the file from a valid exported workbook, what the user is told, the
# cell it is told about); the case is named after the first.


def not_a_zip(valid):
    return b"Kommun;Belopp\nHedemora kommun;-523,3\n"


def empty(valid):
    return b""


def zip_bomb(valid):
    return zip_of({"xl/workbook.xml": b"<workbook/>", "xl/sheet.xml": b"0" * (60 * MB)})


def highly_compressed_entry(valid):
    return with_entries(valid, {"xl/media/image1.bin": b"\0" * (5 * MB)})


def macros(valid):
    return with_entries(valid, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really vba"})


def macro_enabled_content_type(valid):
    with zipfile.ZipFile(BytesIO(valid)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return with_entries(valid, {}, replace={"[Content_Types].xml": types.encode()})


def external_links(valid):
    return with_entries(valid, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})


def too_many_entries(valid):
    return with_entries(valid, {f"xl/media/image{i}.png": b"x" for i in range(1001)})


def not_a_workbook_inside(valid):
    return zip_of({"hello.txt": b"hej"})


def xml_entities(valid):
    with zipfile.ZipFile(BytesIO(valid)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    body = types.split("?>", 1)[-1]
    bomb = '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    return with_entries(valid, {}, replace={"[Content_Types].xml": (bomb + body).encode()})


def broken_sheet(valid):
    def broken(name):
        return name.startswith("xl/worksheets/sheet") and name.endswith(".xml")

    with zipfile.ZipFile(BytesIO(valid)) as archive:
        names = [n for n in archive.namelist() if broken(n)]
    return with_entries(valid, {}, replace={n: b"<worksheet><sheetData><row" for n in names})


def enormous_sheet(valid):
    def edit(wb):
        wb["Ramar per verksamhet"].cell(row=100000, column=1, value=1)

    return edited(valid, edit)


def wrong_template(valid):
    wb = Workbook()
    wb.active.title = "Blad1"
    wb.active["A1"] = "Nämnd"
    wb.active["B1"] = "Budget 2026"
    return saved(wb)


def text_in_an_amount_cell(valid):
    return with_cell(valid, "Ramar per verksamhet", "G", ("B", "bildningsnamnden"), "tjugo")


def committee_of_unknown_kind(valid):
    return with_cell(valid, "Organisation", "C", ("A", "valnamnden"), "kommitté")


def missing_header(valid):
    def edit(wb):
        wb["Rader i budgetställningar"]["D2"] = "Typ"

    return edited(valid, edit)


def activity_of_unknown_committee(valid):
    return with_cell(valid, "Ramar per verksamhet", "A", ("B", "finansnetto"), "finansnamnden")


def sum_of_a_line_below(valid):
    return with_cell(
        valid,
        "Rader i budgetställningar",
        "E",
        ("B", "summa-verksamhetens-nettokostnader"),
        "verksamhetens-nettokostnad, avskrivningar, arets-resultat",
    )


CASES = [
    (not_a_zip, "Filen är inte en Excel-arbetsbok (.xlsx).", None),
    (zip_bomb, "för stor uppackad", None),
    (highly_compressed_entry, "misstänkt packad", None),
    (macros, "innehåller makron", None),
    (macro_enabled_content_type, "innehåller makron (.xlsm)", None),
    (external_links, "länkar till andra filer", None),
    (too_many_entries, "för många delar", None),
    (not_a_workbook_inside, "arbetsbokens delar saknas", None),
    (xml_entities, "kunde inte läsas som en Excel-arbetsbok", None),
    (broken_sheet, "kunde inte läsas som en Excel-arbetsbok", None),
    (enormous_sheet, "Bladet ”Ramar per verksamhet” är orimligt stort", None),
    (wrong_template, "Fel mall: bladen ”Organisation”, ”Ramar per verksamhet”", None),
    (text_in_an_amount_cell, "”tjugo” är inte ett belopp.", ("Ramar per verksamhet", 7, "G")),
    (
        committee_of_unknown_kind,
        "”kommitté” är inte ett tillåtet värde för ”Slag” (namnd, reserv, finans).",
        ("Organisation", 32, "C"),
    ),
    (
        missing_header,
        "Fel mall: kolumnen ska heta ”Radtyp”, inte ”Typ”.",
        ("Rader i budgetställningar", 2, "D"),
    ),
    (
        activity_of_unknown_committee,
        "Nämnden ”finansnamnden” finns inte under ”Nämnder”",
        ("Ramar per verksamhet", 13, "A"),
    ),
    (sum_of_a_line_below, "som inte är en rad ovanför", ("Rader i budgetställningar", 5, "E")),
]
PARAMETERS = pytest.mark.parametrize(
    ("make", "message", "place"), CASES, ids=[c[0].__name__.replace("_", "-") for c in CASES]
)


@pytest.fixture
def valid(exported):
    """A valid workbook: the plan's, as exported."""
    return exported


def state():
    """What a refused upload must leave as it was."""
    return (
        sorted(FrameEntry.objects.values_list("id", "activity_id", "budget_year_id", "amount")),
        sorted(Committee.objects.values_list("id", "code", "name", "kind")),
    )


@PARAMETERS
def test_bad_workbook_is_refused_with_a_swedish_message_and_nothing_changes(
    client, administrator, valid, make, message, place
):
    client.force_login(administrator)
    before = state()
    content = make(valid)

    response = client.post(
        reverse("budget:import"),
        {"file": SimpleUploadedFile("budget-2026.xlsx", content)},
    )

    assert response.status_code == 200
    assert "Arbetsboken lästes inte in" in response.text
    assert message in response.text
    if place is not None:
        sheet, row, column = place
        assert (
            f'<td>{sheet}</td>\n        <td class="num">{row}</td>\n        <td>{column}</td>'
            in (response.text)
        )
    assert state() == before


@PARAMETERS
def test_reader_refuses_the_bad_workbook_with_the_same_message(valid, make, message, place):
    with pytest.raises(BudgetWorkbookError) as caught:
        read_budget_workbook(BytesIO(make(valid)), max_bytes=10 * MB)

    [problem] = [p for p in caught.value.problems if message in p.message]
    if place is not None:
        assert (problem.sheet, problem.row, problem.column_letter) == place


def test_empty_upload_is_refused(client, administrator):
    client.force_login(administrator)
    before = state()

    response = client.post(
        reverse("budget:import"), {"file": SimpleUploadedFile("budget-2026.xlsx", b"")}
    )

    assert response.status_code == 200
    assert "Den skickade filen är tom." in response.text
    assert state() == before
    with pytest.raises(BudgetWorkbookError, match="Filen är tom."):
        check_upload(BytesIO(b""), max_bytes=MB)


def test_too_large_upload_is_refused_before_it_is_opened(client, administrator, valid, settings):
    settings.BUDGET_UPLOAD_MAX_BYTES = 10_000
    client.force_login(administrator)
    before = state()

    response = client.post(
        reverse("budget:import"), {"file": SimpleUploadedFile("budget-2026.xlsx", valid)}
    )

    assert response.status_code == 200
    assert "Filen är för stor" in response.text
    assert "största tillåtna storlek är 10 kB" in response.text
    assert state() == before


def test_every_problem_is_listed_not_only_the_first(valid):
    def edit(wb):
        frames = wb["Ramar per verksamhet"]
        frames[f"G{first_row(frames, 'B', 'bildningsnamnden')}"] = "tjugo"
        frames[f"H{first_row(frames, 'B', 'omsorgsnamnden')}"] = "många"
        organisation = wb["Organisation"]
        organisation[f"C{first_row(organisation, 'A', 'valnamnden')}"] = "kommitté"

    with pytest.raises(BudgetWorkbookError) as caught:
        read_budget_workbook(BytesIO(edited(valid, edit)), max_bytes=10 * MB)

    places = [(p.sheet, p.column_letter) for p in caught.value.problems]
    assert places == [
        ("Organisation", "C"),
        ("Ramar per verksamhet", "G"),
        ("Ramar per verksamhet", "H"),
    ]


def formulas_sheet(cells: str) -> bytes:
    """A workbook of one sheet "Blad" whose sheet XML holds ``cells`` in its first row."""
    wb = Workbook()
    wb.active.title = "Blad"
    content = saved(wb)
    with zipfile.ZipFile(BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    xml = xml.replace('<dimension ref="A1:A1" />', '<dimension ref="A1:B1" />')
    xml = xml.replace("<sheetData></sheetData>", f'<sheetData><row r="1">{cells}</row></sheetData>')
    return with_entries(content, {}, {"xl/worksheets/sheet1.xml": xml.encode()})


@pytest.mark.parametrize(
    ("cells", "uncomputed"),
    [
        ('<c r="A1"><v>1</v></c><c r="B1" s="0"/>', False),
        ('<c r="A1"><f>1+1</f><v>2</v></c>', False),
        ('<c r="A1" s="0"/><c r="B1"><f>1+1</f></c>', True),
        ('<c r="A1"><f>1+1</f><v></v></c>', True),
        ('<c r="A1"><f>1+1</f><v/></c>', True),
        ('<c r="A1"><f t="shared" ref="A1:A2" si="0">1+1</f><v>2</v></c>', False),
    ],
)
def test_the_formulas_are_read_again_only_where_one_lacks_its_stored_value(
    monkeypatch, cells, uncomputed
):
    opened = []
    real_open = safety.open_workbook

    def counting_open(buffer, **kwargs):
        opened.append(kwargs.get("data_only", True))
        return real_open(buffer, **kwargs)

    monkeypatch.setattr(safety, "open_workbook", counting_open)

    rows = safety.read_named_sheets(BytesIO(formulas_sheet(cells)), ["Blad"], missing=str)

    assert opened == ([True, False] if uncomputed else [True])
    first_row = rows["Blad"][0]
    assert any(isinstance(value, Uncomputed) for value in first_row) is uncomputed
