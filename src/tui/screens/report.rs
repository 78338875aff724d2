//! `r`: the term-end analysis as bar charts — how the last issued term's warnings turned out,
//! by tier, and how each counsellor's obligations were kept. The figures are computed by the
//! loader (they need a second term's evaluation); the screen only draws them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block};

use crate::analysis::Change;
use crate::analysis::effect::{Group, tier_name};
use crate::text;

use super::super::action::Action;
use super::super::data::ReportData;
use super::super::i18n::Lang;
use super::super::theme::Theme;
use super::Outcome;

/// The outcomes drawn for each tier: the four that say whether the help worked.
const SHOWN: [Change; 4] = [Change::Lifted, Change::Down, Change::Same, Change::Up];

pub enum ReportScreen {
    Loading,
    /// Nothing to analyse yet, or why it failed.
    Empty(String),
    Ready(Box<ReportData>),
}

impl ReportScreen {
    pub fn update(&mut self, action: Action) -> Outcome {
        match action {
            Action::Back => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }

    pub fn set(&mut self, r: Result<Option<Box<ReportData>>, String>, lang: Lang) {
        *self = match r {
            Ok(Some(d)) => ReportScreen::Ready(d),
            Ok(None) => ReportScreen::Empty(
                lang.pick(
                    "还没有可分析的学期：先 `yujing issue` 下发预警，再导入下一学期成绩",
                    "nothing to analyse yet: issue a term's warnings, then import the next term's grades",
                )
                .to_string(),
            ),
            Err(e) => ReportScreen::Empty(e),
        };
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
        let block = Block::bordered()
            .border_style(theme.border)
            .title(format!(
                " {} ",
                lang.pick("帮扶效果分析", "Term-end analysis")
            ))
            .title_style(theme.title);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let (a, policy) = match self {
            ReportScreen::Loading => {
                frame.render_widget(
                    Line::styled(lang.pick("计算中…", "computing…"), theme.muted),
                    inner,
                );
                return;
            }
            ReportScreen::Empty(msg) => {
                frame.render_widget(
                    Line::styled(
                        text::ellipsize(msg, usize::from(inner.width)).into_owned(),
                        theme.muted,
                    ),
                    inner,
                );
                return;
            }
            ReportScreen::Ready(d) => (&d.0, &d.1),
        };
        let [head, top, bottom] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let t = &a.total;
        let summary = format!(
            "{} → {} · {} {} · {} {} · {} {}/{}/{}",
            a.term,
            a.against,
            lang.pick("预警", "warned"),
            t.warned,
            Change::Lifted.label(lang),
            t.count(Change::Lifted),
            lang.pick("义务 按时/逾期/未完成", "obligations on time/late/missed"),
            t.obligations.on_time,
            t.obligations.late,
            t.obligations.missed,
        );
        let legend = |items: &[(&str, Style)]| -> Line<'static> {
            Line::from(
                items
                    .iter()
                    .flat_map(|(l, s)| {
                        let l = l.to_string();
                        let key = l.chars().next().map(String::from).unwrap_or_default();
                        [Span::styled(key, *s), Span::raw(format!("={l}  "))]
                    })
                    .collect::<Vec<_>>(),
            )
        };
        frame.render_widget(
            Line::styled(
                text::ellipsize(&summary, usize::from(head.width)).into_owned(),
                theme.header,
            ),
            Rect { height: 1, ..head },
        );
        let styles = [theme.ok, theme.warning, theme.muted, theme.overdue];
        let outcome_legend: Vec<(&str, Style)> = SHOWN
            .iter()
            .zip(styles)
            .map(|(c, s)| (c.label(lang), s))
            .collect();
        let tiers: Vec<BarGroup> = a
            .by_tier
            .iter()
            .map(|g| {
                group(
                    tier_name(policy, &g.key, lang),
                    SHOWN
                        .iter()
                        .zip(styles)
                        .map(|(c, s)| (c.label(lang), g.count(*c), s)),
                )
            })
            .collect();
        chart(
            frame,
            top,
            lang.pick("按等级的结果", "Outcomes by tier"),
            legend(&outcome_legend),
            tiers,
            theme,
        );
        let kept = [
            (lang.pick("按时", "on time"), theme.ok),
            (lang.pick("逾期", "late"), theme.warning),
            (lang.pick("未完成", "missed"), theme.overdue),
        ];
        let counsellors: Vec<BarGroup> = a
            .by_counsellor
            .iter()
            .map(|g: &Group| {
                let o = &g.obligations;
                group(
                    &g.key,
                    kept.iter()
                        .zip([o.on_time, o.late, o.missed])
                        .map(|((l, s), n)| (*l, n, *s)),
                )
            })
            .collect();
        chart(
            frame,
            bottom,
            lang.pick("辅导员的帮扶义务", "Obligations by counsellor"),
            legend(&kept),
            counsellors,
            theme,
        );
    }
}

