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
pub mod messages;
pub mod model;
pub mod sources;
pub mod store;
pub mod synth;
pub mod views;

use std::process::ExitCode;

use cli::{Cli, Command};

/// Runs one command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate(args) => cmd::validate::run(&cli.db, &args),
        Command::Add(args) => cmd::add::run(&cli.db, &args),
        Command::Export(args) => cmd::export::run(&cli.db, &args),
        Command::Fmt(args) => cmd::fmt::run(&cli.db, &args),
        Command::Import(args) => cmd::import::run(&cli.db, &args),
        Command::Query(args) => cmd::query::run(&cli.db, &args),
        Command::Render(args) => cmd::render::run(&cli.db, &args),
        Command::Stats(args) => cmd::stats::run(&cli.db, &args),
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
