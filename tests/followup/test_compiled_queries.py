"""Queries compiled once per process and shape (followup.reports.compiled): the same rows as
the query built afresh, whatever the values they are run with."""

from datetime import date
from decimal import Decimal

import pytest

from budget.models import BudgetYear, FrameEntry
from followup.models import Report, ReportingPeriod
from followup.reports import compiled
from followup.reports.figures import _frame_sums, _line_sums

pytestmark = pytest.mark.django_db


def ordered(rows):
    return sorted(repr(sorted(row.items())) for row in rows)


def test_a_compiled_query_gives_the_rows_of_the_query_built_afresh_for_every_period(demo_year):
    reports = list(Report.objects.current().values_list("id", flat=True).order_by("id"))
    for period in ReportingPeriod.objects.filter(plan=demo_year).order_by("month"):
        values = {
            "plan_id": demo_year.pk,
            "year": period.year,
            "last_day": period.last_day,
            "report_ids": reports[: period.month],
        }
        assert ordered(compiled.rows("test:frames", _frame_sums, **values)) == ordered(
            _frame_sums(**values)
        )
        assert ordered(
            compiled.rows("test:lines", _line_sums, report_ids=values["report_ids"])
        ) == ordered(_line_sums(report_ids=values["report_ids"]))


def test_a_shape_is_compiled_once_and_run_with_each_calls_values(demo_year):
    ids = list(Report.objects.current().values_list("id", flat=True).order_by("id"))
    first, second = ids[:3], ids[3:6]

    one = compiled.rows("test:shape", _line_sums, report_ids=first)
    kept = {k: v for k, v in compiled._kept.items() if k[0] == "test:shape"}
    other = compiled.rows("test:shape", _line_sums, report_ids=second)

    assert [type(v).__name__ for v in kept.values()] == ["_Compiled"]
    assert {k for k in compiled._kept if k[0] == "test:shape"} == set(kept)
    assert ordered(one) == ordered(_line_sums(report_ids=first))
    assert ordered(other) == ordered(_line_sums(report_ids=second))


def test_a_query_empty_whatever_its_values_is_built_each_time(demo_year):
    assert compiled.rows("test:empty", _line_sums, report_ids=[]) == []
    assert compiled._kept[next(k for k in compiled._kept if k[0] == "test:empty")] is (
        compiled._UNKEPT
    )


def test_a_date_is_put_in_its_place_as_the_database_takes_it(demo_year):
    column = BudgetYear.objects.get(
        plan=demo_year, year=demo_year.year, kind=BudgetYear.Kind.BUDGET
    )
    FrameEntry.objects.create(
        activity=FrameEntry.objects.filter(budget_year=column).first().activity,
        budget_year=column,
        kind=FrameEntry.Kind.CHANGE,
        amount=Decimal("-250000"),
        decided_on=date(demo_year.year, 6, 15),
    )
    values = {"plan_id": demo_year.pk, "year": demo_year.year, "report_ids": []}
    early = compiled.rows("test:day", _frame_sums, last_day=date(demo_year.year, 1, 31), **values)
    late = compiled.rows("test:day", _frame_sums, last_day=date(demo_year.year, 12, 31), **values)

    assert isinstance(
        compiled._kept[next(k for k in compiled._kept if k[0] == "test:day")], compiled._Compiled
    )
    assert ordered(early) != ordered(late)  # the change decided in June
    assert ordered(early) == ordered(_frame_sums(last_day=date(demo_year.year, 1, 31), **values))
    assert ordered(late) == ordered(_frame_sums(last_day=date(demo_year.year, 12, 31), **values))
