//! Issue 12: a stranger's pull request controls every file under `papers/`, the template and the
//! README. Each test builds one hostile input of a class in a temp folder and checks that it is
//! refused with a message naming the file, that nothing outside the database is read or echoed,
//! that nothing hangs or panics, and that writes never replace anything but a regular file.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::util::{BASE, TestDb, assert_text};

/// A secret that must never appear in any output.
const SECRET: &str = "SECRET_TOKEN=ghp_0123456789abcdefSECRET";

/// A file outside the database full of secret lines, as `/etc/shadow` or `/proc/self/environ`.
fn secret_file(db: &TestDb) -> std::path::PathBuf {
    let path = db.root().join("secret.txt");
    std::fs::write(&path, format!("{SECRET}\nroot:$6$abc:{SECRET}:\n")).unwrap();
    path
}

/// Runs hftlist in the database's root with a timeout, so a hang fails the test.
fn run_with(db: &TestDb, args: &[&str], setup: impl FnOnce(&mut Command)) -> Output {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("hftlist"));
    cmd.current_dir(db.root())
        .env_remove("HFTLIST_DB")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    setup(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("hftlist {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(db: &TestDb, args: &[&str]) -> (String, String, i32) {
    let out = run_with(db, args, |_| {});
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        text(out.stdout),
        text(out.stderr),
        out.status.code().unwrap_or(-1),
    )
}

