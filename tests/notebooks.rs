//! Jupyter notebooks as guides (issue 20): claims in code cells' comments and in their
//! saved outputs, at lines of the `.ipynb` file; `--fix` keeps the notebook valid, as
//! `nbformat` (from PyPI; `.ci/run` installs it) reads it.

mod common;

use std::path::Path;
use std::process::Command;

use common::{claims, fixture, run_in, Claim};
use serde_json::Value;

/// A copy of the fixture notebook (made with nbformat: true and false claims in
/// comments and in saved outputs, and an image output) in a directory of its own.
fn notebook() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("notebooks/claims.ipynb"),
        dir.path().join("nb.ipynb"),
    )
    .unwrap();
    dir
}

fn check(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["check", "nb.ipynb", "--format", "json"];
    all.extend(args);
    run_in(dir.to_str().unwrap(), &all)
}

/// `nbformat.validate` on a notebook: `Ok` or what it says. A missing nbformat fails.
fn nbformat_validate(path: &Path) -> Result<(), String> {
    let script = "import sys\ntry:\n    import nbformat\nexcept ImportError:\n    \
                  sys.exit('nbformat is not installed: python3 -m pip install nbformat')\n\
                  nb = nbformat.read(sys.argv[1], as_version=4)\nnbformat.validate(nb)\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !err.contains("nbformat is not installed"),
        "this test needs nbformat: {err}"
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(err)
    }
}

#[test]
fn comments_and_saved_outputs_are_judged_at_the_notebooks_lines() {
    let dir = notebook();
    let (code, report, err) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{err}");
    let found = claims(&report);
    let expected = [
        // cell 2: its stdout stream (line 23) and two comments, one false
        Claim::new(23, "output-block", "pass", Some("exact")),
        Claim::new(30, "output", "pass", Some("exact")),
        Claim::new(31, "output", "mismatch", None),
        // cell 3: an execute_result that holds
        Claim::new(43, "value", "pass", Some("exact")),
        // cell 5: an execute_result that does not (d['a'] + 1 is 2)
        Claim::new(72, "value", "mismatch", None),
        // cell 6: a stream that holds, an error of another message
        Claim::new(95, "output-block", "pass", Some("exact")),
        Claim::new(99, "exception", "mismatch", Some("exception")),
        // cell 7: an error that holds
        Claim::new(119, "exception", "pass", Some("exception")),
        // cell 9: its stream; the image beside it is not a claim
        Claim::new(149, "output-block", "pass", Some("exact")),
    ];
    assert_eq!(found, expected, "{report:#}");
    // line 31 of the file is the source line the false comment is on
    let text = std::fs::read_to_string(dir.path().join("nb.ipynb")).unwrap();
    assert!(text
        .lines()
        .nth(30)
        .unwrap()
        .contains("print(sum(xs))  # 7"));
    assert!(text.lines().nth(71).unwrap().contains("\"3\""));
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0]["message"]
        .as_str()
        .unwrap()
        .contains("image/png"));
    assert_eq!(
        report["summary"]["errors"], 0,
        "a saved error is a claim, not an error"
    );
}

#[test]
fn fix_rewrites_outputs_and_comments_and_keeps_the_notebook_valid() {
    let dir = notebook();
    nbformat_validate(&dir.path().join("nb.ipynb")).expect("the fixture is valid");
    let (code, _, err) = check(dir.path(), &["--fix"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("fixed 3 claims in nb.ipynb (lines 31, 72, 99)"),
        "{err}"
    );
    nbformat_validate(&dir.path().join("nb.ipynb")).unwrap();
    let text = std::fs::read_to_string(dir.path().join("nb.ipynb")).unwrap();
    let nb: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(nb["cells"][1]["source"][2], "print(sum(xs))  # 6");
    assert_eq!(nb["cells"][4]["outputs"][0]["data"]["text/plain"][0], "2");
    assert_eq!(nb["cells"][5]["outputs"][1]["evalue"], "'b'");
    let (code, report, err) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["summary"]["mismatch"], 0);
    // a second --fix has nothing to do
    let (code, _, err) = check(dir.path(), &["--fix"]);
    assert_eq!(code, 0);
    assert!(!err.contains("fixed"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("nb.ipynb")).unwrap(),
        text
    );
}

