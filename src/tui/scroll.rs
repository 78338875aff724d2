//! A backend that knows about scrolling. ratatui sends the cells that changed since the last
//! frame; when the roster moves one row, that is every visible row, about 1.5 KB a keystroke
//! over SSH. A terminal can move rows itself: set a scroll region (DECSTBM) and scroll it
//! (SU/SD), then only the rows that came into view are drawn.
//!
//! [`ScrollingBackend`] keeps its own copy of what the terminal shows, builds the new frame from
//! ratatui's changes, looks for a block of rows that moved up or down, and sends whichever is
//! shorter: the scroll plus what still differs, or ratatui's own changes. Anything it does not
//! recognise goes through as ratatui sent it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};

/// Fewer changed rows than this are never worth a scroll.
const MIN_ROWS: usize = 3;

/// A block of rows that moved: rows `top..bottom` (0-based, end exclusive) scrolled by `by`
/// rows, up (content moves towards the top) or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    pub top: u16,
    pub bottom: u16,
    pub by: u16,
    pub up: bool,
}

impl Scroll {
    /// The bytes that make a terminal do it: set the region, scroll it, reset the region
    /// (which also homes the cursor; the next draw moves it anyway).
    pub fn sequence(&self) -> String {
        let dir = if self.up { 'S' } else { 'T' };
        format!(
            "\x1b[{};{}r\x1b[{}{dir}\x1b[r",
            self.top + 1,
            self.bottom,
            self.by
        )
    }

    /// Does to `screen` what the terminal does: rows move, the rows left behind go blank.
    pub fn apply(&self, screen: &mut Buffer) {
        let w = usize::from(screen.area.width);
        let (top, bottom, by) = (
            usize::from(self.top),
            usize::from(self.bottom),
            usize::from(self.by),
        );
        let rows = &mut screen.content[top * w..bottom * w];
        let blank = if self.up {
            rows.rotate_left(by * w);
            (bottom - top - by) * w..(bottom - top) * w
        } else {
            rows.rotate_right(by * w);
            0..by * w
        };
        rows[blank].fill(Cell::EMPTY);
    }
}

/// One hash per row, so finding moved rows compares numbers, not cells.
fn row_hashes(b: &Buffer) -> Vec<u64> {
    let w = usize::from(b.area.width).max(1);
    b.content
        .chunks(w)
        .map(|row| {
            let mut h = DefaultHasher::new();
            for c in row {
                c.symbol().hash(&mut h);
                c.fg.hash(&mut h);
                c.bg.hash(&mut h);
                c.modifier.hash(&mut h);
            }
            h.finish()
        })
        .collect()
}

fn row(b: &Buffer, y: usize) -> &[Cell] {
    let w = usize::from(b.area.width);
    &b.content[y * w..(y + 1) * w]
}

/// The scroll that leaves the most rows of `new` already in place on a screen showing `old`
/// (rows that were already right don't count); None when no block of at least [`MIN_ROWS`]
/// changed rows moved. Both buffers have the same area.
pub fn find_scroll(old: &Buffer, new: &Buffer) -> Option<Scroll> {
    let (ho, hn) = (row_hashes(old), row_hashes(new));
    let h = hn.len();
    let changed: Vec<bool> = (0..h)
        .map(|y| ho[y] != hn[y] || row(old, y) != row(new, y))
        .collect();
    if changed.iter().filter(|c| **c).count() < MIN_ROWS {
        return None;
    }
    // (gain, scroll): gain counts changed rows the scroll puts right.
    let mut best: Option<(usize, Scroll)> = None;
    for by in 1..h {
        for up in [true, false] {
            // Row y of the new frame comes from row `from(y)` of the old one.
            let from = |y: usize| if up { y + by } else { y - by };
            let ys = if up { 0..h - by } else { by..h };
            let mut run_start = ys.start;
            let mut gain = 0;
            for y in ys.clone().chain(std::iter::once(ys.end)) {
                let moved = y < ys.end && hn[y] == ho[from(y)] && row(new, y) == row(old, from(y));
                if moved {
                    gain += usize::from(changed[y]);
                    continue;
                }
                if gain > 0 && best.is_none_or(|(g, _)| gain > g) {
                    // The region spans the moved rows and the rows they came from.
                    let (top, bottom) = if up {
                        (run_start, y + by)
                    } else {
                        (run_start - by, y)
                    };
                    let s = Scroll {
                        top: u16::try_from(top).unwrap_or(0),
                        bottom: u16::try_from(bottom).unwrap_or(0),
                        by: u16::try_from(by).unwrap_or(0),
                        up,
                    };
                    best = Some((gain, s));
                }
                run_start = y + 1;
                gain = 0;
            }
        }
    }
    best.filter(|(gain, _)| *gain >= MIN_ROWS).map(|(_, s)| s)
}

/// Counts what it is given and keeps none of it.
struct Tally(Arc<AtomicUsize>);

