//! The terminal and environment yujing runs in: no terminal, `TERM=dumb`, a closed pipe, a
//! locale whose character set is not UTF-8.

use std::io::IsTerminal;

use crate::locale::Lang;

/// Whether `e` comes from writing to a pipe whose reader has gone (`yujing … | head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `println!` panics when the reader of stdout has gone; that is the reader's choice, not an
/// error, so the process exits 0 quietly instead.
pub fn exit_quietly_on_broken_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("Broken pipe") || msg.contains("os error 32") {
            std::process::exit(0);
        }
        previous(info);
    }));
}

/// The character set the locale names (`zh_CN.GBK` → `GBK`), from the first non-empty of
/// LC_ALL, LC_CTYPE, LANG; None when it names none (C, POSIX, or no locale at all).
fn charset(lc_all: Option<&str>, lc_ctype: Option<&str>, lang: Option<&str>) -> Option<String> {
    let chosen = [lc_all, lc_ctype, lang]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|v| !v.is_empty())?;
    let after_dot = chosen.split_once('.')?.1;
    let set = after_dot.split('@').next().unwrap_or(after_dot);
    (!set.is_empty()).then(|| set.to_string())
}

fn is_utf8(set: &str) -> bool {
    let norm: String = set
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    norm == "utf8"
}

/// A message when the locale names a character set other than UTF-8 (e.g. `zh_CN.GBK`):
/// yujing writes UTF-8, which such a terminal shows as garbage.
pub fn locale_problem(lang: Lang) -> Option<String> {
    let var = |k: &str| std::env::var(k).ok();
    let set = charset(
        var("LC_ALL").as_deref(),
        var("LC_CTYPE").as_deref(),
        var("LANG").as_deref(),
    )?;
    if is_utf8(&set) {
        return None;
    }
    Some(lang.pick(
        &format!(
            "当前区域设置的字符集是 {set}，yujing 需要 UTF-8 终端：请运行 export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8（并把终端软件的编码设为 UTF-8）"
        ),
        &format!(
            "the locale's character set is {set}; yujing needs a UTF-8 terminal: run `export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8` (or en_US.UTF-8) and set your terminal program's encoding to UTF-8"
        ),
    ).to_string())
}

/// Why the TUI cannot start here, if it cannot: no terminal, or a terminal that is not UTF-8.
pub fn tui_problem(lang: Lang) -> Option<String> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Some(
            lang.pick(
                "不带子命令的 yujing 是终端界面，需要在终端中运行；命令行用法见 yujing --help",
                "yujing without a subcommand is the terminal UI and needs a terminal; for the commands, see `yujing --help`",
            )
            .to_string(),
        );
    }
    locale_problem(lang)
}

/// `TERM=dumb` (Emacs shells, some CI logs) cannot show colour.
pub fn dumb_terminal() -> bool {
    std::env::var("TERM").is_ok_and(|t| t == "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_charset_comes_from_the_first_set_variable() {
        assert_eq!(
            charset(None, None, Some("zh_CN.GBK")).as_deref(),
            Some("GBK")
        );
        assert_eq!(
            charset(Some("en_US.UTF-8"), None, Some("zh_CN.GBK")).as_deref(),
            Some("UTF-8")
        );
        assert_eq!(
            charset(Some(""), Some("zh_CN.gb18030@euro"), None).as_deref(),
            Some("gb18030")
        );
        assert_eq!(charset(None, None, Some("C")), None);
        assert!(is_utf8("UTF-8") && is_utf8("utf8") && !is_utf8("GBK"));
    }

    #[test]
    fn a_broken_pipe_is_found_under_context() {
        let e = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing the table");
        assert!(is_broken_pipe(&e));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
    }
}
