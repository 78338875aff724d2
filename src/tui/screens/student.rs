//! The student page: who they are and whom to call, the tier with every reason, follow-up
//! schedules with their state, failed courses with every sitting, tier history, and the
//! contact log (newest first). `l` logs a contact, `s` schedules talks.
//! The header shows at once from the roster row; the rest arrives from the loader.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::policy::CourseOutcome;
use crate::text::{self, Align};

use super::super::action::Action;
use super::super::data::{RosterEntry, StudentDetail, WriteOp, sanitize_detail};
use super::super::forms::state_text;
use super::super::i18n::{Lang, Msg};
use super::super::labels;
use super::super::roster_data::RosterData;
use super::super::theme::Theme;
use super::super::widgets::table::{Column, header_line, row_line, solve_widths};
use super::{Open, Outcome};

const INDENT: &str = "  ";
const WHEEL_ROWS: usize = 3;

pub struct StudentScreen {
    id: String,
    entry: RosterEntry,
    data: Arc<RosterData>,
    detail: Option<StudentDetail>,
    /// The source no longer knows this student.
    gone: bool,
    lines: Vec<Line<'static>>,
    /// `n`: the notice as plain text, shown instead of the page until `Esc`.
    preview: Option<Vec<Line<'static>>>,
    offset: usize,
    page: usize,
}

impl StudentScreen {
    pub fn new(entry: &RosterEntry, data: Arc<RosterData>) -> StudentScreen {
        StudentScreen {
            id: entry.student.student_id.clone(),
            entry: entry.clone(),
            data,
            detail: None,
            gone: false,
            lines: Vec::new(),
            preview: None,
            offset: 0,
            page: 1,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn has_detail(&self) -> bool {
        self.detail.is_some()
    }

    /// The loader's answer; a refresh keeps the scroll position.
    pub fn set_detail(&mut self, detail: Option<StudentDetail>) {
        match detail {
            Some(mut d) => {
                sanitize_detail(&mut d);
                self.detail = Some(d);
                self.gone = false;
                // An approval reloads the page: the preview shows the number it was given.
                if self.preview.is_some() {
                    self.preview = self.preview_lines();
                }
            }
            None => self.gone = true,
        }
    }

    pub fn set_data(&mut self, data: Arc<RosterData>) {
        if let Some(e) = data
            .snapshot
            .entries
            .iter()
            .find(|e| e.student.student_id == self.id)
        {
            self.entry = e.clone();
        }
        self.data = data;
    }

    fn shown(&self) -> &[Line<'static>] {
        self.preview.as_deref().unwrap_or(&self.lines)
    }

    /// The notice preview's lines: a hint, then the notice as plain text.
    fn preview_lines(&self) -> Option<Vec<Line<'static>>> {
        let text = self.detail.as_ref()?.notice.as_deref()?;
        let hint = "n 批准并编号 / approve · Esc 返回 / back";
        Some(
            std::iter::once(Line::from(hint.to_string()))
                .chain(
                    text.lines()
                        .map(|l| Line::from(text::sanitize(l).into_owned())),
                )
                .collect(),
        )
    }

    pub fn update(&mut self, action: Action) -> Outcome {
        let max = self.shown().len().saturating_sub(self.page);
        let to = match action {
            Action::Back if self.preview.is_some() => {
                self.preview = None;
                self.offset = 0;
                return Outcome::Consumed;
            }
            Action::Notice if self.preview.is_some() => {
                return Outcome::Write(WriteOp::ApproveNotice(self.id.clone()));
            }
            Action::Notice => {
                self.preview = self.preview_lines();
                self.offset = 0;
                return if self.preview.is_some() {
                    Outcome::Consumed
                } else {
                    Outcome::Ignored
                };
            }
            Action::Back => return Outcome::Close,
            Action::LogContact => {
                return Outcome::Open(Open::LogContact {
                    student: self.id.clone(),
                    schedule: None,
                });
            }
            Action::Schedule => {
                return Outcome::Open(Open::Schedule {
                    student: self.id.clone(),
                });
            }
            Action::Agenda => return Outcome::Open(Open::Agenda),
            Action::Down => self.offset + 1,
            Action::Up => self.offset.saturating_sub(1),
            Action::ScrollDown => self.offset + WHEEL_ROWS,
            Action::ScrollUp => self.offset.saturating_sub(WHEEL_ROWS),
            Action::PageDown => self.offset + self.page,
            Action::PageUp => self.offset.saturating_sub(self.page),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return Outcome::Ignored,
        };
        self.offset = to.min(max);
        Outcome::Consumed
    }

    /// Lays the page out for `area` (on open, resize, new data).
    pub fn rebuild(&mut self, area: Rect, lang: Lang, theme: &Theme) {
        self.page = usize::from(area.height).max(1);
        self.lines = Page {
            s: self,
            lang,
            theme,
            width: usize::from(area.width),
        }
        .lines();
        self.offset = self.offset.min(self.lines.len().saturating_sub(self.page));
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let height = usize::from(area.height);
        // More below: the last row says how much, at the right, so the page never looks
        // complete when it is not. Drawn over text it would cut it (`逾↓ 17`): when the last
        // line has no room for it, that line waits for the next page.
        let more = self.shown().len() > self.offset + height;
        let mark_w = |below: usize| text::width(&format!(" ↓ {below} "));
        let last_fits = height
            .checked_sub(1)
            .and_then(|i| self.shown().get(self.offset + i))
            .is_some_and(|l| {
                let below = self.shown().len() - self.offset - height;
                let content: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                text::width(content.trim_end()) + mark_w(below) <= usize::from(area.width)
            });
        let shown = if more && !last_fits {
            height.saturating_sub(1)
        } else {
            height
        };
        let buf = frame.buffer_mut();
        for (i, line) in self
            .shown()
            .iter()
            .skip(self.offset)
            .take(shown)
            .enumerate()
        {
            buf.set_line(area.x, area.y + i as u16, line, area.width);
        }
        let below = self.shown().len().saturating_sub(self.offset + shown);
        if more && area.height > 0 {
            let mark = format!(" ↓ {below} ");
            let w = u16::try_from(text::width(&mark))
                .unwrap_or(0)
                .min(area.width);
            let at = Rect {
                x: area.right() - w,
                y: area.bottom() - 1,
                width: w,
                height: 1,
            };
            frame.render_widget(Line::styled(mark, theme.key), at);
        }
    }
}

/// Builds the page's lines for one width.
struct Page<'a> {
    s: &'a StudentScreen,
    lang: Lang,
    theme: &'a Theme,
    width: usize,
}

