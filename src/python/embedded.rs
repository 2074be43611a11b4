//! The interpreter embedded in this binary, used while reading guides: Python's own
//! tokenizer finds comments, its compiler tells code from prose, its parser reads
//! literals. No guide code ever runs here; workers (`snipcheck __worker`) run it.
//!
//! The interpreter starts as the Python of the environment snipcheck belongs to, so
//! that examples see that environment's `sys.prefix`, `site-packages` and a real
//! `sys.executable`: the active virtualenv (`VIRTUAL_ENV`), else the environment whose
//! scripts directory holds this binary (`pip install`, pipx and pre-commit put it beside
//! that environment's `python3`), else the interpreter it was built against (`cargo
//! build`), else CPython's own defaults (`python3` on PATH).
//! CPython itself then finds the environment from that program name, as it does for
//! `.venv/bin/python3` (a `pyvenv.cfg` one directory above it).

use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

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
    /// The interpreter for reading guides: it imports no `site` (no `.pth` file's
    /// imports), as nothing here needs more than the standard library, so the main
    /// process starts sooner and holds less.
    pub fn new() -> Result<Self> {
        Self::started(Site::Skip)
    }

    /// The interpreter of a worker (`snipcheck __worker`), which runs examples: it
    /// starts as its environment's `python` would, `site` and all.
    pub fn for_worker() -> Result<Self> {
        Self::started(Site::Import)
    }

    fn started(site: Site) -> Result<Self> {
        start(site);
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

    /// What of a notebook cell is IPython's syntax (`%%timeit`, `%matplotlib`, `!ls`).
    pub fn ipython(&self, code: &str) -> crate::guide::Ipython {
        let (cell_magic, lines): (String, Vec<usize>) = self
            .call("ipython", serde_json::json!([code]))
            .unwrap_or_default();
        crate::guide::Ipython { cell_magic, lines }
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
        // the examples' sys.executable (the harness keeps CPython's when it does not exist)
        let exe = match start(Site::Import) {
            Some(python) => python.to_string_lossy().into_owned(),
            None => option_env!("SNIPCHECK_BUILD_PYTHON")
                .unwrap_or("")
                .to_string(),
        };
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
    start(Site::Skip);
    Python::attach(|py| {
        let v = py.version_info();
        format!("{}.{}.{}", v.major, v.minor, v.patch)
    })
}

/// Whether the interpreter imports `site` when it starts (the first start of a process
/// decides).
#[derive(Clone, Copy, PartialEq)]
enum Site {
    Import,
    Skip,
}

/// Starts the embedded interpreter, once per process, before anything else attaches to
/// it, as the Python of snipcheck's environment; returns that Python's path when the
/// interpreter was started with it.
fn start(site: Site) -> Option<&'static Path> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let python = environment_python();
            // SAFETY: called once, under the OnceLock, before any other use of the C API
            // by this crate; it does nothing when the interpreter already runs.
            let named = unsafe { start_as(python.as_deref(), site) };
            python.filter(|_| named)
        })
        .as_deref()
}

/// The Python whose environment examples run in, when snipcheck can tell: the active
/// virtualenv (`VIRTUAL_ENV`, as `python3` on its PATH would be), the environment whose
/// scripts directory holds this binary, the interpreter it was built against.
fn environment_python() -> Option<PathBuf> {
    let minor = embedded_minor()?;
    let active = std::env::var_os("VIRTUAL_ENV")
        .filter(|v| !v.is_empty())
        .and_then(|venv| python_of(&Path::new(&venv).join("bin"), &minor));
    active
        .or_else(|| {
            let exe = std::env::current_exe().ok()?;
            // pipx links ~/.local/bin/snipcheck to the binary in its environment
            let exe = exe.canonicalize().unwrap_or(exe);
            python_of(exe.parent()?, &minor)
        })
        .or_else(|| {
            let built = PathBuf::from(option_env!("SNIPCHECK_BUILD_PYTHON")?);
            built.is_file().then_some(built)
        })
}

