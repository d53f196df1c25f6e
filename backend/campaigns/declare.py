"""What campaigns declare: the door-staff role, error codes, the console, judge, door and
public pages, the API, the leaderboard socket, the board flush, the demo festival."""

from backend.accounts.roles import Role
from backend.campaigns.access import DOOR_STAFF
from backend.campaigns.api import router
from backend.campaigns.api_public import router as public_router
from backend.campaigns.consumers import BoardConsumer
from backend.campaigns.demo import demo_campaigns_write
from backend.campaigns.errors import CampaignErrorCode
from backend.common.registry import Label, Page, RoleSpec, declare

app = declare("campaigns")
app.roles(RoleSpec(DOOR_STAFF, Label("检票员", "Door staff")))
app.error_codes(CampaignErrorCode)
app.router("/campaigns", router)
app.router("/events", public_router)
MANAGERS = (Role.ORGANISER, Role.OFFICE_STAFF, Role.PLATFORM_ADMIN)
app.pages(
    Page("/events/", Label("活动", "Events"), template="events-console", roles=MANAGERS,
         order=600),
    Page("/events/judge/", Label("评分", "Scoring"), template="events-judge",
         roles=(Role.JUDGE,), order=610),
    Page("/events/door/", Label("检票", "Check-in"), template="events-door",
         roles=(DOOR_STAFF, *MANAGERS), order=620),
    # Last: the slug routes never shadow /events/judge/ and /events/door/.
    Page("/events/<slug:slug>/screen/", None, template="event-screen", public=True, order=950),
    Page("/events/<slug:slug>/", None, template="event-public", public=True, order=951),
)  # fmt: skip
app.websocket("ws/campaigns/<slug:slug>/board/", BoardConsumer.as_asgi())
app.beat(
    "campaigns.boards-flush", task="backend.campaigns.tasks.campaigns_boards_flush", schedule=2.0
)
app.beat("campaigns.freeze-due", task="backend.campaigns.tasks.campaigns_freeze_due", schedule=60.0)
app.demo(demo_campaigns_write, after=("accounts", "live", "audience", "promotions"))
