//! A database shared by a group of accounts on one server.
//!
//! A shared database lives in a folder that is setgid and group-writable (`yujing admin init`),
//! so every file created there belongs to the group. SQLite creates -wal and -shm with the
//! database file's mode, so a database file that is 0660 makes every colleague's -wal and -shm
//! group-writable too; the process umask is left alone, because exports must stay 0600.
//! A personal database (any other folder) stays 0640.

use std::ffi::CString;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A personal database: owner and group may read, only the owner writes.
pub(super) const PERSONAL_MODE: u32 = 0o640;
/// A shared database: the group writes too.
pub(super) const SHARED_MODE: u32 = 0o660;
/// A shared folder: setgid (new files get the folder's group) and group-writable, closed to others.
pub(super) const SHARED_DIR_MODE: u32 = 0o2770;

/// The folder holding `path` (`.` for a bare file name).
pub(super) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The folder's group when the folder is set up for sharing (setgid), else None.
pub(super) fn shared_group(path: &Path) -> Option<u32> {
    let meta = fs::metadata(folder_of(path)).ok()?;
    (meta.mode() & 0o2000 != 0).then(|| meta.gid())
}

/// The database and the files SQLite keeps beside it.
pub(super) fn family(path: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    [path.to_path_buf(), with("-wal"), with("-shm")]
}

fn euid() -> u32 {
    // SAFETY: geteuid cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}

/// A name from the password or group database, or the number when there is none.
///
/// # Safety
/// `name` is null or a NUL-terminated string (from getpwuid/getgrgid, just called).
unsafe fn name_or_id(name: *const libc::c_char, id: u32) -> String {
    if name.is_null() {
        return id.to_string();
    }
    // SAFETY: per the contract above; copied out at once.
    unsafe { std::ffi::CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned()
}

/// The owner's login name, for telling a colleague whom to ask.
fn user_name(uid: u32) -> String {
    // SAFETY: getpwuid returns null or static storage, read before any other call.
    unsafe {
        let pw = libc::getpwuid(uid);
        name_or_id(
            if pw.is_null() {
                std::ptr::null()
            } else {
                (*pw).pw_name
            },
            uid,
        )
    }
}

/// A group's name, for commands a person types.
fn group_name(gid: u32) -> String {
    // SAFETY: getgrgid returns null or static storage, read before any other call.
    unsafe {
        let gr = libc::getgrgid(gid);
        name_or_id(
            if gr.is_null() {
                std::ptr::null()
            } else {
                (*gr).gr_name
            },
            gid,
        )
    }
}

/// The id of group `name`.
pub fn group_id(name: &str) -> io::Result<u32> {
    let c = CString::new(name).map_err(|_| io::Error::other("a group name has no NUL byte"))?;
    // SAFETY: getgrnam returns null or static storage; gr_gid is read at once.
    let gid = unsafe {
        let gr = libc::getgrnam(c.as_ptr());
        (!gr.is_null()).then(|| (*gr).gr_gid)
    };
    gid.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("no group named '{name}' (create it with `groupadd {name}` first)"),
        )
    })
}

fn chown_group(path: &Path, gid: u32) -> io::Result<()> {
    std::os::unix::fs::chown(path, None, Some(gid))
}

