//! The binary on fixture guides this project owns: verdicts, lines, statuses, exits.

mod common;

use common::{claims, example, failing, fixture, run, run_in, Claim};

#[test]
fn text_guide_claims_and_prose() {
    let (code, report, _) = run(&["check", &fixture("sheet.txt"), "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["questions"], 3);
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(10, "output", "pass", Some("exact")),
            Claim::new(11, "output", "pass", Some("annotation")),
            Claim::new(22, "state", "mismatch", None),
            Claim::new(25, "output", "pass", Some("exact")),
        ]
    );
    // the example starts at its leading comment line, under a bullet line
    assert_eq!(example(&report, 20)["status"], "failed");
    let q2 = &report["questions"][1];
    assert_eq!(
        (q2["id"].as_str(), q2["status"].as_str()),
        (Some("2"), Some("no-code"))
    );
}

#[test]
fn markdown_claims_of_every_kind() {
    let (code, report, _) = run(&["check", &fixture("claims.md"), "--format", "json"]);
    assert_eq!(code, 1);
    let got = claims(&report);
    let want = vec![
        Claim::new(9, "output", "pass", Some("exact")),
        Claim::new(10, "value", "pass", Some("exact")),
        Claim::new(12, "state", "pass", Some("exact")),
        Claim::new(13, "state", "pass", Some("exact")),
        Claim::new(15, "output", "pass", Some("exact")),
        Claim::new(21, "output", "mismatch", None),
        Claim::new(22, "output", "mismatch", Some("approximate")),
        Claim::new(30, "output-block", "pass", Some("exact")),
        Claim::new(33, "exception", "pass", Some("exception")),
        Claim::new(34, "output", "pass", Some("exact")),
        // the line that raised is compared with its exception; the example goes on
        Claim::new(41, "output", "mismatch", None),
        Claim::new(42, "output", "pass", Some("exact")),
        Claim::new(49, "repl", "pass", Some("exact")),
        Claim::new(51, "repl", "mismatch", None),
    ];
    assert_eq!(got, want);
    let error = &example(&report, 40)["error"];
    assert_eq!(error["type"], "KeyError");
    assert_eq!(error["line"], 41);
    assert!(
        error["traceback"].as_str().unwrap().contains("line 41"),
        "traceback names the guide line"
    );
    assert_eq!(example(&report, 56)["status"], "skipped");
}

#[test]
fn html_guide_reads_like_a_browser() {
    let (code, report, _) = run(&["check", &fixture("page.html"), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(8, "output", "pass", Some("exact")),
            Claim::new(14, "output", "pass", Some("exact"))
        ]
    );
    assert_eq!(
        report["summary"]["examples"], 2,
        "bash blocks and scripts are not examples"
    );
}

