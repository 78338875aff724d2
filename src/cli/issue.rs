//! `yujing issue [--term T] [--date D] [--yes] [--force]`: record the term's warnings (a
//! snapshot later imports do not change), each student's change since the warning they held,
//! and the follow-up obligations that begin, continue or end (`app::lifecycle`).
//! `yujing issue withdraw --term T [--student ID] --reason TEXT` withdraws a mistaken issue.

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::app::lifecycle::{
    self, Answer, Change, IssueInput, Outcome, StudentPlan, Withdrawal, student_list,
};
use crate::followup::login;
use crate::i18n::Msg;
use crate::locale::Lang;
use crate::model::Term;
use crate::policy::Policy;
use crate::schedule::parse_date_input;
use crate::text::sanitize;

use super::log::now;
use super::prompt::confirm;
use super::{Ctx, ListFormat};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub cmd: Option<Cmd>,
    /// Issue date: obligations run from it (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Write without asking (needed when there is no terminal).
    #[arg(long)]
    pub yes: bool,
    /// Issue a term earlier than the newest one issued (re-issuing history deliberately).
    #[arg(long)]
    pub force: bool,
    /// table: what is issued, in words; json: one object with the counts and, by change id,
    /// the students and their new warning ids (the preview then goes to standard error).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Withdraw a mistaken issue (needs --term): the warnings stay in history, marked withdrawn,
    /// their open obligations end.
    Withdraw {
        /// Only these students (repeatable, or a comma list); default: every student of the term.
        #[arg(long = "student", value_name = "ID")]
        students: Vec<String>,
        /// Why it is withdrawn (kept with the warnings).
        #[arg(long)]
        reason: String,
        /// Withdraw without asking (needed when there is no terminal).
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    match a.cmd {
        Some(Cmd::Withdraw {
            students,
            reason,
            yes,
        }) => withdraw(ctx, &student_list(&students), &reason, yes),
        None => issue(ctx, &a),
    }
}

fn tier_label(policy: &Policy, tier: &str, lang: Lang) -> String {
    policy.tiers.iter().find(|t| t.id == tier).map_or_else(
        || lang.pick("无", "none").to_string(),
        |t| lang.pick(&t.zh, &t.en).to_string(),
    )
}

/// The changes by id, with counts and the students of each.
fn print_plans(
    out: &mut dyn Write,
    policy: &Policy,
    plans: &[StudentPlan],
    lang: Lang,
) -> std::io::Result<()> {
    for (change, ps) in lifecycle::by_change(plans) {
        writeln!(
            out,
            "  {} {} ({}):",
            change.id(),
            ps.len(),
            change.label(lang)
        )?;
        for p in ps {
            writeln!(
                out,
                "    {} {}: {} → {}",
                p.student_id,
                sanitize(&p.name),
                tier_label(policy, &p.from_tier, lang),
                tier_label(policy, &p.warning.tier, lang)
            )?;
        }
    }
    Ok(())
}

/// What an issue wrote, for scripts: the counts, and by change id each student with the id of
/// the warning row written for them.
fn issue_json(
    term: Term,
    policy: &str,
    on: chrono::NaiveDate,
    plans: &[StudentPlan],
    w: &lifecycle::Written,
) -> serde_json::Value {
    let warning_id = |s: &str| {
        w.warning_ids
            .iter()
            .find(|(id, _)| id == s)
            .map(|(_, wid)| *wid)
    };
    let changes: serde_json::Map<String, serde_json::Value> = lifecycle::by_change(plans)
        .into_iter()
        .map(|(change, ps)| {
            let students = ps
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "student_id": p.student_id,
                        "warning_id": warning_id(&p.student_id),
                        "tier": p.warning.tier,
                    })
                })
                .collect();
            (change.id().to_string(), serde_json::Value::Array(students))
        })
        .collect();
    serde_json::json!({
        "term": term.to_string(),
        "policy": policy,
        "issued_on": on.to_string(),
        "warnings": w.warnings,
        "lifted": plans.iter().filter(|p| p.change == Change::Lifted).count(),
        "schedules_created": w.created,
        "schedules_ended": w.ended,
        "changes": changes,
    })
}

