//! `hftlist refresh` (and `add` from a DOI or an OpenReview forum) against a local stand-in of
//! the four services on 127.0.0.1, serving recorded answers by path; every endpoint variable
//! points at it and the cache is the test's own.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::server::{dead_port, hftlist, run};
use crate::util::{LIST, Run, TestDb, assert_text};

const BATCH: &str = include_str!("fixtures/arxiv/batch.xml");
const NOTE: &str = include_str!("fixtures/openreview/note.json");
const WITHDRAWN: &str = include_str!("fixtures/openreview/withdrawn.json");
const VACCINE: &str = include_str!("fixtures/dblp/search.json");
const UNKNOWN_VENUE: &str = include_str!("fixtures/dblp/unknown-venue.json");
const NONE: &str = include_str!("fixtures/dblp/none.json");
const WORK: &str = include_str!("fixtures/crossref/work.json");

/// The four services on one local server: each request gets the body of the first route whose
/// text its target contains, or a 404.
struct StandIn {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl StandIn {
    fn new(routes: &[(&str, &str)]) -> Self {
        let routes: Vec<(String, String)> = routes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                stream
                    .set_read_timeout(Some(Duration::from_secs(20)))
                    .unwrap();
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => break,
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head.split(' ').nth(1).unwrap_or_default().to_owned();
                seen.lock().unwrap().push(target.clone());
                let (status, body) = routes
                    .iter()
                    .find(|(needle, _)| target.contains(needle.as_str()))
                    .map_or((404, "Resource not found.".to_owned()), |(_, b)| {
                        (200, b.clone())
                    });
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        Self { base, requests }
    }

