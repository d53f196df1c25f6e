"""The contract between nginx-rtmp's callbacks and the backend.

nginx POSTs form fields to ``<base>/<event>?token=<secret>`` for three events:

* ``on_publish``: ``app``, ``name`` (the stream key an encoder typed), ``addr``,
  ``clientid``, ``tcurl`` and the encoder's own query arguments. The caller's
  ``decide`` function answers ``Accept(public_id=…)`` (302 to
  ``rtmp://…/show/<public id>``, which relays the stream under that id) or ``Refuse()``
  (403: nginx drops the encoder).
* ``on_publish_done``: the same fields when the encoder stops; ``name`` is still the key.
* ``on_record_done``: ``app`` (the show app), ``name`` (the public id), ``path`` of the
  finished FLV recording.

Stream keys live in fields with ``repr=False`` so a logged event never prints one.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from streaming.errors import CallbackError
from streaming.settings import PUBLIC_ID_RE, MediaSettings

STANDARD_FIELDS = frozenset(
    {"app", "name", "addr", "clientid", "tcurl", "flashver", "swfurl", "pageurl", "call", "type"}
)


@dataclass(frozen=True, kw_only=True)
class PublishRequest:
    app: str
    stream_key: str = field(repr=False)
    addr: str
    client_id: str
    args: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, kw_only=True)
class PublishDone:
    app: str
    stream_key: str = field(repr=False)
    addr: str
    client_id: str


@dataclass(frozen=True, kw_only=True)
class RecordDone:
    app: str
    public_id: str
    path: Path
    recorder: str


@dataclass(frozen=True, kw_only=True)
class Accept:
    public_id: str

    def __post_init__(self) -> None:
        if not PUBLIC_ID_RE.match(self.public_id):
            raise ValueError(f"public id {self.public_id!r} is not path-safe")


@dataclass(frozen=True, kw_only=True)
class Refuse:
    reason: str = "refused"


PublishDecision = Accept | Refuse
CallbackEvent = PublishRequest | PublishDone | RecordDone


@dataclass(frozen=True, kw_only=True)
class CallbackAnswer:
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


def _required(form: Mapping[str, str], key: str) -> str:
    value = form.get(key, "")
    if not value:
        raise CallbackError(f"callback without {key!r}")
    return value


def callback_token_check(*, query: Mapping[str, str], secret: str) -> None:
    """Reject a callback that does not carry the shared secret (constant-time compare)."""
    if not hmac.compare_digest(query.get("token", "").encode(), secret.encode()):
        raise CallbackError("callback token missing or wrong")


def publish_parse(form: Mapping[str, str]) -> PublishRequest:
    extra = {k: v for k, v in form.items() if k not in STANDARD_FIELDS}
    return PublishRequest(
        app=_required(form, "app"),
        stream_key=_required(form, "name"),
        addr=form.get("addr", ""),
        client_id=form.get("clientid", ""),
        args=extra,
    )


def publish_done_parse(form: Mapping[str, str]) -> PublishDone:
    return PublishDone(
        app=_required(form, "app"),
        stream_key=_required(form, "name"),
        addr=form.get("addr", ""),
        client_id=form.get("clientid", ""),
    )


def record_done_parse(form: Mapping[str, str]) -> RecordDone:
    return RecordDone(
        app=_required(form, "app"),
        public_id=_required(form, "name"),
        path=Path(_required(form, "path")),
        recorder=form.get("recorder", ""),
    )


def publish_answer(*, decision: PublishDecision, settings: MediaSettings) -> CallbackAnswer:
    """302 with an ``rtmp://`` Location relays under the public id; anything else refuses."""
    if isinstance(decision, Accept):
        location = settings.show_url(public_id=decision.public_id)
        return CallbackAnswer(status=302, headers=(("Location", location),))
    return CallbackAnswer(status=403, body=decision.reason.encode())


PARSERS: dict[str, Callable[[Mapping[str, str]], CallbackEvent]] = {
    "on_publish": publish_parse,
    "on_publish_done": publish_done_parse,
    "on_record_done": record_done_parse,
}


def callback_handle(
    *,
    event: str,
    query: Mapping[str, str],
    form: Mapping[str, str],
    settings: MediaSettings,
    decide: Callable[[PublishRequest], PublishDecision],
    notify: Callable[[CallbackEvent], None] | None = None,
) -> CallbackAnswer:
    """Check, parse and answer one callback; ``notify`` sees every parsed event."""
    parser = PARSERS.get(event)
    if parser is None:
        return CallbackAnswer(status=404)
    try:
        callback_token_check(query=query, secret=settings.callback_secret)
        parsed = parser(form)
    except CallbackError as exc:
        return CallbackAnswer(status=403, body=str(exc).encode())
    if notify is not None:
        notify(parsed)
    if isinstance(parsed, PublishRequest):
        return publish_answer(decision=decide(parsed), settings=settings)
    return CallbackAnswer(status=200)
