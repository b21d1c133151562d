//! The repository's own conventions: the pre-commit hooks run, every hftlist command the
//! maintainer documents (README template, CONTRIBUTING.md, docs/usage.md) exists with the flags
//! it is shown with, CI runs `.ci/run`, and the licences are where Cargo.toml says.

use std::path::Path;

use crate::util::{BASE, TestDb};

/// The repository root (the crate's folder).
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap()
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // every key is read to check the file's shape
struct Hook {
    id: String,
    name: String,
    description: String,
    entry: String,
    language: String,
    files: String,
    pass_filenames: bool,
}

fn hooks() -> Vec<Hook> {
    serde_saphyr::from_str(&read(".pre-commit-hooks.yaml")).unwrap()
}

/// A list repository as pre-commit sees it: records, a template and the README built from them.
fn list_repo() -> TestDb {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    db.file("README.template.md", "# {{ title }}\n\n{{ sections }}\n");
    assert_eq!(db.run(&["build"]).code, 0);
    db
}

/// Runs a hook's entry as pre-commit would, with the staged files when it takes them.
fn run_hook(db: &TestDb, hook: &Hook, staged: &[&str]) -> crate::util::Run {
    let mut args: Vec<&str> = hook.entry.split_whitespace().collect();
    assert_eq!(args.remove(0), "hftlist", "{}", hook.id);
    if hook.pass_filenames {
        args.extend_from_slice(staged);
    }
    db.run(&args)
}

#[test]
fn every_pre_commit_hook_passes_on_a_sound_list() {
    let db = list_repo();
    let hooks = hooks();
    assert!(
        hooks
            .iter()
            .any(|h| h.id == "hftlist-validate" && h.pass_filenames)
    );
    assert!(
        hooks
            .iter()
            .any(|h| h.entry == "hftlist render --check README.md")
    );
    for hook in &hooks {
        assert_eq!(hook.language, "rust");
        let run = run_hook(&db, hook, &["papers/clean.yaml"]);
        assert_eq!(run.code, 0, "{}: {}", hook.id, run.stderr);
    }
}

#[test]
fn the_validate_hook_fails_on_a_staged_bad_record_only() {
    let db = list_repo();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let hooks = hooks();
    let hook = hooks.iter().find(|h| h.id == "hftlist-validate").unwrap();
    assert_eq!(run_hook(&db, hook, &["papers/clean.yaml"]).code, 0);
    let run = run_hook(&db, hook, &["papers/bad.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("papers/bad.yaml:2:7: error[invalid-kind]")
    );
}

#[test]
fn the_render_hook_fails_on_a_stale_readme() {
    let db = list_repo();
    db.file(
        "new.yaml",
        "title: New\nkind: attack\ndate: \"2025\"\narxiv: \"2501.00001\"\n",
    );
    let hooks = hooks();
    let hook = hooks.iter().find(|h| h.id == "hftlist-render").unwrap();
    assert_eq!(run_hook(&db, hook, &[]).code, 1);
}

/// Every `hftlist ...` or `cargo run -- ...` line of the shell blocks of a Markdown file.
fn documented_commands(markdown: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let code = line.split(" #").next().unwrap_or_default();
        let code = code.split(['>', '|']).next().unwrap_or_default();
        let words: Vec<&str> = code.split_whitespace().collect();
        let rest = match words.as_slice() {
            ["hftlist", rest @ ..] => rest,
            ["cargo", "run", "--", rest @ ..] => rest,
            _ => continue,
        };
        out.push(rest.iter().map(|w| (*w).to_owned()).collect());
    }
    out
}

#[test]
fn documented_commands_exist_with_their_flags() {
    let db = TestDb::new();
    let mut seen = 0;
    for file in [
        "CONTRIBUTING.md",
        "docs/usage.md",
        "papers/README.template.md",
    ] {
        for words in documented_commands(&read(file)) {
            seen += 1;
            let sub = &words[0];
            let help = db.run(&[sub, "--help"]);
            assert_eq!(
                help.code,
                0,
                "{file}: `{}`: {}",
                words.join(" "),
                help.stderr
            );
            for flag in words.iter().filter(|w| w.starts_with("--")) {
                assert!(
                    help.stdout.contains(flag.as_str()),
                    "{file}: `{sub}` has no {flag}"
                );
            }
        }
    }
    assert!(seen >= 10, "only {seen} documented commands found");
}

#[test]
fn ci_runs_the_local_checks_with_github_annotations() {
    let workflow = read(".github/workflows/list.yml");
    assert!(workflow.contains("run: bash .ci/run"), "{workflow}");
    assert!(workflow.contains("HFTLIST_VALIDATE_FORMAT: github"));
    let run = read(".ci/run");
    assert!(
        run.contains("validate ${HFTLIST_VALIDATE_FORMAT:+--format \"$HFTLIST_VALIDATE_FORMAT\"}")
    );
    assert!(run.contains("-- build --check"));
    // The weekly job runs the network commands and reports through a PR or an issue.
    for needle in [
        "hftlist refresh",
        "hftlist links",
        "create-pull-request",
        "gh issue create",
    ] {
        assert!(workflow.contains(needle), "the workflow lacks {needle}");
    }
}

#[test]
fn the_licences_are_the_ones_cargo_toml_names() {
    assert!(read("Cargo.toml").contains("license = \"MIT OR Apache-2.0\"\n"));
    assert!(read("LICENSE-MIT").contains("Copyright (c) hftlist contributors\n"));
    assert!(
        read("LICENSE-APACHE")
            .contains("Apache License\n                           Version 2.0, January 2004")
    );
    let cc0 = read("papers/LICENSE");
    assert!(cc0.starts_with("Creative Commons Legal Code\n\nCC0 1.0 Universal\n"));
}

#[test]
fn the_issue_form_asks_for_the_link_and_the_kind() {
    let form = read(".github/ISSUE_TEMPLATE/suggest-paper.yml");
    assert!(form.starts_with("name: Suggest a paper\n"));
    for kind in ["attack", "defense", "analysis", "benchmark", "survey"] {
        assert!(form.contains(&format!("        - {kind}\n")), "{kind}");
    }
}
