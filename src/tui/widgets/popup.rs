//! Clearing the area a popup is drawn over.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::widgets::Clear;
use unicode_width::UnicodeWidthStr;

/// A `width` × `height` rectangle centred in `area` (clipped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    r
}

/// Clears `area` for a popup. A wide character (Chinese) just left of the popup spills into
/// its first column; ratatui's diff then skips that column as the character's second half,
/// and the popup's left border never reaches the terminal. Blank such characters first.
pub fn clear(frame: &mut Frame, area: Rect) {
    let buf = frame.buffer_mut();
    if area.x > buf.area.x {
        for y in area.top()..area.bottom() {
            if let Some(cell) = buf.cell_mut((area.x - 1, y))
                && cell.symbol().width() > 1
            {
                cell.set_symbol(" ");
            }
        }
    }
    frame.render_widget(Clear, area);
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::{Block, Paragraph};

    use super::*;

    #[test]
    fn a_wide_character_left_of_the_popup_does_not_eat_its_border() {
        let mut t = Terminal::new(TestBackend::new(8, 1)).unwrap();
        t.draw(|f| f.render_widget(Paragraph::new("预警预警"), f.area()))
            .unwrap();
        t.draw(|f| {
            f.render_widget(Paragraph::new("预警预警"), f.area());
            let area = Rect::new(1, 0, 6, 1);
            clear(f, area);
            f.render_widget(Block::new().title("│ab"), area);
        })
        .unwrap();
        let line: String = (0..8)
            .map(|x| t.backend().buffer()[(x, 0)].symbol().to_string())
            .collect();
        // 预 at column 0 was blanked, so the border at column 1 is drawn, not skipped as its
        // second half.
        assert_eq!(line, " │ab    ");
    }
}
