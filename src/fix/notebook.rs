//! `--fix` on a notebook: its false claims rewritten in the notebook's JSON, which
//! stays nbformat 4. A saved output gets what the cell really did (a stream's text, a
//! result's `text/plain`, an error's `ename`/`evalue`); the comments in cells' sources
//! are fixed by the guide fixer, on the cells as a guide of their own ([`Shadow`]),
//! as comments are anywhere. The notebook is parsed and
//! written again by serde_json, in nbformat's own layout (keys in name order, one
//! space of indent, lines of text as lists of strings), and read back by the notebook
//! reader before it is kept.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use serde_json::{json, Value};

use super::shadow::Shadow;
use super::{plan, FileFix, Found};
use crate::guide::notebook::CodeSource;
use crate::guide::{self, notebook, Format};
use crate::model::{SavedKind, SavedOutput};
use crate::python::Interpreter;
use crate::report::ExampleReport;

pub fn plan_file(
    file: &str,
    claims: &[Found],
    examples: &[&ExampleReport],
    python: &Interpreter,
) -> Result<Option<FileFix>> {
    let before =
        std::fs::read_to_string(file).with_context(|| format!("{file}: cannot read to fix"))?;
    // a byte order mark and CRLF line breaks are kept, as in any guide (`fix::source`)
    let bom = before.starts_with('\u{feff}');
    let text = before.strip_prefix('\u{feff}').unwrap_or(&before);
    let crlf = text.contains("\r\n");
    let g = guide::read(file, text, Format::Notebook, python)?;
    let saved: Vec<&SavedOutput> = guide::examples(&g).flat_map(|e| &e.saved).collect();
    let sources = notebook::code_sources(text).map_err(|e| anyhow!("{file}: {e}"))?;
    let mut nb: Value = serde_json::from_str(text).map_err(|e| anyhow!("{file}: {e}"))?;
    let mut fixed = vec![];
    let mut settled = vec![];
    let mut comments: Vec<Found> = vec![];
    // cells whose IPython lines did not run: what those would print or bind is unknown
    let ipython: Vec<(usize, usize)> = guide::examples(&g)
        .filter(|e| !e.not_run.is_empty())
        .map(|e| (e.line, e.end_line))
        .collect();
    let untouched = |line: usize| ipython.iter().any(|&(a, b)| (a..=b).contains(&line));
    for found in claims {
        let c = found.0;
        if untouched(c.line) {
            continue;
        }
        let Some(actual) = c.actual.as_deref() else {
            continue;
        };
        match saved.iter().find(|s| s.line == c.line) {
            // the run read this output: the file must still hold it
            Some(s) => {
                if s.text.trim_end_matches('\n') == c.text && rewrite_output(&mut nb, s, actual) {
                    fixed.push(c.line);
                }
            }
            None => comments.push(*found),
        }
    }
    if !comments.is_empty() {
        let shadow = Shadow::of(text, &sources);
        let planned = plan::plan_text(file, Format::Markdown, &shadow.text, &comments, python)?;
        if let Some(p) = planned {
            let cells = shadow.sources_in(&p.after).ok_or_else(|| {
                anyhow!("{file}: the fixed cells were not found again; not fixed")
            })?;
            for (cell, body) in cells {
                let Some(s) = sources.iter().find(|s| s.cell == cell) else {
                    continue;
                };
                if body != s.lines {
                    let mut text = body.join("\n");
                    if s.ends_in_newline {
                        text.push('\n');
                    }
                    nb["cells"][cell]["source"] = lines(&text);
                }
            }
            fixed.extend(p.fixed);
            settled.extend(p.settled);
        }
    }
    let mut saved_errors = vec![];
    if let Some(cells) = nb["cells"].as_array_mut() {
        for cell in cells {
            // (`get_mut`: indexing a cell without outputs would add `"outputs": null`)
            if let Some(outputs) = cell.get_mut("outputs").and_then(Value::as_array_mut) {
                outputs.retain(|o| !o.is_null());
            }
        }
    }
    for ex in examples.iter().filter(|ex| !untouched(ex.line)) {
        if let Some(line) = save_error(&mut nb, ex, &sources) {
            saved_errors.push(line);
        }
    }
    settled.extend(&saved_errors);
    if fixed.is_empty() && saved_errors.is_empty() {
        return Ok(None);
    }
    fixed.sort_unstable();
    let mut after = render(&nb);
    // what is written must read back as a notebook whose lines can be named
    notebook::read(&after)
        .map_err(|e| anyhow!("{file}: the fixed notebook does not read back: {e}"))?;
    if crlf {
        after = after.replace('\n', "\r\n");
    }
    if bom {
        after.insert(0, '\u{feff}');
    }
    Ok(Some(FileFix {
        file: file.to_string(),
        before,
        after,
        fixed,
        settled,
        saved_errors,
    }))
}