/// Whether this process may write `path` (as the kernel decides, groups included).
pub(super) fn writable(path: &Path) -> bool {
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated path.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

/// Makes the files of a shared database group-writable and the group's: those this account
/// owns are repaired; for the others, a line naming the file and the fixing command is
/// returned (the caller prints it; the open goes on, since reading may still work).
pub(super) fn repair(path: &Path, gid: u32) -> Vec<String> {
    let me = euid();
    let mut problems = Vec::new();
    for file in family(path) {
        let Ok(meta) = fs::symlink_metadata(&file) else {
            continue;
        };
        let mode = meta.mode() & 0o7777;
        let want = mode | SHARED_MODE;
        if mode == want && meta.gid() == gid {
            continue;
        }
        if meta.uid() == me || me == 0 {
            let fixed = (meta.gid() == gid || chown_group(&file, gid).is_ok())
                && fs::set_permissions(&file, fs::Permissions::from_mode(want)).is_ok();
            if fixed {
                continue;
            }
        }
        problems.push(format!(
            "{}: a shared database file that the group cannot write (mode {:04o}, owner {}); \
             ask {} or an administrator to run: chgrp {} {} && chmod g+rw {}",
            file.display(),
            mode,
            user_name(meta.uid()),
            user_name(meta.uid()),
            group_name(gid),
            file.display(),
            file.display(),
        ));
    }
    problems
}

/// Why `yujing admin init` could not share a folder.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(
        "{}: the folder already holds {}; a shared database needs a folder of its own (e.g. /srv/yujing/COLLEGE/)",
        folder.display(),
        other.display()
    )]
    NotOwnFolder { folder: PathBuf, other: PathBuf },
    #[error("{}: {source}{}", path.display(), owner_hint(source))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Only a file's owner may change its group and mode: say who can, when that is the refusal.
fn owner_hint(e: &io::Error) -> &'static str {
    if e.kind() == io::ErrorKind::PermissionDenied {
        " (only the folder's owner can change its group and mode: run this as the owner, or have an administrator chown the folder to you first)"
    } else {
        ""
    }
}

/// `yujing admin init`: makes the folder setgid, group `gid`, mode 2770 (creating it), and the
/// database files group `gid`, mode 0660. A folder that already holds other files is refused:
/// opening a home folder to the group would be a mistake.
pub fn init_folder(path: &Path, gid: u32) -> Result<(), InitError> {
    let folder = folder_of(path);
    let at = |p: &Path| {
        let path = p.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if folder.exists() {
        // The database, its -wal/-shm and its kept copies (`.before-restore-…`) may be there.
        let stem = path
            .file_name()
            .map(|n| n.as_bytes().to_vec())
            .unwrap_or_default();
        let other = fs::read_dir(&folder)
            .map_err(at(&folder))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                !p.file_name()
                    .is_some_and(|n| n.as_bytes().starts_with(&stem))
            });
        if let Some(other) = other {
            return Err(InitError::NotOwnFolder { folder, other });
        }
    } else {
        fs::create_dir_all(&folder).map_err(at(&folder))?;
    }
    chown_group(&folder, gid).map_err(at(&folder))?;
    fs::set_permissions(&folder, fs::Permissions::from_mode(SHARED_DIR_MODE))
        .map_err(at(&folder))?;
    for file in family(path) {
        if file.exists() {
            chown_group(&file, gid).map_err(at(&file))?;
            fs::set_permissions(&file, fs::Permissions::from_mode(SHARED_MODE))
                .map_err(at(&file))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_names_the_wal_and_shm() {
        let [db, wal, shm] = family(Path::new("/x/y.db"));
        assert_eq!(db, Path::new("/x/y.db"));
        assert_eq!(wal, Path::new("/x/y.db-wal"));
        assert_eq!(shm, Path::new("/x/y.db-shm"));
    }

    #[test]
    fn a_setgid_folder_is_shared_and_own_files_are_repaired() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("y.db");
        assert_eq!(shared_group(&db), None);
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o2770)).unwrap();
        let gid = fs::metadata(dir.path()).unwrap().gid();
        assert_eq!(shared_group(&db), Some(gid));
        fs::write(&db, b"").unwrap();
        fs::set_permissions(&db, fs::Permissions::from_mode(0o600)).unwrap();
        assert!(repair(&db, gid).is_empty());
        assert_eq!(fs::metadata(&db).unwrap().mode() & 0o777, 0o660);
    }

    #[test]
    fn init_refuses_a_folder_holding_other_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        let gid = fs::metadata(dir.path()).unwrap().gid();
        let err = init_folder(&dir.path().join("y.db"), gid).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert_eq!(
            fs::metadata(dir.path()).unwrap().mode() & 0o2000,
            0,
            "the folder was changed"
        );
    }
}
