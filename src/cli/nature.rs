//! `yujing nature list|map`: the course natures (课程性质) the registrar wrote, the class each
//! one counts as, and a school's own mapping for the values yujing does not know (专业核心课 …).

use std::process::ExitCode;

use crate::model::Nature;

use super::{Ctx, output};

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Every nature value in the grades, with its class and how many grade rows carry it.
    List,
    /// Record the class a nature value counts as, for every user of this database.
    Map {
        /// The value exactly as the registrar wrote it (e.g. 专业核心课).
        value: String,
        /// required (必修), elective (选修), general (通识/公共选修) or none (counted as none).
        #[arg(value_parser = ["required", "elective", "general", "none"])]
        class: String,
    },
}

fn class_label(class: &str, lang: crate::locale::Lang) -> &'static str {
    let (zh, en) = match class {
        "required" => ("必修", "required"),
        "elective" => ("选修", "elective"),
        "general" => ("通识/公共选修", "general elective"),
        _ => ("不计入（未归类）", "none (not classified)"),
    };
    lang.pick(zh, en)
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    match c {
        Cmd::List => {
            let db = ctx.open_db()?;
            let rows: Vec<Vec<String>> = db
                .nature_values()?
                .into_iter()
                .map(|v| {
                    let (class, how) = match &v.mapped {
                        Some(m) => (m.clone(), lang.pick("学校映射", "school's mapping")),
                        None => (
                            Nature::normalise(&v.value)
                                .map_or("none", |n| n.class_id())
                                .to_string(),
                            lang.pick("内置规则", "built-in rule"),
                        ),
                    };
                    vec![
                        crate::text::sanitize(&v.value).into_owned(),
                        class_label(&class, lang).to_string(),
                        how.to_string(),
                        v.rows.to_string(),
                    ]
                })
                .collect();
            let header = output::header(
                lang,
                &[
                    ("课程性质", "nature"),
                    ("归类", "class"),
                    ("依据", "by"),
                    ("成绩行数", "grade rows"),
                ],
            );
            output::table(&mut std::io::stdout().lock(), &header, &rows)?;
        }
        Cmd::Map { value, class } => {
            let value = value.trim().to_string();
            anyhow::ensure!(
                !value.is_empty() && value.chars().count() <= 100,
                "{}",
                lang.pick(
                    "课程性质的值不能为空，也不能超过 100 个字符",
                    "the nature value must be 1 to 100 characters"
                )
            );
            let mut db = ctx.open_db()?;
            let by = crate::os::real_login();
            let at = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string();
            db.map_nature(&value, &class, &by, &at)?;
            println!(
                "{}",
                match lang {
                    crate::locale::Lang::Zh => format!(
                        "已记录：课程性质“{}”计为{}（评估时生效）",
                        crate::text::sanitize(&value),
                        class_label(&class, lang)
                    ),
                    crate::locale::Lang::En => format!(
                        "recorded: nature '{}' counts as {} (applies when evaluating)",
                        crate::text::sanitize(&value),
                        class_label(&class, lang)
                    ),
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
