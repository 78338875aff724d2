//! `yujing notices`: review, approve, list and print the term's warning notices.
//!
//! `notices --out DIR [--merge]` prints the approved ones; `notices approve` numbers drafts and
//! starts the delivery and receipt clocks; `notices list` shows every notice's state.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::app::notices::{self as store, Paper, current, days_key, notice_document, paper};
use crate::db::{Db, NoticeRow};
use crate::locale::Lang;
use crate::outfile::{self, OutFile, Rules};
use crate::paper::{self, State, Subject, template::Block};

use super::{Ctx, ListFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub cmd: Option<Cmd>,
    /// Folder for the approved notices: one ID-NAME-LABEL.docx each (or CLASS.docx with --merge).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// One CLASS.docx per class, ready to print, instead of one file per student.
    #[arg(long)]
    pub merge: bool,
    /// Only this class.
    #[arg(long)]
    pub class: Option<String>,
    /// Only this student.
    #[arg(long)]
    pub student: Option<String>,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Approve drafts: number them and start the delivery and receipt clocks.
    Approve {
        #[arg(long)]
        class: Option<String>,
        #[arg(long)]
        student: Option<String>,
    },
    /// Every notice of the term and its state.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Show a student's notice as plain text (the draft before approval).
    Show { student_id: String },
    /// Set a college's short name for notice numbers (default: its first two characters).
    Short { college: String, short: String },
    /// Days from approval until delivery and the parent's receipt are overdue (this policy).
    Days {
        #[arg(long)]
        deliver: u32,
        #[arg(long)]
        receipt: u32,
    },
}

fn tier_label(p: &Paper, tier: &str) -> String {
    p.policy
        .tiers
        .iter()
        .find(|t| t.id == tier)
        .map_or(tier.to_string(), |t| t.zh.clone())
}

/// The state a person reads: approved notices move on to delivered and receipt back.
fn shown_state(n: &NoticeRow) -> &'static str {
    match n.state {
        State::Approved if n.receipt.is_some() => "receipt_back",
        State::Approved if n.delivered.is_some() => "delivered",
        s => s.id(),
    }
}

