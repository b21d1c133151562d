//! The one HTTP client of hftlist: https over rustls (the system's certificate store plus
//! `SSL_CERT_FILE` / `SSL_CERT_DIR`), proxies from the environment, redirects checked hop by
//! hop, one request per host per [`Service::delay`], `Retry-After` within the time budget,
//! bounded answers, and the answer cache in front of it all. Every failure is a [`NetError`]
//! that says what to do about it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, TlsProvider};

use super::Service;
use super::cache::Cache;

/// The User-Agent of every request: hftlist, its version and, when `Cargo.toml` names one, its
/// repository (arXiv and Crossref ask clients to say who they are and how to reach them).
pub fn user_agent() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY");
    if repository.is_empty() {
        format!(
            "hftlist/{} (bibliography maintenance)",
            env!("CARGO_PKG_VERSION")
        )
    } else {
        format!(
            "hftlist/{} (+{repository}; bibliography maintenance)",
            env!("CARGO_PKG_VERSION")
        )
    }
}

/// The most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 5;

/// How a command wants the network used.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The most one fetch may take, waits for `Retry-After` included.
    pub timeout: Duration,
    /// Serve from the cache only; never connect.
    pub offline: bool,
}

/// A failure to get an answer, worded for the person at the terminal.
#[derive(Clone, Debug, PartialEq)]
pub enum NetError {
    /// `--offline`, and the cache has no answer for these requests.
    Offline(Vec<String>),
    /// An endpoint the client refuses to use (plain http off loopback, another scheme).
    Endpoint(String),
    /// The host name does not resolve, or the network is down.
    HostNotFound {
        /// The host.
        host: String,
    },
    /// Nothing listens at the address.
    ConnectionRefused {
        /// The URL asked.
        url: String,
    },
    /// The server's certificate is not trusted (or not valid for the host).
    Certificate {
        /// The host.
        host: String,
        /// What rustls says.
        detail: String,
    },
    /// No (whole) answer within the time budget.
    Timeout {
        /// The service name.
        service: String,
        /// The URL asked.
        url: String,
        /// The budget, in seconds.
        secs: f64,
    },
    /// The service asked to retry later than the budget allows.
    RetryTooLate {
        /// The service name.
        service: String,
        /// Seconds asked.
        asked: u64,
        /// The budget, in seconds.
        secs: f64,
    },
    /// An HTTP status other than success, with the service's own message.
    Status {
        /// The service name.
        service: String,
        /// The URL asked.
        url: String,
        /// The status code.
        status: u16,
        /// The service's words, shortened.
        message: String,
    },
    /// A redirect the rules do not allow.
    Redirect {
        /// Where it came from.
        from: String,
        /// Where it pointed.
        to: String,
        /// Which rule it broke.
        why: String,
    },
    /// The answer is larger than the service's bound.
    TooLarge {
        /// The URL asked.
        url: String,
        /// The bound in bytes.
        limit: u64,
    },
    /// The proxy from the environment is unusable or refused the tunnel.
    Proxy(String),
    /// `SSL_CERT_FILE` names a file that cannot be used.
    Trust(String),
    /// Anything else, with the library's words.
    Other {
        /// The URL asked.
        url: String,
        /// What went wrong.
        detail: String,
    },
}

impl std::fmt::Display for NetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Offline(urls) => {
                write!(
                    f,
                    "--offline, and the cache has no answer for {} request(s); run without \
                     --offline to fetch:",
                    urls.len()
                )?;
                // One line: the error is printed escaped, so a newline would show as `\n`.
                for (i, url) in urls.iter().enumerate() {
                    write!(f, "{} GET {url}", if i == 0 { "" } else { ";" })?;
                }
                Ok(())
            }
            Self::Endpoint(m) | Self::Proxy(m) | Self::Trust(m) => f.write_str(m),
            Self::HostNotFound { host } => write!(
                f,
                "cannot reach `{host}`: host not found (offline, or a typo in the endpoint?)"
            ),
            Self::ConnectionRefused { url } => {
                write!(f, "cannot connect to {url}: connection refused")
            }
            Self::Certificate { host, detail } => write!(
                f,
                "the TLS certificate of `{host}` is not trusted ({detail}); if a proxy or \
                 firewall re-signs TLS, add its CA certificate with SSL_CERT_FILE=/path/to/ca.pem \
                 (or a folder of them with SSL_CERT_DIR)"
            ),
            Self::Timeout { service, url, secs } => write!(
                f,
                "the {service} at {url} did not answer within {secs} s (raise it with --timeout)"
            ),
            Self::RetryTooLate {
                service,
                asked,
                secs,
            } => write!(
                f,
                "the {service} is busy and asks to retry in {asked} s, beyond --timeout {secs} s; \
                 try again later or raise --timeout"
            ),
            Self::Status {
                service,
                url,
                status,
                message,
            } => {
                write!(f, "the {service} at {url} answered HTTP {status}")?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Self::Redirect { from, to, why } => {
                write!(f, "refused a redirect from {from} to {to}: {why}")
            }
            Self::TooLarge { url, limit } => write!(
                f,
                "the answer of {url} is larger than {} MiB; refused",
                limit / (1024 * 1024)
            ),
            Self::Other { url, detail } => write!(f, "cannot fetch {url}: {detail}"),
        }
    }
}

