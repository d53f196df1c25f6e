"""What campaigns declares (filled in by its issue)."""

from backend.common.registry import declare

app = declare("campaigns")
