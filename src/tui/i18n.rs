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
    SortSeverity => "预警程度", "severity";
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
    HelpTitle => "按键", "Keys";
    HelpClose => "按 Esc 或 ? 关闭", "Esc or ? closes";
    PickClass => "按班级筛选", "Filter by class";
    PickStaff => "按教师筛选（班主任或辅导员）", "Filter by teacher (class teacher or counsellor)";
    StudentGone => "该学生已不在名单中", "This student is no longer on the roster";
    Mouse => "鼠标滚轮", "mouse wheel";
    Scroll => "滚动", "scroll";
}

/// `3天前`-style follow-up text: overdue by N days, or due on a date.
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

    #[test]
    fn every_label_exists_in_both_languages() {
        for m in Msg::ALL {
            assert!(!m.text(Lang::Zh).is_empty(), "{m:?}");
            assert!(!m.text(Lang::En).is_empty(), "{m:?}");
        }
        assert_ne!(Msg::All.text(Lang::Zh), Msg::All.text(Lang::En));
    }

    #[test]
    fn followup_text_says_late_or_due() {
        let due = chrono::NaiveDate::from_ymd_opt(2025, 3, 20).unwrap_or_default();
        assert_eq!(followup_text(Lang::Zh, 3, due), "逾期3天");
        assert_eq!(followup_text(Lang::En, 0, due), "03-20");
    }
}
