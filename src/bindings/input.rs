//! Reading plain JS values into engine types, exactly as the native engine
//! reads their JSON text: unknown fields rejected, the same serde messages,
//! and the path of the offending value.
//!
//! serde-wasm-bindgen's deserializer reads only the properties a struct
//! names (so the contract's "unknown fields are rejected" cannot hold) and
//! reports no paths, so objects and arrays are walked here, in the order
//! `JSON.stringify` would write them, and every scalar goes to the visitor
//! the way serde_json hands it over (whole numbers as integers, others as
//! floats, `undefined` properties absent, `NaN` as `null`). The visitor then
//! raises serde's own error for a mismatch, so messages equal the server's.

use std::cell::RefCell;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{push_decimal, Error, ErrorCode};

/// Reads `value` as a `T`; a failure is an engine error of `code`.
pub fn read<T: de::DeserializeOwned>(value: JsValue, code: ErrorCode) -> Result<T, Error> {
    T::deserialize(Input(value)).map_err(|error| Error { code, path: error.path(), message: error.message })
}

/// A shape error and where it happened, innermost segment first while it
/// travels up.
#[derive(Debug)]
pub struct InputError {
    message: String,
    reversed_path: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Field(&'static str),
    Key(String),
    Index(usize),
}

impl InputError {
    fn within(mut self, segment: Segment) -> Self {
        self.reversed_path.push(segment);
        self
    }

    fn path(&self) -> Option<String> {
        if self.reversed_path.is_empty() {
            return None;
        }
        let mut out = String::new();
        for segment in self.reversed_path.iter().rev() {
            match segment {
                Segment::Field(key) => push_key(&mut out, key),
                Segment::Key(key) => push_key(&mut out, key),
                Segment::Index(index) => {
                    out.push('[');
                    push_decimal(&mut out, *index as u64);
                    out.push(']');
                }
            }
        }
        Some(out)
    }
}

fn push_key(out: &mut String, key: &str) {
    if !out.is_empty() {
        out.push('.');
    }
    out.push_str(key);
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

impl de::Error for InputError {
    fn custom<M: std::fmt::Display>(message: M) -> Self {
        InputError { message: message.to_string(), reversed_path: Vec::new() }
    }

    fn invalid_type(unexpected: de::Unexpected, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!("invalid type: {}, expected {}", Unexpected(unexpected), expected))
    }

    fn invalid_value(unexpected: de::Unexpected, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!("invalid value: {}, expected {}", Unexpected(unexpected), expected))
    }
}

/// serde_json's wording of an unexpected value (`null`, not "unit value"),
/// written out here so that neither serde's nor `core::fmt`'s float printing
/// is linked in: JavaScript writes the float.
struct Unexpected<'a>(de::Unexpected<'a>);

impl std::fmt::Display for Unexpected<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut number = String::new();
        let (what, quoted): (&str, Option<&str>) = match self.0 {
            de::Unexpected::Unit => ("null", None),
            de::Unexpected::Bool(true) => ("boolean", Some("true")),
            de::Unexpected::Bool(false) => ("boolean", Some("false")),
            de::Unexpected::Unsigned(n) => {
                push_decimal(&mut number, n);
                ("integer", Some(&number))
            }
            de::Unexpected::Signed(n) => {
                if n < 0 {
                    number.push('-');
                }
                push_decimal(&mut number, n.unsigned_abs());
                ("integer", Some(&number))
            }
            de::Unexpected::Float(n) => {
                // The same shortest form serde_json writes, e.g. 2.5 or 1e+21.
                number = String::from(js_sys::Number::from(n).to_string_with_radix(10).unwrap_or_default());
                ("floating point", Some(&number))
            }
            de::Unexpected::Str(text) => {
                f.write_str("string ")?;
                return std::fmt::Debug::fmt(text, f);
            }
            de::Unexpected::Seq => ("sequence", None),
            de::Unexpected::Map => ("map", None),
            de::Unexpected::Other(other) => (other, None),
            _ => ("value", None),
        };
        f.write_str(what)?;
        if let Some(quoted) = quoted {
            f.write_str(" `")?;
            f.write_str(quoted)?;
            f.write_str("`")?;
        }
        Ok(())
    }
}

/// One JS value being read.
struct Input(JsValue);

/// The largest integers JSON text carries exactly as serde_json reads them.
const U64_LIMIT: f64 = 18_446_744_073_709_551_616.0;
const I64_LIMIT: f64 = -9_223_372_036_854_775_808.0;

/// What a JS value is, as JSON text would carry it.
enum Kind {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(String),
    Seq,
    Map,
    /// A BigInt, which JSON cannot carry.
    Other,
}

