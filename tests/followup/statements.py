"""The financial statements (resultat-, balans-, kassaflödesbudget) as the tests read them."""

from budget.models import AuditEntry, StatementLine


def line(plan, kind, code):
    """The line ``code`` of the plan's statement ``kind`` (e.g. "resultatbudget")."""
    return StatementLine.objects.get(statement__plan=plan, statement__kind=kind, code=code)


def history():
    """The audit entries of the accounts: finance's statement figures and their comparisons."""
    return AuditEntry.objects.filter(area=AuditEntry.Area.ACCOUNTS)
