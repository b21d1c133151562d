//! Identifiers, each parsed once: paper ids (file stems), arXiv ids, DOIs, OpenReview forum ids
//! and tags.
//!
//! Each type's `FromStr` is its only way in and explains a refusal in a sentence that names the
//! value, so the same text serves `validate`, `add` and `import`.

use std::fmt;
use std::str::FromStr;

/// Why an identifier was refused: a lowercase sentence naming the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdError(pub String);

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdError {}

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The identifier as written in the record.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        serde_via_str!($name);
    };
}

string_newtype!(
    /// A paper's id: its file stem, lowercase ASCII letters, digits and `-`, starting with a letter.
    PaperId
);
string_newtype!(
    /// A new-style arXiv identifier, `YYMM.NNNNN` (four digits before 2015), without version.
    ArxivId
);
string_newtype!(
    /// A DOI, `10.NNNN/suffix`, without any `https://doi.org/` prefix.
    Doi
);
string_newtype!(
    /// An OpenReview forum id, the `id=` of `https://openreview.net/forum?id=...`.
    OpenReviewId
);
string_newtype!(
    /// A free label such as `federated`: lowercase ASCII letters, digits and `-`.
    Tag
);

/// Whether `s` is a lowercase slug: ASCII letters, digits and single inner hyphens.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// The longest id, in bytes: with `.yaml` it stays well inside every file system's name limit
/// and Windows' path limit.
pub const MAX_ID_LEN: usize = 100;

/// Whether a name is reserved on Windows (`con`, `nul`, `com1`...): a file `con.yaml` cannot be
/// checked out there.
pub fn is_windows_device(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "con" | "prn" | "aux" | "nul" | "conin" | "conout"
    ) || ["com", "lpt"].iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
    })
}

impl FromStr for PaperId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() > MAX_ID_LEN {
            Err(IdError(format!(
                "`{s}` is not a valid paper id: it is {} bytes long, and ids are limited to \
                 {MAX_ID_LEN}",
                s.len()
            )))
        } else if is_windows_device(s) {
            Err(IdError(format!(
                "`{s}` is not a valid paper id: it is a device name on Windows, where \
                 `{s}.yaml` cannot be checked out"
            )))
        } else if is_slug(s) && s.starts_with(|c: char| c.is_ascii_lowercase()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError(format!(
                "`{s}` is not a valid paper id: use lowercase ASCII letters, digits and single \
                 hyphens, starting with a letter (e.g. `shadow-alignment`)"
            )))
        }
    }
}

impl FromStr for Tag {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if is_slug(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError(format!(
                "`{s}` is not a valid tag: use lowercase ASCII letters, digits and single hyphens \
                 (e.g. `reinforcement-learning`)"
            )))
        }
    }
}

impl ArxivId {
    /// The year (four digits) the id was assigned in.
    pub fn year(&self) -> i16 {
        2000 + self.two_digits(0)
    }

    /// The month (1 to 12) the id was assigned in.
    pub fn month(&self) -> i8 {
        // The id was validated to start with a month from 01 to 12.
        self.two_digits(2) as i8
    }

    fn two_digits(&self, at: usize) -> i16 {
        let b = self.0.as_bytes();
        i16::from(b[at] - b'0') * 10 + i16::from(b[at + 1] - b'0')
    }

    /// Extracts the id from an arXiv abs, pdf or html URL, dropping any version suffix.
    pub fn from_url(url: &str) -> Option<Self> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let rest = rest.strip_prefix("www.").unwrap_or(rest);
        let rest = rest.strip_prefix("arxiv.org/")?;
        let rest = ["abs/", "pdf/", "html/"]
            .iter()
            .find_map(|p| rest.strip_prefix(p))?;
        let end = rest.find(['?', '#', '/']).unwrap_or(rest.len());
        let id = rest[..end].strip_suffix(".pdf").unwrap_or(&rest[..end]);
        let id = strip_version(id);
        id.parse().ok()
    }
}

