//! Every question of a worker runs in the same directory path (issue 11: making a
//! directory per question cost the filesystem's journal): whatever a question leaves
//! there, the next one starts in an empty directory of its own, and its temporary files
//! (TMPDIR, which the worker sets once for all its questions) go there.

mod common;

use common::{claims, fixture, run, Claim};

#[test]
fn each_question_starts_in_an_empty_private_directory() {
    let guide = fixture("attacks/question-directory.md");
    let (code, report, stderr) = run(&["check", &guide, "--format", "json", "--jobs", "1"]);
    assert_eq!(code, 0, "{stderr}\n{report}");
    let passed: Vec<u64> = claims(&report)
        .into_iter()
        .filter(|c: &Claim| c.verdict == "pass")
        .map(|c| c.line)
        .collect();
    assert_eq!(passed, vec![13, 20, 28, 30, 41, 42, 50, 52], "{report}");
}

/// Issue 19, class 4: a question's directory has a parent of its own, so what it writes
/// beside its directory (`../counter.txt`) is seen by no other question, nor by the next
/// run; two levels up, the worker's scratch directory, it may not write at all.
#[test]
fn no_question_sees_what_another_wrote_beside_its_directory() {
    let guide = fixture("attacks/parent-directory.md");
    for run_number in 1..=2 {
        let (code, report, stderr) = run(&["check", &guide, "--format", "json", "--jobs", "1"]);
        assert_eq!(code, 0, "run {run_number}: {stderr}\n{report}");
        let passed: Vec<u64> = claims(&report)
            .into_iter()
            .filter(|c: &Claim| c.verdict == "pass")
            .map(|c| c.line)
            .collect();
        assert_eq!(passed, vec![12, 19, 29, 39], "run {run_number}: {report}");
    }
}
