//! Web links (`paper`, `code`, `project`): a `Url` newtype that only holds well-formed http(s)
//! URLs, and the check for tracking parameters.
//!
//! The list is rendered into Markdown, so a link must never carry anything that could end the
//! link early or smuggle in a `javascript:` target: whitespace, control characters, `<`, `>`,
//! `"`, backticks and unbalanced brackets are refused outright.

use std::fmt;
use std::str::FromStr;

/// An absolute `http` or `https` URL with a host.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Url(String);

/// Why a URL was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlError(pub String);

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UrlError {}

/// Query parameters that only track the reader; they are noise in a bibliography.
const TRACKING_PARAMS: &[&str] = &["casa_token", "fbclid", "gclid", "mc_cid", "mc_eid"];

impl Url {
    /// The URL as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host, lowercased, without any `www.` prefix or port.
    pub fn host(&self) -> String {
        let rest = self.0.split_once("://").map_or("", |(_, r)| r);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or(authority);
        let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        host.strip_prefix("www.").map(str::to_owned).unwrap_or(host)
    }

    /// The names of tracking parameters (`utm_*`, `casa_token`, ...) in the query string.
    pub fn tracking_params(&self) -> Vec<&str> {
        let Some((_, query)) = self.0.split_once('?') else {
            return Vec::new();
        };
        let query = query.split('#').next().unwrap_or(query);
        query
            .split('&')
            .map(|kv| kv.split('=').next().unwrap_or(kv))
            .filter(|k| k.starts_with("utm_") || TRACKING_PARAMS.contains(k))
            .collect()
    }
}

impl FromStr for Url {
    type Err = UrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let refuse = |why: &str| Err(UrlError(format!("URL `{s}` {why}")));
        let Some((scheme, rest)) = s.split_once("://") else {
            return match s.split_once(':') {
                Some((scheme, _)) if !scheme.is_empty() && !scheme.contains('/') => refuse(
                    &format!("uses the `{scheme}:` scheme: only http and https are allowed"),
                ),
                _ => refuse("is not an absolute http(s) URL"),
            };
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return refuse(&format!(
                "uses the `{scheme}:` scheme: only http and https are allowed"
            ));
        }
        if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return refuse(&format!("contains {}", describe(c)));
        }
        if let Some(c) = s
            .chars()
            .find(|c| matches!(c, '<' | '>' | '"' | '`' | '\\'))
        {
            return refuse(&format!("contains `{c}`: percent-encode it"));
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or(authority);
        let host = host.split(':').next().unwrap_or(host);
        if host.is_empty() || !host.contains('.') && host != "localhost" {
            return refuse("has no host name");
        }
        for (open, close) in [('(', ')'), ('[', ']')] {
            let mut depth = 0i32;
            for c in s.chars() {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                }
                if depth < 0 {
                    break;
                }
            }
            if depth != 0 {
                return refuse(&format!("has unbalanced `{open}{close}` brackets"));
            }
        }
        Ok(Self(s.to_owned()))
    }
}

fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        c => format!("the character U+{:04X}", u32::from(c)),
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

serde_via_str!(Url);

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        s.parse::<Url>().unwrap_err().to_string()
    }

    #[test]
    fn accepts_ordinary_links() {
        for ok in [
            "https://github.com/git-disl/Vaccine",
            "http://example.org/a_(b)",
            "https://anonymous.4open.science/r/CTRAP/README.md",
            "https://openreview.net/forum?id=tTPHgb0EtV",
        ] {
            assert!(ok.parse::<Url>().is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_other_schemes_and_malformed_links() {
        assert_eq!(
            err("javascript:alert(1)"),
            "URL `javascript:alert(1)` uses the `javascript:` scheme: only http and https are allowed"
        );
        assert!(err("data:text/html,<b>").contains("`data:` scheme"));
        assert!(err("ftp://example.org/x").contains("`ftp:` scheme"));
        assert_eq!(
            err("https://a.org/x y"),
            "URL `https://a.org/x y` contains a space"
        );
        assert!(err("https://arxiv.org/pdf/2512.10150]").contains("unbalanced `[]`"));
        assert!(err("https://arxiv.org/pdf/(2512").contains("unbalanced `()`"));
        assert!(err("https://a.org/<script>").contains("`<`"));
        assert!(err("https:///x").contains("no host"));
        assert!(err("github.com/x").contains("not an absolute"));
    }

    #[test]
    fn finds_tracking_parameters_and_hosts() {
        let u: Url = "https://www.sciencedirect.com/a?casa_token=x&utm_source=y&id=3"
            .parse()
            .unwrap();
        assert_eq!(u.tracking_params(), ["casa_token", "utm_source"]);
        assert_eq!(u.host(), "sciencedirect.com");
        let u: Url = "https://github.com/x?tab=readme".parse().unwrap();
        assert!(u.tracking_params().is_empty());
    }
}
