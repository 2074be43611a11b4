//! Issue 18: guides nobody here wrote. Each section of `trust-round-2.md` is one habit
//! of real guides; the true claims pass or are left alone, explanations are not
//! reported, and its false claims are still caught.

mod common;

use common::{claims, fixture, run, Claim};
use serde_json::Value;

fn message(report: &Value, line: u64) -> String {
    common::claim_at(report, line)["message"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn claims_as_real_guides_write_them() {
    let (code, report, _) = run(&["check", &fixture("trust-round-2.md"), "--format", "json"]);
    assert_eq!(code, 1, "the false claims fail the run");
    assert_eq!(
        claims(&report),
        vec![
            // 1. read after the failed line 10: a stale list, not a false claim
            Claim::new(11, "output", "not-reached", None),
            Claim::new(12, "output", "not-reached", None),
            // 2. free text: two explanations, and one claim like its output, false
            Claim::new(20, "output", "unverified", None),
            Claim::new(21, "output", "unverified", None),
            Claim::new(22, "output", "mismatch", None),
            // 3. as authors write them
            Claim::new(31, "output", "pass", Some("unordered")),
            Claim::new(32, "output", "pass", Some("annotation")),
            Claim::new(33, "output", "pass", Some("annotation")),
            Claim::new(35, "output", "pass", Some("whitespace")),
            Claim::new(36, "output", "pass", Some("whitespace")),
            Claim::new(43, "output", "pass", Some("first-line")),
            Claim::new(44, "output", "pass", Some("masked")),
            Claim::new(45, "output", "mismatch", None),
            // 4. the clock, followed through a name, and the interpreter
            Claim::new(54, "output", "illustrative", None),
            Claim::new(55, "output", "illustrative", None),
            // 5. could not check
            Claim::new(62, "output", "not-reached", None),
            Claim::new(67, "output", "not-reached", None),
            // 6. a Python 2 repr is false though its address differs; a repr written
            // without its address only illustrates
            Claim::new(76, "output", "mismatch", None),
            Claim::new(80, "output", "illustrative", None),
        ]
    );
    assert!(message(&report, 11).contains("line 10 failed"));
    assert!(message(&report, 62)
        .starts_with("could not check: this line needs the file 'report-from-the-author.txt'"));
    assert!(message(&report, 67)
        .starts_with("could not check: line 66 needs the module 'module_only_the_author_has'"));
}
