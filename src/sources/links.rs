//! The link checker: every URL of the list asked politely, the answer judged, the judgement
//! cached.
//!
//! Each link is asked with `HEAD`, then with `GET` when the server refuses `HEAD` (405, 403,
//! 501) or says 404/410 (some servers only lie to `HEAD`). Redirects are followed here, hop by
//! hop, at most [`MAX_HOPS`], with loop detection. A 429 or 5xx is asked again after
//! `Retry-After` (1 s when absent) while the per-link `--timeout` allows, at most twice. A host
//! name that does not resolve is asked once more a second later, and a connection the server
//! closed before answering (a kept-alive connection it had dropped) once more at once: only a
//! failure that persists is a dead link. Links run on a pool of std threads, at most
//! [`Settings::per_host`] at a time per host and [`Settings::total`] in all. GitHub repositories
//! go through the GitHub API when a token is given (its HTML pages rate-limit anonymous clients
//! quickly).
//!
//! The judgement of each URL ([`Checked`]) is cached by the network edge's [`Cache`]: a day
//! for a working link, an hour for a failure.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::cache::Cache;
use super::http::{Answer, Method, ProbeError, Prober, resolve_location};
use super::{NetError, Service};

/// The most redirects followed for one link.
pub const MAX_HOPS: usize = 10;

/// How long a working (or moved) link's result is served from the cache.
pub const TTL_GOOD: Duration = Duration::from_secs(24 * 60 * 60);

/// How long a failed link's result is served from the cache.
pub const TTL_FAILED: Duration = Duration::from_secs(60 * 60);

/// The folder of link results in the cache.
const CACHE_KEY: &str = "links";

/// Retries of one request answered 429 or 5xx.
const RETRIES: u32 = 2;

/// Hosts that serve anonymous copies of code for review; their links expire after it.
pub const ANONYMOUS_HOSTS: &[&str] = &["anonymous.4open.science"];

/// The GitHub REST API, as the link checker uses it (`HFTLIST_GITHUB_URL` replaces it in tests).
pub const GITHUB: Service = Service {
    name: "GitHub API",
    key: "github",
    env: "HFTLIST_GITHUB_URL",
    endpoint: "https://api.github.com",
    known_hosts: &[],
    delay: Duration::ZERO,
    ttl: TTL_GOOD,
    max_bytes: 1024 * 1024,
};

/// How to check.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The most one link may take, redirects and waits for `Retry-After` included.
    pub timeout: Duration,
    /// Links asked at once from one host.
    pub per_host: usize,
    /// Links asked at once in all.
    pub total: usize,
    /// Report from the cache only.
    pub offline: bool,
    /// The GitHub API endpoint and token, when a token is given.
    pub github: Option<GitHubApi>,
}

/// Where and how to ask the GitHub API.
#[derive(Clone)]
pub struct GitHubApi {
    /// The API's base URL, e.g. `https://api.github.com`.
    pub base: String,
    /// The token sent as `Authorization: Bearer`.
    pub token: String,
}

impl std::fmt::Debug for GitHubApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("GitHubApi")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// What a link turned out to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    /// It answers.
    Ok,
    /// It redirects permanently to `to`, which answers.
    Moved {
        /// The URL to use instead.
        to: String,
    },
    /// It is plain http and the https address answers.
    Insecure {
        /// The https URL.
        to: String,
    },
    /// It is gone: 404, 410, or a host name that does not exist.
    Dead {
        /// Why, in words.
        why: String,
    },
    /// It could not be checked: a timeout, 5xx or 429 after retries, a redirect loop, a refused
    /// connection, an untrusted certificate.
    Failed {
        /// Why, in words.
        why: String,
    },
}

/// The judgement of one URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// What it is.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// A GitHub repository that its owner archived (read-only).
    #[serde(default)]
    pub archived: bool,
    /// The network, not the link, failed: never cached.
    #[serde(skip)]
    pub unreachable: bool,
}

impl Checked {
    fn of(verdict: Verdict) -> Self {
        Self {
            verdict,
            archived: false,
            unreachable: false,
        }
    }

