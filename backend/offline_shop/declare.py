"""What offline_shop declares (filled in by its issue)."""

from backend.common.registry import declare

app = declare("offline_shop")