fn issue(ctx: &Ctx, a: &Args) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let mut db = ctx.open_db()?;
    let policy = crate::roster::resolve_policy(&db, ctx.policy.as_deref())?;
    let term = crate::roster::resolve_term(&db, ctx.term.as_deref())?;
    let on = match &a.date {
        Some(d) => parse_date_input(d, ctx.today).with_context(|| format!("--date '{d}'"))?,
        None => ctx.today,
    };
    if !db.has_regular_results(term)? {
        bail!(
            "{}",
            lang.pick(
                &format!(
                    "{term} 没有任何正考成绩，不能下发预警：先导入该学期成绩（yujing import grades 文件）"
                ),
                &format!(
                    "{term} has no regular-sitting results recorded: nothing to issue; import its grades first (yujing import grades FILE)"
                )
            )
        );
    }
    if let Some(newest) = db.newest_issued_term()?
        && newest > term
        && !a.force
    {
        bail!(
            "{}",
            lang.pick(
                &format!(
                    "{term} 早于已下发的最新学期 {newest}：下发会取代现行预警。撤回 {newest} 请用 yujing issue withdraw --term {newest} --reason …；确要重新下发历史学期请加 --force"
                ),
                &format!(
                    "{term} is earlier than {newest}, the newest term issued: issuing it would replace the warnings in force. To withdraw {newest}'s issue use `yujing issue withdraw --term {newest} --reason …`; to re-issue history deliberately add --force"
                )
            )
        );
    }
    let (cal, _) = crate::roster::calendar(&db, ctx.today)?;
    let unfinished = cal
        .terms
        .iter()
        .find(|(t, _, _)| *t == term)
        .map(|(_, _, end)| *end)
        .filter(|end| *end > ctx.today);
    let roster = crate::roster::assess(&db, policy, term)?;
    let exempt: HashSet<String> = db
        .exemptions()?
        .into_iter()
        .filter(|e| e.term == term && e.active(on))
        .map(|e| e.student_id)
        .collect();
    let input = IssueInput {
        policy: &roster.policy,
        term,
        rows: &roster.rows,
        exempt: &exempt,
        on,
        lang,
    };
    let json = a.format == ListFormat::Json;
    // With --format json standard output carries the one object; the preview goes to stderr.
    let say = move || -> Box<dyn Write> {
        if json {
            Box::new(std::io::stderr())
        } else {
            Box::new(std::io::stdout())
        }
    };
    let mut ask = |plans: &[StudentPlan], again: bool| -> anyhow::Result<Answer> {
        let mut out = say();
        if again {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "询问期间预警已被他人改动，现在的变化是：",
                    "the warnings changed while you were asked; the changes are now:"
                )
            )?;
        } else {
            writeln!(
                out,
                "{}",
                lang.pick(
                    &format!("{term} 预警下发（策略 {}，{on}）：", roster.policy.id),
                    &format!("{term} issue (policy {}, {on}):", roster.policy.id)
                )
            )?;
        }
        print_plans(&mut out, &roster.policy, plans, lang)?;
        if let Some(end) = unfinished {
            writeln!(
                out,
                "{}",
                lang.pick(
                    &format!("注意：{term} 尚未结束（最后一天 {end}），成绩可能还会变化"),
                    &format!(
                        "note: {term} has not ended (last day {end}); its results may still change"
                    )
                )
            )?;
        }
        out.flush()?;
        let q = lang.pick("下发？", "Issue?");
        Ok(if confirm(lang, q, a.yes)? {
            Answer::Yes
        } else {
            Answer::No
        })
    };
    match lifecycle::issue(&mut db, &input, &login(), now(ctx), a.yes, &mut ask)? {
        Outcome::Nothing => {
            if json {
                let w = lifecycle::Written::default();
                println!("{}", issue_json(term, &roster.policy.id, on, &[], &w));
            } else {
                let term = term.to_string();
                println!("{}", Msg::IssueNothing.fill(lang, &[("term", &term)]));
            }
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Declined => {
            eprintln!("{}", lang.pick("未下发", "not issued"));
            Ok(ExitCode::FAILURE)
        }
        Outcome::Done(plans, w) if json => {
            println!("{}", issue_json(term, &roster.policy.id, on, &plans, &w));
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Done(plans, w) => {
            let lifted = plans.iter().filter(|p| p.change == Change::Lifted).count();
            println!(
                "{}",
                lang.pick(
                    &format!(
                        "{term}：下发 {} 条预警，解除 {lifted} 人（策略 {}，{on}），生成 {} 项跟进日程，结束 {} 项",
                        w.warnings, roster.policy.id, w.created, w.ended
                    ),
                    &format!(
                        "{term}: issued {} warnings, {lifted} lifted (policy {}, {on}), created {} follow-up schedules, ended {}",
                        w.warnings, roster.policy.id, w.created, w.ended
                    )
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn withdraw(ctx: &Ctx, students: &[String], reason: &str, yes: bool) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let Some(term) = ctx.term.as_deref() else {
        bail!("{}", Msg::WithdrawNeedsTerm.text(lang));
    };
    let term: Term = term.parse()?;
    let reason = reason.trim();
    if reason.is_empty() {
        bail!("--reason is empty: say why the issue is withdrawn");
    }
    let mut db = ctx.open_db()?;
    for s in students {
        if db.student(s)?.is_none() {
            bail!("unknown student id '{s}' (not in the student roster)");
        }
    }
    let preview = db.withdrawal_preview(term, students)?;
    if let Some(missing) = students
        .iter()
        .find(|s| !preview.warnings.iter().any(|(w, _)| w == *s))
    {
        bail!(
            "student {missing} holds no warning for {term} that is not withdrawn: nothing written"
        );
    }
    if preview.warnings.is_empty() {
        bail!("no warnings issued for {term} that are not withdrawn already: nothing to withdraw");
    }
    println!(
        "{}",
        lang.pick(
            &format!("撤回 {term} 的 {} 条预警：", preview.warnings.len()),
            &format!("withdraw {} warnings of {term}:", preview.warnings.len())
        )
    );
    for (s, tier) in &preview.warnings {
        println!("  {s} {tier}");
    }
    if !confirm(lang, lang.pick("撤回？", "Withdraw?"), yes)? {
        eprintln!("{}", lang.pick("未撤回", "not withdrawn"));
        return Ok(ExitCode::FAILURE);
    }
    let by = login();
    let tx = db.begin_lifecycle()?;
    let done = tx.withdraw(&Withdrawal {
        term,
        students,
        reason,
        on: ctx.today,
        by: &by,
    })?;
    tx.commit()?;
    println!(
        "{}",
        lang.pick(
            &format!(
                "{term}：撤回 {} 条预警，结束 {} 项跟进日程",
                done.warnings.len(),
                done.ended
            ),
            &format!(
                "{term}: withdrew {} warnings, ended {} follow-up schedules",
                done.warnings.len(),
                done.ended
            )
        )
    );
    Ok(ExitCode::SUCCESS)
}
