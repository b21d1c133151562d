//! The doorway: parse the arguments, run the library, turn the outcome into an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = hftlist::cli::Cli::parse();
    match hftlist::run(cli) {
        Ok(code) => code,
        Err(err) if hftlist::is_broken_pipe(&err) => hftlist::exit::code(hftlist::exit::SUCCESS),
        Err(err) => {
            // Escaped: the chain may quote a file name or value from a pull request. A closed
            // stderr leaves nowhere to say it, which is no reason to panic.
            let text = format!("{err:#}");
            let color = hftlist::ui::use_color(hftlist::ui::Stream::Stderr);
            let _ = writeln!(
                std::io::stderr(),
                "{}{}",
                hftlist::ui::error_prefix(color),
                hftlist::model::sanitize::escape(&text)
            );
            hftlist::exit::code(hftlist::exit::FAILURE)
        }
    }
}
