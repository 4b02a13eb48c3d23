"""What finance enters for the interim report and the annual accounts, per period.

The committees report their net figures per activity (followup.models.reports). The
interim report (delårsrapport, August) and the annual accounts (årsbokslut, December) also
need the municipality's own statements (resultaträkning, balansräkning, kassaflödesanalys)
as forecast or outcome, and the figures of the balance requirement (balanskravsutredning,
followup/statements/balance.py) that no committee reports. Finance enters them here; every change is
audited, nothing is deleted, and a stale form is refused (``row_version``).
"""

from django.db import models
from django.db.models import Q

from budget.models import StatementLine
from budget.models.fields import AmountField, OptionalReference
from followup.models.base import Recorded, RowVersioned
from followup.models.calendar import MONTH_NAMES, ReportingPeriod
from followup.statements.balance import restoration_deadline


class StatementFigure(Recorded):
    """A statement line's forecast for the year (interim report) or its outcome (annual
    accounts), as of a period: net kronor with the statement's own signs. Beside it, for
    the interim report, the outcome so far (January to the period's month), and finance's
    note on the line (anmärkning), both shown in the council's paper."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="statement_figures"
    )
    line = models.ForeignKey(
        StatementLine, on_delete=models.PROTECT, related_name="+", verbose_name="rad"
    )
    amount = AmountField("belopp (kr)")
    outcome_to_date = AmountField("utfall hittills i år (kr)", null=True, blank=True)
    note = models.TextField("anmärkning", blank=True)

    audit_area = "bokslut"

    class Meta:
        verbose_name = "prognos eller utfall för en rad i en budgetställning"
        verbose_name_plural = "prognoser och utfall för budgetställningarnas rader"
        ordering = ["period", "line__statement", "line__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "line"], name="statement_figure_unique"),
        ]

    def __str__(self):
        return f"{self.line.label}, {self.period}"


class BalanceInputs(RowVersioned, Recorded):
    """The balance requirement's inputs for a period (followup.statements.balance.BalanceFigures),
    besides the result, which comes from the forecast or the outcome."""

    class Reserve(models.TextChoices):
        RUR = "RUR", "Resultatutjämningsreserv (RUR)"
        RER = "RER", "Resultatreserv (RER)"

    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.PROTECT, related_name="balance_inputs"
    )
    realisation_gains = AmountField("samtliga realisationsvinster (kr)", default=0)
    exempt_realisation_gains = AmountField(
        "realisationsvinster enligt undantagsmöjlighet (kr)", default=0
    )
    exempt_realisation_losses = AmountField(
        "realisationsförluster enligt undantagsmöjlighet (kr)", default=0
    )
    unrealised_securities = AmountField(
        "orealiserade vinster och förluster i värdepapper (kr)", default=0
    )
    reversed_unrealised_securities = AmountField(
        "återföring av orealiserade vinster och förluster i värdepapper (kr)", default=0
    )
    reserve = models.CharField("reserv", max_length=3, choices=Reserve.choices, default="RER")
    reserve_balance = AmountField("reservens saldo vid årets början (kr)", default=0)
    reservation = AmountField("reservering till reserven (kr)", default=0)
    disposition = AmountField("disposition från reserven (kr)", default=0)
    negative_equity_incl_pensions = models.BooleanField(
        "negativt eget kapital inklusive pensionsförpliktelser", default=False
    )
    comment = models.TextField("kommentar", blank=True)

    audit_area = "bokslut"

    class Meta:
        verbose_name = "underlag för balanskravsutredningen"
        verbose_name_plural = "underlag för balanskravsutredningar"
        ordering = ["period", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserve__in=["RUR", "RER"]), name="balance_inputs_reserve_valid"
            ),
            models.CheckConstraint(
                condition=Q(reservation__gte=0) & Q(disposition__gte=0),
                name="balance_inputs_reservation_disposition_not_negative",
            ),
        ]

    def __str__(self):
        return f"Balanskravsutredning, {self.period}"


class EarlierDeficit(Recorded):
    """A negative balanskravsresultat of an earlier year still to restore (within three
    years, KL 11:12), as the annual accounts state it."""

    plan = models.ForeignKey(
        "budget.BudgetPlan", on_delete=models.PROTECT, related_name="earlier_deficits"
    )
    year = models.PositiveIntegerField("år")
    amount = AmountField("underskott att återställa (kr)")

    audit_area = "bokslut"

    class Meta:
        verbose_name = "underskott att återställa"
        verbose_name_plural = "underskott att återställa"
        ordering = ["plan", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="earlier_deficit_per_year"),
            models.CheckConstraint(condition=Q(amount__lt=0), name="earlier_deficit_negative"),
        ]

    def __str__(self):
        return f"Underskott {self.year}"

    @property
    def restore_by(self) -> int:
        """The last year the deficit may be restored in (the balance requirement's rule)."""
        return restoration_deadline(year=self.year)


class PreviousYearFigure(Recorded):
    """Last year's outcome (the year before the plan's) that the interim report and the
    annual accounts compare with: of a statement line or of a committee's net result, for
    the same months as the period (``months`` 8: January–August) or the whole year (12).
    Finance enters it once per plan; each change is audited (the history keeps what it
    was), nothing is deleted."""

    plan = models.ForeignKey(
        "budget.BudgetPlan", on_delete=models.PROTECT, related_name="previous_year_figures"
    )
    line = OptionalReference(StatementLine, "rad", related_name="+")
    committee = OptionalReference("budget.Committee", "nämnd", related_name="+")
    months = models.PositiveSmallIntegerField("månader (januari till och med)")
    amount = AmountField("utfall föregående år (kr)")
    demo = models.BooleanField(
        "demodata", default=False, help_text="Beloppet är en påhittad demouppgift."
    )

    audit_area = "bokslut"

    class Meta:
        verbose_name = "utfall föregående år"
        verbose_name_plural = "utfall föregående år"
        ordering = ["plan", "line", "committee", "months", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(line__isnull=False) & Q(committee__isnull=True))
                | (Q(line__isnull=True) & Q(committee__isnull=False)),
                name="previous_year_figure_line_or_committee",
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=12),
                name="previous_year_figure_months_valid",
            ),
            models.UniqueConstraint(
                fields=["plan", "line", "months"],
                condition=Q(line__isnull=False),
                name="previous_year_figure_line_unique",
            ),
            models.UniqueConstraint(
                fields=["plan", "committee", "months"],
                condition=Q(committee__isnull=False),
                name="previous_year_figure_committee_unique",
            ),
        ]

    def __str__(self):
        what = self.line if self.line_id else self.committee
        span = "helår" if self.months == 12 else f"jan–{MONTH_NAMES[self.months][:3]}"
        return f"{what}, utfall {self.plan.year - 1} {span}"


class StewardshipAssessment(RowVersioned, Recorded):
    """Finance's assessment of god ekonomisk hushållning (sound financial management, KL
    11:1) as of an interim report or the annual accounts: the text the paper's summary
    shows. Each change is audited; a stale form is refused (``row_version``)."""

    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.PROTECT, related_name="stewardship_assessment"
    )
    text = models.TextField("bedömning av god ekonomisk hushållning")

    audit_area = "bokslut"

    class Meta:
        verbose_name = "bedömning av god ekonomisk hushållning"
        verbose_name_plural = "bedömningar av god ekonomisk hushållning"
        ordering = ["period", "id"]

    def __str__(self):
        return f"Bedömning av god ekonomisk hushållning, {self.period}"