#[test]
fn passing_guide_exits_zero() {
    let (code, report, _) = run(&["check", &fixture("passing.md"), "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(report["python"]["mode"], "embedded");
    assert_eq!(report["questions"][0]["status"], "passed");
}

#[test]
fn human_report_shows_the_diff_and_no_colour_off_a_terminal() {
    let (mut cmd, _cache) = common::snipcheck();
    let out = cmd.args(["check", &fixture("sheet.txt")]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("sheet.txt:22"), "{text}");
    assert!(
        text.contains("- [0, 1, 5]") && text.contains("+ [0, 1, 4]"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "plain unless colour is wanted");
    let (mut cmd, _cache) = common::snipcheck();
    let coloured = cmd
        .args(["check", &fixture("sheet.txt"), "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8(coloured.stdout)
        .unwrap()
        .contains("\x1b[31m"));
}

#[test]
fn version_names_the_embedded_python() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_snipcheck"))
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("snipcheck ") && text.contains("CPython 3."),
        "{text}"
    );
}

#[test]
fn tolerance_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("t.md");
    std::fs::write(&guide, "```python\nprint(110)  # ~100\n```\n").unwrap();
    let (loose, _, _) = run(&["check", guide.to_str().unwrap()]);
    let (tight, report, _) = run(&[
        "check",
        guide.to_str().unwrap(),
        "--tolerance",
        "5%",
        "--format",
        "json",
    ]);
    assert_eq!((loose, tight), (0, 1));
    assert_eq!(
        report["questions"][0]["examples"][0]["claims"][0]["message"],
        "110 is outside ~100 ± 5% (95 to 105)"
    );
}

#[test]
fn bundled_guide_is_the_default() {
    let (code, report, _) = run_in(env!("CARGO_MANIFEST_DIR"), &["check", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        failing(&report),
        vec![Claim::new(93, "output", "mismatch", Some("approximate"))]
    );
}

#[test]
fn sessions_compile_per_prompt_and_values_read_as_a_reader_writes_them() {
    let (code, report, _) = run(&["check", &fixture("sessions.md"), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(9, "exception", "pass", Some("exception")), // SyntaxError shown by a session
            Claim::new(14, "repl", "pass", Some("exact")),
            Claim::new(18, "repl", "pass", Some("exact")), // a block echoes its values
            Claim::new(25, "exception", "pass", Some("exception")), // traceback as comments
            Claim::new(31, "output", "pass", Some("exact")), // under a `...` line
            Claim::new(40, "value", "pass", Some("quotes")),
            Claim::new(41, "value", "pass", Some("masked")),
            Claim::new(42, "value", "pass", Some("exact")),
            Claim::new(43, "value", "pass", Some("exact")),
            Claim::new(44, "value", "pass", Some("annotation")),
            Claim::new(45, "value", "unverified", None),
            Claim::new(46, "value", "unverified", None),
            Claim::new(48, "value", "illustrative", None),
        ]
    );
}

#[test]
fn strict_fails_prose_that_does_not_match_and_prints_with_no_claim() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("s.md");
    std::fs::write(
        &guide,
        "```python\nprint('ready')  # The program prints a greeting and goes on\nprint('x')\nprint(1 + 1)  # 3  # snipcheck: ignore\n```\n",
    )
    .unwrap();
    let path = guide.to_str().unwrap();
    let (lenient, report, _) = run(&["check", path, "--format", "json"]);
    assert_eq!(lenient, 0);
    assert_eq!(
        claims(&report),
        vec![Claim::new(2, "output", "unverified", None)]
    );
    let (strict, report, _) = run(&["check", path, "--format", "json", "--strict"]);
    assert_eq!(strict, 1);
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(2, "output", "unverified", None),
            Claim::new(3, "output", "unverified", None)
        ]
    );
}

#[test]
fn defaults_come_from_snipcheck_toml_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.md"),
        "```python\nprint(110)  # ~100\n```\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("snipcheck.toml"), "tolerance = \"5%\"\n").unwrap();
    let d = dir.path().to_str().unwrap();
    let (tight, _, _) = common::run_in(d, &["check", "t.md"]);
    let (loose, _, _) = common::run_in(d, &["check", "t.md", "--tolerance", "25%"]);
    assert_eq!((tight, loose), (1, 0));
    std::fs::write(dir.path().join("snipcheck.toml"), "tolerence = 1\n").unwrap();
    let (code, _, err) = common::run_in(d, &["check", "t.md"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("snipcheck.toml: unknown setting `tolerence`"),
        "{err}"
    );
}

#[test]
fn output_blocks_keep_blank_and_indented_first_lines() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("b.md");
    let text = "```python\nprint()\nprint('  a')\n# Output:\n#\n#   a\nprint('  b')\n# Output:\n#   c\n```\n";
    std::fs::write(&guide, text).unwrap();
    let (code, report, _) = run(&["check", guide.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(4, "output-block", "pass", Some("exact")),
            Claim::new(8, "output-block", "mismatch", None)
        ]
    );
}

#[test]
fn a_session_of_one_prompt_is_still_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("one.md");
    let text = "## 1. Error\n\n```pycon\n>>> x +* 2\n  File \"<stdin>\", line 1\n    x +* 2\n       ^\nSyntaxError: invalid syntax\n```\n\n\
                ## 2. Echo\n\n```pycon\n>>> for i in range(1, 2):\n...     i * 7\n...\n7\n```\n";
    std::fs::write(&guide, text).unwrap();
    let (code, report, _) = run(&["check", guide.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(5, "exception", "pass", Some("exception")),
            Claim::new(17, "repl", "pass", Some("exact"))
        ]
    );
}

