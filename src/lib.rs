//! hftlist keeps the reference bibliography of research on harmful fine-tuning of large language
//! models: one typed YAML record per paper under `papers/`, checked by `validate`, queried by
//! `query`.
//!
//! ```yaml
//! # papers/vaccine.yaml
//! title: "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tuning"
//! kind: defense
//! stage: alignment
//! date: "2024-02-02"
//! venue: NeurIPS 2024
//! arxiv: "2402.01109"
//! code: https://github.com/git-disl/Vaccine
//! ```
//!
//! The library does the work and returns data; `main.rs` only parses arguments and maps the
//! result to an exit code.

#[macro_use]
mod macros;

pub mod catalog;
pub mod checks;
pub mod cli;
pub mod cmd;
pub mod exit;
pub mod import;
pub mod import_bib;
pub mod messages;
pub mod model;
pub mod sources;
pub mod store;
pub mod synth;
pub mod ui;
pub mod views;

use std::process::ExitCode;

use cli::{Cli, Command};

/// Runs one command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    ui::init(ui::Settings {
        color: cli.color,
        verbosity: match (cli.quiet, cli.verbose) {
            (true, _) => ui::Verbosity::Quiet,
            (_, true) => ui::Verbosity::Verbose,
            _ => ui::Verbosity::Normal,
        },
    });
    // Commands that need no database run before one is looked for.
    match &cli.command {
        Command::Completions(args) => return cmd::completions::run(args),
        Command::Man(args) => return cmd::man::run(args),
        Command::Init(args) => return cmd::init::run(args),
        _ => {}
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let db = store::locate::database(cli.db.as_deref(), &cwd)?;
    match cli.command {
        Command::Validate(args) => cmd::validate::run(&db, &args),
        Command::Add(args) => cmd::add::run(&db, &args),
        Command::Export(args) => cmd::export::run(&db, &args),
        Command::Fmt(args) => cmd::fmt::run(&db, &args),
        Command::Import(args) => cmd::import::run(&db, &args),
        Command::Query(args) => cmd::query::run(&db, &args),
        Command::Refresh(args) => cmd::refresh::run(&db, &args),
        Command::Render(args) => cmd::render::run(&db, &args),
        Command::Stats(args) => cmd::stats::run(&db, &args),
        Command::Site(args) => cmd::site::run(&db, &args),
        Command::Build(args) => cmd::build::run(&db, &args),
        Command::Rename(args) => cmd::rename::run(&db, &args),
        Command::Remove(args) => cmd::remove::run(&db, &args),
        Command::Completions(_) | Command::Man(_) | Command::Init(_) => {
            Ok(exit::code(exit::SUCCESS))
        }
        Command::Links(args) => cmd::links::run(&db, &args),
    }
}

/// Whether the error is a closed pipe on stdout (`hftlist query | head`), which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
