from django.urls import path

from budget.views import access, exports, history, imports, pages

app_name = "budget"

urlpatterns = [
    path("", pages.start, name="start"),
    path("budget/import/", imports.import_budget, name="import"),
    path("mina-namnder/", access.my_committees, name="my_committees"),
    path("administration/anvandare/", access.users, name="users"),
    path("administration/anvandare/ny/", access.user_create, name="user_create"),
    path("administration/anvandare/<int:pk>/", access.user_edit, name="user_edit"),
    path(
        "administration/anvandare/<int:pk>/losenord/",
        access.user_reset_password,
        name="user_reset_password",
    ),
    path("logg/", history.audit_log, name="audit_log"),
    path("logg/logg.xlsx", history.audit_log_export, name="audit_log_export"),
    path("budget/<int:year>/", pages.overview, name="overview"),
    path("budget/<int:year>/jamforelse/", pages.comparison, name="comparison"),
    path("budget/<int:year>/forandring/", pages.change, name="change"),
    path("budget/<int:year>/medel/", pages.funds, name="funds"),
    path("budget/<int:year>/investeringar/", pages.investments, name="investments"),
    path("budget/<int:year>/namnder/", pages.committees, name="committees"),
    path("budget/<int:year>/namnder/<slug:code>/", pages.committee, name="committee"),
    path("budget/<int:year>/mal/", pages.goals, name="goals"),
    path("budget/<int:year>/kalender/", pages.calendar, name="calendar"),
    path("budget/<int:year>/kontroll/", pages.control_page, name="control"),
    path("budget/<int:year>/historik/", history.plan_history, name="plan_history"),
    path(
        "budget/<int:year>/namnder/<slug:code>/historik/",
        history.committee_history,
        name="committee_history",
    ),
    path("budget/<int:year>/budget.xlsx", exports.export_budget, name="export"),
    path("budget/<int:year>/<slug:kind>/", pages.statement, name="statement"),
]