#[test]
fn a_broken_notebook_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let one_line = std::fs::read_to_string(fixture("notebooks/claims.ipynb")).unwrap();
    let one_line: serde_json::Value = serde_json::from_str(&one_line).unwrap();
    for (content, says) in [
        ("{\"cells\": [", "not a Jupyter notebook"),
        ("{\"nbformat\": 3, \"cells\": []}", "nbformat 3"),
        (
            one_line.to_string().as_str(),
            "not one line of text per line of the file",
        ),
        // every cell's text one string, all on line 1
        (
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"print(1)  # 1\", \"outputs\": []}, \
             {\"cell_type\": \"code\", \"source\": \"print(2)  # 2\", \"outputs\": []}], \"nbformat\": 4}",
            "cell 1 and cell 2 share line 1 of the file",
        ),
    ] {
        std::fs::write(dir.path().join("nb.ipynb"), content).unwrap();
        let (code, _, err) = check(dir.path(), &[]);
        assert_eq!(code, 2, "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("snipcheck: error: nb.ipynb: ") && err.contains(says),
            "{err}"
        );
    }
}

/// The output of `snipcheck check nb.ipynb ARGS` in `dir`, and its exit status.
fn output(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check", "nb.ipynb", "--color", "never"];
    all.extend(args);
    let (code, out, _) = common::run_text_in(dir, &all);
    (code, out)
}

#[test]
fn every_report_names_the_cell_and_the_line_inside_it() {
    let dir = notebook();
    // the file line first, where editors look; then the cell as Jupyter counts them
    let (code, human) = output(dir.path(), &[]);
    assert_eq!(code, 1);
    for at in [
        "mismatch  nb.ipynb:31 (cell 2, line 3)",
        "mismatch  nb.ipynb:72 (cell 5, output 1)",
        "mismatch  nb.ipynb:99 (cell 6, output 2)  [exception]",
        "warning: nb.ipynb:154 (cell 9, output 2): a saved display_data",
    ] {
        assert!(human.contains(at), "{at:?} not in\n{human}");
    }
    // annotations stand on the JSON's line and their titles name the cell
    let (_, github) = output(dir.path(), &["--format", "github"]);
    assert!(
        github.contains(
            "::error file=nb.ipynb,line=31,title=snipcheck%3A false claim (cell 2%2C line 3)::"
        ),
        "{github}"
    );
    // JUnit, as a JUnit parser reads it
    let (_, xml) = output(dir.path(), &["--format", "junit"]);
    let suites = junit_parser::from_reader(xml.as_bytes()).expect("a JUnit document");
    let failures: Vec<String> = suites.suites[0]
        .cases
        .iter()
        .filter(|c| c.status.is_failure())
        .map(|c| c.status.failure_as_ref().text.clone())
        .collect();
    assert!(
        failures[0].starts_with("nb.ipynb:31 (cell 2, line 3)\n"),
        "{failures:?}"
    );
    assert!(failures[1].contains("nb.ipynb:99 (cell 6, output 2)\n"));
    // the JSON report holds where the cells are, so a reader can name any line
    let (_, report, _) = check(dir.path(), &[]);
    let spans = report["cells"]["nb.ipynb"].as_array().unwrap();
    let cell_2: Vec<&Value> = spans.iter().filter(|s| s["cell"] == 2).collect();
    assert_eq!(
        cell_2,
        [
            &serde_json::json!({"cell": 2, "first": 29, "last": 31}),
            &serde_json::json!({"cell": 2, "output": 1, "first": 23, "last": 24}),
        ]
    );
    // a guide that is not a notebook has none
    let md = dir.path().join("g.md");
    std::fs::write(&md, "# Q\n\n```python\nprint(1)  # 1\n```\n").unwrap();
    let (_, report, _) = run_in(
        dir.path().to_str().unwrap(),
        &["check", "g.md", "--format", "json"],
    );
    assert!(report.get("cells").is_none(), "{report:#}");
}

