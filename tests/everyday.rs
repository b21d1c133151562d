//! The maintainer's conventions and everyday commands (issue 17): completions, man, init,
//! rename, remove, build, reference-manager imports, database discovery, colour and verbosity,
//! and the papercuts found on the way. One behaviour per test.

use assert_cmd::Command;

use crate::util::{BASE, TestDb, assert_text};

/// A database with one attack and one defense.
fn db() -> TestDb {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    db.file(
        "vaccine.yaml",
        "title: \"Vaccine: Perturbation-aware Alignment\"\nkind: defense\nstage: alignment\n\
         date: \"2024-02-02\"\nvenue: NeurIPS 2024\narxiv: \"2402.01100\"\n",
    );
    db
}

/// hftlist run in `dir`, without HFTLIST_DB or NO_COLOR from the environment.
fn hftlist(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("hftlist").unwrap();
    cmd.current_dir(dir)
        .env_remove("HFTLIST_DB")
        .env_remove("NO_COLOR");
    cmd
}

fn stdout(cmd: &mut Command) -> (String, String, i32) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

// ---- completions and man

#[test]
fn bash_completions_parse_with_bash_n() {
    let db = TestDb::new();
    let run = db.run(&["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("hftlist"), "{}", run.stdout);
    let script = db.root().join("hftlist.bash");
    std::fs::write(&script, &run.stdout).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    let db = TestDb::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish", "ZSH"] {
        let run = db.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for sub in ["validate", "rename", "completions"] {
            assert!(run.stdout.contains(sub), "{shell} lacks {sub}");
        }
    }
    assert_eq!(db.run(&["completions", "tcsh"]).code, 2);
}

#[test]
fn man_prints_a_roff_page_with_every_subcommand() {
    let run = TestDb::new().run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        &run.stdout[..80]
    );
    assert!(run.stdout.contains(".TH hftlist 1"), "{}", run.stdout);
    for heading in [
        ".SH \"HFTLIST VALIDATE\"",
        ".SH \"HFTLIST INIT\"",
        "\\-\\-deny\\-warnings",
    ] {
        assert!(run.stdout.contains(heading), "no {heading}");
    }
    // groff, when present, reads it without a warning.
    if let Ok(out) = std::process::Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(run.stdout.as_bytes())?;
            child.wait_with_output()
        })
    {
        assert_text(&String::from_utf8_lossy(&out.stderr), "");
    }
}

// ---- closed sets on the command line

#[test]
fn kinds_and_stages_match_without_regard_to_case() {
    let run = db().run(&[
        "query",
        "--kind",
        "DEFENSE",
        "--stage",
        "Alignment",
        "--format",
        "ids",
    ]);
    assert_text(&run.stdout, "vaccine\n");
    assert_eq!(run.code, 0);
}

