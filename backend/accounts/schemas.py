from __future__ import annotations

from ninja import Field, Schema

from backend.accounts.models import Membership, OrganisationKind
from backend.common.timefmt import Timestamp

PHONE_PATTERN = r"^1[3-9]\d{9}$"


class LoginIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=256)


class PasswordChangeIn(Schema):
    old_password: str = Field(..., min_length=1, max_length=256)
    new_password: str = Field(..., min_length=8, max_length=256)


class PasswordByCodeIn(Schema):
    code: str = Field(..., pattern=r"^\d{6}$")
    new_password: str = Field(..., min_length=8, max_length=256)


class PhoneCodeIn(Schema):
    phone: str = Field(..., pattern=PHONE_PATTERN, description="Mainland mobile number")


class PhoneLoginIn(Schema):
    phone: str = Field(..., pattern=PHONE_PATTERN)
    code: str = Field(..., pattern=r"^\d{6}$")


class CodeSentOut(Schema):
    sent: bool
    expires_in: int
    resend_in: int


class OrganisationBrief(Schema):
    id: int
    name: str
    kind: str
    role: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    phone_masked: str | None
    phone: str | None = Field(None, description="The user's own number (to pre-fill forms)")
    has_password: bool = Field(True, description="False for buyers who signed up by phone")
    language: str
    roles: list[str]
    organisations: list[OrganisationBrief]


class TokenCreateIn(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    expires_in_days: int | None = Field(None, ge=1, le=3650)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: Timestamp
    expires_at: Timestamp | None
    last_used_at: Timestamp | None
    revoked_at: Timestamp | None


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="Shown once; store it now.")


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=128)
    kind: OrganisationKind
    credit_code: str | None = Field(None, pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")
    contact_phone: str = Field("", max_length=20)


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str | None
    is_active: bool
    created_at: Timestamp


class MemberIn(Schema):
    username: str = Field(
        ..., min_length=1, max_length=150, description="The newcomer's username (they tell you)"
    )
    role: Membership.Role = Membership.Role.STAFF


class MemberOut(Schema):
    user_id: int
    username: str
    display_name: str
    role: str
    created_at: Timestamp
