"""Each sandbox's category tree, category attributes and the shops' freight templates.

Plain data, rendered by each platform module in its own wire shape. The ids are the ones the
demo and the tests use (TOP cid 50016422 / sale prop 1627207, PDD cat 8439 / spec 1215 /
template 321, JD category 12202 / sale attr 1001). The honey leaf of every platform has a
required attribute (产地), so a missing attribute can be refused the way platforms do.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cat:
    id: int
    name: str
    parent: int
    leaf: bool


@dataclass(frozen=True)
class Attr:
    id: int
    name: str
    required: bool
    sale: bool
    values: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Catalogue:
    cats: tuple[Cat, ...]
    attrs: dict[int, tuple[Attr, ...]] = field(default_factory=dict)
    templates: tuple[tuple[int, str], ...] = ()

    def children(self, parent: int) -> list[Cat]:
        return [c for c in self.cats if c.parent == parent]

    def leaf(self, cat_id: int) -> Cat | None:
        return next((c for c in self.cats if c.id == cat_id and c.leaf), None)

    def required(self, cat_id: int) -> list[Attr]:
        return [a for a in self.attrs.get(cat_id, ()) if a.required and not a.sale]


_WEIGHTS = tuple((3000 + n, name) for n, name in enumerate(
    ("250g", "500g", "1kg", "2.5kg", "5kg", "10kg", "1瓶", "2瓶", "礼盒装", "散装", "小份", "大份")
))  # fmt: skip
_ORIGIN = ((1001, "山西晋城"), (1002, "其他"))
_TEMPLATES = ((321, "包邮（偏远地区除外）"), (322, "按重量计费"))

CATALOGUES = {
    "taobao": Catalogue(
        cats=(
            Cat(50002766, "粮油米面/南北干货/调味品", 0, False),
            Cat(50016422, "米/面/杂粮", 50002766, True),
            Cat(50050359, "蜂蜜", 50002766, True),
            Cat(50010550, "南北干货", 50002766, True),
            Cat(50008075, "水果/蔬菜", 0, False),
            Cat(50013113, "新鲜水果", 50008075, True),
        ),
        attrs={
            50016422: (Attr(1627207, "净含量", False, True, _WEIGHTS),),
            50050359: (
                Attr(1627207, "净含量", False, True, _WEIGHTS),
                Attr(122216347, "产地", True, False, _ORIGIN),
            ),
            50013113: (Attr(1627207, "净含量", False, True, _WEIGHTS),),
            50010550: (Attr(1627207, "净含量", False, True, _WEIGHTS),),
        },
        templates=_TEMPLATES,
    ),
    "pinduoduo": Catalogue(
        cats=(
            Cat(8172, "食品保健", 0, False),
            Cat(8439, "五谷杂粮", 8172, True),
            Cat(8440, "蜂蜜", 8172, True),
            Cat(8441, "南北干货", 8172, True),
            Cat(8500, "水果生鲜", 0, False),
            Cat(8501, "新鲜水果", 8500, True),
        ),
        attrs={
            8439: (Attr(1215, "净含量", False, True),),
            8440: (Attr(1215, "净含量", False, True), Attr(310, "产地", True, False, _ORIGIN)),
            8501: (Attr(1215, "净含量", False, True),),
            8441: (Attr(1215, "净含量", False, True),),
        },
        templates=_TEMPLATES,
    ),
    "jd": Catalogue(
        cats=(
            Cat(1320, "食品饮料", 0, False),
            Cat(1584, "粮油调味", 1320, False),
            Cat(12202, "杂粮", 1584, True),
            Cat(12203, "蜂蜜", 1584, True),
            Cat(12204, "山珍干货", 1584, True),
        ),
        attrs={
            12202: (Attr(1001, "重量", False, True),),
            12203: (Attr(1001, "重量", False, True), Attr(2001, "产地", True, False, _ORIGIN)),
            12204: (Attr(1001, "重量", False, True),),
        },
        templates=_TEMPLATES,
    ),
}
