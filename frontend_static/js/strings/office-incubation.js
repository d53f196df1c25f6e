// Strings of the office's incubation view (/office/incubation/).
import "app/strings/incubation.js";
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "inc.title": "孵化培育",
    "inc.export": "导出评估表（xlsx）",
    "inc.goals": "规划目标与完成情况",
    "inc.goal_figure": "{actual} / {target} {unit}",
    "inc.goal_count": "{actual} {unit}",
    "inc.goal_met": "已达标",
    "inc.goal_open": "未达标",
    "inc.by_township": "按乡镇：{list}",
    "inc.team_months": "近几月人数：{list}",
    "inc.move_to": "→ {stage}",
    "inc.counts": "计数口径：{rule}",
    "inc.move_reason": "原因",
    "inc.move_submit": "确定",
    "inc.move_cancel": "取消",
    "inc.move_title": "{name}：{from} → {to}",
    "inc.moved": "已移至「{stage}」",
    "inc.item_figures": "直播 {sessions} 场 · 成交 {gmv}",
  },
  en: {
    "inc.title": "Incubation",
    "inc.export": "Export for evaluators (xlsx)",
    "inc.goals": "The plan's goals and progress",
    "inc.goal_figure": "{actual} / {target} {unit}",
    "inc.goal_count": "{actual} {unit}",
    "inc.goal_met": "Met",
    "inc.goal_open": "Not yet",
    "inc.by_township": "By township: {list}",
    "inc.team_months": "Recent months: {list}",
    "inc.move_to": "→ {stage}",
    "inc.counts": "Counted: {rule}",
    "inc.move_reason": "Reason",
    "inc.move_submit": "Move",
    "inc.move_cancel": "Cancel",
    "inc.move_title": "{name}: {from} → {to}",
    "inc.moved": "Moved to “{stage}”",
    "inc.item_figures": "{sessions} sessions · {gmv}",
  },
});