/// "3.11" for the libpython this binary runs with; safe before the interpreter starts.
fn embedded_minor() -> Option<String> {
    // SAFETY: Py_GetVersion returns a static string and may be called before startup.
    let version = unsafe { CStr::from_ptr(pyo3::ffi::Py_GetVersion()) };
    let mut numbers = version.to_str().ok()?.split(|c: char| !c.is_ascii_digit());
    Some(format!("{}.{}", numbers.next()?, numbers.next()?))
}

/// The Python of the environment whose scripts directory is `bin`: a virtualenv
/// (`pyvenv.cfg` above it) or an installation (`lib/python3.X` above it) whose
/// `python3.X` is the version embedded here. The name is the one users call it by
/// (`python3`, `python`) when that is the same interpreter.
fn python_of(bin: &Path, minor: &str) -> Option<PathBuf> {
    let root = bin.parent()?;
    let versioned = bin.join(format!("python{minor}"));
    let is_environment = root.join("pyvenv.cfg").is_file()
        || root.join("lib").join(format!("python{minor}")).is_dir();
    if !versioned.is_file() || !is_environment {
        return None;
    }
    let target = versioned.canonicalize().ok()?;
    ["python3", "python"]
        .iter()
        .map(|name| bin.join(name))
        .find(|p| p.canonicalize().is_ok_and(|t| t == target))
        .or(Some(versioned))
}

/// Starts CPython as `python` would start, with `python` as its program name, so that
/// CPython's path calculation and `site` find its environment (its `pyvenv.cfg`, its
/// `site-packages`) and `sys.executable` is `python`; without a `python`, with
/// CPython's own defaults. Everything else is configured as pyo3's `Py_InitializeEx(0)`
/// would: no signal handlers, no locale coercion, no UTF-8 mode, no argv; `site` as
/// asked. Returns whether it started with the name: false when the interpreter already
/// runs or the name cannot be passed.
///
/// # Safety
/// Must not race another initialization of the interpreter.
unsafe fn start_as(python: Option<&Path>, site: Site) -> bool {
    use pyo3::ffi;
    use std::mem::MaybeUninit;
    use std::os::unix::ffi::OsStrExt;

    if ffi::Py_IsInitialized() != 0 {
        return false;
    }
    let name = python.and_then(|p| CString::new(p.as_os_str().as_bytes()).ok());
    let exit_on_error = |status: ffi::PyStatus| {
        if ffi::PyStatus_Exception(status) != 0 {
            ffi::Py_ExitStatusException(status); // what Py_InitializeEx does too
        }
    };
    let mut pre = MaybeUninit::<ffi::PyPreConfig>::uninit();
    ffi::PyPreConfig_InitPythonConfig(pre.as_mut_ptr());
    let mut pre = pre.assume_init();
    pre.parse_argv = 0;
    pre.utf8_mode = 0;
    pre.coerce_c_locale = 0;
    pre.coerce_c_locale_warn = 0;
    exit_on_error(ffi::Py_PreInitialize(&pre));

    let mut config = MaybeUninit::<ffi::PyConfig>::uninit();
    ffi::PyConfig_InitPythonConfig(config.as_mut_ptr());
    let config = config.as_mut_ptr();
    (*config).parse_argv = 0;
    (*config).install_signal_handlers = 0;
    (*config).configure_c_stdio = 0;
    (*config).site_import = i32::from(site == Site::Import);
    let mut named = false;
    if let Some(name) = &name {
        let status = ffi::PyConfig_SetBytesString(
            config,
            std::ptr::addr_of_mut!((*config).program_name),
            name.as_ptr(),
        );
        named = ffi::PyStatus_Exception(status) == 0; // else CPython's default name
    }
    let status = ffi::Py_InitializeFromConfig(config);
    ffi::PyConfig_Clear(config);
    exit_on_error(status);
    // as pyo3 does after starting the interpreter: this thread lets go of it
    ffi::PyEval_SaveThread();
    named
}