/// The exception a cell raised, saved as its error output as Jupyter would: when the
/// cell's saved outputs (it has some: it was run) hold no error, the exception is the
/// only one of the example's that nobody claimed, and it is Python's (not a timeout or
/// a crash). The error's line, which the saved output now claims.
fn save_error(nb: &mut Value, ex: &ExampleReport, sources: &[CodeSource]) -> Option<usize> {
    let e = ex.error.as_ref().filter(|_| ex.more_errors.is_empty())?;
    let line = e.line?;
    if e.traceback.is_none() || e.signal.is_some() || e.exit_code.is_some() {
        return None;
    }
    // what the run could not have that Jupyter has: a module or file of the user's
    // machine, a name IPython gives every notebook
    let missing = matches!(
        e.type_name.as_str(),
        "ModuleNotFoundError" | "ImportError" | "FileNotFoundError"
    );
    let ipython_name = e.type_name == "NameError"
        && IPYTHON_NAMES
            .iter()
            .any(|n| e.message == format!("name '{n}' is not defined"));
    if missing || ipython_name {
        return None;
    }
    let cell = sources
        .iter()
        .find(|s| (ex.line..=ex.end_line).contains(&s.first))?
        .cell;
    let outputs = nb["cells"][cell].get_mut("outputs")?.as_array_mut()?;
    if outputs.is_empty() || outputs.iter().any(|o| o["output_type"] == "error") {
        return None;
    }
    let traceback: Vec<&str> = e.traceback.as_deref().unwrap_or_default().lines().collect();
    outputs.push(json!({
        "ename": e.type_name,
        "evalue": e.message,
        "output_type": "error",
        "traceback": traceback,
    }));
    Some(line)
}

/// Names IPython defines in every notebook, which plain Python does not have.
const IPYTHON_NAMES: &[&str] = &["display", "get_ipython", "In", "Out"];

/// Text as nbformat keeps it: a list of lines, each but the last with its newline.
fn lines(text: &str) -> Value {
    Value::Array(
        text.split_inclusive('\n')
            .map(|l| Value::String(l.to_string()))
            .collect(),
    )
}

fn rewrite_output(nb: &mut Value, s: &SavedOutput, actual: &str) -> bool {
    let Some(outputs) = nb["cells"][s.cell]
        .get_mut("outputs")
        .and_then(Value::as_array_mut)
    else {
        return false;
    };
    let Some(&first) = s.outputs.first() else {
        return false;
    };
    if first >= outputs.len() {
        return false;
    }
    match s.kind {
        // the run's output holds what went to stderr too, which Jupyter keeps apart
        SavedKind::Stream if s.beside_stderr => return false,
        SavedKind::Stream => {
            outputs[first]["text"] = lines(&format!("{actual}\n"));
            // the cell's other stdout streams, shown as one, become that one: marked
            // here and removed once every output is rewritten, as removing one now
            // would move those after it from the indices the other claims hold
            for &o in s.outputs.iter().skip(1) {
                if o < outputs.len() {
                    outputs[o] = Value::Null;
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
