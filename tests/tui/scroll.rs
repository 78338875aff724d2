//! The scrolling backend against a terminal emulator: whatever it sends, applied to a vt100
//! screen holding the old frame, must leave the new frame — for scrolls up and down, for
//! Chinese (double-width) text, and for random frames. The oracle for random frames is
//! ratatui's own output on the same emulator: where a wide glyph overwrites half of another,
//! ratatui's diff itself leaves a stray colour, and the scroll must be no worse.

use std::io::Write;
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use yujing::text;
use yujing::tui::scroll::ScrollingBackend;

/// What the backend sent, kept for the emulator.
#[derive(Clone, Default)]
struct Wire(Arc<Mutex<Vec<u8>>>);

impl Wire {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Replay {
    /// Bytes sent for the second frame.
    bytes: usize,
    /// Bytes plain ratatui would have sent for it.
    plain: usize,
    scrolled: bool,
    vt: vt100::Parser,
    /// The same two frames sent by ratatui's crossterm backend.
    vt_plain: vt100::Parser,
}

/// Draws `old` on a blank terminal, then `new`, through a scrolling backend into vt100.
fn replay(old: &Buffer, new: &Buffer) -> Replay {
    let area = old.area;
    let wire = Wire::default();
    let mut backend = ScrollingBackend::new(wire.clone(), Size::new(area.width, area.height));
    let mut vt = emulator(area);
    backend
        .draw(Buffer::empty(area).diff(old).into_iter())
        .unwrap();
    vt.process(&wire.take());
    backend.draw(old.diff(new).into_iter()).unwrap();
    let sent = wire.take();
    vt.process(&sent);
    let mut vt_plain = emulator(area);
    vt_plain.process(&plain(&Buffer::empty(area), old));
    let plain = plain(old, new);
    vt_plain.process(&plain);
    Replay {
        bytes: sent.len(),
        plain: plain.len(),
        scrolled: backend.scrolls > 0,
        vt,
        vt_plain,
    }
}

fn emulator(area: Rect) -> vt100::Parser {
    let nz = |n: u16| std::num::NonZeroU16::new(n).expect("a frame is at least 1x1");
    vt100::Parser::new(nz(area.height), nz(area.width), 0)
}

/// What ratatui's own crossterm backend sends for the same change.
fn plain(old: &Buffer, new: &Buffer) -> Vec<u8> {
    let wire = Wire::default();
    let mut b = CrosstermBackend::new(wire.clone());
    b.draw(old.diff(new).into_iter()).unwrap();
    wire.take()
}

type Look = (String, vt100::Color, vt100::Color, bool, bool);

fn look(c: &vt100::Cell) -> Look {
    // A cell never written and one written with a space look the same.
    let glyph = match c.contents() {
        "" => " ",
        g => g,
    };
    (
        glyph.to_string(),
        c.fgcolor(),
        c.bgcolor(),
        c.bold(),
        c.inverse(),
    )
}

/// Every cell shows what `new` holds, or at worst what ratatui's own output shows there
/// (ratatui's diff leaves stray colours where a wide glyph overwrites half of another).
fn assert_no_worse_than_plain(r: &Replay, new: &Buffer) {
    let (a, b) = (r.vt.screen(), r.vt_plain.screen());
    for y in 0..new.area.height {
        let mut x = 0;
        while x < new.area.width {
            let c = &new[(x, y)];
            let want: Look = (
                c.symbol().to_string(),
                vt_colour(c.fg),
                vt_colour(c.bg),
                c.modifier.contains(Modifier::BOLD),
                c.modifier.contains(Modifier::REVERSED),
            );
            let ours = look(a.cell(y, x).unwrap());
            assert!(
                ours == want || ours == look(b.cell(y, x).unwrap()),
                "column {x}, row {y}: {ours:?}, want {want:?}; scrolled: {}\nours:\n{}\nratatui:\n{}",
                r.scrolled,
                a.contents(),
                b.contents()
            );
            x += u16::try_from(text::width(c.symbol()).max(1)).unwrap();
        }
    }
}

fn vt_colour(c: Color) -> vt100::Color {
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(i) => vt100::Color::Idx(i),
        other => panic!("tests use indexed colours only, not {other:?}"),
    }
}

