//! The Chinese words for the typed errors that user input reaches (a term, a date, a cadence,
//! a preset, an output file, a student id). The modules that raise them stay free of any
//! language (the engine and the cadence module are pure); the CLI's last line swaps the text
//! in here, so under `--lang zh` an error reads in Chinese whichever module it came from.

use std::error::Error;

use crate::db::DbError;
use crate::db::share::InitError;
use crate::import::FileError;
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
            DateInputError::NoSuchDate { input, why } => {
                format!("没有这一天：'{input}'（{}）", why.zh())
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
                "不是频次：'{v}'（应为 每周/weekly、每月/monthly、每N天/days:N、每学期K次/term:K 或 N天内一次/once:N）"
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
    if let Some(e) = cause.downcast_ref::<FileError>() {
        return match e {
            FileError::Io { file, source } => Some(format!("{file}：{}", io_zh(source))),
            FileError::MissingColumn {
                file,
                missing,
                accepted,
                found,
            } => Some(format!(
                "{file}：缺少必需的列 {missing}（可用的表头：{accepted}）；文件中的表头：{found}"
            )),
            // Worded where it is raised, in the run's language.
            FileError::Format { .. } => None,
        };
    }
    if let Some(e) = cause.downcast_ref::<InitError>() {
        return Some(match e {
            InitError::NotOwnFolder { folder, other } => format!(
                "{}：文件夹里已有 {}；共享数据库需要单独的文件夹（如 /srv/yujing/学院/）",
                folder.display(),
                other.display()
            ),
            InitError::Io { path, source } => {
                let hint = if source.kind() == std::io::ErrorKind::PermissionDenied {
                    "（只有文件夹的所有者能修改它的属组和权限：请所有者运行本命令，或请管理员先把文件夹 chown 给你）"
                } else {
                    ""
                };
                format!("{}：{}{hint}", path.display(), io_zh(source))
            }
        });
    }
    if let Some(e) = cause.downcast_ref::<std::io::Error>() {
        return Some(io_zh(e));
    }
    None
}

/// The operating system's usual refusals in Chinese; anything rarer keeps its own text.
fn io_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "文件或文件夹不存在".to_string(),
        PermissionDenied => "没有权限".to_string(),
        AlreadyExists => "已经存在".to_string(),
        IsADirectory => "这是一个文件夹".to_string(),
        StorageFull => "磁盘已满".to_string(),
        _ => e.to_string(),
    }
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

    /// A refused `admin init` keeps the folder it names in Chinese too, and says who may
    /// change the folder when the system refused for want of ownership.
    #[test]
    fn a_refused_folder_is_named_in_chinese() {
        let refused = InitError::Io {
            path: "/srv/yujing/生命学院".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        let zh_text = zh(&refused).unwrap();
        assert!(zh_text.starts_with("/srv/yujing/生命学院："), "{zh_text}");
        assert!(zh_text.contains("所有者"), "{zh_text}");
        assert!(refused.to_string().contains("owner"), "{refused}");
        let missing = InitError::Io {
            path: "/srv/x".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert!(!zh(&missing).unwrap().contains("所有者"));
        let busy = InitError::NotOwnFolder {
            folder: "/home/ua".into(),
            other: "/home/ua/.bashrc".into(),
        };
        let zh_text = zh(&busy).unwrap();
        assert!(
            zh_text.contains("/home/ua/.bashrc") && zh_text.contains("单独的文件夹"),
            "{zh_text}"
        );
    }
}