    /// The stand-in with the recorded answers every test here uses.
    fn standard() -> Self {
        Self::new(&[
            ("/api/query?", BATCH),
            ("/openreview/notes?id=h4rmFtExmp", NOTE),
            ("/openreview/notes?id=wThdRwn5Xy", WITHDRAWN),
            ("/dblp/search/publ/api?q=Vaccine", VACCINE),
            (
                "/dblp/search/publ/api?q=An%20Invented%20Workshop",
                UNKNOWN_VENUE,
            ),
            ("/dblp/", NONE),
            ("/crossref/works/10.1145/3712003", WORK),
        ])
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// hftlist with every endpoint variable pointing here.
    fn run(&self, db: &TestDb, args: &[&str]) -> Run {
        endpoints(db, &self.base, args)
    }
}

/// hftlist with every endpoint at `base`.
fn endpoints(db: &TestDb, base: &str, args: &[&str]) -> Run {
    run(hftlist(db)
        .env("HFTLIST_ARXIV_URL", format!("{base}/api/query"))
        .env("HFTLIST_OPENREVIEW_URL", format!("{base}/openreview"))
        .env("HFTLIST_DBLP_URL", format!("{base}/dblp/search/publ/api"))
        .env("HFTLIST_CROSSREF_URL", format!("{base}/crossref"))
        .env_remove("HFTLIST_MAILTO")
        .args(args))
}

/// The fixture list with a journal Crossref knows.
fn list() -> String {
    format!(
        "{LIST}  - name: ACM CSUR\n    full-name: ACM Computing Surveys\n    type: journal\n    \
         sources:\n      dblp: [ACM Comput. Surv.]\n      crossref: [ACM Computing Surveys]\n"
    )
}

const VACCINE_RECORD: &str = "title: \"Vaccine: Perturbation-aware Alignment for Large Language \
    Models against Harmful Fine-tunning Attack\"\nkind: defense\nstage: alignment\ndate: \
    2024-03\narxiv: \"2402.01109\"\n";
const SURVEY_RECORD: &str = "title: \"Harmful Fine-tuning Attacks and Defenses for Large Language \
    Models: A Survey\"\nkind: analysis\ndate: \"2024-09-26\"\nauthors:\n- Tiansheng Huang\n- Sihao \
    Hu\narxiv: \"2409.18169\"\n";
const WITHDRAWN_RECORD: &str = "title: An Invented Paper Withdrawn from Review\nkind: attack\n\
    date: \"2024-10-04\"\nvenue: ICLR 2025\nauthors:\n- Grace Hopper\nopenreview: wThdRwn5Xy\n";
const FICTIONAL_RECORD: &str = "title: A Fictional Study of Harmful Fine-tuning\nkind: attack\n\
    date: \"2025-09-18\"\nopenreview: h4rmFtExmp\n";

/// A database of four records, each missing or misstating something the stand-in knows.
fn database() -> TestDb {
    let db = TestDb::empty();
    db.file("list.yaml", list())
        .file("vaccine.yaml", VACCINE_RECORD)
        .file("survey.yaml", SURVEY_RECORD)
        .file("withdrawn.yaml", WITHDRAWN_RECORD)
        .file("fictional.yaml", FICTIONAL_RECORD);
    db
}

fn read(db: &TestDb, name: &str) -> String {
    std::fs::read_to_string(db.papers().join(name)).unwrap()
}

#[test]
fn a_dry_run_proposes_exactly_the_fills_corrections_and_conflicts() {
    let db = database();
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let expected = serde_json::json!([
        {"id": "vaccine", "field": "title", "action": "correct",
         "old": "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tunning Attack",
         "new": "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tuning Attack",
         "source": "arxiv", "evidence": "2402.01109: the title of the arXiv record"},
        {"id": "vaccine", "field": "date", "action": "correct", "old": "2024-03", "new": "2024-02-02",
         "source": "arxiv", "evidence": "2402.01109: version 1 of 2024-02-02"},
        {"id": "vaccine", "field": "venue", "action": "fill", "old": null, "new": "NeurIPS 2024",
         "source": "dblp", "evidence": "conf/nips/HuangHL24: \"NeurIPS\""},
        {"id": "vaccine", "field": "authors", "action": "fill", "old": null,
         "new": ["Tiansheng Huang", "Sihao Hu", "Ling Liu"],
         "source": "arxiv", "evidence": "2402.01109: 3 author(s)"},
        {"id": "survey", "field": "venue", "action": "fill", "old": null, "new": "ACM CSUR 2025",
         "source": "crossref", "evidence": "10.1145/3712003: \"ACM Computing Surveys\""},
        {"id": "survey", "field": "doi", "action": "fill", "old": null, "new": "10.1145/3712003",
         "source": "arxiv", "evidence": "2409.18169: arxiv:doi"},
        {"id": "withdrawn", "field": "venue", "action": "correct", "old": "ICLR 2025", "new": null,
         "source": "openreview",
         "evidence": "wThdRwn5Xy: \"ICLR 2025 Conference Withdrawn Submission\""},
        {"id": "fictional", "field": "venue", "action": "fill", "old": null, "new": "ICLR 2026",
         "source": "openreview", "evidence": "h4rmFtExmp: \"ICLR 2026 Poster\""},
        {"id": "fictional", "field": "authors", "action": "fill", "old": null,
         "new": ["Ada Lovelace", "Alan Turing"],
         "source": "openreview", "evidence": "h4rmFtExmp: 2 author(s)"},
    ]);
    assert_eq!(got, expected, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "hftlist: refresh: 9 proposal(s) for 4 of 4 record(s) checked: 6 fill, 3 correct, 0 \
             conflict"
        ),
        "{}",
        run.stderr
    );
    // A dry run writes nothing.
    assert_text(&read(&db, "vaccine.yaml"), VACCINE_RECORD);
    assert_text(&read(&db, "withdrawn.yaml"), WITHDRAWN_RECORD);
}

#[test]
fn write_applies_them_the_database_validates_and_a_second_run_proposes_nothing() {
    let db = database();
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let asked = server.count();
    assert_eq!(asked, 8, "{:?}", server.requests.lock().unwrap());
    assert_text(
        &read(&db, "vaccine.yaml"),
        "title: \"Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful \
         Fine-tuning Attack\"\nkind: defense\nstage: alignment\ndate: \"2024-02-02\"\nvenue: \
         NeurIPS 2024\nauthors:\n- Tiansheng Huang\n- Sihao Hu\n- Ling Liu\narxiv: \
         \"2402.01109\"\n",
    );
    assert_text(
        &read(&db, "withdrawn.yaml"),
        "title: An Invented Paper Withdrawn from Review\nkind: attack\ndate: \"2024-10-04\"\n\
         authors:\n- Grace Hopper\nopenreview: wThdRwn5Xy\n",
    );
    assert!(read(&db, "survey.yaml").contains("venue: ACM CSUR 2025\n"));
    assert!(read(&db, "survey.yaml").contains("doi: 10.1145/3712003\n"));
    assert!(read(&db, "fictional.yaml").contains("venue: ICLR 2026\nauthors:\n- Ada Lovelace\n"));
    let validate = server.run(&db, &["validate"]);
    assert_eq!(validate.code, 0, "{}{}", validate.stdout, validate.stderr);
    // Every record re-checked, from the cache: nothing proposed, no request made.
    let again = server.run(&db, &["refresh", "--all", "--format", "json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_text(&again.stdout, "[]\n");
    assert_eq!(server.count(), asked);
}

#[test]
fn human_output_names_file_line_action_and_evidence() {
    let db = TestDb::empty();
    db.file("list.yaml", list())
        .file("withdrawn.yaml", WITHDRAWN_RECORD)
        .file("fictional.yaml", FICTIONAL_RECORD);
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_text(
        &run.stdout,
        "papers/withdrawn.yaml:4: correct venue: ICLR 2025 -> (none) [openreview wThdRwn5Xy: \
         \"ICLR 2025 Conference Withdrawn Submission\"]\n\
         papers/fictional.yaml:1: fill venue: (none) -> ICLR 2026 [openreview h4rmFtExmp: \"ICLR \
         2026 Poster\"]\n\
         papers/fictional.yaml:1: fill authors: (none) -> Ada Lovelace, Alan Turing [openreview \
         h4rmFtExmp: 2 author(s)]\n",
    );
}

#[test]
fn an_unknown_venue_is_a_conflict_naming_the_registry_entry_and_is_never_written() {
    let record = "title: An Invented Workshop Paper on Fine-tuning\nkind: attack\ndate: \
                  \"2025-03-01\"\nauthors:\n- Grace Hopper\npaper: https://example.org/paper\n";
    let db = TestDb::empty();
    db.file("list.yaml", list()).file("workshop.yaml", record);
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        got,
        serde_json::json!([
            {"id": "workshop", "field": "venue", "action": "conflict", "old": null, "new": null,
             "source": "dblp",
             "evidence": "conf/ccs/Hopper25: \"AISec@CCS\"; the registry has no series that DBLP \
                          spells `AISec@CCS`: add it to that series' `sources: {dblp: [...]}` in \
                          list.yaml (or add the series)"},
            {"id": "workshop", "field": "doi", "action": "fill", "old": null,
             "new": "10.1145/9999999.9999999", "source": "dblp",
             "evidence": "conf/ccs/Hopper25: \"An Invented Workshop Paper on Fine-tuning\""},
        ])
    );
    // Crossref has no record of that DOI: a warning for this record, and the summary says so.
    assert!(
        run.stderr.contains(
            "hftlist: warning: papers/workshop.yaml: Crossref not checked: the Crossref API at \
             http://127.0.0.1:"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hftlist: refresh: not checked with Crossref: papers/workshop.yaml"),
        "{}",
        run.stderr
    );
    let write = server.run(&db, &["refresh", "--write"]);
    assert_eq!(write.code, 0, "{}", write.stderr);
    let written = read(&db, "workshop.yaml");
    assert!(
        written.contains("doi: 10.1145/9999999.9999999\n"),
        "{written}"
    );
    assert!(!written.contains("venue"), "{written}");
}

#[test]
fn source_limits_the_services_asked() {
    let db = database();
    let server = StandIn::standard();
    let run = server.run(
        &db,
        &["refresh", "--source", "openreview", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let sources: Vec<&str> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["openreview", "openreview", "openreview"]);
    let targets = server.requests.lock().unwrap().clone();
    assert!(
        targets.iter().all(|t| t.starts_with("/openreview/")),
        "{targets:?}"
    );
}

#[test]
fn filters_narrow_the_records_checked() {
    let db = database();
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--id", "withdrawn", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(got.as_array().unwrap().len(), 1);
    assert_eq!(got[0]["id"], "withdrawn");
    assert!(
        run.stderr.contains("for 1 of 1 record(s) checked"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_network_and_an_empty_cache_exits_2_and_touches_nothing() {
    let db = database();
    let base = format!("http://127.0.0.1:{}", dead_port());
    let run = endpoints(&db, &base, &["refresh", "--write"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hftlist: error: no source could be reached: 7 request(s) failed, the first with: cannot connect to"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no file was touched"), "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_text(&read(&db, "vaccine.yaml"), VACCINE_RECORD);
    assert_text(&read(&db, "withdrawn.yaml"), WITHDRAWN_RECORD);
}

#[test]
fn offline_with_an_empty_cache_exits_2() {
    let db = database();
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--offline", "--write"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no source could be reached: 7 request(s) failed, the first with: --offline, and the cache has no answer"),
        "{}",
        run.stderr
    );
    assert_eq!(server.count(), 0);
    assert_text(&read(&db, "fictional.yaml"), FICTIONAL_RECORD);
}

#[test]
fn offline_with_a_warm_cache_proposes_the_same() {
    let db = database();
    let server = StandIn::standard();
    let online = server.run(&db, &["refresh", "--format", "json"]);
    let asked = server.count();
    let offline = server.run(&db, &["refresh", "--offline", "--format", "json"]);
    assert_eq!(offline.code, 1, "{}", offline.stderr);
    assert_text(&offline.stdout, &online.stdout);
    assert_eq!(server.count(), asked);
}

#[test]
fn nothing_to_check_exits_0() {
    let db = TestDb::empty();
    db.file("list.yaml", list()).file(
        "done.yaml",
        "title: Done\nkind: attack\ndate: \"2024-02-02\"\nvenue: ICLR 2025\nauthors:\n- A B\narxiv: \
         \"2402.01109\"\n",
    );
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(server.count(), 0);
}

#[test]
fn add_from_a_doi_writes_what_refresh_leaves_unchanged() {
    let db = TestDb::empty();
    db.file("list.yaml", list());
    let server = StandIn::standard();
    let run = server.run(
        &db,
        &[
            "add",
            "https://doi.org/10.1145/3712003",
            "--kind",
            "analysis",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = run.stdout.trim();
    assert_text(
        &std::fs::read_to_string(db.root().join(path)).unwrap(),
        "title: \"Harmful Fine-tuning Attacks and Defenses for Large Language Models: A Survey\"\n\
         kind: analysis\ndate: \"2025-04-11\"\nvenue: ACM CSUR 2025\nauthors:\n- Tiansheng Huang\n\
         - Sihao Hu\n- Fatih Ilhan\n- Selim Furkan Tekin\n- Ling Liu\ndoi: 10.1145/3712003\n",
    );
    let again = server.run(&db, &["refresh", "--all"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(again.stdout, "");
}

#[test]
fn add_from_an_openreview_url_writes_what_refresh_leaves_unchanged() {
    let db = TestDb::empty();
    db.file("list.yaml", list());
    let server = StandIn::standard();
    let run = server.run(
        &db,
        &[
            "add",
            "https://openreview.net/forum?id=h4rmFtExmp",
            "--kind",
            "attack",
            "--date",
            "2025-09-18",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &std::fs::read_to_string(db.root().join(run.stdout.trim())).unwrap(),
        "title: A Fictional Study of Harmful Fine-tuning\nkind: attack\ndate: \"2025-09-18\"\n\
         venue: ICLR 2026\nauthors:\n- Ada Lovelace\n- Alan Turing\nopenreview: h4rmFtExmp\n",
    );
    let again = server.run(&db, &["refresh", "--all"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(again.stdout, "");
}

#[test]
fn add_from_an_openreview_id_needs_a_date() {
    let db = TestDb::empty();
    db.file("list.yaml", list());
    let server = StandIn::standard();
    let run = server.run(&db, &["add", "h4rmFtExmp", "--kind", "attack"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the OpenReview API gives no date of first appearance: give it with --date"),
        "{}",
        run.stderr
    );
    assert_eq!(server.count(), 0);
}

#[test]
fn crossref_is_sent_the_contact_address_of_list_yaml() {
    let db = TestDb::empty();
    db.file("list.yaml", format!("mailto: list@example.org\n{}", list()))
        .file("survey.yaml", SURVEY_RECORD);
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--source", "arxiv,crossref"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let targets = server.requests.lock().unwrap().clone();
    assert!(
        targets.contains(&"/crossref/works/10.1145/3712003?mailto=list%40example.org".to_owned()),
        "{targets:?}"
    );
}

#[test]
fn a_mailto_that_is_not_an_address_is_refused() {
    let db = TestDb::empty();
    db.file("list.yaml", format!("mailto: nobody\n{}", list()));
    let run = db.run(&["validate"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: papers/list.yaml: `mailto` `nobody` is not an e-mail address\n",
    );
}

#[test]
fn an_arxiv_id_arxiv_does_not_know_is_a_warning_for_its_record() {
    let db = TestDb::empty();
    db.file("list.yaml", list()).file(
        "ghost.yaml",
        "title: A Ghost\nkind: attack\ndate: \"2025-01-02\"\nvenue: ICLR 2025\narxiv: \
         \"2501.99999\"\n",
    );
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "hftlist: warning: papers/ghost.yaml: arXiv not checked: arXiv has no paper \
             2501.99999 (a wrong id?)\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hftlist: refresh: not checked with arXiv: papers/ghost.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn write_refuses_changes_that_would_add_an_error_and_writes_nothing() {
    // The survey's arXiv record gives a DOI another record already has: a duplicate.
    let other = "title: Another Paper\nkind: attack\ndate: \"2024-05-01\"\nvenue: ICLR 2025\n\
                 authors:\n- Grace Hopper\ndoi: 10.1145/3712003\n";
    let db = TestDb::empty();
    db.file("list.yaml", list())
        .file("survey.yaml", SURVEY_RECORD)
        .file("other.yaml", other);
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--write"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[duplicate-paper]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "hftlist: the changes would add 1 error(s) to the database; nothing was written"
        ),
        "{}",
        run.stderr
    );
    assert_text(&read(&db, "survey.yaml"), SURVEY_RECORD);
    assert_text(&read(&db, "other.yaml"), other);
}

#[test]
fn an_arxiv_id_dblp_finds_on_another_record_is_not_asked_about() {
    let listed = "title: \"Vaccine: Perturbation-aware Alignment for Large Language Models against \
                  Harmful Fine-tuning Attack\"\nkind: defense\nstage: alignment\ndate: \
                  \"2024-02-02\"\nvenue: NeurIPS 2024\nauthors:\n- Tiansheng Huang\narxiv: \
                  \"2402.01109\"\n";
    // DBLP's CoRR record of this title points to 2402.01109, which `listed` has.
    let preprint = "title: \"Vaccine: Perturbation-aware Alignment for Large Language Model\"\n\
                    kind: defense\nstage: alignment\ndate: \"2024-02-02\"\nauthors:\n- Tiansheng \
                    Huang\npaper: https://example.org/vaccine\n";
    let db = TestDb::empty();
    db.file("list.yaml", list())
        .file("listed.yaml", listed)
        .file("preprint.yaml", preprint);
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, "[]\n");
    let targets = server.requests.lock().unwrap().clone();
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert!(targets[0].starts_with("/dblp/"), "{targets:?}");
}

#[test]
fn a_title_that_is_the_arxiv_titles_subtitle_is_a_conflict_never_written() {
    let record = "title: Perturbation-aware Alignment for Large Language Models against Harmful \
                  Fine-tuning Attack\nkind: defense\nstage: alignment\ndate: \"2024-02-02\"\n\
                  arxiv: \"2402.01109\"\n";
    let db = TestDb::empty();
    db.file("list.yaml", list()).file("vaccine.yaml", record);
    let server = StandIn::standard();
    let run = server.run(&db, &["refresh", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let titles: Vec<_> = got
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["field"] == "title")
        .collect();
    assert_eq!(titles.len(), 1, "{}", run.stdout);
    assert_eq!(titles[0]["action"], "conflict", "{}", run.stdout);
    assert_eq!(
        titles[0]["new"],
        "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful \
         Fine-tuning Attack"
    );
    let write = server.run(&db, &["refresh", "--write"]);
    assert!(write.code <= 1, "{}", write.stderr);
    assert!(
        read(&db, "vaccine.yaml").starts_with("title: Perturbation-aware Alignment"),
        "{}",
        read(&db, "vaccine.yaml")
    );
}
