//! `--format junit`: JUnit XML, which CI systems show as test results. A testsuite per
//! guide, a testcase per question; a question's false claims are its failure, with
//! each claim's diff in the failure text, and an example error is an error; a claim
//! not checked for a reason the report gives is said in the test case's system-out.

use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};

use super::{problem_text, Cells, QuestionReport, Report, Status};

pub fn render(report: &Report, strict: bool) -> String {
    render_all(std::slice::from_ref(report), strict)
}

/// One document for the reports of a run; under several interpreters each suite's
/// name says which (`guide.md [CPython 3.13.0]`).
pub fn render_all(reports: &[Report], strict: bool) -> String {
    let mut junit = Junit::new("snipcheck");
    for report in reports {
        let label = (reports.len() > 1).then(|| {
            format!(
                " [{} {}]",
                report.python.implementation, report.python.version
            )
        });
        let mut suites: Vec<TestSuite> = vec![];
        let mut current = None;
        for q in &report.questions {
            if current.as_deref() != Some(q.file.as_str()) {
                current = Some(q.file.clone());
                let name = format!("{}{}", q.file, label.as_deref().unwrap_or(""));
                suites.push(TestSuite::new(name));
            }
            let suite = suites.last_mut().expect("pushed above");
            suite.add_test_case(test_case(q, &report.cells, strict));
        }
        junit.add_test_suites(suites);
    }
    junit
        .to_string()
        .expect("a JUnit report of strings always serializes")
}

fn test_case(q: &QuestionReport, cells: &Cells, strict: bool) -> TestCase {
    let claims: Vec<_> = q.examples.iter().flat_map(|e| &e.claims).collect();
    let failing: Vec<_> = claims.iter().filter(|c| c.fails(strict)).collect();
    let errors: Vec<_> = q
        .examples
        .iter()
        .filter(|e| !e.errors_known)
        .flat_map(|e| e.errors().map(move |err| (e, err)))
        .collect();
    let status = match q.status {
        Status::Passed => TestCaseStatus::success(),
        Status::Skipped | Status::NoCode => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(if q.status == Status::NoCode {
                "no code"
            } else {
                "skipped by the guide"
            });
            s
        }
        Status::Error | Status::Failed => {
            let kind = if errors.is_empty() {
                NonSuccessKind::Failure
            } else {
                NonSuccessKind::Error
            };
            let mut s = TestCaseStatus::non_success(kind);
            let mut text: Vec<String> = errors
                .iter()
                .map(|(ex, e)| {
                    let at = cells.at(&ex.file, e.line.unwrap_or(ex.line));
                    match &e.traceback {
                        Some(tb) => format!("{at}: {}\n{tb}", e.display()),
                        None => format!("{at}: {}", e.display()),
                    }
                })
                .collect();
            text.extend(
                failing
                    .iter()
                    .map(|c| format!("{}\n{}", cells.at(&c.file, c.line), problem_text(c))),
            );
            let message = match (errors.first(), failing.len()) {
                (Some((_, e)), _) => e.display(),
                (None, n) => format!("{n} of {} claims wrong", claims.len()),
            };
            s.set_message(message);
            s.set_description(text.join("\n\n"));
            s
        }
    };
    // a numbered question is known by its number; an id made from the title adds nothing
    let name = if q.id.chars().all(|c| c.is_ascii_digit() || c == '.') {
        format!("{} {}", q.id, q.title)
    } else {
        q.title.clone()
    };
    let mut case = TestCase::new(name, status);
    let unchecked: Vec<String> = claims
        .iter()
        .filter(|c| c.unchecked_with_reason(strict))
        .map(|c| {
            format!(
                "{}: not checked\n{}",
                cells.at(&c.file, c.line),
                problem_text(c)
            )
        })
        .collect();
    if !unchecked.is_empty() {
        case.set_system_out(unchecked.join("\n\n"));
    }
    case.set_classname(format!("{}:{}", q.file, q.line));
    case.set_assertions(claims.len());
    case
}