impl std::error::Error for NetError {}

/// A URL split into what the rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Target {
    https: bool,
    /// Lowercase, without IPv6 brackets.
    host: String,
    /// `scheme://authority`, for resolving relative redirects.
    origin: String,
}

fn parse_target(url: &str) -> Result<Target, String> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|e| format!("`{url}` is not a URL ({e})"))?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        Some(other) => return Err(format!("`{url}` uses `{other}`; only https is supported")),
        None => return Err(format!("`{url}` is not an absolute URL")),
    };
    let authority = uri
        .authority()
        .ok_or_else(|| format!("`{url}` names no host"))?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if host.is_empty() {
        return Err(format!("`{url}` names no host"));
    }
    Ok(Target {
        https,
        host,
        origin: format!("{}://{}", if https { "https" } else { "http" }, authority),
    })
}

/// Whether the host is this machine: `localhost` or a loopback address.
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Checks an endpoint given in the environment variable `var`: https, or plain http to a
/// loopback address (a local test server); anything else is refused with the reason.
pub fn check_endpoint(url: &str, var: &str) -> Result<(), NetError> {
    let target = parse_target(url).map_err(|e| NetError::Endpoint(format!("{var}: {e}")))?;
    if target.https || is_loopback(&target.host) {
        Ok(())
    } else {
        Err(NetError::Endpoint(format!(
            "{var} is `{url}`: plain http is refused (it can be read and changed on the way); \
             use https (http is accepted only on a loopback address, for local tests)"
        )))
    }
}

/// Percent-encodes a query value: everything but letters, digits and `-._~`.
pub fn encode_query(value: &str) -> String {
    encode(value, |b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Percent-encodes a path (a DOI): keeps `/` and the characters a path may hold as they are.
pub fn encode_path(value: &str) -> String {
    encode(value, |b| {
        b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b)
    })
}

fn encode(value: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Resolves a `Location` against the URL it came from.
fn resolve(base: &str, origin: &str, location: &str) -> String {
    if location.contains("://") {
        location.to_owned()
    } else if let Some(rest) = location.strip_prefix("//") {
        let scheme = origin.split("://").next().unwrap_or("https");
        format!("{scheme}://{rest}")
    } else if location.starts_with('/') {
        format!("{origin}{location}")
    } else {
        let path_end = base.find('?').unwrap_or(base.len());
        let dir = base[..path_end]
            .rfind('/')
            .filter(|i| *i >= origin.len())
            .map_or(format!("{origin}/"), |i| base[..=i].to_owned());
        format!("{dir}{location}")
    }
}

/// The redirect rule: https, to the host it came from or a host the service names.
fn check_redirect(service: &Service, from: &str, to: &str) -> Result<(), NetError> {
    let refuse = |why: String| NetError::Redirect {
        from: from.to_owned(),
        to: to.to_owned(),
        why,
    };
    let next = parse_target(to).map_err(refuse)?;
    if !next.https {
        return Err(refuse("only https redirects are followed".to_owned()));
    }
    let here = parse_target(from).map_err(refuse)?;
    if next.host != here.host && !service.known_hosts.contains(&next.host.as_str()) {
        return Err(refuse(format!(
            "`{}` is not a host of the {}",
            next.host, service.name
        )));
    }
    Ok(())
}

/// The proxy for a request to `host`, from the usual variables (`NO_PROXY` first, then
/// `HTTPS_PROXY` or `HTTP_PROXY` by scheme, then `ALL_PROXY`; lowercase spellings too).
fn proxy_for(https: bool, host: &str, var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let get = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| var(n).filter(|v| !v.trim().is_empty()))
    };
    if let Some(list) = get(&["NO_PROXY", "no_proxy"])
        && bypasses(&list, host)
    {
        return None;
    }
    let by_scheme = if https {
        get(&["HTTPS_PROXY", "https_proxy"])
    } else {
        get(&["HTTP_PROXY", "http_proxy"])
    };
    by_scheme
        .or_else(|| get(&["ALL_PROXY", "all_proxy"]))
        .map(|v| v.trim().to_owned())
}

/// The proxy a variable names: an http(s) CONNECT proxy. SOCKS is refused rather than
/// silently bypassed (hftlist is built without SOCKS support).
fn proxy_config(p: &str) -> Result<ureq::Proxy, NetError> {
    if p.to_ascii_lowercase().starts_with("socks") {
        return Err(NetError::Proxy(format!(
            "the proxy `{p}` from the environment is a SOCKS proxy, which hftlist does not \
             support; use an http proxy (e.g. `http://proxy.example:3128`)"
        )));
    }
    ureq::Proxy::new(p).map_err(|_| {
        NetError::Proxy(format!(
            "the proxy `{p}` from the environment is not a proxy URL \
             (e.g. `http://proxy.example:3128`)"
        ))
    })
}

