//! `yujing issue --term T [--date D]`: record the term's warnings (a snapshot later imports do
//! not change) and create each warned student's follow-up obligations from the policy.

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;

use crate::db::IssuedWarning;
use crate::followup::login;
use crate::locale::Lang;
use crate::schedule::parse_date_input;

use super::Ctx;
use super::log::now;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Issue date: obligations run from it (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Re-issue without asking when the warnings changed since the last issue.
    #[arg(long)]
    pub yes: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let mut db = ctx.open_db()?;
    let policy = crate::roster::resolve_policy(&db, ctx.policy.as_deref())?;
    let term = crate::roster::resolve_term(&db, ctx.term.as_deref())?;
    let on = match &a.date {
        Some(d) => parse_date_input(d, ctx.today).with_context(|| format!("--date '{d}'"))?,
        None => ctx.today,
    };
    let roster = crate::roster::assess(&db, policy, term)?;
    let before: HashMap<String, IssuedWarning> = db
        .issued_warnings(term)?
        .into_iter()
        .map(|w| (w.student_id.clone(), w))
        .collect();
    let first_issue = before.is_empty();

    let mut issues = Vec::new();
    let mut changes = Vec::new();
    for (s, e) in &roster.rows {
        let tier = e.tier.clone().unwrap_or_default();
        let old = before.get(&s.student_id);
        let same = match old {
            Some(w) => w.tier == tier && w.status == e.status,
            None => tier.is_empty(),
        };
        if same {
            continue;
        }
        let label = |t: &str| {
            roster
                .policy
                .tiers
                .iter()
                .find(|x| x.id == t)
                .map_or(lang.pick("无", "none").to_string(), |x| {
                    lang.pick(&x.zh, &x.en).to_string()
                })
        };
        changes.push(format!(
            "  {} {}: {} → {}",
            s.student_id,
            crate::text::sanitize(&s.name).into_owned(),
            old.map_or(lang.pick("未发", "not issued").to_string(), |w| label(
                &w.tier
            )),
            label(&tier)
        ));
        issues.push(crate::roster::issue_of(&roster.policy, e, on, lang)?);
    }

    if issues.is_empty() {
        println!(
            "{}",
            lang.pick(
                &format!("{term} 的预警没有变化，无需重新下发"),
                &format!("{term}: warnings unchanged since they were issued; nothing to do")
            )
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !first_issue {
        println!(
            "{}",
            lang.pick(
                &format!("{term} 的预警自上次下发后有变化："),
                &format!("{term}: warnings changed since they were issued:")
            )
        );
        for c in &changes {
            println!("{c}");
        }
        if !a.yes && !confirm(lang)? {
            eprintln!(
                "{}",
                lang.pick(
                    "未重新下发（加 --yes 确认）",
                    "not re-issued (confirm with --yes)"
                )
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    let created = db.issue(&issues, &login(), now(ctx))?;
    let warned = issues.iter().filter(|i| !i.warning.tier.is_empty()).count();
    println!(
        "{}",
        lang.pick(
            &format!("{term}：下发 {warned} 条预警（策略 {}，{on}），生成 {created} 项跟进日程", roster.policy.id),
            &format!("{term}: issued {warned} warnings (policy {}, {on}), created {created} follow-up schedules", roster.policy.id)
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// Asks on the terminal; without one, the answer is no.
fn confirm(lang: Lang) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    print!("{}", lang.pick("重新下发？[y/N] ", "Re-issue? [y/N] "));
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "是"))
}
