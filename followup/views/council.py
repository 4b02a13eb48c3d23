"""The council list: reallocations awaiting kommunfullmäktige's decision, on a page and in
Excel. For the council secretary, finance and councillors (``followup.view_council_list``)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from budget import xlsx
from budget.views.pages import plan_for
from followup.models import Reallocation
from followup.reallocations.council import WHY_THE_COUNCIL_DECIDES, council_items
from followup.reallocations.council_workbook import filename, workbook_bytes


@permission_required("followup.view_council_list", raise_exception=True)
@require_safe
def council_list(request, year):
    plan = plan_for(request, year)
    items = council_items(plan)
    return render(
        request,
        "followup/council_list.html",
        {
            "plan": plan,
            "items": items,
            "openable": _openable(request.user, items),
            "why": WHY_THE_COUNCIL_DECIDES,
        },
    )


def _openable(user, items) -> set:
    """The items whose own page the user may open (the reallocation pages' rule)."""
    if not items or not user.has_perm("followup.view_reallocations"):
        return set()
    pks = [item.reallocation.pk for item in items]
    visible = Reallocation.objects.visible_to(user).filter(pk__in=pks)
    return set(visible.values_list("pk", flat=True))


@permission_required("followup.view_council_list", raise_exception=True)
@require_safe
def council_list_export(request, year):
    """The list as an Excel paper for the council (kf-arenden-<year>.xlsx)."""
    plan = plan_for(request, year)
    return xlsx.download(workbook_bytes(plan), filename(plan))
