//! Text helpers (stub)
