//! What to show instead of a roster: still loading, an empty database, no policy chosen, a
//! chosen policy that cannot be read, no grades yet. Each says what to type next; none is
//! ever blank.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::text;

use super::super::i18n::{Lang, Msg};
use super::super::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmptyKind {
    /// The first load; with (evaluated, total) once the source says how far it is.
    Loading(Option<(usize, usize)>),
    NoStudents,
    NoPolicy,
    /// A policy is chosen but does not parse or validate: why, as the engine says it.
    BadPolicy(String),
    NoGrades,
}

pub fn draw(kind: &EmptyKind, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
    let cmd = |s: &str| Line::styled(format!("  {s}"), theme.key);
    let mut lines: Vec<Line> = match kind {
        EmptyKind::Loading(None) => vec![Line::styled(Msg::Loading.text(lang), theme.muted)],
        EmptyKind::Loading(Some((done, total))) => vec![Line::styled(
            super::super::i18n::evaluating(lang, *done, *total),
            theme.muted,
        )],
        EmptyKind::NoStudents => vec![
            Line::styled(Msg::EmptyTitle.text(lang), theme.title),
            Line::raw(""),
            Line::raw(Msg::EmptyIntro.text(lang)),
            cmd("yujing import students FILE"),
            cmd("yujing import grades FILE"),
            Line::raw(""),
            Line::raw(Msg::EmptyThen.text(lang)),
            cmd("yujing policy list"),
            cmd("yujing policy use ID"),
            cmd("yujing"),
        ],
        EmptyKind::NoPolicy => vec![
            Line::styled(Msg::NoPolicyTitle.text(lang), theme.title),
            Line::raw(""),
            Line::raw(Msg::NoPolicyIntro.text(lang)),
            cmd("yujing policy list"),
            cmd("yujing policy use ID"),
        ],
        EmptyKind::BadPolicy(why) => {
            let mut lines = vec![
                Line::styled(Msg::BadPolicyTitle.text(lang), theme.title),
                Line::raw(""),
            ];
            lines.extend(
                why.lines()
                    .map(|l| Line::styled(l.to_string(), theme.error)),
            );
            lines.push(Line::raw(""));
            lines.push(Line::raw(Msg::BadPolicyIntro.text(lang)));
            lines.push(cmd("yujing policy list"));
            lines.push(cmd("yujing policy use ID"));
            lines
        }
        EmptyKind::NoGrades => vec![
            Line::styled(Msg::NoTermTitle.text(lang), theme.title),
            Line::raw(""),
            Line::raw(Msg::NoTermIntro.text(lang)),
            cmd("yujing import grades FILE"),
        ],
    };
    if !matches!(kind, EmptyKind::Loading(_)) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(Msg::RefreshNote.text(lang), theme.muted));
    }
    let width = lines.iter().map(Line::width).max().unwrap_or(0);
    // Cut rather than wrap: a command broken over two lines is harder to copy.
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            let style = l.style;
            let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            Line::styled(
                text::ellipsize(&s, usize::from(area.width)).into_owned(),
                style,
            )
        })
        .collect();
    let h = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let w = u16::try_from(width).unwrap_or(u16::MAX).min(area.width);
    let r = crate::tui::widgets::popup::centered(area, w, h);
    frame.render_widget(Paragraph::new(lines), r);
}
