//! A table that builds only the rows on screen (50,000 rows cost the same as 20), with cells
//! cut by display width and ended with `…`, so CJK text never spills into the next column.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::text::{self, Align};

#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub width: u16,
    pub align: Align,
}

/// One cell: text (already sanitised) and its style.
pub type Cell = (String, Style);

/// Column widths for `total` columns from constraints, one space between columns.
pub fn solve_widths(constraints: &[Constraint], total: u16) -> Vec<u16> {
    let area = Rect::new(0, 0, total, 1);
    Layout::horizontal(constraints.iter().copied())
        .spacing(1)
        .split(area)
        .iter()
        .map(|r| r.width)
        .collect()
}

/// How wide a column wants to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Width {
    pub min: u16,
    pub pref: u16,
    /// Takes a share of any width left once every column has its preferred width.
    pub fill: bool,
    /// Columns reach their preferred width in this order (lowest first).
    pub rank: u8,
}

impl Width {
    pub const fn fixed(w: u16) -> Width {
        Width {
            min: w,
            pref: w,
            fill: false,
            rank: 0,
        }
    }
}

/// Widths for columns separated by one space within `total`: every column gets its minimum,
/// then its preferred width (by rank), then fill columns share the rest. None when even the
/// minimums do not fit (the caller drops a column and asks again).
pub fn allocate(specs: &[Width], total: u16) -> Option<Vec<u16>> {
    let gaps = u16::try_from(specs.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let need: u32 = specs.iter().map(|s| u32::from(s.min)).sum::<u32>() + u32::from(gaps);
    let mut left = u32::from(total).checked_sub(need)?;
    let mut widths: Vec<u16> = specs.iter().map(|s| s.min).collect();
    let mut by_rank: Vec<usize> = (0..specs.len()).collect();
    by_rank.sort_by_key(|&i| specs[i].rank);
    for i in by_rank {
        let s = specs[i];
        let grow = u32::from(s.pref.saturating_sub(s.min)).min(left);
        widths[i] += grow as u16;
        left -= grow;
    }
    let fills = specs.iter().filter(|s| s.fill).count() as u32;
    if let (Some(each), Some(rest)) = (left.checked_div(fills), left.checked_rem(fills)) {
        let mut first = true;
        for (w, _) in widths.iter_mut().zip(specs).filter(|(_, s)| s.fill) {
            // The first fill column takes the remainder of an uneven split.
            let share = each + if first { rest } else { 0 };
            *w = w.saturating_add(u16::try_from(share).unwrap_or(u16::MAX));
            first = false;
        }
    }
    Some(widths)
}

/// The first row to show so that `selected` is visible, moving as little as possible from
/// `offset` (the previous first row).
pub fn scroll_offset(offset: usize, selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len == 0 {
        return 0;
    }
    let max = len.saturating_sub(height);
    let offset = offset.min(max);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        (selected + 1 - height).min(max)
    } else {
        offset
    }
}

/// A row as a line: each cell fitted to its column, one space between.
pub fn row_line(columns: &[Column], cells: Vec<Cell>, base: Style) -> Line<'static> {
    let mut spans = Vec::with_capacity(columns.len() * 2);
    for (i, (col, (text, style))) in columns.iter().zip(cells).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" ", base));
        }
        spans.push(Span::styled(
            text::fit(&text, usize::from(col.width), col.align),
            base.patch(style),
        ));
    }
    Line::from(spans)
}

/// The header line.
pub fn header_line(columns: &[Column], style: Style) -> Line<'static> {
    row_line(
        columns,
        columns
            .iter()
            .map(|c| (c.title.clone(), Style::new()))
            .collect(),
        style,
    )
}

pub struct VisibleTable<'a> {
    pub columns: &'a [Column],
    pub len: usize,
    pub selected: Option<usize>,
    pub offset: usize,
    pub header: Style,
    pub row: Style,
    pub selected_row: Style,
    /// Drawn before the selected row; its width is reserved on every row.
    pub marker: &'a str,
}

