//! The process's identity and privileges, from the operating system: the real uid's login
//! (never `$USER`, which anyone can set), whether yujing runs setgid (the server set-up), the
//! database the system config names there, and dropping the effective group to create a file
//! that belongs to the user.

use std::ffi::CStr;

/// The login of a uid from the password database; None when it has no entry.
pub fn login_of(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: passwd is plain data; getpwuid_r writes into it and `buf` only, and `result`
    // is either NULL or points at `pwd`, whose strings live in `buf`, read before both drop.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        Some(CStr::from_ptr(pwd.pw_name).to_string_lossy().into_owned())
    }
}

/// The real user running yujing: the login of the real uid, or `uid N` when it has none.
pub fn real_login() -> String {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    login_of(uid).unwrap_or_else(|| format!("uid {uid}"))
}

/// The system config of the server set-up; it alone names the database when yujing runs
/// setgid.
pub const SYSTEM_CONFIG: &str = "/etc/yujing/config.toml";

/// Whether yujing runs setgid to its group (effective group not the real one): the server
/// set-up, where yujing is the only door to the data.
pub fn setgid() -> bool {
    // SAFETY: getegid and getgid have no preconditions and cannot fail.
    unsafe { libc::getegid() != libc::getgid() }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SystemConfig {
    database: std::path::PathBuf,
}

/// Under the server set-up, the database named by [`SYSTEM_CONFIG`]; `--db` and
/// `$YUJING_DB` are ignored there, or a user could point the group's rights at any file.
/// None for personal use.
pub fn system_database() -> anyhow::Result<Option<std::path::PathBuf>> {
    if !setgid() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(SYSTEM_CONFIG)
        .map_err(|e| anyhow::anyhow!("{SYSTEM_CONFIG}: {e} (yujing runs setgid and needs it)"))?;
    let c: SystemConfig =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{SYSTEM_CONFIG}: {e}"))?;
    Ok(Some(c.database))
}

/// Runs `f` with the effective group dropped to the real one, so a file it creates (an
/// export, a backup) belongs to the user and not to yujing's group. A no-op outside the
/// server set-up.
pub fn as_user<T>(f: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    if !setgid() {
        return f();
    }
    // SAFETY: plain syscalls on ids; the saved set-group-id lets the effective group back.
    let (egid, rgid) = unsafe { (libc::getegid(), libc::getgid()) };
    if unsafe { libc::setegid(rgid) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let r = f();
    if unsafe { libc::setegid(egid) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    r
}