#[test]
fn fix_rewrites_comments_of_several_lines_and_saves_the_error_a_cell_raised() {
    let dir = tempfile::tempdir().unwrap();
    let nb_path = dir.path().join("nb.ipynb");
    std::fs::copy(fixture("notebooks/fixes.ipynb"), &nb_path).unwrap();
    let (code, _, err) = check(dir.path(), &["--fix"]);
    // the cell never run (no outputs saved) still raises: its error stays
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "fixed 2 claims (lines 30, 50) and saved 1 error output (line 77) in nb.ipynb"
        ),
        "{err}"
    );
    nbformat_validate(&nb_path).unwrap();
    let text = std::fs::read_to_string(&nb_path).unwrap();
    let nb: Value = serde_json::from_str(&text).unwrap();
    // a comment block under a loop gains the line it left out, as in any guide
    assert_eq!(
        nb["cells"][1]["source"],
        serde_json::json!([
            "for i in range(3):\n",
            "    print(i * 2)\n",
            "# Output:\n",
            "# 0\n",
            "# 2\n",
            "# 4"
        ])
    );
    // an approximate claim keeps its form and its precision
    assert_eq!(nb["cells"][2]["source"][0], "print(10 / 3)  # ~3.3");
    // the cell that raised after its saved output gets the error, after the stream
    let outputs = nb["cells"][4]["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 2);
    assert_eq!(outputs[1]["output_type"], "error");
    assert_eq!(outputs[1]["ename"], "ValueError");
    assert_eq!(
        outputs[1]["evalue"],
        "invalid literal for int() with base 10: 'x'"
    );
    // the one never run is left as it was
    assert_eq!(nb["cells"][5]["outputs"], serde_json::json!([]));
    let (code, report, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["mismatch"], 0, "{report:#}");
    assert_eq!(report["summary"]["errors"], 1, "only the cell never run");
    // a second --fix has nothing to do
    let (_, _, err) = check(dir.path(), &["--fix"]);
    assert!(!err.contains("fixed") && !err.contains("saved"), "{err}");
    assert_eq!(std::fs::read_to_string(&nb_path).unwrap(), text);
}

/// A notebook of the given cells (`("markdown" | "code", source)`, no outputs), in
/// nbformat's layout as serde_json writes it: a string a line.
fn write_notebook(path: &Path, cells: &[(&str, &str)]) {
    let cells: Vec<Value> = cells
        .iter()
        .map(|(kind, source)| {
            let lines: Vec<&str> = source.split_inclusive('\n').collect();
            let mut cell = serde_json::json!({"cell_type": kind, "metadata": {}, "source": lines});
            if *kind == "code" {
                cell["outputs"] = serde_json::json!([]);
                cell["execution_count"] = Value::Null;
            }
            cell
        })
        .collect();
    let nb =
        serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
    std::fs::write(path, serde_json::to_string_pretty(&nb).unwrap()).unwrap();
}

#[test]
fn ipython_syntax_is_not_run_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write_notebook(
        &dir.path().join("nb.ipynb"),
        &[
            ("markdown", "# Magics"),
            ("code", "%matplotlib inline\nx = 6 * 7\nprint(x)  # 42"),
            (
                "code",
                "files = !ls\nfor i in range(2):\n    %time i\nprint('done')  # done",
            ),
            ("code", "%%timeit\nsum(range(10))  # 45"),
            ("code", "s = '''\n%d items\n'''\nprint(s % 3)  # 3 items"),
        ],
    );
    let (code, report, err) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    let found = claims(&report);
    let lines: Vec<(u64, &str)> = found.iter().map(|c| (c.line, c.verdict.as_str())).collect();
    // the comments of cells 2, 3 and 5 hold; the cell magic's cell is skipped
    assert_eq!(lines.len(), 3, "{report:#}");
    assert!(lines.iter().all(|(_, v)| *v == "pass"), "{lines:?}");
    let warnings: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        warnings,
        [
            "IPython syntax, not run: %matplotlib inline",
            "IPython syntax, not run: files = !ls",
            "IPython syntax, not run: %time i",
        ]
    );
    let skipped: Vec<&Value> = report["questions"][0]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "skipped")
        .collect();
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0]["skip_reason"]
        .as_str()
        .unwrap()
        .contains("%%timeit"));
    // a cell whose syntax error is Python's stays an error
    write_notebook(
        &dir.path().join("nb.ipynb"),
        &[("markdown", "# Q"), ("code", "%time f()\nx = = 1")],
    );
    let (code, report, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["errors"], 1, "{report:#}");
}