impl VisibleTable<'_> {
    /// Renders the header and the visible rows; `cells(i)` is called only for those rows.
    pub fn render(&self, area: Rect, buf: &mut Buffer, cells: impl Fn(usize) -> Vec<Cell>) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let marker_w = u16::try_from(text::width(self.marker) + 1).unwrap_or(2);
        let body_x = area.x + marker_w.min(area.width);
        let body_w = area.width.saturating_sub(marker_w);
        buf.set_style(Rect { height: 1, ..area }, self.header);
        buf.set_line(
            body_x,
            area.y,
            &header_line(self.columns, self.header),
            body_w,
        );
        let height = usize::from(area.height - 1);
        let offset = scroll_offset(self.offset, self.selected.unwrap_or(0), self.len, height);
        for (n, i) in (offset..self.len.min(offset + height)).enumerate() {
            let y = area.y + 1 + n as u16;
            let selected = self.selected == Some(i);
            let style = if selected {
                self.row.patch(self.selected_row)
            } else {
                self.row
            };
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                style,
            );
            if selected {
                buf.set_stringn(area.x, y, self.marker, usize::from(marker_w), style);
            }
            buf.set_line(body_x, y, &row_line(self.columns, cells(i), style), body_w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_moves_only_when_selection_leaves_the_window() {
        assert_eq!(scroll_offset(0, 5, 100, 10), 0);
        assert_eq!(scroll_offset(0, 10, 100, 10), 1);
        assert_eq!(scroll_offset(20, 5, 100, 10), 5);
        assert_eq!(scroll_offset(95, 99, 100, 10), 90);
        assert_eq!(scroll_offset(3, 0, 2, 10), 0);
    }

    #[test]
    fn allocate_gives_minimums_then_preferences_then_fill() {
        let specs = [
            Width::fixed(4),
            Width {
                min: 4,
                pref: 8,
                fill: false,
                rank: 2,
            },
            Width {
                min: 6,
                pref: 10,
                fill: true,
                rank: 1,
            },
        ];
        assert_eq!(allocate(&specs, 16), Some(vec![4, 4, 6]));
        assert_eq!(allocate(&specs, 20), Some(vec![4, 4, 10]));
        assert_eq!(allocate(&specs, 24), Some(vec![4, 8, 10]));
        assert_eq!(allocate(&specs, 30), Some(vec![4, 8, 16]));
        assert_eq!(allocate(&specs, 15), None);
    }

    #[test]
    fn cells_are_cut_to_their_column() {
        let cols = [
            Column {
                title: "姓名".into(),
                width: 5,
                align: Align::Left,
            },
            Column {
                title: "学分".into(),
                width: 3,
                align: Align::Right,
            },
        ];
        let line = row_line(
            &cols,
            vec![
                ("欧阳清白".into(), Style::new()),
                ("4".into(), Style::new()),
            ],
            Style::new(),
        );
        let s: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(s, "欧阳…   4");
        assert_eq!(text::width(&s), 9);
    }

    #[test]
    fn only_visible_rows_are_built() {
        let cols = [Column {
            title: "n".into(),
            width: 6,
            align: Align::Left,
        }];
        let calls = std::cell::Cell::new(0);
        let t = VisibleTable {
            columns: &cols,
            len: 50_000,
            selected: Some(25_000),
            offset: 0,
            header: Style::new(),
            row: Style::new(),
            selected_row: Style::new(),
            marker: ">",
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 6));
        t.render(buf.area, &mut buf, |i| {
            calls.set(calls.get() + 1);
            vec![(i.to_string(), Style::new())]
        });
        assert_eq!(calls.get(), 5);
        let last: String = (0..10).map(|x| buf[(x, 5)].symbol().to_string()).collect();
        assert_eq!(last, "> 25000   ");
    }
}
