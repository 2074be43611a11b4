//! With a core to spare, each question's process is forked while the question before
//! it runs (issue 11). The running question can find that process: stopping or
//! killing it costs the next question nothing.

mod common;

use common::{claims, fixture, run};

#[test]
fn a_question_cannot_harm_the_process_forked_for_the_next() {
    let guide = fixture("attacks/sibling.md");
    // a SIGKILL the question sends just before it ends can land after its worker has
    // handed the next question to the process it killed: one run in four met it
    // before the worker learned to run such a question again, so the race is run
    // ten times
    let runs = std::iter::repeat_n("1", 10).chain(["2"]);
    for jobs in runs {
        let (code, report, stderr) = run(&["check", &guide, "--format", "json", "--jobs", jobs]);
        assert_eq!(code, 0, "--jobs {jobs}: {stderr}\n{report}");
        let verdicts: Vec<(u64, String)> = claims(&report)
            .into_iter()
            .map(|c| (c.line, c.verdict))
            .collect();
        let pass = |line: u64| (line, "pass".to_string());
        assert_eq!(
            verdicts,
            vec![pass(16), pass(22), pass(34), pass(41)],
            "--jobs {jobs}: {report}"
        );
    }
}
