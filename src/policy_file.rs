//! Reading a policy file from disk, at the edge: the policy module parses and checks text and
//! never touches the file system.

use std::io::Read;
use std::path::Path;

use crate::policy::presets::{self, MAX_POLICY_BYTES, PolicyError};
use crate::policy::{Policy, preset_text};

/// The text of a policy file, refused unread past [`MAX_POLICY_BYTES`].
pub fn read(path: &Path) -> Result<String, PolicyError> {
    let name = path.display().to_string();
    let io = |e| PolicyError::Io(name.clone(), e);
    // A file the user names is opened with the user's rights only (server set-up).
    let file = crate::os::as_user(|| std::fs::File::open(path)).map_err(io)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells a file over it without reading all of a huge one.
    file.take(MAX_POLICY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > MAX_POLICY_BYTES {
        return Err(presets::too_big(&name));
    }
    String::from_utf8(bytes).map_err(|e| PolicyError::Parse {
        file: name,
        message: format!("not UTF-8 text: {e}"),
    })
}

/// A preset by id, or a policy file by path: `(policy, its TOML text)`.
pub fn resolve(id_or_file: &str) -> Result<(Policy, String), PolicyError> {
    if let Some(text) = preset_text(id_or_file) {
        return Ok((presets::parse(text, id_or_file)?, text.to_string()));
    }
    let path = Path::new(id_or_file);
    if !path.exists() {
        return Err(PolicyError::NotFound(id_or_file.to_string()));
    }
    let text = read(path)?;
    Ok((presets::parse(&text, id_or_file)?, text))
}
