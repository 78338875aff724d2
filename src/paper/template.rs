//! Document templates: plain text a school edits in any editor, with `{{field}}` placeholders.
//!
//! Text rather than a Word file, because a placeholder in a .docx that Word or WPS has edited is
//! often split across runs (`{{na` `me}}`) and then silently never filled; in a text file it is
//! one string. The few layout marks below are all a form needs:
//!
//! - `# TITLE`: a centred bold heading;
//! - `> TEXT`: right-aligned (编号, dates, 学院盖章);
//! - `| a | b |`: one table row; consecutive rows make one table;
//! - `---` (alone): the dashed cut line of a receipt stub;
//! - `===` (alone): a page break;
//! - a line holding only a list field (`{{reasons}}`) repeats once per item;
//! - anything else is a paragraph, kept as typed (leading full-width spaces indent).

use std::collections::BTreeMap;

/// One field's value: text, or a list (reasons, courses) that a line of its own repeats.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    List(Vec<String>),
}

pub type Fields = BTreeMap<&'static str, Value>;

/// Every placeholder a template may use, with what it holds (for `template export` and errors).
pub const FIELDS: &[(&str, &str)] = &[
    ("name", "学生姓名"),
    ("student_id", "学号"),
    ("class", "班级"),
    ("college", "学院"),
    ("major", "专业"),
    ("cohort", "年级"),
    ("phone", "学生电话"),
    ("parent", "家长姓名"),
    ("parent_phone", "家长电话"),
    ("address", "家庭地址"),
    ("counsellor", "辅导员"),
    ("class_teacher", "班主任"),
    ("term", "学期，如 2025-2026-1"),
    ("term_start", "学年起始年，如 2025"),
    ("term_end", "学年结束年，如 2026"),
    ("term_no", "学期序号，如 1"),
    ("number", "通知书编号（批准后才有；草稿显示“（待批准）”）"),
    (
        "tier_label",
        "预警等级，用该办法的原话，如 红色预警、三级预警、书面警示",
    ),
    ("tier_choices", "全部等级，选中者为 ●，其余为 ○"),
    ("status_label", "学籍处理（留级、退学），没有则为空"),
    ("reasons", "列表：每条预警原因，带数值、课程与学分"),
    ("courses", "列表：预警原因涉及的不及格课程"),
    (
        "courses_to_clear",
        "列表：截至本学期仍未通过、需补考或重修的课程",
    ),
    ("failed_courses", "仍不及格课程门数"),
    ("failed_credits", "仍不及格学分"),
    ("credits_earned", "本学期所获学分"),
    ("absence_hours", "本学期旷课学时"),
    ("issued_on", "预警下发日期"),
    (
        "date",
        "通知书日期（批准日期；草稿为今天），如 2025年9月15日",
    ),
    ("talk_date", "谈话时间"),
    ("talk_end", "结束时间（未记录则为空）"),
    ("talk_place", "谈话地点"),
    ("talk_with", "谈话对象"),
    ("talk_channel", "谈话方式"),
    ("talk_by", "谈话人"),
    ("talk_summary", "谈话内容"),
    ("talk_situation", "学生情况与态度"),
    ("talk_actions", "约定的措施"),
];

/// A laid-out piece of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Para(String),
    Right(String),
    /// A table: rows of cells.
    Table(Vec<Vec<String>>),
    Cut,
    PageBreak,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}:{line}: {reason}")]
pub struct TemplateError {
    pub name: String,
    pub line: usize,
    pub reason: String,
}

fn known(field: &str) -> bool {
    FIELDS.iter().any(|(f, _)| *f == field)
}

/// The placeholders of one line, in order, or the reason one is malformed.
fn placeholders(line: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("{{") {
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else {
            return Err(format!("'{{{{' without a closing '}}}}' in '{line}'"));
        };
        out.push(after[..j].trim());
        rest = &after[j + 2..];
    }
    Ok(out)
}

