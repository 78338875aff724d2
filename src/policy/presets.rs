//! The four built-in policies, embedded from `policies/*.toml`.
