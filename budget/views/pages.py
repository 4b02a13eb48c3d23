"""The budget pages: each a thin view over a plan snapshot and its tables.

The goals page and the calendar show the follow-up year too when an app adds it
(budget/extensions.py); without one they show the adopted budget alone.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from budget import extensions
from budget.exports import shown
from budget.history import table_history_url
from budget.models import BudgetPlan, Committee, Statement
from budget.reports import control, document, indicators
from budget.reports.ledger import committee_ledger, plan_changes
from budget.reports.snapshot import ADOPTED, CURRENT, PlanSnapshot
from budget.views import tables as ui

can_view = permission_required("budget.view_budget", raise_exception=True)


def plan_for(request, year, *, related=()) -> BudgetPlan:
    """The plan of a budget year that the user may see, or 404; ``related``: more to
    read with it (e.g. "vision"). (One municipality per installation for now.)"""
    plan = (
        BudgetPlan.objects.visible_to(request.user)
        .select_related("municipality", *related)
        .filter(year=year)
        .order_by("id")
        .first()
    )
    if plan is None:
        raise Http404("Det finns ingen budget för det året.")
    return plan


def shown_snapshot(request, plan) -> PlanSnapshot:
    """The plan as the page shows it: the adopted frames (as in the document), or with
    ``?budget=aktuell`` the current ones, with the changes applied during the year."""
    basis = CURRENT if request.GET.get("budget") == CURRENT else ADOPTED
    return PlanSnapshot(plan, basis=basis)


def basis_context(request, snapshot) -> dict:
    """The switch between adopted and current frames, for the page header."""
    return {
        "basis": snapshot.basis,
        "basis_changed": snapshot.changed,
        "adopted_url": request.path,
        "current_url": f"{request.path}?budget={CURRENT}",
    }


def page(request, template, plan, *, snapshot=None, **context):
    """Render a budget page; with the snapshot it shows, the adopted/current switch."""
    if snapshot is not None:
        context.update(basis_context(request, snapshot))
    context.setdefault("plan", plan)
    context.setdefault("export_url", reverse("budget:export", kwargs={"year": plan.year}))
    return render(request, template, context)


@can_view
@require_safe
def start(request):
    plan = BudgetPlan.objects.visible_to(request.user).order_by("-year", "id").first()
    if plan is None:
        return render(request, "budget/empty.html")
    return redirect(extensions.start_page(), year=plan.year)


@can_view
@require_safe
def overview(request, year):
    plan = plan_for(request, year)
    snapshot = PlanSnapshot(plan)
    built = document.all_tables(snapshot)
    comparison = built[0]
    main = snapshot.main_year()
    checks = control.checks(snapshot, built)
    targets = indicators.surplus_targets(snapshot, comparison)
    main_target = next((t for t in targets if main and t.column_key == main.key), None)
    facts = [f for f in snapshot.facts.values()]
    return page(
        request,
        "budget/overview.html",
        plan,
        main=main,
        headlines=document.headlines(built, main.key) if main else [],
        target=main_target,
        differing=len(control.differing(checks)),
        checks=len(checks),
        table_links=_table_links(plan, built),
        facts=sorted(facts, key=lambda f: (f.position, f.pk)),
        companies=plan.company_forecasts.select_related("company").order_by(
            "company__position", "year", "id"
        ),
    )


def _table_links(plan, built):
    """The plan's tables, each linked to its page; a table without columns (the plan has
    none of its figures) has no page."""
    links = []
    for table in built:
        if not table.columns:
            continue
        if table.code in Statement.Kind.values:
            url = reverse("budget:statement", kwargs={"year": plan.year, "kind": table.code})
        else:
            url = reverse(f"budget:{TABLE_VIEWS[table.code]}", kwargs={"year": plan.year})
        links.append({"title": table.title, "url": url, "differences": len(table.differences())})
    return links


TABLE_VIEWS = {
    "budgetjamforelse": "comparison",
    "budgetforandring": "change",
    "forandring-av-medel": "funds",
    "investeringsbudget": "investments",
}


def _table_page(request, plan, budget_table, *, intro="", snapshot=None):
    if budget_table is None or not budget_table.columns:
        raise Http404("Tabellen finns inte i den här budgeten.")
    table = ui.document_table(budget_table)
    if shown.wants_export(request):
        basis = "aktuell budget" if snapshot and snapshot.basis == CURRENT else "antagen budget"
        return shown.table_response(
            table,
            title=f"{budget_table.title} {plan.year}",
            context=f"{plan.municipality} · {plan.title} · {basis} · {budget_table.unit_label}",
        )
    return page(
        request,
        "budget/table_page.html",
        plan,
        budget_table=budget_table,
        table=table,
        differences=[
            {
                "row": row.label,
                "column": budget_table.column(key).label,
                "stated": ui.format_cell(stated, budget_table.cell_unit(row, key)),
                "computed": ui.format_cell(computed, budget_table.cell_unit(row, key)),
            }
            for row, key, stated, computed, _ in budget_table.differences()
        ],
        intro=intro,
        history_url=table_history_url(plan, budget_table.code),
        snapshot=snapshot,
        changes=plan_changes(snapshot) if snapshot is not None and snapshot.changed else [],
        current_shown=any(c.is_current for c in budget_table.columns),
    )


@can_view
@require_safe
def comparison(request, year):
    plan = plan_for(request, year)
    snapshot = shown_snapshot(request, plan)
    table = document.current_beside(document.comparison(snapshot), document.comparison, snapshot)
    for row in table.rows:
        committee = next((c for c in snapshot.committees if c.code == row.code), None)
        if committee is not None and committee.kind != Committee.Kind.FINANCE:
            row.link = reverse("budget:committee", kwargs={"year": year, "code": committee.code})
    intro = (
        "Nämndernas nettoramar och finansförvaltningens rader. "
        "Summor och resultat är beräknade ur raderna."
        if table.has_row("resultat")
        else "Nämndernas nettoramar. Summan är beräknad ur raderna; budgeten har inga "
        "rader för finansförvaltningen och därmed inget resultat för kommunen."
    )
    return _table_page(request, plan, table, intro=intro, snapshot=snapshot)


def _shown_table_page(request, year, build):
    """The page of one document table, built from the snapshot the visitor chose; on the
    adopted budget, with the current budget beside it where decided changes touch it."""
    plan = plan_for(request, year)
    snapshot = shown_snapshot(request, plan)
    table = document.current_beside(build(snapshot), build, snapshot)
    return _table_page(request, plan, table, snapshot=snapshot)


@can_view
@require_safe
def change(request, year):
    return _shown_table_page(request, year, document.change)


@can_view
@require_safe
def funds(request, year):
    return _shown_table_page(request, year, document.funds)


@can_view
@require_safe
def statement(request, year, kind):
    if kind not in Statement.Kind.values:
        raise Http404("Okänd budgetställning.")
    return _shown_table_page(request, year, lambda snapshot: document.statement(snapshot, kind))


@can_view
@require_safe
def investments(request, year):
    plan = plan_for(request, year)
    snapshot = PlanSnapshot(plan)
    minimum = snapshot.fact("investering-minsta-belopp")
    life = snapshot.fact("investering-minsta-livslangd")
    intro = "Bruttoinvesteringar per nämnd."
    if minimum is not None and life is not None:
        intro += (
            f" Som investering räknas en tillgång om minst {ui.format_number(minimum.value)} kr "
            f"med en livslängd om minst {ui.format_number(life.value)} år."
        )
    return _table_page(request, plan, document.investments(snapshot), intro=intro)


@can_view
@require_safe
def committees(request, year):
    plan = plan_for(request, year)
    snapshot = shown_snapshot(request, plan)
    main, previous = snapshot.main_year(), snapshot.previous_budget_year()
    beside = main is not None and snapshot.basis == ADOPTED and snapshot.changed
    rows = []
    for c in snapshot.committees_of(*document.COMMITTEE_KINDS):
        frame = snapshot.committee_frame(c, main.key) if main else None
        before = snapshot.committee_frame(c, previous.key) if previous else None
        rows.append(
            {
                "name": c.name,
                "url": reverse("budget:committee", kwargs={"year": year, "code": c.code}),
                "kind": c.get_kind_display(),
                "administration": c.administration.name if c.administration else None,
                "frame": frame,
                "current": snapshot.committee_frame(c, main.key, CURRENT) if beside else None,
                "change": None if frame is None or before is None else frame - before,
                "investments": snapshot.investment_total(main.key, c) if main else None,
                "position": c.position,
            }
        )
    table = ui.CommitteeTable(
        rows, order_by=request.GET.get("sort") or "position", exclude=() if beside else ("current",)
    )
    table.columns["frame"].column.verbose_name = f"Ram {main}" if main else "Ram"
    if beside:
        table.columns[
            "current"
        ].column.verbose_name = f"Aktuell ram {main.year} efter beslutade förändringar"
    table.columns["investments"].column.verbose_name = f"Investeringar {main}" if main else ""
    table.caption = "Nämnder"
    if shown.wants_export(request):
        return shown.table_response(
            table, title=f"Nämnder {plan.year}", context=f"{plan.municipality} · {plan.title}"
        )
    return page(
        request,
        "budget/committees.html",
        plan,
        table=table,
        snapshot=snapshot,
    )


@can_view
@require_safe
def committee(request, year, code):
    plan = plan_for(request, year)
    committee = get_object_or_404(
        Committee.objects.visible_to(request.user)
        .select_related("administration")
        .exclude(kind=Committee.Kind.FINANCE),
        municipality=plan.municipality,
        code=code,
    )
    snapshot = shown_snapshot(request, plan)
    frames = document.committee_frames(snapshot, committee)
    invest = document.committee_investments(snapshot, committee)
    main = snapshot.main_year()
    return page(
        request,
        "budget/committee.html",
        plan,
        snapshot=snapshot,
        committee=committee,
        frames=ui.document_table(frames),
        investments=ui.document_table(invest) if invest.rows else None,
        main=main,
        ledger=committee_ledger(snapshot, committee, user=request.user),
    )


@can_view
@require_safe
def goals(request, year):
    plan = plan_for(request, year, related=("vision",))
    snapshot = PlanSnapshot(plan)
    comparison = document.comparison(snapshot)
    years, financial = indicators.financial_indicators(snapshot, comparison)
    return page(
        request,
        "budget/goals.html",
        plan,
        vision=getattr(plan, "vision", None),
        perspectives=plan.perspectives.order_by("position", "id"),
        years=years,
        financial=[
            {
                "name": r.name,
                "explanation": r.explanation,
                "values": [ui.format_cell(r.values.get(y.key), "procent") or "–" for y in years],
            }
            for r in financial
        ],
        targets=indicators.surplus_targets(snapshot, comparison),
        **extensions.context_for(
            "goals", request=request, plan=plan, snapshot=snapshot, comparison=comparison
        ),
    )


@can_view
@require_safe
def calendar(request, year):
    plan = plan_for(request, year)
    return page(
        request,
        "budget/calendar.html",
        plan,
        **extensions.context_for("calendar", request=request, plan=plan),
    )


@can_view
@require_safe
def control_page(request, year):
    plan = plan_for(request, year)
    snapshot = PlanSnapshot(plan)
    all_checks = control.checks(snapshot)
    which = request.GET.get("visa", "avviker")
    if which not in ("avviker", "alla"):
        which = "avviker"
    rows = control.differing(all_checks) if which == "avviker" else all_checks
    table = ui.ControlTable(rows, order_by=request.GET.get("sort"))
    table.caption = "Kontroller"
    if shown.wants_export(request):
        return shown.table_response(
            table,
            title=f"Kontroll {plan.year}",
            context=f"{plan.municipality} · {plan.title} · "
            + ("alla kontroller" if which == "alla" else "kontroller som avviker"),
        )
    return page(
        request,
        "budget/control.html",
        plan,
        table=table,
        shown=which,
        total=len(all_checks),
        differing=len(control.differing(all_checks)),
    )
