//! The vocabulary of the keymap: every key becomes one of these before anything changes.

use serde::{Deserialize, Serialize};

use super::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    /// Leave the current screen (student page, help, picker).
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Mouse wheel: a few rows at a time.
    ScrollUp,
    ScrollDown,
    /// Open the selected row (student, picker choice).
    Open,
    /// Focus the search field.
    Search,
    /// A printable key in a text field (search, form).
    Input(char),
    Backspace,
    /// Empty the text field.
    ClearInput,
    /// Delete the character after the cursor.
    Delete,
    /// In a text field, move the cursor; in a choice, the previous / next option.
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    /// Keep the query and move focus to the list.
    SearchAccept,
    /// Clear the query and leave the field.
    SearchCancel,
    NextTier,
    PrevTier,
    CycleSort,
    PickClass,
    PickStaff,
    ClearFilters,
    /// Show only students with something overdue (toggle).
    OverdueOnly,
    /// Open the contact form for the student (or agenda line) at hand.
    LogContact,
    /// Open the schedule form for the student at hand.
    Schedule,
    /// What is overdue, due today and due this week.
    Agenda,
    /// The term-end analysis with bar charts.
    Report,
    NextField,
    PrevField,
    Save,
    /// Answers to "discard the unsaved form?".
    Yes,
    No,
    /// The student's warning notice: preview, then approve.
    Notice,
}

impl Action {
    /// What the action does, for the footer and the help screen.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Action::Quit => ("退出", "quit"),
            Action::Help => ("帮助", "help"),
            Action::Back => ("返回", "back"),
            Action::Up => ("上移", "up"),
            Action::Down => ("下移", "down"),
            Action::PageUp => ("上一页", "page up"),
            Action::PageDown => ("下一页", "page down"),
            Action::Top => ("第一行", "first row"),
            Action::Bottom => ("最后一行", "last row"),
            Action::ScrollUp => ("向上滚动", "scroll up"),
            Action::ScrollDown => ("向下滚动", "scroll down"),
            Action::Open => ("打开", "open"),
            Action::Search => (
                "搜索（学号/姓名/拼音/班级）",
                "search (id/name/pinyin/class)",
            ),
            Action::Input(_) => ("输入", "type"),
            Action::Backspace => ("删除前一个字", "delete a character"),
            Action::ClearInput => ("清空", "clear the field"),
            Action::Delete => ("删除后一个字", "delete forward"),
            Action::CursorLeft => ("左移光标 / 上一个选项", "cursor left / previous choice"),
            Action::CursorRight => ("右移光标 / 下一个选项", "cursor right / next choice"),
            Action::CursorHome => ("到行首", "to the start"),
            Action::CursorEnd => ("到行尾", "to the end"),
            Action::SearchAccept => ("到列表", "to the list"),
            Action::SearchCancel => ("取消搜索", "cancel search"),
            Action::NextTier => ("下一等级", "next tier"),
            Action::PrevTier => ("上一等级", "previous tier"),
            Action::CycleSort => ("排序方式", "sort order"),
            Action::PickClass => ("按班级筛选", "filter by class"),
            Action::PickStaff => ("按教师筛选", "filter by teacher"),
            Action::ClearFilters => ("清除筛选", "clear filters"),
            Action::Notice => (
                "预警通知书：预览；再按一次批准并编号",
                "warning notice: preview; again to approve and number it",
            ),
            Action::OverdueOnly => (
                "只看有逾期跟进的学生",
                "only students with something overdue",
            ),
            Action::LogContact => ("记录一次联系（谈话等）", "log a contact (talk …)"),
            Action::Schedule => ("安排谈话日程", "schedule talks"),
            Action::Agenda => (
                "待办：逾期、今天、本周",
                "agenda: overdue, today, this week",
            ),
            Action::Report => ("帮扶效果分析（图表）", "term-end analysis (charts)"),
            Action::NextField => ("下一项", "next field"),
            Action::PrevField => ("上一项", "previous field"),
            Action::Save => ("保存", "save"),
            Action::Yes => ("放弃", "discard"),
            Action::No => ("继续编辑", "keep editing"),
        };
        lang.pick(zh, en)
    }

    /// A shorter label for the footer, where space is tight.
    pub fn short_label(self, lang: Lang) -> &'static str {
        match self {
            Action::Search => lang.pick("搜索", "search"),
            Action::NextTier => lang.pick("等级", "tier"),
            Action::CycleSort => lang.pick("排序", "sort"),
            Action::PickClass => lang.pick("班级", "class"),
            Action::PickStaff => lang.pick("教师", "teacher"),
            Action::SearchAccept => lang.pick("列表", "list"),
            Action::SearchCancel => lang.pick("取消", "cancel"),
            Action::PageDown => lang.pick("翻页", "page"),
            Action::OverdueOnly => lang.pick("逾期", "overdue"),
            Action::LogContact => lang.pick("记录", "log"),
            Action::Schedule => lang.pick("日程", "schedule"),
            Action::Agenda => lang.pick("待办", "agenda"),
            Action::Report => lang.pick("分析", "report"),
            Action::Notice => lang.pick("通知书", "notice"),
            Action::CursorRight => lang.pick("选择", "choose"),
            Action::NextField => lang.pick("下一项", "next"),
            other => other.label(lang),
        }
    }
}
