from django.urls import path

from followup.views import (
    action_plans,
    companies,
    council,
    dashboard,
    goals,
    investments,
    kolada,
    outcome,
    papers,
    periods,
    reallocation_files,
    reallocations,
    report_workbook,
    reports,
    review,
    statements,
)

app_name = "followup"

urlpatterns = [
    path("<int:year>/", periods.periods, name="periods"),
    # The start page: the year at a glance, and a committee's drill-down from it.
    path("<int:year>/oversikt/", dashboard.start, name="dashboard"),
    path(
        "<int:year>/<int:month>/<slug:code>/oversikt/",
        dashboard.committee_overview,
        name="committee_overview",
    ),
    path("perioder/<int:pk>/status/", periods.period_status, name="period_status"),
    path("perioder/<int:pk>/sista-dag/", periods.period_deadline, name="period_deadline"),
    path("<int:year>/<int:month>/granskning/", review.review, name="review"),
    path("<int:year>/<int:month>/utfall/", outcome.outcome_import, name="outcome_import"),
    path("<int:year>/<int:month>/<slug:code>/", reports.report, name="report"),
    path(
        "<int:year>/<int:month>/<slug:code>/atgardsplan/",
        action_plans.action_plan,
        name="action_plan",
    ),
    path(
        "<int:year>/<int:month>/<slug:code>/rapport.xlsx",
        report_workbook.report_workbook,
        name="report_workbook",
    ),
    path(
        "<int:year>/<int:month>/<slug:code>/rapport/ladda-upp/",
        report_workbook.report_upload,
        name="report_upload",
    ),
    # What awaits kommunfullmäktige's decision, on a page and as an Excel paper.
    path("<int:year>/kf-arenden/", council.council_list, name="council_list"),
    path("<int:year>/kf-arenden.xlsx", council.council_list_export, name="council_list_export"),
    # Reallocations (budget changes during the year): the list, a draft, one reallocation,
    # its protocol extract and finance's steps (POST only).
    path("<int:year>/omfordelningar/", reallocations.reallocation_list, name="reallocations"),
    path(
        "<int:year>/omfordelningar/ny/",
        reallocations.reallocation_create,
        name="reallocation_create",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/",
        reallocations.reallocation_detail,
        name="reallocation",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/andra/",
        reallocations.reallocation_edit,
        name="reallocation_edit",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/protokollsutdrag.pdf",
        reallocations.reallocation_protocol,
        name="reallocation_protocol",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/bered/",
        reallocations.reallocation_prepare,
        name="reallocation_prepare",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/tillbaka-till-utkast/",
        reallocations.reallocation_return,
        name="reallocation_return",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/beslut/",
        reallocations.reallocation_decide,
        name="reallocation_decide",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/genomfor/",
        reallocations.reallocation_apply,
        name="reallocation_apply",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/avsla/",
        reallocations.reallocation_reject,
        name="reallocation_reject",
    ),
    path(
        "<int:year>/omfordelningar/<int:number>/aterfor/",
        reallocations.reallocation_reverse,
        name="reallocation_reverse",
    ),
    # A reallocation from Excel: the blank template and the upload of a filled one.
    path(
        "<int:year>/omfordelningar/mall.xlsx",
        reallocation_files.reallocation_template,
        name="reallocation_template",
    ),
    path(
        "<int:year>/omfordelningar/ladda-upp/",
        reallocation_files.reallocation_upload,
        name="reallocation_upload",
    ),
    # Investments: the follow-up table, a committee's projects, a project; finance keeps
    # the projects and carry-overs, controllers follow their committee's projects up.
    path("<int:year>/investeringar/", investments.investments_page, name="investments"),
    path(
        "<int:year>/investeringar/uppfoljning.xlsx",
        investments.investments_export,
        name="investments_export",
    ),
    path(
        "<int:year>/investeringar/nytt-projekt/",
        investments.project_create,
        name="investment_project_create",
    ),
    path(
        "<int:year>/investeringar/namnd/<slug:code>/",
        investments.investment_committee,
        name="investment_committee",
    ),
    path(
        "<int:year>/investeringar/projekt/<slug:code>/",
        investments.investment_project,
        name="investment_project",
    ),
    path(
        "<int:year>/investeringar/projekt/<slug:code>/andra/",
        investments.project_edit,
        name="investment_project_edit",
    ),
    path(
        "<int:year>/investeringar/projekt/<slug:code>/overflyttning/",
        investments.carry_over_propose,
        name="carry_over_propose",
    ),
    path(
        "<int:year>/investeringar/overflyttning/<int:pk>/beslut/",
        investments.carry_over_decide,
        name="carry_over_decide",
    ),
    path(
        "<int:year>/<int:month>/<slug:code>/investeringar/",
        investments.investment_follow_up,
        name="investment_follow_up",
    ),
    # The companies' forecast results per period.
    path("<int:year>/bolag/", companies.companies, name="companies"),
    path("<int:year>/bolag/<int:month>/", companies.company_forecasts, name="company_forecasts"),
    # The period's month report as an Excel paper for the council.
    path("<int:year>/<int:month>/manadsrapport.xlsx", papers.month_report, name="month_report"),
    # What finance enters for the interim report and the annual accounts beyond the
    # committees' reports, and the balanskravsutredning. ("<int:year>/<int:month>/<slug>/"
    # is a committee's report, so these live under "bokslut/".)
    path(
        "<int:year>/bokslut/<int:month>/budgetstallningar/",
        statements.statement_figures,
        name="statement_figures",
    ),
    path("<int:year>/bokslut/<int:month>/balanskrav/", statements.balance, name="balance"),
    # Finance's analysis of the goals for the interim report and the annual accounts.
    path("<int:year>/bokslut/<int:month>/mal/", goals.goal_analysis, name="goal_analysis"),
    # Finance's page for the goals' indicator values from Kolada.
    path("<int:year>/kolada/", kolada.kolada, name="kolada"),
]
