from django.apps import AppConfig


class FollowupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "followup"

    def ready(self):
        from budget import extensions
        from followup import (
            budget_pages,
            history_rules,
            permissions,  # noqa: F401 - registers the permission rules
        )
        from followup.periods import calendar_sheet
        from followup.reallocations.ledger import pending_for_committee

        # budget imports nothing from followup: the follow-up year joins budget's menu and
        # pages here (budget/extensions.py).
        extensions.set_start_page(budget_pages.START_PAGE)
        extensions.add_menu_sections(*budget_pages.FIRST_SECTIONS, before="overview")
        extensions.add_menu_sections(*budget_pages.YEAR_SECTIONS, after="my_committees")
        extensions.add_page_context("goals", budget_pages.goals)
        extensions.add_page_context("calendar", budget_pages.calendar)
        extensions.add_page_context("my_committees", budget_pages.my_committees)
        # Reallocations not yet applied show on the budget's committee page, apart.
        extensions.add_pending_changes(pending_for_committee)
        # The history pages show an entry only to those who may open its object's page.
        history_rules.register()
        # The reporting calendar travels with the budget workbook (export and import).
        extensions.add_workbook_part(calendar_sheet.PART)
