"""Open data's addresses under /oppna-data/ (docs/decisions/0028): stable, since others
link to them and harvest them."""

from django.urls import path

from followup.opendata import views
from followup.opendata.published import CSV, JSON

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("katalog.jsonld", views.catalogue, name="catalogue"),
    # Each file in both formats, named by what it holds and its format (period_csv, …).
    *(
        path(f"<int:year>/{route}.{fmt}", view, {"fmt": fmt}, name=f"{name}_{fmt}")
        for route, view, name in (
            ("perioder/<int:month>/namnder", views.period, "period"),
            ("budget/<slug:kind>", views.budget_table, "budget"),
        )
        for fmt in (CSV, JSON)
    ),
]
