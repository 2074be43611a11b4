//! `--fix` on a notebook: its false claims rewritten in the notebook's JSON, which
//! stays nbformat 4. A saved output gets what the cell really did (a stream's text, a
//! result's `text/plain`, an error's `ename`/`evalue`); a comment in a cell's source
//! gets the actual value in place of the claimed one. The notebook is parsed and
//! written again by serde_json, in nbformat's own layout (keys in name order, one
//! space of indent, lines of text as lists of strings), and read back by the notebook
//! reader before it is kept.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use serde_json::{json, Value};

use super::{FileFix, Found};
use crate::guide::{self, notebook, Format};
use crate::model::{SavedKind, SavedOutput};
use crate::python::Interpreter;

pub fn plan_file(file: &str, claims: &[Found], python: &Interpreter) -> Result<Option<FileFix>> {
    let before =
        std::fs::read_to_string(file).with_context(|| format!("{file}: cannot read to fix"))?;
    let g = guide::read(file, &before, Format::Notebook, python)?;
    let saved: Vec<&SavedOutput> = guide::examples(&g).flat_map(|e| &e.saved).collect();
    let sources = notebook::source_lines(&before).map_err(|e| anyhow!("{file}: {e}"))?;
    let mut nb: Value = serde_json::from_str(&before).map_err(|e| anyhow!("{file}: {e}"))?;
    let mut fixed = vec![];
    for (c, _, _) in claims {
        let Some(actual) = c.actual.as_deref() else {
            continue;
        };
        let done = if let Some(s) = saved.iter().find(|s| s.line == c.line) {
            // the run read this output: the file must still hold it
            (s.text.trim_end_matches('\n') == c.text).then(|| rewrite_output(&mut nb, s, actual))
        } else if let Some(&(cell, k)) = sources.get(&c.line) {
            Some(rewrite_comment(
                &mut nb,
                cell,
                k,
                &c.text,
                &c.expected,
                actual,
            ))
        } else {
            None
        };
        if done == Some(true) {
            fixed.push(c.line);
        }
    }
    if fixed.is_empty() {
        return Ok(None);
    }
    let after = render(&nb);
    // what is written must read back as a notebook whose lines can be named
    notebook::read(&after)
        .map_err(|e| anyhow!("{file}: the fixed notebook does not read back: {e}"))?;
    Ok(Some(FileFix {
        file: file.to_string(),
        before,
        after,
        fixed,
        settled: vec![],
    }))
}

/// Text as nbformat keeps it: a list of lines, each but the last with its newline.
fn lines(text: &str) -> Value {
    Value::Array(
        text.split_inclusive('\n')
            .map(|l| Value::String(l.to_string()))
            .collect(),
    )
}

fn rewrite_output(nb: &mut Value, s: &SavedOutput, actual: &str) -> bool {
    let Some(outputs) = nb["cells"][s.cell]["outputs"].as_array_mut() else {
        return false;
    };
    let Some(&first) = s.outputs.first() else {
        return false;
    };
    if first >= outputs.len() {
        return false;
    }
    match s.kind {
        SavedKind::Stream => {
            outputs[first]["text"] = lines(&format!("{actual}\n"));
            // stdout streams that were shown as one become that one
            for &o in s.outputs.iter().skip(1).rev() {
                if o < outputs.len() {
                    outputs.remove(o);
                }
            }
        }
        SavedKind::Result => outputs[first]["data"]["text/plain"] = lines(actual),
        SavedKind::Error => {
            let (ename, evalue) = actual.split_once(": ").unwrap_or((actual, ""));
            outputs[first]["ename"] = json!(ename);
            outputs[first]["evalue"] = json!(evalue);
            outputs[first]["traceback"] = json!([actual]);
        }
    }
    true
}

/// The claim in the comment of a source line replaced by what really happened: its
/// compared part (`expected`, an approximate claim keeping its `~`), where the
/// comment has it.
fn rewrite_comment(
    nb: &mut Value,
    cell: usize,
    k: usize,
    text: &str,
    expected: &str,
    actual: &str,
) -> bool {
    if actual.contains('\n') || expected.is_empty() {
        return false; // a claim of several lines is not one comment's to rewrite
    }
    let Some(line) = nb["cells"][cell]["source"][k].as_str() else {
        return false;
    };
    let Some(hash) = line.find('#') else {
        return false;
    };
    let comment = &line[hash..];
    let Some(at) = comment
        .find(text)
        .and_then(|t| comment[t..].find(expected).map(|e| t + e))
    else {
        return false;
    };
    let new = match expected.strip_prefix('~') {
        Some(_) => format!("~{actual}"),
        None => actual.to_string(),
    };
    let at = hash + at;
    let rewritten = format!("{}{new}{}", &line[..at], &line[at + expected.len()..]);
    nb["cells"][cell]["source"][k] = Value::String(rewritten);
    true
}

/// The notebook as nbformat writes it: one space of indent, a newline at the end.
fn render(nb: &Value) -> String {
    use serde::Serialize as _;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    nb.serialize(&mut ser).expect("a notebook serializes");
    String::from_utf8(out).expect("serde_json writes UTF-8") + "\n"
}

/// Whether the file is a notebook, which `--fix` rewrites here.
pub fn is_notebook(file: &str) -> bool {
    Format::of(Path::new(file)) == Format::Notebook
}
