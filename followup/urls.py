from django.urls import include, path

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

# A committee's period, under <year>/<month>/<committee>/: its report, the action plan, the
# report as an Excel template to download and upload, the drill-down from the start page and
# the period's follow-up of the committee's investments.
committee_period_urls = [
    path("", reports.report, name="report"),
    path("atgardsplan/", action_plans.action_plan, name="action_plan"),
    path("rapport.xlsx", report_workbook.report_workbook, name="report_workbook"),
    path("rapport/ladda-upp/", report_workbook.report_upload, name="report_upload"),
    path("oversikt/", dashboard.committee_overview, name="committee_overview"),
    path("investeringar/", investments.investment_follow_up, name="investment_follow_up"),
]

# Reallocations (budget changes during the year), under <year>/omfordelningar/: the list, a
# draft, one reallocation, its protocol extract and finance's steps (POST only).
one_reallocation_urls = [
    path("", reallocations.reallocation_detail, name="reallocation"),
    path("andra/", reallocations.reallocation_edit, name="reallocation_edit"),
    path("protokollsutdrag.pdf", reallocations.reallocation_protocol, name="reallocation_protocol"),
    path("bered/", reallocations.reallocation_prepare, name="reallocation_prepare"),
    path("tillbaka-till-utkast/", reallocations.reallocation_return, name="reallocation_return"),
    path("beslut/", reallocations.reallocation_decide, name="reallocation_decide"),
    path("genomfor/", reallocations.reallocation_apply, name="reallocation_apply"),
    path("avsla/", reallocations.reallocation_reject, name="reallocation_reject"),
    path("aterfor/", reallocations.reallocation_reverse, name="reallocation_reverse"),
]
reallocation_urls = [
    path("", reallocations.reallocation_list, name="reallocations"),
    path("ny/", reallocations.reallocation_create, name="reallocation_create"),
    path("<int:number>/", include(one_reallocation_urls)),
    # A reallocation from Excel: the blank template and the upload of a filled one.
    path("mall.xlsx", reallocation_files.reallocation_template, name="reallocation_template"),
    path("ladda-upp/", reallocation_files.reallocation_upload, name="reallocation_upload"),
]

# Investments, under <year>/investeringar/: the follow-up table, a committee's projects, a
# project; finance keeps the projects and carry-overs, controllers follow their committee's
# projects up (a period's follow-up lives beside the committee's report).
investment_urls = [
    path("", investments.investments_page, name="investments"),
    path("uppfoljning.xlsx", investments.investments_export, name="investments_export"),
    path("nytt-projekt/", investments.project_create, name="investment_project_create"),
    path("namnd/<slug:code>/", investments.investment_committee, name="investment_committee"),
    path("projekt/<slug:code>/", investments.investment_project, name="investment_project"),
    path("projekt/<slug:code>/andra/", investments.project_edit, name="investment_project_edit"),
    path(
        "projekt/<slug:code>/overflyttning/",
        investments.carry_over_propose,
        name="carry_over_propose",
    ),
    path("overflyttning/<int:pk>/beslut/", investments.carry_over_decide, name="carry_over_decide"),
]

# What finance enters for the interim report and the annual accounts beyond the committees'
# reports, under <year>/bokslut/<month>/ ("<year>/<month>/<slug>/" is a committee's period):
# the statements, the balanskravsutredning and the analysis of the goals.
accounts_urls = [
    path("budgetstallningar/", statements.statement_figures, name="statement_figures"),
    path("balanskrav/", statements.balance, name="balance"),
    path("hushallning/", statements.stewardship_assessment, name="stewardship_assessment"),
    path("mal/", goals.goal_analysis, name="goal_analysis"),
]

urlpatterns = [
    path("<int:year>/", periods.periods, name="periods"),
    path("<int:year>/kalender/", periods.calendar, name="calendar"),
    # The start page: the year at a glance (a committee's drill-down is under its period).
    path("<int:year>/oversikt/", dashboard.start, name="dashboard"),
    path("perioder/<int:pk>/status/", periods.period_status, name="period_status"),
    path("perioder/<int:pk>/sista-dag/", periods.period_deadline, name="period_deadline"),
    path("perioder/<int:pk>/rattelse/", periods.period_correction, name="period_correction"),
    path("<int:year>/<int:month>/granskning/", review.review, name="review"),
    path("<int:year>/<int:month>/utfall/", outcome.outcome_import, name="outcome_import"),
    # After the period's own pages above: "granskning" and "utfall" are not committees.
    path("<int:year>/<int:month>/<slug:code>/", include(committee_period_urls)),
    # What awaits kommunfullmäktige's decision, on a page and as an Excel paper.
    path("<int:year>/kf-arenden/", council.council_list, name="council_list"),
    path("<int:year>/kf-arenden.xlsx", council.council_list_export, name="council_list_export"),
    path("<int:year>/omfordelningar/", include(reallocation_urls)),
    path("<int:year>/investeringar/", include(investment_urls)),
    # The companies' forecast results per period.
    path("<int:year>/bolag/", companies.companies, name="companies"),
    path("<int:year>/bolag/<int:month>/", companies.company_forecasts, name="company_forecasts"),
    # The period's month report as an Excel paper for the council.
    path("<int:year>/<int:month>/manadsrapport.xlsx", papers.month_report, name="month_report"),
    path("<int:year>/bokslut/<int:month>/", include(accounts_urls)),
    # Last year's outcome that the interim report and the annual accounts compare with.
    path(
        "<int:year>/bokslut/foregaende-ar/",
        statements.previous_year_figures,
        name="previous_year_figures",
    ),
    # Finance's page for the goals' indicator values from Kolada.
    path("<int:year>/kolada/", kolada.kolada, name="kolada"),
]
