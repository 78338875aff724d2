//! The Chinese words for the typed errors that user input reaches (a term, a date, a cadence,
//! a preset, an output file, a student id). The modules that raise them stay free of any
//! language (the engine and the cadence module are pure); the CLI's last line swaps the text
//! in here, so under `--lang zh` an error reads in Chinese whichever module it came from.

use std::error::Error;

use crate::db::DbError;
use crate::model::CadenceParseError;
use crate::model::TermParseError;
use crate::outfile::OutFileError;
use crate::policy::presets::PolicyError;
use crate::schedule::DateInputError;

/// `cause` in Chinese, when it is one of the errors above; None leaves its own text.
pub fn zh(cause: &(dyn Error + 'static)) -> Option<String> {
    if let Some(TermParseError(v)) = cause.downcast_ref() {
        return Some(format!(
            "不是学期：'{v}'（应为 YYYY-YYYY-N，如 2024-2025-1）"
        ));
    }
    if let Some(e) = cause.downcast_ref::<DateInputError>() {
        return Some(match e {
            DateInputError::Empty => "没有写日期".to_string(),
            DateInputError::Unrecognised(v) => format!(
                "不是日期：'{v}'（可写 2025-09-03、today、yesterday、+3d、-2d、+1w、mon … sun、周一 … 周日）"
            ),
            DateInputError::NoSuchDate { input, reason } => {
                format!("没有这一天：'{input}'（{reason}）")
            }
            DateInputError::OutOfRange(v) => format!("日期超出范围：'{v}'"),
            DateInputError::BadTime { input } => {
                format!("不是时间：'{input}'（应为 HH:MM，如 14:30）")
            }
        });
    }
    if let Some(e) = cause.downcast_ref::<CadenceParseError>() {
        return Some(match e {
            CadenceParseError::Unknown(v) => format!(
                "不是频次：'{v}'（应为 weekly 每周、monthly 每月、days:N、term:K 或 once:N）"
            ),
            CadenceParseError::BadNumber { input, reason } => {
                format!("频次 '{input}' 中的数字有误：{reason}")
            }
        });
    }
    if let Some(PolicyError::NotFound(v)) = cause.downcast_ref() {
        return Some(format!(
            "没有名为 '{v}' 的内置政策，也没有这个文件（内置政策：hljjz、qzu、lut-life、hntou）"
        ));
    }
    if let Some(e) = cause.downcast_ref::<OutFileError>() {
        return match e {
            OutFileError::NoFolder(p) => Some(format!("{}：文件夹不存在", p.display())),
            OutFileError::Exists(p) => {
                Some(format!("{}：文件已存在（加 --force 才替换）", p.display()))
            }
            OutFileError::NotRegular(p) => Some(format!("{}：不是普通文件，不写入", p.display())),
            OutFileError::IsDatabase(p) => {
                Some(format!("{}：这是正在使用的数据库，不写入", p.display()))
            }
            OutFileError::Io(..) => None,
        };
    }
    if let Some(DbError::UnknownStudent(id)) = cause.downcast_ref() {
        return Some(format!(
            "没有学号为 {id} 的学生（不在学生名单中；请先导入学生名单）"
        ));
    }
    None
}

/// A bad row's reason (as `import::rows` words it) in Chinese; None for one it does not know.
pub fn row_reason_zh(reason: &str) -> Option<String> {
    const EXACT: &[(&str, &str)] = &[
        (
            crate::import::rows::RESULT_REASON,
            "不是成绩（应为 0 到 100 的数、等级词、缓考或免修）",
        ),
        (
            crate::import::rows::KIND_REASON,
            "不是成绩性质（应为正常考试、补考、补考一、补考二、毕业前补考、清考、重修、重修补考或缓考）",
        ),
        ("no term column", "没有学期列"),
        (
            "not a term (expected YYYY-YYYY-N, e.g. 2024-2025-1)",
            "不是学期（应为 YYYY-YYYY-N，如 2024-2025-1）",
        ),
        (
            "not a term year (expected YYYY-YYYY, e.g. 2024-2025)",
            "不是学年（应为 YYYY-YYYY，如 2024-2025）",
        ),
        (
            "not a term number (expected 1, 2, 3, 一, 二, 第一学期, 夏季学期, or 正方's 3/12/16)",
            "不是学期序号（应为 1、2、3、一、二、第一学期、夏季学期，或正方的 3/12/16）",
        ),
        (
            "not a yes/no mark (expected 1 or 0, 是 or 否)",
            "不是“是/否”标记（应为 1 或 0、是或否）",
        ),
        (
            "not a fitness score (expected a number, 优秀, 良好, 及格 or 不及格)",
            "不是体测成绩（应为数字、优秀、良好、及格或不及格）",
        ),
        (
            "not a graduation requirement (expected 达到 or 未达到)",
            "不是毕业要求（应为达到或未达到）",
        ),
        (
            "no fitness score and no graduation requirement",
            "既没有体测成绩，也没有毕业要求",
        ),
        (
            "not a flag kind (expected discipline/处分, wellbeing/情绪/沉迷网络 or psychological/心理)",
            "不是标记类型（应为 discipline/处分、wellbeing/情绪/沉迷网络或 psychological/心理）",
        ),
    ];
    const WHAT: &[(&str, &str)] = &[
        ("student id", "学号"),
        ("course code", "课程代码"),
        ("a number of credits", "学分数"),
        ("a number of hours", "学时数"),
    ];
    let what = |w: &str| WHAT.iter().find(|(en, _)| *en == w).map(|(_, zh)| *zh);
    if let Some((_, zh)) = EXACT.iter().find(|(en, _)| *en == reason) {
        return Some((*zh).to_string());
    }
    if let Some(w) = reason.strip_prefix("missing ").and_then(what) {
        return Some(format!("缺少{w}"));
    }
    let (w, max) = reason
        .strip_prefix("not ")?
        .strip_suffix(")")?
        .split_once(" (expected a number from 0 to ")?;
    Some(format!("不是{}（应为 0 到 {max} 的数）", what(w)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_input_errors_read_in_chinese() {
        let term = "2024".parse::<crate::model::Term>().unwrap_err();
        let cadence = "often".parse::<crate::model::Cadence>().unwrap_err();
        let cases: Vec<Box<dyn Error + 'static>> = vec![
            Box::new(term),
            Box::new(DateInputError::Unrecognised("soon".into())),
            Box::new(cadence),
            Box::new(PolicyError::NotFound("nope".into())),
            Box::new(OutFileError::NoFolder("/x/y".into())),
            Box::new(DbError::UnknownStudent("9".into())),
        ];
        for c in &cases {
            let zh = zh(c.as_ref()).unwrap_or_else(|| panic!("no Chinese for {c}"));
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
        assert_eq!(zh(&std::fmt::Error), None);
    }

    #[test]
    fn row_reasons_read_in_chinese() {
        for (en, zh) in [
            ("missing student id", "缺少学号"),
            (
                "not a number of credits (expected a number from 0 to 30)",
                "不是学分数（应为 0 到 30 的数）",
            ),
            ("no term column", "没有学期列"),
        ] {
            assert_eq!(row_reason_zh(en).as_deref(), Some(zh));
        }
        assert_eq!(row_reason_zh("something new"), None);
    }
}