/// Whether `NO_PROXY` (comma-separated hosts, domains with or without a leading dot, or `*`)
/// covers `host`.
fn bypasses(list: &str, host: &str) -> bool {
    list.split(',').map(str::trim).any(|entry| {
        let entry = entry.to_ascii_lowercase();
        let entry = entry.trim_start_matches("*.").trim_start_matches('.');
        // `host:port` entries: the port is not part of the match.
        let entry = match entry.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') && p.chars().all(|c| c.is_ascii_digit()) => h,
            _ => entry,
        };
        let entry = entry.trim_start_matches('[').trim_end_matches(']');
        entry == "*"
            || (!entry.is_empty()
                && (host == entry
                    || host
                        .strip_suffix(entry)
                        .is_some_and(|rest| rest.ends_with('.'))))
    })
}

/// The trusted roots: the system's store plus the certificates in `SSL_CERT_FILE` and in the
/// files of `SSL_CERT_DIR` (colon-separated folders).
fn trusted_roots() -> Result<Vec<Certificate<'static>>, NetError> {
    let mut certs = Vec::new();
    let env_file = std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty());
    let env_dirs = std::env::var_os("SSL_CERT_DIR").filter(|v| !v.is_empty());
    if let Some(file) = &env_file {
        let path = std::path::Path::new(file);
        let pem = std::fs::read(path).map_err(|e| {
            NetError::Trust(format!(
                "SSL_CERT_FILE names `{}`, which cannot be read: {e}",
                path.display()
            ))
        })?;
        let before = certs.len();
        push_pem(&mut certs, &pem);
        if certs.len() == before {
            return Err(NetError::Trust(format!(
                "SSL_CERT_FILE names `{}`, which holds no PEM certificate",
                path.display()
            )));
        }
    }
    if let Some(dirs) = &env_dirs {
        for dir in std::env::split_paths(dirs) {
            push_dir(&mut certs, &dir);
        }
    }
    if env_file.is_none() && env_dirs.is_none() {
        // Without the variables, rustls-native-certs reads the platform's store.
        for cert in rustls_native_certs::load_native_certs().certs {
            certs.push(Certificate::from_der(cert.as_ref()).to_owned());
        }
    } else {
        // With them it would read only them; the system's folders are added here.
        for dir in openssl_probe::candidate_cert_dirs() {
            push_dir(&mut certs, dir);
        }
    }
    Ok(certs)
}

fn push_pem(certs: &mut Vec<Certificate<'static>>, pem: &[u8]) {
    for item in ureq::tls::parse_pem(pem).flatten() {
        if let PemItem::Certificate(c) = item {
            certs.push(c);
        }
    }
}

/// Every PEM certificate in the files of `dir` (OpenSSL's hashed links included; other files
/// hold none and add nothing).
fn push_dir(certs: &mut Vec<Certificate<'static>>, dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_file()
            && let Ok(pem) = std::fs::read(&path)
        {
            push_pem(certs, &pem);
        }
    }
}

/// The client: options, the cache, the trusted roots (loaded on the first request), and when
/// each host was last asked.
pub struct Client {
    options: Options,
    cache: Option<Cache>,
    roots: RefCell<Option<Arc<Vec<Certificate<'static>>>>>,
    last_request: RefCell<HashMap<String, Instant>>,
}

impl Client {
    /// A client with the user's cache (see [`Cache::from_env`]).
    pub fn new(options: Options) -> Self {
        Self::with_cache(options, Cache::from_env())
    }

    /// A client with the given cache, or none.
    pub fn with_cache(options: Options, cache: Option<Cache>) -> Self {
        Self {
            options,
            cache,
            roots: RefCell::new(None),
            last_request: RefCell::new(HashMap::new()),
        }
    }

    /// The body of a GET of `url`, from the cache while fresh (any age when offline), else
    /// from the network (then cached). Says on stderr what it fetches while it waits.
    pub fn get(&self, service: &Service, url: &str) -> Result<String, NetError> {
        self.get_with(service, url, &[])
    }

