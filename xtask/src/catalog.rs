//! The catalog (`endpoints.json`), read into plain types.

use serde::Deserialize;

/// A catalog field type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Ty {
    #[serde(rename = "string")]
    Str,
    #[serde(rename = "integer")]
    Int,
    #[serde(rename = "number")]
    Num,
    #[serde(rename = "boolean")]
    Bool,
    #[serde(rename = "object")]
    Obj,
    #[serde(rename = "object[]")]
    ObjArr,
    #[serde(rename = "string[]")]
    StrArr,
    #[serde(rename = "integer[]")]
    IntArr,
    #[serde(rename = "number[]")]
    NumArr,
}

/// A field of a query string, body, header list, multipart meta or response.
#[derive(Clone, Debug, Deserialize)]
#[serde(from = "RawField")]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    pub encrypted: bool,
    /// `encoded: "json_encode"` with documented children: a string holding their JSON.
    pub json_string: bool,
    /// The documented values of a string (or string list) field; empty when not a closed list.
    pub enum_values: Vec<String>,
    pub children: Vec<Field>,
}

/// A field as the catalog writes it.
#[derive(Deserialize)]
struct RawField {
    name: String,
    #[serde(rename = "type")]
    ty: Ty,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    encrypted: bool,
    encoded: Option<String>,
    #[serde(rename = "enum", default)]
    enum_values: Vec<String>,
    #[serde(default)]
    children: Vec<Field>,
}

impl From<RawField> for Field {
    fn from(f: RawField) -> Field {
        let json_string = f.encoded.as_deref() == Some("json_encode")
            && !f.children.is_empty()
            && f.ty == Ty::Str;
        Field {
            name: f.name,
            ty: f.ty,
            required: f.required,
            encrypted: f.encrypted,
            json_string,
            enum_values: if matches!(f.ty, Ty::Str | Ty::StrArr) {
                f.enum_values
            } else {
                Vec::new()
            },
            children: f.children,
        }
    }
}

/// A path placeholder.
#[derive(Clone, Debug, Deserialize)]
pub struct PathParam {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Ty,
}

/// A multipart upload: the file part's name, and the fields of the `meta` part.
#[derive(Clone, Debug, Deserialize)]
#[serde(from = "Vec<Field>")]
pub struct Multipart {
    pub file_part: String,
    pub meta: Vec<Field>,
}

impl From<Vec<Field>> for Multipart {
    fn from(parts: Vec<Field>) -> Multipart {
        let mut file_part = "file".to_string();
        let mut meta = Vec::new();
        for p in parts {
            if p.name == "meta" {
                meta = p.children;
            } else {
                file_part = p.name;
            }
        }
        Multipart { file_part, meta }
    }
}

/// One endpoint.
#[derive(Clone, Debug, Deserialize)]
pub struct Endpoint {
    /// The position in the catalog (set after reading).
    #[serde(skip)]
    pub index: usize,
    pub title: String,
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub path_params: Vec<PathParam>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub query: Vec<Field>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub json: Vec<Field>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub headers: Vec<Field>,
    pub multipart: Option<Multipart>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub response: Vec<Field>,
    #[serde(default)]
    pub response_empty: bool,
    pub kind: String,
    pub base_uri: Option<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    /// The corrections made to the docs' tables (see `wxpay-api/catalog/README.md`).
    #[serde(default)]
    pub fixed: Vec<String>,
}

/// A field list the catalog may write as `null`.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Field>, D::Error> {
    Ok(Option::<Vec<Field>>::deserialize(d)?.unwrap_or_default())
}

/// Reads the catalog.
pub fn parse(text: &str) -> Result<Vec<Endpoint>, String> {
    let mut endpoints: Vec<Endpoint> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    for (index, e) in endpoints.iter_mut().enumerate() {
        e.index = index;
    }
    Ok(endpoints)
}
