"""The evaluators' workbook: the plan's goals, then one sheet per kind of incubatee, each
incubatee a row followed by its evidence (every live session with its date and GMV, every
store order with its date and net amount, every one-stop service), then the clusters with
their members and the operating team. Phones masked; times in Asia/Shanghai."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from backend.incubation.figures import Figures, figures_for
from backend.incubation.models import (
    Cluster,
    Incubatee,
    IncubateeKind,
    MilestoneMet,
    ServiceLog,
    TeamMember,
)
from backend.incubation.selectors import Goal, incubatees_board, mask_phone, township_of

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SHEETS = {
    IncubateeKind.INFLUENCER_COMPANY: "网红企业",
    IncubateeKind.INFLUENCER_FARMER: "网红农民",
    IncubateeKind.RESIDENT_ENTERPRISE: "入驻企业",
    IncubateeKind.VILLAGE_STORE: "村级网店",
}
STAGES = {
    "applied": "已申请",
    "admitted": "已入孵",
    "in_incubation": "孵化中",
    "graduated": "已毕业",
    "withdrawn": "已退出",
}
SERVICES = {
    "technical": "技术支持",
    "information": "信息服务",
    "marketing": "营销推广",
    "consulting": "管理咨询",
    "finance": "金融服务",
    "value_added": "增值服务",
}
CLUSTERS = {"warehouse": "电商仓储", "maker_space": "电商创客空间", "incubation_park": "孵化园区"}
HEADER = [
    "名称",
    "乡镇",
    "村",
    "阶段",
    "入孵日期",
    "联系电话",
    "直播场次",
    "订单数",
    "GMV(元)",
    "退款(元)",
    "已达里程碑",
    "证据",
    "日期",
    "说明",
    "金额(元)",
]
EVIDENCE_COLUMN = 12


def _text(cell: Cell) -> None:
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.value = "'" + cell.value


def _day(value: object) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""  # type: ignore[arg-type]


def _append(sheet: Worksheet, row: list[object]) -> None:
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        _text(cell)
        if isinstance(cell.value, float):
            cell.number_format = "0.00"


def _incubatee_rows(
    sheet: Worksheet, inc: Incubatee, figures: Figures, met: list[str], served: list[ServiceLog]
) -> None:
    summary: list[object] = [
        inc.name,
        township_of(inc),
        inc.village.name if inc.village else "",
        STAGES[inc.stage],
        _day(inc.admitted_at),
        mask_phone(inc.contact_phone) if inc.contact_phone else "",
        len(figures.sessions),
        len(figures.orders),
        float(figures.gmv),
        float(figures.refunded),
        "、".join(met),
    ]
    _append(sheet, summary)
    blank = [""] * (EVIDENCE_COLUMN - 1)
    for s in figures.sessions:
        _append(sheet, [*blank, "直播", _day(s.started_at), s.title, float(s.gmv)])
    for o in figures.orders:
        if o.source_kind == "store":
            _append(sheet, [*blank, "网店订单", _day(o.paid_at), o.number, float(o.net)])
    for log in served:
        text = f"{SERVICES[log.service]}：{log.outcome}（{log.staff}）"
        _append(sheet, [*blank, "一站式服务", log.on.isoformat(), text, ""])


def _clusters_and_team(book: Workbook) -> None:
    clusters = book.create_sheet("集聚园区")
    _append(clusters, ["园区", "类型", "乡镇", "启用日期", "成员单位", "加入日期"])
    for cluster in Cluster.objects.select_related("township").order_by("id"):
        town = cluster.township.name if cluster.township else ""
        _append(clusters, [cluster.name, CLUSTERS[cluster.kind], town, str(cluster.opened_on)])
        for member in cluster.memberships.select_related("organisation").order_by("id"):
            _append(clusters, ["", "", "", "", member.organisation.name, str(member.joined_on)])
    team = book.create_sheet("运营团队")
    _append(team, ["姓名", "岗位", "电话", "入职日期", "离职日期"])
    for person in TeamMember.objects.order_by("start", "id"):
        phone = mask_phone(person.phone) if person.phone else ""
        _append(team, [person.name, person.role, phone, str(person.start), str(person.end or "")])


def incubation_xlsx(*, goals: list[Goal]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "规划目标"
    _append(sheet, ["目标", "规划原文", "目标值", "单位", "完成值", "是否达标", "计数口径"])
    for goal in goals:
        done = "" if goal.met is None else ("是" if goal.met else "否")
        target = float(goal.target) if goal.target is not None else ""
        _append(sheet, [goal.name, goal.wording, target, goal.unit, goal.actual, done, goal.counts])
    rows = list(incubatees_board().select_related("village"))
    figures = figures_for(incubatees=rows)
    met: dict[int, list[str]] = {}
    for m in MilestoneMet.objects.filter(incubatee__in=rows).select_related("rule"):
        met.setdefault(m.incubatee_id, []).append(m.rule.name)
    served: dict[int, list[ServiceLog]] = {}
    for log in ServiceLog.objects.filter(incubatee__in=rows).select_related("staff"):
        served.setdefault(log.incubatee_id, []).append(log)
    for kind, title in SHEETS.items():
        page = book.create_sheet(title)
        _append(page, list(HEADER))
        for inc in rows:
            if inc.kind == kind:
                evidence = (met.get(inc.pk, []), served.get(inc.pk, []))
                _incubatee_rows(page, inc, figures[inc.pk], *evidence)
    _clusters_and_team(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
