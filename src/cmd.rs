//! One module per subcommand: each loads what it needs, calls the library and returns the exit
//! code; none of them parses or checks data itself.

pub mod add;
pub mod export;
pub mod import;
pub mod query;
pub mod render;
pub mod stats;
pub mod validate;

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::cli::Filters;
use crate::db::{Db, Entry};

/// The entries the filters select, in file order; warns on stderr when some record files could
/// not be read (they cannot be selected, and `validate` says why).
pub(crate) fn select<'a>(db: &'a Db, filters: &Filters) -> anyhow::Result<Vec<&'a Entry>> {
    let query = filters.query(&db.list.registry)?;
    let skipped = db.files - db.entries.len();
    if skipped > 0 {
        say(format!(
            "hftlist: warning: {skipped} record file(s) could not be read and are left out; run \
             `hftlist validate`"
        ));
    }
    Ok(db
        .entries
        .iter()
        .filter(|e| query.matches(e.id.as_str(), &e.paper, &db.list.registry))
        .collect())
}

/// Writes a command's output to the file (atomically) or, without one or with `-`, to stdout.
pub(crate) fn emit(output: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) if path != Path::new("-") => crate::atomic::replace(path, text),
        _ => {
            let mut stdout = std::io::stdout().lock();
            // Flushed here: an error left in the buffer at exit would be lost.
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .context("cannot write to stdout")
        }
    }
}

/// Writes one line of a message to stderr with every control character escaped (so no value in
/// it can start a new log line); fails when stderr is closed or full.
pub(crate) fn try_say(line: impl AsRef<str>) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    writeln!(err, "{}", crate::sanitize::escape(line.as_ref()))?;
    err.flush()
}

/// `try_say`, ignoring a closed or full stderr: there is nowhere else to say it, and it must not
/// panic as `eprintln!` would.
pub(crate) fn say(line: impl AsRef<str>) {
    let _ = try_say(line);
}
