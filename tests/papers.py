"""The workbooks the application writes, each made from the demo year (``demo_investments``):
what the tests of every paper (stored values, printing) run over.

The papers are the same for every such test: ``demo_papers`` makes them once per test
process (``SharedData.computed_once``).
"""

from datetime import date

import pytest

from budget.exports import workbook as budget_workbook
from followup.investments import workbook as investment_workbook
from followup.investments.figures import follow_up
from followup.models import Report, ReportingPeriod
from followup.papers import paper
from followup.reallocations.workbook import writer as reallocation_template
from followup.reports.workbook import writer as report_template

TODAY = date(2026, 12, 7)


def _month(plan, month):
    return ReportingPeriod.objects.get(plan=plan, month=month)


PAPERS = {
    "budget workbook": lambda plan: budget_workbook.workbook_bytes(plan, today=TODAY),
    "month report": lambda plan: paper.workbook_bytes(_month(plan, 10), today=TODAY),
    "interim report": lambda plan: paper.workbook_bytes(_month(plan, 8), today=TODAY),
    "reallocation template": lambda plan: reallocation_template.template_bytes(plan),
    "report template": lambda plan: report_template.workbook_bytes(
        Report.objects.filter(period__plan=plan, period__month=5).first()
    ),
    "investments": lambda plan: investment_workbook.workbook_bytes(
        follow_up(plan=plan, period=_month(plan, 8))
    ),
}


@pytest.fixture
def demo_papers(demo_investments, shared_data) -> dict[str, bytes]:
    """{name: the workbook} of every paper of PAPERS, made from the demo year."""
    return shared_data.computed_once(
        "demo papers", lambda: {name: make(demo_investments) for name, make in PAPERS.items()}
    )
