"""Who: regions, councils, their comparator groups, and the people who act for them."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

GSS_CODE_VALIDATOR = RegexValidator(r"^[EWSN]\d{8}$", "Enter a 9-character GSS code such as E08000025.")


class Region(models.Model):
    """One of the nine English regions (ONS GSS codes E12000001–E12000009)."""

    gss_code = models.CharField("GSS code", max_length=9, unique=True, validators=[GSS_CODE_VALIDATOR])
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:region-detail", kwargs={"gss_code": self.gss_code})


class Council(models.Model):
    """A council with adult social care responsibilities (a CASSR)."""

    class CouncilType(models.TextChoices):
        METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
        UNITARY = "unitary", "Unitary authority"
        COUNTY = "county", "County council"
        INNER_LONDON = "inner_london", "Inner London borough"
        OUTER_LONDON = "outer_london", "Outer London borough"
        LONDON_BOROUGH = "london_borough", "London borough"

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        FORMER = "former", "Former (abolished; its figures are kept as history)"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    gss_code = models.CharField(
        "GSS code", max_length=9, unique=True, validators=[GSS_CODE_VALIDATOR], help_text="ONS area code"
    )
    cassr_code = models.PositiveIntegerField(
        "CASSR code",
        null=True,
        blank=True,
        unique=True,
        help_text="Council with adult social services responsibilities code used in NHS returns",
    )
    council_type = models.CharField(max_length=32, choices=CouncilType.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        help_text="Blank for a council created from a national data file until its region is recorded",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.CURRENT)
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text="For a former council: the council(s) that took over its duties",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:council-detail", kwargs={"gss_code": self.gss_code})

    @property
    def is_former(self) -> bool:
        return self.status == self.Status.FORMER


class NearestNeighbour(models.Model):
    """One comparator in a council's ordered nearest-neighbour group.

    The comparator is kept by GSS code so that a group can be loaded before every comparator
    council is known (the groups cross regions); it links up as soon as that council is loaded.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="nearest_neighbours")
    position = models.PositiveSmallIntegerField(help_text="1 is the first comparator in the group")
    neighbour_gss_code = models.CharField(
        "comparator GSS code", max_length=9, validators=[GSS_CODE_VALIDATOR]
    )
    is_demo = models.BooleanField(
        default=False, help_text="A synthetic demo group (demo mode), replaced by any real import"
    )

    class Meta:
        ordering = ["council", "position"]
        constraints = [
            models.UniqueConstraint(fields=["council", "position"], name="unique_neighbour_position"),
            models.UniqueConstraint(fields=["council", "neighbour_gss_code"], name="unique_neighbour_code"),
        ]

    def __str__(self) -> str:
        return f"{self.council} #{self.position}: {self.neighbour_gss_code}"


class User(AbstractUser):
    """A person who signs in. Roles come from :class:`Membership`."""

    is_demo = models.BooleanField(
        default=False, help_text="Demo users can sign in only while the service runs in demo mode."
    )
    previous_login = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The sign-in before the last: 'since your last visit'",
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A role a user holds for a council (DASS, delegate) or for a region (SLI lead, coordinator)."""

    class Role(models.TextChoices):
        DASS = "dass", "Director of Adult Social Services"
        DELEGATE = "delegate", "DASS delegate"
        SLI_LEAD = "sli_lead", "Regional SLI lead"
        COORDINATOR = "coordinator", "Peer-challenge coordinator"

    COUNCIL_ROLES = (Role.DASS, Role.DELEGATE)
    REGION_ROLES = (Role.SLI_LEAD, Role.COORDINATOR)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        ordering = ["role", "council__name", "region__name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["dass", "delegate"], council__isnull=False, region__isnull=True)
                    | Q(role__in=["sli_lead", "coordinator"], council__isnull=True, region__isnull=False)
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["council"], condition=Q(role="dass"), name="one_dass_per_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.council or self.region}"

    @property
    def scope(self) -> Council | Region | None:
        return self.council or self.region


class ApiToken(models.Model):
    """A named token for the read-only API. Only a SHA-256 hash of the token is stored.

    Send it as ``Authorization: Token <key>`` or ``Authorization: Bearer <key>``.
    Create one with :meth:`issue`, which returns the raw key once; it cannot be shown again.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'Power BI refresh'")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user}){' – revoked' if self.revoked else ''}"

    @staticmethod
    def hash_key(raw_key: str) -> str:
        import hashlib

        return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token for ``user``; returns ``(token, raw_key)``. The raw key is not stored."""
        import secrets

        raw_key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(raw_key))
        return token, raw_key

    @classmethod
    def authenticate(cls, raw_key: str) -> "ApiToken | None":
        """The live token for ``raw_key`` (not revoked, user active), or None. Records its use."""
        from django.utils import timezone

        if not raw_key:
            return None
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=cls.hash_key(raw_key.strip()), revoked=False, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        cls.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        return token
