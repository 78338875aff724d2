//! Why a row is bad, in the language of the run: a counsellor reading Chinese messages gets
//! `FILE:LINE: 列 学号: 值 'X': 缺少学号`, not an English reason after a Chinese summary.

use crate::locale::Lang;

/// The reasons a row's cell is refused. Limits (`MAX_CREDITS` …) are filled in where the
/// text names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    MissingStudentId,
    MissingCourseCode,
    NoTermColumn,
    NotTerm,
    NotTermYear,
    NotTermNumber,
    NotResult,
    NotAttemptKind,
    NotCredits,
    NotHours,
    NotYesNo,
    NotFitnessScore,
    NotRequirement,
    NoFitness,
    NotFlagKind,
    NulByte,
    /// A cell with this many characters.
    TooLong(usize),
    /// A physical line over this many MB.
    LineTooLong(usize),
    UnclosedQuote,
}

impl Why {
    pub fn text(self, lang: Lang) -> String {
        use super::cells::{MAX_ABSENCE_HOURS, MAX_CELL_CHARS, MAX_CREDITS};
        use Why::*;
        let fixed = |zh: &str, en: &str| lang.pick(zh, en).to_string();
        match self {
            MissingStudentId => fixed("缺少学号", "missing student id"),
            MissingCourseCode => fixed("缺少课程代码", "missing course code"),
            NoTermColumn => fixed("没有学期列", "no term column"),
            NotTerm => fixed(
                "不是学期（应为 YYYY-YYYY-N，如 2024-2025-1）",
                "not a term (expected YYYY-YYYY-N, e.g. 2024-2025-1)",
            ),
            NotTermYear => fixed(
                "不是学年（应为 YYYY-YYYY，如 2024-2025）",
                "not a term year (expected YYYY-YYYY, e.g. 2024-2025)",
            ),
            NotTermNumber => fixed(
                "不是学期号（应为 1、2、3、一、二、第一学期、夏季学期，或正方的 3/12/16）",
                "not a term number (expected 1, 2, 3, 一, 二, 第一学期, 夏季学期, or 正方's 3/12/16)",
            ),
            NotResult => fixed(
                "不是成绩（应为 0 到 100 的数、等级词、缓考或免修）",
                "not a result (expected a number from 0 to 100, a grade word, 缓考 or 免修)",
            ),
            NotAttemptKind => fixed(
                "不是考试性质（应为 正常考试、补考、补考一、补考二、毕业前补考、清考、重修、重修补考 或 缓考）",
                "not an attempt kind (expected 正常考试, 补考, 补考一, 补考二, 毕业前补考, 清考, 重修, 重修补考 or 缓考)",
            ),
            NotCredits => match lang {
                Lang::Zh => format!("不是学分（应为 0 到 {MAX_CREDITS} 的数）"),
                Lang::En => {
                    format!("not a number of credits (expected a number from 0 to {MAX_CREDITS})")
                }
            },
            NotHours => match lang {
                Lang::Zh => format!("不是学时数（应为 0 到 {MAX_ABSENCE_HOURS} 的数）"),
                Lang::En => format!(
                    "not a number of hours (expected a number from 0 to {MAX_ABSENCE_HOURS})"
                ),
            },
            NotYesNo => fixed(
                "不是是否标记（应为 1 或 0、是 或 否）",
                "not a yes/no mark (expected 1 or 0, 是 or 否)",
            ),
            NotFitnessScore => fixed(
                "不是体测成绩（应为数字、优秀、良好、及格或不及格）",
                "not a fitness score (expected a number, 优秀, 良好, 及格 or 不及格)",
            ),
            NotRequirement => fixed(
                "不是毕业要求（应为 达到 或 未达到）",
                "not a graduation requirement (expected 达到 or 未达到)",
            ),
            NoFitness => fixed(
                "既没有体测成绩也没有毕业要求",
                "no fitness score and no graduation requirement",
            ),
            NotFlagKind => fixed(
                "不是类型（应为 discipline/处分、wellbeing/情绪/沉迷网络 或 psychological/心理）",
                "not a flag kind (expected discipline/处分, wellbeing/情绪/沉迷网络 or psychological/心理)",
            ),
            NulByte => fixed(
                "含有 NUL 字节（不是教务系统导出的文本）",
                "holds a NUL byte (not text a registrar exports)",
            ),
            TooLong(n) => match lang {
                Lang::Zh => format!("{n} 个字符；一个单元格最多 {MAX_CELL_CHARS} 个"),
                Lang::En => format!("{n} characters; a cell holds at most {MAX_CELL_CHARS}"),
            },
            LineTooLong(mb) => match lang {
                Lang::Zh => format!("行长超过 {mb} MB"),
                Lang::En => format!("line longer than {mb} MB"),
            },
            UnclosedQuote => fixed(
                "这一行开始的引号没有闭合（或闭合在列数不对的行中）；跳过这一行，从下一行继续读",
                "a quote opened on this line is not closed (or closes in a row with the wrong number of columns); the row is skipped and reading goes on from the next line",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_both_languages() {
        use Why::*;
        let all = [
            MissingStudentId,
            MissingCourseCode,
            NoTermColumn,
            NotTerm,
            NotTermYear,
            NotTermNumber,
            NotResult,
            NotAttemptKind,
            NotCredits,
            NotHours,
            NotYesNo,
            NotFitnessScore,
            NotRequirement,
            NoFitness,
            NotFlagKind,
            NulByte,
            TooLong(1001),
            LineTooLong(4),
            UnclosedQuote,
        ];
        for w in all {
            let (zh, en) = (w.text(Lang::Zh), w.text(Lang::En));
            assert!(zh != en && !zh.is_empty() && !en.is_empty(), "{w:?}");
            // Chinese text leads with Chinese, not with an English word left over.
            assert!(!zh.is_ascii(), "{w:?}: {zh}");
        }
    }
}