    /// How long this result may be served from the cache.
    pub fn ttl(&self) -> Duration {
        match self.verdict {
            Verdict::Dead { .. } | Verdict::Failed { .. } => TTL_FAILED,
            _ => TTL_GOOD,
        }
    }
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Results {
    /// The judgement of each URL checked or found in the cache.
    pub checked: HashMap<String, Checked>,
    /// With `--offline`: the URLs the cache has no result for.
    pub uncached: Vec<String>,
}

/// Whether the URL is on a host of anonymous review copies.
pub fn is_anonymous(url: &str) -> bool {
    let host = host_of(url);
    ANONYMOUS_HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

/// The host of a URL, lowercased, without port or credentials (empty when there is none).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.to_ascii_lowercase()
}

/// The cache key of a URL: the API's judgement of a GitHub repository is kept apart from a
/// plain check of the page.
fn cache_url(url: &str, github: bool) -> String {
    if github {
        format!("github-api {url}")
    } else {
        url.to_owned()
    }
}

/// Checks every URL (each once), from the cache while fresh; `progress(done, total)` is called
/// after each. Fails only when the run cannot go on (untrusted trust settings, a bad proxy, a
/// refused GitHub token, no network at all).
pub fn check_all(
    urls: &[String],
    settings: &Settings,
    cache: Option<&Cache>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Results, NetError> {
    let mut results = Results::default();
    let mut todo = Vec::new();
    let mut seen = HashSet::new();
    for url in urls {
        if !seen.insert(url.as_str()) {
            continue;
        }
        let key = cache_url(url, settings.github.is_some() && github_repo(url).is_some());
        let hit = cache.and_then(|c| c.get(CACHE_KEY, &key)).and_then(|hit| {
            match serde_json::from_str::<Checked>(&hit.body) {
                Ok(checked) => Some((checked, hit.age)),
                Err(e) => {
                    super::warn(&format!(
                        "ignoring the cached result for {url} ({e}); asking again"
                    ));
                    None
                }
            }
        });
        match hit {
            Some((checked, age)) if settings.offline || age < checked.ttl() => {
                results.checked.insert(url.clone(), checked);
            }
            _ if settings.offline => results.uncached.push(url.clone()),
            _ => todo.push(url.clone()),
        }
    }
    if todo.is_empty() {
        return Ok(results);
    }
    let prober = Prober::new();
    let hosts: Vec<String> = todo.iter().map(|u| host_of(u)).collect();
    let fresh = pool(&hosts, settings.per_host, settings.total, progress, |i| {
        check_one(&prober, &todo[i], settings)
    })?;
    if let Some(why) = network_down(&fresh) {
        return Err(NetError::Other {
            url: todo.first().cloned().unwrap_or_default(),
            detail: format!("no link could be reached ({why}); is the network down?"),
        });
    }
    for (url, checked) in todo.into_iter().zip(fresh) {
        if let Some(cache) = cache
            && !checked.unreachable
        {
            let key = cache_url(
                &url,
                settings.github.is_some() && github_repo(&url).is_some(),
            );
            // Serialising plain strings and flags cannot fail.
            let body = serde_json::to_string(&checked).unwrap_or_default();
            cache.put(CACHE_KEY, &key, &body);
        }
        results.checked.insert(url, checked);
    }
    Ok(results)
}

/// When every link failed for the network's sake (which says nothing about the links), the
/// first reason.
fn network_down(fresh: &[Checked]) -> Option<&str> {
    match fresh.first() {
        Some(Checked {
            verdict: Verdict::Failed { why },
            ..
        }) if fresh.iter().all(|c| c.unreachable) => Some(why),
        _ => None,
    }
}

/// Runs `work(i)` for every job on at most `total` threads, with at most `per_host` jobs of one
/// host at a time; stops at the first fatal error. Results come back in job order.
fn pool<T: Send>(
    hosts: &[String],
    per_host: usize,
    total: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
    work: impl Fn(usize) -> Result<T, NetError> + Sync,
) -> Result<Vec<T>, NetError> {
    struct State<T> {
        pending: VecDeque<usize>,
        busy: HashMap<String, usize>,
        done: Vec<Option<T>>,
        finished: usize,
        fatal: Option<NetError>,
    }
    let per_host = per_host.max(1);
    let state = Mutex::new(State {
        pending: (0..hosts.len()).collect(),
        busy: HashMap::new(),
        done: (0..hosts.len()).map(|_| None).collect(),
        finished: 0,
        fatal: None,
    });
    let wake = Condvar::new();
    let stop = AtomicBool::new(false);
    let worker = || {
        loop {
            let job = {
                let Ok(mut s) = state.lock() else { return };
                loop {
                    if s.pending.is_empty() || stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let free = s
                        .pending
                        .iter()
                        .position(|&i| s.busy.get(&hosts[i]).copied().unwrap_or(0) < per_host);
                    if let Some(at) = free {
                        let Some(i) = s.pending.remove(at) else {
                            return;
                        };
                        *s.busy.entry(hosts[i].clone()).or_default() += 1;
                        break i;
                    }
                    s = match wake.wait(s) {
                        Ok(s) => s,
                        Err(_) => return,
                    };
                }
            };
            let result = work(job);
            let Ok(mut s) = state.lock() else { return };
            if let Some(n) = s.busy.get_mut(&hosts[job]) {
                *n -= 1;
            }
            match result {
                Ok(t) => s.done[job] = Some(t),
                Err(e) => {
                    stop.store(true, Ordering::SeqCst);
                    s.fatal.get_or_insert(e);
                }
            }
            s.finished += 1;
            progress(s.finished, hosts.len());
            wake.notify_all();
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..total.max(1).min(hosts.len()) {
            scope.spawn(worker);
        }
    });
    let state = state.into_inner().map_err(|_| NetError::Other {
        url: String::new(),
        detail: "a checking thread failed".to_owned(),
    })?;
    if let Some(e) = state.fatal {
        return Err(e);
    }
    state
        .done
        .into_iter()
        .map(|t| {
            t.ok_or_else(|| NetError::Other {
                url: String::new(),
                detail: "a link was left unchecked".to_owned(),
            })
        })
        .collect()
}

/// Why a walk stopped before an answer.
enum Stop {
    Probe(ProbeError),
    RetryTooLate { status: u16, asked: u64 },
}

/// Where a walk of redirects ended.
enum End {
    /// The last URL's answer (not a redirect, or a redirect without `Location`).
    Answered(u16),
    /// No answer.
    Stopped(Stop),
    /// A redirect back to a URL already visited.
    Loop(String),
    /// More than [`MAX_HOPS`] redirects.
    TooMany,
    /// A `Location` that cannot be followed.
    BadLocation(String),
}

/// The redirects taken (status, to) and how the walk ended.
struct Walk {
    hops: Vec<(u16, String)>,
    last: String,
    end: End,
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

fn is_permanent(status: u16) -> bool {
    matches!(status, 301 | 308)
}

/// Checks one URL. Only a fatal problem (trust settings, proxy, GitHub token) is an error.
fn check_one(prober: &Prober, url: &str, settings: &Settings) -> Result<Checked, NetError> {
    let deadline = Instant::now() + settings.timeout;
    if let Some(api) = &settings.github
        && let Some(repo) = github_repo(url)
    {
        return check_github(prober, &repo, api, deadline, settings.timeout);
    }
    let walked = walk(prober, url, deadline)?;
    let mut checked = judge(url, &walked, settings.timeout);
    // A plain http link that works (even through a temporary redirect to https): does its
    // https address work too?
    if checked.verdict == Verdict::Ok
        && let Some(rest) = url.strip_prefix("http://")
    {
        let https = format!("https://{rest}");
        // The https twin, asked the same way; any failure only means "no".
        let tried = walk(prober, &https, deadline)?;
        if matches!(tried.end, End::Answered(s) if (200..300).contains(&s)) {
            checked.verdict = Verdict::Insecure { to: https };
        }
    }
    Ok(checked)
}

/// Follows redirects from `url` until an answer, a failure, a loop or too many hops.
fn walk(prober: &Prober, url: &str, deadline: Instant) -> Result<Walk, NetError> {
    let mut current = url.to_owned();
    let mut seen = HashSet::from([url.to_owned()]);
    let mut hops = Vec::new();
    loop {
        let answer = match ask(prober, &current, deadline, &[], 0) {
            Ok(a) => a,
            Err(Stop::Probe(ProbeError::Fatal(e))) => return Err(e),
            Err(stop) => {
                return Ok(Walk {
                    hops,
                    last: current,
                    end: End::Stopped(stop),
                });
            }
        };
        let Some(location) = answer.location.filter(|_| is_redirect(answer.status)) else {
            return Ok(Walk {
                hops,
                last: current,
                end: End::Answered(answer.status),
            });
        };
        let end = match resolve_location(&current, &location) {
            Ok(next) if !next.starts_with("http://") && !next.starts_with("https://") => {
                End::BadLocation(location)
            }
            Err(_) => End::BadLocation(location),
            Ok(_) if hops.len() == MAX_HOPS => End::TooMany,
            Ok(next) => {
                hops.push((answer.status, next.clone()));
                if seen.insert(next.clone()) {
                    current = next;
                    continue;
                }
                current = next.clone();
                End::Loop(next)
            }
        };
        return Ok(Walk {
            hops,
            last: current,
            end,
        });
    }
}

/// One URL asked, with the method fallback, the retries on 429/5xx, the second try of a host
/// name that does not resolve and of a connection reset before the answer, all before
/// `deadline`.
fn ask(
    prober: &Prober,
    url: &str,
    deadline: Instant,
    headers: &[(&str, &str)],
    body_limit: u64,
) -> Result<Answer, Stop> {
    let mut method = if body_limit > 0 {
        Method::Get
    } else {
        Method::Head
    };
    let mut retries = 0;
    let mut dns_retried = false;
    let mut reset_retried = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match prober.probe(method, url, left, headers, body_limit, reset_retried) {
            Err(ProbeError::NoSuchHost) if !dns_retried => {
                dns_retried = true;
                sleep_within(Duration::from_secs(1), deadline);
            }
            // HEAD and GET are idempotent: asked again, on a fresh connection.
            Err(ProbeError::Reset) if !reset_retried => reset_retried = true,
            Err(e) => return Err(Stop::Probe(e)),
            Ok(a) if method == Method::Head && matches!(a.status, 403 | 404 | 405 | 410 | 501) => {
                method = Method::Get;
            }
            Ok(a) if (a.status == 429 || a.status >= 500) && retries < RETRIES => {
                let asked = a.retry_after.unwrap_or(1);
                let left = deadline.saturating_duration_since(Instant::now());
                if Duration::from_secs(asked) >= left {
                    return Err(Stop::RetryTooLate {
                        status: a.status,
                        asked,
                    });
                }
                retries += 1;
                std::thread::sleep(Duration::from_secs(asked));
            }
            Ok(a) => return Ok(a),
        }
    }
}

fn sleep_within(wait: Duration, deadline: Instant) {
    std::thread::sleep(wait.min(deadline.saturating_duration_since(Instant::now())));
}

/// The verdict of a walk.
fn judge(url: &str, walk: &Walk, timeout: Duration) -> Checked {
    let via = if walk.hops.is_empty() {
        String::new()
    } else {
        format!("redirects to {}, which ", walk.last)
    };
    let failed = |why: String| Checked::of(Verdict::Failed { why });
    match &walk.end {
        End::Answered(status) if (200..300).contains(status) => {
            let permanent = walk
                .hops
                .iter()
                .take_while(|(s, _)| is_permanent(*s))
                .last();
            match permanent {
                Some((_, to)) => {
                    let secure = url
                        .strip_prefix("http://")
                        .map(|rest| format!("https://{rest}"));
                    if secure.as_deref() == Some(to.as_str()) {
                        Checked::of(Verdict::Insecure { to: to.clone() })
                    } else {
                        Checked::of(Verdict::Moved { to: to.clone() })
                    }
                }
                None => Checked::of(Verdict::Ok),
            }
        }
        End::Answered(status @ (404 | 410)) => Checked::of(Verdict::Dead {
            why: format!(
                "{}answers HTTP {status} ({})",
                if via.is_empty() { "" } else { &via },
                if *status == 404 { "not found" } else { "gone" }
            ),
        }),
        End::Answered(status) if is_redirect(*status) => {
            failed(format!("{via}answers HTTP {status} without a Location"))
        }
        End::Answered(status @ (429 | 500..)) => failed(format!(
            "{via}answers HTTP {status} after {RETRIES} retries"
        )),
        End::Answered(status @ (401 | 403)) => failed(format!(
            "{via}answers HTTP {status} (the site may refuse automated checks; check by hand)"
        )),
        End::Answered(status) => failed(format!("{via}answers HTTP {status}")),
        End::Stopped(Stop::RetryTooLate { status, asked }) => failed(format!(
            "{via}answers HTTP {status} and asks to retry in {asked} s, beyond --timeout {} s",
            timeout.as_secs_f64()
        )),
        End::Stopped(Stop::Probe(ProbeError::NoSuchHost)) => Checked::of(Verdict::Dead {
            why: format!("the host `{}` does not exist", host_of(&walk.last)),
        }),
        End::Stopped(Stop::Probe(ProbeError::Timeout)) => failed(format!(
            "{via}gave no answer within --timeout {} s",
            timeout.as_secs_f64()
        )),
        End::Stopped(Stop::Probe(e @ ProbeError::Unreachable(_))) => Checked {
            verdict: Verdict::Failed { why: e.to_string() },
            archived: false,
            unreachable: true,
        },
        End::Stopped(Stop::Probe(e)) => {
            if via.is_empty() {
                failed(e.to_string())
            } else {
                failed(format!("redirects to {}: {e}", walk.last))
            }
        }
        End::Loop(to) => failed(format!(
            "redirect loop: {url} -> {} (back to {to})",
            walk.hops
                .iter()
                .map(|(_, u)| u.as_str())
                .collect::<Vec<_>>()
                .join(" -> ")
        )),
        End::TooMany => failed(format!("more than {MAX_HOPS} redirects")),
        End::BadLocation(location) => failed(format!(
            "redirects to `{location}`, which is not an http(s) URL"
        )),
    }
}

/// A GitHub repository named by a link: owner, name, and the rest of the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitHubRepo {
    /// The owner.
    pub owner: String,
    /// The repository's name (without `.git`).
    pub name: String,
    /// The path after the repository (`/tree/main/x`), or empty.
    pub rest: String,
}

/// First path segments of github.com that are not owners.
const GITHUB_RESERVED: &[&str] = &[
    "orgs",
    "features",
    "topics",
    "sponsors",
    "marketplace",
    "settings",
    "apps",
    "collections",
    "about",
    "search",
];

/// The repository a `github.com/OWNER/REPO[/...]` link names, if it names one.
pub fn github_repo(url: &str) -> Option<GitHubRepo> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    if !matches!(
        host.to_ascii_lowercase().as_str(),
        "github.com" | "www.github.com"
    ) {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut parts = path.splitn(3, '/');
    let owner = parts.next().filter(|s| !s.is_empty())?;
    let name = parts.next().filter(|s| !s.is_empty())?;
    if GITHUB_RESERVED.contains(&owner.to_ascii_lowercase().as_str()) {
        return None;
    }
    let name = name.strip_suffix(".git").unwrap_or(name);
    let rest = parts
        .next()
        .filter(|r| !r.is_empty())
        .map(|r| format!("/{r}"))
        .unwrap_or_default();
    Some(GitHubRepo {
        owner: owner.to_owned(),
        name: name.to_owned(),
        rest,
    })
}

/// What the API says about a repository (the fields the checker reads).
#[derive(Deserialize)]
struct RepoAnswer {
    full_name: String,
    #[serde(default)]
    archived: bool,
}

/// Checks a GitHub repository through the API: 404 is dead, a new `full_name` is a move (the
/// API follows renames), `archived` is noted. A refused token stops the run.
fn check_github(
    prober: &Prober,
    repo: &GitHubRepo,
    api: &GitHubApi,
    deadline: Instant,
    timeout: Duration,
) -> Result<Checked, NetError> {
    let first = format!(
        "{}/repos/{}/{}",
        api.base.trim_end_matches('/'),
        repo.owner,
        repo.name
    );
    let auth = format!("Bearer {}", api.token);
    let headers = [
        ("Authorization", auth.as_str()),
        ("Accept", "application/vnd.github+json"),
        ("X-GitHub-Api-Version", "2022-11-28"),
    ];
    let api_host = host_of(&api.base);
    let mut current = first.clone();
    let failed = |why: String| Ok(Checked::of(Verdict::Failed { why }));
    for _ in 0..=MAX_HOPS {
        let answer = match ask(prober, &current, deadline, &headers, GITHUB.max_bytes) {
            Ok(a) => a,
            Err(Stop::Probe(ProbeError::Fatal(e))) => return Err(e),
            Err(Stop::Probe(e)) => return failed(format!("the GitHub API: {e}")),
            Err(Stop::RetryTooLate { status, asked }) => {
                return failed(format!(
                    "the GitHub API answers HTTP {status} and asks to retry in {asked} s, beyond \
                     --timeout {} s",
                    timeout.as_secs_f64()
                ));
            }
        };
        match answer.status {
            200 => {
                let found: RepoAnswer = match serde_json::from_str(&answer.body) {
                    Ok(r) => r,
                    Err(e) => {
                        return failed(format!(
                            "the GitHub API's answer for `{}/{}` is not the documented JSON ({e})",
                            repo.owner, repo.name
                        ));
                    }
                };
                let asked = format!("{}/{}", repo.owner, repo.name);
                let verdict = if found.full_name.eq_ignore_ascii_case(&asked) {
                    Verdict::Ok
                } else {
                    Verdict::Moved {
                        to: format!("https://github.com/{}{}", found.full_name, repo.rest),
                    }
                };
                return Ok(Checked {
                    verdict,
                    archived: found.archived,
                    unreachable: false,
                });
            }
            404 | 410 => {
                return Ok(Checked::of(Verdict::Dead {
                    why: format!(
                        "GitHub has no repository `{}/{}` (deleted, or private)",
                        repo.owner, repo.name
                    ),
                }));
            }
            401 => {
                return Err(NetError::Status {
                    service: GITHUB.name.to_owned(),
                    url: first,
                    status: 401,
                    message: "GITHUB_TOKEN is refused (expired or revoked?)".to_owned(),
                });
            }
            s if is_redirect(s) => {
                let Some(next) = answer
                    .location
                    .and_then(|l| resolve_location(&current, &l).ok())
                    .filter(|n| host_of(n) == api_host)
                else {
                    return failed(format!(
                        "the GitHub API answers HTTP {s} with no usable Location"
                    ));
                };
                current = next;
            }
            s => {
                return failed(format!(
                    "the GitHub API answers HTTP {s} for `{}/{}`{}",
                    repo.owner,
                    repo.name,
                    if s == 403 || s == 429 {
                        " (rate limit?)"
                    } else {
                        ""
                    }
                ));
            }
        }
    }
    failed(format!(
        "the GitHub API redirects more than {MAX_HOPS} times"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn anonymous_hosts() {
        assert!(is_anonymous("https://anonymous.4open.science/r/x-1234"));
        assert!(is_anonymous("https://ANONYMOUS.4open.science/r/x"));
        assert!(!is_anonymous("https://github.com/anonymous.4open.science"));
        assert!(!is_anonymous(
            "https://notanonymous.4open.science.example.org/"
        ));
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://User@Example.org:8443/x?y"), "example.org");
        assert_eq!(host_of("http://[::1]:80/"), "::1");
        assert_eq!(host_of("http://127.0.0.1:9/a"), "127.0.0.1");
    }

    #[test]
    fn github_repositories() {
        let r = github_repo("https://github.com/git-disl/Vaccine").unwrap();
        assert_eq!(
            (r.owner.as_str(), r.name.as_str(), r.rest.as_str()),
            ("git-disl", "Vaccine", "")
        );
        let r = github_repo("https://www.github.com/a/b.git").unwrap();
        assert_eq!(r.name, "b");
        let r = github_repo("https://github.com/a/b/tree/main/x?y=1").unwrap();
        assert_eq!(r.rest, "/tree/main/x");
        assert_eq!(github_repo("https://github.com/a"), None);
        assert_eq!(github_repo("https://github.com/orgs/x"), None);
        assert_eq!(github_repo("https://gitlab.com/a/b"), None);
    }

    #[test]
    fn cached_results_round_trip_and_ttls() {
        let c = Checked {
            verdict: Verdict::Moved {
                to: "https://b".into(),
            },
            archived: true,
            unreachable: false,
        };
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(
            text,
            r#"{"verdict":"moved","to":"https://b","archived":true}"#
        );
        assert_eq!(serde_json::from_str::<Checked>(&text).unwrap(), c);
        assert_eq!(c.ttl(), TTL_GOOD);
        assert_eq!(
            Checked::of(Verdict::Dead { why: "x".into() }).ttl(),
            TTL_FAILED
        );
    }

    fn walk_of(hops: &[(u16, &str)], end: End) -> Walk {
        Walk {
            hops: hops.iter().map(|(s, u)| (*s, (*u).to_owned())).collect(),
            last: hops.last().map_or("http://a/x", |(_, u)| u).to_owned(),
            end,
        }
    }

    #[test]
    fn judging_redirect_chains() {
        let t = Duration::from_secs(5);
        // Only the permanent part of a chain is a move.
        let w = walk_of(
            &[(301, "https://b/1"), (302, "https://c/2")],
            End::Answered(200),
        );
        assert_eq!(
            judge("https://a/x", &w, t).verdict,
            Verdict::Moved {
                to: "https://b/1".into()
            }
        );
        let w = walk_of(
            &[(302, "https://b/1"), (301, "https://c/2")],
            End::Answered(200),
        );
        assert_eq!(judge("https://a/x", &w, t).verdict, Verdict::Ok);
        // http -> https of the same address is the insecure rule, not a move.
        let w = walk_of(&[(301, "https://a/x")], End::Answered(200));
        assert_eq!(
            judge("http://a/x", &w, t).verdict,
            Verdict::Insecure {
                to: "https://a/x".into()
            }
        );
        // A chain to a 404 is dead, and says where it ended.
        let w = walk_of(&[(308, "https://b/1")], End::Answered(404));
        assert_eq!(
            judge("https://a/x", &w, t).verdict,
            Verdict::Dead {
                why: "redirects to https://b/1, which answers HTTP 404 (not found)".into()
            }
        );
    }

    #[test]
    fn only_a_network_failure_of_every_link_stops_the_run() {
        let down = Checked {
            verdict: Verdict::Failed {
                why: "the network is unreachable".into(),
            },
            archived: false,
            unreachable: true,
        };
        assert_eq!(
            network_down(&[down.clone(), down.clone()]),
            Some("the network is unreachable")
        );
        assert_eq!(network_down(&[down, Checked::of(Verdict::Ok)]), None);
        assert_eq!(network_down(&[]), None);
    }

    #[test]
    fn the_pool_keeps_both_limits_and_the_order() {
        let hosts: Vec<String> = (0..40).map(|i| format!("h{}", i % 4)).collect();
        let running: Vec<AtomicUsize> = (0..4).map(|_| AtomicUsize::new(0)).collect();
        let all = AtomicUsize::new(0);
        let most_per_host = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let calls = AtomicUsize::new(0);
        let out = pool(
            &hosts,
            2,
            6,
            &|_, _| {
                calls.fetch_add(1, Ordering::SeqCst);
            },
            |i| {
                let h = &running[i % 4];
                let now = h.fetch_add(1, Ordering::SeqCst) + 1;
                most_per_host.fetch_max(now, Ordering::SeqCst);
                let total = all.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(total, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                h.fetch_sub(1, Ordering::SeqCst);
                all.fetch_sub(1, Ordering::SeqCst);
                Ok(i * 10)
            },
        )
        .unwrap();
        assert_eq!(out, (0..40).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(most_per_host.load(Ordering::SeqCst), 2);
        assert_eq!(most.load(Ordering::SeqCst), 6);
        assert_eq!(calls.load(Ordering::SeqCst), 40);
    }

    #[test]
    fn a_fatal_error_stops_the_pool() {
        let hosts: Vec<String> = (0..50).map(|_| "h".to_owned()).collect();
        let done = AtomicUsize::new(0);
        let out = pool(&hosts, 1, 1, &|_, _| {}, |i| {
            done.fetch_add(1, Ordering::SeqCst);
            if i == 3 {
                Err(NetError::Trust("bad".into()))
            } else {
                Ok(())
            }
        });
        assert_eq!(out.unwrap_err(), NetError::Trust("bad".into()));
        assert_eq!(done.load(Ordering::SeqCst), 4);
    }
}
