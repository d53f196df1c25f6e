"""What live declares: grants, the studio page, the API, the studio socket, sweeps, demo."""

from backend.accounts.roles import Role
from backend.common.registry import Label, Page, declare
from backend.live.api import router
from backend.live.consumers import RoomConsumer, StudioConsumer
from backend.live.demo import demo_live_write
from backend.live.errors import LiveErrorCode

app = declare("live")
app.error_codes(LiveErrorCode)
app.grants(
    {
        Role.STREAMER: ("live.add_livesession",),
        Role.OFFICE_STAFF: (
            "live.view_all_sessions",
            "live.verify_streamer",
            "live.view_bannedword",
            "live.add_bannedword",
            "live.delete_bannedword",
        ),
    }
)
app.router("/live", router)
app.beat(
    "live.end-abandoned",
    task="backend.live.tasks.live_sessions_end_abandoned",
    schedule=15.0,
)
app.beat("live.health-poll", task="backend.live.tasks.live_health_poll", schedule=5.0)
# The demo room (make run): a no-op unless DEBUG and the demo session is live.
app.beat("live.demo-room", task="backend.live.tasks.live_demo_room", schedule=5.0)
app.beat("live.media-resume", task="backend.live.tasks.live_media_resume", schedule=300.0)
app.beat("live.retention-sweep", task="backend.live.tasks.live_retention_sweep", schedule=86400.0)
app.beat("live.minutes-roll", task="backend.live.tasks.live_minutes_roll", schedule=15.0)
app.websocket("ws/studio/<int:session_id>/", StudioConsumer.as_asgi())
app.websocket("ws/live/<int:session_id>/", RoomConsumer.as_asgi())
app.pages(
    Page(
        "/studio/",
        Label("直播工作台", "Studio"),
        template="studio",
        perms=("live.add_livesession", "live.view_all_sessions"),
        order=300,  # after the merchant desk: the office still lands on the products
    )
)
app.demo(demo_live_write, after=("accounts", "catalog"))
