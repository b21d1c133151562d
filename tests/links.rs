//! `hftlist links` against a local routing server that serves every case of a link: 200, 404,
//! 410, redirect chains and loops, a server that refuses HEAD, 429 with Retry-After, a slow
//! answer, a reset connection, https with a test CA, plain http beside https, a proxy, and a
//! fake GitHub API. One behaviour per test.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::server::{TestCa, hftlist, run};
use crate::util::{Run, TestDb, assert_text};

/// The rules of `links`, each with its failing case here (`validate`'s coverage test asks).
pub const COVERED_RULES: &[&str] = &[
    "dead-link",      // not_found_is_a_dead_link_at_the_field
    "moved-link",     // a_permanent_redirect_chain_is_a_moved_link_with_the_new_url
    "insecure-link",  // plain_http_where_https_works_is_an_insecure_link_that_fix_rewrites
    "anonymous-link", // an_anonymous_review_link_is_a_warning
    "link-error",     // a_redirect_loop_is_a_link_error
    "archived-repo",  // an_archived_github_repository_is_a_note
];

/// What the server does for one request.
enum Route {
    /// Status, extra header lines (each ending in `\r\n`), body.
    Reply(u16, String, String),
    /// Wait, then answer 200.
    Slow(Duration),
    /// Close the connection without an answer.
    Close,
}

fn reply(status: u16) -> Route {
    Route::Reply(status, String::new(), String::new())
}

fn redirect(status: u16, location: &str) -> Route {
    Route::Reply(status, format!("Location: {location}\r\n"), String::new())
}

type Router = dyn Fn(&str, &str, &str) -> Route + Send + Sync;

/// A routing server: every connection on its own thread, TLS when the client opens with a TLS
/// handshake (so one port serves both http and https), request heads recorded, the most
/// requests in flight at once measured.
struct Site {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    peak: Arc<AtomicUsize>,
}

