//! `yujing issue [--term T] [--date D] [--yes] [--force]`: record the term's warnings (a
//! snapshot later imports do not change), each student's change since the warning they held,
//! and the follow-up obligations that begin, continue or end (`app::lifecycle`).
//! `yujing issue withdraw --term T [--student ID] --reason TEXT` withdraws a mistaken issue.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::app::lifecycle::{self, Answer, IssueRequest, Outcome, student_list};
use crate::i18n::Msg;
use crate::locale::Lang;
use crate::model::Term;
use crate::model::{Change, StudentPlan, Withdrawal, Written};
use crate::os::real_login as login;
use crate::policy::Policy;
use crate::schedule::parse_date_input;
use crate::text::sanitize;

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
    policy
        .tier_name(tier, lang)
        .unwrap_or(lang.pick("无", "none"))
        .to_string()
}

/// The changes by id, with counts and the students of each.
fn print_plans(
    out: &mut dyn Write,
    policy: &Policy,
    plans: &[StudentPlan],
    lang: Lang,
) -> std::io::Result<()> {
    for (change, ps) in lifecycle::by_change(plans) {
        // The change's words in the run's language; its id is for scripts (--format json).
        writeln!(out, "  {} {}:", change.label(lang), ps.len())?;
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
    w: &Written,
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
        "left_to_others": w.left_to_others,
        "changes": changes,
    })
}

fn issue(ctx: &Ctx, a: &Args) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let mut db = ctx.open_db()?;
    let scope = ctx.scope(&db)?;
    let on = match &a.date {
        Some(d) => parse_date_input(d, ctx.today).with_context(|| format!("--date '{d}'"))?,
        None => ctx.today,
    };
    let term = ctx.term_in(&db)?.to_string();
    let prepared = lifecycle::prepare_issue(
        &db,
        &IssueRequest {
            policy: ctx.policy.as_deref(),
            term: Some(&term),
            on,
            today: ctx.today,
            force: a.force,
            lang,
        },
    )?;
    let (roster, unfinished, term) = (&prepared.roster, prepared.unfinished, prepared.roster.term);
    let input = prepared.input(on, lang, &scope);
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
    match lifecycle::issue(&mut db, &input, &login(), ctx.now(), a.yes, &mut ask)? {
        Outcome::Nothing { others } => {
            if json {
                let w = Written {
                    left_to_others: others,
                    ..Written::default()
                };
                println!("{}", issue_json(term, &roster.policy.id, on, &[], &w));
            } else {
                let term = term.to_string();
                println!("{}", Msg::IssueNothing.fill(lang, &[("term", &term)]));
                print_left_to_others(others, lang);
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
            print_left_to_others(w.left_to_others, lang);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// An issue or withdrawal by someone with a part of the school says what it left alone.
fn print_left_to_others(others: usize, lang: Lang) {
    if others > 0 {
        println!(
            "{}",
            lang.pick(
                &format!("另有 {others} 名学生不在你的范围内，留给其负责人处理"),
                &format!(
                    "{others} students outside your scope were left to those in charge of them"
                )
            )
        );
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
    let scope = ctx.scope(&db)?;
    let (students, preview, others) =
        lifecycle::prepare_withdrawal(&db, term, students, &scope, lang)?;
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
    let done = lifecycle::withdraw(
        &mut db,
        &Withdrawal {
            term,
            students: &students,
            reason,
            on: ctx.today,
            by: &by,
        },
    )?;
    println!(
        "{}",
        lang.pick(
            &format!(
                "{term}：撤回 {} 条预警，结束 {} 项跟进日程，恢复 {} 项此前的跟进日程",
                done.warnings.len(),
                done.ended,
                done.reopened
            ),
            &format!(
                "{term}: withdrew {} warnings, ended {} follow-up schedules, reopened {} earlier ones",
                done.warnings.len(),
                done.ended,
                done.reopened
            )
        )
    );
    print_left_to_others(others, lang);
    Ok(ExitCode::SUCCESS)
}
