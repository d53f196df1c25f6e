"""Accounts endpoints: thin; they parse, pass through the access gate, call a service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from backend.accounts import services, services_phone
from backend.accounts.access import (
    access_organisation,
    access_organisation_members,
    organisations_visible_to,
)
from backend.accounts.auth import request_user
from backend.accounts.backends import SESSION_BACKEND
from backend.accounts.models import ApiToken, Membership, User
from backend.accounts.roles import Role
from backend.accounts.schemas import (
    CodeSentOut,
    LoginIn,
    MemberIn,
    MemberOut,
    MeOut,
    OrganisationIn,
    OrganisationOut,
    PasswordByCodeIn,
    PasswordChangeIn,
    PhoneCodeIn,
    PhoneLoginIn,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
)
from backend.accounts.selectors import me_for
from backend.common.pagination import LimitOffset
from backend.common.permissions import require_role
from backend.common.throttling import IpRateThrottle, client_ip

router = Router(tags=["accounts"])
# Per client address, on top of the per-account lock-out and the per-phone code limits.
LOGIN_THROTTLE = IpRateThrottle(scope="auth-login", setting="AUTH_LOGIN_RATE")
PHONE_CODE_THROTTLE = IpRateThrottle(scope="auth-phone-code", setting="AUTH_PHONE_CODE_RATE")
PHONE_LOGIN_THROTTLE = IpRateThrottle(scope="auth-phone-login", setting="AUTH_PHONE_LOGIN_RATE")


@router.post("/auth/login", auth=None, response=MeOut, throttle=[LOGIN_THROTTLE])
def auth_login(request: HttpRequest, payload: LoginIn) -> MeOut:
    user = services.user_login(
        request=request, username=payload.username, password=payload.password
    )
    login(request, user, backend=SESSION_BACKEND)
    return me_for(user=user)


@router.post("/auth/logout", response={204: None})
def auth_logout(request: HttpRequest) -> Status[Any]:
    logout(request)
    return Status(204, None)


@router.get("/auth/me", response=MeOut)
def auth_me(request: HttpRequest) -> MeOut:
    return me_for(user=request_user(request))


@router.post("/auth/password", response={204: None})
def auth_password_change(request: HttpRequest, payload: PasswordChangeIn) -> Status[Any]:
    user = services.user_change_password(
        user=request_user(request),
        old_password=payload.old_password,
        new_password=payload.new_password,
    )
    if request.session.session_key:
        update_session_auth_hash(request, user)
    return Status(204, None)


@router.post("/auth/password/by-code", response={204: None})
def auth_password_set_by_code(request: HttpRequest, payload: PasswordByCodeIn) -> Status[Any]:
    """A buyer who signed up by phone has no password: a code sent to that phone sets one."""
    user = services_phone.user_password_set_by_code(
        user=request_user(request), code=payload.code, new_password=payload.new_password
    )
    if request.session.session_key:
        update_session_auth_hash(request, user)
    return Status(204, None)


@router.post("/auth/phone/code", auth=None, response=CodeSentOut, throttle=[PHONE_CODE_THROTTLE])
def auth_phone_code(request: HttpRequest, payload: PhoneCodeIn) -> CodeSentOut:
    sent = services_phone.phone_code_send(phone=payload.phone, ip=client_ip(request))
    return CodeSentOut(sent=sent.sent, expires_in=sent.expires_in, resend_in=sent.resend_in)


@router.post("/auth/phone/login", auth=None, response=MeOut, throttle=[PHONE_LOGIN_THROTTLE])
def auth_phone_login(request: HttpRequest, payload: PhoneLoginIn) -> MeOut:
    user = services_phone.phone_code_login(request=request, phone=payload.phone, code=payload.code)
    login(request, user, backend=SESSION_BACKEND)
    return me_for(user=user)


@router.get("/auth/tokens", response=list[TokenOut])
def tokens_list(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=request_user(request))


@router.post("/auth/tokens", response={201: TokenCreatedOut})
def tokens_create(request: HttpRequest, payload: TokenCreateIn) -> Status[Any]:
    token, raw = services.api_token_create(
        user=request_user(request), name=payload.name, expires_in_days=payload.expires_in_days
    )
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": raw})


@router.delete("/auth/tokens/{token_id}", response=TokenOut)
def tokens_revoke(request: HttpRequest, token_id: int) -> Any:
    return services.api_token_revoke(user=request_user(request), token_id=token_id)


@router.get("/organisations", response=list[OrganisationOut])
@paginate(LimitOffset)
def organisations_list(request: HttpRequest) -> Any:
    return organisations_visible_to(user=request_user(request)).order_by("id")


@router.post("/organisations", response={201: OrganisationOut})
def organisations_create(request: HttpRequest, payload: OrganisationIn) -> Status[Any]:
    require_role(request_user(request), Role.PLATFORM_ADMIN, Role.OFFICE_STAFF)
    return Status(
        201,
        services.organisation_create(
            name=payload.name,
            kind=payload.kind,
            credit_code=payload.credit_code,
            contact_phone=payload.contact_phone,
        ),
    )


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisations_get(request: HttpRequest, organisation_id: int) -> Any:
    return access_organisation(user=request_user(request), organisation_id=organisation_id)


@router.get("/organisations/{organisation_id}/members", response=list[MemberOut])
def organisation_members(request: HttpRequest, organisation_id: int) -> Any:
    organisation = access_organisation_members(
        user=request_user(request), organisation_id=organisation_id
    )
    rows = Membership.objects.filter(organisation=organisation).select_related("user")
    return [
        MemberOut(
            user_id=m.user_id,
            username=m.user.username,
            display_name=m.user.display_name,
            role=m.role,
            created_at=m.created_at,
        )
        for m in rows
    ]


@router.post("/organisations/{organisation_id}/members", response={201: MemberOut})
def organisation_member_add(
    request: HttpRequest, organisation_id: int, payload: MemberIn
) -> Status[Any]:
    organisation = access_organisation_members(
        user=request_user(request), organisation_id=organisation_id, for_write=True
    )
    # By the username the newcomer gives; never by id, which would let an owner look up anyone.
    member = get_object_or_404(User, username=payload.username)
    m = services.membership_add(organisation=organisation, user=member, role=payload.role)
    return Status(
        201,
        MemberOut(
            user_id=member.pk,
            username=member.username,
            display_name=member.display_name,
            role=m.role,
            created_at=m.created_at,
        ),
    )
