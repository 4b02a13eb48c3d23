"""Committees added to the plan's own, to show that a page's or a paper's number of queries
does not grow with the committees."""

from budget.models import Activity, Committee


def extra_committees(municipality, count=3, *, activities=2) -> list[Committee]:
    """``count`` committees "Extranämnd 0", "Extranämnd 1", … (codes extra-0, …) after the
    plan's own, each with ``activities`` activities (extra-0-0, extra-0-1, …)."""
    committees = []
    for n in range(count):
        committee = Committee.objects.create(
            municipality=municipality,
            code=f"extra-{n}",
            name=f"Extranämnd {n}",
            kind=Committee.Kind.COMMITTEE,
            position=100 + n,
        )
        for a in range(activities):
            Activity.objects.create(committee=committee, code=f"extra-{n}-{a}", name=f"V {a}")
        committees.append(committee)
    return committees
