from django.urls import include, path

from budget.views import access, exports, history, imports, pages

app_name = "budget"

# The administrator's pages for the users, their roles and committees.
user_urls = [
    path("", access.users, name="users"),
    path("ny/", access.user_create, name="user_create"),
    path("<int:pk>/", access.user_edit, name="user_edit"),
    path("<int:pk>/losenord/", access.user_reset_password, name="user_reset_password"),
    path("<int:pk>/las-upp/", access.user_unlock, name="user_unlock"),
]

# An adopted budget, under budget/<year>/: its pages, its history and the workbook.
plan_urls = [
    path("", pages.overview, name="overview"),
    path("jamforelse/", pages.comparison, name="comparison"),
    path("forandring/", pages.change, name="change"),
    path("medel/", pages.funds, name="funds"),
    path("investeringar/", pages.investments, name="investments"),
    path("namnder/", pages.committees, name="committees"),
    path("namnder/<slug:code>/", pages.committee, name="committee"),
    path("mal/", pages.goals, name="goals"),
    path("kalender/", pages.calendar, name="calendar"),
    path("kontroll/", pages.control_page, name="control"),
    path("historik/", history.plan_history, name="plan_history"),
    path("namnder/<slug:code>/historik/", history.committee_history, name="committee_history"),
    path("budget.xlsx", exports.export_budget, name="export"),
    # Last: a statement's kind is any slug.
    path("<slug:kind>/", pages.statement, name="statement"),
]

urlpatterns = [
    path("", pages.start, name="start"),
    path("budget/import/", imports.import_budget, name="import"),
    path("mina-namnder/", access.my_committees, name="my_committees"),
    path("administration/anvandare/", include(user_urls)),
    path("logg/", history.audit_log, name="audit_log"),
    path("logg/logg.xlsx", history.audit_log_export, name="audit_log_export"),
    path("budget/<int:year>/", include(plan_urls)),
]
