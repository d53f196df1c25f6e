"""Websocket group names of live sessions: the one place they are made (CONVENTIONS 10)."""

from __future__ import annotations


def studio(session_id: int) -> str:
    """The streamer's and assistants' console of one session."""
    return f"live.studio.{session_id}"


def room(session_id: int) -> str:
    """The viewers of one session (the watch page of the next issues)."""
    return f"live.room.{session_id}"
