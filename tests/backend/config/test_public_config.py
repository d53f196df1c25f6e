"""/api/v1/config: what every page reads before it draws (no login needed)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_read_the_hls_base_url_from_the_config(settings) -> None:
    settings.STREAMING_HLS_BASE_URL = "https://live.qinshui.example/hls/"
    config = Client().get("/api/v1/config")
    assert config.status_code == 200
    body = config.json()
    assert body["hls_base_url"] == "https://live.qinshui.example/hls"
    assert (body["currency"], body["time_zone"]) == ("CNY", "Asia/Shanghai")
