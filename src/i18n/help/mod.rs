//! `--help` in the chosen language. Most English texts are the doc comments on the clap
//! structs (they stay next to the code they describe); [`EN`] (`en.rs`) adds what a doc
//! comment cannot say (a global option's meaning under each command: `evaluate --term` is the
//! term evaluated, not the TUI's) and fills the gaps. The Chinese texts are all in [`ZH`]
//! (`zh.rs`). Both are keyed by the command path and the option (`schedule add --from`,
//! `import FILE`). `main` reads `--lang` from the arguments before clap parses them and swaps
//! the texts in.

mod en;
mod zh;

use clap::Command;

use super::Lang;
use en::EN;
use zh::ZH;

/// Commands that read neither `--term` nor `--policy`: there the two globals are hidden from
/// `--help` (still accepted, as globals are), so no command lists an option that does nothing
/// for it.
const NEITHER: &[&str] = &[
    "import",
    "policy",
    "log",
    "schedule",
    "contacts",
    "agenda",
    "term",
    "exempt",
    "exempt list",
    "exempt lift",
    "nature",
    "course",
    "coverage",
    "admin",
    "backup",
    "restore",
    "check",
    "user",
    "audit",
    "archive",
    "purge",
];

/// Whether the global option `id` means nothing under the command at `path`.
fn unused(path: &str, id: &str) -> bool {
    match id {
        "term" => NEITHER.contains(&path) || path == "template",
        "policy" => NEITHER.contains(&path) || path == "confirm",
        _ => false,
    }
}

/// The key of a command (`schedule add`) or of one of its arguments (`schedule add --from`).
fn key(path: &str, arg: Option<&str>) -> String {
    match (path.is_empty(), arg) {
        (true, None) => String::new(),
        (true, Some(a)) => a.to_string(),
        (false, None) => path.to_string(),
        (false, Some(a)) => format!("{path} {a}"),
    }
}

fn arg_key(a: &clap::Arg) -> String {
    match a.get_long() {
        Some(long) => format!("--{long}"),
        None => a
            .get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| a.get_id().to_string().to_uppercase(), |n| n.to_string()),
    }
}

fn lookup(table: &[(&str, &'static str)], k: &str) -> Option<&'static str> {
    table.iter().find(|(key, _)| *key == k).map(|(_, t)| *t)
}

fn table(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::Zh => ZH,
        Lang::En => EN,
    }
}

/// `cmd` with its texts in `lang`. Done before clap builds the command (a built command's
/// options cannot be changed safely): a global option with a text of its own under some
/// command (`evaluate --term`) is declared again there, global still, with that text.
pub fn localise(cmd: Command, lang: Lang) -> Command {
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    translate(cmd, "", lang, &globals)
}

fn translate(mut cmd: Command, path: &str, lang: Lang, globals: &[clap::Arg]) -> Command {
    let table = table(lang);
    if let Some(t) = lookup(table, &key(path, None)) {
        cmd = cmd.about(t).long_about(None);
    }
    let texts: Vec<(clap::Id, &'static str)> = cmd
        .get_arguments()
        .filter_map(|a| {
            Some((
                a.get_id().clone(),
                lookup(table, &key(path, Some(&arg_key(a))))?,
            ))
        })
        .collect();
    for (id, t) in texts {
        cmd = cmd.mut_arg(id, |a| a.help(t).long_help(None));
    }
    if !path.is_empty() {
        for g in globals {
            let own = cmd.get_arguments().any(|a| a.get_id() == g.get_id());
            if own {
                continue;
            }
            if unused(path, g.get_id().as_str()) {
                cmd = cmd.arg(g.clone().hide(true));
            } else if let Some(t) = lookup(table, &key(path, Some(&arg_key(g)))) {
                cmd = cmd.arg(g.clone().help(t).long_help(None));
            }
        }
    }
    if lang == Lang::Zh {
        cmd = chinese_frame(cmd, path.is_empty());
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = key(path, Some(&name));
        cmd = cmd.mut_subcommand(name, |s| translate(s, &sub_path, lang, globals));
    }
    cmd
}

/// clap's own words around the texts, in Chinese: the usage line, the headings and the
/// `--help`/`--version` flags (clap's usage errors stay English).
fn chinese_frame(mut cmd: Command, root: bool) -> Command {
    use clap::{Arg, ArgAction};
    cmd = cmd
        .help_template("{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    let ids: Vec<(clap::Id, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().clone(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let heading = if positional { "参数" } else { "选项" };
        cmd = cmd.mut_arg(id, |a| a.help_heading(heading));
    }
    cmd
}

/// The language `--lang` asks for on this command line, read before clap parses it (so that
/// `--help` can already speak it).
pub fn lang_in_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::parse(v);
        }
        if a == "--lang" {
            return it.next().and_then(|v| Lang::parse(&v));
        }
    }
    None
}

