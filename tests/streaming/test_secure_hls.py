"""Signed HLS paths: nginx's secure_link_md5 format, and the locations rendered for them."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace

import pytest

from streaming.control import ingest_stream_name
from streaming.secure_hls import hls_signature, hls_signed_path
from tests.streaming.test_nginx_conf import SETTINGS, _lines


def test_the_signature_is_nginx_secure_link_md5() -> None:
    digest = hashlib.md5(b"1900000000/s0a1b2 k3y").digest()
    expected = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert hls_signature(public_id="s0a1b2", expires=1900000000, secret="k3y") == expected
    assert hls_signed_path(public_id="s0a1b2", expires=1900000000, secret="k3y") == (
        f"{expected}/1900000000/s0a1b2"
    )
    with pytest.raises(ValueError, match="not path-safe"):
        hls_signature(public_id="../etc", expires=1, secret="k3y")


def test_with_a_secret_only_signed_paths_are_served() -> None:
    lines = _lines(replace(SETTINGS, hls_secret="k3y"))
    assert "location /hls/ { return 403; }" in lines
    assert "secure_link $hls_sig,$hls_exp;" in lines
    assert 'secure_link_md5 "$hls_exp/$hls_id k3y";' in lines
    assert "alias /srv/media/hls/$hls_id/$hls_file;" in lines
    assert "location /hls/ {" not in lines


def test_without_a_secret_hls_stays_open() -> None:
    lines = _lines()
    assert "location /hls/ {" in lines
    assert not [line for line in lines if "secure_link" in line]


def test_the_ingest_stream_is_named_by_the_md5_of_the_redirect() -> None:
    location = "rtmp://127.0.0.1:1935/show/s0a1b2"
    assert ingest_stream_name(settings=SETTINGS, public_id="s0a1b2") == (
        hashlib.md5(location.encode()).hexdigest()
    )
