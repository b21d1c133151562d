//! Conventions shared by every command: values in any case, finding the database, colour, quiet and verbose.

use crate::util::{BASE, TestDb, assert_text, hftlist_in, markdown_list, output_of, two_papers};

#[test]
fn kinds_and_stages_match_without_regard_to_case() {
    let run = two_papers().run(&[
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

#[test]
fn the_database_is_found_from_a_subdirectory() {
    let db = two_papers();
    let deep = db.root().join("docs/deeper");
    std::fs::create_dir_all(&deep).unwrap();
    let (out, err, code) = output_of(hftlist_in(&deep).args(["validate"]));
    assert_eq!(code, 0, "{err}");
    assert_text(&out, "0 errors, 0 warnings in 2 files checked\n");
    let (out, _, _) =
        output_of(hftlist_in(&deep).args(["query", "--format", "ids", "--kind", "attack"]));
    assert_text(&out, "clean\n");
}

#[test]
fn diagnostics_name_files_relative_to_where_the_walk_started() {
    let db = two_papers();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let deep = db.root().join("docs");
    std::fs::create_dir_all(&deep).unwrap();
    let (out, _, code) = output_of(hftlist_in(&deep).args(["validate"]));
    assert_eq!(code, 1);
    assert!(
        out.starts_with("../papers/bad.yaml:2:7: error[invalid-kind]"),
        "{out}"
    );
}

#[test]
fn hftlist_db_wins_over_the_walk() {
    let db = two_papers();
    let other = TestDb::new();
    other.file("only.yaml", BASE);
    let (out, _, _) = output_of(
        hftlist_in(db.root())
            .env("HFTLIST_DB", other.papers())
            .args(["query", "--format", "ids"]),
    );
    assert_text(&out, "only\n");
}

#[test]
fn a_db_that_names_a_file_says_so() {
    let db = two_papers();
    let run = db.run(&["--db", "papers/list.yaml", "validate"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: `papers/list.yaml` is a file: --db (or HFTLIST_DB) names the database \
         folder, the one that holds list.yaml (`--db papers`)\n",
    );
}

#[test]
fn color_always_paints_diagnostics_like_rustc() {
    let db = two_papers();
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
    let db = two_papers();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let plain = db.run(&["validate"]);
    let never = db.run(&["--color", "never", "validate"]);
    assert!(!plain.stdout.contains('\x1b'));
    assert_text(&plain.stdout, &never.stdout);
}

#[test]
fn no_color_is_overridden_only_by_always() {
    let db = two_papers();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let (out, _, _) = output_of(
        hftlist_in(db.root())
            .env("NO_COLOR", "1")
            .args(["validate"]),
    );
    assert!(!out.contains('\x1b'));
    let (out, _, _) = output_of(
        hftlist_in(db.root())
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

#[test]
fn import_quiet_prints_nothing_but_errors() {
    let db = two_papers();
    markdown_list(&db);
    let run = db.run(&["import", "--quiet", "list.md"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stderr, "");
    assert!(db.papers().join("a-new-attack.yaml").exists());
}

#[test]
fn fmt_quiet_formats_silently() {
    let db = two_papers();
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
    let run = two_papers().run(&["-q", "-v", "validate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn build_verbose_names_the_files_it_wrote() {
    let db = two_papers();
    db.file("README.template.md", "# {{ title }}\n\n{{ sections }}\n");
    let run = db.run(&["--verbose", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stderr, "wrote README.md\n");
}
