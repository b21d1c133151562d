//! Exit codes, as ripgrep and grep use them.

use std::process::ExitCode;

/// Everything went well (no errors found, some papers matched, the file is current).
pub const SUCCESS: u8 = 0;
/// The run worked and found something wrong: errors in the data, no match, a stale file.
pub const PROBLEMS: u8 = 1;
/// The run could not do its job: bad usage, unreadable database, I/O or network failure.
pub const FAILURE: u8 = 2;

/// The `ExitCode` for one of the constants above.
pub fn code(code: u8) -> ExitCode {
    ExitCode::from(code)
}
