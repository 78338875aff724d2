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
    SearchInput(char),
    SearchBackspace,
    SearchClear,
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
            Action::SearchInput(_) => ("输入", "type"),
            Action::SearchBackspace => ("删除一个字", "delete a character"),
            Action::SearchClear => ("清空搜索", "clear the query"),
            Action::SearchAccept => ("到列表", "to the list"),
            Action::SearchCancel => ("取消搜索", "cancel search"),
            Action::NextTier => ("下一等级", "next tier"),
            Action::PrevTier => ("上一等级", "previous tier"),
            Action::CycleSort => ("排序方式", "sort order"),
            Action::PickClass => ("按班级筛选", "filter by class"),
            Action::PickStaff => ("按教师筛选", "filter by teacher"),
            Action::ClearFilters => ("清除筛选", "clear filters"),
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
            other => other.label(lang),
        }
    }
}
