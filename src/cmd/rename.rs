//! `hftlist rename OLD NEW`: gives a record a new id. The id is the file stem and nothing in the
//! database stores it elsewhere, so renaming the file renames the record; text that mentions the
//! old id (the template, list.yaml) is pointed out, since it is prose and not rewritten.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::exit;
use crate::model::ident::PaperId;
use crate::store::db::{self, LIST_FILE};
use crate::ui;

/// Arguments of `rename`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record's current id.
    pub old: String,

    /// The new id: lowercase letters, digits and single hyphens, starting with a letter.
    pub new: String,
}

/// The id in the catalog closest to `wanted`, for "did you mean" hints.
pub fn closest_id(catalog: &Catalog, wanted: &str) -> Option<String> {
    catalog
        .records()
        .map(|r| (strsim::jaro_winkler(wanted, r.entry.id.as_str()), r.entry))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e.id.to_string())
}

/// `no paper has the id `x`` with the closest id as a hint.
pub fn unknown_id(catalog: &Catalog, wanted: &str) -> String {
    let hint = closest_id(catalog, wanted)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    format!("no paper has the id `{wanted}`{hint}")
}

/// Why no record of the database in `dir` has the id: its file exists but does not load, or
/// there is no such record (see [`unknown_id`]).
pub fn missing_record(catalog: &Catalog, dir: &Path, wanted: &str) -> String {
    if let Ok(id) = wanted.parse::<PaperId>() {
        let path = db::record_path(dir, &id);
        if path.exists() {
            return format!(
                "`{}` does not load; fix it first (`hftlist validate` says why)",
                path.display()
            );
        }
    }
    unknown_id(catalog, wanted)
}

/// Runs `rename`: exit 0 when renamed, 1 when refused (unknown old id, invalid or taken new id).
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    // Another run writing the database at the same time would see the record half moved.
    let _lock = crate::store::lock::Lock::acquire(dir)?;
    let catalog = Catalog::load(dir)?;
    let Some(record) = catalog.get(&args.old) else {
        super::say(format!(
            "hftlist: {}",
            missing_record(&catalog, dir, &args.old)
        ));
        return Ok(exit::code(exit::PROBLEMS));
    };
    let new: PaperId = match args.new.parse() {
        Ok(id) => id,
        Err(e) => {
            let e: crate::model::ident::IdError = e;
            super::say(format!(
                "hftlist: `{}` is not a valid id: {}",
                args.new, e.0
            ));
            return Ok(exit::code(exit::PROBLEMS));
        }
    };
    let target = db::record_path(dir, &new);
    if target.exists() || catalog.get(new.as_str()).is_some() {
        super::say(format!(
            "hftlist: the id `{new}` is taken by `{}`; nothing was renamed",
            target.display()
        ));
        return Ok(exit::code(exit::PROBLEMS));
    }
    let source = record.path.clone();
    let text = crate::store::input::read_text(&source, Some(dir), db::MAX_FILE_SIZE, "the record")?;
    // Create the new file first (refusing to clobber), then drop the old: at every moment one
    // of the two holds the record.
    crate::store::atomic::create_new(&target, &text)?;
    std::fs::remove_file(&source).with_context(|| {
        format!(
            "wrote `{}` but cannot remove `{}`; remove it by hand",
            target.display(),
            source.display()
        )
    })?;
    if ui::chatty() {
        super::say(format!(
            "renamed {} -> {}",
            source.display(),
            target.display()
        ));
    }
    // Read as every file a pull request controls: regular files only, size-bounded (a FIFO
    // named README.template.md must not hang the rename).
    for (name, limit) in [
        (LIST_FILE, crate::store::input::MAX_LIST),
        (super::render::TEMPLATE, crate::store::input::MAX_TEMPLATE),
    ] {
        let path = dir.join(name);
        if let Ok(text) = crate::store::input::read_text(&path, Some(dir), limit, name) {
            for (n, line) in text.lines().enumerate() {
                if mentions(line, record.id.as_str()) {
                    super::say(format!(
                        "{}:{}: note: mentions the old id `{}`",
                        path.display(),
                        n + 1,
                        record.id
                    ));
                }
            }
        }
    }
    Ok(exit::code(exit::SUCCESS))
}

/// Whether `line` holds `id` as a whole word (not inside a longer id).
fn mentions(line: &str, id: &str) -> bool {
    let is_id_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    line.match_indices(id).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + id.len()..].chars().next();
        !before.is_some_and(is_id_char) && !after.is_some_and(is_id_char)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_whole_ids_only() {
        assert!(mentions("see vaccine.", "vaccine"));
        assert!(!mentions("see vaccine-2", "vaccine"));
        assert!(!mentions("antivaccine", "vaccine"));
    }
}