#[test]
fn help_lists_the_kinds_and_stages() {
    let run = TestDb::new().run(&["query", "--help"]);
    assert!(
        run.stdout
            .contains("[possible values: attack, defense, analysis, benchmark, survey]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("post-fine-tuning"), "{}", run.stdout);
}

// ---- finding the database

#[test]
fn the_database_is_found_from_a_subdirectory() {
    let db = db();
    let deep = db.root().join("docs/deeper");
    std::fs::create_dir_all(&deep).unwrap();
    let (out, err, code) = stdout(hftlist(&deep).args(["validate"]));
    assert_eq!(code, 0, "{err}");
    assert_text(&out, "0 errors, 0 warnings in 2 files checked\n");
    let (out, _, _) = stdout(hftlist(&deep).args(["query", "--format", "ids", "--kind", "attack"]));
    assert_text(&out, "clean\n");
}

#[test]
fn diagnostics_name_files_relative_to_where_the_walk_started() {
    let db = db();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let deep = db.root().join("docs");
    std::fs::create_dir_all(&deep).unwrap();
    let (out, _, code) = stdout(hftlist(&deep).args(["validate"]));
    assert_eq!(code, 1);
    assert!(
        out.starts_with("../papers/bad.yaml:2:7: error[invalid-kind]"),
        "{out}"
    );
}

#[test]
fn hftlist_db_wins_over_the_walk() {
    let db = db();
    let other = TestDb::new();
    other.file("only.yaml", BASE);
    let (out, _, _) = stdout(
        hftlist(db.root())
            .env("HFTLIST_DB", other.papers())
            .args(["query", "--format", "ids"]),
    );
    assert_text(&out, "only\n");
}

#[test]
fn a_db_that_names_a_file_says_so() {
    let db = db();
    let run = db.run(&["--db", "papers/list.yaml", "validate"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: `papers/list.yaml` is a file: --db (or HFTLIST_DB) names the database \
         folder, the one that holds list.yaml (`--db papers`)\n",
    );
}

// ---- colour

#[test]
fn color_always_paints_diagnostics_like_rustc() {
    let db = db();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let run = db.run(&["--color", "always", "validate"]);
    assert!(
        run.stdout.starts_with(
            "\x1b[1mpapers/bad.yaml:2:7:\x1b[0m \x1b[1;31merror[invalid-kind]\x1b[0m\x1b[1m:\x1b[0m `attacker`"
        ),
        "{:?}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("1 error, 0 warnings in 3 files checked\n")
    );
}

#[test]
fn auto_colour_leaves_piped_output_plain() {
    let db = db();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let plain = db.run(&["validate"]);
    let never = db.run(&["--color", "never", "validate"]);
    assert!(!plain.stdout.contains('\x1b'));
    assert_text(&plain.stdout, &never.stdout);
}

#[test]
fn no_color_is_overridden_only_by_always() {
    let db = db();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let (out, _, _) = stdout(hftlist(db.root()).env("NO_COLOR", "1").args(["validate"]));
    assert!(!out.contains('\x1b'));
    let (out, _, _) = stdout(
        hftlist(db.root())
            .env("NO_COLOR", "1")
            .args(["--color", "always", "validate"]),
    );
    assert!(out.contains("\x1b[1;31m"), "{out:?}");
}

#[test]
fn fatal_errors_are_painted_too_when_asked() {
    let run = TestDb::empty().run(&["--color", "always", "validate"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("\x1b[1mhftlist:\x1b[0m \x1b[1;31merror\x1b[0m\x1b[1m:\x1b[0m "),
        "{:?}",
        run.stderr
    );
}

// ---- quiet and verbose

fn markdown_list(db: &TestDb) {
    std::fs::write(
        db.root().join("list.md"),
        "### Attacks\n- [2024/3/3] **A New Attack** *NeurIPS24* [[paper](https://arxiv.org/abs/2403.00001)]\n\
         - [2024/2/2] **A Clean Attack** [[paper](https://arxiv.org/abs/2402.01109)]\n",
    )
    .unwrap();
}

#[test]
fn import_quiet_prints_nothing_but_errors() {
    let db = db();
    markdown_list(&db);
    let run = db.run(&["import", "--quiet", "list.md"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stderr, "");
    assert!(db.papers().join("a-new-attack.yaml").exists());
}

#[test]
fn fmt_quiet_formats_silently() {
    let db = db();
    db.file(
        "loose.yaml",
        "title:   Loose\nkind: attack\ndate: '2024'\narxiv: '2401.00009'\n",
    );
    let run = db.run(&["fmt", "-q"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stderr, "");
    assert_text(
        &std::fs::read_to_string(db.papers().join("loose.yaml")).unwrap(),
        "title: Loose\nkind: attack\ndate: \"2024\"\narxiv: \"2401.00009\"\n",
    );
}

#[test]
fn quiet_and_verbose_conflict() {
    let run = db().run(&["-q", "-v", "validate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn build_verbose_names_the_files_it_wrote() {
    let db = db();
    db.file("README.template.md", "# {{ title }}\n\n{{ sections }}\n");
    let run = db.run(&["--verbose", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stderr, "wrote README.md\n");
}

// ---- init

#[test]
fn init_creates_a_database_that_validates_and_builds() {
    let root = tempfile::tempdir().unwrap();
    let (_, err, code) = stdout(hftlist(root.path()).args(["init", "--title", "My: List"]));
    assert_eq!(code, 0, "{err}");
    assert_text(
        &err,
        "wrote papers/list.yaml\nwrote papers/README.template.md\n\
         hftlist: a new list in `papers`; add papers with `hftlist --db papers add ARXIV_ID --kind KIND`\n",
    );
    let list = std::fs::read_to_string(root.path().join("papers/list.yaml")).unwrap();
    assert!(list.contains("title: \"My: List\"\n"), "{list}");
    assert!(list.contains("- name: NeurIPS"), "{list}");
    let (out, _, code) = stdout(hftlist(root.path()).args(["validate"]));
    assert_eq!(code, 0);
    assert_text(&out, "0 errors, 0 warnings in 0 files checked\n");
    let (_, err, code) = stdout(hftlist(root.path()).args(["build"]));
    assert_eq!(code, 0, "{err}");
    let readme = std::fs::read_to_string(root.path().join("README.md")).unwrap();
    assert!(readme.starts_with("# My: List\n\n0 papers.\n"), "{readme}");
}

#[test]
fn init_refuses_a_folder_that_holds_files() {
    let db = db();
    let run = db.run(&["init"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: `papers` already holds a database; nothing was written (give an empty or new folder)\n",
    );
}

#[test]
fn import_into_a_folder_without_list_yaml_suggests_init() {
    let db = TestDb::empty();
    std::fs::write(db.root().join("list.md"), "- [2024] **T**\n").unwrap();
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: `papers` holds no list.yaml: start a new list there with `hftlist init papers`\n",
    );
}

// ---- rename and remove

#[test]
fn rename_moves_the_record() {
    let db = db();
    let before = std::fs::read_to_string(db.papers().join("vaccine.yaml")).unwrap();
    let run = db.run(&["rename", "vaccine", "vaccine-2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stderr,
        "renamed papers/vaccine.yaml -> papers/vaccine-2024.yaml\n",
    );
    assert!(!db.papers().join("vaccine.yaml").exists());
    assert_text(
        &std::fs::read_to_string(db.papers().join("vaccine-2024.yaml")).unwrap(),
        &before,
    );
    assert_text(
        &db.run(&["query", "--id", "vaccine-2024", "--format", "ids"])
            .stdout,
        "vaccine-2024\n",
    );
}

#[test]
fn rename_points_at_text_that_mentions_the_old_id() {
    let db = db();
    db.file("README.template.md", "See vaccine here.\n");
    let run = db.run(&["rename", "vaccine", "vax"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .contains("papers/README.template.md:1: note: mentions the old id `vaccine`"),
        "{}",
        run.stderr
    );
}

#[test]
fn rename_refuses_a_taken_id() {
    let db = db();
    let run = db.run(&["rename", "vaccine", "clean"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: the id `clean` is taken by `papers/clean.yaml`; nothing was renamed\n",
    );
    assert!(db.papers().join("vaccine.yaml").exists());
}

#[test]
fn rename_refuses_an_invalid_id() {
    let run = db().run(&["rename", "vaccine", "Vaccine_2"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("hftlist: `Vaccine_2` is not a valid id: "),
        "{}",
        run.stderr
    );
}

#[test]
fn rename_of_an_unknown_id_suggests_one() {
    let run = db().run(&["rename", "vacine", "vax"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: no paper has the id `vacine` (did you mean `vaccine`?)\n",
    );
}

#[test]
fn remove_without_yes_deletes_nothing() {
    let db = db();
    let run = db.run(&["remove", "vaccine"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: would remove `papers/vaccine.yaml` (Vaccine: Perturbation-aware Alignment); run again with --yes to delete it\n",
    );
    assert!(db.papers().join("vaccine.yaml").exists());
}

#[test]
fn remove_with_yes_deletes_the_record() {
    let db = db();
    let run = db.run(&["remove", "vaccine", "--yes"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stderr, "removed papers/vaccine.yaml\n");
    assert!(!db.papers().join("vaccine.yaml").exists());
}

// ---- build

#[test]
fn build_writes_the_readme_and_the_chart_the_template_shows() {
    let db = db();
    db.file(
        "README.template.md",
        "# {{ title }}\n\n![chart](docs/papers-per-year.svg)\n\n{{ sections }}\n",
    );
    std::fs::create_dir(db.root().join("docs")).unwrap();
    let run = db.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(db.root().join("README.md").exists());
    let chart = std::fs::read_to_string(db.root().join("docs/papers-per-year.svg")).unwrap();
    assert!(chart.starts_with("<svg"), "{chart}");
    assert_eq!(db.run(&["build", "--check"]).code, 0);
    // The same files as `render` and `stats --svg` write: their own checks agree.
    assert_eq!(db.run(&["render", "--check", "README.md"]).code, 0);
    assert_eq!(
        db.run(&["stats", "--svg", "docs/papers-per-year.svg", "--check"])
            .code,
        0
    );
}

#[test]
fn build_check_fails_on_a_stale_chart() {
    let db = db();
    db.file(
        "README.template.md",
        "# {{ title }}\n\n![chart](docs/papers-per-year.svg)\n",
    );
    std::fs::create_dir(db.root().join("docs")).unwrap();
    assert_eq!(db.run(&["build"]).code, 0);
    db.file(
        "new.yaml",
        "title: Another\nkind: attack\ndate: \"2025\"\narxiv: \"2501.00001\"\n",
    );
    std::fs::write(db.root().join("README.md"), db.run(&["render"]).stdout).unwrap();
    let run = db.run(&["build", "--check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("papers-per-year.svg` is not current"),
        "{}",
        run.stderr
    );
}

#[test]
fn build_leaves_out_a_chart_the_template_does_not_show() {
    let db = db();
    db.file("README.template.md", "# {{ title }}\n");
    assert_eq!(db.run(&["build"]).code, 0);
    assert!(!db.root().join("docs").exists());
}

// ---- validate for pre-commit and GitHub

#[test]
fn validate_with_files_reports_only_on_them() {
    let db = db();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let run = db.run(&["validate", "papers/clean.yaml"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stdout, "0 errors, 0 warnings in 1 file checked\n");
    let run = db.run(&["validate", "papers/bad.yaml", "papers/clean.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("papers/bad.yaml:2:7: error[invalid-kind]")
    );
}

#[test]
fn validate_with_files_still_sees_duplicates_in_other_files() {
    let db = db();
    db.file(
        "again.yaml",
        "title: Again\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
    );
    let run = db.run(&["validate", "papers/again.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("duplicate-paper"), "{}", run.stdout);
}

#[test]
fn validate_github_prints_workflow_annotations() {
    let db = db();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let run = db.run(&["validate", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stdout,
        "::error file=papers/bad.yaml,line=2,col=7,title=invalid-kind::`attacker` is not a valid kind: expected one of `attack`, `defense`, `analysis`, `benchmark`, `survey`\n\
         1 error, 0 warnings in 3 files checked\n",
    );
}

#[test]
fn the_papers_licence_file_is_not_a_record() {
    let db = db();
    db.file("LICENSE", "CC0 1.0 Universal\n");
    let run = db.run(&["validate"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stdout, "0 errors, 0 warnings in 2 files checked\n");
}

// ---- BibTeX and CSL-JSON import

const BIB: &str = "@inproceedings{huang2024vaccine,\n  title = {{Vaccine}: Perturbation-aware Alignment},\n  author = {Huang, Tiansheng and Liu, Ling},\n  booktitle = {NeurIPS 2024},\n  year = {2024}, month = feb,\n  eprint = {2402.01100}, archivePrefix = {arXiv},\n  keywords = {defense, alignment}\n}\n\
@article{lisa,\n  title = {Lisa: Lazy Safety Alignment},\n  author = {Huang, Tiansheng},\n  journal = {NIPS 2024},\n  year = {2024},\n  doi = {10.52202/079017-3298},\n  keywords = {defense, fine-tuning}\n}\n\
@misc{nodate,\n  title = {No Date Here},\n  author = {Someone, A.}\n}\n";

#[test]
fn bibtex_import_writes_records_and_reports_duplicates_and_errors() {
    let db = db();
    std::fs::write(db.root().join("refs.bib"), BIB).unwrap();
    let run = db.run(&["import", "refs.bib"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "refs.bib:1: skipped `Vaccine: Perturbation-aware Alignment`: same arXiv id as `vaccine`\n\
         refs.bib:9: wrote papers/lisa.yaml\n\
         refs.bib:17: error: cannot import this entry: entry `nodate` does not say its kind: give --kind, or a keyword among `attack`, `defense`, `analysis`, `benchmark`, `survey`\n\
         read 3 entries: wrote 1, skipped 1 duplicates, 1 could not be parsed\n",
    );
    assert_text(
        &std::fs::read_to_string(db.papers().join("lisa.yaml")).unwrap(),
        "title: \"Lisa: Lazy Safety Alignment\"\nkind: defense\nstage: fine-tuning\ndate: \"2024\"\n\
         venue: NeurIPS 2024\nauthors:\n- Tiansheng Huang\ndoi: 10.52202/079017-3298\n",
    );
    assert_eq!(db.run(&["validate"]).code, 0);
}

#[test]
fn bibtex_that_does_not_parse_names_the_file_and_line() {
    let db = db();
    std::fs::write(db.root().join("refs.bib"), "@article{a,\n  title = {x\n").unwrap();
    let run = db.run(&["import", "refs.bib"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("hftlist: error: refs.bib:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cannot read the file"),
        "{}",
        run.stderr
    );
}

#[test]
fn csl_json_import_takes_the_kind_from_the_flag() {
    let db = db();
    std::fs::write(
        db.root().join("refs.json"),
        r#"[{"id": "x", "type": "article", "title": "Über Safety: Attacks",
  "author": [{"family": "Müller", "given": "Anna"}],
  "issued": {"date-parts": [[2025, 3]]}, "URL": "https://arxiv.org/abs/2503.00007"}]"#,
    )
    .unwrap();
    let run = db.run(&["import", "--kind", "attack", "refs.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &std::fs::read_to_string(db.papers().join("uber-safety.yaml")).unwrap(),
        "title: \"Über Safety: Attacks\"\nkind: attack\ndate: 2025-03\nauthors:\n- Anna Müller\narxiv: \"2503.00007\"\n",
    );
}

// ---- papercuts

#[test]
fn a_json_query_with_no_match_prints_an_empty_array() {
    let run = db().run(&["query", "--text", "nothing-like-this", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_text(&run.stdout, "[]\n");
    assert_text(&run.stderr, "hftlist: no papers match\n");
}

#[test]
fn a_csv_export_with_no_match_prints_the_header() {
    let run = db().run(&["export", "--text", "nothing-like-this", "--format", "csv"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("id,title,kind,"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn list_rules_honours_the_json_format() {
    let run = TestDb::new().run(&["validate", "--list-rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rules[0]["name"], "unreadable-file");
    assert_eq!(rules[0]["severity"], "error");
}

#[test]
fn stats_with_no_match_exits_1_like_query() {
    let run = db().run(&["stats", "--text", "nothing-like-this"]);
    assert_eq!(run.code, 1);
    assert_text(&run.stderr, "hftlist: no papers match\n");
    assert!(run.stdout.contains("total"), "{}", run.stdout);
}

#[test]
fn an_unknown_id_is_an_error_with_a_suggestion() {
    let run = db().run(&["query", "--id", "vacine"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: --id: no paper has the id `vacine` (did you mean `vaccine`?)\n",
    );
}

fn add_by_hand(db: &TestDb, title: &str, extra: &[&str]) -> crate::util::Run {
    let mut args = vec![
        "add",
        "--kind",
        "Attack",
        "--title",
        title,
        "--date",
        "2024-05-05",
        "--paper",
        "https://example.org/paper",
    ];
    args.extend_from_slice(extra);
    db.run(&args)
}

#[test]
fn add_writes_the_canonical_venue() {
    let db = db();
    let run = add_by_hand(&db, "Some Attack", &["--venue", "nips 2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stderr, "");
    let text = std::fs::read_to_string(db.papers().join("some-attack.yaml")).unwrap();
    assert!(text.contains("venue: NeurIPS 2024\n"), "{text}");
}

#[test]
fn add_writes_a_long_title_on_one_line() {
    let db = db();
    let title = "A Very Long Title About Harmful Fine-Tuning That Goes On And On Past Eighty Columns And Then Some More Words";
    let run = add_by_hand(&db, title, &["--id", "long"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(db.papers().join("long.yaml")).unwrap();
    assert!(text.starts_with(&format!("title: {title}\n")), "{text}");
}

#[test]
fn slugs_transliterate_non_ascii_titles() {
    let db = db();
    let run = add_by_hand(&db, "Ünïcödé: Attacks on Everything", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, "papers/unicode.yaml\n");
}

#[test]
fn import_writes_two_digit_year_venues_canonically() {
    let db = db();
    markdown_list(&db);
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("list.md:2: note: venue `NeurIPS24` written as `NeurIPS 2024`"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(db.papers().join("a-new-attack.yaml")).unwrap();
    assert!(text.contains("venue: NeurIPS 2024\n"), "{text}");
}

#[test]
fn a_template_error_names_the_file_line_and_variable() {
    let db = db();
    db.file("README.template.md", "# {{ title }}\n\n{{ totl }}\n");
    let run = db.run(&["render"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: papers/README.template.md:3: undefined value: `totl` is undefined\n",
    );
}

/// Five records with long ids, venues and titles, as the real list has.
fn wide_db() -> TestDb {
    let db = TestDb::new();
    for i in 0..5 {
        db.file(
            &format!("fine-tuning-aligned-language-models-{i}.yaml"),
            format!(
                "title: \"Fine-tuning Aligned Language Models Compromises Safety, Even When Users Do Not Intend To {i}\"\n\
                 kind: defense\nstage: post-fine-tuning\ndate: \"2023-10-0{}\"\nvenue: NeurIPS 2024 Workshop SafeGenAI\n\
                 arxiv: \"2310.0369{i}\"\n",
                i + 1
            ),
        );
    }
    db
}

#[test]
fn the_table_fits_80_columns_by_dropping_columns() {
    let db = wide_db();
    let (out, _, code) = stdout(hftlist(db.root()).env("COLUMNS", "80").args(["query"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "ID                                     TITLE");
    assert!(lines.iter().all(|l| unicode_columns(l) <= 80), "{out}");
    assert!(
        lines[1].contains("Fine-tuning Aligned Language Models"),
        "{out}"
    );
}

#[test]
fn the_table_counts_wide_characters_as_two_columns() {
    let db = TestDb::new();
    db.file(
        "cjk.yaml",
        "title: 大型语言模型的有害微调攻击与防御综述以及更多更多更多更多的内容\nkind: survey\ndate: \"2024\"\narxiv: \"2409.18169\"\n",
    );
    let (out, _, _) = stdout(hftlist(db.root()).env("COLUMNS", "60").args(["query"]));
    for line in out.lines() {
        assert!(
            unicode_columns(line) <= 60,
            "{line}: {}",
            unicode_columns(line)
        );
    }
    assert!(out.lines().nth(1).unwrap().ends_with('…'), "{out}");
}

/// Display columns, counting CJK ideographs as two (what a terminal shows).
fn unicode_columns(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}