#[cfg(test)]
mod tests {
    use super::python_of;
    use std::fs;

    #[test]
    fn the_python_beside_the_binary_is_found_only_in_an_environment_of_its_version() {
        let root = tempfile::tempdir().unwrap();
        let bin = root.path().join("bin");
        fs::create_dir(&bin).unwrap();
        fs::write(bin.join("python3.11"), "").unwrap();
        // no pyvenv.cfg and no lib/python3.11: a directory that only holds a python
        assert_eq!(python_of(&bin, "3.11"), None);
        fs::write(root.path().join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        assert_eq!(python_of(&bin, "3.11"), Some(bin.join("python3.11")));
        // another version embedded: not this environment
        assert_eq!(python_of(&bin, "3.12"), None);
        // the name users call it by, when it is the same interpreter
        std::os::unix::fs::symlink("python3.11", bin.join("python3")).unwrap();
        assert_eq!(python_of(&bin, "3.11"), Some(bin.join("python3")));
        fs::remove_file(bin.join("python3")).unwrap();
        fs::write(bin.join("python3"), "another interpreter").unwrap();
        assert_eq!(python_of(&bin, "3.11"), Some(bin.join("python3.11")));
        // an installation rather than a virtualenv: lib/python3.11 above bin/
        fs::remove_file(root.path().join("pyvenv.cfg")).unwrap();
        fs::create_dir_all(root.path().join("lib/python3.11")).unwrap();
        assert_eq!(python_of(&bin, "3.11"), Some(bin.join("python3.11")));
    }

    #[test]
    fn ipython_syntax_is_found_by_pythons_own_parser() {
        let py = super::Interpreter::new().expect("the embedded interpreter loads");
        let lines = |code: &str| py.ipython(code).lines;
        let table: &[(&str, &[usize])] = &[
            ("%matplotlib inline\nimport math", &[0]),
            ("!pip install x\nfiles = !ls\na, b = %time f()", &[0, 1, 2]),
            ("for i in x:\n    %time g(i)", &[1]),
            ("len?\nos.path??", &[0, 1]),
            // Python as it is: nothing
            ("x = 1  # why?\ny = x % 2", &[]),
            // a line in a string is the string's, though it looks like a magic
            ("s = '''\n%d items\n'''\n%who", &[3]),
            // a syntax error that is Python's stays one: nothing is taken out
            ("%time f()\nx = = 1", &[]),
            ("x != 3\n!ls", &[1]),
        ];
        for (code, want) in table {
            assert_eq!(lines(code), *want, "{code:?}");
        }
        assert_eq!(py.ipython("\n%%timeit -n 3\nf()").cell_magic, "%%timeit");
        assert_eq!(py.ipython("x = 1").cell_magic, "");
    }

    #[test]
    fn comments_are_read_up_to_the_last_hash_and_no_further() {
        let py = super::Interpreter::new().expect("the embedded interpreter loads");
        let found = |code: &str| -> Vec<(usize, usize, String, bool)> {
            py.comments(code, 10)
                .into_iter()
                .map(|c| (c.line, c.col, c.text, c.trailing))
                .collect()
        };
        assert_eq!(found("x = 1\ny = 2\n"), vec![]);
        let one = (10, 7, "# one".to_string(), true);
        // a hash inside a string opened before it is no comment, though reading stops
        // at its line, inside the string
        assert_eq!(
            found("a = 1  # one\ns = \"\"\"\n# not a comment\n\"\"\"\nb = 2\n"),
            vec![one.clone()]
        );
        // code after the last comment does not change what comes before
        assert_eq!(
            found("a = 1  # one\n# two\nb = '#'  # three\nc = (1,\n2)\n"),
            vec![
                one,
                (11, 0, "# two".to_string(), false),
                (12, 9, "# three".to_string(), true)
            ]
        );
    }
}
