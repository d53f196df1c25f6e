"""Schemathesis over every operation of /api/v1/openapi.json, as a merchant and as a buyer:
no case may answer 5xx, and every 4xx carries the error envelope.

Cases are generated from the served schema (valid and invalid ones), serialised by
schemathesis' own transport and sent through Django's test client in this process: no server
to start, and the writes roll back with the test. Each case is sent once per role. Path ids
point at the world's real rows half of the time, so operations are fuzzed past their 404s.
The seed and the number of examples are fixed (FUZZ_EXAMPLES=50 for a longer local run);
should the pass run past FUZZ_SOFT_LIMIT_SECONDS (a loaded machine), the operations left get
one example each, so every operation is still called and the time stays bounded.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db

SEED = int(os.environ.get("FUZZ_SEED", 20261212))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 8))
FUZZ_SOFT_LIMIT_SECONDS = float(os.environ.get("FUZZ_SOFT_LIMIT_SECONDS", 45))


@pytest.fixture
def world(db, payments, sms) -> dict[str, Any]:
    """A merchant with a product on sale and a buyer with an order of it."""
    seller = OrganisationFactory(name="蜂业合作社")
    merchant = UserFactory(roles=[Role.MERCHANT], username="fuzz-merchant")
    MembershipFactory(user=merchant, organisation=seller, role=Membership.Role.OWNER)
    buyer = UserFactory(roles=[Role.BUYER], username="fuzz-buyer", phone="13912345678")
    product = ProductFactory(seller=seller, status=ProductStatus.ON_SALE)
    sku = SkuFactory(product=product, stock=1000)
    client = Client()
    client.force_login(buyer)
    checkout = client.post(
        "/api/v1/orders/checkouts",
        {
            "idempotency_key": "fuzz-checkout-1",
            "items": [{"sku_id": sku.pk, "quantity": 1}],
            "consignee": {"name": "张女士", "phone": "13912345678", "address": "沁水县龙港镇"},
        },
        content_type="application/json",
    )
    assert checkout.status_code == 201, checkout.content
    checkout = checkout.json()
    ids = {
        "product_id": [product.pk],
        "sku_id": [sku.pk],
        "seller_id": [seller.pk],
        "organisation_id": [seller.pk],
        "order_id": [o["id"] for o in checkout["orders"]],
        "checkout_id": [checkout["id"]],
    }
    return {"merchant": merchant, "buyer": buyer, "ids": ids}


def _send(client: Client, case: Any) -> Any:
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    prepared = requests.Request(
        method=kwargs["method"],
        url=kwargs["url"],
        headers=kwargs.get("headers"),
        params=kwargs.get("params"),
        json=kwargs.get("json"),
        data=kwargs.get("data"),
        files=kwargs.get("files"),
    ).prepare()
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    # Who asks is the role under test: the case's own cookie or bearer would replace it.
    dropped = {"content-length", "cookie", "authorization"}
    headers = {k: v for k, v in prepared.headers.items() if k.lower() not in dropped}
    content_type = headers.pop("Content-Type", "application/octet-stream")
    path = prepared.path_url
    return client.generic(case.method, path, data=body, content_type=content_type, headers=headers)


def _problem(response: Any) -> str | None:
    if response.status_code >= 500:
        return "5xx"
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            return "4xx without the envelope"
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict) or set(error) != {"code", "message", "extra"}:
            return "4xx without the envelope"
    return None


def _finding(role: str, case: Any, response: Any) -> str | None:
    problem = _problem(response)
    if problem is None:
        return None
    body = response.content[:300].decode(errors="replace")
    return (
        f"{case.method} {case.path} as {role}: {problem} ({response.status_code})\n"
        f"  {case.as_curl_command()}\n  {body}"
    )


def _operations() -> list[Any]:
    document = Client().get("/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation: Any, examples: int, ids: dict[str, list[int]], send: Any) -> None:
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
        GenerationMode.NEGATIVE
    )

    @seed(SEED)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, known=st.booleans())
    def run(case: Any, known: bool) -> None:
        if known:
            for name in case.path_parameters or {}:
                if name in ids:
                    case.path_parameters[name] = ids[name][0]
        send(case)

    run()


def test_no_operation_answers_5xx(world, settings) -> None:
    # Logins by the fuzzer hash passwords; PBKDF2 at full strength would be most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    operations = _operations()
    assert len(operations) >= 60
    clients = {role: Client() for role in ("merchant", "buyer")}
    for role, client in clients.items():
        client.force_login(world[role])
    findings: list[str] = []

    def send(case: Any) -> None:
        for role, client in clients.items():
            found = _finding(role, case, _send(client, case))
            if found:
                findings.append(found)
            if case.path.startswith("/api/v1/auth/"):
                client.force_login(world[role])  # a logout or login may have changed it

    started = time.monotonic()
    for operation in operations:
        late = time.monotonic() - started > FUZZ_SOFT_LIMIT_SECONDS
        _fuzz(operation, 1 if late else EXAMPLES, world["ids"], send)
    assert not findings, "\n".join(findings[:40])
