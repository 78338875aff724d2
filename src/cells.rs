//! Cells for files people open in Excel: no formula may run from a student's name, no escape
//! sequence may reach the file, and no text may break Excel's cell limit.

use std::borrow::Cow;

/// Excel's limit on the characters of one cell.
pub const XLSX_CELL_LIMIT: usize = 32_767;

/// Text with escape sequences and control characters removed; line breaks inside the text
/// (a reasons list) are kept as line breaks.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.contains('\n') {
        return crate::text::sanitize(s);
    }
    Cow::Owned(
        s.split('\n')
            .map(|line| crate::text::sanitize(line).trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A CSV cell: cleaned, and a text cell that a spreadsheet would read as a formula (`=`,
/// `+`, `-`, `@`, tab or CR first) gets a leading `'`. Numbers (`-3.5`) stay numbers.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err();
    let cleaned = clean(s);
    if risky {
        Cow::Owned(format!("'{cleaned}"))
    } else {
        cleaned
    }
}

/// An XLSX text cell: cleaned and, over Excel's limit, cut with "…". The flag says it was cut,
/// so the caller can name the student and the field.
pub fn xlsx_cell(s: &str) -> (Cow<'_, str>, bool) {
    let cleaned = clean(s);
    if cleaned.chars().count() <= XLSX_CELL_LIMIT {
        return (cleaned, false);
    }
    let mut cut: String = cleaned.chars().take(XLSX_CELL_LIMIT - 1).collect();
    cut.push('…');
    (Cow::Owned(cut), true)
}

/// Tells, on standard error, which (student, field) cells were cut at Excel's limit.
pub fn warn_cut(cut: &[(String, String)], lang: crate::locale::Lang) {
    for (who, field) in cut {
        eprintln!(
            "{}",
            lang.pick(
                &format!(
                    "注意：学生 {who} 的 {field} 超过 Excel 单元格上限 {XLSX_CELL_LIMIT} 字，已截断（…）"
                ),
                &format!(
                    "warning: student {who}: {field} is longer than Excel's cell limit of {XLSX_CELL_LIMIT} characters; cut with …"
                )
            )
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_looking_text_is_neutralised_and_numbers_are_not() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(csv_cell("+1+2"), "'+1+2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "' x");
        assert_eq!(csv_cell("-3.5"), "-3.5");
        assert_eq!(csv_cell("王清白"), "王清白");
        assert_eq!(csv_cell("a\u{1b}[31mb"), "ab");
    }

    #[test]
    fn long_text_is_cut_at_the_cell_limit_with_an_ellipsis() {
        let long = "字".repeat(XLSX_CELL_LIMIT + 5);
        let (cut, was_cut) = xlsx_cell(&long);
        assert!(was_cut);
        assert_eq!(cut.chars().count(), XLSX_CELL_LIMIT);
        assert!(cut.ends_with('…'));
        let exact = "a".repeat(XLSX_CELL_LIMIT);
        assert_eq!(xlsx_cell(&exact), (Cow::Borrowed(exact.as_str()), false));
        assert_eq!(clean("a\u{1b}]0;t\u{7}b\nc\u{7}"), "ab\nc");
    }
}
