//! Messages on stderr: the one way any layer says something to the person running the command
//! (warnings, progress, diagnostics). Every line is escaped, so no value in it can start a new
//! log line or move the cursor, and a closed or full stderr never panics.

use std::io::Write;

/// Writes one line of a message to stderr with every control character escaped (so no value in
/// it can start a new log line); fails when stderr is closed or full.
pub fn try_say(line: impl AsRef<str>) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    writeln!(err, "{}", crate::model::sanitize::escape(line.as_ref()))?;
    err.flush()
}

/// `try_say`, ignoring a closed or full stderr: there is nowhere else to say it, and it must not
/// panic as `eprintln!` would.
pub fn say(line: impl AsRef<str>) {
    let _ = try_say(line);
}
