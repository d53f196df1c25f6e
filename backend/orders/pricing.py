"""What a caller may ask of a checkout beyond the basket: a line price other than the list
price, and discounts. Orders know nothing of where they come from (a live session, a
flash sale, a coupon); they record the amounts and the caller's `source` string.

The split rule (docs/decisions/0720-promotions-app.md): a discount is shared among the
seller orders of one checkout in proportion to the goods amount of the lines it applies to,
to the fen, by the largest remainder: each order gets the floor of its exact share in fen;
the fen left over go one each to the orders with the largest remainders, ties to the order
of the lower seller id. The shares always add up to the discount exactly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

FEN = Decimal("0.01")


@dataclass(frozen=True)
class LinePrice:
    """The unit price of a SKU in this checkout, and who set it (e.g. "live:12")."""

    price: Decimal
    source: str


@dataclass(frozen=True)
class Discount:
    """An amount off the lines of `sku_ids` (all lines when None), e.g. a coupon."""

    amount: Decimal
    source: str
    sku_ids: frozenset[int] | None = None


def split_to_fen(amount: Decimal, weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """`amount` shared by `weights` (key → weight ≥ 0, at least one > 0) by the largest
    remainder, to the fen. Ties go to the lower key."""
    total = sum(weights.values(), Decimal("0"))
    fen = int((amount / FEN).to_integral_value())
    exact = {key: Decimal(fen) * weight / total for key, weight in weights.items()}
    shares = {
        key: int(value.to_integral_value(rounding=ROUND_FLOOR)) for key, value in exact.items()
    }
    left = fen - sum(shares.values())
    by_remainder = sorted(weights, key=lambda key: (-(exact[key] - shares[key]), key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return {key: Decimal(share) * FEN for key, share in shares.items()}


@dataclass(frozen=True)
class SellerPrice:
    goods: Decimal
    discount: Decimal
    parts: list[dict[str, str]]  # each discount's share: {"source", "amount"}


@dataclass(frozen=True)
class BasketPrice:
    """A basket priced per seller; `problem` names the first discount that cannot apply
    (judged by the caller after the idempotency key is taken)."""

    unit: dict[int, Decimal]  # sku id → unit price
    sellers: dict[int, SellerPrice]
    problem: str = ""

    @property
    def total(self) -> Decimal:
        return sum((s.goods - s.discount for s in self.sellers.values()), Decimal("0"))


def basket_price(
    *,
    lines: list[tuple[int, int, int, Decimal]],
    prices: dict[int, LinePrice],
    discounts: list[Discount],
) -> BasketPrice:
    """`lines`: (seller id, sku id, quantity, list price). Each discount is split among the
    sellers by the goods it applies to (split_to_fen); an order never gets more off than
    its goods."""
    unit = {sku: prices[sku].price if sku in prices else listed for _s, sku, _q, listed in lines}
    goods: dict[int, Decimal] = {}
    for seller, sku, quantity, _listed in lines:
        goods[seller] = goods.get(seller, Decimal("0")) + unit[sku] * quantity
    off = {seller: Decimal("0") for seller in goods}
    parts: dict[int, list[dict[str, str]]] = {seller: [] for seller in goods}
    problem = ""
    for discount in discounts:
        eligible = {seller: Decimal("0") for seller in goods}
        for seller, sku, quantity, _listed in lines:
            if discount.sku_ids is None or sku in discount.sku_ids:
                eligible[seller] += unit[sku] * quantity
        base = sum(eligible.values(), Decimal("0"))
        if discount.amount <= 0 or discount.amount > base:
            problem = problem or discount.source
            continue
        for seller, share in split_to_fen(discount.amount, eligible).items():
            if share:
                off[seller] += share
                parts[seller].append({"source": discount.source, "amount": f"{share:.2f}"})
    if any(off[seller] > goods[seller] for seller in goods):
        problem = problem or discounts[-1].source
    sellers = {s: SellerPrice(goods=goods[s], discount=off[s], parts=parts[s]) for s in goods}
    return BasketPrice(unit=unit, sellers=sellers, problem=problem)
