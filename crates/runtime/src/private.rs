//! Helpers the generated code calls, so that each member of a generated type
//! is one line of its serde impls rather than a written-out block. Not part of
//! the public API: only generated code of the same version uses it.

pub use serde;
pub use serde_json;

use std::borrow::Cow;
use std::fmt;

/// A JSON member name, borrowed from the input when it has no escapes:
/// the generated `Deserialize` impls match on it.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Serializing a structure member by member.
pub mod ser {
    use serde::ser::SerializeStruct;
    use serde::Serialize;

    /// How many of the optional members are present.
    pub fn present(members: &[bool]) -> usize {
        members.iter().filter(|p| **p).count()
    }

    /// A required member.
    pub fn member<S: SerializeStruct, T: Serialize + ?Sized>(
        state: &mut S,
        wire: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        state.serialize_field(wire, value)
    }

    /// An optional member: omitted when `None`.
    pub fn optional<S: SerializeStruct, T: Serialize>(
        state: &mut S,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(v) => state.serialize_field(wire, v),
            None => state.skip_field(wire),
        }
    }
}

/// Deserializing a structure member by member.
pub mod de {
    use serde::de::{Error, IgnoredAny, MapAccess};
    use serde::Deserialize;

    /// One member's value while a structure is read: empty, or read once.
    pub struct Slot<T> {
        seen: bool,
        value: Option<T>,
    }

    impl<T> Default for Slot<T> {
        fn default() -> Self {
            Slot::new()
        }
    }

    impl<T> Slot<T> {
        /// An empty slot.
        pub fn new() -> Self {
            Slot {
                seen: false,
                value: None,
            }
        }

        fn first<E: Error>(&mut self, wire: &'static str) -> Result<(), E> {
            if std::mem::replace(&mut self.seen, true) {
                Err(E::duplicate_field(wire))
            } else {
                Ok(())
            }
        }

        /// Reads a required member's value (a member given twice is an error).
        pub fn read<'de, A: MapAccess<'de>>(
            &mut self,
            map: &mut A,
            wire: &'static str,
        ) -> Result<(), A::Error>
        where
            T: Deserialize<'de>,
        {
            self.first(wire)?;
            self.value = Some(map.next_value()?);
            Ok(())
        }

        /// Reads an optional member's value: `null` is `None`.
        pub fn read_optional<'de, A: MapAccess<'de>>(
            &mut self,
            map: &mut A,
            wire: &'static str,
        ) -> Result<(), A::Error>
        where
            T: Deserialize<'de>,
        {
            self.first(wire)?;
            self.value = map.next_value::<Option<T>>()?;
            Ok(())
        }

        /// A required member's value; missing (or never read) is an error naming it.
        pub fn required<E: Error>(self, wire: &'static str) -> Result<T, E> {
            self.value.ok_or_else(|| E::missing_field(wire))
        }

        /// An optional member's value.
        pub fn optional(self) -> Option<T> {
            self.value
        }
    }

    /// Skips the value of a member the type does not know.
    pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(|_| ())
    }
}

/// Helpers of the generated proptest strategies.
#[cfg(feature = "proptest")]
pub mod arbitrary {
    use proptest::prelude::*;
    use proptest::strategy::BoxedStrategy;

    /// Finite floats that survive a JSON round trip.
    pub fn float() -> BoxedStrategy<f64> {
        prop_oneof![
            Just(0.0),
            proptest::num::f64::NORMAL,
            (-1_000_000i64..1_000_000i64).prop_map(|n| n as f64 / 1000.0),
        ]
        .boxed()
    }
}