    /// [`Client::get`] with extra request headers (an API key). The headers are not part of
    /// the cache key, so a secret in them is never written to the cache.
    pub fn get_with(
        &self,
        service: &Service,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<String, NetError> {
        if let Some(cache) = &self.cache
            && let Some(hit) = cache.get(service.key, url)
            && (self.options.offline || hit.age < service.ttl)
        {
            return Ok(hit.body);
        }
        if self.options.offline {
            return Err(NetError::Offline(vec![url.to_owned()]));
        }
        crate::messages::say(format!("hftlist: fetching {url} ..."));
        let body = self.fetch(service, url, headers)?;
        if let Some(cache) = &self.cache {
            cache.put(service.key, url, &body);
        }
        Ok(body)
    }

    /// The network part of [`Client::get`]: one retry on 429 and 5xx after `Retry-After`, all
    /// within the time budget (the politeness delay, hftlist's own choice, is not counted).
    fn fetch(
        &self,
        service: &Service,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<String, NetError> {
        let budget = self.options.timeout;
        let start = Instant::now();
        let mut paced = Duration::ZERO;
        let used = |paced: Duration| start.elapsed().saturating_sub(paced);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let host = parse_target(url).map_err(NetError::Endpoint)?.host;
            let before = Instant::now();
            self.pace(&host, service.delay);
            paced += before.elapsed();
            let remaining = budget.saturating_sub(used(paced));
            let timeout = |url: &str| NetError::Timeout {
                service: service.name.to_owned(),
                url: url.to_owned(),
                secs: budget.as_secs_f64(),
            };
            if remaining.is_zero() {
                return Err(timeout(url));
            }
            let (final_url, mut response) = self.follow(service, url, headers, remaining)?;
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                return read_body(&mut response, service.max_bytes, &final_url, timeout);
            }
            let message = service_message(&mut response);
            let retryable = status == 429 || (500..=599).contains(&status);
            if retryable && attempt == 1 {
                let asked = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(retry_after)
                    .unwrap_or(1);
                let left = budget.saturating_sub(used(paced));
                if Duration::from_secs(asked) >= left {
                    return Err(NetError::RetryTooLate {
                        service: service.name.to_owned(),
                        asked,
                        secs: budget.as_secs_f64(),
                    });
                }
                std::thread::sleep(Duration::from_secs(asked));
                continue;
            }
            return Err(NetError::Status {
                service: service.name.to_owned(),
                url: final_url,
                status,
                message,
            });
        }
    }

    /// Sends the GET and follows allowed redirects; returns the last URL and its response.
    fn follow(
        &self,
        service: &Service,
        url: &str,
        headers: &[(&str, &str)],
        remaining: Duration,
    ) -> Result<(String, ureq::http::Response<ureq::Body>), NetError> {
        let deadline = Instant::now() + remaining;
        let mut current = url.to_owned();
        for _ in 0..=MAX_REDIRECTS {
            let left = deadline.saturating_duration_since(Instant::now());
            // The headers go to the service's own host only, never to a host it redirects to.
            let same_host = parse_target(&current).map_err(NetError::Endpoint)?.host
                == parse_target(url).map_err(NetError::Endpoint)?.host;
            let response = self.send(
                service,
                &current,
                if same_host { headers } else { &[] },
                left,
            )?;
            let status = response.status().as_u16();
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                return Ok((current, response));
            }
            let Some(location) = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
            else {
                return Ok((current, response));
            };
            let origin = parse_target(&current).map_err(NetError::Endpoint)?.origin;
            let next = resolve(&current, &origin, location.trim());
            check_redirect(service, &current, &next)?;
            current = next;
        }
        Err(NetError::Redirect {
            from: url.to_owned(),
            to: current,
            why: format!("more than {MAX_REDIRECTS} redirects"),
        })
    }

    /// One GET, no redirects followed, within `left`.
    fn send(
        &self,
        service: &Service,
        url: &str,
        headers: &[(&str, &str)],
        left: Duration,
    ) -> Result<ureq::http::Response<ureq::Body>, NetError> {
        let target = parse_target(url).map_err(NetError::Endpoint)?;
        let timeout_error = || NetError::Timeout {
            service: service.name.to_owned(),
            url: url.to_owned(),
            secs: self.options.timeout.as_secs_f64(),
        };
        if left.is_zero() {
            return Err(timeout_error());
        }
        let proxy_url = proxy_for(target.https, &target.host, &|n| std::env::var(n).ok());
        let proxy = match &proxy_url {
            Some(p) => Some(proxy_config(p)?),
            None => None,
        };
        let mut builder = ureq::Agent::config_builder()
            .timeout_global(Some(left))
            .timeout_connect(Some(left.min(Duration::from_secs(30))))
            .user_agent(user_agent())
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(proxy);
        if target.https {
            builder = builder.tls_config(
                TlsConfig::builder()
                    .provider(TlsProvider::Rustls)
                    .root_certs(RootCerts::Specific(self.roots()?))
                    .build(),
            );
        }
        let agent: ureq::Agent = builder.build().into();
        let mut request = agent.get(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.call().map_err(|e| {
            match (classify(e, url, &target.host, timeout_error), &proxy_url) {
                // Through a proxy, the connection that failed is the one to the proxy.
                (NetError::ConnectionRefused { .. } | NetError::HostNotFound { .. }, Some(p)) => {
                    NetError::Proxy(format!(
                        "cannot reach the proxy `{p}` (from the environment) to fetch {url}; check \
                     HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY"
                    ))
                }
                (e, _) => e,
            }
        })
    }

    fn roots(&self) -> Result<Arc<Vec<Certificate<'static>>>, NetError> {
        if let Some(roots) = self.roots.borrow().as_ref() {
            return Ok(Arc::clone(roots));
        }
        let roots = Arc::new(trusted_roots()?);
        *self.roots.borrow_mut() = Some(Arc::clone(&roots));
        Ok(roots)
    }

    /// Waits until `delay` has passed since the last request to `host`, in this run or (as
    /// recorded in the cache folder) in an earlier one.
    fn pace(&self, host: &str, delay: Duration) {
        let stamp = self.cache.as_ref().map(|c| {
            let safe: String = host
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            c.dir().join("pace").join(safe)
        });
        let since_here = self.last_request.borrow().get(host).map(Instant::elapsed);
        let since_stamp = stamp
            .as_ref()
            .and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            // A stamp in the future (clock changes) counts as "just now".
            .map(|t| SystemTime::now().duration_since(t).unwrap_or_default());
        let since = match (since_here, since_stamp) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(since) = since {
            std::thread::sleep(delay.saturating_sub(since));
        }
        self.last_request
            .borrow_mut()
            .insert(host.to_owned(), Instant::now());
        if let Some(stamp) = stamp {
            // Best effort: pacing across runs is a courtesy, not a correctness matter.
            let _ = stamp
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&stamp, b""));
        }
    }
}

