"""instances_insert writes what the ORM would (every column, defaults, auto_now_add, JSON,
nulls, foreign keys taken from parents given with them), and its statements are prepared on
PostgreSQL and still seen by Django's query log."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.common.bulk import instance_insert, instances_insert
from backend.orders.models import Checkout, Order, OrderEvent, OrderLine, SourceKind
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.catalog import SkuFactory

pytestmark = pytest.mark.django_db
EXPIRES = timezone.now() + timedelta(minutes=30)


def _family(seller, buyer, sku, n):
    checkout = Checkout(number=f"CK-T{n}", buyer=buyer, idempotency_key=f"k{n}", total_amount=9)
    order = Order(
        number=f"QS-T{n}",
        checkout=checkout,
        seller=seller,
        buyer=buyer,
        source_kind=SourceKind.DIRECT,
        status="created",
        goods_amount=Decimal("10.00"),
        discount_amount=Decimal("1.00"),
        discounts=[{"source": "coupon:3", "amount": "1.00"}],
        paid_amount=Decimal("9.00"),
        consignee_name="张女士",
        expires_at=EXPIRES,
    )
    line = OrderLine(
        order=order,
        sku=sku,
        product_id=sku.product_id,
        title="刺槐蜂蜜",
        spec_text="500g",
        outer_id="H-500",
        unit_price=Decimal("10.00"),
        list_price=None,
        quantity=1,
        line_amount=Decimal("10.00"),
    )
    event = OrderEvent(order=order, from_status="", to_status="created", by=buyer)
    return checkout, order, line, event


UNIQUE = {"id", "number", "idempotency_key", "checkout_id", "order_id"}


def _row(obj):
    """Every column as read back, but those unique to each family."""
    model = type(obj)
    stored = model.objects.get(pk=obj.pk)
    fields = model._meta.concrete_fields
    return {f.attname: getattr(stored, f.attname) for f in fields if f.attname not in UNIQUE}


def test_rows_equal_what_bulk_create_writes():
    seller, buyer, sku = OrganisationFactory(), UserFactory(), SkuFactory()
    ours = _family(seller, buyer, sku, 1)
    orm = _family(seller, buyer, sku, 2)
    with transaction.atomic():
        instances_insert([ours[0]], [ours[1]], [ours[2]], [ours[3]])
        for obj in orm:
            type(obj).objects.bulk_create([obj])
    for mine, theirs in zip(ours, orm, strict=True):
        assert mine.pk is not None and not mine._state.adding
        a, b = _row(mine), _row(theirs)
        for stamp in ("created_at", "updated_at", "at"):  # auto_now(_add): both set
            if stamp in a:
                assert abs(a.pop(stamp) - b.pop(stamp)) < timedelta(seconds=5)
        assert a == b
    order = Order.objects.get(pk=ours[1].pk)
    assert order.checkout_id == ours[0].pk
    assert order.discounts == [{"source": "coupon:3", "amount": "1.00"}]
    assert order.lines.get().sku_id == sku.pk
    assert order.timeline.get().by_id == buyer.pk


def test_a_failed_insert_keeps_nothing():
    seller, buyer, sku = OrganisationFactory(), UserFactory(), SkuFactory()
    first = _family(seller, buyer, sku, 3)
    with transaction.atomic():
        instances_insert([first[0]], [first[1]])
    again = _family(seller, buyer, sku, 4)
    again[1].number = first[1].number  # unique: the whole statement fails
    with pytest.raises(IntegrityError, match="duplicate key"), transaction.atomic():
        instances_insert([again[0]], [again[1]], [again[2]])
    assert not Checkout.objects.filter(number="CK-T4").exists()
    assert OrderLine.objects.filter(title="刺槐蜂蜜").count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_the_statements_are_prepared_and_logged():
    seller, buyer, sku = OrganisationFactory(), UserFactory(), SkuFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as seen:
        instances_insert(*([obj] for obj in _family(seller, buyer, sku, 5)))
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
    logged = [q["sql"] for q in seen.captured_queries]
    assert logged[0].startswith("SELECT ARRAY(SELECT nextval")
    assert logged[1].startswith("WITH i0 AS (INSERT INTO")
    assert any(text.startswith("WITH i0 AS (INSERT INTO") for text in prepared)


def test_one_row_is_what_create_writes():
    seller, buyer, sku = OrganisationFactory(), UserFactory(), SkuFactory()
    ours, theirs = _family(seller, buyer, sku, 6)[0], _family(seller, buyer, sku, 7)[0]
    instance_insert(ours)
    theirs.save()
    assert ours.pk is not None and not ours._state.adding
    a, b = _row(ours), _row(theirs)
    assert abs(a.pop("created_at") - b.pop("created_at")) < timedelta(seconds=5)
    assert a == b