#[test]
fn an_output_with_no_text_is_warned_of_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    // a widget's display_data saved without its data: no line of its own to name
    let nb = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"outputs\": [\n    {\n     \"data\": {},\n     \"output_type\": \"display_data\"\n    }\n   ],\n   \"source\": [\n    \"x = 1\"\n   ]\n  }\n ],\n \"nbformat\": 4\n}\n";
    std::fs::write(dir.path().join("nb.ipynb"), nb).unwrap();
    let (code, human) = output(dir.path(), &[]);
    assert_eq!(code, 0, "{human}");
    assert!(
        human.contains(
            "warning: nb.ipynb:12 (cell 1, line 1): a saved display_data output is illustrative"
        ),
        "{human}"
    );
}

#[test]
fn extract_writes_a_cells_source_as_code_and_its_saved_outputs_as_claims() {
    let dir = notebook();
    let (mut cmd, _cache) = common::snipcheck();
    let out = cmd
        .args(["extract", "nb.ipynb", "--out", "record"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = std::fs::read_to_string(dir.path().join("record/questions/lists.py")).unwrap();
    assert!(
        code.ends_with(
            "# example at line 29\nxs = [1, 2, 3]\nprint(len(xs))  # 3\nprint(sum(xs))  # 7\n\n\
             # example at line 52\nxs[::-1]\n"
        ),
        "{code}"
    );
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("record/expected/lists.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(expected["claims"][0]["line"], 23);
    assert_eq!(expected["claims"][0]["text"], "3\n6");
}

/// A notebook of the given cells (JSON objects; `metadata`, and for code cells
/// `outputs` and `execution_count`, are filled in), laid out as serde_json writes it:
/// one string a line, as nbformat does.
fn notebook_of(path: &Path, cells: Value) {
    let mut cells = cells;
    for cell in cells.as_array_mut().unwrap() {
        cell["metadata"] = serde_json::json!({});
        if cell["cell_type"] == "code" {
            if cell.get("outputs").is_none() {
                cell["outputs"] = serde_json::json!([]);
            }
            cell["execution_count"] = serde_json::json!(1);
        }
    }
    let nb =
        serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
    std::fs::write(path, serde_json::to_string_pretty(&nb).unwrap() + "\n").unwrap();
}

fn stdout(text: &[&str]) -> Value {
    serde_json::json!({"name": "stdout", "output_type": "stream", "text": text})
}

#[test]
fn a_notebook_is_one_kernel_run_from_the_top() {
    let dir = tempfile::tempdir().unwrap();
    notebook_of(
        &dir.path().join("nb.ipynb"),
        serde_json::json!([
            {"cell_type": "markdown", "source": ["# Load"]},
            {"cell_type": "code", "source": ["data = [1, 2, 3]"]},
            {"cell_type": "markdown", "source": ["## Clean"]},
            {"cell_type": "code", "source": ["data.append(4)"]},
            {"cell_type": "markdown", "source": ["## Report"]},
            {"cell_type": "code", "source": ["print(sum(data))  # 10"], "outputs": [stdout(&["10\n"])]},
        ]),
    );
    let (code, report, err) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert_eq!(
        report["summary"]["pass"], 2,
        "the comment and the saved output"
    );
}

#[test]
fn fix_rewrites_each_output_of_a_cell_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    notebook_of(
        &path,
        serde_json::json!([
            {"cell_type": "markdown", "source": ["# Q"]},
            {"cell_type": "code", "source": ["print('e')\n", "print('f')\n", "3 + 4"], "outputs": [
                stdout(&["e\n"]),
                stdout(&["g\n"]),
                {"data": {"text/plain": ["8"]}, "execution_count": 1, "metadata": {}, "output_type": "execute_result"},
                {"data": {"text/html": ["<b>x</b>"]}, "metadata": {}, "output_type": "display_data"},
            ]},
        ]),
    );
    let (code, _, err) = check(dir.path(), &["--fix"]);
    assert_eq!(code, 0, "{err}");
    nbformat_validate(&path).unwrap();
    let nb: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let outputs = nb["cells"][1]["outputs"].as_array().unwrap();
    // the two streams shown as one became one; the others kept their places
    assert_eq!(outputs.len(), 3, "{outputs:#?}");
    assert_eq!(outputs[0]["text"], serde_json::json!(["e\n", "f\n"]));
    assert_eq!(outputs[1]["data"]["text/plain"], serde_json::json!(["7"]));
    assert_eq!(
        outputs[2]["data"],
        serde_json::json!({"text/html": ["<b>x</b>"]})
    );
}

#[test]
fn a_cells_output_ends_at_its_exception_and_stderr_is_not_written_into_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    let error = serde_json::json!({"ename": "ZeroDivisionError", "evalue": "division by zero",
        "output_type": "error", "traceback": []});
    notebook_of(
        &path,
        serde_json::json!([
            {"cell_type": "markdown", "source": ["# Q"]},
            // Jupyter stops the cell at 1 / 0: 'b' was never printed
            {"cell_type": "code", "source": ["print('a')\n", "1 / 0\n", "print('b')"],
             "outputs": [stdout(&["a\n"]), error]},
            {"cell_type": "code", "source": ["import sys\n", "print('a')\n", "print('w', file=sys.stderr)\n", "print('c')"],
             "outputs": [stdout(&["a\n"]),
                         {"name": "stderr", "output_type": "stream", "text": ["w\n"]},
                         stdout(&["b\n"])]},
        ]),
    );
    let before = std::fs::read_to_string(&path).unwrap();
    let (code, report, err) = check(dir.path(), &["--fix"]);
    assert_eq!(code, 1, "{err}");
    let verdicts: Vec<(u64, String)> = claims(&report)
        .into_iter()
        .map(|c| (c.line, c.verdict))
        .collect();
    assert_eq!(
        verdicts.iter().filter(|v| v.1 == "pass").count(),
        2,
        "{verdicts:?}"
    );
    assert_eq!(
        verdicts.iter().filter(|v| v.1 == "mismatch").count(),
        1,
        "{verdicts:?}"
    );
    // the false stdout is beside stderr, which the run does not tell apart: not fixed
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn fix_keeps_a_byte_order_mark_and_crlf_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    notebook_of(
        &path,
        serde_json::json!([{"cell_type": "code", "source": ["print(1)  # 2"]}]),
    );
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("\u{feff}{}", text.replace('\n', "\r\n"))).unwrap();
    let (code, _, err) = check(dir.path(), &["--fix"]);
    assert_eq!(code, 0, "{err}");
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.starts_with('\u{feff}'));
    assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count());
    assert!(fixed.contains("\"print(1)  # 1\""), "{fixed}");
}

