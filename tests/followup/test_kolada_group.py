"""The municipality beside its county and its comparison group in Kolada: the group from
the mapping file, its members from Kolada's answer (v3 shape), the goals' indicators and
the financial indicators beside the unweighted means of the others, and the
balanskravsresultat of past years beside Kolada's.

No test reaches the network: the client gets a fake opener with recorded answers."""

import copy
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.audit import Actor, Source
from budget.loader import read_toml
from budget.models import AuditEntry, FinancialIndicator
from followup.goals.kolada.benchmarks import balance_comparison, mean, reference_rows
from followup.goals.kolada.client import KoladaError, parse_groups, parse_saved
from followup.goals.kolada.importer import (
    default_municipalities,
    import_from_kolada,
    import_saved,
    import_values,
)
from followup.goals.kolada.mappings import KoladaMappingError, load_kolada_mappings
from followup.goals.progress import goals_follow_up
from followup.models import EarlierDeficit, KoladaFigure, KoladaGroup, KoladaReference
from tests.followup.kolada import (
    BASE,
    FIRST_FETCH,
    GROUP,
    LIFE,
    MAPPING_FILE,
    SECOND_FETCH,
    FakeOpener,
    answer,
    fake_client,
    group_answer,
    item,
    value,
)
from tests.pages import page_as

# An invented group: two municipalities outside Dalarna and one inside it.
MEMBERS = (("2083", "Hedemora"), ("0860", "Hultsfred"), ("1766", "Sollefteå"), ("2084", "Avesta"))


@pytest.fixture
def actor(finance_officer):
    return Actor(user=finance_officer, source=Source.IMPORT)


@pytest.fixture
def fetched_group(plan, kolada_mappings, actor):
    """The group as Kolada answered it, and no value yet."""
    opener = FakeOpener(group_answer(GROUP, *MEMBERS), answer())
    import_from_kolada(plan=plan, client=fake_client(opener), actor=actor, fetched_at=FIRST_FETCH)
    return opener


def reference(plan, **kwargs):
    return KoladaReference.objects.get(plan=plan, **kwargs)


# --- The mapping file -------------------------------------------------------------------


def test_the_mapping_file_gives_the_group_and_the_references(plan, kolada_mappings):
    group = KoladaGroup.objects.get(municipality=plan.municipality)
    soliditet = FinancialIndicator.objects.get(plan=plan, code="soliditet-kommun")

    assert (group.group_id, group.title, group.members, group.fetched_at) == (GROUP, "", [], None)
    assert reference(plan, financial_indicator=soliditet).kpi == "N03106"
    assert reference(plan, measure="balanskravsresultat").kpi == "N03139"
    assert reference(plan, measure="invanare").kpi == "N01951"
    assert KoladaReference.objects.filter(plan=plan).count() == 5


def test_loading_the_file_again_changes_nothing(plan, kolada_mappings):
    entries = AuditEntry.objects.count()

    load_kolada_mappings(plan=plan, data=read_toml(MAPPING_FILE))

    assert KoladaReference.objects.filter(plan=plan).count() == 5
    assert KoladaGroup.objects.count() == 1
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"measure": "skuld", "kpi": "N03000", "unit": "procent"},
            "”skuld” är inget jämförelsetal",
        ),
        ({"measure": "invanare", "kpi": "N01951", "unit": "st"}, "enheten ska vara procent"),
        (
            {"measure": "nyckeltal", "indicator": "okand", "kpi": "N03106", "unit": "procent"},
            "det finansiella nyckeltalet ”okand” finns inte",
        ),
        ({"measure": "invanare", "kpi": "N 01", "unit": "antal"}, "är inget KPI-id i Kolada"),
    ],
)
def test_a_wrong_reference_is_refused_in_swedish_and_nothing_is_saved(plan, entry, message):
    data = copy.deepcopy(read_toml(MAPPING_FILE))
    data["references"].append(entry)

    with pytest.raises(KoladaMappingError) as excinfo:
        load_kolada_mappings(plan=plan, data=data)

    assert message in str(excinfo.value)
    assert "Jämförelsetal 6" in str(excinfo.value)
    assert not KoladaReference.objects.exists()
    assert not KoladaGroup.objects.exists()


# --- Kolada's answer about the group -----------------------------------------------------


def test_a_group_answer_is_read_in_the_v3_shape_and_the_older_one():
    v3 = group_answer(GROUP, ("2083", "Hedemora"), ("0860", "Hultsfred"))
    older = '{"values": [{"id": "G1", "title": "Grupp", "members": [{"id": "2083", "title": "Hedemora"}]}]}'

    (group,) = parse_groups(json.loads(v3))
    (old,) = parse_saved(older).groups

    assert (group.group_id, group.title) == (GROUP, "Liknande kommuner, övergripande")
    assert group.members == (("2083", "Hedemora"), ("0860", "Hultsfred"))
    assert old.members == (("2083", "Hedemora"),)


def test_a_group_answer_without_member_ids_is_refused():
    broken = '{"values": [{"id": "G1", "title": "Grupp", "members": [{"member_title": "X"}]}]}'

    with pytest.raises(KoladaError, match="saknar giltigt id"):
        parse_saved(broken)


