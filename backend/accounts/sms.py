"""Sending SMS through an `SmsProvider`.

The shipped provider speaks the SMS sandbox's protocol (docs/sandboxes.md), a
stand-in for a real SMS gateway that runs as its own process on loopback.
"""

from __future__ import annotations

import logging
from typing import Protocol

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from backend.accounts.errors import AccountErrorCode
from backend.common.errors import Unavailable

logger = logging.getLogger(__name__)


class SmsUnavailable(Unavailable):
    code = AccountErrorCode.SMS_UNAVAILABLE


class SmsProvider(Protocol):
    def send(self, *, phone: str, text: str) -> str:
        """Send one message; return the provider's message id or raise SmsUnavailable."""
        ...


class SandboxSmsProvider:
    timeout = (3.05, 5)

    def __init__(self, base_url: str | None = None, api_key: str | None = None) -> None:
        self.base_url = (base_url or settings.SMS_SANDBOX_URL).rstrip("/")
        self.api_key = api_key or settings.SMS_SANDBOX_API_KEY

    def send(self, *, phone: str, text: str) -> str:
        try:
            response = requests.post(
                f"{self.base_url}/v1/messages",
                json={"to": phone, "sign": settings.SMS_SIGN_NAME, "text": text},
                headers={"Authorization": f"Bearer {self.api_key}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            logger.warning("sms sandbox unreachable: %s", type(exc).__name__)
            raise SmsUnavailable(_("The SMS service is unavailable; try again shortly.")) from exc
        if response.status_code != 201:
            logger.warning("sms sandbox refused a message: HTTP %s", response.status_code)
            raise SmsUnavailable(_("The SMS service is unavailable; try again shortly."))
        return str(response.json()["id"])


def get_sms_provider() -> SmsProvider:
    provider: SmsProvider = import_string(settings.SMS_PROVIDER)()
    return provider