/// CLAIMS.md section 4: after an exception nobody claimed the example goes on; what
/// needed the failed line is not reached and names it; the line that raised is
/// compared with its exception; each independent error is reported once.
#[test]
fn an_unclaimed_error_does_not_hide_the_rest() {
    let (code, report, _) = run(&["check", &fixture("run-all.md"), "--format", "json"]);
    assert_eq!(code, 1);
    let by_line = |line: u64| common::claim_at(&report, line);
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(8, "output", "not-reached", None),
            Claim::new(9, "output", "pass", Some("exact")),
            Claim::new(11, "output", "pass", Some("exact")),
            Claim::new(19, "output", "not-reached", None),
            Claim::new(20, "output", "pass", Some("exact")),
            Claim::new(27, "output", "mismatch", None),
            // line 28's comment explains: not a claim, even though the line raised
            Claim::new(29, "output", "mismatch", None),
            Claim::new(35, "exception", "pass", Some("exception")),
            Claim::new(36, "exception", "pass", Some("exception")),
            Claim::new(37, "exception", "illustrative", None),
            Claim::new(42, "exception", "pass", Some("exception")),
            Claim::new(50, "value", "mismatch", None),
            Claim::new(52, "value", "pass", Some("exact")),
            // an error no statement holds alone (a global declaration after the
            // name's use, a late __future__ import): nothing of the example runs
            Claim::new(65, "output", "not-reached", None),
            Claim::new(71, "output", "not-reached", None),
        ]
    );
    // a claim blocked through a chain of failed lines names the first of them
    assert!(by_line(8)["message"].as_str().unwrap().contains("line 6"));
    assert!(by_line(19)["message"].as_str().unwrap().contains("line 17"));
    assert_eq!(by_line(27)["actual"], "KeyError: 'missing'");
    let ex = example(&report, 26);
    assert_eq!(
        (ex["error"]["type"].as_str(), ex["error"]["line"].as_u64()),
        (Some("KeyError"), Some(27))
    );
    let more = ex["more_errors"].as_array().unwrap();
    assert_eq!(more.len(), 1, "{more:?}");
    assert_eq!(
        (more[0]["type"].as_str(), more[0]["line"].as_u64()),
        (Some("IndexError"), Some(28))
    );
    assert_eq!(example(&report, 6)["error"]["type"], "ModuleNotFoundError");
    // pseudo-code: one error for the block, its explanations are no claims
    let pseudo = example(&report, 58);
    assert_eq!(pseudo["error"]["type"], "SyntaxError");
    assert!(pseudo["claims"].as_array().unwrap().is_empty(), "{pseudo}");
    assert_eq!(example(&report, 17)["error"]["type"], "EOFError");
}

/// Runs of plain statements are compiled and run as one (DESIGN.md, "Why, in numbers"),
/// and each is still observed as if it ran alone: the one that raised, by its line,
/// with the statements after it run; output, with the statement that wrote it;
/// SystemExit, where it happened.
#[test]
fn statements_run_together_are_observed_one_by_one() {
    let fixture = fixture("together.md");
    let (code, report, _) = run(&["check", &fixture, "--format", "json", "--strict"]);
    assert_eq!(code, 1);
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(14, "output", "pass", Some("exact")),
            Claim::new(15, "output", "not-reached", None),
            Claim::new(36, "output-block", "pass", Some("exact")),
            // --strict: each print with the statement of the run that wrote it
            Claim::new(52, "output", "unverified", None),
            Claim::new(54, "output", "unverified", None),
            Claim::new(71, "output", "not-reached", None),
        ]
    );
    let error = |line: u64| {
        let e = &example(&report, line)["error"];
        (e["type"].as_str().map(str::to_string), e["line"].as_u64())
    };
    assert_eq!(error(9), (Some("KeyError".into()), Some(11)));
    assert_eq!(error(61), (Some("SystemExit".into()), Some(69)));
    let printed = |line: u64| {
        let c = example(&report, 44)["claims"].as_array().unwrap().iter();
        c.clone().find(|c| c["line"] == line).unwrap()["actual"].clone()
    };
    assert_eq!(
        (printed(52), printed(54)),
        ("reading size".into(), "reading shape".into())
    );
}