/// The request method of a link probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `HEAD`: the status without the page.
    Head,
    /// `GET`, for servers that refuse `HEAD`.
    Get,
}

/// What one probe got back: the status and the headers the link checker acts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// `Location`, as sent.
    pub location: Option<String>,
    /// `Retry-After`, in seconds.
    pub retry_after: Option<u64>,
    /// The body, when the probe asked for one (at most its limit, lossy UTF-8).
    pub body: String,
}

/// Why a probe got no answer.
#[derive(Clone, Debug, PartialEq)]
pub enum ProbeError {
    /// The host name does not exist (the resolver says so; not a network outage).
    NoSuchHost,
    /// The network is down or name resolution failed for the moment.
    Unreachable(String),
    /// Nothing listens at the address.
    Refused,
    /// No answer within the time left.
    Timeout,
    /// The server's certificate is not trusted.
    Certificate(String),
    /// The run cannot go on: unusable `SSL_CERT_FILE`, a bad proxy variable.
    Fatal(NetError),
    /// The server closed or reset the connection before its answer (a kept-alive connection
    /// it had dropped, or a server that went away): worth one fresh try.
    Reset,
    /// Anything else (a broken answer), in the library's words.
    Other(String),
}

impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoSuchHost => f.write_str("the host name does not exist"),
            Self::Unreachable(m) => write!(f, "the network is unreachable ({m})"),
            Self::Refused => f.write_str("connection refused"),
            Self::Timeout => f.write_str("no answer in time"),
            Self::Certificate(m) => write!(f, "the TLS certificate is not trusted ({m})"),
            Self::Fatal(e) => write!(f, "{e}"),
            Self::Reset => f.write_str("the connection was reset"),
            Self::Other(m) => f.write_str(m),
        }
    }
}

/// The link checker's client: any host, http or https, one request per call and no redirect
/// followed (the checker follows them itself, hop by hop). It shares the [`Client`]'s trust
/// (system store, `SSL_CERT_FILE`, `SSL_CERT_DIR`), proxies and User-Agent, and it is `Sync`:
/// one prober serves every checking thread, reusing connections per proxy route.
#[derive(Default)]
pub struct Prober {
    roots: std::sync::OnceLock<Result<Arc<Vec<Certificate<'static>>>, NetError>>,
    agents: std::sync::Mutex<HashMap<Option<String>, ureq::Agent>>,
}

impl Prober {
    /// A prober; the trusted roots are read on the first https request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends one request within `left`: `headers` added, the body read up to `body_limit` bytes
    /// (0: not read), on a new connection when `fresh` (else a kept-alive one may serve).
    /// Statuses are answers, never errors.
    pub fn probe(
        &self,
        method: Method,
        url: &str,
        left: Duration,
        headers: &[(&str, &str)],
        body_limit: u64,
        fresh: bool,
    ) -> Result<Answer, ProbeError> {
        let target = parse_target(url).map_err(ProbeError::Other)?;
        if left.is_zero() {
            return Err(ProbeError::Timeout);
        }
        let agent = self.agent(&target)?;
        let mut request = match method {
            Method::Head => agent.head(url),
            Method::Get => agent.get(url),
        };
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut config = request
            .config()
            .timeout_global(Some(left))
            .timeout_connect(Some(left.min(Duration::from_secs(30))));
        if fresh {
            // No kept-alive connection is young enough: a new one is opened.
            config = config.max_idle_age(Duration::ZERO);
        }
        let mut response = config
            .build()
            .call()
            .map_err(|e| classify_probe(e, &target.host))?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let mut answer = Answer {
            status: response.status().as_u16(),
            location: header("location"),
            retry_after: header("retry-after").as_deref().and_then(retry_after),
            body: String::new(),
        };
        if body_limit > 0 && method == Method::Get {
            answer.body = response
                .body_mut()
                .with_config()
                .limit(body_limit)
                .lossy_utf8(true)
                .read_to_string()
                .map_err(|e| match e {
                    ureq::Error::Timeout(_) => ProbeError::Timeout,
                    other => ProbeError::Other(format!("cannot read the answer: {other}")),
                })?;
        }
        Ok(answer)
    }

