from django.urls import path

from .views import action_plans, outcome, periods, report_workbook, reports, review

app_name = "followup"

urlpatterns = [
    path("<int:year>/", periods.periods, name="periods"),
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
]