#[test]
fn a_hash_in_a_markdown_cells_code_block_opens_no_question() {
    let dir = tempfile::tempdir().unwrap();
    notebook_of(
        &dir.path().join("nb.ipynb"),
        serde_json::json!([
            {"cell_type": "markdown", "source": ["  # Setup\n", "```bash\n", "# in a terminal\n", "```"]},
            {"cell_type": "code", "source": ["print(1)  # 1"]},
        ]),
    );
    let (_, report, err) = check(dir.path(), &[]);
    let titles: Vec<&str> = report["questions"]
        .as_array()
        .unwrap_or_else(|| panic!("{err}"))
        .iter()
        .map(|q| q["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Setup"]);
}

#[test]
fn fix_never_writes_what_only_plain_python_lacked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    notebook_of(
        &path,
        serde_json::json!([
            {"cell_type": "markdown", "source": ["# Q"]},
            // %time ran the assignment in Jupyter: r is unknown here, the cell untouched
            {"cell_type": "code", "source": ["%time r = sum(range(10))\n", "print(r)  # 45"],
             "outputs": [stdout(&["CPU times: 1 us\n", "45\n"])]},
            // display() is IPython's
            {"cell_type": "code", "source": ["display(3)"],
             "outputs": [{"data": {"text/plain": ["3"]}, "metadata": {}, "output_type": "display_data"}]},
            // a module of the author's machine
            {"cell_type": "code", "source": ["import zzqq_not_installed\n", "print(zzqq_not_installed.x)"],
             "outputs": [stdout(&["1\n"])]},
        ]),
    );
    let before = std::fs::read_to_string(&path).unwrap();
    let (code, report, err) = check(dir.path(), &["--fix"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before, "{err}");
    // what depends on the IPython line or the missing module could not be checked
    let messages: Vec<(String, String)> = report["questions"][0]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["claims"].as_array().unwrap())
        .map(|c| {
            let m = c["message"].as_str().unwrap_or("").to_string();
            (c["verdict"].as_str().unwrap().to_string(), m)
        })
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    for (verdict, message) in &messages {
        assert_eq!(verdict, "not-reached", "{messages:?}");
        assert!(message.starts_with("could not check: "), "{messages:?}");
    }
    assert!(messages[0].1.contains("IPython syntax"), "{messages:?}");
    assert!(messages[2].1.contains("zzqq_not_installed"), "{messages:?}");
}