/// The emulator shows `want`: every glyph, its colours, bold and reverse.
fn assert_shows(vt: &vt100::Parser, want: &Buffer, what: &str) {
    let screen = vt.screen();
    for y in 0..want.area.height {
        let mut x = 0;
        while x < want.area.width {
            let c = &want[(x, y)];
            let got = screen.cell(y, x).expect("cell in range");
            let glyph = match got.contents() {
                "" => " ",
                g => g,
            };
            let at = format!("{what}: column {x}, row {y}\n{}", screen.contents());
            assert_eq!(glyph, c.symbol(), "{at}");
            assert_eq!(got.fgcolor(), vt_colour(c.fg), "fg {at}");
            assert_eq!(got.bgcolor(), vt_colour(c.bg), "bg {at}");
            assert_eq!(got.bold(), c.modifier.contains(Modifier::BOLD), "bold {at}");
            assert_eq!(
                got.inverse(),
                c.modifier.contains(Modifier::REVERSED),
                "reverse {at}"
            );
            x += u16::try_from(text::width(c.symbol()).max(1)).unwrap();
        }
    }
}

const W: u16 = 80;
const H: u16 = 24;

/// A roster-like screen: a title, a header, rows `first..` of a long list with row
/// `selected` (counted from `first`) in reverse video, and a footer.
fn roster(first: usize, selected: usize) -> Buffer {
    let mut b = Buffer::empty(Rect::new(0, 0, W, H));
    b.set_string(
        0,
        0,
        "预警 · 2024-2025-1 · 红色预警 12",
        Style::new().bold(),
    );
    b.set_string(
        0,
        1,
        "学号        姓名      班级          预警",
        Style::new(),
    );
    for row in 0..usize::from(H - 3) {
        let i = first + row;
        let style = if row == selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().fg(Color::Indexed(u8::try_from(i % 3 + 1).unwrap()))
        };
        let line = format!(
            "2021{i:06}  王清白{}  计算机21{:02}   逾期{}天",
            i % 7,
            i % 12,
            i % 30
        );
        b.set_stringn(
            0,
            u16::try_from(row + 2).unwrap(),
            line,
            usize::from(W),
            style,
        );
    }
    b.set_string(
        0,
        H - 1,
        "j/k 移动  / 搜索  Enter 打开  ? 帮助  q 退出",
        Style::new(),
    );
    b
}

#[test]
fn moving_past_the_last_visible_row_scrolls_up_and_sends_under_a_kilobyte() {
    let old = roster(100, 20);
    let new = roster(101, 20);
    let r = replay(&old, &new);
    assert_shows(&r.vt, &new, "after scrolling up");
    assert!(r.scrolled, "a one-row move of the body is sent as a scroll");
    assert!(
        r.bytes < r.plain && r.bytes <= 1024,
        "{} bytes sent, {} without scrolling",
        r.bytes,
        r.plain
    );
}

#[test]
fn moving_above_the_first_visible_row_scrolls_down() {
    let old = roster(101, 0);
    let new = roster(100, 0);
    let r = replay(&old, &new);
    assert_shows(&r.vt, &new, "after scrolling down");
    assert!(r.scrolled);
    assert!(r.bytes < r.plain, "{} vs {}", r.bytes, r.plain);
}

#[test]
fn a_page_down_that_shares_no_rows_is_drawn_plainly() {
    let old = roster(100, 20);
    let new = roster(200, 20);
    let r = replay(&old, &new);
    assert_no_worse_than_plain(&r, &new);
    assert!(!r.scrolled);
    assert_eq!(r.bytes, r.plain);
}

