//! `yujing import KIND FILE`: one transaction per file; bad rows named FILE:LINE with column
//! and value; without --skip-bad any bad row means nothing is written.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::app::ingest::{Outcome, Request, import_file};
use crate::import::{Dataset, ReadOptions};
use crate::locale::Lang;

use super::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: Dataset,
    pub file: PathBuf,
    /// Encoding (utf-8, gbk, gb18030 …); detected when not given.
    #[arg(long)]
    pub encoding: Option<String>,
    /// XLSX sheet name (default: the first sheet).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Report what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows and list the bad ones (default: any bad row means nothing is written).
    #[arg(long)]
    pub skip_bad: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    // A dry run imports into a private copy: no write lock, nothing created.
    let mut db = if a.dry_run {
        if !ctx.db_path.exists() {
            eprintln!(
                "{}",
                ctx.lang.pick(
                    &format!("{}: 数据库尚不存在，按空数据库试运行（不会创建）", ctx.db_path.display()),
                    &format!("{}: no database yet; the dry run counts against an empty one (nothing is created)", ctx.db_path.display())
                )
            );
        }
        crate::db::Db::open_scratch(&ctx.db_path)?
    } else {
        ctx.open_db()?
    };
    let lang = ctx.lang;
    let big = std::fs::metadata(&a.file)
        .map(|m| m.len() > 512 * 1024)
        .unwrap_or(false);
    let req = Request {
        opts: ReadOptions {
            encoding: a.encoding.clone(),
            sheet: a.sheet.clone(),
            lang,
        },
        dry_run: a.dry_run,
        skip_bad: a.skip_bad,
        progress: big && std::io::stderr().is_terminal(),
        lang: Some(lang),
    };
    let Outcome {
        tally,
        bad,
        notes,
        written,
    } = import_file(&mut db, &a.file, a.kind, &req)?;
    for e in &bad {
        // A bad row's message echoes the cell: sanitised so the file cannot drive the terminal.
        eprintln!("{}", crate::text::sanitize(&e.render(lang)));
    }
    if written
        && tally.new + tally.changed > 0
        && let Ok(scope) = ctx.scope(&db)
    {
        crate::app::assess::warm_cache(&db, &scope);
    }
    let file = a.file.display();
    if notes.empty_results > 0 {
        println!(
            "{}",
            lang.pick(
                &format!(
                    "{file}: {} 行成绩为空（尚未录入），按待定处理",
                    notes.empty_results
                ),
                &format!(
                    "{file}: {} rows with an empty result (not yet recorded), kept as pending",
                    notes.empty_results
                )
            )
        );
    }
    if let Some(t) = notes.retake_term_assumed {
        println!(
            "{}",
            lang.pick(
                &format!("{file}: 宽表的重修成绩没有学期，按文件中最新学期 {t} 计"),
                &format!("{file}: wide layout: retake results carry no term; taken as sat in {t}, the newest term in the file")
            )
        );
    }
    if a.kind == Dataset::Grades {
        for line in grade_notes(&db, &notes, lang) {
            println!("{file}: {line}");
        }
    }
    for alt in &notes.alternatives {
        println!(
            "{file}: {}{alt}",
            lang.pick(
                "同一字段有多列，使用：",
                "several columns name one field; read: "
            )
        );
    }
    if !bad.is_empty() && !a.skip_bad {
        eprintln!(
            "{}",
            lang.pick(
                &format!("{file}: {} 行有错误，未写入任何数据（改正后重试，或用 --skip-bad 只导入正确的行）", bad.len()),
                &format!("{file}: {} bad rows: nothing written (fix them, or use --skip-bad to import the good rows)", bad.len())
            )
        );
    }
    let prefix = if a.dry_run {
        lang.pick("试运行，未写入：", "dry run, nothing written: ")
            .to_string()
    } else if !written {
        lang.pick("未写入：", "not written: ").to_string()
    } else {
        String::new()
    };
    println!("{file}: {prefix}{}", tally.summary(lang));
    Ok(if !bad.is_empty() && !a.skip_bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// What a grades file tells about natures and assessments: every nature value with the class
/// it got, and which rules of the database's policy cannot see its courses.
fn grade_notes(db: &crate::db::Db, notes: &crate::import::ReadNotes, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if !notes.nature_columns.is_empty() {
        let classes: Vec<String> = notes
            .natures
            .iter()
            .map(|(raw, n)| {
                let class = match n {
                    Some(crate::model::Nature::Other(_)) | None => lang.pick("未归类", "none"),
                    Some(n) => lang.pick(n.label_zh(), n.class_id()),
                };
                format!("{} → {}", crate::text::sanitize(raw), class)
            })
            .collect();
        out.push(format!(
            "{} ({}): {}",
            lang.pick("课程性质", "natures"),
            notes.nature_columns.join(", "),
            classes.join(", ")
        ));
        if notes
            .natures
            .iter()
            .any(|(_, n)| n.as_ref().is_none_or(|n| n.class_id() == "none"))
        {
            out.push(
                lang.pick(
                    "有课程性质未能归类，计为都不是：用 yujing nature map 值 required|elective|general|none 指定",
                    "some natures have no class and count as none: map them with yujing nature map VALUE required|elective|general|none",
                )
                .to_string(),
            );
        }
    }
    if let Ok(n @ 1..) = db.lone_makeups() {
        out.push(match lang {
            Lang::Zh => format!("{n} 条补考成绩在其学期及之前没有该课程的正考或重修，按所在学期的单独考试计"),
            Lang::En => format!("{n} makeup rows have no sitting of their course at or before their term: each is kept as a sitting of its own term"),
        });
    }
    let Ok(policy) = crate::app::assess::resolve_policy(db, None) else {
        return out;
    };
    let (nature_rules, assessment_rules) = policy.course_filters_used();
    let mut blind = Vec::new();
    if nature_rules && notes.nature_columns.is_empty() {
        blind.push(lang.pick("没有课程性质列", "no nature column (课程性质)"));
    }
    if assessment_rules && !notes.has_assessment {
        blind.push(lang.pick("没有考核方式列", "no assessment column (考核方式)"));
    }
    if !blind.is_empty() {
        out.push(match lang {
            Lang::Zh => format!(
                "文件{}：政策 {} 中按课程性质或考核方式筛选的规则（如必修课、考试课的条件）看不到这些课程",
                blind.join("，"),
                policy.id
            ),
            Lang::En => format!(
                "the file has {}: the rules of policy {} that filter on nature or assessment (required or exam courses) cannot see these courses",
                blind.join(" and "),
                policy.id
            ),
        });
    }
    out
}