    /// The agent for the proxy route of `target` (made once per route).
    fn agent(&self, target: &Target) -> Result<ureq::Agent, ProbeError> {
        let proxy = proxy_for(target.https, &target.host, &|n| std::env::var(n).ok());
        let mut agents = self
            .agents
            .lock()
            .map_err(|_| ProbeError::Other("a checking thread failed".to_owned()))?;
        if let Some(agent) = agents.get(&proxy) {
            return Ok(agent.clone());
        }
        let ureq_proxy = match &proxy {
            Some(p) => Some(ureq::Proxy::new(p).map_err(|_| {
                ProbeError::Fatal(NetError::Proxy(format!(
                    "the proxy `{p}` from the environment is not a proxy URL \
                     (e.g. `http://proxy.example:3128`)"
                )))
            })?),
            None => None,
        };
        let roots = self
            .roots
            .get_or_init(|| trusted_roots().map(Arc::new))
            .clone()
            .map_err(ProbeError::Fatal)?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .user_agent(user_agent())
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(ureq_proxy)
            .tls_config(
                TlsConfig::builder()
                    .provider(TlsProvider::Rustls)
                    .root_certs(RootCerts::Specific(roots))
                    .build(),
            )
            .build()
            .into();
        agents.insert(proxy, agent.clone());
        Ok(agent)
    }
}

/// The library's error as a probe failure: a name that does not exist is told apart from a
/// resolver that cannot answer now (a dead link against a network outage).
fn classify_probe(error: ureq::Error, host: &str) -> ProbeError {
    if let Some(detail) = certificate_problem(&error) {
        return ProbeError::Certificate(detail);
    }
    match error {
        ureq::Error::Timeout(_) => ProbeError::Timeout,
        ureq::Error::HostNotFound => ProbeError::NoSuchHost,
        ureq::Error::ConnectionFailed => ProbeError::Refused,
        ureq::Error::ConnectProxyFailed(m) => {
            ProbeError::Fatal(NetError::Proxy(format!("the proxy refused a tunnel: {m}")))
        }
        ureq::Error::Io(e) => {
            let text = e.to_string();
            match e.kind() {
                std::io::ErrorKind::ConnectionRefused => ProbeError::Refused,
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                    ProbeError::Timeout
                }
                std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::UnexpectedEof
                | std::io::ErrorKind::BrokenPipe => ProbeError::Reset,
                std::io::ErrorKind::NetworkUnreachable
                | std::io::ErrorKind::HostUnreachable
                | std::io::ErrorKind::NetworkDown => ProbeError::Unreachable(text),
                _ if text.contains("Temporary failure") || text.contains("try again") => {
                    ProbeError::Unreachable(format!("cannot resolve `{host}` now"))
                }
                _ if text.contains("Name or service not known")
                    || text.contains("No address associated")
                    || text.contains("nodename nor servname")
                    || text.contains("No such host") =>
                {
                    ProbeError::NoSuchHost
                }
                _ => ProbeError::Other(text),
            }
        }
        other => ProbeError::Other(other.to_string()),
    }
}

/// Resolves a redirect's `Location` against the URL that sent it (absolute, scheme-relative,
/// absolute-path or relative forms).
pub fn resolve_location(base: &str, location: &str) -> Result<String, String> {
    let origin = parse_target(base)?.origin;
    Ok(resolve(base, &origin, location.trim()))
}

/// Reads a body of at most `limit` bytes.
fn read_body(
    response: &mut ureq::http::Response<ureq::Body>,
    limit: u64,
    url: &str,
    timeout: impl Fn(&str) -> NetError,
) -> Result<String, NetError> {
    match response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_string()
    {
        Ok(body) => Ok(body),
        Err(ureq::Error::BodyExceedsLimit(_)) => Err(NetError::TooLarge {
            url: url.to_owned(),
            limit,
        }),
        Err(ureq::Error::Timeout(_)) => Err(timeout(url)),
        Err(e) => Err(NetError::Other {
            url: url.to_owned(),
            detail: format!("cannot read the answer: {e}"),
        }),
    }
}

/// The first words of an error answer: the text of an HTML page, or the body itself.
fn service_message(response: &mut ureq::http::Response<ureq::Body>) -> String {
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .lossy_utf8(true)
        .read_to_string()
        .unwrap_or_default();
    summarize(&body)
}

/// Tags dropped, whitespace folded, at most 200 characters.
fn summarize(body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(200) {
        Some((at, _)) => format!("{}...", &folded[..at]),
        None => folded,
    }
}

/// `Retry-After` in seconds: a number, or an HTTP date (seconds from now).
fn retry_after(value: &str) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let secs = when.as_second() - jiff::Timestamp::now().as_second();
    Some(u64::try_from(secs).unwrap_or(0))
}