/// `2402.01109v3` -> `2402.01109`; anything else unchanged.
pub fn strip_version(id: &str) -> &str {
    match id.rfind('v') {
        Some(i) if i > 0 && id[i + 1..].bytes().all(|b| b.is_ascii_digit()) && i + 1 < id.len() => {
            &id[..i]
        }
        _ => id,
    }
}

impl FromStr for ArxivId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if strip_version(s) != s {
            return Err(IdError(format!(
                "arXiv id `{s}` carries a version suffix: write `{}`",
                strip_version(s)
            )));
        }
        if let Some(id) = s
            .contains("arxiv.org/")
            .then(|| Self::from_url(s))
            .flatten()
        {
            return Err(IdError(format!(
                "arXiv id `{s}` is a URL: write the id `{id}`"
            )));
        }
        let bad = || {
            IdError(format!(
                "`{s}` is not a new-style arXiv id `YYMM.NNNNN` (e.g. `2402.01109`)"
            ))
        };
        let (yymm, number) = s.split_once('.').ok_or_else(bad)?;
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if yymm.len() != 4 || !digits(yymm) || !digits(number) {
            return Err(bad());
        }
        let yy: u8 = yymm[..2].parse().map_err(|_| bad())?;
        let mm: u8 = yymm[2..].parse().map_err(|_| bad())?;
        // New-style ids began in April 2007; five-digit numbers in January 2015.
        let width = if (yy, mm) >= (15, 1) { 5 } else { 4 };
        if !(1..=12).contains(&mm) || (yy, mm) < (7, 4) || number.len() != width {
            return Err(bad());
        }
        Ok(Self(s.to_owned()))
    }
}

/// The prefixes of a DOI resolver link (`https://doi.org/10.1145/...`).
const DOI_URL_PREFIXES: &[&str] = &[
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
];

impl Doi {
    /// The text after a doi.org resolver prefix, when `url` has one (not yet checked as a DOI).
    pub fn strip_url_prefix(url: &str) -> Option<&str> {
        DOI_URL_PREFIXES.iter().find_map(|p| url.strip_prefix(p))
    }
}

impl FromStr for Doi {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        for prefix in DOI_URL_PREFIXES.iter().copied().chain(["doi:"]) {
            if let Some(rest) = s.strip_prefix(prefix) {
                return Err(IdError(format!(
                    "DOI `{s}` carries a prefix: write `{rest}`"
                )));
            }
        }
        let bad = || IdError(format!("`{s}` is not a DOI `10.NNNN/suffix`"));
        let (prefix, suffix) = s.split_once('/').ok_or_else(bad)?;
        let registrant = prefix.strip_prefix("10.").ok_or_else(bad)?;
        let registrant_ok = registrant.len() >= 4
            && registrant
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let suffix_ok =
            !suffix.is_empty() && !suffix.chars().any(|c| c.is_whitespace() || c.is_control());
        if registrant_ok && suffix_ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(bad())
        }
    }
}

impl OpenReviewId {
    /// Extracts the forum id from an `openreview.net/forum?id=` or `/pdf?id=` URL.
    pub fn from_url(url: &str) -> Option<Self> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let rest = rest.strip_prefix("www.").unwrap_or(rest);
        let query = rest
            .strip_prefix("openreview.net/forum?")
            .or_else(|| rest.strip_prefix("openreview.net/pdf?"))?;
        let id = query
            .split(['&', '#'])
            .find_map(|kv| kv.strip_prefix("id="))?;
        id.parse().ok()
    }
}

