from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from ledger.money import validate_country_code


class OrganizationKind(models.TextChoices):
    STATE = "state", "State"
    GOVERNMENT_BODY = "government_body", "Government body or agency"
    MULTILATERAL = "multilateral", "Multilateral or international organisation"
    NGO = "ngo", "Non-governmental organisation"
    PRIVATE = "private", "Private sector"
    CONFERENCE = "conference", "Conference or pledging event"
    OTHER = "other", "Other"


class Organization(models.Model):
    """A donor, a recipient, an agency, an alliance or a conference.

    Names and aliases are unique case-insensitively across both tables (enforced by
    database triggers), so a name arriving from outside matches at most one organization.
    """

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganizationKind.choices)
    country_code = models.CharField(
        "ISO 3166 country code",
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text="Two letters, for states (and bodies of a state, optionally).",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="E.g. the Pentagon within the US government.",
    )
    iati_identifier = models.CharField("IATI organisation identifier", max_length=100, blank=True)
    is_verified = models.BooleanField(
        "verified",
        default=True,
        help_text="Unverified organizations were created by ingest from an unknown name.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organization_name_ci_unique",
                violation_error_message="An organization with this name already exists.",
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="organization_iati_identifier_unique",
                violation_error_message="Another organization has this IATI identifier.",
            ),
            models.UniqueConstraint(
                fields=["country_code"],
                condition=Q(kind="state"),
                name="organization_one_state_per_country",
                violation_error_message="A state with this country code already exists.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="state") | ~Q(country_code=""),
                name="organization_state_has_country_code",
                violation_error_message="A state needs its ISO 3166 country code.",
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="organization_name_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationAlias(models.Model):
    """Another name an organization goes by ("U.S.", "Washington")."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "organization aliases"
        ordering = ["alias"]
        constraints = [
            models.UniqueConstraint(
                Lower("alias"),
                name="organization_alias_ci_unique",
                violation_error_message="This alias is already used.",
            ),
            models.CheckConstraint(condition=~Q(alias=""), name="organization_alias_not_empty"),
        ]

    def __str__(self) -> str:
        return self.alias
