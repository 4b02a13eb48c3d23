"""Open data's addresses under /oppna-data/ (docs/decisions/0028): stable, since others
link to them and harvest them."""

from django.urls import path

from followup.opendata import views
from followup.opendata.published import CSV, JSON

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("katalog.jsonld", views.catalogue, name="catalogue"),
    *(
        path(
            f"<int:year>/perioder/<int:month>/namnder.{fmt}",
            views.period,
            {"fmt": fmt},
            name=f"period_{fmt}",
        )
        for fmt in (CSV, JSON)
    ),
    *(
        path(
            f"<int:year>/budget/<slug:kind>.{fmt}",
            views.budget_table,
            {"fmt": fmt},
            name=f"budget_{fmt}",
        )
        for fmt in (CSV, JSON)
    ),
]
