//! Wire names taken from serde's derives, so the reader and serde_json can
//! never disagree on them: a derived `deserialize` hands its struct name and
//! field names (or its variant names) to the deserializer, and this one
//! keeps them and stops.

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The names a derive passed, or why none came.
#[derive(Debug)]
enum Caught {
    Struct(&'static str, &'static [&'static str]),
    Enum(&'static [&'static str]),
    Other,
}

impl std::fmt::Display for Caught {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("names caught")
    }
}

impl std::error::Error for Caught {}

impl de::Error for Caught {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Caught::Other
    }
}

struct Catcher;

impl<'de> Deserializer<'de> for Catcher {
    type Error = Caught;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Caught> {
        Err(Caught::Other)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Caught> {
        Err(Caught::Struct(name, fields))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Caught> {
        Err(Caught::Enum(variants))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// A derived struct's name and its field names on the wire, in declaration
/// order (empty for a type that is not a derived struct).
pub fn struct_name_and_fields<'de, T: Deserialize<'de>>() -> (&'static str, &'static [&'static str]) {
    match T::deserialize(Catcher) {
        Err(Caught::Struct(name, fields)) => (name, fields),
        _ => ("", &[]),
    }
}

/// A derived enum's variant names on the wire, in declaration order (empty
/// for a type that is not a derived enum).
pub fn variant_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    match T::deserialize(Catcher) {
        Err(Caught::Enum(variants)) => variants,
        _ => &[],
    }
}
