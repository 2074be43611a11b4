//! `--format sarif` (issue 20): the log is read by a JSON-schema validator against the
//! SARIF 2.1.0 schema (shipped in tests/fixtures/sarif/), then by serde for what it says.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture, seed, snipcheck};
use serde_json::Value;

/// Validates SARIF files with Python's `jsonschema` (from PyPI; `.ci/run` installs it):
/// `Ok` or the validator's complaints. A missing `jsonschema` fails the test, loudly.
fn validate(files: &[&Path]) -> Result<(), String> {
    let script = format!(
        "{}/tests/support/validate_sarif.py",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Command::new("python3")
        .arg(script)
        .arg(fixture("sarif/sarif-schema-2.1.0.json"))
        .args(files)
        .output()
        .expect("python3 runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !err.contains("jsonschema is not installed"),
        "this test needs jsonschema: python3 -m pip install jsonschema"
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(err)
    }
}

/// Runs `snipcheck check ARGS --format sarif` in `dir`: exit status and the log, kept
/// in `dir/out.sarif` for the validator.
fn sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let (mut cmd, _cache) = snipcheck();
    let out = cmd
        .arg("check")
        .args(args)
        .args(["--format", "sarif", "--output", "out.sarif"])
        .current_dir(dir)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(dir.join("out.sarif")).expect("the log is written");
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_str(&text).expect("JSON"),
    )
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

#[test]
fn the_bundled_guide_validates_and_has_one_result_at_line_93() {
    let dir = tempfile::tempdir().unwrap();
    let (code, log) = sarif(dir.path(), &[&seed()]);
    assert_eq!(code, 1);
    validate(&[&dir.path().join("out.sarif")]).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let found = results(&log);
    assert_eq!(found.len(), 1, "{log:#}");
    let r = &found[0];
    let at = &r["locations"][0]["physicalLocation"];
    assert_eq!(at["region"]["startLine"], 93);
    assert!(at["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("guides/python-advanced.txt"));
    assert_eq!(r["ruleId"], "false-claim/approximate");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let index = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], r["ruleId"]);
    let message = r["message"]["text"].as_str().unwrap();
    assert!(message.contains("- ~100\n+ 200"), "the diff: {message}");
}

#[test]
fn errors_and_each_rule_get_results_and_rules_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("g.md"),
        "# Q\n\n```python\nprint(1)  # 2\nprint(10)  # ~20\nd = {}\nd['b']\n```\n",
    )
    .unwrap();
    let (code, log) = sarif(dir.path(), &["g.md"]);
    assert_eq!(code, 1);
    validate(&[&dir.path().join("out.sarif")]).unwrap();
    let mut got: Vec<(String, u64)> = results(&log)
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("example-error".to_string(), 7),
            // a plain mismatch is no rule's: every rule that could pass it did not
            ("false-claim".to_string(), 4),
            ("false-claim/approximate".to_string(), 5),
        ]
    );
    let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules.len(), 3, "one rule each: {rules:?}");
}

#[test]
fn a_notebooks_results_name_their_cell_as_a_logical_location() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("notebooks/claims.ipynb"),
        dir.path().join("nb.ipynb"),
    )
    .unwrap();
    let (code, log) = sarif(dir.path(), &["nb.ipynb"]);
    assert_eq!(code, 1);
    validate(&[&dir.path().join("out.sarif")]).unwrap();
    let first = results(&log)
        .iter()
        .find(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] == 31)
        .expect("the false comment of cell 2, at its JSON line");
    assert_eq!(
        first["locations"][0]["logicalLocations"][0],
        serde_json::json!({"name": "cell 2", "fullyQualifiedName": "cell 2, line 3", "kind": "object"})
    );
    let message = first["message"]["text"].as_str().unwrap();
    assert!(message.starts_with("cell 2, line 3: "), "{message}");
}

#[test]
fn the_validator_rejects_a_log_that_breaks_the_schema() {
    // the check above means something only if a wrong log fails it
    let dir = tempfile::tempdir().unwrap();
    let (_, mut log) = sarif(dir.path(), &[&seed()]);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    let bad = dir.path().join("bad.sarif");
    std::fs::write(&bad, log.to_string()).unwrap();
    let err = validate(&[&bad]).unwrap_err();
    assert!(err.contains("startLine"), "{err}");
}
