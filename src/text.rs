//! Text for a terminal: display width (CJK glyphs take two columns), cutting by columns with
//! `…`, padding to a column, wrapping, and sanitising imported text so that no control
//! character or escape sequence from a registrar export ever reaches the terminal.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The ellipsis appended to cut text (one column wide).
pub const ELLIPSIS: char = '…';

/// Display columns `s` takes in a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `s` cut to at most `cols` display columns, ending in `…` when anything was cut.
/// A wide glyph that would straddle the limit is dropped whole (never half a character).
pub fn ellipsize(s: &str, cols: usize) -> Cow<'_, str> {
    if width(s) <= cols {
        return Cow::Borrowed(s);
    }
    if cols == 0 {
        return Cow::Borrowed("");
    }
    let budget = cols - 1;
    let mut used = 0;
    let mut out = String::with_capacity(s.len().min(cols * 4));
    for c in s.chars() {
        let w = char_width(c);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push(ELLIPSIS);
    Cow::Owned(out)
}

/// Horizontal placement of text within a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Right,
}

/// `s` cut with `…` and padded with spaces to exactly `cols` display columns, so that
/// columns of CJK and Latin text line up.
pub fn fit(s: &str, cols: usize, align: Align) -> String {
    let cut = ellipsize(s, cols);
    let pad = cols.saturating_sub(width(&cut));
    let mut out = String::with_capacity(cut.len() + pad);
    if align == Align::Right {
        out.extend(std::iter::repeat_n(' ', pad));
    }
    out.push_str(&cut);
    if align == Align::Left {
        out.extend(std::iter::repeat_n(' ', pad));
    }
    out
}

/// Breaks `s` into lines of at most `cols` display columns, preferring to break at spaces
/// (Chinese text has none and breaks between any two characters). Always at least one line.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > cols {
            // Move a trailing partial word down when the line has a space to break at.
            let carry = match line.rfind(' ') {
                Some(i) if c != ' ' && i > 0 => line.split_off(i + 1),
                _ => String::new(),
            };
            lines.push(line.trim_end().to_string());
            used = width(&carry);
            line = carry;
            if c == ' ' {
                continue;
            }
        }
        line.push(c);
        used += w;
    }
    lines.push(line.trim_end().to_string());
    lines
}

/// `s` made safe and single-line for display: escape sequences (CSI, OSC, DCS …) removed,
/// other control characters (C0, DEL, C1) and bidirectional overrides dropped, tabs and line
/// breaks turned into one space. Borrowed when nothing needed changing.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_care) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // 8-bit CSI / OSC / DCS / SOS / PM / APC introducers.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' | '\n' | '\r' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if needs_care(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Sanitises a string field in place, allocating only when it has something to remove.
pub fn sanitize_in_place(s: &mut String) {
    if let Cow::Owned(clean) = sanitize(s) {
        *s = clean;
    }
}

/// Controls, bidirectional overrides, and zero-width format characters (ZWSP, ZWNJ, ZWJ,
/// word joiner, BOM): a terminal may draw the latter as a visible glyph or merge cells around
/// them, so a name holding one would measure differently from how it shows and misalign its
/// row. Dropping them makes the measured width the drawn width.
fn needs_care(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: the rest of one escape sequence (ECMA-48).
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // nF sequences: intermediates 0x20–0x2F, then one final byte.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while chars
                .next_if(|c| ('\u{20}'..='\u{2f}').contains(c))
                .is_some()
            {}
            chars.next();
        }
        _ => {}
    }
}

/// Parameters 0x30–0x3F, intermediates 0x20–0x2F, then a final byte 0x40–0x7E.
fn skip_csi(chars: &mut Chars<'_>) {
    while chars
        .next_if(|c| ('\u{20}'..='\u{3f}').contains(c))
        .is_some()
    {}
    chars.next_if(|c| ('\u{40}'..='\u{7e}').contains(c));
}

/// A control string ends at BEL, ST (ESC \) or 8-bit ST.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_two_columns_latin_one() {
        assert_eq!(width("王清白"), 6);
        assert_eq!(width("abc"), 3);
        assert_eq!(width("计算机2101"), 10);
        assert_eq!(width(""), 0);
    }

    #[test]
    fn ellipsize_cuts_by_columns_not_chars() {
        assert_eq!(ellipsize("王清白", 6), "王清白");
        assert_eq!(ellipsize("王清白", 5), "王清…");
        // 4 columns: 王 (2) + … (1) = 3, the next glyph would make 5.
        assert_eq!(ellipsize("王清白", 4), "王…");
        assert_eq!(ellipsize("王清白", 1), "…");
        assert_eq!(ellipsize("王清白", 0), "");
        assert_eq!(ellipsize("abcdef", 4), "abc…");
        assert!(matches!(ellipsize("ab", 4), Cow::Borrowed(_)));
        for cols in 0..12 {
            assert!(width(&ellipsize("高等数学A（上）", cols)) <= cols);
        }
    }

    #[test]
    fn fit_pads_to_exact_columns() {
        assert_eq!(fit("王清白", 8, Align::Left), "王清白  ");
        assert_eq!(fit("王清白", 5, Align::Left), "王清…");
        assert_eq!(fit("王清白", 4, Align::Left), "王… ");
        assert_eq!(fit("12", 4, Align::Right), "  12");
        for cols in 0..10 {
            assert_eq!(width(&fit("概率论与数理统计", cols, Align::Left)), cols);
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_and_between_cjk() {
        assert_eq!(wrap("aaa bbb ccc", 7), vec!["aaa bbb", "ccc"]);
        assert_eq!(
            wrap("谈话内容很长很长", 6),
            vec!["谈话内", "容很长", "很长"]
        );
        assert_eq!(wrap("", 5), vec![""]);
        for line in wrap("学生表示 will try harder 下学期 重修高等数学", 9) {
            assert!(width(&line) <= 9, "{line}");
        }
    }

    #[test]
    fn sanitize_removes_escape_sequences_and_controls() {
        assert_eq!(sanitize("王\u{1b}[31m清\u{1b}[0m白"), "王清白");
        assert_eq!(sanitize("a\u{1b}]0;pwned\u{7}b"), "ab");
        assert_eq!(sanitize("a\u{1b}]8;;http://x\u{1b}\\b"), "ab");
        assert_eq!(sanitize("x\u{9b}2Jy"), "xy");
        assert_eq!(sanitize("line1\r\nline2\tend"), "line1 line2 end");
        assert_eq!(sanitize("bell\u{7}del\u{7f}"), "belldel");
        assert_eq!(sanitize("ab\u{202e}cd"), "abcd");
        assert_eq!(sanitize("\u{1b}(Bok"), "ok");
        assert!(matches!(sanitize("王清白 2101"), Cow::Borrowed(_)));
        // An unterminated sequence swallows the rest rather than leaking it.
        assert_eq!(sanitize("a\u{1b}]0;title"), "a");
    }

    #[test]
    fn zero_width_characters_go_so_width_matches_what_is_drawn() {
        let name = sanitize("王\u{200d}清\u{200b}白\u{feff}");
        assert_eq!(name, "王清白");
        assert_eq!(width(&name), 6);
        assert_eq!(fit(&sanitize("李\u{2060}四"), 6, Align::Left), "李四  ");
    }

    #[test]
    fn sanitize_in_place_only_touches_dirty_strings() {
        let mut s = String::from("张\u{1b}[2J三");
        sanitize_in_place(&mut s);
        assert_eq!(s, "张三");
    }
}