/// One group of bars; each bar is marked with its label's first character, so the chart
/// reads without colour.
fn group<'a>(label: &str, bars: impl Iterator<Item = (&'a str, u32, Style)>) -> BarGroup<'static> {
    let bars: Vec<Bar<'static>> = bars
        .map(|(l, n, s)| {
            Bar::default()
                .value(u64::from(n))
                .label(Line::from(
                    l.chars().next().map(String::from).unwrap_or_default(),
                ))
                .style(s)
        })
        .collect();
    BarGroup::default()
        .label(Line::from(text::ellipsize(label, 12).into_owned()))
        .bars(&bars)
}

fn chart(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    legend: Line<'static>,
    groups: Vec<BarGroup<'static>>,
    theme: &Theme,
) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Line::from(vec![Span::styled(format!("{title}  "), theme.title)])
            .patch_style(Style::default()),
        head,
    );
    let title_w = u16::try_from(text::width(title) + 2).unwrap_or(u16::MAX);
    if head.width > title_w {
        frame.render_widget(
            legend,
            Rect {
                x: head.x + title_w,
                width: head.width - title_w,
                ..head
            },
        );
    }
    let mut c = BarChart::default()
        .bar_width(3)
        .bar_gap(1)
        .group_gap(3)
        .label_style(theme.muted)
        .value_style(theme.selected);
    for g in groups {
        c = c.data(g);
    }
    frame.render_widget(c, body);
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::analysis::Obligations;
    use crate::analysis::effect::{Analysis, Group};

    fn group(key: &str, lifted: u32, same: u32, kept: (u32, u32, u32)) -> Group {
        let mut g = Group {
            key: key.into(),
            warned: lifted + same,
            obligations: Obligations {
                on_time: kept.0,
                late: kept.1,
                missed: kept.2,
                pending: 0,
            },
            ..Group::default()
        };
        g.changes.insert("lifted", lifted);
        g.changes.insert("same", same);
        g
    }

    #[test]
    fn draws_both_charts_with_their_groups() {
        let policy = crate::policy_file::resolve("hntou").unwrap().0;
        let a = Analysis {
            term: "2024-2025-1".into(),
            against: "2024-2025-2".into(),
            policy: "hntou".into(),
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            total: group("", 3, 2, (4, 1, 2)),
            by_class: vec![],
            by_counsellor: vec![
                group("甲辅导员", 2, 1, (3, 1, 0)),
                group("乙辅导员", 1, 1, (1, 0, 2)),
            ],
            by_tier: vec![
                group("level1", 3, 1, (0, 0, 0)),
                group("level2", 0, 1, (0, 0, 0)),
            ],
            students: vec![],
        };
        let screen = ReportScreen::Ready(Box::new((a, policy)));
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| screen.draw(f, f.area(), Lang::Zh, &Theme::default()))
            .unwrap();
        let text: String = term
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        for want in [
            "帮扶效果分析",
            "按等级的结果",
            "一级预警",
            "二级预警",
            "甲辅导员",
            "乙辅导员",
            "解除 3",
        ] {
            assert!(
                text.replace(' ', "").contains(&want.replace(' ', "")),
                "{want} missing"
            );
        }
    }
}
