//! The catalog (`endpoints.json`), read into plain types.

use serde_json::Value;

/// A catalog field type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    Obj,
    ObjArr,
    StrArr,
    IntArr,
    NumArr,
}

impl Ty {
    fn parse(s: &str) -> Result<Ty, String> {
        Ok(match s {
            "string" => Ty::Str,
            "integer" => Ty::Int,
            "number" => Ty::Num,
            "boolean" => Ty::Bool,
            "object" => Ty::Obj,
            "object[]" => Ty::ObjArr,
            "string[]" => Ty::StrArr,
            "integer[]" => Ty::IntArr,
            "number[]" => Ty::NumArr,
            other => return Err(format!("unknown field type {other:?}")),
        })
    }
}

/// A field of a query string, body, header list, multipart meta or response.
#[derive(Clone, Debug)]
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

/// A multipart upload: the file part's name, and the fields of the `meta` part.
#[derive(Clone, Debug)]
pub struct Multipart {
    pub file_part: String,
    pub meta: Vec<Field>,
}

/// One endpoint.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub index: usize,
    pub title: String,
    pub method: String,
    pub path: String,
    pub path_params: Vec<(String, Ty)>,
    pub query: Vec<Field>,
    pub json: Vec<Field>,
    pub headers: Vec<Field>,
    pub multipart: Option<Multipart>,
    pub response: Vec<Field>,
    pub response_empty: bool,
    pub kind: String,
    pub base_uri: Option<String>,
    pub flags: Vec<String>,
    pub warnings: Vec<String>,
    /// The corrections made to the docs' tables (see `wxpay-api/catalog/README.md`).
    pub fixed: Vec<String>,
}

fn str_of<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string {key:?} in {}", short(v)))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(200).collect()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn field(v: &Value) -> Result<Field, String> {
    let ty = Ty::parse(str_of(v, "type")?)?;
    let children = fields(v.get("children"))?;
    let json_string = v.get("encoded").and_then(Value::as_str) == Some("json_encode")
        && !children.is_empty()
        && ty == Ty::Str;
    Ok(Field {
        name: str_of(v, "name")?.to_string(),
        ty,
        required: v.get("required").and_then(Value::as_bool).unwrap_or(false),
        encrypted: v.get("encrypted").and_then(Value::as_bool).unwrap_or(false),
        json_string,
        enum_values: if matches!(ty, Ty::Str | Ty::StrArr) {
            strings(v.get("enum"))
        } else {
            Vec::new()
        },
        children,
    })
}

fn fields(v: Option<&Value>) -> Result<Vec<Field>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(field).collect(),
        Some(other) => Err(format!("expected a field list, got {}", short(other))),
    }
}

/// Reads the catalog.
pub fn parse(json: &Value) -> Result<Vec<Endpoint>, String> {
    let list = json.as_array().ok_or("the catalog is not a JSON array")?;
    let mut out = Vec::with_capacity(list.len());
    for (index, e) in list.iter().enumerate() {
        let path_params = e
            .get("path_params")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|p| {
                        Ok((
                            str_of(p, "name")?.to_string(),
                            Ty::parse(str_of(p, "type")?)?,
                        ))
                    })
                    .collect::<Result<Vec<_>, String>>()
            })
            .transpose()?
            .unwrap_or_default();
        let multipart = match e.get("multipart") {
            None | Some(Value::Null) => None,
            Some(parts) => {
                let parts = fields(Some(parts))?;
                let mut file_part = "file".to_string();
                let mut meta = Vec::new();
                for p in parts {
                    if p.name == "meta" {
                        meta = p.children;
                    } else {
                        file_part = p.name;
                    }
                }
                Some(Multipart { file_part, meta })
            }
        };
        out.push(Endpoint {
            index,
            title: str_of(e, "title")?.to_string(),
            method: str_of(e, "method")?.to_string(),
            path: str_of(e, "path")?.to_string(),
            path_params,
            query: fields(e.get("query"))?,
            json: fields(e.get("json"))?,
            headers: fields(e.get("headers"))?,
            multipart,
            response: fields(e.get("response"))?,
            response_empty: e
                .get("response_empty")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            kind: str_of(e, "kind")?.to_string(),
            base_uri: e
                .get("base_uri")
                .and_then(Value::as_str)
                .map(str::to_string),
            flags: strings(e.get("flags")),
            warnings: strings(e.get("warnings")),
            fixed: strings(e.get("fixed")),
        });
    }
    Ok(out)
}
