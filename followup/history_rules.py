"""Who sees the history of the follow-up year's objects: those who may open their pages.

Each rule is the one the object's own pages use (a ``visible_to`` queryset or the page's
permission); ``register()`` hands them to budget's history pages (budget/extensions.py),
from ``FollowupConfig.ready``. An object's parts (a report's lines, an action plan's
measures, a reallocation's lines, a project's budget and follow-ups) show where the
object does.
"""

import rules

from budget import extensions
from budget.models import BudgetPlan
from followup.models import (
    ActionPlan,
    BalanceInputs,
    CarryOver,
    CompanyPeriodForecast,
    EarlierDeficit,
    FinancialIndicatorValue,
    GoalAnalysis,
    IndicatorValue,
    InvestmentProject,
    KoladaFigure,
    KoladaGroup,
    KoladaMapping,
    KoladaReference,
    Measure,
    MeasureFollowUp,
    OutcomeImport,
    OutcomeMapping,
    ProjectBudget,
    ProjectFollowUp,
    Reallocation,
    ReallocationLine,
    Report,
    ReportingPeriod,
    ReportLine,
    StatementFigure,
)
from followup.models.statements import PreviousYearFigure, StewardshipAssessment


def reports(user):
    """The report page's rule."""
    return Report.objects.visible_to(user)


def action_plans(user):
    """The action-plan page's rule."""
    return ActionPlan.objects.visible_to(user)


def reallocations(user):
    """The reallocation pages' rule."""
    return Reallocation.objects.visible_to(user)


def investment_projects(user):
    """The investment project page's rule."""
    return InvestmentProject.objects.visible_to(user)


def accounts_periods(user):
    """The interim report's and annual accounts' pages (statements, balance requirement,
    goal analysis): finance always, the other readers once the period is published."""
    return ReportingPeriod.objects.accounts_visible_to(user)


def plans_with_accounts(user):
    """The plans with an interim report or annual accounts the user may read (an earlier
    deficit shows on their balanskravsutredning)."""
    return BudgetPlan.objects.filter(periods__in=accounts_periods(user)).distinct()


def with_permission(model, permission):
    """Every object of ``model`` for the users with ``permission`` (the page's), none for
    anyone else."""

    def visible(user):
        return model.objects.all() if rules.has_perm(permission, user) else model.objects.none()

    visible.__name__ = f"{model.__name__}_with_{permission}"
    return visible


# The calendar, the companies' forecasts and Kolada's indicator values show to every role.
calendar = with_permission(ReportingPeriod, "followup.view_periods")
company_forecasts = with_permission(CompanyPeriodForecast, "followup.view_periods")
indicator_values = with_permission(IndicatorValue, "followup.view_periods")
# Finance's tools: the outcome imports and mappings, Kolada's mappings.
outcome_imports = with_permission(OutcomeImport, "followup.view_outcomeimport")
outcome_mappings = with_permission(OutcomeMapping, "followup.view_outcomemapping")
kolada_mappings = with_permission(KoladaMapping, "followup.import_kolada")
kolada_groups = with_permission(KoladaGroup, "followup.import_kolada")
kolada_references = with_permission(KoladaReference, "followup.import_kolada")
kolada_figures = with_permission(KoladaFigure, "followup.view_periods")

# (model, rule, lookup from the model to the rule's objects)
RULES = (
    (Report, reports, None),
    (ReportLine, reports, "report"),
    (ActionPlan, action_plans, None),
    (Measure, action_plans, "plan"),
    (MeasureFollowUp, action_plans, "measure__plan"),
    (Reallocation, reallocations, None),
    (ReallocationLine, reallocations, "reallocation"),
    (InvestmentProject, investment_projects, None),
    (ProjectBudget, investment_projects, "project"),
    (ProjectFollowUp, investment_projects, "project"),
    (CarryOver, investment_projects, "project"),
    (StatementFigure, accounts_periods, "period"),
    (BalanceInputs, accounts_periods, "period"),
    (GoalAnalysis, accounts_periods, "period"),
    (FinancialIndicatorValue, accounts_periods, "period"),
    (StewardshipAssessment, accounts_periods, "period"),
    (EarlierDeficit, plans_with_accounts, "plan"),
    (PreviousYearFigure, plans_with_accounts, "plan"),
    (ReportingPeriod, calendar, None),
    (CompanyPeriodForecast, company_forecasts, None),
    (IndicatorValue, indicator_values, None),
    (OutcomeImport, outcome_imports, None),
    (OutcomeMapping, outcome_mappings, None),
    (KoladaMapping, kolada_mappings, None),
    (KoladaGroup, kolada_groups, None),
    (KoladaReference, kolada_references, None),
    (KoladaFigure, kolada_figures, None),
)


def register() -> None:
    for model, visible, via in RULES:
        extensions.add_history_rule(model, visible, via=via)
