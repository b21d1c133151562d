//! How hftlist talks to the person at the terminal: the `--color`, `--quiet` and `--verbose`
//! settings, chosen once per run, and the one function that paints a diagnostic line.
//!
//! Colour goes only to a terminal (or wherever `--color always` says), so output piped to a file
//! or compared by a test stays byte-identical; `NO_COLOR` (any non-empty value) turns it off in
//! `auto` mode, as <https://no-color.org> asks.

use std::io::IsTerminal;
use std::sync::OnceLock;

use crate::model::diag::{Diagnostic, Severity};

/// When to colour hftlist's own output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// How much a command says on stderr besides its results and its errors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors and results only: no per-record progress lines, no summaries.
    Quiet,
    /// The default: a line per record written, and a summary.
    #[default]
    Normal,
    /// Also what was checked and left unchanged.
    Verbose,
}

/// The settings of this run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Settings {
    /// When to colour.
    pub color: ColorChoice,
    /// How much to say.
    pub verbosity: Verbosity,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Fixes the settings for the rest of the run; later calls are ignored (the first wins).
pub fn init(settings: Settings) {
    let _ = SETTINGS.set(settings);
}

/// The settings of this run (the defaults when `init` was not called, as in unit tests).
pub fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or_default()
}

/// Whether progress lines (records written, summaries) are printed.
pub fn chatty() -> bool {
    settings().verbosity >= Verbosity::Normal
}

/// Whether details (files checked and left unchanged) are printed.
pub fn verbose() -> bool {
    settings().verbosity >= Verbosity::Verbose
}

/// Which stream a text goes to, for the terminal test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Whether text written to `stream` is coloured, given the choice, `NO_COLOR` and whether the
/// stream is a terminal.
pub fn use_color(stream: Stream) -> bool {
    let terminal = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    decide(
        settings().color,
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        terminal,
    )
}

/// The colour decision, pure: `always` and `never` win; `auto` colours a terminal without
/// `NO_COLOR`.
pub fn decide(choice: ColorChoice, no_color: bool, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    }
}

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[1;36m";
const RESET: &str = "\x1b[0m";

/// A diagnostic's human line (see [`Diagnostic::human`]), in rustc's colours when `color`: the
/// place in bold, `error` in red, `warning` in yellow, the message plain.
pub fn diagnostic_line(d: &Diagnostic, color: bool) -> String {
    if !color {
        return d.human();
    }
    let file = d.file.display().to_string();
    let file = crate::model::sanitize::escape(&file);
    let place = if d.line == 0 {
        file.into_owned()
    } else {
        format!("{file}:{}:{}", d.line, d.column)
    };
    let tint = match d.severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
        Severity::Note => CYAN,
    };
    format!(
        "{BOLD}{place}:{RESET} {tint}{}[{}]{RESET}{BOLD}:{RESET} {}",
        d.severity,
        d.rule.name(),
        d.message
    )
}

/// Writes a line built by [`diagnostic_line`] (whose parts are already escaped, and whose only
/// control characters are its colours) to stderr; a closed or full stderr is ignored, as
/// `cmd::say` does.
pub fn say_painted(line: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}").and_then(|()| err.flush());
}

/// `hftlist: error: ` as the fatal-error prefix, in red and bold when `color`.
pub fn error_prefix(color: bool) -> String {
    if color {
        format!("{BOLD}hftlist:{RESET} {RED}error{RESET}{BOLD}:{RESET} ")
    } else {
        "hftlist: error: ".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diag::{Pos, Rule};

    #[test]
    fn auto_colours_only_a_terminal_without_no_color() {
        assert!(decide(ColorChoice::Auto, false, true));
        assert!(!decide(ColorChoice::Auto, true, true));
        assert!(!decide(ColorChoice::Auto, false, false));
        assert!(decide(ColorChoice::Always, true, false));
        assert!(!decide(ColorChoice::Never, false, true));
    }

    #[test]
    fn plain_lines_are_the_human_form_and_coloured_ones_differ_only_by_escapes() {
        let d = Diagnostic::new(
            "papers/x.yaml",
            Pos { line: 5, column: 8 },
            Rule::UnknownVenue,
            "venue `X` is not in the registry",
        );
        assert_eq!(diagnostic_line(&d, false), d.human());
        let coloured = diagnostic_line(&d, true);
        assert!(coloured.contains(RED));
        let stripped = coloured
            .replace(BOLD, "")
            .replace(RED, "")
            .replace(RESET, "");
        assert_eq!(stripped, d.human());
    }
}
