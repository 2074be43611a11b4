//! Each question runs contained: limits, isolation, determinism, other interpreters.

mod common;

use std::path::{Path, PathBuf};

use common::{claims, example, failing, fixture, run, run_with, seed, Claim};
use serde_json::Value;

fn guide(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn misbehaving_questions_cost_only_themselves() {
    let scratch = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let tmp = scratch.path().to_str().unwrap();
    let (code, report, _) = run_with(
        work.path().to_str().unwrap(),
        &[
            "check",
            &fixture("misbehaving.md"),
            "--format",
            "json",
            "--timeout",
            "2",
        ],
        &[("TMPDIR", tmp)],
    );
    assert_eq!(code, 1);
    let err = |line| {
        example(&report, line)["error"]["type"]
            .as_str()
            .unwrap_or("none")
            .to_string()
    };
    assert_eq!(err(6), "Timeout");
    assert_eq!(err(14), "Crash");
    assert_eq!(example(&report, 14)["error"]["exit_code"], 5);
    assert_eq!(err(22), "Crash");
    assert_eq!(example(&report, 22)["error"]["signal"], 11);
    assert_eq!(
        err(63),
        "Timeout",
        "a loop that swallows interrupts is killed"
    );
    for line in [29, 41, 51] {
        assert_eq!(
            example(&report, line)["status"],
            "passed",
            "example at {line}"
        );
    }
    let passes = claims(&report)
        .iter()
        .filter(|c| c.verdict == "pass")
        .count();
    assert_eq!(passes, 6, "{report}");
    let left: Vec<_> = std::fs::read_dir(scratch.path()).unwrap().collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
    assert_eq!(std::fs::read_dir(work.path()).unwrap().count(), 0);
}

#[test]
fn memory_and_output_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let g = guide(
        dir.path(),
        "caps.md",
        "## 1. Big\n\n```python\nblob = bytearray(800 * 2**20)\n```\n\n\
         ## 2. Loud\n\n```python\nprint('x' * 100_000)\nprint('end')  # end\n```\n",
    );
    let (code, report, _) = run(&[
        "check",
        &g,
        "--format",
        "json",
        "--memory",
        "256M",
        "--max-output",
        "10000",
    ]);
    assert_eq!(code, 1);
    assert_eq!(example(&report, 4)["error"]["type"], "MemoryError");
    assert_eq!(report["questions"][1]["output_cut"], true);
    assert_eq!(report["questions"][0]["output_cut"], false);
    assert_eq!(
        claims(&report),
        vec![Claim::new(11, "output", "pass", Some("exact"))]
    );
}

fn without_timing(mut report: Value) -> Value {
    report.as_object_mut().unwrap().remove("seconds");
    report
}

#[test]
fn report_is_the_same_whatever_the_number_of_jobs() {
    let args = |jobs: &'static str| {
        vec![
            "check".to_string(),
            fixture("claims.md"),
            fixture("sessions.md"),
            fixture("sheet.txt"),
            "--format".into(),
            "json".into(),
            "--jobs".into(),
            jobs.into(),
        ]
    };
    let one: Vec<String> = args("1");
    let three: Vec<String> = args("3");
    let (_, a, _) = run(&one.iter().map(String::as_str).collect::<Vec<_>>());
    let (_, b, _) = run(&three.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(a["questions"].as_array().unwrap().len() > 5);
    assert_eq!(without_timing(a), without_timing(b));
}

#[test]
fn hash_seed_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let g = guide(
        dir.path(),
        "h.md",
        "```python\nprint({'apple', 'banana', 'cherry', 'date', 'elder'})\n```\n",
    );
    let printed = || {
        let (_, r, _) = run(&["check", &g, "--format", "json", "--strict"]);
        r["questions"][0]["examples"][0]["claims"][0]["actual"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = printed();
    for _ in 0..3 {
        assert_eq!(printed(), first);
    }
}

/// An installed pyenv CPython with this version prefix (the machines have them).
fn pyenv_python(prefix: &str) -> PathBuf {
    let root = std::env::var("PYENV_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".pyenv"));
    let mut versions: Vec<PathBuf> = std::fs::read_dir(root.join("versions"))
        .expect("pyenv versions")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    versions.sort();
    versions
        .pop()
        .unwrap_or_else(|| panic!("no pyenv CPython {prefix}* installed"))
        .join("bin/python")
}

/// The seed guide's report under the pyenv CPython with this version prefix.
fn seed_under(prefix: &str) -> (i32, serde_json::Value) {
    let python = pyenv_python(prefix);
    let (code, report, _) = run(&[
        "check",
        &seed(),
        "--format",
        "json",
        "--python",
        python.to_str().unwrap(),
    ]);
    (code, report)
}

#[test]
fn another_cpython_runs_the_same_harness() {
    let (code, report) = seed_under("3.10.");
    assert_eq!(code, 0, "3.10 generators are small: {report}");
    assert_eq!(report["python"]["mode"], "external");
    assert!(report["python"]["version"]
        .as_str()
        .unwrap()
        .starts_with("3.10."));

    let (code, report) = seed_under("3.13.");
    assert_eq!(code, 1);
    assert_eq!(
        failing(&report),
        vec![Claim::new(93, "output", "mismatch", Some("approximate"))]
    );
}

#[test]
fn too_old_or_missing_interpreters_are_refused_in_one_line() {
    let py38 = pyenv_python("3.8.");
    let (code, _, err) = run(&["check", &seed(), "--python", py38.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("3.9 or newer") && err.trim().lines().count() == 1,
        "{err}"
    );
    let (code, _, err) = run(&["check", &seed(), "--python", "/no/such/python"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("/no/such/python") && err.trim().lines().count() == 1,
        "{err}"
    );
}

#[test]
fn examples_import_from_the_active_virtualenv() {
    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join("venv");
    let python = pyenv_python("3.11.");
    let made = std::process::Command::new(&python)
        .args(["-m", "venv", "--without-pip", venv.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(made.success());
    let site = std::fs::read_dir(venv.join("lib"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("site-packages");
    std::fs::write(site.join("snipfixture.py"), "ANSWER = 42\n").unwrap();
    let g = guide(
        dir.path(),
        "v.md",
        "```python\nimport snipfixture\nprint(snipfixture.ANSWER)  # 42\n```\n",
    );
    let work = dir.path().to_str().unwrap();
    let venv_env = [("VIRTUAL_ENV", venv.to_str().unwrap())];
    let (code, report, _) = run_with(work, &["check", &g, "--format", "json"], &venv_env);
    assert_eq!(code, 0, "embedded: {report}");
    let (code, report, _) = run_with(
        work,
        &[
            "check",
            &g,
            "--format",
            "json",
            "--python",
            python.to_str().unwrap(),
        ],
        &venv_env,
    );
    assert_eq!(code, 0, "external: {report}");
    let (code, _, _) = run_with(work, &["check", &g, "--format", "json"], &[]);
    assert_eq!(code, 1, "without the virtualenv the import fails");
}
