//! Writing files so that a failure never leaves a half-written or clobbered file: the text goes
//! to a temporary file in the same folder, is synced, then renamed into place.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

fn temp_in(path: &Path, text: &str) -> anyhow::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".hftlist-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(tmp)
}

/// Creates `path` with `text`; fails, leaving everything as it was, if `path` exists.
pub fn create_new(path: &Path, text: &str) -> anyhow::Result<()> {
    temp_in(path, text)?.persist_noclobber(path).map_err(|e| {
        anyhow::Error::new(e.error).context(format!("cannot create `{}`", path.display()))
    })?;
    Ok(())
}

/// Writes `path` with `text`, replacing any previous file in one step.
pub fn replace(path: &Path, text: &str) -> anyhow::Result<()> {
    temp_in(path, text)?.persist(path).map_err(|e| {
        anyhow::Error::new(e.error).context(format!("cannot write `{}`", path.display()))
    })?;
    Ok(())
}
