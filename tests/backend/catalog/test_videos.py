"""Product videos: attached by another app under its own ref, replaced when attached again,
shown on the cached shop detail at once (product.updated), in the same number of queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from backend.catalog.models import ProductVideo
from backend.catalog.services_videos import video_attach, video_detach
from backend.common.models import OutboxEvent
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def honey(seller, settings):
    settings.EVENTS_INLINE = True  # deliver events right after commit, as the worker would
    product = ProductFactory(seller=seller, title="沁水刺槐蜂蜜", status="on_sale")
    SkuFactory(product=product, spec_text="500g 瓶装", price="68.00", stock=10)
    return product


def _videos(product_id: int) -> list[dict]:
    response = Client().get(f"/api/v1/shop/products/{product_id}")
    assert response.status_code == 200
    return list(response.json()["videos"])


def test_an_attached_video_shows_on_the_cached_shop_detail(
    honey, tmp_path, django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    assert _videos(honey.pk) == []  # now cached
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"first clip")
    with django_capture_on_commit_callbacks(execute=True):
        video = video_attach(
            product_id=honey.pk, path=clip, title="讲解 1", duration_s=12.34, source_ref="s:1"
        )
    events = OutboxEvent.objects.filter(name="product.updated")
    assert [e.payload["changed"] for e in events] == [["videos"]]
    stored = Path(settings.MEDIA_ROOT) / video.file.name
    assert stored.read_bytes() == b"first clip"
    with django_assert_num_queries(4):  # product, SKUs, images (with variants), videos
        shown = _videos(honey.pk)
    assert shown == [{"title": "讲解 1", "url": video.file.url, "duration_s": 12.3}]

    clip.write_bytes(b"second take")
    with django_capture_on_commit_callbacks(execute=True):
        again = video_attach(
            product_id=honey.pk, path=clip, title="讲解 1", duration_s=20, source_ref="s:1"
        )
    assert (again.pk, ProductVideo.objects.count()) == (video.pk, 1)
    assert not stored.exists()  # the replaced file went after the commit
    assert [v["duration_s"] for v in _videos(honey.pk)] == [20.0]

    with django_capture_on_commit_callbacks(execute=True):
        assert video_detach(product_id=honey.pk, source_ref="s:1") is True
    assert _videos(honey.pk) == []
    assert not (Path(settings.MEDIA_ROOT) / again.file.name).exists()
    assert video_detach(product_id=honey.pk, source_ref="s:1") is False
