from django.urls import path

from .views import exports, imports, pages

app_name = "budget"

urlpatterns = [
    path("", pages.start, name="start"),
    path("budget/import/", imports.import_budget, name="import"),
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
    path("budget/<int:year>/budget.xlsx", exports.export_budget, name="export"),
    path("budget/<int:year>/<slug:kind>/", pages.statement, name="statement"),
]
