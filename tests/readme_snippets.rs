//! The README's code that is compiled elsewhere: a block that follows
//! `<!-- snippet: PATH#NAME -->` must be, line for line, the region of PATH between
//! `// ANCHOR: NAME` and `// ANCHOR_END: NAME` (its common indentation removed). The regions
//! live in examples, which CI compiles and runs, so a README block that differs from its region
//! fails here rather than going stale. Both READMEs show every region of the examples they cite.

use std::collections::BTreeMap;
use std::path::Path;

const READMES: [&str; 2] = ["README.md", "README.zh-CN.md"];
const MARKER: &str = "<!-- snippet: ";

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Every `ANCHOR` region of a source file, by name, dedented.
fn regions(path: &str) -> BTreeMap<String, String> {
    let source = read(path);
    let mut found = BTreeMap::new();
    let mut open: Option<(String, Vec<&str>)> = None;
    for (n, line) in source.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("// ANCHOR: ") {
            assert!(open.is_none(), "{path}:{}: ANCHOR inside a region", n + 1);
            open = Some((name.trim().to_string(), Vec::new()));
        } else if let Some(name) = trimmed.strip_prefix("// ANCHOR_END: ") {
            let (open_name, lines) = open
                .take()
                .unwrap_or_else(|| panic!("{path}:{}: ANCHOR_END with no ANCHOR", n + 1));
            assert_eq!(
                open_name,
                name.trim(),
                "{path}:{}: mismatched ANCHOR_END",
                n + 1
            );
            let indent = lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start().len())
                .min()
                .unwrap_or(0);
            let text: Vec<&str> = lines
                .iter()
                .map(|l| l.get(indent..).unwrap_or("").trim_end())
                .collect();
            let previous = found.insert(open_name.clone(), text.join("\n"));
            assert!(previous.is_none(), "{path}: region `{open_name}` twice");
        } else if let Some((_, lines)) = open.as_mut() {
            lines.push(line);
        }
    }
    assert!(open.is_none(), "{path}: a region is never closed");
    found
}

/// Every marked block of a README: (path, name) → the block's text.
fn snippets(readme: &str) -> Vec<(String, String, String)> {
    let text = read(readme);
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix(MARKER) else {
            continue;
        };
        let target = rest
            .strip_suffix("-->")
            .unwrap_or_else(|| panic!("{readme}:{}: unterminated marker", n + 1))
            .trim();
        let (path, name) = target
            .split_once('#')
            .unwrap_or_else(|| panic!("{readme}:{}: expected PATH#NAME", n + 1));
        assert_eq!(
            lines.get(n + 1).map(|l| l.trim()),
            Some("```rust"),
            "{readme}:{}: the marker must be followed by a ```rust block",
            n + 1
        );
        let body: Vec<&str> = lines[n + 2..]
            .iter()
            .take_while(|l| l.trim() != "```")
            .map(|l| l.trim_end())
            .collect();
        assert!(
            n + 2 + body.len() < lines.len(),
            "{readme}:{}: block never closed",
            n + 1
        );
        found.push((path.to_string(), name.to_string(), body.join("\n")));
    }
    found
}

#[test]
fn readme_blocks_are_their_example_regions() {
    let mut failures = Vec::new();
    let mut cited = BTreeMap::<String, BTreeMap<String, String>>::new();
    for readme in READMES {
        let blocks = snippets(readme);
        assert!(
            !blocks.is_empty(),
            "{readme}: no `{MARKER}PATH#NAME -->` block"
        );
        for (path, name, block) in &blocks {
            let regions = cited.entry(path.clone()).or_insert_with(|| regions(path));
            match regions.get(name) {
                None => failures.push(format!("{readme}: {path} has no region `{name}`")),
                Some(region) if region != block => {
                    let (line, (want, got)) = region
                        .lines()
                        .chain(std::iter::repeat("<end>"))
                        .zip(block.lines().chain(std::iter::repeat("<end>")))
                        .enumerate()
                        .find(|(_, (a, b))| a != b)
                        .unwrap_or((0, ("", "")));
                    failures.push(format!(
                        "{readme}: block `{path}#{name}` differs from its region at line {}:\n  \
                         example: {want}\n  README:  {got}",
                        line + 1
                    ));
                }
                Some(_) => {}
            }
        }
        for (path, regions) in &cited {
            for name in regions.keys() {
                if !blocks.iter().any(|(p, n, _)| p == path && n == name) {
                    failures.push(format!("{readme}: region `{path}#{name}` is not shown"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
