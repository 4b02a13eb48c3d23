"""The municipality and its organisation: committees, administrations, activities."""

from django.db import models

from budget.models.fields import OptionalReference
from budget.roles import has_a_role


class Municipality(models.Model):
    name = models.CharField("namn", max_length=100, unique=True)
    kolada_id = models.CharField("Kolada-id", max_length=10, blank=True)
    single_officer_exception = models.BooleanField(
        "undantag från fyraögonsprincipen (ensam ekonom)",
        default=False,
        help_text="Bara för en kommun med en enda ekonom: den som lämnat in eller ändrat en "
        "rapport, eller upprättat en omfördelning, får då själv godkänna, besluta eller "
        "genomföra den. Varje användning skrivs i historiken.",
    )

    class Meta:
        verbose_name = "kommun"
        verbose_name_plural = "kommuner"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Administration(models.Model):
    """Förvaltning: the officials who carry out one or more committees' work."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    code = models.SlugField("kod", max_length=40)
    name = models.CharField("namn", max_length=150)

    class Meta:
        verbose_name = "förvaltning"
        verbose_name_plural = "förvaltningar"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="administration_code_unique"
            )
        ]

    def __str__(self):
        return self.name


class CommitteeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The adopted organisation is public to every role; nothing to a user without one."""
        return self if has_a_role(user) else self.none()

    def committees_total(self):
        """The units that add up to "Summa nämnder": committees and reserve lines."""
        return self.filter(kind__in=[Committee.Kind.COMMITTEE, Committee.Kind.RESERVE])

    def finance(self):
        return self.filter(kind=Committee.Kind.FINANCE)

    def proper_committees(self):
        return self.filter(kind=Committee.Kind.COMMITTEE)

    def of_plan(self, plan):
        """Every unit with a frame in ``plan`` (committees, reserve lines,
        finansförvaltningen) in the document's order: the one order every table, paper and
        page lists them in. Chain ``with_activities()`` to have their activities too."""
        return self.filter(municipality_id=plan.municipality_id).order_by("position", "id")

    def with_activities(self):
        """Each committee's activities prefetched, in the document's order."""
        return self.prefetch_related(
            models.Prefetch("activities", queryset=Activity.objects.order_by("position", "id"))
        )


class Committee(models.Model):
    """A unit with a net budget frame.

    A real committee (nämnd), a political reserve line inside "Summa nämnder",
    or the municipality-wide finance administration (finansförvaltningen),
    whose activities are the finance lines (skatteintäkter, finansnetto, …).
    One ledger of frames then serves all three.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "namnd", "Nämnd"
        RESERVE = "reserv", "Reserv inom Summa nämnder"
        FINANCE = "finans", "Finansförvaltningen"

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    code = models.SlugField("kod", max_length=40)
    name = models.CharField("namn", max_length=150)
    kind = models.CharField("slag", max_length=10, choices=Kind.choices)
    administration = OptionalReference(Administration, "förvaltning")
    description = models.TextField("beskrivning", blank=True)
    position = models.PositiveIntegerField("ordning", default=0)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = "nämnd"
        verbose_name_plural = "nämnder"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="committee_code_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["namnd", "reserv", "finans"]),
                name="committee_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name


class Activity(models.Model):
    """Verksamhet: where a committee's frame is spent; activities form a tree."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="activities", verbose_name="nämnd"
    )
    parent = OptionalReference("self", "överordnad verksamhet", related_name="children")
    code = models.SlugField("kod", max_length=40)
    name = models.CharField("namn", max_length=150)
    tax_base = models.BooleanField(
        "ingår i skatter och generella statsbidrag",
        default=False,
        help_text="För finansförvaltningens rader: underlaget för överskottsmålet.",
    )
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "verksamhet"
        verbose_name_plural = "verksamheter"
        ordering = ["committee__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="activity_code_unique"),
        ]

    def __str__(self):
        return self.name
