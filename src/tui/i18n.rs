//! UI language (zh or en) and every fixed label in both. Labels that depend on the policy
//! (tier names, reasons) are in `labels.rs`.

pub use crate::locale::Lang;

macro_rules! messages {
    ($($name:ident => $zh:expr, $en:expr;)*) => {
        /// A fixed UI label.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($name,)* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                match self {
                    $(Msg::$name => lang.pick($zh, $en),)*
                }
            }
        }
    };
}

messages! {
    AppName => "预警", "yujing";
    Loading => "正在加载…", "Loading…";
    EmptyTitle => "数据库里还没有学生", "The database has no students yet";
    EmptyIntro => "先导入教务系统导出的名单和成绩：", "Import the registrar's exports first:";
    EmptyThen => "然后选择预警政策并重新打开：", "Then choose a warning policy and open again:";
    NoPolicyTitle => "尚未选择预警政策", "No warning policy chosen yet";
    NoPolicyIntro => "查看内置政策并选用一个：", "List the built-in policies and choose one:";
    BadPolicyTitle => "选用的预警政策无法使用", "The chosen warning policy cannot be used";
    BadPolicyIntro => "修正政策文件后重新选用，或换用一个内置政策：", "Fix the policy file and choose it again, or choose a built-in one:";
    NoTermTitle => "还没有成绩数据", "No grades yet";
    NoTermIntro => "导入成绩后才能评估预警：", "Import grades so students can be assessed:";
    RefreshNote => "数据库变化后本页面会自动刷新。", "This screen refreshes by itself when the database changes.";
    LoadError => "读取数据库出错", "Could not read the database";
    All => "全部", "All";
    ColTier => "等级", "Tier";
    ColId => "学号", "ID";
    ColName => "姓名", "Name";
    ColClass => "班级", "Class";
    ColReason => "原因", "Reason";
    ColStatus => "学籍", "Status";
    ColLastContact => "联系", "Last";
    ColFollowup => "跟进", "Due";
    SearchLabel => "搜索", "Search";
    SortLabel => "排序", "Sort";
    ClassLabel => "班级", "Class";
    StaffLabel => "教师", "Staff";
    NoMatches => "没有匹配的学生", "No matching students";
    SortSeverity => "紧急程度", "urgency";
    SortId => "学号", "ID";
    SortName => "姓名", "name";
    SortClass => "班级", "class";
    SortLastContact => "最近联系", "last contact";
    Phone => "电话", "Phone";
    Parent => "家长", "Parent";
    Major => "专业", "Major";
    ClassTeacher => "班主任", "Class teacher";
    Counsellor => "辅导员", "Counsellor";
    WarningFor => "预警", "Warning";
    NoWarning => "未预警", "No warning";
    FailedCourses => "不及格课程", "Failed courses";
    NoFailedCourses => "没有不及格课程", "No failed courses";
    History => "预警历史", "Warning history";
    NoHistory => "没有历史记录", "No history";
    Contacts => "联系记录", "Contacts";
    NoContacts => "还没有联系记录", "No contacts yet";
    Carried => "延续", "carried";
    CarriedFrom => "延续自", "carried from";
    CourseCode => "代码", "Code";
    CourseName => "课程", "Course";
    Term => "学期", "Term";
    Credits => "学分", "Cr";
    Nature => "性质", "Nature";
    Regular => "正考", "Exam";
    Makeup => "补考", "Makeup";
    Retake => "重修", "Retake";
    CourseState => "状态", "State";
    Outstanding => "未通过", "failing";
    Cleared => "已通过", "cleared";
    Pending => "待定", "pending";
    Yes => "是", "yes";
    No => "否", "no";
    HelpTitle => "按键", "Keys";
    HelpClose => "按 Esc 或 ? 关闭", "Esc or ? closes";
    HelpMoreBelow => "▼ 还有 {} 行 PgDn/j", "▼ {} more PgDn/j";
    HelpMoreAbove => "▲ PgUp/k", "▲ PgUp/k";
    PickClass => "按班级筛选", "Filter by class";
    PickStaff => "按教师筛选（班主任或辅导员）", "Filter by teacher (class teacher or counsellor)";
    StudentGone => "该学生已不在名单中", "This student is no longer on the roster";
    Mouse => "鼠标滚轮", "mouse wheel";
    Scroll => "滚动", "scroll";
    TriageHelp => "默认排序（紧急程度）：预警等级（同级时学籍处理重者在前）→ 逾期天数 → 距上次联系的天数（从未联系的在前）→ 学号。权重可在 config.toml 的 [triage] 中设置。S 切换其他排序。", "Default order (urgency): tier (then the status outcome) → days overdue → days since the last contact (never contacted first) → ID. The weights are set in config.toml [triage]. S cycles the other orders.";
    OverdueOnly => "只看逾期", "overdue only";
    Exempt => "免", "exempt";
    ExemptFrom => "免于跟进", "Exempt from follow-up";
    Schedules => "跟进日程", "Follow-up schedules";
    NoSchedules => "没有跟进日程", "No schedules";
    Met => "已完成", "met";
    DueOn => "到期", "due";
    Since => "自", "from";
    AgendaTitle => "待办", "Agenda";
    AgendaOverdue => "逾期", "Overdue";
    AgendaToday => "今天到期", "Due today";
    AgendaWeek => "7天内到期", "Due within 7 days";
    AgendaEmpty => "没有逾期或7天内到期的跟进", "Nothing overdue or due within 7 days";
    FormLogTitle => "记录联系", "Log a contact";
    FormScheduleTitle => "安排谈话", "Schedule talks";
    Against => "针对", "For";
    FieldAt => "时间", "When";
    FieldKind => "类型", "Kind";
    FieldRole => "身份", "Role";
    FieldWith => "对象", "With";
    FieldChannel => "方式", "Channel";
    FieldPlace => "地点", "Place";
    FieldSummary => "谈话内容", "Summary";
    FieldSituation => "情况与态度", "Situation";
    FieldActions => "约定措施", "Actions";
    FieldNextTalk => "下次谈话", "Next talk";
    FieldConfidential => "保密", "Confidential";
    FieldCadence => "频次", "Cadence";
    FieldFrom => "开始", "From";
    FieldUntil => "结束", "Until";
    FieldNote => "说明", "Note";
    RoleNone => "未指定", "unspecified";
    HintDateTime => "如 2025-03-20 14:30、now、-2d", "e.g. 2025-03-20 14:30, now, -2d";
    HintDate => "如 2025-09-10、+7d、周五", "e.g. 2025-09-10, +7d, fri";
    HintOptionalDate => "可不填；如 +7d、周五", "optional; e.g. +7d, fri";
    HintCadence => "每周 每月 每14天 每学期至少3次 7天内一次", "weekly monthly days:N term:K once:N";
    HintChoice => "←/→ 或空格选择", "←/→ or Space to choose";
    ErrRequired => "请填写", "required";
    ErrNotDate => "无法识别的日期", "not a date";
    ErrNoSuchDate => "没有这一天", "no such date";
    ErrDateRange => "日期超出范围", "date out of range";
    ErrBadTime => "时间应为 HH:MM", "time must be HH:MM";
    ErrFuture => "不能晚于今天", "cannot be after today";
    ErrNextBeforeDate => "须晚于谈话日期", "must be after the contact";
    ErrUntilBeforeFrom => "不能早于开始日期", "before the start date";
    ErrCadence => "可填 每周、每月、每N天、每学期至少K次、N天内一次", "weekly, monthly, days:N, term:K, once:N";
    FixErrors => "请先改正标出的项", "Fix the marked fields first";
    Saving => "正在保存…", "Saving…";
    SaveFailed => "保存失败", "Could not save";
    DiscardAsk => "放弃未保存的内容？ y 放弃  n 继续编辑", "Discard unsaved changes? y discard  n keep editing";
    SavedContact => "已保存联系记录", "Contact saved";
    SavedSchedule => "已添加日程", "Schedule added";
}

