//! Other CPythons on this machine, by version: what `snipcheck pythons` lists and what
//! `--python 3.13` resolves to.
//!
//! Interpreters are looked for in the active virtualenv (`VIRTUAL_ENV`), pyenv's
//! versions, uv-managed installs and on PATH, in that order. Each is asked for its
//! version (directory names lie: `3.13.0t`, `pypy3.10-7.3`, a virtualenv named `3.12`),
//! so only what the interpreter itself says counts; anything that is not CPython, fails
//! or hangs is left out.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::version::PyVersion;

/// How an interpreter was found; the order of the variants is the order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum How {
    /// `$VIRTUAL_ENV/bin/python`.
    Virtualenv,
    /// `<pyenv root>/versions/*/bin/python`.
    Pyenv,
    /// `<uv python dir>/*/bin/python3`.
    Uv,
    /// `python3.N`, `python3` or `python` on PATH.
    Path,
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            How::Virtualenv => "virtualenv",
            How::Pyenv => "pyenv",
            How::Uv => "uv",
            How::Path => "PATH",
        })
    }
}

/// A CPython found on this machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Its full version (`3.13.0`), as the interpreter itself reports it.
    pub version: PyVersion,
    /// The path it was found at (not canonicalized: a virtualenv's `bin/python`).
    pub path: PathBuf,
    pub how: How,
}

/// Where to look; [`Roots::from_env`] reads them from the environment.
#[derive(Debug, Clone, Default)]
pub struct Roots {
    /// The active virtualenv (`$VIRTUAL_ENV`).
    pub virtual_env: Option<PathBuf>,
    /// pyenv's root (`$PYENV_ROOT`, else `pyenv root`, else `~/.pyenv`).
    pub pyenv: Option<PathBuf>,
    /// uv's managed Pythons (`$UV_PYTHON_INSTALL_DIR`, else `$XDG_DATA_HOME/uv/python`,
    /// else `~/.local/share/uv/python`).
    pub uv: Option<PathBuf>,
    /// The directories of PATH, in order.
    pub path: Vec<PathBuf>,
}

/// How long an interpreter may take to say its version.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Prints implementation and version, then what identifies the installation (prefix and
/// real executable, so that a pyenv shim and the version it runs are listed once).
/// Python 2 syntax too, so that a 2.7 is listed (and then refused by the worker) rather
/// than silently missing.
const PROBE: &str = "import sys, os, platform; \
sys.stdout.write('%s %d %d %d\\n%s\\n%s\\n' % ((platform.python_implementation(),) \
+ tuple(sys.version_info[:3]) + (sys.prefix, os.path.realpath(sys.executable or ''))))";

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

