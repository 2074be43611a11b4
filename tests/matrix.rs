//! Interpreters by version and a matrix run, on the CPythons installed here (pyenv).

mod common;

use std::io::BufReader;

fn bundled() -> String {
    format!("{}/guides/python-advanced.txt", env!("CARGO_MANIFEST_DIR"))
}

fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let (mut cmd, _cache) = common::snipcheck();
    let out = cmd
        .args(args)
        .current_dir(dir)
        .env_remove("VIRTUAL_ENV")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const MATRIX: &[&str] = &["--python", "3.10", "--python", "3.11", "--python", "3.13"];

#[test]
fn pythons_lists_what_versions_resolve_among() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(dir.path(), &["pythons"]);
    assert_eq!(code, 0);
    for minor in ["3.10.", "3.11.", "3.13."] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(minor) && l.contains("pyenv")),
            "{minor}: {out}"
        );
    }
    let (code, _, err) = run(dir.path(), &["check", &bundled(), "--python", "3.99"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("3.99") && err.contains("3.13.") && err.contains("snipcheck pythons"),
        "{err}"
    );
}

#[test]
fn a_matrix_shows_where_a_claim_holds_and_where_it_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["check", bundled_ref(), "--color", "never"];
    args.extend(MATRIX);
    let (code, out, err) = run(dir.path(), &args);
    assert_eq!(code, 1, "{err}");
    let row = out
        .lines()
        .find(|l| l.contains("python-advanced.txt:93") && l.contains(" · "))
        .unwrap_or_else(|| panic!("no row for line 93: {out}"));
    let shape = regex::Regex::new(
        r"~100 bytes +3\.10\.\d+ ok 104 · 3\.11\.\d+ FAIL 200 · 3\.13\.\d+ FAIL 192$",
    )
    .unwrap();
    assert!(shape.is_match(row), "{row}");
    // one summary line per interpreter, and only line 93 differs
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("  CPython 3."))
            .count(),
        3,
        "{out}"
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.contains("txt:") && l.contains(" · "))
            .count(),
        1
    );
}

fn bundled_ref() -> &'static str {
    Box::leak(bundled().into_boxed_str())
}

#[test]
fn the_matrix_json_holds_a_report_per_interpreter() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("m.xml");
    let junit = format!("junit={}", xml.display());
    let mut args = vec![
        "check",
        bundled_ref(),
        "--format",
        "json",
        "--report",
        &junit,
    ];
    args.extend(MATRIX);
    let (code, out, _) = run(dir.path(), &args);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], 2);
    let runs = doc["runs"].as_array().unwrap();
    let versions: Vec<&str> = runs
        .iter()
        .map(|r| r["python"]["version"].as_str().unwrap())
        .collect();
    assert!(
        versions[0].starts_with("3.10.") && versions[2].starts_with("3.13."),
        "{versions:?}"
    );
    let mismatches: Vec<u64> = runs
        .iter()
        .map(|r| r["summary"]["mismatch"].as_u64().unwrap())
        .collect();
    assert_eq!(mismatches, [0, 1, 1]);
    let diffs = doc["differences"].as_array().unwrap();
    assert_eq!(diffs.len(), 1);
    assert_eq!(diffs[0]["line"], 93);
    let actual: Vec<&str> = diffs[0]["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actual"].as_str().unwrap())
        .collect();
    assert_eq!(actual, ["104", "200", "192"]);
    // JUnit: a suite per interpreter, named for it; one failing case under 3.11 and 3.13
    let suites =
        junit_parser::from_reader(BufReader::new(std::fs::File::open(&xml).unwrap())).unwrap();
    assert_eq!(suites.suites.len(), 3);
    let failing: Vec<usize> = suites
        .suites
        .iter()
        .map(|s| s.cases.iter().filter(|c| c.status.is_failure()).count())
        .collect();
    assert_eq!(failing, [0, 1, 1]);
    assert!(
        suites.suites[1].name.contains("[CPython 3.11."),
        "{}",
        suites.suites[1].name
    );
}

#[test]
fn the_config_holds_a_matrix_and_the_command_line_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("snipcheck.toml"),
        "python = [\"3.10\", \"3.13\"]\n",
    )
    .unwrap();
    let (_, out, err) = run(dir.path(), &["check", bundled_ref(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    assert_eq!(doc["runs"].as_array().map(Vec::len), Some(2));
    let (_, out, _) = run(
        dir.path(),
        &[
            "check",
            bundled_ref(),
            "--format",
            "json",
            "--python",
            "3.13",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    // one interpreter: today's single report, no matrix
    assert!(doc.get("runs").is_none());
    assert!(doc["python"]["version"]
        .as_str()
        .unwrap()
        .starts_with("3.13."));
}

#[test]
fn the_extract_record_is_the_same_under_every_interpreter() {
    // the record says what the guide claims, not what a Python printed or which rule
    // passed: the repository's record is up to date under each of them
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for version in ["3.9", "3.10", "3.11", "3.13"] {
        let (code, out, err) = run(
            root,
            &[
                "extract",
                "guides/python-advanced.txt",
                "--out",
                ".",
                "--check",
                "--python",
                version,
            ],
        );
        assert_eq!(code, 0, "{version}: {out}{err}");
        assert!(out.contains("are up to date"), "{version}: {out}");
    }
}

#[test]
fn fix_under_a_matrix_writes_what_the_newest_interpreter_prints_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("guide.txt");
    std::fs::copy(bundled(), &copy).unwrap();
    let (_, _, err) = run(
        dir.path(),
        &[
            "check",
            copy.to_str().unwrap(),
            "--fix",
            "-q",
            "--python",
            "3.10",
            "--python",
            "3.13",
        ],
    );
    assert!(err.contains("fixing per CPython 3.13."), "{err}");
    let fixed = std::fs::read_to_string(&copy).unwrap();
    // 3.13 prints 192: written the author's way, to the hundred
    assert!(
        fixed.contains("print(sys.getsizeof(gen)) # ~200 bytes\n"),
        "{err}"
    );
}
