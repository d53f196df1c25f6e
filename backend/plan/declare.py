"""What plan declares: its read-only API (the targets are seeded by a migration)."""

from backend.common.registry import declare
from backend.plan.api import router

app = declare("plan")
app.router("/plan", router)
