// Strings of the county's live channel (/live/).
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "channel.title": "沁水直播",
    "channel.live": "正在直播",
    "channel.coming": "即将开播",
    "channel.replays": "精彩回放",
    "channel.empty": "暂时没有",
    "channel.all": "全部主播",
    "channel.streamer": "{name}（{n} 粉丝）",
    "channel.notices": "我的通知",
    "channel.mark_read": "全部已读",
    "channel.unread": "未读",
    "channel.state.live": "直播中",
    "channel.state.scheduled": "{time} 开播",
    "channel.state.ended": "回放",
  },
  en: {
    "channel.title": "Qinshui live",
    "channel.live": "Live now",
    "channel.coming": "Coming up",
    "channel.replays": "Replays",
    "channel.empty": "Nothing here yet",
    "channel.all": "All streamers",
    "channel.streamer": "{name} ({n} followers)",
    "channel.notices": "My notices",
    "channel.mark_read": "Mark all read",
    "channel.unread": "New",
    "channel.state.live": "Live",
    "channel.state.scheduled": "Starts {time}",
    "channel.state.ended": "Replay",
  },
});
