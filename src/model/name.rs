//! Author names split the way BibTeX splits them: given names, a particle (`van`, `de la`), the
//! family name and a suffix (`Jr.`), or a single literal name for an organisation.
//!
//! Records write names in the paper's order (`Ludwig van Beethoven`, `José García Jr.`) or in
//! BibTeX's comma forms (`van Beethoven, Ludwig`, `García, Jr., José`). Without a comma the rules
//! are BibTeX's "First von Last": the particle runs from the first to the last word that starts
//! with a lowercase letter (the last word never counts), the family name is what follows it, or
//! the last word when there is no particle; a
//! trailing `Jr.`, `Sr.`, `II`, `III` or `IV` is the suffix (BibTeX itself would need the comma
//! form to see it). A name of one word, or one holding `and`, `&`, a digit or a word such as
//! `Team`, `Lab` or `Consortium`, is an organisation and stays one literal name.

/// One author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    /// A person.
    Person {
        /// Given names, possibly empty (`Ludwig`).
        given: String,
        /// Lowercase words before the family name, possibly empty (`van`, `de la`).
        particle: String,
        /// The family name (`Beethoven`).
        family: String,
        /// `Jr.`, `III` and the like, possibly empty.
        suffix: String,
    },
    /// An organisation, or any name that must not be split (`Barnes and Noble`).
    Literal(String),
}

/// Words that only end a person's name.
const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// Words that make a name an organisation's (compared ignoring case and a trailing `.`/`,`).
const ORGANISATION_WORDS: &[&str] = &[
    "and",
    "&",
    "ai",
    "association",
    "center",
    "centre",
    "collaboration",
    "committee",
    "consortium",
    "corp",
    "corporation",
    "council",
    "department",
    "foundation",
    "group",
    "inc",
    "institute",
    "lab",
    "laboratory",
    "labs",
    "llc",
    "ltd",
    "organisation",
    "organization",
    "project",
    "society",
    "team",
    "university",
];

/// Whether a word is a particle: each of its hyphen-separated pieces starts with a lowercase
/// letter (BibTeX splits names at hyphens too, and decides by the first letter of each piece).
fn starts_lowercase(word: &str) -> bool {
    word.split(['-', '~'])
        .all(|piece| piece.chars().next().is_some_and(char::is_lowercase))
}

/// Whether BibTeX reads a word outside the particle as written: each hyphen-separated piece
/// starts with an uppercase letter. Any other word (`d'Alembert`, `-x`, `张伟`) must be braced.
pub fn reads_as_written(word: &str) -> bool {
    word.split(['-', '~'])
        .all(|piece| piece.chars().next().is_some_and(char::is_uppercase))
}

fn is_organisation(words: &[&str]) -> bool {
    words.len() < 2
        || words.iter().any(|w| {
            let bare = w.trim_end_matches(['.', ',']).to_lowercase();
            ORGANISATION_WORDS.contains(&bare.as_str()) || w.chars().any(|c| c.is_ascii_digit())
        })
}

/// Splits `von Last` into the particle and the family name as BibTeX does: when the first word
/// starts lowercase, the particle runs to the last such word; the last word is always family.
fn particle_and_family(words: &[&str]) -> (String, String) {
    let before_last = &words[..words.len().saturating_sub(1)];
    let n = match before_last.first() {
        Some(first) if starts_lowercase(first) => before_last
            .iter()
            .rposition(|w| starts_lowercase(w))
            .map_or(0, |i| i + 1),
        _ => 0,
    };
    (words[..n].join(" "), words[n..].join(" "))
}

impl Name {
    /// The family name, particle included (`van Beethoven`); an organisation's whole name.
    pub fn family(&self) -> String {
        match self {
            Self::Person {
                particle, family, ..
            } if !particle.is_empty() => format!("{particle} {family}"),
            Self::Person { family, .. } => family.clone(),
            Self::Literal(name) => name.clone(),
        }
    }

    /// Parses one author as written in a record.
    pub fn parse(written: &str) -> Self {
        let folded = written.split_whitespace().collect::<Vec<_>>().join(" ");
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        if is_organisation(&words) {
            return Self::Literal(folded);
        }
        if folded.contains(',') {
            let parts: Vec<&str> = folded.split(',').map(str::trim).collect();
            if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
                return Self::Literal(folded);
            }
            let last: Vec<&str> = parts[0].split(' ').collect();
            let (particle, family) = particle_and_family(&last);
            let (suffix, given) = match parts.as_slice() {
                [_, given] => (String::new(), (*given).to_owned()),
                [_, suffix, given] => ((*suffix).to_owned(), (*given).to_owned()),
                _ => return Self::Literal(folded),
            };
            return Self::Person {
                given,
                particle,
                family,
                suffix,
            };
        }
        let mut words = words;
        let mut suffix = String::new();
        if words.len() > 2
            && let Some(last) = words.last()
            && SUFFIXES.contains(last)
        {
            suffix = (*last).to_owned();
            words.pop();
        }
        let body = &words[..words.len() - 1];
        let (given, rest) = match body.iter().position(|w| starts_lowercase(w)) {
            Some(start) => (&words[..start], &words[start..]),
            None => (&words[..words.len() - 1], &words[words.len() - 1..]),
        };
        let (particle, family) = particle_and_family(rest);
        Self::Person {
            given: given.join(" "),
            particle,
            family,
            suffix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(given: &str, particle: &str, family: &str, suffix: &str) -> Name {
        Name::Person {
            given: given.to_owned(),
            particle: particle.to_owned(),
            family: family.to_owned(),
            suffix: suffix.to_owned(),
        }
    }

    #[test]
    fn splits_names_as_bibtex_does() {
        for (written, want) in [
            ("Tiansheng Huang", person("Tiansheng", "", "Huang", "")),
            (
                "Selim  Furkan Tekin",
                person("Selim Furkan", "", "Tekin", ""),
            ),
            (
                "Ludwig van Beethoven",
                person("Ludwig", "van", "Beethoven", ""),
            ),
            ("Juan de la Cruz", person("Juan", "de la", "Cruz", "")),
            ("José García Jr.", person("José", "", "García", "Jr.")),
            (
                "Martin Luther King III",
                person("Martin Luther", "", "King", "III"),
            ),
            (
                "van Beethoven, Ludwig",
                person("Ludwig", "van", "Beethoven", ""),
            ),
            ("García, Jr., José", person("José", "", "García", "Jr.")),
            ("Jean-Pierre Élan", person("Jean-Pierre", "", "Élan", "")),
            (
                "Juan de la Cruz y Lopez",
                person("Juan", "de la Cruz y", "Lopez", ""),
            ),
            ("Cruz y Lopez, Juan", person("Juan", "", "Cruz y Lopez", "")),
            ("danah boyd", person("", "danah", "boyd", "")),
        ] {
            assert_eq!(Name::parse(written), want, "{written}");
        }
    }

    #[test]
    fn organisations_stay_whole() {
        for written in [
            "Barnes and Noble",
            "OpenAI",
            "Qwen Team",
            "Meta AI",
            "The 2024 Red Teaming Consortium",
            "A, B, C, D",
        ] {
            assert_eq!(
                Name::parse(written),
                Name::Literal(written.to_owned()),
                "{written}"
            );
        }
    }
}
