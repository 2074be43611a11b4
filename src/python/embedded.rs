//! The interpreter embedded in this binary, used while reading guides: Python's own
//! tokenizer finds comments, its compiler tells code from prose, its parser reads
//! literals. No guide code ever runs here.

use std::collections::HashMap;
use std::ffi::CString;
use std::sync::Mutex;

use anyhow::{anyhow, Result};
use pyo3::prelude::*;
use pyo3::types::PyModule;
use serde::Deserialize;

use crate::claims::Lit;

/// A comment of an example, as Python's tokenizer found it.
#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    pub line: usize,
    pub col: usize,
    pub text: String,
    /// Code stands before the comment on its line.
    pub trailing: bool,
}

/// The harness loaded into the embedded interpreter.
pub struct Interpreter {
    harness: Py<PyModule>,
    literals: Mutex<HashMap<String, Option<Lit>>>,
}

impl Interpreter {
    pub fn new() -> Result<Self> {
        let harness = Python::attach(|py| -> PyResult<Py<PyModule>> {
            let code = CString::new(super::HARNESS).expect("the harness has no NUL byte");
            let module =
                PyModule::from_code(py, &code, c"snipcheck_harness.py", c"snipcheck_harness")?;
            Ok(module.unbind())
        })
        .map_err(|e| anyhow!("the embedded Python could not load the harness: {e}"))?;
        Ok(Interpreter {
            harness,
            literals: Mutex::new(HashMap::new()),
        })
    }

    /// Calls a harness function with JSON-able arguments and decodes its answer.
    fn call<T: for<'de> Deserialize<'de>>(&self, name: &str, args: serde_json::Value) -> Result<T> {
        let text = Python::attach(|py| -> PyResult<String> {
            let json = py.import("json")?;
            let args = json.call_method1("loads", (args.to_string(),))?;
            let args = args.cast_into::<pyo3::types::PyList>()?;
            let result = self
                .harness
                .bind(py)
                .getattr(name)?
                .call1(args.to_tuple())?;
            json.call_method1("dumps", (result,))?.extract::<String>()
        })
        .map_err(|e| anyhow!("harness {name} failed: {e}"))?;
        Ok(serde_json::from_str(&text)?)
    }

    pub fn comments(&self, code: &str, first_line: usize) -> Vec<Comment> {
        let raw: Vec<(usize, usize, String, bool)> = self
            .call("comments", serde_json::json!([code, first_line]))
            .unwrap_or_default();
        raw.into_iter()
            .map(|(line, col, text, trailing)| Comment {
                line,
                col,
                text,
                trailing,
            })
            .collect()
    }

    /// Code blocks of a fence-less text guide, 1-based inclusive line ranges.
    pub fn text_blocks(
        &self,
        lines: &[&str],
        bodies: &[(usize, usize)],
    ) -> Result<Vec<(usize, usize)>> {
        self.call("text_blocks", serde_json::json!([lines, bodies]))
    }

    /// Whether a block with no language class reads as Python.
    pub fn is_python(&self, code: &str) -> bool {
        self.call::<String>("_compiles", serde_json::json!([code]))
            .map(|v| v == "code")
            .unwrap_or(false)
    }

    /// The names an example's code binds at top level.
    pub fn top_level_names(&self, code: &str) -> Vec<String> {
        self.call("top_level_names", serde_json::json!([code]))
            .unwrap_or_default()
    }

    /// Whether a comment's text is commented-out code (CPython's parser decides).
    pub fn is_code(&self, text: &str) -> bool {
        self.call::<bool>("is_code", serde_json::json!([text]))
            .unwrap_or(false)
    }

    /// The text as a Python literal, or None when it is not one.
    pub fn literal(&self, text: &str) -> Option<Lit> {
        if let Some(hit) = self.literals.lock().unwrap().get(text) {
            return hit.clone();
        }
        let value: Option<serde_json::Value> = self
            .call("literal", serde_json::json!([text]))
            .ok()
            .flatten();
        let lit = value.as_ref().and_then(Lit::from_json);
        self.literals
            .lock()
            .unwrap()
            .insert(text.to_string(), lit.clone());
        lit
    }

    /// Serves questions as a worker process until stdin closes (`snipcheck __worker`).
    pub fn serve_as_worker(&self) -> Result<()> {
        let exe = option_env!("SNIPCHECK_BUILD_PYTHON").unwrap_or("");
        Python::attach(|py| -> PyResult<()> {
            self.harness
                .bind(py)
                .getattr("worker_main")?
                .call1((exe,))?;
            Ok(())
        })
        .map_err(|e| anyhow!("worker failed: {e}"))
    }
}

/// The version of the embedded CPython, e.g. "3.11.7".
pub fn embedded_version() -> String {
    Python::attach(|py| {
        let v = py.version_info();
        format!("{}.{}.{}", v.major, v.minor, v.patch)
    })
}