impl Roots {
    /// The roots this process's environment names.
    pub fn from_env() -> Roots {
        let home = env_path("HOME");
        let pyenv = env_path("PYENV_ROOT")
            .or_else(pyenv_root_command)
            .or_else(|| home.as_ref().map(|h| h.join(".pyenv")));
        let uv = env_path("UV_PYTHON_INSTALL_DIR")
            .or_else(|| {
                env_path("XDG_DATA_HOME")
                    .filter(|p| p.is_absolute())
                    .map(|d| d.join("uv/python"))
            })
            .or_else(|| home.as_ref().map(|h| h.join(".local/share/uv/python")));
        let path = std::env::var_os("PATH")
            .map(|p| {
                std::env::split_paths(&p)
                    .filter(|d| !d.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Roots {
            virtual_env: env_path("VIRTUAL_ENV"),
            pyenv,
            uv,
            path,
        }
    }

    /// Every file that may be an interpreter, in order of preference.
    fn candidates(&self) -> Vec<(PathBuf, How)> {
        let mut out = Vec::new();
        if let Some(venv) = &self.virtual_env {
            out.push((venv.join("bin/python"), How::Virtualenv));
        }
        if let Some(root) = &self.pyenv {
            for dir in sorted_entries(&root.join("versions")) {
                out.push((dir.join("bin/python"), How::Pyenv));
            }
        }
        if let Some(root) = &self.uv {
            for dir in sorted_entries(root) {
                out.push((dir.join("bin/python3"), How::Uv));
            }
        }
        for dir in &self.path {
            let mut versioned: Vec<(u32, PathBuf)> = sorted_entries(dir)
                .into_iter()
                .filter_map(|p| {
                    let name = p.file_name()?.to_str()?;
                    let minor = name.strip_prefix("python3.")?;
                    if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    Some((minor.parse().ok()?, p))
                })
                .collect();
            versioned.sort_by_key(|v| std::cmp::Reverse(v.0));
            out.extend(versioned.into_iter().map(|(_, p)| (p, How::Path)));
            out.push((dir.join("python3"), How::Path));
            out.push((dir.join("python"), How::Path));
        }
        out.retain(|(p, _)| is_executable(p));
        out
    }
}

/// `pyenv root`, if pyenv is installed and answers.
fn pyenv_root_command() -> Option<PathBuf> {
    let mut cmd = Command::new("pyenv");
    cmd.arg("root");
    let out = run_with_timeout(cmd, PROBE_TIMEOUT)?;
    let root = out.trim();
    (!root.is_empty()).then(|| PathBuf::from(root))
}

/// The entries of a directory, sorted by name (none if it cannot be read).
fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => Vec::new(),
    };
    entries.sort();
    entries
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Runs `cmd` with stdin null and stderr discarded; its stdout if it exits 0 in time.
fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Option<String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = spawn_retrying(&mut cmd)?;
    let mut stdout = child.stdout.take()?;
    // read on a thread so that a chatty child cannot fill the pipe and stall
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stdout).take(1 << 16).read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    // a grandchild may still hold the pipe open after a kill: do not wait for it
    let status = status?;
    let out = reader.join().ok()?;
    status
        .success()
        .then(|| String::from_utf8_lossy(&out).into_owned())
}

/// Spawns, retrying a few times on "text file busy" (a script written by another thread
/// of this process while it forked).
fn spawn_retrying(cmd: &mut Command) -> Option<Child> {
    for attempt in 0..5 {
        match cmd.spawn() {
            Ok(child) => return Some(child),
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && attempt < 4 => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(_) => return None,
        }
    }
    None
}

/// What an interpreter says about itself.
#[derive(Debug, Clone, PartialEq)]
struct Probed {
    version: PyVersion,
    /// `sys.prefix` and the real executable, when it said them: the same installation
    /// reached through two paths (a pyenv shim, a symlink) has the same identity.
    identity: Option<(String, String)>,
}

/// Asks `path` for its implementation and version; `None` unless it is a CPython.
fn probe(path: &Path, timeout: Duration) -> Option<Probed> {
    let mut cmd = Command::new(path);
    cmd.args(["-E", "-c", PROBE]);
    let out = run_with_timeout(cmd, timeout)?;
    parse_probe(&out)
}

fn parse_probe(out: &str) -> Option<Probed> {
    let mut lines = out.lines();
    let mut words = lines.next()?.split_whitespace();
    if words.next()? != "CPython" {
        return None;
    }
    let mut number = || words.next()?.parse::<u32>().ok();
    let version = PyVersion {
        major: number()?,
        minor: number()?,
        patch: Some(number()?),
    };
    let identity = match (lines.next(), lines.next()) {
        (Some(prefix), Some(exe)) if !prefix.is_empty() && !exe.is_empty() => {
            Some((prefix.to_string(), exe.to_string()))
        }
        _ => None,
    };
    Some(Probed { version, identity })
}

/// Every CPython found from the environment's roots (see [`discover_in`]).
pub fn discover() -> Vec<Found> {
    discover_in(&Roots::from_env())
}

