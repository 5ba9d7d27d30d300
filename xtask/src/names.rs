//! Rust names for catalog names: identifiers, type names, module slugs, literals.

use std::collections::HashSet;

use crate::catalog::Endpoint;

/// Names a model must not take: they would shadow the prelude (or the types the generated
/// code names) in the endpoint's module.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "Extend",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Serialize",
    "Deserialize",
    "File",
    "Download",
    "Self",
    "Map",
    "Value",
];

pub(crate) const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];
pub(crate) fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            out.push('_');
            prev_lower = false;
        }
    }
    let mut collapsed = String::new();
    for c in out.chars() {
        if c == '_' && collapsed.ends_with('_') {
            continue;
        }
        collapsed.push(c);
    }
    let trimmed = collapsed.trim_matches('_').to_string();
    if trimmed.is_empty() {
        "field".into()
    } else if trimmed.as_bytes()[0].is_ascii_digit() {
        format!("f_{trimmed}")
    } else {
        trimmed
    }
}

pub(crate) fn camel(name: &str) -> String {
    snake(name)
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The Rust identifier of a wire name, and the `#[serde(rename)]` it needs.
pub(crate) fn field_ident(name: &str, taken: &mut HashSet<String>) -> (String, Option<String>) {
    let mut base = snake(name);
    if matches!(base.as_str(), "self" | "super" | "crate" | "Self") {
        base.push('_');
    }
    let mut candidate = base.clone();
    let mut i = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}_{i}");
        i += 1;
    }
    taken.insert(candidate.clone());
    let rename = (candidate != name).then(|| name.to_string());
    let ident = if KEYWORDS.contains(&candidate.as_str()) {
        format!("r#{candidate}")
    } else {
        candidate
    };
    (ident, rename)
}

pub(crate) struct Namer {
    used: HashSet<String>,
}

impl Namer {
    pub(crate) fn new(reserved: &[&str]) -> Self {
        let mut used: HashSet<String> = RESERVED_TYPES.iter().map(|s| s.to_string()).collect();
        used.extend(reserved.iter().map(|s| s.to_string()));
        Namer { used }
    }

    /// A unique type name for the object at `path` (wire names from the root): the last
    /// name, else the last two, … else a numbered one.
    pub(crate) fn name(&mut self, path: &[String]) -> String {
        for k in 1..=path.len() {
            let candidate: String = path[path.len() - k..].iter().map(|p| camel(p)).collect();
            if !candidate.is_empty() && !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
        }
        let base: String = path.iter().map(|p| camel(p)).collect();
        let mut i = 2;
        loop {
            let candidate = format!("{base}{i}");
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
            i += 1;
        }
    }
}

pub(crate) fn lit(s: &str) -> String {
    format!("{s:?}")
}

pub(crate) fn doc_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

pub(crate) fn module_slug(e: &Endpoint) -> String {
    let rest = e.path.strip_prefix("v3/").unwrap_or(&e.path);
    snake(&format!("{}_{}", e.method.to_ascii_lowercase(), rest))
}
