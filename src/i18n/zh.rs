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
        Msg::ContactLogged => "已记录 {student} 的{kind} #{id}",
        Msg::ContactCorrected => "已更正 {student} 的{kind} #{old}：新版本 #{id}",
        Msg::NextTalkScheduled => "已安排 {date} 的谈话（日程 #{id}）",
        Msg::NoContact => "--corrects {id}：没有编号为 {id} 的谈话记录",
        Msg::ContactOtherStudent => {
            "--corrects {id}：谈话记录 {id} 属于学生 {other}，不是 {student}；未写入任何内容"
        }
        Msg::ContactAlreadyCorrected => {
            "--corrects {id}：谈话记录 {id} 已由 {author} 于 {at} 更正（记录 {by_id}）；如要现在更正，请用 --corrects {latest}"
        }
        Msg::NoticeWithCorrects => "--notice 不能与 --corrects 同用",
        Msg::ExemptAdded => "已为 {student} 办理 {term} 免于跟进 #{id}（{reason}）",
        Msg::ExemptLifted => "已撤销 {student} 在 {term} 的免于跟进 #{id}",
        Msg::NoExemptionInForce => "没有生效中的免于跟进 #{id}（用 exempt list 查看）",
        Msg::AlreadyExempt => {
            "学生 {student} 在 {term} 已免于跟进（#{id}，{by} 办理）：未写入任何内容"
        }
        Msg::NotWarned => {
            "学生 {student} 在 {term} 没有预警（政策 {policy}），无须免于跟进：未写入任何内容"
        }
        Msg::NotInRoster => "没有学号为 {id} 的学生（不在学生名单中）",
        Msg::IssueNothing => "{term} 的预警没有变化，无需下发",
        Msg::NotOneOf => "{opt}：'{value}' 不是以下之一：{ids}",
        Msg::UnknownKind => "未知的类型 '{value}'（类型：{ids}）",
        Msg::UnknownRole => "未知的身份 '{value}'（身份：{ids}）",
        Msg::NextNotAfter => "--next {next} 须晚于这次联系的日期 {date}",
        Msg::WithdrawNeedsTerm => {
            "issue withdraw 须写 --term（要撤回的学期，如 --term 2024-2025-2）"
        }
        Msg::DemoNotDemo => {
            "{path}：文件已存在且不是演示数据库；demo 只写入新文件或它以前建的演示数据库（换一个 --db，或不写 --db 使用数据目录里的演示数据库）"
        }
    }
}
