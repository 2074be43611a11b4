//! Running the snipcheck binary and reading its JSON report.
#![allow(dead_code)]

use std::process::Command;

use serde_json::Value;

pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs snipcheck in a fresh empty directory: exit status, JSON report (or Null), stderr.
pub fn run(args: &[&str]) -> (i32, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let result = run_in(dir.path().to_str().unwrap(), args);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(
        left.is_empty(),
        "files left in the working directory: {left:?}"
    );
    result
}

pub fn run_in(dir: &str, args: &[&str]) -> (i32, Value, String) {
    run_with(dir, args, &[])
}

/// A run cache of the caller's own, empty: no test reads the user's cache or what
/// another test left there. Pass it as `SNIPCHECK_CACHE_DIR`; it is removed on drop.
pub fn own_cache() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The snipcheck binary, with a run cache of its own: keep the directory until the
/// command has run. Every test that starts the binary starts it from here.
pub fn snipcheck() -> (Command, tempfile::TempDir) {
    let cache = own_cache();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_snipcheck"));
    cmd.env("SNIPCHECK_CACHE_DIR", cache.path());
    (cmd, cache)
}

pub fn run_with(dir: &str, args: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
    let (mut cmd, _cache) = snipcheck();
    cmd.args(args).current_dir(dir).env_remove("VIRTUAL_ENV");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("snipcheck runs");
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        report,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[derive(Debug, PartialEq)]
pub struct Claim {
    pub line: u64,
    pub kind: String,
    pub verdict: String,
    pub rule: Option<String>,
}

impl Claim {
    pub fn new(line: u64, kind: &str, verdict: &str, rule: Option<&str>) -> Claim {
        Claim {
            line,
            kind: kind.into(),
            verdict: verdict.into(),
            rule: rule.map(str::to_string),
        }
    }
}

pub fn claims(report: &Value) -> Vec<Claim> {
    let mut out = vec![];
    for q in report["questions"].as_array().expect("a report") {
        for e in q["examples"].as_array().unwrap() {
            for c in e["claims"].as_array().unwrap() {
                out.push(Claim {
                    line: c["line"].as_u64().unwrap(),
                    kind: c["kind"].as_str().unwrap().into(),
                    verdict: c["verdict"].as_str().unwrap().into(),
                    rule: c["rule"].as_str().map(str::to_string),
                });
            }
        }
    }
    out
}

/// The claims that did not pass.
pub fn failing(report: &Value) -> Vec<Claim> {
    claims(report)
        .into_iter()
        .filter(|c| c.verdict != "pass")
        .collect()
}

/// The bundled guide.
pub fn seed() -> String {
    format!("{}/guides/python-advanced.txt", env!("CARGO_MANIFEST_DIR"))
}

/// Runs snipcheck in `dir`, outside GitHub Actions: exit status, standard output,
/// standard error. A panic fails the test whatever the caller asserts.
pub fn run_text_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let (mut cmd, _cache) = snipcheck();
    let out = cmd
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        err,
    )
}

/// The claim at `line`, in whichever example holds it.
pub fn claim_at(report: &Value, line: u64) -> &Value {
    report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["examples"].as_array().unwrap())
        .flat_map(|e| e["claims"].as_array().unwrap())
        .find(|c| c["line"] == line)
        .unwrap_or_else(|| panic!("no claim at line {line}"))
}

/// The example whose first code line is `line`.
pub fn example(report: &Value, line: u64) -> &Value {
    report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["examples"].as_array().unwrap())
        .find(|e| e["line"] == line)
        .unwrap_or_else(|| panic!("no example at line {line}"))
}
