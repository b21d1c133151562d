use crate::util::{BASE, TestDb, assert_text};

/// Rules whose failing cases live here rather than in the validate table.
pub const COVERED_RULES: &[&str] = &[
    "unreadable-file",
    "file-too-large",
    "invalid-utf8",
    "empty-file",
];

/// Validates a database holding one file `x.yaml` with these bytes; returns stdout and the code.
fn validate_one(bytes: &[u8]) -> (String, i32) {
    let db = TestDb::new();
    db.file("x.yaml", bytes);
    let run = db.run(&["validate"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    (run.stdout, run.code)
}

#[track_caller]
fn assert_one_error(bytes: &[u8], diagnostic: &str) {
    let (stdout, code) = validate_one(bytes);
    assert_text(
        &stdout,
        &format!("{diagnostic}\n1 error, 0 warnings in 1 file checked\n"),
    );
    assert_eq!(code, 1);
}

#[test]
fn empty_and_comment_only_files() {
    let message = "papers/x.yaml: error[empty-file]: the file holds no record: write at least `title`, `kind` and `date`";
    assert_one_error(b"", message);
    assert_one_error(b"# just a comment\n\n", message);
    assert_one_error(b"---\n", message);
}

#[test]
fn non_utf8_bytes_are_located() {
    assert_one_error(
        b"title: caf\xe9\nkind: attack\n",
        "papers/x.yaml:1:11: error[invalid-utf8]: byte 0xE9 is not valid UTF-8: save the file as UTF-8",
    );
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let text = format!("\u{feff}{}", BASE.replace('\n', "\r\n"));
    let (stdout, code) = validate_one(text.as_bytes());
    assert_text(&stdout, "0 errors, 0 warnings in 1 file checked\n");
    assert_eq!(code, 0);
}

#[test]
fn tabs_used_for_indentation() {
    assert_one_error(
        b"title: x\n\tkind: attack\n",
        "papers/x.yaml:1:8: error[yaml-syntax]: while scanning a plain scalar, found a tab",
    );
}

#[test]
fn a_tab_inside_a_value_is_fine() {
    let (stdout, _) = validate_one(
        b"title:\tA Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
    );
    assert_text(&stdout, "0 errors, 0 warnings in 1 file checked\n");
}

#[test]
fn duplicate_keys_are_each_reported() {
    let (stdout, _) = validate_one(format!("{BASE}kind: defense\ndate: \"2024\"\n").as_bytes());
    assert_text(
        &stdout,
        "papers/x.yaml:5:1: error[duplicate-key]: `kind` is given twice (first at line 2): keep one\n\
         papers/x.yaml:6:1: error[duplicate-key]: `date` is given twice (first at line 3): keep one\n\
         2 errors, 0 warnings in 1 file checked\n",
    );
}

#[test]
fn a_list_or_a_scalar_at_the_top() {
    let message = "papers/x.yaml:1:1: error[wrong-type]: a record is a mapping of fields (`title: ...`), not a list or a single value";
    assert_one_error(b"- title: x\n- kind: attack\n", message);
    assert_one_error(b"just text\n", message);
}

#[test]
fn a_record_of_another_schema() {
    let (stdout, code) = validate_one(b"name: serde\nversion: 1.0.0\nedition: \"2021\"\n");
    assert_text(
        &stdout,
        "papers/x.yaml:1:1: error[unknown-field]: unknown field `name`: expected one of `title`, `kind`, `stage`, `date`, `venue`, `authors`, `arxiv`, `doi`, `openreview`, `paper`, `code`, `project`, `tags`, `note`\n\
         papers/x.yaml:1:1: error[missing-field]: required field `date` is missing\n\
         papers/x.yaml:1:1: error[missing-field]: required field `kind` is missing\n\
         papers/x.yaml:1:1: error[missing-field]: required field `title` is missing\n\
         papers/x.yaml:2:1: error[unknown-field]: unknown field `version`: expected one of `title`, `kind`, `stage`, `date`, `venue`, `authors`, `arxiv`, `doi`, `openreview`, `paper`, `code`, `project`, `tags`, `note`\n\
         papers/x.yaml:3:1: error[unknown-field]: unknown field `edition`: expected one of `title`, `kind`, `stage`, `date`, `venue`, `authors`, `arxiv`, `doi`, `openreview`, `paper`, `code`, `project`, `tags`, `note`\n\
         6 errors, 0 warnings in 1 file checked\n",
    );
    assert_eq!(code, 1);
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let text = format!("title: {}\nkind: attack\n", "x".repeat(2 * 1024 * 1024));
    assert_one_error(
        text.as_bytes(),
        "papers/x.yaml: error[file-too-large]: the file is 2097173 bytes; records are limited to 1048576 bytes",
    );
}

#[test]
fn deep_nesting_is_bounded() {
    let text = format!(
        "title: A\nkind: attack\ndate: \"2024\"\nnote: {}\n",
        "[".repeat(100_000)
    );
    assert_one_error(
        text.as_bytes(),
        "papers/x.yaml:4:7: error[wrong-type]: expected string scalar",
    );
    let text = format!(
        "title: A\nkind: attack\ndate: \"2024\"\nextra: {}\n",
        "[".repeat(100_000)
    );
    let (stdout, code) = validate_one(text.as_bytes());
    assert!(stdout.starts_with("papers/x.yaml:4:"), "{stdout}");
    assert!(
        stdout.contains("error[yaml-syntax]: recursion limit exceeded"),
        "{stdout}"
    );
    assert_eq!(code, 1);
}

#[test]
fn an_alias_bomb_is_bounded() {
    let mut text = String::from(
        "title: A\nkind: attack\ndate: \"2024\"\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let (stdout, code) = validate_one(text.as_bytes());
    assert!(
        stdout.contains("error[yaml-syntax]: YAML document too large or too complex"),
        "{stdout}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_directory_named_like_a_record() {
    let db = TestDb::new();
    std::fs::create_dir(db.papers().join("x.yaml")).unwrap();
    let run = db.run(&["validate"]);
    assert_text(
        &run.stdout,
        "papers/x.yaml: error[unreadable-file]: this is a directory, not a record file\n1 error, 0 warnings in 1 file checked\n",
    );
    assert_eq!(run.code, 1);
}

#[cfg(unix)]
#[test]
fn broken_symlinks_and_link_loops() {
    let db = TestDb::new();
    std::os::unix::fs::symlink("nowhere.yaml", db.papers().join("broken.yaml")).unwrap();
    std::os::unix::fs::symlink("loop-b.yaml", db.papers().join("loop-a.yaml")).unwrap();
    std::os::unix::fs::symlink("loop-a.yaml", db.papers().join("loop-b.yaml")).unwrap();
    let run = db.run(&["validate"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(lines[0].starts_with("papers/broken.yaml: error[unreadable-file]: the file is a broken symbolic link or a link loop"));
    assert!(lines[1].starts_with("papers/loop-a.yaml: error[unreadable-file]: the file is a broken symbolic link or a link loop"));
    assert!(lines[2].starts_with("papers/loop-b.yaml: error[unreadable-file]:"));
    assert_eq!(lines[3], "3 errors, 0 warnings in 3 files checked");
    assert_eq!(run.code, 1);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new();
    db.file("x.yaml", BASE);
    let path = db.papers().join("x.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reads, so there is nothing to test.
        return;
    }
    let run = db.run(&["validate"]);
    assert!(
        run.stdout.starts_with(
            "papers/x.yaml: error[unreadable-file]: cannot read the file: Permission denied"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
}

#[test]
fn one_bad_file_does_not_hide_the_others() {
    let db = TestDb::new();
    db.file("a.yaml", b"\xff");
    db.file(
        "b.yaml",
        "title: B\nkind: attack\ndate: \"2024\"\narxiv: \"2402.1\"\n",
    );
    db.file("c.yaml", "");
    let run = db.run(&["validate"]);
    assert_text(
        &run.stdout,
        "papers/a.yaml:1:1: error[invalid-utf8]: byte 0xFF is not valid UTF-8: save the file as UTF-8\n\
         papers/b.yaml:4:8: error[invalid-arxiv]: `2402.1` is not a new-style arXiv id `YYMM.NNNNN` (e.g. `2402.01109`)\n\
         papers/c.yaml: error[empty-file]: the file holds no record: write at least `title`, `kind` and `date`\n\
         3 errors, 0 warnings in 3 files checked\n",
    );
}

#[test]
fn a_20_mb_title_is_refused_before_parsing() {
    let text = format!("title: {}\nkind: attack\n", "x".repeat(20 * 1024 * 1024));
    assert_one_error(
        text.as_bytes(),
        "papers/x.yaml: error[file-too-large]: the file is 20971541 bytes; records are limited to 1048576 bytes",
    );
}

#[test]
fn javascript_and_data_urls_are_refused() {
    for (url, scheme) in [
        ("javascript:alert(1)", "javascript"),
        ("data:text/html,<script>alert(1)</script>", "data"),
    ] {
        let (stdout, code) = validate_one(format!("{BASE}code: \"{url}\"\n").as_bytes());
        assert_text(
            &stdout,
            &format!(
                "papers/x.yaml:5:7: error[invalid-url]: URL `{url}` uses the `{scheme}:` scheme: only http and https are allowed\n\
                 1 error, 0 warnings in 1 file checked\n"
            ),
        );
        assert_eq!(code, 1);
    }
}

#[test]
fn html_and_markdown_in_a_url_are_refused() {
    let (stdout, _) = validate_one(
        format!("{BASE}paper: \"https://a.org/x<img onerror=alert(1)>\"\n").as_bytes(),
    );
    assert!(stdout.starts_with("papers/x.yaml:5:8: error[invalid-url]: URL `https://a.org/x<img onerror=alert(1)>` contains a space"), "{stdout}");
    let (stdout, _) = validate_one(
        format!("{BASE}paper: \"https://a.org/x](javascript:alert(1))\"\n").as_bytes(),
    );
    assert!(stdout.contains("error[invalid-url]"), "{stdout}");
}
