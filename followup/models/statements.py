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
from budget.models.fields import AmountField
from followup.models.base import Recorded, RowVersioned
from followup.models.calendar import ReportingPeriod
from followup.statements.balance import restoration_deadline


class StatementFigure(Recorded):
    """A statement line's forecast for the year (interim report) or its outcome (annual
    accounts), as of a period: net kronor with the statement's own signs."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="statement_figures"
    )
    line = models.ForeignKey(
        StatementLine, on_delete=models.PROTECT, related_name="+", verbose_name="rad"
    )
    amount = AmountField("belopp (kr)")

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
