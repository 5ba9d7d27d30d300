//! What the generated `from_json` calls: reading one JSON object field by field, so that a
//! missing required key, an unknown key or a value of the wrong type is an error naming the
//! key (its dotted path from the request's root).

use serde_json::{Map, Number, Value};
use wxpay_core::Error;

/// A request type read from the documented JSON shape.
pub trait FromJson: Sized {
    /// Reads `value`, found at `at` (`""` for the root, else a dotted path).
    fn from_json_at(value: Value, at: &str) -> Result<Self, Error>;
}

fn key_path(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn wrong(at: &str, expected: &str) -> Error {
    Error::Encode(format!("`{at}` must be {expected}"))
}

/// An object being read.
pub struct Obj {
    map: Map<String, Value>,
    at: String,
}

impl Obj {
    /// `value` must be an object.
    pub fn new(value: Value, at: &str) -> Result<Obj, Error> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                at: at.to_string(),
            }),
            _ if at.is_empty() => Err(Error::Encode("the request must be a JSON object".into())),
            _ => Err(wrong(at, "an object")),
        }
    }

    /// A required key.
    pub fn req<T: FromJson>(&mut self, key: &str) -> Result<T, Error> {
        let at = key_path(&self.at, key);
        match self.map.remove(key) {
            Some(Value::Null) | None => Err(Error::Encode(format!("missing required key `{at}`"))),
            Some(v) => T::from_json_at(v, &at),
        }
    }

    /// An optional key (`null` reads as absent).
    pub fn opt<T: FromJson>(&mut self, key: &str) -> Result<Option<T>, Error> {
        let at = key_path(&self.at, key);
        match self.map.remove(key) {
            Some(Value::Null) | None => Ok(None),
            Some(v) => T::from_json_at(v, &at).map(Some),
        }
    }

    /// A required field that holds JSON text: the object (or the text itself).
    pub fn req_text(&mut self, key: &str) -> Result<String, Error> {
        let at = key_path(&self.at, key);
        match self.map.remove(key) {
            Some(Value::Null) | None => Err(Error::Encode(format!("missing required key `{at}`"))),
            Some(v) => Ok(json_text(v)),
        }
    }

    /// An optional field that holds JSON text.
    pub fn opt_text(&mut self, key: &str) -> Result<Option<String>, Error> {
        Ok(match self.map.remove(key) {
            Some(Value::Null) | None => None,
            Some(v) => Some(json_text(v)),
        })
    }

    /// Every key must have been read.
    pub fn finish(self) -> Result<(), Error> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(key) => Err(Error::Encode(format!(
                "unknown key `{}`",
                key_path(&self.at, key)
            ))),
        }
    }
}

fn json_text(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

impl FromJson for String {
    fn from_json_at(value: Value, at: &str) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s),
            _ => Err(wrong(at, "a string")),
        }
    }
}

impl FromJson for i64 {
    fn from_json_at(value: Value, at: &str) -> Result<Self, Error> {
        match &value {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                        .map(|f| f as i64)
                })
                .ok_or_else(|| wrong(at, "an integer")),
            _ => Err(wrong(at, "an integer")),
        }
    }
}

impl FromJson for Number {
    fn from_json_at(value: Value, at: &str) -> Result<Self, Error> {
        match value {
            Value::Number(n) => Ok(match n.as_f64() {
                // A whole number is sent as one (`5`, not `5.0`).
                Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 9e15 => {
                    Number::from(f as i64)
                }
                _ => n,
            }),
            _ => Err(wrong(at, "a number")),
        }
    }
}

impl FromJson for bool {
    fn from_json_at(value: Value, at: &str) -> Result<Self, Error> {
        value.as_bool().ok_or_else(|| wrong(at, "a boolean"))
    }
}

impl FromJson for Value {
    fn from_json_at(value: Value, _at: &str) -> Result<Self, Error> {
        Ok(value)
    }
}

impl FromJson for Map<String, Value> {
    fn from_json_at(value: Value, at: &str) -> Result<Self, Error> {
        match value {
            Value::Object(m) => Ok(m),
            _ => Err(wrong(at, "an object")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json_at(value: Value, at: &str) -> Result<Self, Error> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| T::from_json_at(v, &format!("{at}[{i}]")))
                .collect(),
            _ => Err(wrong(at, "an array")),
        }
    }
}

/// An upload's file: `{"filename": "a.jpg", "base64": "…"}`.
impl FromJson for wxpay_core::File {
    fn from_json_at(value: Value, at: &str) -> Result<Self, Error> {
        use base64::Engine as _;
        let mut o = Obj::new(value, at)?;
        let filename: String = o.req("filename")?;
        let data: String = o.req("base64")?;
        o.finish()?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_bytes())
            .map_err(|_| wrong(&key_path(at, "base64"), "base64"))?;
        Ok(wxpay_core::File::new(filename, bytes))
    }
}