def test_the_fetch_asks_for_the_group_then_for_its_members_values(plan, fetched_group):
    group = KoladaGroup.objects.get()

    assert fetched_group.urls[0] == f"{BASE}/municipality_groups/{GROUP}"
    assert (group.title, group.fetched_at) == ("Liknande kommuner, övergripande", FIRST_FETCH)
    assert [m["code"] for m in group.members] == ["2083", "0860", "1766", "2084"]
    # The county's fifteen, then the group's two outside Dalarna; Avesta once.
    municipalities = fetched_group.urls[1].split("/municipality/")[1].split("/")[0].split(",")
    assert municipalities[0] == "2083" and municipalities[-2:] == ["0860", "1766"]
    assert len(municipalities) == len(set(municipalities)) == 17
    assert default_municipalities(plan) == municipalities


def test_a_changed_group_is_updated_and_the_change_is_in_the_history(plan, fetched_group, actor):
    opener = FakeOpener(group_answer(GROUP, ("2083", "Hedemora"), ("0860", "Hultsfred")), answer())

    import_from_kolada(plan=plan, client=fake_client(opener), actor=actor, fetched_at=SECOND_FETCH)

    group = KoladaGroup.objects.get()
    assert [m["code"] for m in group.members] == ["2083", "0860"]
    entry = (
        AuditEntry.objects.filter(content_type__model="koladagroup", field="kommuner i gruppen")
        .order_by("id")
        .last()
    )
    assert "1766" in entry.old_value and "1766" not in entry.new_value


def test_kolada_not_knowing_the_group_stops_the_fetch_in_swedish(plan, kolada_mappings, actor):
    opener = FakeOpener('{"count": 0, "values": []}')

    with pytest.raises(KoladaError, match="känner inte till jämförelsegruppen G37393"):
        import_from_kolada(
            plan=plan, client=fake_client(opener), actor=actor, fetched_at=FIRST_FETCH
        )

    assert len(opener.urls) == 1


def test_a_saved_file_may_carry_the_group_beside_the_values(plan, kolada_mappings, actor):
    content = (
        f"[{group_answer(GROUP, *MEMBERS)}, "
        f"{answer(item(LIFE, '2083', 2024, ('T', '51')), item(LIFE, '1766', 2024, ('T', '47')))}]"
    )

    summary = import_saved(plan=plan, content=content, actor=actor, fetched_at=FIRST_FETCH)

    assert summary.created == 2
    assert KoladaGroup.objects.get().fetched_at == FIRST_FETCH


# --- Means beside the municipality's value ---------------------------------------------


def test_a_mean_is_unweighted_and_shown_one_decimal_finer_than_its_values():
    shown = mean([Decimal("51"), Decimal("52"), Decimal("54"), None], of=4)

    assert (shown.value, shown.count, shown.of, shown.shown) == (Decimal("52.3333"), 3, 4, "52,3")
    assert mean([Decimal("1.25"), Decimal("1.5")], of=2).shown == "1,38"
    assert mean([None], of=1) is None


def test_a_goal_indicator_stands_beside_the_county_and_the_group(plan, fetched_group, actor):
    import_values(
        plan=plan,
        values=[
            value(municipality="2083", year=2024, amount="51"),
            value(municipality="2084", year=2024, amount="58"),  # Avesta: county and group
            value(municipality="2081", year=2024, amount="55"),  # Borlänge: county
            value(municipality="0860", year=2024, amount="40"),  # Hultsfred: group
            value(municipality="0860", year=2023, amount="10"),  # another year: left out
        ],
        actor=actor,
        fetched_at=FIRST_FETCH,
    )

    life = next(
        f for g in goals_follow_up(plan) for f in g.indicators if f.indicator.code == "livskvalitet"
    )

    b = life.benchmark
    assert (b.year, b.own) == (2024, Decimal("51"))
    assert (b.county.value, b.county.count, b.county.of) == (Decimal("56.5"), 2, 14)
    assert (b.group.value, b.group.count, b.group.of) == (Decimal("49"), 2, 3)
    # The goals page lists the county's municipalities by name; the group's by its mean.
    assert [c.code for c in life.comparisons] == ["2081", "2084"]


def test_the_goals_page_and_the_kolada_page_show_the_means(
    client, plan, fetched_group, actor, finance_officer
):
    import_values(
        plan=plan,
        values=[
            value(municipality="2083", year=2024, amount="51"),
            value(municipality="2081", year=2024, amount="55"),
            value(municipality="0860", year=2024, amount="40"),
        ],
        actor=actor,
        fetched_at=FIRST_FETCH,
    )

    goals = " ".join(
        page_as(client, finance_officer, reverse("budget:goals", kwargs={"year": 2026}))
        .content.decode()
        .split()
    )
    kolada = " ".join(
        page_as(client, finance_officer, reverse("followup:kolada", kwargs={"year": 2026}))
        .content.decode()
        .split()
    )

    assert "Medel för övriga Dalarna: 55,0 (1 av 14 kommuner har ett värde)." in goals
    assert (
        "Medel för jämförelsegruppen ”Liknande kommuner, övergripande”: 40,0 (1 av 3 kommuner har ett värde)."
        in goals
    )
    assert (
        "Jämförelsegrupp i Kolada: <strong>Liknande kommuner, övergripande</strong> (G37393)."
        in kolada
    )
    assert "4 kommuner, hämtad från Kolada 2026-03-02." in kolada
    assert 'Hultsfred <span class="muted">(0860, jämförelsegruppen)</span>' in kolada
    assert 'Avesta <span class="muted">(2084, länet och jämförelsegruppen)</span>' in kolada