impl Site {
    /// A server that resets every connection: it reads one byte and closes the socket with the
    /// rest of the request unread, so the kernel answers with RST.
    fn resetting() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut byte = [0u8; 1];
                let _ = stream.read(&mut byte);
                // Let the rest of the request arrive, so that it is left unread.
                std::thread::sleep(Duration::from_millis(50));
                seen.lock().unwrap().push("(reset)".to_owned());
                drop(stream);
            }
        });
        Self {
            port,
            requests,
            peak: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn new(route: impl Fn(&str, &str, &str) -> Route + Send + Sync + 'static) -> Self {
        Self::on("127.0.0.1", None, route)
    }

    fn tls(ca: &TestCa, route: impl Fn(&str, &str, &str) -> Route + Send + Sync + 'static) -> Self {
        Self::on("127.0.0.1", Some(ca.server_config()), route)
    }

    fn on(
        ip: &str,
        tls: Option<Arc<rustls::ServerConfig>>,
        route: impl Fn(&str, &str, &str) -> Route + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind((ip, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let peak = Arc::new(AtomicUsize::new(0));
        let live = Arc::new(AtomicUsize::new(0));
        let route: Arc<Router> = Arc::new(route);
        let (seen, top) = (Arc::clone(&requests), Arc::clone(&peak));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (route, seen, top, live, tls) = (
                    Arc::clone(&route),
                    Arc::clone(&seen),
                    Arc::clone(&top),
                    Arc::clone(&live),
                    tls.clone(),
                );
                std::thread::spawn(move || {
                    let busy = Busy {
                        live: &live,
                        peak: &top,
                    };
                    serve(stream, tls, &*route, &seen, &busy);
                });
            }
        });
        Self {
            port,
            requests,
            peak,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn https(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    /// The request lines seen (`HEAD /x`), in order.
    fn seen(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|h| {
                let line = h.lines().next().unwrap_or("");
                line.rsplit_once(' ').map_or(line, |(l, _)| l).to_owned()
            })
            .collect()
    }

    /// The full request heads seen.
    fn heads(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Counts the requests being answered (from the head read to the answer written).
struct Busy<'a> {
    live: &'a AtomicUsize,
    peak: &'a AtomicUsize,
}

fn serve(
    stream: TcpStream,
    tls: Option<Arc<rustls::ServerConfig>>,
    route: &Router,
    seen: &Mutex<Vec<String>>,
    busy: &Busy<'_>,
) {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut first = [0u8; 1];
    let is_tls = matches!(stream.peek(&mut first), Ok(1) if first[0] == 0x16);
    match (is_tls, tls) {
        (true, Some(config)) => {
            let conn = rustls::ServerConnection::new(config).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, stream);
            if exchange(&mut tls, "https", route, seen, busy) {
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
        }
        (true, None) => {}
        (false, _) => {
            let mut stream = stream;
            exchange(&mut stream, "http", route, seen, busy);
        }
    }
}

fn read_head(stream: &mut impl Read) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// Reads one request and answers it (a `CONNECT` first opens a tunnel, as a proxy does);
/// false when the client went away first or the route closes without an answer.
fn exchange(
    stream: &mut (impl Read + Write),
    scheme: &str,
    route: &Router,
    seen: &Mutex<Vec<String>>,
    busy: &Busy<'_>,
) -> bool {
    let Some(mut head) = read_head(stream) else {
        return false;
    };
    if head.starts_with("CONNECT ") {
        seen.lock().unwrap().push(head);
        let _ = stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
        let Some(next) = read_head(stream) else {
            return false;
        };
        head = next;
    }
    let now = busy.live.fetch_add(1, Ordering::SeqCst) + 1;
    busy.peak.fetch_max(now, Ordering::SeqCst);
    let mut words = head.split(' ');
    let method = words.next().unwrap_or("").to_owned();
    let target = words.next().unwrap_or("").to_owned();
    seen.lock().unwrap().push(head);
    let route = route(scheme, &method, &target);
    if let Route::Slow(wait) = route {
        std::thread::sleep(wait);
    }
    busy.live.fetch_sub(1, Ordering::SeqCst);
    match route {
        Route::Reply(status, headers, body) => {
            let body = if method == "HEAD" {
                String::new()
            } else {
                body
            };
            let text = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(text.as_bytes());
            let _ = stream.flush();
            true
        }
        Route::Slow(_) => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            true
        }
        Route::Close => false,
    }
}

/// A record whose `code` (line 4, column 7) is `url`.
fn record(url: &str) -> String {
    format!("title: A Paper\nkind: attack\ndate: \"2024-02-02\"\ncode: {url}\n")
}

/// A database with one record `a.yaml` whose code link is `url`.
fn db_with(url: &str) -> TestDb {
    let db = TestDb::new();
    db.file("a.yaml", record(url));
    db
}

/// `hftlist links ARGS` with extra environment.
fn links(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = hftlist(db);
    cmd.env_remove("GITHUB_TOKEN").arg("links").args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd)
}

const CLEAN: &str = "0 errors, 0 warnings in 1 file checked\n";

#[test]
fn a_working_link_passes_quietly() {
    let site = Site::new(|_, _, _| reply(200));
    let run = links(&db_with(&site.url("/ok")), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, CLEAN);
    // Not a terminal: no progress line.
    assert_text(&run.stderr, "");
    assert_eq!(site.seen(), ["HEAD /ok"]);
}

#[test]
fn every_request_names_hftlist_in_the_user_agent() {
    let site = Site::new(|_, _, _| reply(200));
    links(&db_with(&site.url("/ok")), &[], &[]);
    let head = site.heads()[0].to_lowercase();
    assert!(
        head.contains(&format!(
            "\r\nuser-agent: hftlist/{} (",
            env!("CARGO_PKG_VERSION")
        )),
        "{head}"
    );
}

