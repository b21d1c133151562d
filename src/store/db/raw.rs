//! A record as the YAML file spells it: every field a string (or a list of strings) with the line
//! and column it stands at, plus the unknown and repeated keys met on the way.
//!
//! The map visitor is written by hand so that one file can report every unknown key and every
//! repeated key with its position, instead of stopping at the first; type errors (a list where
//! text belongs) still end the file, with the parser's position.

use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::model::diag::{Pos, Rule};
use crate::model::paper::Field;

/// A field's value with its position.
#[derive(Debug)]
pub(crate) enum RawValue {
    /// A scalar; `None` for an explicit null (`note:` with nothing after it).
    Scalar(Pos, Option<String>),
    /// A list of scalars, each with its position.
    List(Pos, Vec<(Pos, String)>),
}

impl RawValue {
    pub(crate) fn pos(&self) -> Pos {
        match self {
            Self::Scalar(pos, _) | Self::List(pos, _) => *pos,
        }
    }
}

/// One record file, deserialised but not yet typed.
#[derive(Debug, Default)]
pub(crate) struct RawRecord {
    /// The values, indexed by `Field::index`.
    pub(crate) values: Vec<Option<RawValue>>,
    /// Where each field's value stands, indexed by `Field::index`; 0:0 when absent.
    pub(crate) positions: Vec<Pos>,
    /// Where the first key stands: the place to report a missing field.
    pub(crate) start: Pos,
    /// Unknown and repeated keys.
    pub(crate) problems: Vec<(Pos, Rule, String)>,
}

pub(crate) fn pos_of<T>(s: &Spanned<T>) -> Pos {
    Pos::new(s.referenced.line(), s.referenced.column())
}

impl<'de> Deserialize<'de> for RawRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = RawRecord;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of paper fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRecord, A::Error> {
        let mut record = RawRecord {
            values: (0..Field::ALL.len()).map(|_| None).collect(),
            positions: vec![Pos::default(); Field::ALL.len()],
            ..RawRecord::default()
        };
        let mut first = true;
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let key_pos = pos_of(&key);
            if std::mem::take(&mut first) {
                record.start = key_pos;
            }
            let Ok(field) = key.value.parse::<Field>() else {
                map.next_value::<IgnoredAny>()?;
                record.problems.push((
                    key_pos,
                    Rule::UnknownField,
                    unknown_field_message(&key.value),
                ));
                continue;
            };
            let value = if field.is_list() {
                let list = map.next_value::<Spanned<Vec<Spanned<String>>>>()?;
                let items = list
                    .value
                    .iter()
                    .map(|s| (pos_of(s), s.value.clone()))
                    .collect();
                RawValue::List(pos_of(&list), items)
            } else {
                let scalar = map.next_value::<Spanned<Option<String>>>()?;
                RawValue::Scalar(pos_of(&scalar), scalar.value)
            };
            let slot = &mut record.values[field.index()];
            if let Some(earlier) = slot {
                record.problems.push((
                    key_pos,
                    Rule::DuplicateKey,
                    format!(
                        "`{}` is given twice (first at line {}): keep one",
                        key.value,
                        earlier.pos().line
                    ),
                ));
            } else {
                record.positions[field.index()] = value.pos();
                *slot = Some(value);
            }
        }
        Ok(record)
    }
}

/// "unknown field `titel` (did you mean `title`?)", or the list of fields when nothing is close.
fn unknown_field_message(key: &str) -> String {
    let best = Field::ALL
        .iter()
        .map(|f| {
            (
                strsim::jaro_winkler(&key.to_lowercase(), f.name()),
                f.name(),
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, name)) if score >= 0.8 => {
            format!("unknown field `{key}` (did you mean `{name}`?)")
        }
        _ => format!(
            "unknown field `{key}`: expected one of {}",
            Field::valid_names()
        ),
    }
}

/// Serde's error for a value of the wrong shape, for the visitor's callers.
pub(crate) fn is_type_error(err: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    matches!(
        err.without_snippet(),
        E::Unexpected { .. }
            | E::NullIntoString { .. }
            | E::Message { .. }
            | E::TaggedScalarCannotDeserializeIntoString { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_field() {
        assert_eq!(
            unknown_field_message("titel"),
            "unknown field `titel` (did you mean `title`?)"
        );
        assert_eq!(
            unknown_field_message("Venue"),
            "unknown field `Venue` (did you mean `venue`?)"
        );
        assert!(
            unknown_field_message("zzzzzz")
                .starts_with("unknown field `zzzzzz`: expected one of `title`")
        );
    }
}