impl FromStr for OpenReviewId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(id) = s
            .contains("openreview.net")
            .then(|| Self::from_url(s))
            .flatten()
        {
            return Err(IdError(format!(
                "OpenReview id `{s}` is a URL: write the forum id `{id}`"
            )));
        }
        let ok = (5..=20).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError(format!(
                "`{s}` is not an OpenReview forum id (e.g. `tTPHgb0EtV`)"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_ids_are_slugs_starting_with_a_letter() {
        for ok in ["vaccine", "shadow-alignment", "t-vaccine", "lisa2"] {
            assert!(ok.parse::<PaperId>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Vaccine",
            "2vaccine",
            "-a",
            "a-",
            "a--b",
            "a_b",
            "a.b",
            "é",
            "con",
            "nul",
            "com1",
            "lpt9",
            &"a".repeat(101),
        ] {
            assert!(bad.parse::<PaperId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn arxiv_ids_are_checked_for_shape_month_and_width() {
        for ok in ["2402.01109", "1412.6980", "0704.0001", "2604.17691"] {
            assert!(ok.parse::<ArxivId>().is_ok(), "{ok}");
        }
        for bad in [
            "2402.1109",
            "1412.69801",
            "2413.01109",
            "0703.0001",
            "2402",
            "abcd.01234",
            "2402.01109 ",
        ] {
            assert!(bad.parse::<ArxivId>().is_err(), "{bad}");
        }
        assert_eq!(
            "2402.01109v2".parse::<ArxivId>().unwrap_err().to_string(),
            "arXiv id `2402.01109v2` carries a version suffix: write `2402.01109`"
        );
        let id: ArxivId = "2409.18169".parse().unwrap();
        assert_eq!((id.year(), id.month()), (2024, 9));
    }

    #[test]
    fn arxiv_ids_come_out_of_abs_pdf_and_html_urls() {
        for url in [
            "https://arxiv.org/abs/2402.01109",
            "https://arxiv.org/pdf/2402.01109",
            "https://arxiv.org/pdf/2402.01109v1",
            "https://arxiv.org/pdf/2402.01109.pdf",
            "http://www.arxiv.org/abs/2402.01109v3",
            "https://arxiv.org/html/2402.01109v1",
            "https://arxiv.org/pdf/2402.01109?",
        ] {
            assert_eq!(
                ArxivId::from_url(url).unwrap().as_str(),
                "2402.01109",
                "{url}"
            );
        }
        assert!(ArxivId::from_url("https://arxiv.org/list/cs.CL").is_none());
        assert!(ArxivId::from_url("https://example.org/abs/2402.01109").is_none());
    }

    #[test]
    fn dois_need_the_10_prefix_and_a_suffix() {
        assert!("10.1145/3712003".parse::<Doi>().is_ok());
        assert!("10.18653/v1/2024.findings-acl.549".parse::<Doi>().is_ok());
        for bad in ["10.1/x", "11.1145/x", "10.1145/", "10.1145", "10.1145/a b"] {
            assert!(bad.parse::<Doi>().is_err(), "{bad}");
        }
        assert_eq!(
            "https://doi.org/10.1145/3712003"
                .parse::<Doi>()
                .unwrap_err()
                .to_string(),
            "DOI `https://doi.org/10.1145/3712003` carries a prefix: write `10.1145/3712003`"
        );
    }

    #[test]
    fn openreview_ids_and_urls() {
        assert!("tTPHgb0EtV".parse::<OpenReviewId>().is_ok());
        assert!("rJl-b3RcF7".parse::<OpenReviewId>().is_ok());
        assert!("a b".parse::<OpenReviewId>().is_err());
        assert_eq!(
            OpenReviewId::from_url("https://openreview.net/forum?id=tTPHgb0EtV")
                .unwrap()
                .as_str(),
            "tTPHgb0EtV"
        );
        assert_eq!(
            OpenReviewId::from_url("https://openreview.net/pdf?id=XfyLKIpxl2")
                .unwrap()
                .as_str(),
            "XfyLKIpxl2"
        );
        assert!(
            "https://openreview.net/forum?id=tTPHgb0EtV"
                .parse::<OpenReviewId>()
                .unwrap_err()
                .to_string()
                .contains("write the forum id `tTPHgb0EtV`")
        );
    }
}