/// A run of plain statements that never ends is reported at its first statement (its
/// statements have no observation of their own), naming the run's lines, never at a
/// statement after it.
#[test]
fn a_run_of_statements_that_hangs_is_reported_where_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("hang.md");
    let text = "```python\nclass Slow:\n    @property\n    def forever(self):\n        while True:\n            pass\n\n\n\
                slow = Slow()\nready = 1\nstuck = slow.forever\nnever = 2\nprint(never)  # 2\n```\n";
    std::fs::write(&guide, text).unwrap();
    let path = guide.to_str().unwrap();
    let (code, report, _) = run(&["check", path, "--format", "json", "--timeout", "0.5"]);
    assert_eq!(code, 1, "{report}");
    let e = &example(&report, 2)["error"];
    assert_eq!(
        (e["type"].as_str(), e["line"].as_u64()),
        (Some("Timeout"), Some(10))
    );
    assert_eq!(
        e["message"],
        "did not finish within 0.5 s, in lines 10-12 (statements run as one)"
    );
    assert_eq!(
        claims(&report),
        vec![Claim::new(13, "output", "not-reached", None)]
    );
}

/// Tracebacks and `inspect` read an example's lines at their guide lines, however far
/// into the guide the example is (linecache holds the question's lines only).
#[test]
fn tracebacks_and_inspect_see_the_guides_lines() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("late.md");
    let mut text: String = (1..=30)
        .map(|i| format!("## {i}. Filler\n\n```python\nx = {i}\n```\n\n"))
        .collect();
    text.push_str(
        "## 31. Late\n\n```python\nimport inspect\n\ndef double(n):\n    return n * 2\n\n\
         print(inspect.getsource(double))\n# Output:\n# def double(n):\n#     return n * 2\n\n\
         def fail():\n    return {}[\"k\"]\n\nfail()\n```\n",
    );
    std::fs::write(&guide, &text).unwrap();
    let (code, report, _) = run(&["check", guide.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{report}");
    let late = text.lines().position(|l| l == "import inspect").unwrap() as u64 + 1;
    assert_eq!(
        claims(&report),
        vec![Claim::new(late + 6, "output-block", "pass", Some("exact"))]
    );
    let error = &example(&report, late)["error"];
    assert_eq!(error["line"], late + 13);
    let traceback = error["traceback"].as_str().unwrap();
    assert!(
        traceback.contains(&format!(
            "line {}, in fail\n    return {{}}[\"k\"]",
            late + 11
        )),
        "{traceback}"
    );
}

/// A text guide's decorator line belongs to the example: the function runs decorated.
#[test]
fn text_guide_keeps_decorator_lines() {
    let (code, report, _) = run(&["check", &fixture("decorated.txt"), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(example(&report, 7)["line"], 7);
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(13, "output", "pass", Some("exact")),
            Claim::new(14, "output", "pass", Some("exact")),
        ]
    );
}

/// Commented-out code is not a claim; a value under a statement that produced nothing
/// explains it; type names, remarks and derivations read as people write them.
#[test]
fn claims_written_the_way_people_write_them() {
    let (code, report, _) = run(&["check", &fixture("written-forms.md"), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(9, "output", "pass", Some("type-name")),
            Claim::new(10, "output", "pass", Some("annotation")),
            Claim::new(11, "output", "pass", Some("annotation")),
            Claim::new(12, "output", "pass", Some("annotation")),
            Claim::new(13, "output", "pass", Some("annotation")),
            Claim::new(14, "exception", "pass", Some("exception")),
        ]
    );
}

/// Issue 7.5 and 7.7: a question that fails on a name an earlier question binds runs
/// again after it (and says so); `--shared-namespace` makes the guide one namespace;
/// a mismatch that changes with the seed, or that comes from the clock, is
/// illustrative, and a real mistake beside it still fails.
#[test]
fn state_from_earlier_questions_and_chance() {
    let guide = fixture("tutorial-state.md");
    let (code, report, _) = run(&["check", &guide, "--format", "json"]);
    assert_eq!(code, 1);
    let question = |line: u64| {
        report["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["line"] == line)
            .unwrap()
            .clone()
    };
    assert_eq!(
        question(19)["ran_after"],
        serde_json::json!(["defining-a-user"])
    );
    assert!(
        question(25)["ran_after"].is_null(),
        "isolation stays the default"
    );
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(22, "output", "pass", Some("exact")),
            Claim::new(28, "output", "pass", Some("exact")),
            Claim::new(35, "output", "illustrative", None),
            Claim::new(36, "output", "mismatch", None),
            Claim::new(43, "output", "pass", Some("exact")),
            Claim::new(44, "output", "illustrative", None),
        ]
    );
    let (_, shared, _) = run(&["check", &guide, "--shared-namespace", "--format", "json"]);
    let line22 = claims(&shared).into_iter().find(|c| c.line == 22).unwrap();
    assert_eq!(
        line22.verdict, "mismatch",
        "the renaming section ran before it"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("snipcheck.toml"),
        "shared-namespace = true\n",
    )
    .unwrap();
    let (_, configured, _) = run_in(
        dir.path().to_str().unwrap(),
        &["check", &guide, "--format", "json"],
    );
    let line22 = claims(&configured)
        .into_iter()
        .find(|c| c.line == 22)
        .unwrap();
    assert_eq!(
        line22.verdict, "mismatch",
        "the config setting does the same"
    );
}