#[test]
fn not_found_is_a_dead_link_at_the_field() {
    let site = Site::new(|_, _, _| reply(404));
    let url = site.url("/gone");
    let run = links(&db_with(&url), &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_text(
        &run.stdout,
        &format!(
            "papers/a.yaml:4:7: error[dead-link]: `code` `{url}` is dead: answers HTTP 404 (not \
             found)\n1 error, 0 warnings in 1 file checked\n"
        ),
    );
    // HEAD's 404 is confirmed with GET before the link is called dead.
    assert_eq!(site.seen(), ["HEAD /gone", "GET /gone"]);
}

#[test]
fn gone_410_is_a_dead_link() {
    let site = Site::new(|_, _, _| reply(410));
    let url = site.url("/x");
    let run = links(&db_with(&url), &[], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(&format!(
            "error[dead-link]: `code` `{url}` is dead: answers HTTP 410 (gone)"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_host_that_does_not_exist_is_a_dead_link() {
    let site = Site::new(|_, _, _| reply(200));
    let db = db_with("http://no-such-host.invalid/x");
    // A second, working record: the network is up, only the name is wrong.
    db.file("b.yaml", record(&site.url("/ok")));
    let run = links(&db, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "papers/a.yaml:4:7: error[dead-link]: `code` `http://no-such-host.invalid/x` is \
             dead: the host `no-such-host.invalid` does not exist\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_permanent_redirect_chain_is_a_moved_link_with_the_new_url() {
    let site = Site::new(|_, _, path| match path {
        "/old" => redirect(301, "/older"),
        "/older" => redirect(308, "/new"),
        _ => reply(200),
    });
    let (old, new) = (site.url("/old"), site.url("/new"));
    let db = db_with(&old);
    let run = links(&db, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        &format!(
            "papers/a.yaml:4:7: warning[moved-link]: `code` `{old}` has moved permanently to \
             `{new}`\n0 errors, 1 warning in 1 file checked\n"
        ),
    );
    assert_text(
        &std::fs::read_to_string(db.papers().join("a.yaml")).unwrap(),
        &record(&old),
    );
}

#[test]
fn fix_writes_the_new_url_of_a_moved_link() {
    let site = Site::new(|_, _, path| match path {
        "/old" => redirect(301, "/new"),
        _ => reply(200),
    });
    let (old, new) = (site.url("/old"), site.url("/new"));
    let db = db_with(&old);
    let run = links(&db, &["--fix"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("; rewritten by --fix\n"),
        "{}",
        run.stdout
    );
    assert_text(
        &run.stderr,
        "hftlist: --fix rewrote 1 record(s):\n  papers/a.yaml\n",
    );
    assert_text(
        &std::fs::read_to_string(db.papers().join("a.yaml")).unwrap(),
        &record(&new),
    );
}

#[test]
fn a_temporary_redirect_is_not_a_move() {
    let site = Site::new(|_, _, path| match path {
        "/login" => redirect(302, "/somewhere"),
        _ => reply(200),
    });
    let run = links(&db_with(&site.url("/login")), &[], &[]);
    assert_eq!(run.code, 0);
    assert_text(&run.stdout, CLEAN);
}

#[test]
fn a_redirect_loop_is_a_link_error() {
    let site = Site::new(|_, _, path| match path {
        "/a" => redirect(301, "/b"),
        _ => redirect(302, "/a"),
    });
    let (a, b) = (site.url("/a"), site.url("/b"));
    let run = links(&db_with(&a), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        &format!(
            "papers/a.yaml:4:7: warning[link-error]: `code` `{a}` could not be checked: redirect \
             loop: {a} -> {b} -> {a} (back to {a})\n0 errors, 1 warning in 1 file checked\n"
        ),
    );
}

#[test]
fn more_than_ten_redirects_is_a_link_error() {
    let site = Site::new(|_, _, path| {
        let n: u32 = path.trim_start_matches('/').parse().unwrap_or(0);
        redirect(302, &format!("/{}", n + 1))
    });
    let run = links(&db_with(&site.url("/0")), &[], &[]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("could not be checked: more than 10 redirects\n"),
        "{}",
        run.stdout
    );
    assert_eq!(site.seen().len(), 11);
}

#[test]
fn a_server_that_refuses_head_is_asked_with_get() {
    let site = Site::new(|_, method, _| {
        if method == "HEAD" {
            reply(405)
        } else {
            reply(200)
        }
    });
    let run = links(&db_with(&site.url("/page")), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, CLEAN);
    assert_eq!(site.seen(), ["HEAD /page", "GET /page"]);
}

#[test]
fn too_many_requests_is_retried_after_retry_after() {
    let asked = AtomicUsize::new(0);
    let site = Site::new(move |_, _, _| {
        if asked.fetch_add(1, Ordering::SeqCst) == 0 {
            Route::Reply(429, "Retry-After: 1\r\n".into(), String::new())
        } else {
            reply(200)
        }
    });
    let start = Instant::now();
    let run = links(&db_with(&site.url("/busy")), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, CLEAN);
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(site.seen(), ["HEAD /busy", "HEAD /busy"]);
}

#[test]
fn a_retry_after_beyond_the_timeout_is_a_link_error_not_dead() {
    let site = Site::new(|_, _, _| Route::Reply(429, "Retry-After: 60\r\n".into(), String::new()));
    let url = site.url("/busy");
    let start = Instant::now();
    let run = links(&db_with(&url), &["--timeout", "2"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        &format!(
            "papers/a.yaml:4:7: warning[link-error]: `code` `{url}` could not be checked: answers \
             HTTP 429 and asks to retry in 60 s, beyond --timeout 2 s\n0 errors, 1 warning in 1 \
             file checked\n"
        ),
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_server_error_is_retried_then_a_link_error() {
    let site = Site::new(|_, _, _| Route::Reply(503, "Retry-After: 0\r\n".into(), String::new()));
    let run = links(&db_with(&site.url("/down")), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("could not be checked: answers HTTP 503 after 2 retries\n"),
        "{}",
        run.stdout
    );
    assert_eq!(site.seen().len(), 3);
}

#[test]
fn a_slow_answer_is_a_timeout_link_error() {
    let site = Site::new(|_, _, _| Route::Slow(Duration::from_secs(5)));
    let url = site.url("/slow");
    let start = Instant::now();
    let run = links(&db_with(&url), &["--timeout", "1"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "warning[link-error]: `code` `{url}` could not be checked: gave no answer within \
             --timeout 1 s\n"
        )),
        "{}",
        run.stdout
    );
    assert!(start.elapsed() < Duration::from_secs(4));
}

#[test]
fn a_reset_connection_is_a_link_error() {
    let site = Site::resetting();
    let url = site.url("/reset");
    let run = links(&db_with(&url), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "warning[link-error]: `code` `{url}` could not be checked: the connection was reset\n"
        )),
        "{}",
        run.stdout
    );
    // Asked twice: a reset is tried once more on a new connection before it is reported.
    assert_eq!(site.seen().len(), 2);
}

#[test]
fn a_connection_closed_before_the_answer_is_asked_again_on_a_new_one() {
    // The first request is read and its connection closed without an answer (a kept-alive
    // connection the server dropped as the request arrived); later ones are answered.
    let asked = AtomicUsize::new(0);
    let site = Site::new(move |_, _, _| {
        if asked.fetch_add(1, Ordering::SeqCst) == 0 {
            Route::Close
        } else {
            reply(200)
        }
    });
    let run = links(&db_with(&site.url("/x")), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, CLEAN);
    // The site answers one request per connection: the second was on a new one.
    assert_eq!(site.seen(), ["HEAD /x", "HEAD /x"]);
}

#[test]
fn https_with_the_ca_in_ssl_cert_file_passes() {
    let ca = TestCa::new();
    let site = Site::tls(&ca, |scheme, _, _| {
        reply(if scheme == "https" { 200 } else { 400 })
    });
    let run = links(
        &db_with(&site.https("/secure")),
        &[],
        &[("SSL_CERT_FILE", ca.pem.to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, CLEAN);
    assert_eq!(site.seen(), ["HEAD /secure"]);
}

#[test]
fn https_with_an_untrusted_certificate_is_a_link_error() {
    let ca = TestCa::new();
    let site = Site::tls(&ca, |_, _, _| reply(200));
    let url = site.https("/secure");
    let run = links(&db_with(&url), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "warning[link-error]: `code` `{url}` could not be checked: the TLS certificate is not \
             trusted (issued by an unknown certificate authority)\n"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn plain_http_where_https_works_is_an_insecure_link_that_fix_rewrites() {
    let ca = TestCa::new();
    let site = Site::tls(&ca, |_, _, _| reply(200));
    let (http, https) = (site.url("/page"), site.https("/page"));
    let db = db_with(&http);
    let run = links(
        &db,
        &["--fix"],
        &[("SSL_CERT_FILE", ca.pem.to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        &format!(
            "papers/a.yaml:4:7: warning[insecure-link]: `code` `{http}` uses plain http, and \
             `{https}` works; rewritten by --fix\n0 errors, 1 warning in 1 file checked\n"
        ),
    );
    assert_text(
        &std::fs::read_to_string(db.papers().join("a.yaml")).unwrap(),
        &record(&https),
    );
}

#[test]
fn an_anonymous_review_link_is_a_warning() {
    // The review host is reached through a proxy from the environment (the local server).
    let proxy = Site::new(|_, _, _| reply(200));
    let url = "http://anonymous.4open.science/r/Repo-1234";
    let run = links(
        &db_with(url),
        &[],
        &[("HTTP_PROXY", &proxy.url("")), ("HTTPS_PROXY", "")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(&format!(
            "papers/a.yaml:4:7: warning[anonymous-link]: `{url}` is an anonymous review copy, \
             which expires after review; find the published repository\n"
        )),
        "{}",
        run.stdout
    );
    assert_eq!(
        proxy.seen()[..2],
        ["CONNECT anonymous.4open.science:80", "HEAD /r/Repo-1234"]
    );
}

#[test]
fn the_field_option_checks_only_that_field() {
    let site = Site::new(|_, _, _| reply(404));
    let db = TestDb::new();
    db.file(
        "a.yaml",
        format!(
            "title: A Paper\nkind: attack\ndate: \"2024-02-02\"\npaper: {}\ncode: {}\n",
            site.url("/paper"),
            site.url("/code")
        ),
    );
    let run = links(&db, &["--field", "code"], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.matches("dead-link").count(), 1);
    assert!(
        site.seen().iter().all(|r| r.ends_with("/code")),
        "{:?}",
        site.seen()
    );
}

#[test]
fn a_field_without_links_is_refused() {
    let run = links(&TestDb::new(), &["--field", "title"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`title` holds no link"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_shared_filters_select_the_records() {
    let site = Site::new(|_, _, _| reply(404));
    let db = db_with(&site.url("/a"));
    db.file("b.yaml", record(&site.url("/b")));
    let run = links(&db, &["--id", "b"], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("papers/b.yaml:4:7: error[dead-link]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("1 error, 0 warnings in 1 file checked\n")
    );
}

#[test]
fn json_output_has_the_diagnostics_and_counts() {
    let site = Site::new(|_, _, _| reply(404));
    let url = site.url("/x");
    let run = links(&db_with(&url), &["--format", "json"], &[]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 0);
    let d = &json["diagnostics"][0];
    assert_eq!(d["file"], "papers/a.yaml");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 7);
    assert_eq!(d["rule"], "dead-link");
    assert_eq!(d["severity"], "error");
}

#[test]
fn a_second_run_is_answered_from_the_cache() {
    let site = Site::new(|_, _, _| reply(404));
    let db = db_with(&site.url("/x"));
    let first = links(&db, &[], &[]);
    let asked = site.seen().len();
    let second = links(&db, &[], &[]);
    assert_eq!(second.code, 1);
    assert_text(&second.stdout, &first.stdout);
    assert_eq!(site.seen().len(), asked);
}

#[test]
fn offline_reports_from_the_cache() {
    let site = Site::new(|_, _, _| reply(404));
    let db = db_with(&site.url("/x"));
    let first = links(&db, &[], &[]);
    let offline = links(&db, &["--offline"], &[]);
    assert_eq!(offline.code, 1);
    assert_text(&offline.stdout, &first.stdout);
}

#[test]
fn offline_without_a_cached_result_cannot_run() {
    let url = "https://example.org/never-asked";
    let run = links(&db_with(url), &["--offline"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(&format!(
            "hftlist: error: --offline, and the cache has no answer for 1 request(s); run \
             without --offline to fetch: GET {url}\n"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_refused_connection_is_a_link_error() {
    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let site = Site::new(|_, _, _| reply(200));
    let url = format!("http://127.0.0.1:{dead}/x");
    let db = db_with(&url);
    // A working record beside it: the network is up.
    db.file("b.yaml", record(&site.url("/ok")));
    let run = links(&db, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(&format!(
            "papers/a.yaml:4:7: warning[link-error]: `code` `{url}` could not be checked: \
             connection refused\n"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unreadable_ssl_cert_file_stops_the_run() {
    let ca = TestCa::new();
    let site = Site::tls(&ca, |_, _, _| reply(200));
    let run = links(
        &db_with(&site.https("/x")),
        &[],
        &[("SSL_CERT_FILE", "/nonexistent/ca.pem")],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("SSL_CERT_FILE names `/nonexistent/ca.pem`, which cannot be read"),
        "{}",
        run.stderr
    );
}

#[test]
fn each_host_gets_at_most_two_requests_at_a_time() {
    let site = Site::new(|_, _, _| Route::Slow(Duration::from_millis(400)));
    let db = TestDb::new();
    for i in 0..8 {
        db.file(&format!("p{i}.yaml"), record(&site.url(&format!("/{i}"))));
    }
    let run = links(&db, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.seen().len(), 8);
    assert_eq!(site.peak.load(Ordering::SeqCst), 2);
}

#[test]
fn per_host_raises_the_limit() {
    let site = Site::new(|_, _, _| Route::Slow(Duration::from_millis(400)));
    let db = TestDb::new();
    for i in 0..8 {
        db.file(&format!("p{i}.yaml"), record(&site.url(&format!("/{i}"))));
    }
    let run = links(&db, &["--per-host", "4"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.peak.load(Ordering::SeqCst), 4);
}

/// A fake GitHub API for repository `o/r`; `answer` gives status and body per path.
fn github(answer: impl Fn(&str) -> Route + Send + Sync + 'static) -> Site {
    Site::new(move |_, _, path| answer(path))
}

fn with_token(api: &str) -> [(&str, &str); 2] {
    [
        ("GITHUB_TOKEN", "secret-token"),
        ("HFTLIST_GITHUB_URL", api),
    ]
}

#[test]
fn github_links_go_through_the_api_with_the_token() {
    let api = github(|_| {
        Route::Reply(
            200,
            String::new(),
            r#"{"full_name":"o/r","archived":false}"#.into(),
        )
    });
    let base = api.url("");
    let run = links(&db_with("https://github.com/o/r"), &[], &with_token(&base));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, CLEAN);
    assert_eq!(api.seen(), ["GET /repos/o/r"]);
    let head = api.heads()[0].to_lowercase();
    assert!(
        head.contains("\r\nauthorization: bearer secret-token\r\n"),
        "{head}"
    );
}

#[test]
fn an_archived_github_repository_is_a_note() {
    let api = github(|_| {
        Route::Reply(
            200,
            String::new(),
            r#"{"full_name":"o/r","archived":true}"#.into(),
        )
    });
    let base = api.url("");
    let run = links(&db_with("https://github.com/o/r"), &[], &with_token(&base));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        "papers/a.yaml:4:7: note[archived-repo]: `code` `https://github.com/o/r` is an archived \
         GitHub repository (read-only)\n0 errors, 0 warnings, 1 note in 1 file checked\n",
    );
}

#[test]
fn a_renamed_github_repository_is_a_moved_link() {
    let api = github(|path| match path {
        "/repos/o/r" => redirect(301, "/repositories/42"),
        _ => Route::Reply(200, String::new(), r#"{"full_name":"new-owner/r2"}"#.into()),
    });
    let base = api.url("");
    let run = links(
        &db_with("https://github.com/o/r/tree/main/src"),
        &[],
        &with_token(&base),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "warning[moved-link]: `code` `https://github.com/o/r/tree/main/src` has moved \
             permanently to `https://github.com/new-owner/r2/tree/main/src`\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_deleted_github_repository_is_dead() {
    let api = github(|_| reply(404));
    let base = api.url("");
    let run = links(&db_with("https://github.com/o/r"), &[], &with_token(&base));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "error[dead-link]: `code` `https://github.com/o/r` is dead: GitHub has no repository \
             `o/r` (deleted, or private)\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_refused_github_token_stops_the_run() {
    let api = github(|_| reply(401));
    let base = api.url("");
    let run = links(&db_with("https://github.com/o/r"), &[], &with_token(&base));
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("GITHUB_TOKEN is refused"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("secret-token"));
}

/// 1,000 links on eight local hosts (127.0.0.1-8), each answering after 50 ms (`LINKS_MS`): the
/// time with the default limits (2 per host, 16 in all). Run with
/// `cargo test --test integration thousand_links -- --ignored --nocapture`; `HFTLIST_BENCH_BIN`
/// names another binary to time (a release build).
#[test]
#[ignore = "a measurement for docs/performance.md"]
fn thousand_links() {
    let sites: Vec<Site> = (1..=8)
        .map(|i| {
            Site::on(&format!("127.0.0.{i}"), None, |_, _, _| {
                std::thread::sleep(Duration::from_millis(
                    std::env::var("LINKS_MS").map_or(50, |v| v.parse().unwrap()),
                ));
                reply(200)
            })
        })
        .collect();
    let db = TestDb::new();
    for i in 0..1000 {
        let site = &sites[i % 8];
        db.file(
            &format!("p{i:04}.yaml"),
            record(&format!("http://127.0.0.{}:{}/{i}", i % 8 + 1, site.port)),
        );
    }
    let links = |db: &TestDb, args: &[&str], env: &[(&str, &str)]| match std::env::var_os(
        "HFTLIST_BENCH_BIN",
    ) {
        Some(bin) => {
            let mut cmd = assert_cmd::Command::new(bin);
            cmd.current_dir(db.root())
                .env("HFTLIST_CACHE_DIR", crate::server::cache_dir(db.root()))
                .env_remove("GITHUB_TOKEN");
            run(cmd.arg("links").args(args).envs(env.iter().copied()))
        }
        None => links(db, args, env),
    };
    let start = Instant::now();
    let cold = links(&db, &[], &[]);
    let cold_time = start.elapsed();
    assert_eq!(cold.code, 0, "{}", cold.stderr);
    let start = Instant::now();
    let warm = links(&db, &[], &[]);
    let warm_time = start.elapsed();
    assert_eq!(warm.code, 0);
    let peak = sites.iter().map(|s| s.peak.load(Ordering::SeqCst)).max();
    println!(
        "1000 links, 8 hosts, 50 ms each: cold {:.2} s, cached {:.2} s, peak per host {peak:?}",
        cold_time.as_secs_f64(),
        warm_time.as_secs_f64()
    );
}

/// Makes every cached link result `secs` older.
fn age_cache(db: &TestDb, secs: u64) {
    let dir = crate::server::cache_dir(db.root()).join("links");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let aged: Vec<String> = text
            .split('\n')
            .map(|line| match line.strip_prefix("fetched ") {
                Some(t) => format!("fetched {}", t.parse::<u64>().unwrap() - secs),
                None => line.to_owned(),
            })
            .collect();
        std::fs::write(&path, aged.join("\n")).unwrap();
    }
}

#[test]
fn a_failed_result_is_asked_again_after_an_hour() {
    let site = Site::new(|_, _, _| reply(404));
    let db = db_with(&site.url("/x"));
    links(&db, &[], &[]);
    let asked = site.seen().len();
    age_cache(&db, 61 * 60);
    let again = links(&db, &[], &[]);
    assert_eq!(again.code, 1);
    assert!(site.seen().len() > asked);
}

#[test]
fn a_working_result_is_kept_for_a_day() {
    let site = Site::new(|_, _, _| reply(200));
    let db = db_with(&site.url("/x"));
    links(&db, &[], &[]);
    let asked = site.seen().len();
    age_cache(&db, 23 * 60 * 60);
    links(&db, &[], &[]);
    assert_eq!(site.seen().len(), asked);
    age_cache(&db, 2 * 60 * 60);
    links(&db, &[], &[]);
    assert!(site.seen().len() > asked);
}

#[test]
fn an_http_link_that_redirects_temporarily_to_https_is_an_insecure_link() {
    let ca = TestCa::new();
    let elsewhere = Site::tls(&ca, |_, _, _| reply(200));
    let target = elsewhere.https("/page");
    // http answers with a temporary redirect elsewhere; the link's own https address works.
    let site = Site::tls(&ca, move |scheme, _, _| {
        if scheme == "http" {
            redirect(302, &target)
        } else {
            reply(200)
        }
    });
    let (http, https) = (site.url("/page"), site.https("/page"));
    let run = links(
        &db_with(&http),
        &[],
        &[("SSL_CERT_FILE", ca.pem.to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        &format!(
            "papers/a.yaml:4:7: warning[insecure-link]: `code` `{http}` uses plain http, and \
             `{https}` works\n0 errors, 1 warning in 1 file checked\n"
        ),
    );
}

#[test]
fn a_terminal_gets_a_progress_line_on_stderr() {
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let site = Site::new(|_, _, _| reply(200));
    let db = db_with(&site.url("/ok"));
    let bin = assert_cmd::cargo::cargo_bin("hftlist");
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{} links", bin.display()), "/dev/null"])
        .current_dir(db.root())
        .env("HFTLIST_CACHE_DIR", crate::server::cache_dir(db.root()))
        .env_remove("HFTLIST_DB")
        .env_remove("GITHUB_TOKEN")
        .output()
        .expect("util-linux `script` runs the command on a terminal");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("\rchecking links: 1/1\r\x1b[2K0 errors, 0 warnings in 1 file checked"),
        "{text:?}"
    );
}