/// Every CPython found under `roots`, each once (the first way it was found wins:
/// virtualenv, pyenv, uv, PATH), newest version first, then by how it was found.
pub fn discover_in(roots: &Roots) -> Vec<Found> {
    // the same file through two paths is asked once; a virtualenv's python is a symlink
    // to its base interpreter, but it is another environment, so it keeps its own path
    let mut seen = HashSet::new();
    let candidates: Vec<(PathBuf, How)> = roots
        .candidates()
        .into_iter()
        .filter(|(path, how)| {
            let key = match how {
                How::Virtualenv => path.clone(),
                _ => std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()),
            };
            seen.insert(key)
        })
        .collect();

    let probed: Vec<Option<Probed>> = std::thread::scope(|s| {
        let handles: Vec<_> = candidates
            .iter()
            .map(|(path, _)| s.spawn(move || probe(path, PROBE_TIMEOUT)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });

    let mut identities = HashSet::new();
    let mut found: Vec<Found> = candidates
        .into_iter()
        .zip(probed)
        .filter_map(|((path, how), probed)| {
            let probed = probed?;
            if let Some(identity) = probed.identity {
                if !identities.insert(identity) {
                    return None;
                }
            }
            Some(Found {
                version: probed.version,
                path,
                how,
            })
        })
        .collect();
    found.sort_by(|a, b| b.version.cmp(&a.version).then(a.how.cmp(&b.how)));
    found
}

/// The interpreter `--python SPEC` names (see [`resolve_in`]).
pub fn resolve(spec: &str) -> Result<PathBuf> {
    resolve_in(spec, &Roots::from_env())
}

/// The interpreter `spec` names:
/// - a path (it contains `/`, or is an existing file) is itself (a missing one is an
///   error);
/// - a version (`3.13`, `3.13.0`) is the newest matching CPython found by
///   [`discover_in`], ties going to the virtualenv, then pyenv, uv and PATH;
/// - anything else (`python3.12`, `pypy3`) is looked up on PATH.
///
/// A version or name not found is an error of one line that lists what was found.
pub fn resolve_in(spec: &str, roots: &Roots) -> Result<PathBuf> {
    let as_path = Path::new(spec);
    if spec.contains('/') || as_path.is_file() {
        if !as_path.exists() {
            bail!("--python {}: no such file", shown(spec));
        }
        return Ok(as_path.to_path_buf());
    }
    if let Some(wanted) = PyVersion::parse(spec) {
        let found = discovered(roots);
        // discover_in's order: newest first, then by how
        return match found.iter().find(|f| wanted.names(&f.version)) {
            Some(f) => Ok(f.path.clone()),
            None => bail!(
                "--python {}: no such CPython here ({}; see snipcheck pythons)",
                shown(spec),
                found_summary(&found)
            ),
        };
    }
    if !spec.is_empty() {
        if let Some(path) = roots
            .path
            .iter()
            .map(|d| d.join(spec))
            .find(|p| is_executable(p))
        {
            return Ok(path);
        }
    }
    bail!(
        "--python {}: not found on PATH (CPythons {}; see snipcheck pythons)",
        shown(spec),
        found_summary(&discovered(roots))
    )
}

/// [`discover_in`], once per process and roots: a matrix resolves several versions, and
/// each discovery starts every interpreter found.
fn discovered(roots: &Roots) -> Vec<Found> {
    static SEEN: std::sync::Mutex<Vec<(String, Vec<Found>)>> = std::sync::Mutex::new(vec![]);
    let key = format!("{roots:?}");
    if let Some((_, found)) = SEEN.lock().unwrap().iter().find(|(k, _)| *k == key) {
        return found.clone();
    }
    let found = discover_in(roots);
    SEEN.lock().unwrap().push((key, found.clone()));
    found
}

/// `found: 3.13.0, 3.12.4 …`: the distinct versions found, newest first, a few at most.
fn found_summary(found: &[Found]) -> String {
    const SHOWN: usize = 8;
    let mut versions: Vec<String> = Vec::new();
    for f in found {
        let v = f.version.to_string();
        if !versions.contains(&v) {
            versions.push(v);
        }
    }
    if versions.is_empty() {
        return "found: none".to_string();
    }
    let more = versions.len() > SHOWN;
    versions.truncate(SHOWN);
    format!(
        "found: {}{}",
        versions.join(", "),
        if more { " …" } else { "" }
    )
}

/// A spec or path on one line, control characters escaped.
fn shown(text: &str) -> String {
    text.escape_debug().to_string()
}

/// The table `snipcheck pythons` prints: version, path and how it was found, one line
/// each, in columns.
pub fn render_list(found: &[Found]) -> String {
    if found.is_empty() {
        return "no CPython found (looked in the active virtualenv, pyenv, uv and PATH)\n"
            .to_string();
    }
    let rows: Vec<(String, String, String)> = found
        .iter()
        .map(|f| {
            (
                f.version.to_string(),
                shown(&f.path.to_string_lossy()),
                f.how.to_string(),
            )
        })
        .collect();
    let width_version = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let width_path = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (version, path, how) in rows {
        out.push_str(&format!(
            "{version:<width_version$}  {path:<width_path$}  {how}\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// What the interpreter at `path` says its version is.
    fn says(path: &Path) -> PyVersion {
        probe(path, PROBE_TIMEOUT)
            .unwrap_or_else(|| panic!("{} did not answer", path.display()))
            .version
    }

    fn script(path: &Path, body: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn v(text: &str) -> PyVersion {
        PyVersion::parse(text).unwrap()
    }

    #[test]
    fn finds_the_pythons_of_this_machine() {
        let started = Instant::now();
        let found = discover();
        let took = started.elapsed();
        eprintln!("discover() took {took:?}\n{}", render_list(&found));
        for minor in ["3.11", "3.13"] {
            assert!(
                found.iter().any(|f| v(minor).names(&f.version)),
                "no {minor} in\n{}",
                render_list(&found)
            );
        }
        // each once, newest first, and every one says what it is listed as
        let paths: HashSet<_> = found.iter().map(|f| &f.path).collect();
        assert_eq!(paths.len(), found.len());
        assert!(found.windows(2).all(|w| w[0].version >= w[1].version));
        for f in &found {
            assert!(f.version.patch.is_some());
            assert_eq!(says(&f.path), f.version, "{}", f.path.display());
        }
    }

    #[test]
    fn a_version_resolves_to_an_interpreter_of_that_version() {
        let path = resolve("3.13").unwrap();
        assert!(v("3.13").names(&says(&path)), "{}", path.display());
        let path = resolve("3.11").unwrap();
        assert!(v("3.11").names(&says(&path)), "{}", path.display());
    }

    #[test]
    fn an_unknown_version_lists_what_there_is_in_one_line() {
        let err = resolve("3.99").unwrap_err().to_string();
        assert!(!err.contains('\n'), "{err}");
        assert!(
            err.starts_with("--python 3.99: no such CPython here (found: "),
            "{err}"
        );
        assert!(
            err.contains("3.13.") && err.ends_with("see snipcheck pythons)"),
            "{err}"
        );
        let err = resolve("3.13.99").unwrap_err().to_string();
        assert!(
            err.contains("no such CPython") && err.contains("3.13."),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_name_lists_what_there_is_in_one_line() {
        let err = resolve("no-such-python-here").unwrap_err().to_string();
        assert!(!err.contains('\n'), "{err}");
        assert!(err.contains("not found on PATH (CPythons found: "), "{err}");
    }

    #[test]
    fn a_name_is_looked_up_on_path() {
        let dir = tempfile::tempdir().unwrap();
        script(&dir.path().join("mypython"), "exit 0");
        let roots = Roots {
            path: vec![dir.path().join("missing"), dir.path().to_path_buf()],
            ..Roots::default()
        };
        assert_eq!(
            resolve_in("mypython", &roots).unwrap(),
            dir.path().join("mypython")
        );
    }

    #[test]
    fn a_path_is_used_as_is() {
        let dir = tempfile::tempdir().unwrap();
        let python = dir.path().join("python");
        script(&python, "exit 1");
        let spec = python.to_str().unwrap();
        assert_eq!(resolve_in(spec, &Roots::default()).unwrap(), python);
        let missing = dir.path().join("nothing/python");
        let err = resolve_in(missing.to_str().unwrap(), &Roots::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(": no such file") && !err.contains('\n'),
            "{err}"
        );
    }

    #[test]
    fn an_interpreter_is_what_it_says_not_where_it_lives() {
        let root = tempfile::tempdir().unwrap();
        let pyenv = root.path().join("pyenv");
        let versions = pyenv.join("versions");
        // a directory name that is a version, an interpreter that says another
        script(
            &versions.join("9.9.9/bin/python"),
            "echo 'CPython 3 98 2'; echo /nine; echo /nine/python",
        );
        script(
            &versions.join("3.13.0t/bin/python"),
            "echo 'CPython 3 97 1'; echo /t; echo /t/python",
        );
        script(
            &versions.join("pypy3.10-7.3/bin/python"),
            "echo 'PyPy 3 10 14'; echo /p; echo /p/python",
        );
        script(&versions.join("3.96.0/bin/python"), "exit 1");
        script(&versions.join("junk/bin/python"), "echo hello");
        // the same installation found again on PATH, and a second one of 3.98.2
        script(
            &root.path().join("bin/python3"),
            "echo 'CPython 3 98 2'; echo /nine; echo /nine/python",
        );
        script(
            &root.path().join("uv/cpython-3.98.2/bin/python3"),
            "echo 'CPython 3 98 2'; echo /uv; echo /uv/python",
        );
        let roots = Roots {
            virtual_env: None,
            pyenv: Some(pyenv.clone()),
            uv: Some(root.path().join("uv")),
            path: vec![root.path().join("bin")],
        };
        let found = discover_in(&roots);
        let listed: Vec<(String, PathBuf, How)> = found
            .iter()
            .map(|f| (f.version.to_string(), f.path.clone(), f.how))
            .collect();
        assert_eq!(
            listed,
            vec![
                (
                    "3.98.2".into(),
                    versions.join("9.9.9/bin/python"),
                    How::Pyenv
                ),
                (
                    "3.98.2".into(),
                    root.path().join("uv/cpython-3.98.2/bin/python3"),
                    How::Uv
                ),
                (
                    "3.97.1".into(),
                    versions.join("3.13.0t/bin/python"),
                    How::Pyenv
                ),
            ]
        );
        assert_eq!(
            resolve_in("3.98", &roots).unwrap(),
            versions.join("9.9.9/bin/python")
        );
        assert_eq!(
            resolve_in("3.97.1", &roots).unwrap(),
            versions.join("3.13.0t/bin/python")
        );
        let err = resolve_in("9.9", &roots).unwrap_err().to_string();
        assert_eq!(
            err,
            "--python 9.9: no such CPython here (found: 3.98.2, 3.97.1; see snipcheck pythons)"
        );

        let table = render_list(&found);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("3.98.2  ") && lines[0].ends_with("  pyenv"));
        assert!(lines[1].ends_with("  uv"));
        // the column of "how" starts at the same place on each line
        let at = |l: &str| l.rfind("  ").unwrap();
        assert!(lines.iter().all(|l| at(l) == at(lines[0])), "{table}");
    }

    #[test]
    fn newest_patch_first_then_by_how() {
        let root = tempfile::tempdir().unwrap();
        script(
            &root.path().join("venv/bin/python"),
            "echo 'CPython 3 50 1'; echo /venv; echo /base/python",
        );
        script(
            &root.path().join("pyenv/versions/a/bin/python"),
            "echo 'CPython 3 50 2'; echo /a; echo /a/python",
        );
        script(
            &root.path().join("bin/python3.50"),
            "echo 'CPython 3 50 2'; echo /b; echo /b/python",
        );
        let roots = Roots {
            virtual_env: Some(root.path().join("venv")),
            pyenv: Some(root.path().join("pyenv")),
            uv: None,
            path: vec![root.path().join("bin")],
        };
        assert_eq!(
            resolve_in("3.50", &roots).unwrap(),
            root.path().join("pyenv/versions/a/bin/python")
        );
        assert_eq!(
            resolve_in("3.50.1", &roots).unwrap(),
            root.path().join("venv/bin/python")
        );
    }

    #[test]
    fn a_hanging_interpreter_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let python = dir.path().join("python");
        script(&python, "exec sleep 30");
        let started = Instant::now();
        assert!(probe(&python, Duration::from_millis(300)).is_none());
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn probe_output() {
        assert_eq!(
            parse_probe("CPython 3 13 0\n/usr\n/usr/bin/python3.13\n"),
            Some(Probed {
                version: v("3.13.0"),
                identity: Some(("/usr".into(), "/usr/bin/python3.13".into()))
            })
        );
        assert_eq!(parse_probe("CPython 3 13 0\n").unwrap().identity, None);
        assert!(parse_probe("PyPy 3 10 14\n").is_none());
        assert!(parse_probe("CPython 3 x 0\n").is_none());
        assert!(parse_probe("").is_none());
    }
}