#[track_caller]
fn assert_no_secret(texts: &[&str]) {
    for t in texts {
        assert!(!t.contains("SECRET"), "a secret was echoed:\n{t}");
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn readme_db() -> TestDb {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    db.file("README.template.md", "{{ sections }}\n");
    db
}

// 1. Only regular files are read, and links only inside the database.

#[cfg(unix)]
#[test]
fn a_record_linked_outside_the_database_is_refused_unread() {
    let db = TestDb::new();
    symlink(&secret_file(&db), &db.papers().join("x.yaml"));
    let (stdout, stderr, code) = run(&db, &["validate"]);
    assert_text(
        &stdout,
        "papers/x.yaml: error[unreadable-file]: the file is a symbolic link that leaves the \
         database folder or does not end at a regular file; only links to regular files inside \
         the database folder are followed\n1 error, 0 warnings in 1 file checked\n",
    );
    assert_no_secret(&[&stdout, &stderr]);
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn a_record_linked_to_a_record_inside_the_database_is_read() {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    std::fs::create_dir(db.papers().join(".shared")).unwrap();
    std::fs::write(
        db.papers().join(".shared/b.yaml"),
        "title: Another Attack\nkind: attack\ndate: \"2024-02-03\"\narxiv: \"2402.01110\"\n",
    )
    .unwrap();
    symlink(Path::new(".shared/b.yaml"), &db.papers().join("b.yaml"));
    let (stdout, _, code) = run(&db, &["validate"]);
    assert_text(&stdout, "0 errors, 0 warnings in 2 files checked\n");
    assert_eq!(code, 0);
}

#[cfg(unix)]
#[test]
fn a_fifo_record_is_refused_without_hanging() {
    let db = TestDb::new();
    mkfifo(&db.papers().join("x.yaml"));
    let (stdout, _, code) = run(&db, &["validate"]);
    assert_text(
        &stdout,
        "papers/x.yaml: error[unreadable-file]: this is a FIFO (named pipe), not a regular \
         file\n1 error, 0 warnings in 1 file checked\n",
    );
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn a_list_file_linked_outside_the_database_is_refused_unread() {
    let db = TestDb::empty();
    symlink(&secret_file(&db), &db.papers().join("list.yaml"));
    let (stdout, stderr, code) = run(&db, &["validate"]);
    assert_no_secret(&[&stdout, &stderr]);
    assert!(
        stderr.starts_with("hftlist: error: papers/list.yaml: error[unreadable-file]: the file is a symbolic link that leaves the database folder"),
        "{stderr}"
    );
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_fifo_list_file_is_refused_without_hanging() {
    let db = TestDb::empty();
    mkfifo(&db.papers().join("list.yaml"));
    let (_, stderr, code) = run(&db, &["query"]);
    assert_text(
        &stderr,
        "hftlist: error: papers/list.yaml: error[unreadable-file]: this is a FIFO (named pipe), \
         not a regular file\n",
    );
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_readme_linked_outside_the_database_is_refused_unread() {
    let db = readme_db();
    symlink(&secret_file(&db), &db.root().join("README.md"));
    let (stdout, stderr, code) = run(&db, &["render", "--check", "README.md"]);
    assert_no_secret(&[&stdout, &stderr]);
    assert!(
        stderr.starts_with("hftlist: error: cannot read the README `README.md`: the file is a symbolic link that leaves the database folder"),
        "{stderr}"
    );
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_fifo_readme_is_refused_without_hanging() {
    let db = readme_db();
    mkfifo(&db.root().join("README.md"));
    let (_, stderr, code) = run(&db, &["render", "--check", "README.md"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot read the README `README.md`: this is a FIFO (named pipe), not a \
         regular file\n",
    );
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_template_linked_outside_the_database_is_refused_unread() {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    symlink(&secret_file(&db), &db.papers().join("README.template.md"));
    let (stdout, stderr, code) = run(&db, &["render"]);
    assert_no_secret(&[&stdout, &stderr]);
    assert!(
        stderr.starts_with("hftlist: error: cannot read the template `papers/README.template.md`: the file is a symbolic link that leaves"),
        "{stderr}"
    );
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_fifo_template_is_refused_without_hanging() {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    mkfifo(&db.papers().join("README.template.md"));
    let (_, stderr, code) = run(&db, &["render"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot read the template `papers/README.template.md`: this is a FIFO \
         (named pipe), not a regular file\n",
    );
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_chart_linked_outside_the_database_is_refused_unread() {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    symlink(&secret_file(&db), &db.root().join("chart.svg"));
    let (stdout, stderr, code) = run(&db, &["stats", "--svg", "chart.svg", "--check"]);
    assert_no_secret(&[&stdout, &stderr]);
    assert!(
        stderr.starts_with("hftlist: error: cannot read the chart `chart.svg`: the file is a symbolic link that leaves"),
        "{stderr}"
    );
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_fifo_chart_is_refused_without_hanging() {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    mkfifo(&db.root().join("chart.svg"));
    let (_, stderr, code) = run(&db, &["stats", "--svg", "chart.svg", "--check"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot read the chart `chart.svg`: this is a FIFO (named pipe), not a \
         regular file\n",
    );
    assert_eq!(code, 2);
}

// 2 and 3. Nothing echoed beyond a short excerpt; every input bounded.

#[test]
fn a_non_yaml_file_is_quoted_only_as_a_short_excerpt() {
    let db = TestDb::new();
    db.file(
        "x.yaml",
        format!("{}: {SECRET}\n{SECRET}\n", "K".repeat(300)),
    );
    let (stdout, _, code) = run(&db, &["validate"]);
    let first = stdout.lines().next().unwrap();
    assert!(first.starts_with("papers/x.yaml:"), "{stdout}");
    assert!(!stdout.contains(&"K".repeat(81)), "{stdout}");
    assert!(!stdout.contains("SECRET"), "{stdout}");
    assert_eq!(code, 1);
}

#[test]
fn a_template_over_the_size_limit_is_refused() {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    db.file("README.template.md", "x".repeat(256 * 1024 + 1));
    let (_, stderr, code) = run(&db, &["render"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot read the template `papers/README.template.md`: the file is \
         262145 bytes; the limit is 262144 bytes\n",
    );
    assert_eq!(code, 2);
}

#[test]
fn a_readme_over_the_size_limit_is_refused() {
    let db = readme_db();
    let file = std::fs::File::create(db.root().join("README.md")).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let (_, stderr, code) = run(&db, &["render", "--check", "README.md"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot read the README `README.md`: the file is 67108865 bytes; the \
         limit is 67108864 bytes\n",
    );
    assert_eq!(code, 2);
}

#[test]
fn nested_template_loops_run_out_of_fuel() {
    let db = readme_db();
    let s = "x".repeat(1000);
    db.file(
        "README.template.md",
        format!("{{% for a in \"{s}\" %}}{{% for b in \"{s}\" %}}{{% for c in \"{s}\" %}}.{{% endfor %}}{{% endfor %}}{{% endfor %}}\n"),
    );
    let (stdout, stderr, code) = run(&db, &["render"]);
    assert_text(
        &stderr,
        "hftlist: error: the README template `papers/README.template.md` ran more than 5000000 \
         instructions, the limit of a README template (a loop too large?)\n",
    );
    assert_eq!(stdout, "");
    assert_eq!(code, 2);
}

#[test]
fn a_template_writing_past_the_output_cap_is_stopped() {
    let db = TestDb::new();
    for i in 0..20 {
        db.file(
            &format!("p{i:02}.yaml"),
            format!(
                "title: Paper Number {i} With A Reasonably Long Title For Size\nkind: attack\n\
                 date: \"2024-02-02\"\narxiv: \"2402.{:05}\"\n",
                10000 + i
            ),
        );
    }
    let s = "x".repeat(50);
    db.file(
        "README.template.md",
        format!("{{% for a in \"{s}\" %}}{{% for b in \"{s}\" %}}{{% for c in \"{s}\" %}}{{{{ sections }}}}{{% endfor %}}{{% endfor %}}{{% endfor %}}\n"),
    );
    let (stdout, stderr, code) = run(&db, &["render"]);
    assert_text(
        &stderr,
        "hftlist: error: the README template `papers/README.template.md` writes more than \
         67108864 bytes, the limit of a README\n",
    );
    assert_eq!(stdout, "");
    assert_eq!(code, 2);
}

#[test]
fn a_template_cannot_build_text_with_tilde() {
    let db = readme_db();
    db.file("README.template.md", "{{ sections ~ sections }}\n");
    let (_, stderr, code) = run(&db, &["render"]);
    assert_text(
        &stderr,
        "hftlist: error: the README template `papers/README.template.md` line 1: the operator \
         `~` builds text; templates may only place values, count, branch and loop (see \
         docs/security.md)\n",
    );
    assert_eq!(code, 2);
}

#[test]
fn a_template_cannot_add_text() {
    let db = readme_db();
    db.file(
        "README.template.md",
        "{{ count(kind=\"attack\") + 1 }}\n{{ sections + sections }}\n",
    );
    let (_, stderr, code) = run(&db, &["render"]);
    assert_text(
        &stderr,
        "hftlist: error: the README template `papers/README.template.md` line 2: `+` is allowed \
         only between numbers, `count(...)` and `section(...)`; templates may only place values, count, branch \
         and loop (see docs/security.md)\n",
    );
    assert_eq!(code, 2);
}

#[test]
fn a_template_cannot_capture_text_with_set() {
    let db = readme_db();
    db.file(
        "README.template.md",
        "{% set a %}{{ sections }}{{ sections }}{% endset %}{{ a }}\n",
    );
    let (_, stderr, code) = run(&db, &["render"]);
    assert_text(
        &stderr,
        "hftlist: error: the README template `papers/README.template.md` line 1: the statement \
         `set` is not allowed; templates may only place values, count, branch and loop (see \
         docs/security.md)\n",
    );
    assert_eq!(code, 2);
}

#[test]
fn a_huge_unknown_venue_is_checked_quickly() {
    let db = TestDb::new();
    db.file(
        "x.yaml",
        format!("{BASE}venue: \"{}\"\n", "Q".repeat(1_000_000)),
    );
    let start = std::time::Instant::now();
    let (stdout, _, code) = run(&db, &["validate"]);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(
        stdout.starts_with(&format!(
            "papers/x.yaml:5:8: error[unknown-venue]: venue `{}…` is not a registry series",
            "Q".repeat(80)
        )),
        "{}",
        &stdout[..stdout.len().min(400)]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_list_with_too_many_sections_is_refused_quickly() {
    let db = TestDb::empty();
    let mut list = String::from("title: L\nvenues: []\nsections:\n");
    for i in 0..40_000 {
        list.push_str(&format!("  - heading: S{i}\n"));
    }
    db.file("list.yaml", list);
    let (_, stderr, code) = run(&db, &["validate"]);
    assert_text(
        &stderr,
        "hftlist: error: papers/list.yaml: there are more than 1000 sections, the limit of a \
         list\n",
    );
    assert_eq!(code, 2);
}

#[test]
fn a_list_file_over_the_size_limit_is_refused() {
    let db = TestDb::empty();
    db.file(
        "list.yaml",
        format!("title: L\n#{}\n", "x".repeat(1024 * 1024)),
    );
    let (_, stderr, code) = run(&db, &["validate"]);
    assert_text(
        &stderr,
        "hftlist: error: papers/list.yaml: error[file-too-large]: the file is 1048587 bytes; the \
         list settings are limited to 1048576 bytes\n",
    );
    assert_eq!(code, 2);
}

#[test]
fn each_rule_lists_at_most_200_diagnostics_and_counts_the_rest() {
    let db = TestDb::new();
    for i in 0..205 {
        db.file(
            &format!("p{i:03}.yaml"),
            format!("title: Paper {i}\nkind: attack\ndate: \"2024-02-02\"\n"),
        );
    }
    let (stdout, _, code) = run(&db, &["validate"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 202, "{stdout}");
    assert_eq!(
        lines[200],
        "note: 5 more `no-link` diagnostics not shown (at most 200 per rule)"
    );
    assert_eq!(lines[201], "0 errors, 205 warnings in 205 files checked");
    assert_eq!(code, 0);
}

// 4. Output cannot be forged.

#[test]
fn a_newline_in_a_venue_cannot_start_a_workflow_command() {
    let db = TestDb::new();
    db.file(
        "x.yaml",
        format!("{BASE}venue: \"Foo\\n::error file=x::Injected\"\n"),
    );
    let (stdout, stderr, code) = run(&db, &["validate"]);
    for line in stdout.lines().chain(stderr.lines()) {
        assert!(!line.starts_with("::"), "forged line: {line}");
    }
    assert!(
        stdout.contains(
            "papers/x.yaml:5:8: error[control-character]: `venue` holds the character U+000A"
        ),
        "{stdout}"
    );
    assert_eq!(code, 1);
}

#[test]
fn terminal_escapes_and_bidi_overrides_are_refused_and_shown_escaped() {
    let db = TestDb::new();
    db.file(
        "x.yaml",
        "title: \"Clear \\e[2J the \\u202E screen\"\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
    );
    let (stdout, _, code) = run(&db, &["validate"]);
    assert_text(
        &stdout,
        "papers/x.yaml:1:8: error[control-character]: `title` holds the character U+001B (a \
         control, bidirectional or zero-width character): remove it\n1 error, 0 warnings in 1 \
         file checked\n",
    );
    assert_eq!(code, 1);
    let (table, _, code) = run(&db, &["query"]);
    assert!(
        table.contains("Clear \\u{001B}[2J the \\u{202E} screen"),
        "{table}"
    );
    assert!(!table.contains('\u{1b}') && !table.contains('\u{202e}'));
    assert_eq!(code, 0);
}

#[test]
fn a_file_name_with_a_newline_is_reported_on_one_line() {
    let db = TestDb::new();
    db.file("a\n::error::x.yaml", BASE);
    let (stdout, _, code) = run(&db, &["validate"]);
    assert_text(
        &stdout,
        "papers/a\\n::error::x.yaml: error[invalid-id]: `a\\n::error::x` is not a valid paper id: \
         use lowercase ASCII letters, digits and single hyphens, starting with a letter (e.g. \
         `shadow-alignment`)\n1 error, 0 warnings in 1 file checked\n",
    );
    assert_eq!(code, 1);
}

#[test]
fn render_check_quotes_a_stale_line_escaped_and_short() {
    let db = readme_db();
    std::fs::write(
        db.root().join("README.md"),
        format!("\u{1b}[2J\n::error::{}\n", "y".repeat(500)),
    )
    .unwrap();
    let (_, stderr, code) = run(&db, &["render", "--check", "README.md"]);
    assert_text(
        &stderr,
        "hftlist: `README.md` is not current: line 1 is `\\u{001B}[2J` but should be `## Attacks`; \
         run `hftlist render -o README.md`\n",
    );
    assert_eq!(code, 1);
}

// 5 (the README part). No link but the records' own.

#[test]
fn bare_urls_www_names_and_addresses_in_text_are_not_autolinked() {
    let db = TestDb::new();
    db.file("README.template.md", "{{ sections }}\n");
    db.file(
        "a.yaml",
        format!(
            "{BASE}venue: ICLR 2025 Workshop see https://evil.example\nnote: mail me@evil.example or www.evil.example\n"
        ),
    );
    let (stdout, _, code) = run(&db, &["render"]);
    assert_text(
        &stdout,
        "## Attacks\n\n- [2024/02/02] **A Clean Attack** *ICLR 2025 Workshop see \
         https\\://evil.example* [[paper](https://arxiv.org/abs/2402.01109)] (mail \
         me<!-- -->@evil.example or www\\.evil.example)\n",
    );
    assert_eq!(code, 0);
}

// 6. Safe writing.

#[cfg(unix)]
#[test]
fn render_never_replaces_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let db = readme_db();
    let out = db.root().join("out.md");
    mkfifo(&out);
    let (_, stderr, code) = run(&db, &["render", "-o", "out.md"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot write `out.md`: it is a FIFO (named pipe), not a regular file; \
         hftlist writes only regular files\n",
    );
    assert!(
        std::fs::symlink_metadata(&out)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn render_never_replaces_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let db = readme_db();
    let dev = db.root().join("null");
    // Making a device node needs root; /dev/null itself is not put at risk.
    let made = Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: mknod needs root");
        return;
    }
    let (_, stderr, code) = run(&db, &["render", "-o", "null"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot write `null`: it is a character device, not a regular file; \
         hftlist writes only regular files\n",
    );
    assert!(
        std::fs::symlink_metadata(&dev)
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(code, 2);
}

#[test]
fn export_never_replaces_a_directory() {
    let db = readme_db();
    std::fs::create_dir(db.root().join("out.bib")).unwrap();
    let (_, stderr, code) = run(&db, &["export", "-o", "out.bib"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot write `out.bib`: it is a directory, not a regular file; hftlist \
         writes only regular files\n",
    );
    assert!(db.root().join("out.bib").is_dir());
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn writes_through_a_symlink_are_refused() {
    let db = readme_db();
    let target = db.root().join("elsewhere.md");
    std::fs::write(&target, "keep me\n").unwrap();
    symlink(&target, &db.root().join("README.md"));
    let (_, stderr, code) = run(&db, &["render", "-o", "README.md"]);
    assert_text(
        &stderr,
        "hftlist: error: cannot write `README.md`: it is a symbolic link, and hftlist does not \
         write through links; name the file it points to, or remove the link\n",
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
    assert!(db.root().join("README.md").is_symlink());
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_new_file_gets_the_umask_mode_and_a_replaced_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let db = readme_db();
    let out = run_with(&db, &["render", "-o", "new.md"], |cmd| {
        let bin = cmd.get_program().to_owned();
        let args: Vec<_> = cmd.get_args().map(ToOwned::to_owned).collect();
        *cmd = Command::new("sh");
        cmd.current_dir(db.root())
            .env_remove("HFTLIST_DB")
            .arg("-c")
            .arg("umask 027; exec \"$0\" \"$@\"")
            .arg(bin)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
    });
    assert!(out.status.success(), "{out:?}");
    let mode = |p: &str| {
        std::fs::metadata(db.root().join(p))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("new.md"), 0o640);
    std::fs::set_permissions(
        db.root().join("new.md"),
        std::fs::Permissions::from_mode(0o604),
    )
    .unwrap();
    let (_, _, code) = run(&db, &["render", "-o", "new.md"]);
    assert_eq!(code, 0);
    assert_eq!(mode("new.md"), 0o604);
}

#[test]
fn output_dash_means_stdout() {
    let db = readme_db();
    let (stdout, _, code) = run(&db, &["render", "-o", "-"]);
    assert!(stdout.starts_with("## Attacks\n"), "{stdout}");
    assert!(!db.root().join("-").exists());
    assert_eq!(code, 0);
}

#[test]
fn stale_temporary_files_are_removed_and_fresh_ones_kept() {
    let db = readme_db();
    let stale = db.root().join(".hftlist-AbCdEf.tmp");
    let fresh = db.root().join(".hftlist-GhIjKl.tmp");
    std::fs::write(&stale, "half").unwrap();
    std::fs::write(&fresh, "half").unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let (_, _, code) = run(&db, &["render", "-o", "README.md"]);
    assert_eq!(code, 0);
    assert!(!stale.exists());
    assert!(fresh.exists());
}

// 7. No panic.

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_not_a_panic() {
    let db = readme_db();
    let out = run_with(&db, &["query"], |cmd| {
        cmd.stdout(std::fs::File::create("/dev/full").unwrap());
    });
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_text(
        &stderr,
        "hftlist: error: cannot write to stdout: No space left on device (os error 28)\n",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_is_not_a_panic() {
    let db = TestDb::empty();
    let out = run_with(&db, &["validate"], |cmd| {
        cmd.stderr(std::fs::File::create("/dev/full").unwrap());
    });
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(target_os = "linux")]
#[test]
fn an_import_cut_short_by_its_output_says_how_far_it_got() {
    let db = TestDb::new();
    std::fs::write(
        db.root().join("list.md"),
        "### Attacks\n- [2024/1/1] **One** [[paper](https://arxiv.org/abs/2401.00001)]\n\
         - [2024/1/2] **Two** [[paper](https://arxiv.org/abs/2401.00002)]\n",
    )
    .unwrap();
    let out = run_with(&db, &["import", "--dry-run", "list.md"], |cmd| {
        cmd.stdout(std::fs::File::create("/dev/full").unwrap());
    });
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_text(
        &stderr,
        "hftlist: import stopped at list.md:2 (entry 1 of 2): cannot write to stdout: No space \
         left on device (os error 28); 0 record(s) printed before it\n",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn an_import_whose_stderr_is_closed_ends_without_a_panic() {
    let db = TestDb::new();
    let mut md = String::from("### Attacks\n");
    for i in 1..=300 {
        md.push_str(&format!(
            "- [2024/1/1] **Paper {i}** [[paper](https://arxiv.org/abs/2401.{i:05})]\n"
        ));
    }
    std::fs::write(db.root().join("list.md"), md).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("hftlist");
    let out = Command::new("bash")
        .arg("-c")
        .arg("\"$0\" import list.md 2>&1 | head -1; echo \"status=${PIPESTATUS[0]}\"")
        .arg(bin)
        .current_dir(db.root())
        .env_remove("HFTLIST_DB")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("list.md:2: wrote papers/paper-1.yaml\n"),
        "{stdout}"
    );
    // 101 would be a panic; the run stops at the closed output with exit 2.
    assert!(stdout.ends_with("\nstatus=2\n"), "{stdout}");
    // The import stopped at the closed output, with every record before it whole.
    let written = std::fs::read_dir(db.papers())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("paper-")
        })
        .count();
    assert!((1..300).contains(&written), "{written}");
}

#[test]
fn a_huge_timeout_gets_a_range_error() {
    let db = TestDb::new();
    let (_, stderr, code) = run(
        &db,
        &[
            "add",
            "2402.01109",
            "--kind",
            "attack",
            "--timeout",
            "18446744073709551615",
        ],
    );
    assert!(
        stderr.starts_with(
            "error: invalid value '18446744073709551615' for '--timeout <SECS>': 18446744073709551615 is not in 1..=3600"
        ),
        "{stderr}"
    );
    assert_eq!(code, 2);
}

#[test]
fn a_second_add_while_the_database_is_locked_is_refused() {
    let db = TestDb::new();
    let lock = std::fs::File::create(db.papers().join(".hftlist.lock")).unwrap();
    lock.lock().unwrap();
    let (_, stderr, code) = run(
        &db,
        &[
            "add",
            "--kind",
            "attack",
            "--title",
            "Locked Out",
            "--date",
            "2024-02-02",
            "--paper",
            "https://example.org/p",
        ],
    );
    assert_text(
        &stderr,
        "hftlist: error: another hftlist is writing to this database (the lock \
         `papers/.hftlist.lock` is held); wait for it to finish and run again\n",
    );
    assert!(!db.papers().join("locked-out.yaml").exists());
    assert_eq!(code, 2);
    drop(lock);
    let (_, _, code) = run(
        &db,
        &[
            "add",
            "--kind",
            "attack",
            "--title",
            "Locked Out",
            "--date",
            "2024-02-02",
            "--paper",
            "https://example.org/p",
        ],
    );
    assert_eq!(code, 0);
    assert!(db.papers().join("locked-out.yaml").exists());
    assert!(!db.papers().join(".hftlist.lock").exists());
}

// 8. Names that work everywhere.

#[test]
fn a_windows_device_name_is_not_an_id() {
    let db = TestDb::new();
    db.file("con.yaml", BASE);
    let (stdout, _, code) = run(&db, &["validate"]);
    assert_text(
        &stdout,
        "papers/con.yaml: error[invalid-id]: `con` is not a valid paper id: it is a device name \
         on Windows, where `con.yaml` cannot be checked out\n1 error, 0 warnings in 1 file \
         checked\n",
    );
    assert_eq!(code, 1);
}

#[test]
fn an_id_over_100_bytes_is_refused() {
    let db = TestDb::new();
    let id = "a".repeat(101);
    db.file(&format!("{id}.yaml"), BASE);
    let (stdout, _, code) = run(&db, &["validate"]);
    assert!(
        stdout.contains("error[invalid-id]: `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…` is not a valid paper id: it is 101 bytes long, and ids are limited to 100"),
        "{stdout}"
    );
    assert_eq!(code, 1);
}

#[test]
fn import_transliterates_titles_into_ascii_ids() {
    let db = TestDb::new();
    std::fs::write(
        db.root().join("list.md"),
        "### Attacks\n- [2024/1/1] **Ünïcödé Attäck: on models** [[paper](https://arxiv.org/abs/2401.00001)]\n\
         - [2024/1/2] **安全对齐** [[paper](https://arxiv.org/abs/2401.00002)]\n\
         - [2024/1/3] **CON: a study** [[paper](https://arxiv.org/abs/2401.00003)]\n",
    )
    .unwrap();
    let (_, stderr, code) = run(&db, &["import", "list.md"]);
    assert_text(
        &stderr,
        "list.md:2: wrote papers/unicode-attack.yaml\nlist.md:3: wrote papers/an-quan-dui-qi.yaml\n\
         list.md:4: wrote papers/con-paper.yaml\nread 3 entries: wrote 3, skipped 0 duplicates, 0 \
         could not be parsed\n",
    );
    assert_eq!(code, 0);
}

#[test]
fn add_refuses_a_title_with_a_control_character() {
    let db = TestDb::new();
    let (_, stderr, code) = run(
        &db,
        &[
            "add",
            "--kind",
            "attack",
            "--title",
            "Evil\u{1b}[2J Title",
            "--date",
            "2024-02-02",
            "--paper",
            "https://example.org/p",
        ],
    );
    assert_text(
        &stderr,
        "papers/evil-2j-title.yaml:1:8: error[control-character]: `title` holds the character \
         U+001B (a control, bidirectional or zero-width character): remove it\nhftlist: the new \
         record has 1 error(s); nothing was written\n",
    );
    assert_eq!(code, 1);
    assert!(!db.papers().join("evil-2j-title.yaml").exists());
}

#[test]
fn import_reports_an_entry_with_a_control_character_and_goes_on() {
    let db = TestDb::new();
    std::fs::write(
        db.root().join("list.md"),
        "### Attacks\n- [2024/1/1] **Bad \u{202E} Title** [[paper](https://arxiv.org/abs/2401.00001)]\n\
         - [2024/1/2] **Good Title** [[paper](https://arxiv.org/abs/2401.00002)]\n",
    )
    .unwrap();
    let (_, stderr, code) = run(&db, &["import", "list.md"]);
    assert_text(
        &stderr,
        "list.md:2: error: cannot import this entry: `title` holds the character U+202E (a \
         control, bidirectional or zero-width character): remove it\nlist.md:3: wrote \
         papers/good-title.yaml\nread 2 entries: wrote 1, skipped 0 duplicates, 0 could not be \
         parsed, 1 could not be written\n",
    );
    assert_eq!(code, 1);
}

#[test]
fn rename_does_not_wait_on_a_fifo_template() {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    mkfifo(&db.papers().join("README.template.md"));
    let (_, stderr, code) = run(&db, &["rename", "a", "b"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(db.papers().join("b.yaml").exists());
}