impl Input {
    /// Whole numbers are integers as serde_json reads `JSON.stringify`'s text
    /// of them; NaN, the infinities, functions and `undefined` are written
    /// as null.
    fn kind(&self) -> Kind {
        let value = &self.0;
        if let Some(number) = value.as_f64() {
            if !number.is_finite() {
                Kind::Null
            } else if number.fract() != 0.0 {
                Kind::Float(number)
            } else if (0.0..U64_LIMIT).contains(&number) {
                Kind::Unsigned(number as u64)
            } else if (I64_LIMIT..0.0).contains(&number) {
                Kind::Signed(number as i64)
            } else {
                Kind::Float(number)
            }
        } else if let Some(text) = value.as_string() {
            Kind::Str(text)
        } else if let Some(flag) = value.as_bool() {
            Kind::Bool(flag)
        } else if js_sys::Array::is_array(value) {
            Kind::Seq
        } else if value.is_object() {
            Kind::Map
        } else if value.is_bigint() {
            Kind::Other
        } else {
            Kind::Null
        }
    }

    /// An object other than an array: what JSON writes as `{...}`.
    fn is_plain_object(&self) -> bool {
        self.0.is_object() && !js_sys::Array::is_array(&self.0)
    }

    /// Whether JSON.stringify writes this value as null.
    fn is_null(&self) -> bool {
        let value = &self.0;
        value.is_null()
            || value.is_undefined()
            || value.as_f64().is_some_and(|number| !number.is_finite())
            || value.is_function()
            || value.is_symbol()
    }

    /// The error for a value of the wrong kind, as serde_json words it.
    fn invalid_type(&self, expected: &dyn de::Expected) -> InputError {
        let kind = self.kind();
        let unexpected = match &kind {
            Kind::Null | Kind::Other => de::Unexpected::Unit,
            Kind::Bool(flag) => de::Unexpected::Bool(*flag),
            Kind::Unsigned(n) => de::Unexpected::Unsigned(*n),
            Kind::Signed(n) => de::Unexpected::Signed(*n),
            Kind::Float(n) => de::Unexpected::Float(*n),
            Kind::Str(text) => de::Unexpected::Str(text),
            Kind::Seq => de::Unexpected::Seq,
            Kind::Map => de::Unexpected::Map,
        };
        de::Error::invalid_type(unexpected, expected)
    }
}