impl Write for Tally {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Commands queued outside a frame (synchronized updates, mouse modes) go straight through.
impl<W: Write> Write for ScrollingBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

/// Blanks the cells a wide glyph covers. ratatui never sends them, so they would otherwise
/// keep whatever was there before, and a row that moved would not compare equal to itself.
fn cover_hidden_cells(b: &mut Buffer) {
    let w = usize::from(b.area.width).max(1);
    for row in b.content.chunks_mut(w) {
        let mut x = 0;
        while x < row.len() {
            let width = unicode_width::UnicodeWidthStr::width(row[x].symbol()).max(1);
            for hidden in row.iter_mut().skip(x + 1).take(width - 1) {
                *hidden = Cell::EMPTY;
            }
            x += width;
        }
    }
}

/// A crossterm backend that scrolls instead of redrawing when that sends fewer bytes.
pub struct ScrollingBackend<W: Write> {
    inner: CrosstermBackend<W>,
    /// What the terminal shows, as far as this backend has drawn it.
    screen: Buffer,
    /// Measures candidate updates without sending them: bytes written to it go to `probed`.
    probe: CrosstermBackend<Tally>,
    probed: Arc<AtomicUsize>,
    /// Scrolls sent so far (for benches and tests).
    pub scrolls: u64,
}

impl<W: Write> ScrollingBackend<W> {
    /// `size` is the screen's size; ratatui's first frame then draws on a blank screen, as
    /// after entering the alternate screen.
    pub fn new(writer: W, size: Size) -> ScrollingBackend<W> {
        let probed = Arc::new(AtomicUsize::new(0));
        ScrollingBackend {
            inner: CrosstermBackend::new(writer),
            screen: Buffer::empty(Rect::new(0, 0, size.width, size.height)),
            probe: CrosstermBackend::new(Tally(probed.clone())),
            probed,
            scrolls: 0,
        }
    }

    fn encoded_len<'a>(&mut self, cells: impl Iterator<Item = (u16, u16, &'a Cell)>) -> usize {
        self.probed.store(0, Ordering::Relaxed);
        // Counting cannot fail.
        let _ = self.probe.draw(cells);
        self.probed.load(Ordering::Relaxed)
    }

    fn forget_screen(&mut self) -> io::Result<()> {
        let size = self.inner.size()?;
        self.screen = Buffer::empty(Rect::new(0, 0, size.width, size.height));
        Ok(())
    }
}

impl<W: Write> Backend for ScrollingBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let updates: Vec<(u16, u16, &Cell)> = content.collect();
        let area = self.screen.area;
        if updates
            .iter()
            .any(|&(x, y, _)| x >= area.width || y >= area.height)
        {
            // Outside what we know (a resize not yet followed by a clear): send it as is and
            // start again from a blank copy.
            self.inner.draw(updates.into_iter())?;
            return self.forget_screen();
        }
        let mut next = self.screen.clone();
        let mut rows_touched = 0u16;
        let mut last_row = None;
        for &(x, y, cell) in &updates {
            next[(x, y)] = cell.clone();
            if last_row != Some(y) {
                rows_touched += 1;
                last_row = Some(y);
            }
        }
        cover_hidden_cells(&mut next);
        if usize::from(rows_touched) >= MIN_ROWS
            && let Some(s) = find_scroll(&self.screen, &next)
        {
            let mut scrolled = self.screen.clone();
            s.apply(&mut scrolled);
            let rest = scrolled.diff(&next);
            let plain = self.encoded_len(updates.iter().copied());
            let seq = s.sequence();
            let with_scroll = seq.len() + self.encoded_len(rest.iter().copied());
            if with_scroll < plain {
                self.inner.write_all(seq.as_bytes())?;
                self.inner.draw(rest.into_iter())?;
                self.scrolls += 1;
                self.screen = next;
                return Ok(());
            }
        }
        self.inner.draw(updates.into_iter())?;
        self.screen = next;
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)?;
        self.forget_screen()
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()?;
        self.forget_screen()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)?;
        // ratatui clears a fixed viewport from its origin; the rows above stay unknown to us
        // only if the viewport does not start at the top, which ours always does.
        self.forget_screen()
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buf(rows: &[&str]) -> Buffer {
        Buffer::with_lines(rows.iter().copied())
    }

    #[test]
    fn one_row_up_is_found_and_applied() {
        let old = buf(&["head", "a   ", "b   ", "c   ", "d   ", "foot"]);
        let new = buf(&["head", "b   ", "c   ", "d   ", "e   ", "foot"]);
        let s = find_scroll(&old, &new).expect("a scroll");
        assert_eq!(
            s,
            Scroll {
                top: 1,
                bottom: 5,
                by: 1,
                up: true
            }
        );
        let mut moved = old.clone();
        s.apply(&mut moved);
        assert_eq!(
            moved,
            buf(&["head", "b   ", "c   ", "d   ", "    ", "foot"])
        );
        assert_eq!(s.sequence(), "\x1b[2;5r\x1b[1S\x1b[r");
    }

    #[test]
    fn one_row_down_is_found_and_applied() {
        let old = buf(&["head", "b   ", "c   ", "d   ", "e   ", "foot"]);
        let new = buf(&["head", "a   ", "b   ", "c   ", "d   ", "foot"]);
        let s = find_scroll(&old, &new).expect("a scroll");
        assert_eq!((s.top, s.bottom, s.by, s.up), (1, 5, 1, false));
        let mut moved = old.clone();
        s.apply(&mut moved);
        assert_eq!(
            moved,
            buf(&["head", "    ", "b   ", "c   ", "d   ", "foot"])
        );
    }

    #[test]
    fn too_few_moved_rows_are_no_scroll() {
        let old = buf(&["a", "b", "c", "d"]);
        assert_eq!(find_scroll(&old, &buf(&["a", "x", "c", "d"])), None);
        assert_eq!(find_scroll(&old, &buf(&["b", "c", "x", "y"])), None);
        assert_eq!(find_scroll(&old, &old.clone()), None);
    }
}
