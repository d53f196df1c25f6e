"""Categories, category attributes and freight templates, read from each sandbox."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shop_connectors.errors import InvalidRequest
from shop_connectors.models import (
    AttributeValue,
    CategoryAttribute,
    FreightTemplate,
    JdMapping,
    PddMapping,
    RemoteCategory,
    TaobaoMapping,
)
from tests.shop_connectors.factories import make_item

ROOTS = {
    "taobao": [
        RemoteCategory("50002766", "粮油米面/南北干货/调味品", "0", False),
        RemoteCategory("50008075", "水果/蔬菜", "0", False),
    ],
    "pinduoduo": [
        RemoteCategory("8172", "食品保健", "0", False),
        RemoteCategory("8500", "水果生鲜", "0", False),
    ],
    "jd": [RemoteCategory("1320", "食品饮料", "0", False)],
}
HONEY = {"taobao": ("50002766", "50050359"), "pinduoduo": ("8172", "8440"), "jd": ("1584", "12203")}
ORIGIN = (AttributeValue("1001", "山西晋城"), AttributeValue("1002", "其他"))


def test_root_categories(client, platform):
    assert client.categories_list() == ROOTS[platform]


def test_honey_leaf_and_its_attributes(client, platform):
    parent, leaf = HONEY[platform]
    children = client.categories_list(parent_id=parent)
    assert next(c for c in children if c.id == leaf).is_leaf is True
    attributes = client.category_attributes(category_id=leaf)
    sale_id = {"taobao": "1627207", "pinduoduo": "1215", "jd": "1001"}[platform]
    origin_id = {"taobao": "122216347", "pinduoduo": "310", "jd": "2001"}[platform]
    sale = [a for a in attributes if a.sale]
    assert [(a.id, a.required) for a in sale] == [(sale_id, False)]
    assert [a for a in attributes if not a.sale] == [
        CategoryAttribute(origin_id, "产地", True, False, ORIGIN)
    ]


def test_freight_templates(client):
    assert client.freight_templates() == [
        FreightTemplate("321", "包邮（偏远地区除外）"),
        FreightTemplate("322", "按重量计费"),
    ]


def test_a_missing_required_attribute_is_refused_then_accepted(client, platform, sandbox):
    item = make_item(platform, outer_id="QS-HONEY")
    mapping = item.mapping
    if isinstance(mapping, TaobaoMapping):
        bad, good = (
            replace(mapping, cid=50050359),
            replace(mapping, cid=50050359, props="122216347:1001"),
        )
    elif isinstance(mapping, PddMapping):
        bad = replace(mapping, cat_id=8440)
        good = replace(mapping, cat_id=8440, properties=((310, 1001, "山西晋城"),))
    else:
        assert isinstance(mapping, JdMapping)
        bad, good = (
            replace(mapping, category_id=12203),
            replace(mapping, category_id=12203, props=((2001, "山西晋城"),)),
        )
    with pytest.raises(InvalidRequest) as refused:
        client.item_publish(item=replace(item, mapping=bad))
    assert "产地" in refused.value.message or "122216347" in refused.value.message
    assert sandbox.state()["items"] == []
    published = client.item_publish(item=replace(item, mapping=good))
    assert [i["id"] for i in sandbox.state()["items"]] == [int(str(published.remote_id))]
