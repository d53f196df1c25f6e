from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using the platform. Buyers may have only a phone (no password)."""

    # NULL rather than "" for users without a phone, so the unique index ignores them.
    phone = models.CharField(_("phone"), max_length=20, null=True, blank=True, unique=True)
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    language = models.CharField(
        max_length=8, choices=[("zh-hans", "简体中文"), ("en", "English")], default="zh-hans"
    )

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_session_auth_hash(self) -> str:
        # A user from the cache (user_cache) carries the hash instead of the password's.
        kept = self.__dict__.get("_session_auth_hash")
        return str(kept) if kept is not None else super().get_session_auth_hash()


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    FAMILY_FARM = "family_farm", _("Family farm")
    INDIVIDUAL = "individual", _("Individual business")
    STATION_HOST = "station_host", _("Service-station host")
    PUBLIC_SERVICE_CENTRE = "public_service_centre", _("Public-service centre")


ORGANISATION_KINDS = [kind.value for kind in OrganisationKind]


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # NULL rather than "" when unknown, so the unique index ignores it.
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True
    )
    contact_phone = models.CharField(max_length=20, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members: models.ManyToManyField[User, Membership] = models.ManyToManyField(
        User, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["id"]
        permissions = [
            ("view_all_organisations", "Can see every organisation"),
            ("manage_members", "Can add and remove members of any organisation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ORGANISATION_KINDS), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organisation_id} ({self.role})"


class ApiToken(models.Model):
    """A token for scripts. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=64)
    prefix = models.CharField(max_length=8, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (qs_{self.prefix}_…)"


class PhoneCode(models.Model):
    """A one-time login code sent by SMS. Only an HMAC of the code is stored."""

    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "-created_at"])]

    def __str__(self) -> str:
        return f"code for {self.phone[:3]}****{self.phone[-4:]}"
