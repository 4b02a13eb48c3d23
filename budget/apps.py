from django.apps import AppConfig


class BudgetConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budget"
    verbose_name = "Budget"

    def ready(self):
        from budget import permissions  # noqa: F401 - registers the permission rules