/// Options and commands whose help is empty in `lang` once localised, as (key, English).
pub fn missing(cmd: Command, lang: Lang) -> Vec<(String, String)> {
    let built = |lang| {
        let mut c = localise(cmd.clone(), lang);
        c.build();
        keys(&c)
    };
    let english: std::collections::HashMap<String, String> = built(Lang::En).into_iter().collect();
    built(lang)
        .into_iter()
        .filter(|(k, t)| {
            // A Chinese text holds Chinese and is not the English one (which may quote a
            // Chinese word, as `nature`'s does).
            let untranslated = lang == Lang::Zh && (!has_han(t) || english.get(k) == Some(t));
            t.trim().is_empty() || untranslated
        })
        .map(|(k, _)| {
            let en = english.get(&k).cloned().unwrap_or_default();
            (k, en)
        })
        .collect()
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Every command and option of a built command with its help text.
fn keys(cmd: &Command) -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect(cmd, "", &mut out);
    out
}

fn collect(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
    let text =
        |s: Option<&clap::builder::StyledStr>| s.map(ToString::to_string).unwrap_or_default();
    out.push((key(path, None), text(cmd.get_about())));
    for a in cmd.get_arguments() {
        if a.is_hide_set() || matches!(a.get_id().as_str(), "help" | "version") {
            continue;
        }
        out.push((key(path, Some(&arg_key(a))), text(a.get_help())));
    }
    for s in cmd.get_subcommands() {
        if s.get_name() == "help" {
            continue;
        }
        collect(s, &key(path, Some(s.get_name())), out);
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every command and option has help in both languages; a missing one fails here, listed
    /// ready to add to the table (key, then the English it translates).
    #[test]
    fn every_command_and_option_has_help_in_both_languages() {
        let mut report = Vec::new();
        for lang in [Lang::En, Lang::Zh] {
            let missing = missing(crate::cli::Cli::command(), lang);
            if !missing.is_empty() {
                report.push(format!("no {lang:?} help for:"));
                report.extend(
                    missing
                        .iter()
                        .map(|(k, en)| format!("    ({k:?}, \"\"), // {en}")),
                );
            }
        }
        assert!(report.is_empty(), "{}", report.join("\n"));
    }

    #[test]
    fn each_command_describes_its_own_term() {
        let mut cmd = localise(crate::cli::Cli::command(), Lang::En);
        cmd.build();
        let term = |path: &[&str]| {
            let mut c = &cmd;
            for p in path {
                c = c.find_subcommand(p).expect("subcommand");
            }
            c.get_arguments()
                .find(|a| a.get_id() == "term")
                .and_then(|a| a.get_help())
                .map(ToString::to_string)
                .unwrap_or_default()
        };
        assert!(term(&[]).starts_with("The TUI's"));
        assert!(term(&["evaluate"]).starts_with("Term to evaluate"));
        assert!(term(&["issue"]).starts_with("Term whose warnings"));
        assert!(term(&["exempt", "add"]).contains("required"));
        for path in [
            &["evaluate"][..],
            &["issue"],
            &["report"],
            &["exempt", "add"],
        ] {
            assert!(!term(path).contains("TUI"), "{path:?}: {}", term(path));
        }
    }

    /// Under every command but the TUI's own (none, and `demo`, which opens it), `--term` and
    /// `--policy` either say what they mean for that command or are not listed at all.
    #[test]
    fn no_command_lists_the_tuis_term_as_its_own() {
        for lang in [Lang::En, Lang::Zh] {
            let mut cmd = localise(crate::cli::Cli::command(), lang);
            cmd.build();
            let tuis = [localise(crate::cli::Cli::command(), lang)
                .get_arguments()
                .filter(|a| matches!(a.get_id().as_str(), "term" | "policy"))
                .filter_map(|a| a.get_help().map(ToString::to_string))
                .collect::<Vec<_>>()]
            .concat();
            let mut wrong = Vec::new();
            visit(&cmd, "", &mut |path, c| {
                if path.is_empty() || path.starts_with("demo") {
                    return;
                }
                for a in c.get_arguments().filter(|a| !a.is_hide_set()) {
                    let help = a.get_help().map(ToString::to_string).unwrap_or_default();
                    if tuis.contains(&help) {
                        wrong.push(format!("{path} --{}", a.get_id()));
                    }
                }
            });
            assert!(wrong.is_empty(), "{lang:?}: {wrong:?}");
            let log = cmd.find_subcommand("log").expect("log");
            let term = log.get_arguments().find(|a| a.get_id() == "term");
            assert!(term.is_some_and(clap::Arg::is_hide_set));
        }
    }

    fn visit(cmd: &Command, path: &str, f: &mut dyn FnMut(&str, &Command)) {
        f(path, cmd);
        for s in cmd.get_subcommands() {
            visit(s, &key(path, Some(s.get_name())), f);
        }
    }

    #[test]
    fn help_follows_the_language_and_dates_name_their_words() {
        let zh = localise(crate::cli::Cli::command(), Lang::Zh);
        let add = zh
            .find_subcommand("schedule")
            .and_then(|s| s.find_subcommand("add"))
            .expect("schedule add");
        assert_eq!(
            add.get_about().map(ToString::to_string).as_deref(),
            Some("添加一个日程并说明添加了什么（--format json：输出编号）")
        );
        let mut en = localise(crate::cli::Cli::command(), Lang::En);
        en.build();
        for (k, t) in keys(&en) {
            let dated = ["--date", "--from", "--until", "--next", "--start", "--end"];
            if dated.iter().any(|d| k.ends_with(d)) {
                let words = t.contains("today") || t.contains("+7d");
                assert!(t.contains("YYYY-MM-DD") && words, "{k}: {t}");
            }
        }
    }

    #[test]
    fn lang_is_read_before_clap_parses() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_in_args(&args(&["yujing", "--lang", "zh", "--help"])),
            Some(Lang::Zh)
        );
        assert_eq!(
            lang_in_args(&args(&["yujing", "log", "--lang=en"])),
            Some(Lang::En)
        );
        assert_eq!(lang_in_args(&args(&["yujing", "--", "--lang", "zh"])), None);
        assert_eq!(lang_in_args(&args(&["yujing", "agenda"])), None);
    }
}

