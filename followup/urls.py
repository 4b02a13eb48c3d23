from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("<int:year>/", views.periods, name="periods"),
    path("perioder/<int:pk>/status/", views.period_status, name="period_status"),
    path("<int:year>/<int:month>/granskning/", views.review, name="review"),
    path("<int:year>/<int:month>/<slug:code>/", views.report, name="report"),
    path("<int:year>/<int:month>/<slug:code>/atgardsplan/", views.action_plan, name="action_plan"),
]
