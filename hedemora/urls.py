"""URL configuration: the budget pages, the accounts pages and the admin site.

Accounts (login, logout, password change and reset) live under /konto/ with
Django's standard URL names: login, logout, password_change, password_reset, …
"""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Budgetuppföljning – administration"
admin.site.site_title = "Budgetuppföljning – administration"
admin.site.index_title = "Administration"

urlpatterns = [
    path("konto/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("uppfoljning/", include("followup.urls")),
    # Open data, without login when the municipality turns it on (docs/decisions/0028).
    path("oppna-data/", include("followup.opendata.urls")),
    path("", include("budget.urls")),
]
