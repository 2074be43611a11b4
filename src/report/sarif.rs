//! `--format sarif`: SARIF 2.1.0, what GitHub code scanning and other review tools
//! read. One result per false claim and per example error, at the guide's line, with
//! a rule per claim rule (`false-claim/approximate`, ...) and the claim's diff in the
//! message. A matrix run is one SARIF run per interpreter.
//! <https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>

use serde_json::{json, Value};

use super::{problem_text, ClaimReport, Report};
use crate::judge::Verdict;
use crate::python::worker::RunError;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(report: &Report, strict: bool) -> String {
    render_all(std::slice::from_ref(report), strict)
}

/// One SARIF log for the reports of a run, a SARIF run each.
pub fn render_all(reports: &[Report], strict: bool) -> String {
    let runs: Vec<Value> = reports
        .iter()
        .map(|r| run(r, strict, reports.len() > 1))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": runs,
    });
    serde_json::to_string_pretty(&log).expect("a SARIF log always serializes") + "\n"
}

/// A rule of the log: what kind of finding a result is.
struct RuleInfo {
    id: String,
    name: String,
    text: String,
}

fn claim_rule(c: &ClaimReport) -> RuleInfo {
    match c.verdict {
        Verdict::NotReached => RuleInfo {
            id: "not-reached".into(),
            name: "ClaimNotReached".into(),
            text: "A claim whose line never ran: the example stopped before it".into(),
        },
        Verdict::Unverified => RuleInfo {
            id: "unverified".into(),
            name: "ClaimNotVerified".into(),
            text: "Under --strict: a comment that does not match the output, or output no comment claims"
                .into(),
        },
        _ => match c.rule {
            Some(rule) => RuleInfo {
                id: format!("false-claim/{}", rule.name()),
                name: format!("FalseClaim{}", pascal(rule.name())),
                text: format!(
                    "A comment claims what the code prints, and the {} rule finds it false",
                    rule.name()
                ),
            },
            None => RuleInfo {
                id: "false-claim".into(),
                name: "FalseClaim".into(),
                text: "A comment claims what the code prints, and it is false".into(),
            },
        },
    }
}

fn error_rule() -> RuleInfo {
    RuleInfo {
        id: "example-error".into(),
        name: "ExampleError".into(),
        text: "An example raised an exception no claim expected, or did not finish".into(),
    }
}

/// `type-name` as `TypeName`.
fn pascal(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn run(report: &Report, strict: bool, labelled: bool) -> Value {
    let mut rules: Vec<RuleInfo> = vec![];
    let mut results = vec![];
    let mut rule_index = |r: RuleInfo| -> (usize, String) {
        let id = r.id.clone();
        match rules.iter().position(|k| k.id == r.id) {
            Some(i) => (i, id),
            None => {
                rules.push(r);
                (rules.len() - 1, id)
            }
        }
    };
    for ex in report.questions.iter().flat_map(|q| &q.examples) {
        if !ex.errors_known {
            for e in ex.errors() {
                let (index, id) = rule_index(error_rule());
                let line = e.line.unwrap_or(ex.line);
                let at = Where {
                    file: &ex.file,
                    line,
                    cell: report.cells.name(&ex.file, line),
                };
                results.push(result(&id, index, &error_text(e), at, None));
            }
        }
        for c in ex.claims.iter().filter(|c| c.fails(strict)) {
            let (index, id) = rule_index(claim_rule(c));
            let snippet = Some(c.source.trim_end()).filter(|s| !s.is_empty());
            let at = Where {
                file: &c.file,
                line: c.line,
                cell: report.cells.name(&c.file, c.line),
            };
            results.push(result(&id, index, &problem_text(c), at, snippet));
        }
    }
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.text },
                "defaultConfiguration": { "level": "error" },
            })
        })
        .collect();
    let driver = json!({
        "name": "snipcheck",
        "version": report.snipcheck,
        "rules": rules,
    });
    let mut run = json!({
        "tool": { "driver": driver },
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "python": {
                "implementation": report.python.implementation,
                "version": report.python.version,
                "mode": report.python.mode,
            },
        },
    });
    if labelled {
        // several interpreters: each run says which one it is
        run["automationDetails"] = json!({
            "id": format!("snipcheck/{} {}/", report.python.implementation, report.python.version),
        });
    }
    run
}

fn error_text(e: &RunError) -> String {
    match &e.traceback {
        Some(tb) => format!("{}\n{}", e.display(), tb.trim_end()),
        None => e.display(),
    }
}

/// A result's place: the file line, and in a notebook the cell's name for it.
struct Where<'a> {
    file: &'a str,
    line: usize,
    cell: Option<String>,
}

/// One result. In a notebook the region is the line of the notebook's JSON, and the
/// cell is a logical location (a JSON object, SARIF's kind `object`) that the message
/// names first, as code scanning shows only the message and the file line.
fn result(rule: &str, index: usize, text: &str, at: Where, snippet: Option<&str>) -> Value {
    let mut region = json!({ "startLine": at.line.max(1) });
    if let Some(s) = snippet {
        region["snippet"] = json!({ "text": s });
    }
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(at.file) },
            "region": region,
        }
    });
    let text = match &at.cell {
        Some(cell) => {
            let name = cell.split(',').next().unwrap_or(cell);
            location["logicalLocations"] = json!([{
                "name": name,
                "fullyQualifiedName": cell,
                "kind": "object",
            }]);
            format!("{cell}: {text}")
        }
        None => text.to_string(),
    };
    json!({
        "ruleId": rule,
        "ruleIndex": index,
        "level": "error",
        "message": { "text": text },
        "locations": [location],
    })
}

/// A guide's path as a URI reference: relative paths stay relative (GitHub resolves
/// them against the repository), absolute ones become `file://` URIs; bytes outside
/// the unreserved set are percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    let path = path.strip_prefix("./").unwrap_or(path);
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::Rule;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("guides/a b.md"), "guides/a%20b.md");
        assert_eq!(uri("./g.md"), "g.md");
        assert_eq!(uri("/tmp/x#1.md"), "file:///tmp/x%231.md");
        assert_eq!(uri("dé.md"), "d%C3%A9.md");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal("type-name"), "TypeName");
        assert_eq!(pascal(Rule::Approximate.name()), "Approximate");
    }
}
