//! Small macros shared by the domain types.

/// Makes `Display` and `FromStr` a type's only serde form: it serialises as its display string and
/// deserialises by parsing a string, so a file can never hold a value the parser would refuse.
macro_rules! serde_via_str {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// Declares a closed set of kebab-case names: the enum, `ALL`, `name()`, `FromStr` (whose error
/// lists the valid names), `Display` and serde through the name.
macro_rules! closed_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal, { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in the order the README lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The kebab-case name used in files and on the command line.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// The valid names, comma separated, for error messages.
            pub fn valid_names() -> String {
                Self::ALL.iter().map(|v| format!("`{}`", v.name())).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    _ => Err(format!("`{s}` is not a valid {}: expected one of {}", $what, Self::valid_names())),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        // On the command line the same names, listed in `--help`; arguments that take one set
        // `ignore_case` so `--kind Attack` works while files keep the exact spelling.
        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.name()))
            }
        }

        serde_via_str!($name);
    };
}
