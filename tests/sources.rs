//! The source clients of the library (OpenReview, DBLP, Crossref) through the shared client
//! and cache, against local servers that serve the recorded answers. No command uses them yet
//! (`refresh` will), so they are called as a library.

use std::time::Duration;

use hftlist::sources::{self, Client, NetError, Options, cache::Cache};

use crate::server::{Reply, serve};

const NOTE: &str = include_str!("fixtures/openreview/note.json");
const DBLP: &str = include_str!("fixtures/dblp/search.json");
const WORK: &str = include_str!("fixtures/crossref/work.json");

/// A client with its own cache folder.
fn client(offline: bool) -> (Client, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let client = Client::with_cache(
        Options {
            timeout: Duration::from_secs(10),
            offline,
        },
        Some(Cache::new(dir.path())),
    );
    (client, dir)
}

#[test]
fn openreview_note_is_fetched_then_served_from_the_cache() {
    let server = serve(vec![Reply::ok(NOTE)]);
    let (client, dir) = client(false);
    let id = "h4rmFtExmp".parse().unwrap();
    let note = sources::openreview::fetch_at(&client, &server.base, &id).unwrap();
    assert_eq!(note.venue.as_deref(), Some("ICLR 2026 Poster"));
    assert!(
        server.requests.lock().unwrap()[0].starts_with("GET /notes?id=h4rmFtExmp HTTP/1.1\r\n")
    );
    // The server is gone; a new client on the same cache, offline, still answers.
    let offline = Client::with_cache(
        Options {
            timeout: Duration::from_secs(10),
            offline: true,
        },
        Some(Cache::new(dir.path())),
    );
    let again = sources::openreview::fetch_at(&offline, &server.base, &id).unwrap();
    assert_eq!(again, note);
}

#[test]
fn dblp_search_sends_the_title_encoded() {
    let server = serve(vec![Reply::ok(DBLP)]);
    let (client, _dir) = client(false);
    let endpoint = format!("{}/search/publ/api", server.base);
    let hits = sources::dblp::search_at(&client, &endpoint, "Vaccine: Perturbation-aware").unwrap();
    assert_eq!(hits.len(), 2);
    let head = server.requests.lock().unwrap()[0].clone();
    assert!(
        head.starts_with(
            "GET /search/publ/api?q=Vaccine%3A%20Perturbation-aware&format=json&h=10 HTTP/1.1\r\n"
        ),
        "{head}"
    );
}

#[test]
fn crossref_work_is_fetched_with_the_contact_address() {
    let server = serve(vec![Reply::ok(WORK)]);
    let (client, _dir) = client(false);
    let doi = "10.1145/3712003".parse().unwrap();
    let work =
        sources::crossref::fetch_at(&client, &server.base, &doi, Some("list@example.org")).unwrap();
    assert_eq!(work.container.as_deref(), Some("ACM Computing Surveys"));
    let head = server.requests.lock().unwrap()[0].clone();
    assert!(
        head.starts_with("GET /works/10.1145/3712003?mailto=list%40example.org HTTP/1.1\r\n"),
        "{head}"
    );
}

#[test]
fn crossref_404_is_a_status_error_with_its_message() {
    let server = serve(vec![Reply::Http(
        404,
        String::new(),
        "Resource not found.".to_owned(),
    )]);
    let (client, _dir) = client(false);
    let doi = "10.1145/0000000".parse().unwrap();
    let err = sources::crossref::fetch_at(&client, &server.base, &doi, None).unwrap_err();
    assert_eq!(
        err.downcast_ref::<NetError>(),
        Some(&NetError::Status {
            service: "Crossref API".to_owned(),
            url: format!("{}/works/10.1145/0000000", server.base),
            status: 404,
            message: "Resource not found.".to_owned(),
        })
    );
}

#[test]
fn offline_with_an_empty_cache_names_the_request() {
    let (client, _dir) = client(true);
    let id = "h4rmFtExmp".parse().unwrap();
    let err =
        sources::openreview::fetch_at(&client, "https://api2.openreview.net", &id).unwrap_err();
    assert_eq!(
        err.downcast_ref::<NetError>(),
        Some(&NetError::Offline(vec![
            "https://api2.openreview.net/notes?id=h4rmFtExmp".to_owned()
        ]))
    );
}

const BATCH: &str = include_str!("fixtures/arxiv/batch.xml");

fn ids(list: &[&str]) -> Vec<hftlist::model::ident::ArxivId> {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

#[test]
fn arxiv_batch_asks_once_for_many_ids() {
    let server = serve(vec![Reply::ok(BATCH)]);
    let (client, _dir) = client(false);
    let wanted = ids(&["2402.01109", "2409.18169", "2501.99999"]);
    let batch = sources::arxiv::fetch_many_at(&client, &server.endpoint(), &wanted).unwrap();
    assert_eq!(batch.entries.len(), 2);
    assert_eq!(batch.entries[1].doi.as_deref(), Some("10.1145/3712003"));
    assert_eq!(batch.missing, ids(&["2501.99999"]));
    let head = server.requests.lock().unwrap()[0].clone();
    assert!(
        head.starts_with(
            "GET /api/query?id_list=2402.01109,2409.18169,2501.99999&max_results=3 HTTP/1.1\r\n"
        ),
        "{head}"
    );
}

#[test]
fn arxiv_batch_offline_names_every_request_it_could_not_serve() {
    let (client, _dir) = client(true);
    // 101 ids: two requests of at most 100.
    let wanted: Vec<_> = (1..=101)
        .map(|n| format!("2501.{n:05}").parse().unwrap())
        .collect();
    let err = sources::arxiv::fetch_many_at(&client, "https://export.arxiv.org/api/query", &wanted)
        .unwrap_err();
    let Some(NetError::Offline(urls)) = err.downcast_ref::<NetError>() else {
        panic!("{err:#}");
    };
    assert_eq!(urls.len(), 2);
    assert!(
        urls[0].ends_with("2501.00100&max_results=100"),
        "{}",
        urls[0]
    );
    assert_eq!(
        urls[1],
        "https://export.arxiv.org/api/query?id_list=2501.00101"
    );
}