#[test]
fn wide_glyphs_at_odd_columns_survive_a_scroll() {
    let frame = |first: usize| {
        let mut b = Buffer::empty(Rect::new(0, 0, 21, 8));
        for y in 0..8u16 {
            let i = first + usize::from(y);
            let pad = " ".repeat(i % 3);
            b.set_stringn(
                0,
                y,
                format!("{pad}欧阳{i}号学生名字很长很长"),
                21,
                Style::new(),
            );
        }
        b
    };
    for (old, new) in [
        (frame(0), frame(1)),
        (frame(1), frame(0)),
        (frame(0), frame(2)),
    ] {
        let r = replay(&old, &new);
        assert_shows(&r.vt, &new, "CJK");
        assert!(r.scrolled, "{} bytes, {} plain", r.bytes, r.plain);
    }
}

/// One row: runs of glyphs, some wide, in one of four styles.
fn line() -> impl Strategy<Value = Line<'static>> {
    let glyph = prop::sample::select(vec!["a", "b", " ", "-", "王", "清", "白", "１"]);
    let style = prop::sample::select(vec![
        Style::new(),
        Style::new().add_modifier(Modifier::REVERSED),
        Style::new().add_modifier(Modifier::BOLD),
        Style::new().fg(Color::Indexed(2)).bg(Color::Indexed(4)),
    ]);
    prop::collection::vec((prop::collection::vec(glyph, 1..6), style), 0..6).prop_map(|runs| {
        Line::from(
            runs.into_iter()
                .map(|(g, s)| Span::styled(g.concat(), s))
                .collect::<Vec<_>>(),
        )
    })
}

fn frame(w: u16, lines: &[Line<'static>]) -> Buffer {
    let h = u16::try_from(lines.len()).unwrap();
    let mut b = Buffer::empty(Rect::new(0, 0, w, h));
    for (y, l) in (0..h).zip(lines) {
        b.set_line(0, y, l, w);
    }
    b
}

/// An old frame, and a new one made of a block of its rows moved by `by` (up or down),
/// fresh rows where they left, and some rows replaced anywhere.
fn scrolled_pair() -> impl Strategy<Value = (Buffer, Buffer)> {
    (3u16..30, 3usize..14).prop_flat_map(|(w, h)| {
        (
            prop::collection::vec(line(), h),
            prop::collection::vec(line(), h),
            0..h,
            0..h,
            1..h,
            any::<bool>(),
            prop::collection::vec(0..h, 0..3),
        )
            .prop_map(move |(old, fresh, a, b, by, up, replaced)| {
                let (top, bottom) = (a.min(b), a.max(b) + 1);
                let by = by.min(bottom - top);
                let mut new = old.clone();
                for y in top..bottom {
                    let from = if up { y + by } else { y.wrapping_sub(by) };
                    new[y] = if (top..bottom).contains(&from) {
                        old[from].clone()
                    } else {
                        fresh[y].clone()
                    };
                }
                for y in replaced {
                    new[y] = fresh[(y + 1) % h].clone();
                }
                (frame(w, &old), frame(w, &new))
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn whatever_is_sent_leaves_the_new_frame_on_screen((old, new) in scrolled_pair()) {
        let r = replay(&old, &new);
        assert_no_worse_than_plain(&r, &new);
        prop_assert!(r.bytes <= r.plain, "{} bytes sent, {} without scrolling", r.bytes, r.plain);
    }

    #[test]
    fn unrelated_frames_are_shown_too(
        (old, new) in (3u16..30, 3usize..14).prop_flat_map(|(w, h)| (
            prop::collection::vec(line(), h).prop_map(move |l| frame(w, &l)),
            prop::collection::vec(line(), h).prop_map(move |l| frame(w, &l)),
        ))
    ) {
        let r = replay(&old, &new);
        assert_no_worse_than_plain(&r, &new);
    }
}