impl<'de> Deserializer<'de> for Input {
    type Error = InputError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, InputError> {
        match self.kind() {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool(flag) => visitor.visit_bool(flag),
            Kind::Unsigned(n) => visitor.visit_u64(n),
            Kind::Signed(n) => visitor.visit_i64(n),
            Kind::Float(n) => visitor.visit_f64(n),
            Kind::Str(text) => visitor.visit_string(text),
            Kind::Seq => self.deserialize_seq(visitor),
            Kind::Map => self.deserialize_map(visitor),
            Kind::Other => Err(de::Error::custom("expected a value JSON can carry, found a BigInt")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, InputError> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, InputError> {
        // A unit variant is a string; serde_json also reads `{"variant": null}`.
        if let Some(text) = self.0.as_string() {
            return visitor.visit_enum(text.into_deserializer());
        }
        if self.is_plain_object() {
            let keys = js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>());
            if keys.length() == 1 {
                let key = keys.get(0);
                let payload = js_sys::Reflect::get(&self.0, &key).unwrap_or(JsValue::UNDEFINED);
                return visitor.visit_enum(Tagged { name: key.as_string().unwrap_or_default(), payload });
            }
        }
        Err(de::Error::custom("expected value"))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, InputError> {
        visitor.visit_newtype_struct(self)
    }

    // A struct or map is read only from an object and a list only from an
    // array (serde_json would also take a struct as an array of its fields),
    // so the derived code's other forms are never linked in.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, InputError> {
        if self.is_plain_object() {
            let names = field_names(fields);
            visitor.visit_map(Fields { object: self.0.unchecked_into(), fields, names, next: 0, found: 0, value: None })
        } else {
            Err(self.invalid_type(&visitor))
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, InputError> {
        if self.is_plain_object() {
            let object: js_sys::Object = self.0.unchecked_into();
            let keys = js_sys::Object::keys(&object);
            let length = keys.length();
            visitor.visit_map(Properties { object, keys, next: 0, length, value: None })
        } else {
            Err(self.invalid_type(&visitor))
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, InputError> {
        if js_sys::Array::is_array(&self.0) {
            let array: js_sys::Array = self.0.unchecked_into();
            let length = array.length();
            visitor.visit_seq(Elements { array, next: 0, length })
        } else {
            Err(self.invalid_type(&visitor))
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct identifier ignored_any
    }
}

/// Whether JSON.stringify leaves out an object property with this value.
fn skipped_by_json(value: &JsValue) -> bool {
    value.is_undefined() || value.is_function()
}

/// The elements of an array, each read with its index in the path.
struct Elements {
    array: js_sys::Array,
    next: u32,
    length: u32,
}

impl<'de> SeqAccess<'de> for Elements {
    type Error = InputError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, InputError> {
        if self.next == self.length {
            return Ok(None);
        }
        let index = self.next;
        self.next += 1;
        // JSON.stringify writes holes, undefined and functions in arrays as null.
        let element = self.array.get(index);
        seed.deserialize(Input(element)).map(Some).map_err(|error| error.within(Segment::Index(index as usize)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.length - self.next) as usize)
    }
}

/// The own enumerable properties of an object, in `JSON.stringify`'s order;
/// `undefined` ones are skipped as it skips them.
struct Properties {
    object: js_sys::Object,
    keys: js_sys::Array,
    next: u32,
    length: u32,
    value: Option<(String, JsValue)>,
}

impl<'de> MapAccess<'de> for Properties {
    type Error = InputError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, InputError> {
        while self.next < self.length {
            let key = self.keys.get(self.next);
            self.next += 1;
            let value = js_sys::Reflect::get(&self.object, &key).unwrap_or(JsValue::UNDEFINED);
            if skipped_by_json(&value) {
                continue;
            }
            let key = key.as_string().unwrap_or_default();
            let read = seed.deserialize(key.as_str().into_deserializer());
            let read = read.map_err(|error: InputError| error.within(Segment::Key(key.clone())))?;
            self.value = Some((key, value));
            return Ok(Some(read));
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, InputError> {
        let (key, value) = self.value.take().ok_or_else(|| de::Error::custom("a value was read before its key"))?;
        seed.deserialize(Input(value)).map_err(|error| error.within(Segment::Key(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.length - self.next) as usize)
    }
}

/// A struct's fields read from an object by name, as serde-wasm-bindgen
/// reads them (no key is decoded); then any other property with a value is
/// an unknown field. With several faults in one object the first named
/// here may differ from the first serde_json meets in the text.
struct Fields {
    object: js_sys::Object,
    fields: &'static [&'static str],
    names: Rc<[JsValue]>,
    next: usize,
    found: u32,
    value: Option<(&'static str, JsValue)>,
}

impl Fields {
    fn unknown_field(&self) -> Option<InputError> {
        let keys = js_sys::Object::keys(&self.object);
        if keys.length() == self.found {
            return None;
        }
        keys.iter().find_map(|key| {
            let name = key.as_string()?;
            let value = js_sys::Reflect::get(&self.object, &key).ok()?;
            let unknown = !self.fields.contains(&name.as_str()) && !skipped_by_json(&value);
            unknown.then(|| <InputError as de::Error>::unknown_field(&name, self.fields).within(Segment::Key(name)))
        })
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = InputError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, InputError> {
        while let Some(&field) = self.fields.get(self.next) {
            let value = js_sys::Reflect::get(&self.object, &self.names[self.next]).unwrap_or(JsValue::UNDEFINED);
            self.next += 1;
            if skipped_by_json(&value) {
                continue;
            }
            self.found += 1;
            self.value = Some((field, value));
            return seed.deserialize(field.into_deserializer()).map(Some);
        }
        match self.unknown_field() {
            Some(error) => Err(error),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, InputError> {
        let (field, value) = self.value.take().ok_or_else(|| de::Error::custom("a value was read before its key"))?;
        seed.deserialize(Input(value)).map_err(|error| error.within(Segment::Field(field)))
    }
}

thread_local! {
    /// The JS strings of each struct's field names, made once.
    static FIELD_NAMES: RefCell<Vec<(usize, Rc<[JsValue]>)>> = const { RefCell::new(Vec::new()) };
}

fn field_names(fields: &'static [&'static str]) -> Rc<[JsValue]> {
    let id = fields.as_ptr() as usize;
    FIELD_NAMES.with_borrow_mut(|cache| {
        if let Some((_, names)) = cache.iter().find(|(key, _)| *key == id) {
            return names.clone();
        }
        let names: Rc<[JsValue]> = fields.iter().map(|&field| JsValue::from_str(field)).collect();
        cache.push((id, names.clone()));
        names
    })
}

/// An enum written as `{"variant": payload}`.
struct Tagged {
    name: String,
    payload: JsValue,
}

impl<'de> de::EnumAccess<'de> for Tagged {
    type Error = InputError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), InputError> {
        let variant = seed.deserialize(self.name.as_str().into_deserializer());
        let variant = variant.map_err(|error: InputError| error.within(Segment::Key(self.name.clone())))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for Tagged {
    type Error = InputError;

    fn unit_variant(self) -> Result<(), InputError> {
        <() as de::Deserialize>::deserialize(Input(self.payload)).map_err(|error| error.within(Segment::Key(self.name)))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, InputError> {
        seed.deserialize(Input(self.payload)).map_err(|error| error.within(Segment::Key(self.name)))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, InputError> {
        Input(self.payload).deserialize_seq(visitor).map_err(|error| error.within(Segment::Key(self.name)))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, InputError> {
        let payload = Input(self.payload);
        payload.deserialize_struct("", fields, visitor).map_err(|error| error.within(Segment::Key(self.name)))
    }
}