/// Checks that every placeholder is a known field; the error names the line and the field.
pub fn check(name: &str, text: &str) -> Result<(), TemplateError> {
    for (i, line) in text.lines().enumerate() {
        let err = |reason: String| TemplateError {
            name: name.to_string(),
            line: i + 1,
            reason,
        };
        for p in placeholders(line).map_err(err)? {
            if !known(p) {
                return Err(err(format!(
                    "unknown field '{{{{{p}}}}}' (fields: {})",
                    FIELDS
                        .iter()
                        .map(|(f, _)| *f)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    }
    Ok(())
}

fn fill(line: &str, fields: &Fields) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else {
            break;
        };
        match fields.get(after[..j].trim()) {
            Some(Value::Text(t)) => out.push_str(t),
            Some(Value::List(items)) => out.push_str(&items.join("；")),
            None => {}
        }
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    out
}

/// The list field a line consists of, if it holds nothing else.
fn list_line<'a>(line: &str, fields: &'a Fields) -> Option<&'a [String]> {
    let inner = line.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    match fields.get(inner.trim()) {
        Some(Value::List(items)) if !inner.contains("{{") => Some(items),
        _ => None,
    }
}

/// Lays out a template with its fields filled.
pub fn render(text: &str, fields: &Fields) -> Vec<Block> {
    let mut blocks = Vec::new();
    for line in text.lines() {
        let t = line.trim_end();
        if let Some(items) = list_line(t, fields) {
            let items: Vec<&str> = if items.is_empty() {
                vec!["无"]
            } else {
                items.iter().map(String::as_str).collect()
            };
            blocks.extend(items.into_iter().map(|s| Block::Para(s.to_string())));
            continue;
        }
        let b = if t.trim() == "---" {
            Block::Cut
        } else if t.trim() == "===" {
            Block::PageBreak
        } else if let Some(s) = t.strip_prefix("# ") {
            Block::Title(fill(s.trim(), fields))
        } else if let Some(s) = t.strip_prefix("> ") {
            Block::Right(fill(s.trim(), fields))
        } else if t.trim_start().starts_with('|') {
            let inner = t.trim().trim_start_matches('|');
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let row: Vec<String> = inner.split('|').map(|c| fill(c.trim(), fields)).collect();
            if let Some(Block::Table(rows)) = blocks.last_mut() {
                rows.push(row);
                continue;
            }
            Block::Table(vec![row])
        } else {
            Block::Para(fill(t, fields))
        };
        blocks.push(b);
    }
    blocks
}

/// The plain-text form of laid-out blocks: previews, snapshots, the TUI.
pub fn to_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Title(s) => out.push_str(&format!("【{s}】\n")),
            Block::Para(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Block::Right(s) => out.push_str(&format!("{:>40}\n", s)),
            Block::Table(rows) => {
                for r in rows {
                    out.push_str(&format!("| {} |\n", r.join(" | ")));
                }
            }
            Block::Cut => out.push_str(&format!("{}\n", "-".repeat(40))),
            Block::PageBreak => out.push_str(&format!("{}\n", "=".repeat(40))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        let mut f = Fields::new();
        f.insert("name", Value::Text("王五".into()));
        f.insert(
            "reasons",
            Value::List(vec!["甲 ≥ 2".into(), "乙 ≥ 4".into()]),
        );
        f.insert("courses", Value::List(vec![]));
        f
    }

    #[test]
    fn fills_fields_repeats_lists_and_lays_out_marks() {
        let t = "# 通知书\n> 编号：{{ number }}\n{{name}}同学：\n{{reasons}}\n原因：{{reasons}}\n{{courses}}\n| 姓名 | {{name}} |\n| 学号 | |\n---\n===\n";
        let b = render(t, &fields());
        assert_eq!(
            b,
            vec![
                Block::Title("通知书".into()),
                Block::Right("编号：".into()),
                Block::Para("王五同学：".into()),
                Block::Para("甲 ≥ 2".into()),
                Block::Para("乙 ≥ 4".into()),
                Block::Para("原因：甲 ≥ 2；乙 ≥ 4".into()),
                Block::Para("无".into()),
                Block::Table(vec![
                    vec!["姓名".into(), "王五".into()],
                    vec!["学号".into(), "".into()]
                ]),
                Block::Cut,
                Block::PageBreak,
            ]
        );
    }

    #[test]
    fn unknown_or_unclosed_placeholders_name_the_line() {
        assert!(check("notice", "{{name}}\n{{tier_label}}").is_ok());
        let e = check("notice", "ok\n{{nmae}}同学").unwrap_err();
        assert_eq!((e.name.as_str(), e.line), ("notice", 2));
        assert!(e.reason.contains("nmae"), "{e}");
        let e = check("plan", "{{name").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().starts_with("plan:1:"), "{e}");
    }
}