/// `12,345`: digits grouped by thousands, as the progress line shows counts.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `正在评估 12,345/50,000…` while the first load evaluates; before the first count arrives,
/// how many there are to evaluate.
pub fn evaluating(lang: Lang, done: usize, total: usize) -> String {
    let (d, t) = (grouped(done), grouped(total));
    match (lang, done) {
        (Lang::Zh, 0) => format!("正在评估 {t} 名学生…"),
        (Lang::En, 0) => format!("Evaluating {t} students…"),
        (Lang::Zh, _) => format!("正在评估 {d}/{t}…"),
        (Lang::En, _) => format!("Evaluating {d}/{t}…"),
    }
}

/// `逾期3天`-style follow-up text: overdue by N days, or due on a date.
pub fn followup_text(lang: Lang, days_overdue: i64, due: chrono::NaiveDate) -> String {
    if days_overdue > 0 {
        match lang {
            Lang::Zh => format!("逾期{days_overdue}天"),
            Lang::En => format!("{days_overdue}d late"),
        }
    } else {
        due.format("%m-%d").to_string()
    }
}

/// `周五 03-21` / `Fri 03-21`.
pub fn day_label(lang: Lang, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let i = day.weekday().num_days_from_monday() as usize;
    let zh = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    let en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    format!("{} {}", lang.pick(zh[i], en[i]), day.format("%m-%d"))
}

/// `共 N 人` / `N students`.
pub fn count_students(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("{n} 人"),
        Lang::En => format!("{n} students"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label in both languages, and really translated: the Chinese holds Chinese and
    /// the English none (an English word left in the zh column is the usual slip). The few
    /// that are the same in both are named here.
    #[test]
    fn every_label_exists_in_both_languages() {
        let has_han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let same_in_both = [Msg::HelpMoreAbove];
        let untranslated: Vec<String> = Msg::ALL
            .iter()
            .filter(|m| !same_in_both.contains(m))
            .filter(|m| !has_han(m.text(Lang::Zh)) || has_han(m.text(Lang::En)))
            .map(|m| format!("{m:?}: {:?} / {:?}", m.text(Lang::Zh), m.text(Lang::En)))
            .collect();
        assert!(
            untranslated.is_empty(),
            "untranslated:\n{}",
            untranslated.join("\n")
        );
        for m in Msg::ALL {
            assert!(!m.text(Lang::En).trim().is_empty(), "{m:?}");
        }
    }

    #[test]
    fn progress_groups_thousands() {
        assert_eq!(
            evaluating(Lang::Zh, 12_345, 50_000),
            "正在评估 12,345/50,000…"
        );
        assert_eq!(
            evaluating(Lang::En, 0, 1_234_567),
            "Evaluating 1,234,567 students…"
        );
        assert_eq!(evaluating(Lang::En, 7, 999), "Evaluating 7/999…");
    }

    #[test]
    fn followup_text_says_late_or_due() {
        let due = chrono::NaiveDate::from_ymd_opt(2025, 3, 20).unwrap_or_default();
        assert_eq!(followup_text(Lang::Zh, 3, due), "逾期3天");
        assert_eq!(followup_text(Lang::En, 0, due), "03-20");
    }
}
