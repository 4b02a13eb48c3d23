from django.apps import AppConfig


class FollowupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "followup"

    def ready(self):
        from budget.reports import ledger
        from followup.reallocations.ledger import pending_for_committee

        # Reallocations not yet applied show on the budget's committee page, apart.
        ledger.register_pending(pending_for_committee)