/// The library's error as one a person can act on.
fn classify(error: ureq::Error, url: &str, host: &str, timeout: impl Fn() -> NetError) -> NetError {
    if let Some(detail) = certificate_problem(&error) {
        return NetError::Certificate {
            host: host.to_owned(),
            detail,
        };
    }
    match error {
        ureq::Error::Timeout(_) => timeout(),
        ureq::Error::HostNotFound => NetError::HostNotFound {
            host: host.to_owned(),
        },
        ureq::Error::ConnectionFailed => NetError::ConnectionRefused {
            url: url.to_owned(),
        },
        ureq::Error::ConnectProxyFailed(m) => {
            NetError::Proxy(format!("the proxy refused to connect to {url}: {m}"))
        }
        ureq::Error::Io(e) => {
            let text = e.to_string();
            match e.kind() {
                std::io::ErrorKind::ConnectionRefused => NetError::ConnectionRefused {
                    url: url.to_owned(),
                },
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => timeout(),
                std::io::ErrorKind::NetworkUnreachable
                | std::io::ErrorKind::HostUnreachable
                | std::io::ErrorKind::NetworkDown => NetError::HostNotFound {
                    host: host.to_owned(),
                },
                // Name resolution failures come as plain I/O errors from the resolver.
                _ if text.contains("lookup address")
                    || text.contains("Name or service not known")
                    || text.contains("nodename nor servname")
                    || text.contains("No such host") =>
                {
                    NetError::HostNotFound {
                        host: host.to_owned(),
                    }
                }
                _ => NetError::Other {
                    url: url.to_owned(),
                    detail: text,
                },
            }
        }
        other => NetError::Other {
            url: url.to_owned(),
            detail: other.to_string(),
        },
    }
}