#[cfg(test)]
mod parsing {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;
    use crate::cli::Cli;

    fn parse(lang: Lang, args: &[&str]) -> Result<Cli, clap::error::ErrorKind> {
        localise(Cli::command(), lang)
            .try_get_matches_from(args)
            .and_then(|m| Cli::from_arg_matches(&m))
            .map_err(|e| e.kind())
    }

    /// Declaring `--term` again under a command changes its help, not where its value goes.
    #[test]
    fn a_localised_command_line_parses_as_the_plain_one() {
        for lang in [Lang::Zh, Lang::En] {
            let term = |args: &[&str]| parse(lang, args).ok().and_then(|c| c.term);
            assert_eq!(
                term(&["yujing", "evaluate", "--term", "2024-2025-1"]).as_deref(),
                Some("2024-2025-1")
            );
            assert_eq!(
                term(&["yujing", "--term", "2024-2025-2", "issue"]).as_deref(),
                Some("2024-2025-2")
            );
            assert_eq!(
                term(&["yujing", "--term", "2024-2025-2"]).as_deref(),
                Some("2024-2025-2")
            );
            assert_eq!(
                parse(lang, &["yujing", "schedule", "add", "--help"]).err(),
                Some(clap::error::ErrorKind::DisplayHelp)
            );
            let db = parse(lang, &["yujing", "agenda", "--db", "x.db"])
                .ok()
                .and_then(|c| c.db);
            assert_eq!(db, Some(std::path::PathBuf::from("x.db")));
        }
    }
}
