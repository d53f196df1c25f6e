"""What the audience declares: the channel and watch pages, the API, the reminder job,
the short share link and the old viewer URL, demo follows and reminders."""

from backend.accounts.roles import Role
from backend.audience.api import router
from backend.audience.demo import demo_audience_write
from backend.audience.errors import AudienceErrorCode
from backend.audience.views import old_watch, short_link, watch_meta
from backend.common.registry import Label, Page, declare

app = declare("audience")
app.error_codes(AudienceErrorCode)
app.router("/audience", router)
app.pages(
    # Beside the shop: buyers and visitors see it in the navigation.
    Page(
        "/live/",
        Label("看直播", "Live"),
        template="live-channel",
        roles=(Role.BUYER,),
        public=True,
        order=105,
    ),
    Page("/live/<int:session_id>/", None, template="live-watch", public=True, meta=watch_meta),
)
app.url("live/watch/", old_watch)
app.url("s/<str:code>", short_link)
app.beat("audience.reminders", task="backend.audience.tasks.audience_reminders_send", schedule=30.0)
app.demo(demo_audience_write, after=("live",))