impl Page<'_> {
    fn lines(&self) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        self.header(&mut out);
        self.tier(&mut out);
        self.schedules(&mut out);
        if self.s.gone {
            out.push(Line::styled(
                Msg::StudentGone.text(self.lang),
                self.theme.error,
            ));
        }
        match &self.s.detail {
            Some(d) => {
                self.courses(d, &mut out);
                self.history(d, &mut out);
                self.contacts(d, &mut out);
            }
            None if !self.s.gone => {
                out.push(Line::styled(Msg::Loading.text(self.lang), self.theme.muted))
            }
            None => {}
        }
        out
    }

    fn fit(&self, s: &str) -> String {
        text::ellipsize(s, self.width).into_owned()
    }

    /// `▲ 红色预警` in the tier's style, or `未预警` muted.
    fn tier_span(
        &self,
        tier: Option<usize>,
        policy: Option<&crate::policy::Policy>,
        n: usize,
    ) -> Span<'static> {
        match (tier, policy) {
            (Some(t), Some(p)) => Span::styled(
                format!(
                    "{} {}",
                    self.theme.tier_symbol(t, n),
                    labels::tier_name(p, t, self.lang)
                ),
                self.theme.tier(t, n),
            ),
            _ => Span::styled(Msg::NoWarning.text(self.lang), self.theme.muted),
        }
    }

    fn section(&self, out: &mut Vec<Line<'static>>, title: String) {
        out.push(Line::raw(""));
        out.push(Line::styled(self.fit(&title), self.theme.title));
    }

    fn header(&self, out: &mut Vec<Line<'static>>) {
        let st = self
            .s
            .detail
            .as_ref()
            .map_or(&self.s.entry.student, |d| &d.student);
        let l = self.lang;
        let mut first = vec![st.name.as_str(), st.student_id.as_str(), st.class.as_str()];
        first.retain(|s| !s.is_empty());
        out.push(Line::styled(self.fit(&first.join("  ")), self.theme.title));
        let pairs = |items: &[(Msg, String)]| {
            items
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(m, v)| format!("{} {}", m.text(l), v.trim()))
                .collect::<Vec<_>>()
                .join("   ")
        };
        let lines = [
            pairs(&[
                (Msg::Major, st.major.clone()),
                (Msg::Phone, st.phone.clone()),
            ]),
            pairs(&[(Msg::Parent, format!("{} {}", st.parent, st.parent_phone))]),
            pairs(&[
                (Msg::ClassTeacher, st.class_teacher.clone()),
                (Msg::Counsellor, st.counsellor.clone()),
            ]),
        ];
        for line in lines.iter().filter(|s| !s.is_empty()) {
            out.push(Line::raw(self.fit(line)));
        }
    }

    fn tier(&self, out: &mut Vec<Line<'static>>) {
        let l = self.lang;
        let eval = self
            .s
            .detail
            .as_ref()
            .map_or(&self.s.entry.eval, |d| &d.eval);
        let policy = self.s.data.snapshot.policy.as_ref();
        let n = self.s.data.tier_count();
        self.section(out, format!("{} {}", Msg::WarningFor.text(l), eval.term));
        let mut spans = vec![
            Span::raw(INDENT),
            self.tier_span(eval.tier_index, policy, n),
        ];
        for s in &eval.status {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                labels::status_name(policy, s, l),
                self.theme.warning,
            ));
        }
        if eval.carried {
            spans.push(Span::styled(
                format!("  ({})", Msg::Carried.text(l)),
                self.theme.muted,
            ));
        }
        if let Some(on) = self.s.detail.as_ref().and_then(|d| d.confirmed.as_deref()) {
            spans.push(Span::styled(
                format!(
                    "  {}{on}",
                    l.pick("学生已确认名单 ", "entry confirmed by the student ")
                ),
                self.theme.muted,
            ));
        }
        out.push(Line::from(spans));
        for r in eval.reasons.iter().chain(&eval.status_reasons) {
            let mut t = format!("{INDENT}· {}", crate::policy::explain::reason_summary(r, l));
            if let Some(p) = policy
                && let Some(i) = p.tiers.iter().position(|x| x.id == r.tier)
            {
                t.push_str(&format!(" — {}", labels::tier_short(p, i, l)));
            } else if !r.tier.is_empty() {
                t.push_str(&format!(" — {}", labels::status_name(policy, &r.tier, l)));
            }
            out.push(Line::raw(self.fit(&t)));
            // The seed's words and each course's sittings, so the arithmetic can be checked.
            for d in crate::policy::explain::reason_details(r, l) {
                out.push(Line::styled(
                    self.fit(&format!("{INDENT}    {d}")),
                    self.theme.muted,
                ));
            }
        }
    }

    fn schedules(&self, out: &mut Vec<Line<'static>>) {
        let l = self.lang;
        if let Some(why) = &self.s.entry.exempt {
            self.section(out, Msg::Schedules.text(l).to_string());
            out.push(Line::styled(
                self.fit(&format!(
                    "{INDENT}{}{}{why}",
                    Msg::ExemptFrom.text(l),
                    l.pick("：", ": ")
                )),
                self.theme.warning,
            ));
            return;
        }
        let mine: Vec<_> = self.s.data.schedules_of(&self.s.id).collect();
        self.section(out, format!("{} ({})", Msg::Schedules.text(l), mine.len()));
        if mine.is_empty() {
            out.push(Line::styled(
                format!("{INDENT}{}", Msg::NoSchedules.text(l)),
                self.theme.muted,
            ));
            return;
        }
        for v in mine {
            let s = &v.schedule;
            let state = state_text(v, l);
            let what = format!(
                "{INDENT}{} · {} · {} {}",
                crate::i18n::obligation(l, s),
                s.cadence.describe(l == Lang::Zh),
                Msg::Since.text(l),
                s.from.format("%Y-%m-%d"),
            );
            let room = self.width.saturating_sub(text::width(&state) + 2);
            let style = if v.status.overdue {
                self.theme.overdue
            } else {
                self.theme.muted
            };
            out.push(Line::from(vec![
                Span::raw(text::fit(&what, room, Align::Left)),
                Span::raw("  "),
                Span::styled(state, style),
            ]));
        }
    }

    fn courses(&self, d: &StudentDetail, out: &mut Vec<Line<'static>>) {
        let l = self.lang;
        let failed: Vec<&CourseOutcome> = d.courses.iter().filter(|c| c.ever_failed).collect();
        self.section(
            out,
            format!("{} ({})", Msg::FailedCourses.text(l), failed.len()),
        );
        if failed.is_empty() {
            out.push(Line::styled(
                format!("{INDENT}{}", Msg::NoFailedCourses.text(l)),
                self.theme.muted,
            ));
            return;
        }
        let spec = [
            (Msg::CourseCode, Constraint::Length(9), Align::Left),
            (Msg::CourseName, Constraint::Min(8), Align::Left),
            (Msg::Term, Constraint::Length(11), Align::Left),
            (Msg::Credits, Constraint::Length(4), Align::Right),
            (Msg::Nature, Constraint::Length(8), Align::Left),
            (Msg::Regular, Constraint::Length(6), Align::Left),
            (Msg::Makeup, Constraint::Length(6), Align::Left),
            (Msg::Retake, Constraint::Length(6), Align::Left),
            (Msg::CourseState, Constraint::Length(7), Align::Left),
        ];
        let columns = self.columns(&spec);
        out.push(self.indented(header_line(&columns, self.theme.header)));
        for c in failed {
            let (state, style) = match c.passed_so_far {
                Some(false) => (Msg::Outstanding, self.theme.error),
                Some(true) => (Msg::Cleared, self.theme.ok),
                None => (Msg::Pending, self.theme.muted),
            };
            let nature = c.nature.as_ref().map_or(String::new(), |n| match l {
                Lang::Zh => n.label_zh().to_string(),
                Lang::En => n.id().replace('_', " "),
            });
            let opt = |s: &Option<String>| s.clone().unwrap_or_default();
            let cells = vec![
                (c.code.clone(), Style::new()),
                (c.name.clone(), Style::new()),
                (c.term.to_string(), Style::new()),
                (labels::number(c.credits), Style::new()),
                (nature, Style::new()),
                (opt(&c.regular), Style::new()),
                (opt(&c.makeup), Style::new()),
                (opt(&c.retake), Style::new()),
                (state.text(l).to_string(), style),
            ];
            out.push(self.indented(row_line(&columns, cells, Style::new())));
        }
    }

    fn history(&self, d: &StudentDetail, out: &mut Vec<Line<'static>>) {
        let l = self.lang;
        self.section(out, Msg::History.text(l).to_string());
        if d.history.is_empty() {
            out.push(Line::styled(
                format!("{INDENT}{}", Msg::NoHistory.text(l)),
                self.theme.muted,
            ));
            return;
        }
        let policy = self.s.data.snapshot.policy.as_ref();
        let n = self.s.data.tier_count();
        let mut history: Vec<_> = d.history.iter().collect();
        history.sort_by_key(|h| h.term);
        for h in history {
            let mut spans = vec![
                Span::raw(format!("{INDENT}{}  ", h.term)),
                self.tier_span(h.tier_index, policy, n),
            ];
            for s in &h.status {
                spans.push(Span::styled(
                    format!("  {}", labels::status_name(policy, s, l)),
                    self.theme.warning,
                ));
            }
            if h.carried {
                spans.push(Span::styled(
                    format!("  ({})", Msg::Carried.text(l)),
                    self.theme.muted,
                ));
            }
            for w in &h.issued {
                spans.push(Span::styled(issued_mark(w, l), self.theme.muted));
            }
            out.push(Line::from(spans));
        }
    }

    fn contacts(&self, d: &StudentDetail, out: &mut Vec<Line<'static>>) {
        let l = self.lang;
        self.section(
            out,
            format!("{} ({})", Msg::Contacts.text(l), d.contacts.len()),
        );
        if d.contacts.is_empty() {
            out.push(Line::styled(
                format!("{INDENT}{}", Msg::NoContacts.text(l)),
                self.theme.muted,
            ));
            return;
        }
        let mut contacts: Vec<_> = d.contacts.iter().collect();
        contacts.sort_by_key(|c| std::cmp::Reverse(c.at));
        let wrap_at = self.width.saturating_sub(2 * INDENT.len()).max(10);
        for c in contacts {
            let who: Vec<&str> = [c.author.as_str(), c.role.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            let what: Vec<&str> = [c.with_whom.as_str(), c.channel.as_str(), c.kind.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            let when = c.at.format("%Y-%m-%d %H:%M").to_string();
            let room = self.width.saturating_sub(INDENT.len() + text::width(&when));
            let head = format!("  {}  {}", who.join(" "), what.join(" · "));
            let head = text::ellipsize(&head, room).into_owned();
            out.push(Line::from(vec![
                Span::raw(INDENT),
                Span::styled(when, self.theme.key),
                Span::raw(head),
            ]));
            for part in text::wrap(&c.summary, wrap_at) {
                out.push(Line::raw(format!("{INDENT}{INDENT}{part}")));
            }
        }
    }

    fn columns(&self, spec: &[(Msg, Constraint, Align)]) -> Vec<Column> {
        let constraints: Vec<Constraint> = spec.iter().map(|s| s.1).collect();
        let avail = u16::try_from(self.width.saturating_sub(INDENT.len())).unwrap_or(u16::MAX);
        spec.iter()
            .zip(solve_widths(&constraints, avail))
            .map(|((m, _, align), w)| Column {
                title: m.text(self.lang).to_string(),
                width: w,
                align: *align,
            })
            .collect()
    }

    fn indented(&self, line: Line<'static>) -> Line<'static> {
        let mut spans = vec![Span::raw(INDENT)];
        spans.extend(line.spans);
        Line::from(spans)
    }
}

/// One issue of a term on the history line: the date, the change it recorded, a withdrawal.
fn issued_mark(w: &crate::db::WarningRecord, l: crate::locale::Lang) -> String {
    let mut s = format!("  {} {}", l.pick("下发", "issued"), w.issued_on);
    if let Some(c) = w.change {
        s.push_str(&format!(" [{}]", c.label(l)));
    }
    if let Some((on, reason, _)) = &w.withdrawn {
        s.push_str(&format!(
            " {} {on}: {reason}",
            l.pick("已撤回", "withdrawn")
        ));
    }
    s
}

#[cfg(test)]
mod issued_tests {
    use super::*;
    use crate::locale::Lang;
    use crate::model::Change;

    #[test]
    fn an_issue_shows_its_change_and_its_withdrawal() {
        let d = |s: &str| s.parse().unwrap();
        let mut w = crate::db::WarningRecord {
            term: "2024-2025-2".parse().unwrap(),
            tier: "red".into(),
            issued_on: d("2025-09-08"),
            change: Some(Change::Up),
            withdrawn: None,
        };
        assert_eq!(issued_mark(&w, Lang::En), "  issued 2025-09-08 [up]");
        w.withdrawn = Some((d("2025-09-10"), "wrong file".into(), "t".into()));
        assert_eq!(
            issued_mark(&w, Lang::Zh),
            "  下发 2025-09-08 [升级] 已撤回 2025-09-10: wrong file"
        );
    }
}