/// What rustls said about the certificate, wherever in the error it is.
fn certificate_problem(error: &ureq::Error) -> Option<String> {
    let found = |e: &rustls::Error| match e {
        rustls::Error::InvalidCertificate(c) => Some(certificate_words(c)),
        rustls::Error::NoCertificatesPresented => {
            Some("the server presented no certificate".to_owned())
        }
        _ => None,
    };
    match error {
        ureq::Error::Rustls(r) => found(r),
        // rustls reports through the TLS stream, as an I/O error that wraps its own.
        ureq::Error::Io(io) => {
            let mut cause: Option<&(dyn std::error::Error + 'static)> = io
                .get_ref()
                .map(|e| e as &(dyn std::error::Error + 'static));
            while let Some(e) = cause {
                if let Some(r) = e.downcast_ref::<rustls::Error>() {
                    return found(r);
                }
                cause = e.source();
            }
            None
        }
        _ => None,
    }
}

fn certificate_words(error: &rustls::CertificateError) -> String {
    use rustls::CertificateError as C;
    match error {
        C::UnknownIssuer => "issued by an unknown certificate authority".to_owned(),
        C::Expired | C::ExpiredContext { .. } => "expired".to_owned(),
        C::NotValidYet | C::NotValidYetContext { .. } => "not valid yet".to_owned(),
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "issued for another host name".to_owned()
        }
        C::Revoked => "revoked".to_owned(),
        C::BadSignature => "bad signature".to_owned(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: Service = Service {
        name: "test API",
        key: "test",
        env: "HFTLIST_TEST_URL",
        endpoint: "https://api.example.org/q",
        known_hosts: &["mirror.example.org"],
        delay: Duration::ZERO,
        ttl: Duration::ZERO,
        max_bytes: 1024,
    };

    #[test]
    fn endpoints() {
        assert!(check_endpoint("https://export.arxiv.org/api/query", "V").is_ok());
        assert!(check_endpoint("http://127.0.0.1:8080/api/query", "V").is_ok());
        assert!(check_endpoint("http://[::1]:8080/q", "V").is_ok());
        assert!(check_endpoint("http://localhost/q", "V").is_ok());
        let refused = check_endpoint("http://export.arxiv.org/api/query", "V")
            .unwrap_err()
            .to_string();
        assert!(refused.contains("plain http is refused"), "{refused}");
        assert!(check_endpoint("ftp://example.org/", "V").is_err());
        assert!(check_endpoint("not a url", "V").is_err());
        assert!(check_endpoint("/relative/path", "V").is_err());
    }

    #[test]
    fn redirects() {
        let from = "https://api.example.org/q?id=1";
        assert!(check_redirect(&SERVICE, from, "https://api.example.org/v2/q?id=1").is_ok());
        assert!(check_redirect(&SERVICE, from, "https://mirror.example.org/q").is_ok());
        assert!(check_redirect(&SERVICE, from, "http://api.example.org/q").is_err());
        let err = check_redirect(&SERVICE, from, "https://evil.example.com/q")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "refused a redirect from https://api.example.org/q?id=1 to https://evil.example.com/q: \
             `evil.example.com` is not a host of the test API"
        );
        let o = "https://a.org";
        assert_eq!(resolve("https://a.org/x/y?z", o, "/p"), "https://a.org/p");
        assert_eq!(
            resolve("https://a.org/x/y?z=/", o, "p"),
            "https://a.org/x/p"
        );
        assert_eq!(resolve("https://a.org", o, "p"), "https://a.org/p");
        assert_eq!(
            resolve("https://a.org/x", o, "//b.org/p"),
            "https://b.org/p"
        );
        assert_eq!(resolve("http://a.org/x", o, "https://b/p"), "https://b/p");
    }

    #[test]
    fn proxies() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let all = env(&[
            ("HTTPS_PROXY", "http://s:1"),
            ("http_proxy", "http://p:2"),
            ("ALL_PROXY", "http://a:3"),
        ]);
        assert_eq!(
            proxy_for(true, "x.org", &all).as_deref(),
            Some("http://s:1")
        );
        assert_eq!(
            proxy_for(false, "x.org", &all).as_deref(),
            Some("http://p:2")
        );
        let only_all = env(&[("ALL_PROXY", "http://a:3"), ("HTTPS_PROXY", " ")]);
        assert_eq!(
            proxy_for(true, "x.org", &only_all).as_deref(),
            Some("http://a:3")
        );
        assert_eq!(proxy_for(true, "x.org", &env(&[])), None);
        let no = env(&[
            ("HTTPS_PROXY", "http://s:1"),
            ("NO_PROXY", "localhost, .arxiv.org,127.0.0.1:8080 ,[::1]"),
        ]);
        assert_eq!(proxy_for(true, "export.arxiv.org", &no), None);
        assert_eq!(proxy_for(true, "arxiv.org", &no), None);
        assert_eq!(proxy_for(true, "127.0.0.1", &no), None);
        assert_eq!(proxy_for(true, "::1", &no), None);
        assert_eq!(proxy_for(true, "localhost", &no), None);
        assert!(proxy_for(true, "notarxiv.org", &no).is_some());
        assert!(proxy_for(true, "api.crossref.org", &no).is_some());
        assert!(bypasses("*", "anything"));
        assert!(proxy_config("http://proxy.example:3128").is_ok());
        assert!(proxy_config("proxy.example:3128").is_ok());
        let socks = proxy_config("socks5://127.0.0.1:1080")
            .unwrap_err()
            .to_string();
        assert!(socks.contains("is a SOCKS proxy"), "{socks}");
        assert!(proxy_config("ftp://x:21").is_err());
        assert!(!bypasses("", "anything"));
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(retry_after("7"), Some(7));
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:49:37 GMT"), Some(0));
        assert_eq!(retry_after("soon"), None);
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(120);
        let http_date = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&later)
            .unwrap();
        let secs = retry_after(&http_date).unwrap();
        assert!((118..=120).contains(&secs), "{secs}");
    }

    #[test]
    fn messages_are_short_text() {
        assert_eq!(
            summarize(
                "<html><head><title>429</title></head><body><p>Rate\n exceeded.</p></body></html>"
            ),
            "429 Rate exceeded."
        );
        assert_eq!(summarize(&"x".repeat(300)).len(), 203);
        assert_eq!(summarize(""), "");
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(encode_query("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode_query("Safe-._~"), "Safe-._~");
        assert_eq!(encode_path("10.1002/(x)#?% y"), "10.1002/(x)%23%3F%25%20y");
    }

    #[test]
    fn offline_lists_every_request() {
        let e = NetError::Offline(vec!["https://a/1".into(), "https://a/2".into()]);
        assert_eq!(
            e.to_string(),
            "--offline, and the cache has no answer for 2 request(s); run without --offline to \
             fetch: GET https://a/1; GET https://a/2"
        );
    }

    #[test]
    fn probe_failures_tell_a_missing_name_from_a_network_outage() {
        let io = |kind, text: &str| ureq::Error::Io(std::io::Error::new(kind, text.to_owned()));
        use std::io::ErrorKind as K;
        assert_eq!(
            classify_probe(
                io(
                    K::Other,
                    "failed to lookup address information: Name or service not known"
                ),
                "x.invalid"
            ),
            ProbeError::NoSuchHost
        );
        assert_eq!(
            classify_probe(
                io(
                    K::Other,
                    "failed to lookup address information: Temporary failure in name resolution"
                ),
                "a.org"
            ),
            ProbeError::Unreachable("cannot resolve `a.org` now".into())
        );
        assert!(matches!(
            classify_probe(io(K::NetworkUnreachable, "down"), "a.org"),
            ProbeError::Unreachable(_)
        ));
        assert_eq!(
            classify_probe(io(K::ConnectionReset, "reset by peer"), "a.org"),
            ProbeError::Reset
        );
        assert_eq!(
            classify_probe(ureq::Error::HostNotFound, "a.org"),
            ProbeError::NoSuchHost
        );
        assert_eq!(
            resolve_location("https://a.org/x/y", " z ").as_deref(),
            Ok("https://a.org/x/z")
        );
        assert!(resolve_location("not a url", "/z").is_err());
    }

    #[test]
    fn the_user_agent_names_the_tool_and_version() {
        let ua = user_agent();
        assert!(ua.starts_with(&format!("hftlist/{} (", env!("CARGO_PKG_VERSION"))));
        assert!(ua.contains(env!("CARGO_PKG_REPOSITORY")));
    }
}
