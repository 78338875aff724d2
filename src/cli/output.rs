//! Plain-text tables for the terminal (aligned by display width, so Chinese lines up) and
//! CSV for Excel (UTF-8 with a BOM, which Excel needs to read Chinese).

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use crate::locale::Lang;

/// Column headers in the UI language, from (zh, en) pairs.
pub fn header<'a>(lang: Lang, cols: &[(&'a str, &'a str)]) -> Vec<&'a str> {
    cols.iter().map(|(zh, en)| lang.pick(zh, en)).collect()
}

/// Writes rows as columns padded to the widest cell (display columns, not chars). Cells are
/// sanitised like the TUI: a name or note never sends an escape sequence to the terminal.
pub fn table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let clean: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| crate::text::sanitize(c).into_owned())
                .collect()
        })
        .collect();
    let rows = &clean;
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let line =
        |out: &mut dyn Write, cells: &mut dyn Iterator<Item = &str>| -> std::io::Result<()> {
            let mut s = String::new();
            for (i, c) in cells.enumerate() {
                if i > 0 {
                    s.push_str("  ");
                }
                s.push_str(c);
                if i + 1 < widths.len() {
                    s.extend(std::iter::repeat_n(
                        ' ',
                        widths[i].saturating_sub(c.width()),
                    ));
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
    line(out, &mut header.iter().copied())?;
    for r in rows {
        line(out, &mut r.iter().map(String::as_str))?;
    }
    Ok(())
}

/// CSV with a UTF-8 BOM for Excel; cells made safe by [`crate::cells::csv_cell`].
pub fn csv(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header)?;
    for r in rows {
        w.write_record(r.iter().map(|c| crate::cells::csv_cell(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// An error as one line in `lang`: its causes joined by `: `, each said once (a cause whose
/// text the line already holds, such as an I/O error a reader quoted in its own message, is
/// skipped). Under zh a typed error user input reaches is said in Chinese
/// ([`super::errors`]).
pub fn error_line(e: &anyhow::Error, lang: Lang) -> String {
    let mut said = String::new();
    let mut out = String::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if said.contains(&s) {
            continue;
        }
        said.push_str(&s);
        let text = match lang {
            Lang::Zh => super::errors::zh(cause).unwrap_or(s),
            Lang::En => s,
        };
        if !out.is_empty() {
            out.push_str(lang.pick("：", ": "));
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_says_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let e = anyhow::Error::new(io).context("x.csv: No such file or directory");
        assert_eq!(error_line(&e, Lang::En), "x.csv: No such file or directory");
        let e = anyhow::anyhow!("not a date").context("--from 'soon'");
        assert_eq!(error_line(&e, Lang::En), "--from 'soon': not a date");
        let e = anyhow::Error::new(crate::schedule::DateInputError::Unrecognised("soon".into()))
            .context("--from 'soon'");
        assert!(
            error_line(&e, Lang::Zh).starts_with("--from 'soon'：不是日期：'soon'"),
            "{}",
            error_line(&e, Lang::Zh)
        );
    }

    #[test]
    fn chinese_columns_line_up() {
        let mut out = Vec::new();
        let rows = vec![
            vec!["王清白".into(), "x".into()],
            vec!["Li".into(), "y".into()],
        ];
        table(&mut out, &["姓名", "列"], &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines, vec!["姓名    列", "王清白  x", "Li      y"]);
    }

    #[test]
    fn table_cells_never_carry_escapes() {
        let mut out = Vec::new();
        table(&mut out, &["名"], &[vec!["a\u{1b}[2Jb\u{7}".into()]]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "名\nab\n");
    }

    #[test]
    fn csv_starts_with_a_bom() {
        let mut out = Vec::new();
        csv(&mut out, &["a"], &[vec!["中".into()]]).unwrap();
        assert_eq!(&out[..3], b"\xEF\xBB\xBF");
        assert_eq!(String::from_utf8_lossy(&out[3..]), "a\n中\n");
    }
}
