from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from ledger.models.dates import ServerNow, precision_field


class CoordinationBody(models.Model):
    """A structure that coordinates aid: the Ukraine Defense Contact Group, NSATU, the IDCC."""

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, blank=True)
    description = models.TextField(blank=True)
    members: models.ManyToManyField = models.ManyToManyField(
        "ledger.Organization", through="BodyMembership", related_name="coordination_bodies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name_plural = "coordination bodies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="coordination_body_name_ci_unique",
                violation_error_message="A coordination body with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class MembershipRole(models.TextChoices):
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"


class BodyMembership(models.Model):
    """An organization's part in a coordination body."""

    body = models.ForeignKey(CoordinationBody, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "ledger.Organization", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=MembershipRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "role", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organization"],
                name="body_membership_unique",
                violation_error_message="This organization already takes part in this body.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()}) in {self.body}"


class Responsibility(models.Model):
    """A coordination task that one body holds at a time, e.g. coordinating military aid."""

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "responsibilities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Mandate(models.Model):
    """A body holding a responsibility over the half-open period [starts_on, ends_on).

    Mandates of one responsibility never overlap (an exclusion constraint on PostgreSQL,
    a trigger on SQLite); ``predecessor`` records whom the body succeeded.
    """

    body = models.ForeignKey(CoordinationBody, on_delete=models.PROTECT, related_name="mandates")
    responsibility = models.ForeignKey(
        Responsibility, on_delete=models.PROTECT, related_name="mandates"
    )
    starts_on = models.DateField()
    starts_on_precision = precision_field("the start")
    ends_on = models.DateField(
        null=True, blank=True, help_text="The first day the body no longer holds it; empty if open."
    )
    predecessor = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
        help_text="The mandate this one took over.",
    )
    source = models.ForeignKey("ledger.Source", on_delete=models.PROTECT, related_name="mandates")
    end_source = models.ForeignKey(
        "ledger.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ended_mandates",
        help_text="The source for the end of the mandate.",
    )
    note = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    recorded_at = models.DateTimeField(db_default=ServerNow(), editable=False)
    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["responsibility", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="mandate_ends_after_start",
                violation_error_message="A mandate must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(end_source__isnull=False),
                name="mandate_end_is_sourced",
                violation_error_message="The end of a mandate needs a source.",
            ),
            models.CheckConstraint(
                condition=Q(predecessor__isnull=True) | ~Q(predecessor=F("id")),
                name="mandate_not_own_predecessor",
            ),
        ]

    def __str__(self) -> str:
        until = f" until {self.ends_on}" if self.ends_on else ""
        return f"{self.body} — {self.responsibility} from {self.starts_on}{until}"
