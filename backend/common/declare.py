"""What common declares: the platform-wide error codes and the outbox sweep."""

from backend.common.errors import ErrorCode
from backend.common.registry import declare

app = declare("common")
app.error_codes(ErrorCode)
app.beat("common.events-sweep", task="backend.common.tasks.events_sweep", schedule=30.0)
