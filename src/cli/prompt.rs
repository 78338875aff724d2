//! Asking before a write: only on a terminal. Without one, and without `--yes`, the command
//! refuses (exit 1) and says to add `--yes`, so a script never hangs on a question nobody sees.

use std::io::{BufRead, IsTerminal, Write};

use crate::locale::Lang;

/// True to go ahead. `yes` answers for the person; with no terminal and no `yes` this is an
/// error naming `--yes`.
pub fn confirm(lang: Lang, question: &str, yes: bool) -> anyhow::Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "{}",
            lang.pick(
                "未写入：不在终端上，无法询问（确认请加 --yes）",
                "nothing written: no terminal to ask on (add --yes to confirm)"
            )
        );
    }
    print!("{question} [y/N] ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "是"))
}
