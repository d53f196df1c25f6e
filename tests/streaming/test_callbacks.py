"""The callback contract: parsing what nginx posts, the shared secret, the answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from streaming.callbacks import (
    Accept,
    PublishDone,
    PublishRequest,
    RecordDone,
    Refuse,
    callback_handle,
)
from streaming.settings import MediaSettings

SETTINGS = MediaSettings(
    prefix=Path("/srv/media/nginx"),
    hls_dir=Path("/srv/media/hls"),
    record_dir=Path("/srv/media/record"),
    rtmp_port=1935,
    http_port=8088,
    callback_base_url="http://127.0.0.1:8000/api/live/rtmp",
    callback_secret="s3cret",
    worker_user=None,
)
TOKEN = {"token": "s3cret"}
PUBLISH = {
    "call": "publish",
    "app": "live",
    "name": "sk-abc",
    "type": "live",
    "addr": "10.0.0.7",
    "clientid": "42",
    "tcurl": "rtmp://127.0.0.1:1935/live",
    "flashver": "FMLE/3.0",
    "obs": "1",
}


def _handle(
    event: str, form: dict[str, str], query: dict[str, str] = TOKEN
) -> tuple[int, dict[str, str], list[object]]:
    seen: list[object] = []
    answer = callback_handle(
        event=event,
        query=query,
        form=form,
        settings=SETTINGS,
        decide=lambda r: Accept(public_id="s-7") if r.stream_key == "sk-abc" else Refuse(),
        notify=seen.append,
    )
    return answer.status, dict(answer.headers), seen


def test_a_valid_key_is_redirected_to_the_show_app_under_its_public_id() -> None:
    status, headers, seen = _handle("on_publish", PUBLISH)
    assert status == 302
    assert headers == {"Location": "rtmp://127.0.0.1:1935/show/s-7"}
    assert seen == [
        PublishRequest(
            app="live", stream_key="sk-abc", addr="10.0.0.7", client_id="42", args={"obs": "1"}
        )
    ]


def test_an_unknown_key_is_refused() -> None:
    status, headers, _ = _handle("on_publish", {**PUBLISH, "name": "sk-other"})
    assert (status, headers) == (403, {})


def test_a_callback_without_the_secret_is_refused_and_not_seen() -> None:
    assert _handle("on_publish", PUBLISH, query={})[::2] == (403, [])
    assert _handle("on_publish", PUBLISH, query={"token": "guess"})[::2] == (403, [])


def test_publish_done_and_record_done_are_parsed() -> None:
    done = _handle("on_publish_done", {**PUBLISH, "call": "publish_done"})
    assert done[::2] == (
        200,
        [PublishDone(app="live", stream_key="sk-abc", addr="10.0.0.7", client_id="42")],
    )
    form = {
        "call": "record_done",
        "app": "show",
        "name": "s-7",
        "path": "/srv/media/record/s-7-1.flv",
        "recorder": "",
    }
    record = _handle("on_record_done", form)
    assert record[::2] == (
        200,
        [
            RecordDone(
                app="show", public_id="s-7", path=Path("/srv/media/record/s-7-1.flv"), recorder=""
            )
        ],
    )


def test_a_malformed_callback_or_unknown_event_is_rejected() -> None:
    assert _handle("on_publish", {"app": "live"})[0] == 403
    assert _handle("on_play", PUBLISH)[0] == 404


def test_reprs_never_show_the_key_or_the_secret() -> None:
    _, _, seen = _handle("on_publish", PUBLISH)
    assert "sk-abc" not in repr(seen)
    assert "s3cret" not in repr(SETTINGS)


@pytest.mark.parametrize("public_id", ["../etc", "a/b", "", "x" * 65, "-lead"])
def test_accept_refuses_a_public_id_unsafe_for_paths(public_id: str) -> None:
    with pytest.raises(ValueError):
        Accept(public_id=public_id)
