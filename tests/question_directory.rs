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
