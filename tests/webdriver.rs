//! A small W3C WebDriver client: headless Chromium driven through `chromedriver` on 127.0.0.1,
//! with ureq and serde_json (already dependencies) instead of a browser-automation crate.
//!
//! A test calls [`Browser::start`]. Without Chromium or chromedriver it is skipped with a message,
//! unless `CI` is set: then it fails, so a CI run can never pass by skipping the browser tests.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key W3C WebDriver uses for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium session; dropping it ends the session and stops the driver.
pub struct Browser {
    driver: Child,
    base: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

/// An element of the page.
#[derive(Clone, Debug)]
pub struct Element(String);

/// The first of the names found in PATH or as an absolute path.
fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile; `None` (after saying
    /// why) when either is missing and `CI` is not set.
    pub fn start() -> Option<Self> {
        let chromium = find_program(
            "HFTLIST_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        );
        let driver = find_program("HFTLIST_CHROMEDRIVER", &["chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            let msg = "the browser tests need Chromium and chromedriver (Debian: `apt-get install \
                       chromium chromium-driver`; or set HFTLIST_CHROMIUM and \
                       HFTLIST_CHROMEDRIVER)";
            if std::env::var_os("CI").is_some() {
                panic!("CI is set and {msg}");
            }
            eprintln!("skipped: {msg}");
            return None;
        };
        // A free port: bind, read it, release it. Another process could take it in between,
        // so a failed start is retried on a new port.
        let mut last_error = String::new();
        for _ in 0..3 {
            match Self::try_start(&chromium, &driver) {
                Ok(b) => return Some(b),
                Err(e) => last_error = e,
            }
        }
        panic!("cannot start a browser session: {last_error}");
    }

    fn try_start(chromium: &Path, driver: &Path) -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run `{}`: {e}", driver.display()))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut browser = Self {
            driver: child,
            base: format!("http://127.0.0.1:{port}"),
            agent,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(mut r) = browser.agent.get(format!("{}/status", browser.base)).call()
                && let Ok(text) = r.body_mut().read_to_string()
                && serde_json::from_str::<Value>(&text)
                    .is_ok_and(|v| v["value"]["ready"] == json!(true))
            {
                break;
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready in 15 s".to_owned());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--hide-scrollbars", "--window-size=1280,900",
                    format!("--user-data-dir={}", browser._profile.path().display()),
                ],
            },
        }}});
        let session = browser.request("POST", "/session", Some(caps))?;
        let id = session["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {session}"))?;
        browser.base = format!("{}/session/{id}", browser.base);
        Ok(browser)
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if !status.is_success() {
            return Err(format!("{method} {path}: {status}: {}", v["value"]));
        }
        Ok(v["value"].clone())
    }

    #[track_caller]
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.request(method, path, body).unwrap()
    }

    /// Opens a URL and waits until the document has loaded (deferred scripts have run).
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    /// Opens a local file.
    pub fn open(&self, path: &Path, query: &str) {
        self.goto(&format!("file://{}{query}", path.display()));
    }

    /// Runs a script in the page (its body; use `return`) and gives back its value.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs an asynchronous script: the last argument is the callback to call with the result.
    pub fn js_async(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The first element matching the CSS selector.
    #[track_caller]
    pub fn find(&self, css: &str) -> Element {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        Element(v[ELEMENT].as_str().unwrap().to_owned())
    }

    /// Clicks the element as a user would (it must be visible and not covered).
    pub fn click(&self, e: &Element) {
        self.cmd("POST", &format!("/element/{}/click", e.0), None);
    }

    /// Types text into the element, key by key.
    pub fn type_text(&self, e: &Element, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        );
    }

    /// Empties a text field.
    pub fn clear(&self, e: &Element) {
        self.cmd("POST", &format!("/element/{}/clear", e.0), None);
    }

    /// Chooses the option with this value in a select by clicking it, as WebDriver clients do.
    #[track_caller]
    pub fn choose(&self, select: &str, value: &str) {
        let option = self.js(
            "return [...document.querySelector(arguments[0]).options]\
             .find(o => o.value === arguments[1]) || null;",
            json!([select, value]),
        );
        let id = option[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{select} has no option `{value}`"));
        self.click(&Element(id.to_owned()));
    }

    /// Goes back in the history.
    pub fn back(&self) {
        self.cmd("POST", "/back", None);
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap().to_owned()
    }

    /// Sends a DevTools protocol command through chromedriver.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// Sets the viewport's size through the DevTools protocol (windows cannot shrink to phone
    /// widths), as a phone of that width with a device pixel ratio of 1.
    pub fn viewport(&self, width: u32, height: u32, mobile: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let v = self.cmd("GET", "/screenshot", None);
        base64_decode(v.as_str().unwrap())
    }

    /// Grants a permission (`clipboard-read`...) to the page.
    pub fn grant(&self, name: &str) -> Result<Value, String> {
        self.request(
            "POST",
            "/permissions",
            Some(json!({"descriptor": {"name": name}, "state": "granted"})),
        )
    }

    /// The ids of the papers a reader sees, in page order.
    pub fn visible_ids(&self) -> Vec<String> {
        let v = self.js(
            "return [...document.querySelectorAll('[data-id]')]\
             .filter(e => e.getClientRects().length > 0).map(e => e.dataset.id);",
            json!([]),
        );
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    }

    /// The text of the element matching the selector.
    pub fn text(&self, css: &str) -> String {
        self.js(
            "return document.querySelector(arguments[0]).textContent;",
            json!([css]),
        )
        .as_str()
        .unwrap()
        .to_owned()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.request("DELETE", "", None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 (the screenshot encoding).
fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => panic!("not base64: {b}"),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8gd29ybGQ="), b"hello world");
    assert_eq!(base64_decode("YQ=="), b"a");
}
