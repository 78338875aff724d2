//! Text helpers (placeholder until the TUI work lands).

/// Control characters and escape sequences never reach the terminal.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '�' } else { c })
        .collect()
}