# --- Financial indicators and the balanskravsresultat ------------------------------------


def deficit_2024(plan, finance_officer):
    """A balanskravsresultat of −5 mkr in 2024, as finance records it."""
    EarlierDeficit.objects.create(
        plan=plan,
        year=2024,
        amount=Decimal("-5000000"),
        recorded_at=FIRST_FETCH,
        recorded_by=finance_officer,
    )


def test_the_references_values_are_kept_as_kolada_figures_and_audited(plan, fetched_group, actor):
    values = [
        value(kpi="N03106", municipality="2083", year=2024, amount="35.2"),
        value(kpi="N03106", municipality="0860", year=2024, amount="41.0"),
        value(kpi="N03106", municipality="2083", year=2024, amount="9", gender="K"),  # not T
    ]

    first = import_values(plan=plan, values=values, actor=actor, fetched_at=FIRST_FETCH)
    values[0] = value(kpi="N03106", municipality="2083", year=2024, amount="35.4")
    second = import_values(plan=plan, values=values, actor=actor, fetched_at=SECOND_FETCH)

    row = KoladaFigure.objects.get(kpi="N03106", municipality_code="2083", year=2024)
    assert (first.created, second.changed, second.unchanged) == (2, 1, 1)
    assert (row.value, row.fetched_at) == (Decimal("35.4"), SECOND_FETCH)
    assert KoladaFigure.objects.count() == 2
    entry = AuditEntry.objects.filter(content_type__model="koladafigure", action="andrad").get()
    assert (entry.old_value, entry.new_value) == ("35.2000", "35.4000")


def test_a_financial_indicator_stands_beside_the_county_and_the_group(plan, fetched_group, actor):
    import_values(
        plan=plan,
        values=[
            value(kpi="N03106", municipality="2083", year=year, amount=amount)
            for year, amount in ((2021, "30"), (2022, "31"), (2023, "32.5"), (2024, "33"))
        ]
        + [
            value(kpi="N03106", municipality="2081", year=2024, amount="40"),
            value(kpi="N03106", municipality="1766", year=2024, amount="20"),
        ],
        actor=actor,
        fetched_at=FIRST_FETCH,
    )

    rows = {r.name: r for r in reference_rows(plan)}

    soliditet = rows["Soliditet kommun (%), utan pensionsåtaganden"]
    assert [b.year for b in soliditet.benchmarks] == [2022, 2023, 2024]  # the last three
    latest = soliditet.benchmarks[-1]
    assert (latest.own_shown, latest.county.shown, latest.group.shown) == ("33", "40,0", "20,0")
    assert rows["Årets resultat som andel av skatter och generella statsbidrag"].benchmarks == ()


def test_the_balanskravsresultat_is_compared_with_kolada_per_inhabitant(
    plan, kolada_mappings, actor, finance_officer
):
    deficit_2024(plan, finance_officer)
    import_values(
        plan=plan,
        values=[
            value(kpi="N03139", year=2024, amount="-320"),
            value(kpi="N01951", year=2024, amount="15000"),
            value(kpi="N03139", year=2023, amount="410"),
        ],
        actor=actor,
        fetched_at=FIRST_FETCH,
    )

    comparison = balance_comparison(plan)

    earlier, latest = comparison.years
    assert (earlier.year, earlier.own, earlier.kolada, earlier.difference) == (
        2023,
        None,
        Decimal("410"),
        None,
    )
    assert latest.own_in_unit == Decimal("-333")  # −5 000 000 kr / 15 000 invånare
    assert latest.difference == Decimal("-13")
    assert "registrerat av ekonomiavdelningen" in latest.source
    assert comparison.missing_inhabitants is False


def test_the_kolada_page_shows_the_balanskravsresultat_beside_kolada(
    client, plan, kolada_mappings, actor, finance_officer
):
    deficit_2024(plan, finance_officer)
    import_values(
        plan=plan,
        values=[value(kpi="N03139", year=2024, amount="-320")],
        actor=actor,
        fetched_at=FIRST_FETCH,
    )

    content = " ".join(
        page_as(client, finance_officer, reverse("followup:kolada", kwargs={"year": 2026}))
        .content.decode()
        .split()
    )

    assert "Balanskravsresultat mot Kolada" in content
    assert "<code>N03139</code>, kr per invånare" in content
    assert "−5,0" in content and "−320" in content
    assert "Invånarantalet saknas för något år" in content