/// Issue 7.6: a session's expected output runs to the next prompt (blank lines
/// inside count), a comment after a prompt's code is a remark, IDLE sessions need no
/// `...`, and output pasted without `#` after a marker or behind `==>` is expected
/// output, not code.
#[test]
fn sessions_and_pasted_output_as_authors_write_them() {
    let (code, report, _) = run(&["check", &fixture("session-forms.md"), "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(7, "repl", "pass", Some("exact")),
            Claim::new(11, "repl", "pass", Some("exact")),
            Claim::new(21, "repl", "pass", Some("exact")),
            Claim::new(30, "output-block", "pass", Some("exact")),
            Claim::new(35, "value", "pass", Some("exact")),
            Claim::new(37, "value", "mismatch", None),
        ]
    );
    assert_eq!(example(&report, 28)["error"], serde_json::Value::Null);
}

/// Sessions as books print them: callouts and typeset minus signs are not code, `_`
/// is the last value shown, a statement may go on without `...` prompts, a prompt
/// that does not compile is an error there and the session goes on, `# ?` is an
/// exercise, a count beside a call that prints sentences explains, an old traceback
/// header still claims its exception, and a repr may be spread over lines.
#[test]
fn sessions_as_books_print_them() {
    let (code, report, _) = run(&["check", &fixture("book-sessions.md"), "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(7, "repl", "pass", Some("exact")),
            Claim::new(9, "repl", "pass", Some("exact")),
            Claim::new(11, "repl", "pass", Some("exact")),
            Claim::new(13, "repl", "pass", Some("exact")),
            Claim::new(24, "repl", "pass", Some("exact")),
            Claim::new(29, "repl", "pass", Some("exact")),
            Claim::new(37, "repl", "pass", Some("exact")),
            Claim::new(46, "output", "unverified", None),
            // the message changed since: a real difference
            Claim::new(53, "exception", "mismatch", Some("exception")),
            Claim::new(63, "repl", "pass", Some("masked")),
        ]
    );
    let ex = example(&report, 35);
    assert_eq!(
        (ex["error"]["type"].as_str(), ex["error"]["line"].as_u64()),
        (Some("SyntaxError"), Some(35))
    );
}

#[test]
fn a_hook_may_pass_guides_without_examples() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("notes.md");
    std::fs::write(&guide, "# Notes\n\nNo Python here.\n").unwrap();
    let g = guide.to_str().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, _, err) = common::run_with(d, &["check", g], &[]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
    let (code, _, err) = common::run_with(d, &["check", g, "--allow-no-examples"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("nothing to check"), "{err}");
}
