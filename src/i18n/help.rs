//! `--help` in the chosen language. The English texts are the doc comments on the clap
//! structs (they stay next to the code they describe); the Chinese ones are in [`ZH`], keyed by
//! the command path and the argument id (`schedule add --from`, `import FILE`). `main` reads
//! `--lang` from the arguments before clap parses them and swaps the texts in.

use clap::Command;

use super::Lang;

/// Chinese `about` of every command and `help` of every argument.
const ZH: &[(&str, &str)] = &[];

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

fn zh(k: &str) -> Option<&'static str> {
    ZH.iter().find(|(key, _)| *key == k).map(|(_, t)| *t)
}

/// `cmd` with its texts in `lang` (English: as written in the source).
pub fn localise(cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    translate(cmd, "")
}

fn translate(mut cmd: Command, path: &str) -> Command {
    if let Some(t) = zh(&key(path, None)) {
        cmd = cmd.about(t).long_about(None);
    }
    let ids: Vec<(clap::Id, String)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().clone(), arg_key(a)))
        .collect();
    for (id, k) in ids {
        if let Some(t) = zh(&key(path, Some(&k))) {
            cmd = cmd.mut_arg(id, |a| a.help(t).long_help(None));
        }
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = key(path, Some(&name));
        cmd = cmd.mut_subcommand(name, |s| translate(s, &sub_path));
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

/// Every key a full translation needs, with the English text it translates.
pub fn keys(cmd: &Command) -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect(cmd, "", &mut out);
    out
}

fn collect(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
    let text = |s: Option<&clap::builder::StyledStr>| s.map(ToString::to_string).unwrap_or_default();
    out.push((key(path, None), text(cmd.get_about())));
    for a in cmd.get_arguments() {
        if a.is_hide_set() || matches!(a.get_id().as_str(), "help" | "version") {
            continue;
        }
        out.push((key(path, Some(&arg_key(a))), text(a.get_help())));
    }
    for s in cmd.get_subcommands() {
        collect(s, &key(path, Some(s.get_name())), out);
    }
}

/// Keys with no Chinese text (for the test, which prints them ready to fill in).
pub fn missing(cmd: &Command) -> Vec<(String, String)> {
    keys(cmd)
        .into_iter()
        .filter(|(k, _)| zh(k).is_none())
        .collect()
}
