use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use crate::util::{BASE, TestDb, assert_text};

/// The bundled database.
pub fn real_db() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("papers")
}

/// Runs hftlist on a database folder; returns (stdout, stderr, code).
pub fn hftlist(db: &Path, args: &[&str]) -> (String, String, i32) {
    let out = Command::cargo_bin("hftlist")
        .unwrap()
        .env_remove("HFTLIST_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// Writes the site of a database into a new temp folder.
pub fn build_site(db: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let (_, stderr, code) = hftlist(db, &["site", "-o", out.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    out
}

/// The ids `hftlist query` selects with these filters, in its order.
pub fn query_ids(db: &Path, filters: &[&str]) -> Vec<String> {
    let mut args = vec!["query", "--format", "ids"];
    args.extend_from_slice(filters);
    let (stdout, stderr, code) = hftlist(db, &args);
    assert!(code == 0 || code == 1, "{stderr}");
    stdout.lines().map(str::to_owned).collect()
}

/// The script's data block of a page.
pub fn data_block(html: &str) -> Value {
    let start = html.find("id=\"f_data\">").unwrap() + "id=\"f_data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn site_writes_its_five_files_into_a_new_folder() {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    let run = db.run(&["site", "-o", "out/site"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    for name in [
        "index.html",
        "site.css",
        "site.js",
        "bibtex.js",
        "papers.json",
    ] {
        assert!(db.root().join("out/site").join(name).is_file(), "{name}");
    }
}

#[test]
fn site_check_passes_on_a_current_site() {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    assert_eq!(db.run(&["site", "-o", "site"]).code, 0);
    let run = db.run(&["site", "--check", "site"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn site_check_names_a_stale_file() {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    assert_eq!(db.run(&["site", "-o", "site"]).code, 0);
    db.file(
        "second.yaml",
        BASE.replace("A Clean Attack", "Another Attack")
            .replace("2402.01109", "2402.01110"),
    );
    let run = db.run(&["site", "--check", "site"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: `site/index.html` is not current; run `hftlist site -o site`\n",
    );
}

#[test]
fn site_check_names_a_missing_file() {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    assert_eq!(db.run(&["site", "-o", "site"]).code, 0);
    std::fs::remove_file(db.root().join("site/bibtex.js")).unwrap();
    let run = db.run(&["site", "--check", "site"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: `site/bibtex.js` does not exist; run `hftlist site -o site`\n",
    );
}

#[test]
fn site_refuses_a_database_with_errors() {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    db.file(
        "broken.yaml",
        "title: Broken\nkind: attacker\ndate: \"2024\"\n",
    );
    let run = db.run(&["site", "-o", "site"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: error: the database has 1 error(s), and a site built from it could leave papers \
         out; run `hftlist validate`\n",
    );
    assert!(!db.root().join("site").exists());
}

#[test]
fn site_needs_an_output_or_a_check_folder() {
    let db = TestDb::new();
    let run = db.run(&["site"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--output <DIR>") && run.stderr.contains("--check <DIR>"),
        "{}",
        run.stderr
    );
}

#[test]
fn site_output_must_be_a_folder() {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    std::fs::write(db.root().join("site"), "a file").unwrap();
    let run = db.run(&["site", "-o", "site"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: `site` exists and is not a folder\n",
    );
}

#[test]
fn page_lists_every_paper_once_without_javascript() {
    let db = real_db();
    let site = build_site(&db);
    let html = read(site.path(), "index.html");
    let on_page: Vec<&str> = html
        .split("data-id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let unique: BTreeSet<&str> = on_page.iter().copied().collect();
    assert_eq!(unique.len(), on_page.len(), "a paper is listed twice");
    let all = query_ids(&db, &[]);
    assert_eq!(unique, all.iter().map(String::as_str).collect());
    assert!(html.contains(&format!(
        "<p id=\"f_count\" class=\"count\" role=\"status\" aria-live=\"polite\">{} papers</p>",
        all.len()
    )));
}

#[test]
fn page_makes_no_external_request_and_has_no_inline_script() {
    let site = build_site(&real_db());
    let html = read(site.path(), "index.html");
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src \
         'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'\">"
    ));
    let scripts: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|s| &s[..s.find('>').unwrap()])
        .collect();
    assert_eq!(
        scripts,
        [
            " src=\"site.js\" defer",
            " type=\"application/json\" id=\"f_data\""
        ]
    );
    // Whatever the page loads (script, stylesheet, image, frame) is a sibling file.
    for attr in ["src=\"", "<link rel=\"stylesheet\" href=\""] {
        for value in html.split(attr).skip(1) {
            let value = &value[..value.find('"').unwrap()];
            assert!(
                !value.contains(':') && !value.starts_with("//"),
                "the page loads `{value}`"
            );
        }
    }
    for tag in ["<img", "<iframe", "<object", "<embed", "@import", "url("] {
        assert!(!html.contains(tag), "{tag}");
    }
    let css = read(site.path(), "site.css");
    assert!(!css.contains("url(") && !css.contains("@import"));
    let js = read(site.path(), "site.js");
    for call in [
        "fetch(",
        "XMLHttpRequest",
        "http:",
        "https:",
        "eval(",
        "innerHTML",
    ] {
        assert!(!js.contains(call), "site.js uses {call}");
    }
}

#[test]
fn hostile_record_text_stays_text() {
    let db = TestDb::new();
    db.file(
        "evil.yaml",
        "title: \"</script><script>window.pwned=1</script><img src=x onerror=alert(1)>\"\n\
         kind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n\
         authors: [\"<b onmouseover=alert(1)>Eve</b>\"]\n\
         note: \"\\\" onclick=\\\"alert(1) ' & <!-- --> ]]>\"\n",
    );
    let run = db.run(&["site", "-o", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(db.root().join("site/index.html")).unwrap();
    for bad in ["<img", "<b ", "window.pwned=1</", "\" onclick", "<!--"] {
        assert!(!html.contains(bad), "the page holds `{bad}`");
    }
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(html.contains(
        "&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x \
         onerror=alert(1)&gt;"
    ));
    assert!(html.contains(
        "<p class=\"n\">&quot; onclick=&quot;alert(1) &#39; &amp; &lt;!-- --&gt; ]]&gt;</p>"
    ));
    let bibtex = std::fs::read_to_string(db.root().join("site/bibtex.js")).unwrap();
    assert!(!bibtex.contains('<') && !bibtex.contains('>'));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(db.root().join("site/papers.json")).unwrap())
            .unwrap();
    assert_eq!(
        json["papers"][0]["title"],
        "</script><script>window.pwned=1</script><img src=x onerror=alert(1)>"
    );
}

#[test]
fn papers_json_holds_every_record_with_its_bibtex() {
    let db = real_db();
    let site = build_site(&db);
    let json: Value = serde_json::from_str(&read(site.path(), "papers.json")).unwrap();
    let papers = json["papers"].as_array().unwrap();
    let ids: Vec<&str> = papers.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, query_ids(&db, &[]));
    assert_eq!(json["total"], papers.len());
    let vaccine = papers.iter().find(|p| p["id"] == "vaccine").unwrap();
    let (bibtex, _, _) = hftlist(&db, &["query", "--id", "vaccine", "--format", "bibtex"]);
    assert_eq!(vaccine["bibtex"], bibtex.as_str());
    assert_eq!(vaccine["kind"], "defense");
    assert_eq!(
        vaccine["links"]["arxiv"],
        "https://arxiv.org/abs/2402.01109"
    );
    assert_eq!(vaccine["section"][0], "Defenses");
}

#[test]
fn every_venue_option_selects_what_query_venue_selects() {
    let db = real_db();
    let site = build_site(&db);
    let data = data_block(&read(site.path(), "index.html"));
    let venues = data["venues"].as_array().unwrap();
    assert!(venues.len() > 10, "{venues:?}");
    for (i, venue) in venues.iter().enumerate() {
        let venue = venue.as_str().unwrap();
        let selected: BTreeSet<&str> = data["papers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["o"].as_array().unwrap().contains(&Value::from(i)))
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        let expected = query_ids(&db, &["--venue", venue]);
        assert_eq!(
            selected,
            expected.iter().map(String::as_str).collect(),
            "{venue}"
        );
    }
}

#[test]
fn the_sites_bibtex_is_exports_bibtex() {
    let db = real_db();
    let site = build_site(&db);
    let js = read(site.path(), "bibtex.js");
    let start = js.find("window.hftlistBibtex = ").unwrap() + "window.hftlistBibtex = ".len();
    let map: Value = serde_json::from_str(js[start..].trim_end().trim_end_matches(';')).unwrap();
    let mut all: Vec<String> = map
        .as_object()
        .unwrap()
        .iter()
        .map(|(_, v)| v.as_str().unwrap().to_owned())
        .collect();
    all.sort();
    let (export, _, code) = hftlist(&db, &["export", "--format", "bibtex"]);
    assert_eq!(code, 0);
    let mut entries: Vec<String> = export
        .split("\n@")
        .map(|e| {
            let e = e.trim_end_matches('\n');
            let e = if e.starts_with('@') {
                e.to_owned()
            } else {
                format!("@{e}")
            };
            format!("{e}\n")
        })
        .collect();
    entries.sort();
    assert_eq!(all, entries);
}