fn state_word(s: &str, lang: Lang) -> &'static str {
    match s {
        "draft" => lang.pick("草稿", "draft"),
        "approved" => lang.pick("已批准", "approved"),
        "delivered" => lang.pick("已送达", "delivered"),
        "receipt_back" => lang.pick("回执已回", "receipt back"),
        "superseded" => lang.pick("已替代", "superseded"),
        _ => lang.pick("已撤销", "withdrawn"),
    }
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    if a.cmd.is_some() && (a.out.is_some() || a.merge || a.class.is_some() || a.student.is_some()) {
        bail!(
            "--out, --merge, --class and --student before a subcommand only go with printing: `yujing notices --out DIR`; put --class/--student after approve"
        );
    }
    let mut db = ctx.open_db()?;
    match a.cmd {
        Some(Cmd::Short { college, short }) => {
            let short = short.trim();
            if short.is_empty() || short.contains(['-', '/', '\\']) {
                bail!("short name '{short}': must be non-empty, without '-', '/' or '\\'");
            }
            db.set_college_short(college.trim(), short)?;
            println!("{} → {short}", college.trim());
            return Ok(ExitCode::SUCCESS);
        }
        Some(Cmd::Days { deliver, receipt }) => {
            if deliver == 0 || receipt == 0 {
                bail!("--deliver and --receipt must be at least 1 day");
            }
            let policy = crate::app::assess::resolve_policy(&db, ctx.policy.as_deref())?;
            db.set_meta(&days_key(&policy.id), &format!("{deliver},{receipt}"))?;
            println!("{}: {deliver} / {receipt}", policy.id);
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let p = paper(
        &db,
        ctx.policy.as_deref(),
        Some(&ctx.term_in(&db)?.to_string()),
    )?;
    let now = ctx.now();
    db.sync_notices(p.term, now)?;
    match a.cmd {
        Some(Cmd::Approve { class, student }) => approve(ctx, &mut db, &p, class, student),
        Some(Cmd::List { format }) => list(ctx, &db, &p, format),
        Some(Cmd::Show { student_id }) => {
            ctx.scope(&db)?.require(&student_id, ctx.lang)?;
            let n = current(&db, &p, &student_id)?;
            let blocks = notice_document(&db, &p, &n, ctx.today)?;
            print!("{}", paper::template::to_text(&blocks));
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Short { .. } | Cmd::Days { .. }) => Ok(ExitCode::SUCCESS),
        None => match &a.out {
            Some(dir) => print(ctx, &db, &p, &a, dir),
            None => {
                bail!("say what to do: --out DIR to print, or approve, list, show, short, days")
            }
        },
    }
}

fn approve(
    ctx: &Ctx,
    db: &mut Db,
    p: &Paper,
    class: Option<String>,
    student: Option<String>,
) -> anyhow::Result<ExitCode> {
    if let Some(s) = &student {
        current(db, p, s)?;
    }
    if let Some(c) = &class
        && !db.notices(p.term)?.iter().any(|n| &n.class == c)
    {
        bail!("class '{c}' has no notices for {}", p.term);
    }
    let done = store::approve(db, p, class.as_deref(), student.as_deref(), ctx.now())?;
    for n in &done {
        println!(
            "{}  {}  {}  {}",
            n.number.as_deref().unwrap_or(""),
            n.student_id,
            crate::text::sanitize(&n.name),
            tier_label(p, &n.tier)
        );
    }
    eprintln!(
        "{}",
        ctx.lang.pick(
            &format!("已批准 {} 份通知书（{}）", done.len(), p.term),
            &format!("{} notices approved ({})", done.len(), p.term)
        )
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    notice: &'a NoticeRow,
    tier_label: String,
    status: &'static str,
    confirmed: bool,
}

fn list(ctx: &Ctx, db: &Db, p: &Paper, format: ListFormat) -> anyhow::Result<ExitCode> {
    let mut notices = db.notices(p.term)?;
    ctx.scope(db)?.retain(&mut notices, |n| &n.student_id);
    let confirmed: std::collections::HashSet<String> =
        db.confirmations(p.term)?.into_iter().map(|c| c.0).collect();
    let listed: Vec<Listed<'_>> = notices
        .iter()
        .map(|n| Listed {
            notice: n,
            tier_label: tier_label(p, &n.tier),
            status: shown_state(n),
            confirmed: confirmed.contains(&n.student_id),
        })
        .collect();
    if format == ListFormat::Json {
        println!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    let header = super::output::header(
        lang,
        &[
            ("编号", "number"),
            ("学号", "id"),
            ("姓名", "name"),
            ("班级", "class"),
            ("等级", "tier"),
            ("状态", "state"),
            ("批准", "approved"),
            ("送达", "delivered"),
            ("回执", "receipt"),
        ],
    );
    let rows: Vec<Vec<String>> = listed
        .iter()
        .map(|l| {
            let n = l.notice;
            vec![
                n.number.clone().unwrap_or_else(|| "—".into()),
                n.student_id.clone(),
                crate::text::sanitize(&n.name).into_owned(),
                crate::text::sanitize(&n.class).into_owned(),
                l.tier_label.clone(),
                state_word(l.status, lang).to_string(),
                n.approved_at
                    .as_deref()
                    .map_or("", |a| a.get(..10).unwrap_or(a))
                    .to_string(),
                n.delivered.clone().unwrap_or_default(),
                n.receipt.clone().unwrap_or_default(),
            ]
        })
        .collect();
    super::output::table(&mut std::io::stdout().lock(), &header, &rows)?;
    Ok(ExitCode::SUCCESS)
}

/// Where `record` and `plan` write their document.
#[derive(Debug, clap::Args)]
pub struct DocOut {
    #[arg(long, value_name = "FILE.docx")]
    pub out: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Writes one document of the set (`record`, `plan`) for `record` and `plan`.
pub fn write_document(
    ctx: &Ctx,
    p: &Paper,
    name: &str,
    s: &Subject<'_>,
    out: &DocOut,
) -> anyhow::Result<ExitCode> {
    let Some(blocks) = paper::document(&p.set, name, s) else {
        bail!("policy '{}' has no '{name}' template", p.policy.id);
    };
    let rules = Rules {
        force: out.force,
        database: Some(&ctx.db_path),
    };
    let written = write_docx(&out.out, rules, &blocks)?;
    super::access::exported(name, 1, &written);
    println!("{}", written.display());
    Ok(ExitCode::SUCCESS)
}

fn write_docx(path: &Path, rules: Rules<'_>, blocks: &[Block]) -> anyhow::Result<PathBuf> {
    let mut f = OutFile::create(path, rules)?;
    paper::docx::write(f.file(), blocks).with_context(|| format!("{}", path.display()))?;
    Ok(f.finish()?)
}

fn print(ctx: &Ctx, db: &Db, p: &Paper, a: &Args, dir: &Path) -> anyhow::Result<ExitCode> {
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let scope = ctx.scope(db)?;
    if let Some(s) = &a.student {
        scope.require(s, ctx.lang)?;
    }
    let mut all = db.notices(p.term)?;
    scope.retain(&mut all, |n| &n.student_id);
    let chosen: Vec<&NoticeRow> = all
        .iter()
        .filter(|n| a.class.as_deref().is_none_or(|c| n.class == c))
        .filter(|n| a.student.as_deref().is_none_or(|s| n.student_id == s))
        .collect();
    if let Some(s) = &a.student {
        let latest = chosen
            .last()
            .with_context(|| format!("{s} has no notice for {}", p.term))?;
        match latest.state {
            State::Withdrawn => bail!(
                "{s}: the warning was withdrawn; its notice {} cannot be printed",
                latest.number.as_deref().unwrap_or("(draft)")
            ),
            State::Draft => bail!(
                "{s}: the notice is a draft; approve it first (`yujing notices approve --student {s}`)"
            ),
            _ => {}
        }
    }
    let approved: Vec<&NoticeRow> = chosen
        .into_iter()
        .filter(|n| n.state == State::Approved)
        .collect();
    if approved.is_empty() {
        bail!(
            "no approved notices for {} to print (approve drafts with `yujing notices approve`)",
            p.term
        );
    }
    let rules = Rules {
        force: a.force,
        database: Some(&ctx.db_path),
    };
    // (file, notices in it), checked before anything is written, so a clash writes nothing.
    let mut files: Vec<(PathBuf, Vec<&NoticeRow>)> = Vec::new();
    for n in &approved {
        let name = if a.merge {
            format!("{}.docx", paper::file_part(&n.class))
        } else {
            format!(
                "{}-{}-{}.docx",
                paper::file_part(&n.student_id),
                paper::file_part(&n.name),
                paper::file_part(&tier_label(p, &n.tier))
            )
        };
        let path = dir.join(name);
        match files.iter_mut().find(|(f, _)| *f == path) {
            Some((_, ns)) => ns.push(n),
            None => files.push((path, vec![n])),
        }
    }
    let posted = paper::posted(&p.policy.id);
    let list_path = dir.join(format!("邮寄地址清单-{}.xlsx", p.term));
    for (f, _) in &files {
        outfile::check(f, rules)?;
    }
    if posted {
        outfile::check(&list_path, rules)?;
    }
    for (path, ns) in &files {
        let docs = ns
            .iter()
            .map(|n| notice_document(db, p, n, ctx.today))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let written = write_docx(path, rules, &paper::merge(docs))?;
        println!("{}", written.display());
    }
    if posted {
        address_list(db, &approved, &list_path, rules)?;
        println!("{}", list_path.display());
    }
    super::access::exported("notices", approved.len(), dir);
    eprintln!(
        "{}",
        ctx.lang.pick(
            &format!("已写出 {} 份通知书，{} 个文件", approved.len(), files.len()),
            &format!(
                "{} notices written in {} files",
                approved.len(),
                files.len()
            )
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// hntou posts the parent copies: one row per copy, for the envelopes and the proof of mailing.
fn address_list(
    db: &Db,
    notices: &[&NoticeRow],
    path: &Path,
    rules: Rules<'_>,
) -> anyhow::Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("邮寄地址清单")?;
    let header = [
        "通知书编号",
        "学号",
        "姓名",
        "班级",
        "家长姓名",
        "家长电话",
        "家庭地址",
        "邮编",
        "寄发时间",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(c)?, *h, &bold)?;
    }
    for (i, n) in notices.iter().enumerate() {
        let s = db
            .student(&n.student_id)?
            .with_context(|| format!("unknown student id '{}'", n.student_id))?;
        let row = u32::try_from(i + 1)?;
        let cells = [
            n.number.clone().unwrap_or_default(),
            s.student_id,
            s.name,
            s.class,
            s.parent,
            s.parent_phone,
            s.address,
            String::new(),
            String::new(),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(row, u16::try_from(c)?, v)?;
        }
    }
    ws.set_column_width(6, 40)?;
    let f = OutFile::create(path, rules)?;
    wb.save(f.path())?;
    f.finish()?;
    Ok(())
}
