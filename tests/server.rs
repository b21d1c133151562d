//! Tiny local servers for the network tests, on 127.0.0.1 only: plain http, https with a
//! certificate from a test CA (made with rcgen), and a CONNECT proxy stand-in. Each answers
//! its connections with the given replies in order and records the request heads it saw.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;

use crate::util::{Run, TestDb};

/// One answer.
pub enum Reply {
    /// Status, extra header lines (each ending in `\r\n`), body.
    Http(u16, String, String),
    /// Accept the connection and say nothing for this long.
    Hang(Duration),
}

impl Reply {
    /// A 200 with this body.
    pub fn ok(body: impl Into<String>) -> Self {
        Self::Http(200, String::new(), body.into())
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::Http(status, format!("Location: {location}\r\n"), String::new())
    }
}

/// A running server: its base URL and the request heads it saw.
pub struct Server {
    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    pub base: String,
    /// The request heads, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// The arXiv query endpoint on this server.
    pub fn endpoint(&self) -> String {
        format!("{}/api/query", self.base)
    }

    /// How many requests it saw.
    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// A test certificate authority and a server certificate for 127.0.0.1 that it signed.
pub struct TestCa {
    /// The CA certificate, PEM, written in a temp folder.
    pub pem: PathBuf,
    config: Arc<rustls::ServerConfig>,
    _dir: tempfile::TempDir,
}

impl TestCa {
    pub fn new() -> Self {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "hftlist test CA");
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .unwrap()
            .signed_by(&leaf_key, &ca)
            .unwrap();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pem = dir.path().join("ca.pem");
        std::fs::write(&pem, ca.pem()).unwrap();
        Self {
            pem,
            config: Arc::new(config),
            _dir: dir,
        }
    }

    /// The server side: the certificate for 127.0.0.1 and its key.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        Arc::clone(&self.config)
    }
}

/// Reads a request head (up to the blank line).
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

fn answer(stream: &mut impl Write, reply: Reply) {
    match reply {
        Reply::Http(status, headers, body) => {
            let response = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/atom+xml\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
            let _ = stream.flush();
        }
        Reply::Hang(d) => std::thread::sleep(d),
    }
}

/// Runs `handle` on each connection, one reply each, on a thread.
fn spawn(
    scheme: &str,
    replies: Vec<Reply>,
    handle: impl Fn(TcpStream, Reply, &Mutex<Vec<String>>) + Send + 'static,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("{scheme}://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for reply in replies {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            handle(stream, reply, &seen);
        }
    });
    Server { base, requests }
}

/// A plain http server.
pub fn serve(replies: Vec<Reply>) -> Server {
    spawn("http", replies, |mut stream, reply, seen| {
        if let Some(head) = read_head(&mut stream) {
            seen.lock().unwrap().push(head);
            answer(&mut stream, reply);
        }
    })
}

/// An https server with a certificate from `ca`.
pub fn serve_tls(ca: &TestCa, replies: Vec<Reply>) -> Server {
    let config = Arc::clone(&ca.config);
    spawn("https", replies, move |stream, reply, seen| {
        let conn = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, stream);
        // A client that refuses the certificate ends the handshake here: nothing is recorded.
        if let Some(head) = read_head(&mut tls) {
            seen.lock().unwrap().push(head);
            answer(&mut tls, reply);
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    })
}

/// A proxy stand-in: accepts `CONNECT`, records it, then answers the tunnelled request itself
/// (over TLS with `ca` when given) and records that too.
pub fn proxy(ca: Option<&TestCa>, replies: Vec<Reply>) -> Server {
    let config = ca.map(|ca| Arc::clone(&ca.config));
    spawn("http", replies, move |mut stream, reply, seen| {
        let Some(connect) = read_head(&mut stream) else {
            return;
        };
        seen.lock().unwrap().push(connect);
        let _ = stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
        match &config {
            Some(config) => {
                let conn = rustls::ServerConnection::new(Arc::clone(config)).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, stream);
                if let Some(head) = read_head(&mut tls) {
                    seen.lock().unwrap().push(head);
                    answer(&mut tls, reply);
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                }
            }
            None => {
                if let Some(head) = read_head(&mut stream) {
                    seen.lock().unwrap().push(head);
                    answer(&mut stream, reply);
                }
            }
        }
    })
}

/// A port on 127.0.0.1 where nothing listens.
pub fn dead_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `hftlist` in the test folder with a clean network environment: no proxies, no extra CAs,
/// the cache in `<root>/cache`.
pub fn hftlist(db: &TestDb) -> Command {
    let mut cmd = Command::cargo_bin("hftlist").unwrap();
    cmd.current_dir(db.root())
        .env_remove("HFTLIST_DB")
        .env_remove("HFTLIST_ARXIV_URL")
        .env("HFTLIST_CACHE_DIR", cache_dir(db.root()));
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// The cache folder the commands of a test use.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join("cache")
}

/// Runs a prepared command.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap_or(-1),
    }
}