#[test]
fn a_saved_error_is_found_on_any_statement_of_a_run_of_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let error = serde_json::json!({"ename": "IndexError", "evalue": "list index out of range",
        "output_type": "error", "traceback": []});
    notebook_of(
        &dir.path().join("nb.ipynb"),
        serde_json::json!([
            {"cell_type": "markdown", "source": ["# Q"]},
            // plain statements run as one: the second raises
            {"cell_type": "code", "source": ["x = [1]\n", "y = 2\n", "x[5]\n", "z = 3"],
             "outputs": [error]},
        ]),
    );
    let (code, report, err) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert_eq!(report["summary"]["pass"], 1);
}

#[test]
fn a_notebook_of_another_language_is_not_run_as_python() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    notebook_of(
        &path,
        serde_json::json!([
            {"cell_type": "markdown", "source": ["# Q"]},
            {"cell_type": "code", "source": ["x <- c(1, 2)\n", "print(x)  # 1 2"]},
        ]),
    );
    let mut nb: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    nb["metadata"] = serde_json::json!({"kernelspec": {"display_name": "R", "language": "R", "name": "ir"},
                                        "language_info": {"name": "R"}});
    std::fs::write(&path, serde_json::to_string_pretty(&nb).unwrap()).unwrap();
    let (code, report, err) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    let ex = &report["questions"][0]["examples"][0];
    assert_eq!(ex["status"], "skipped");
    assert_eq!(
        ex["skip_reason"],
        "the notebook's kernel runs R, not Python"
    );
    // a Python kernel's notebook runs as before
    nb["metadata"] = serde_json::json!({"kernelspec": {"language": "python", "name": "python3"}});
    std::fs::write(&path, serde_json::to_string_pretty(&nb).unwrap()).unwrap();
    let (_, report, _) = check(dir.path(), &[]);
    assert_ne!(report["questions"][0]["examples"][0]["status"], "skipped");
}

#[test]
fn a_line_nbformat_split_at_a_form_feed_is_one_line_of_code() {
    let dir = tempfile::tempdir().unwrap();
    notebook_of(
        &dir.path().join("nb.ipynb"),
        serde_json::json!([
            {"cell_type": "markdown", "source": ["# Q"]},
            // Python's splitlines, which nbformat uses, ends a line at the form feed
            {"cell_type": "code", "source": ["t = \"c\u{c}", "d\"\n", "print(len(t))  # 3"]},
        ]),
    );
    let (code, report, err) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    let found = claims(&report);
    assert_eq!(found.len(), 1);
    // the claim is still named at its own file line
    let text = std::fs::read_to_string(dir.path().join("nb.ipynb")).unwrap();
    let line = text.lines().nth(found[0].line as usize - 1).unwrap();
    assert!(line.contains("print(len(t))  # 3"), "{line}");
}
