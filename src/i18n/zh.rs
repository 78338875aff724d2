//! The Chinese catalogue.

use super::Msg;

pub fn text(m: Msg) -> &'static str {
    match m {
        Msg::ColScheduleId => "日程",
        Msg::ColContactId => "编号",
        Msg::ColStudent => "学号",
        Msg::ColName => "姓名",
        Msg::ColKind => "类型",
        Msg::ColRole => "角色",
        Msg::ColCadence => "频次",
        Msg::ColFrom => "开始",
        Msg::ColUntil => "结束",
        Msg::ColNote => "说明",
        Msg::ColState => "状态",
        Msg::Ended => "已结束",
        Msg::ColDue => "截止",
        Msg::ColOverdue => "逾期",
        Msg::ColSchedule => "日程",
        Msg::ColAt => "时间",
        Msg::ColWith => "对象",
        Msg::ColChannel => "方式",
        Msg::ColBy => "记录人",
        Msg::ColSummary => "内容",
        Msg::AgendaOverdue => "逾期",
        Msg::AgendaToday => "今天到期",
        Msg::AgendaWeek => "七天内到期",
        Msg::DaysOverdue => "逾期{n}天",
        Msg::UnknownStudent => "没有学号为 {id} 的学生",
        Msg::ScheduleAdded => "已为 {student} 添加日程 #{id}：{what}，{cadence}，自 {from} 起",
        Msg::ScheduleCancelled => "已取消日程 #{id}：{student} 的{what}",
        Msg::NoScheduleInForce => "没有生效中的日程 #{id}（用 schedule list 查看）",
        Msg::UntilBeforeFrom => "--until 早于 --from",
        Msg::ExemptNeedsTerm => "exempt add 须写 --term（免于跟进的学期，如 --term 2024-2025-2）",
        Msg::DemoNotDemo => {
            "{path}：文件已存在且不是演示数据库；demo 只写入新文件或它以前建的演示数据库（换一个 --db，或不写 --db 使用数据目录里的演示数据库）"
        }
    }
}
