//! The doorway: parse the arguments, run the library, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = hftlist::cli::Cli::parse();
    match hftlist::run(cli) {
        Ok(code) => code,
        Err(err) if hftlist::is_broken_pipe(&err) => hftlist::exit::code(hftlist::exit::SUCCESS),
        Err(err) => {
            let color = hftlist::ui::use_color(hftlist::ui::Stream::Stderr);
            eprintln!("{}{err:#}", hftlist::ui::error_prefix(color));
            hftlist::exit::code(hftlist::exit::FAILURE)
        }
    }
}
