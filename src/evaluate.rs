//! Running the questions of read guides and judging their claims into a report.

use std::time::Instant;

use anyhow::Result;

use crate::app::Settings;
use crate::claims::{self, Candidate, Observed};
use crate::judge::{self, Judgement, Verdict};
use crate::model::{Example, Guide, Question};
use crate::python::worker::{self, ExampleRequest, ExampleRun, QuestionRequest, QuestionRun};
use crate::python::Interpreter;
use crate::report::{
    example_status, question_status, ClaimReport, ExampleReport, QuestionReport, Report, Status,
    WarningReport,
};

/// A question made ready to run: its examples' candidates and its request.
struct Plan<'a> {
    file: &'a str,
    question: &'a Question,
    candidates: Vec<Vec<Candidate>>,
    request: Option<usize>,
}

/// Runs every question of the guides and judges every claim.
pub fn evaluate(
    guides: &[Guide],
    settings: &Settings,
    python: &Interpreter,
    started: Instant,
) -> Result<Report> {
    let mut plans = vec![];
    let mut requests = vec![];
    for g in guides {
        for q in &g.questions {
            let mut candidates: Vec<Vec<Candidate>> = vec![];
            let mut runnable: Vec<ExampleRequest> = vec![];
            for ex in &q.examples {
                let code = ex.source();
                let found = claims::candidates(ex, &python.comments(&code, ex.line), python);
                if ex.skip.is_none() {
                    runnable.push(ExampleRequest {
                        line: ex.line,
                        code,
                        expect_raise: claims::expect_raise(&found),
                        prompts: ex.prompts.clone(),
                    });
                }
                candidates.push(found);
            }
            let request = (!runnable.is_empty()).then(|| {
                requests.push(QuestionRequest {
                    id: requests.len(),
                    file: g.file.clone(),
                    timeout: settings.timeout,
                    output_cap: settings.output_cap,
                    memory: settings.memory,
                    examples: runnable,
                });
                requests.len() - 1
            });
            plans.push(Plan {
                file: &g.file,
                question: q,
                candidates,
                request,
            });
        }
    }
    let (info, runs) = if requests.is_empty() {
        (worker::probe(&settings.mode)?, vec![])
    } else {
        worker::run_all(&settings.mode, settings.jobs, &requests)?
    };
    let questions = plans
        .iter()
        .map(|plan| question_report(plan, plan.request.map(|i| &runs[i]), settings, python))
        .collect();
    let warnings = guides
        .iter()
        .flat_map(|g| {
            g.warnings.iter().map(|w| WarningReport {
                file: g.file.clone(),
                line: w.line,
                message: w.message.clone(),
            })
        })
        .collect();
    Ok(Report::new(
        info,
        questions,
        warnings,
        started.elapsed().as_secs_f64(),
    ))
}

fn question_report(
    plan: &Plan,
    run: Option<&QuestionRun>,
    settings: &Settings,
    python: &Interpreter,
) -> QuestionReport {
    let q = plan.question;
    let lines = run.map(|r| r.line_output()).unwrap_or_default();
    let mut runs = run.map(|r| r.examples.iter()).into_iter().flatten();
    let not_run = ExampleRun::default();
    let examples: Vec<ExampleReport> = q
        .examples
        .iter()
        .zip(&plan.candidates)
        .map(|(ex, cands)| {
            if let Some(reason) = &ex.skip {
                return ExampleReport {
                    file: plan.file.to_string(),
                    line: ex.line,
                    end_line: ex.end_line,
                    status: Status::Skipped,
                    error: None,
                    more_errors: vec![],
                    skip_reason: Some(reason.clone()),
                    claims: vec![],
                };
            }
            let exrun = runs.next().unwrap_or(&not_run);
            let seen = Observed {
                run: exrun,
                lines: &lines,
            };
            let found = claims::resolve(ex, cands, &seen, python);
            let unclaimed = if settings.strict {
                claims::unclaimed_output(ex, &found, &seen)
            } else {
                vec![]
            };
            let mut claims: Vec<ClaimReport> = found
                .into_iter()
                .map(|c| claim_report(plan.file, ex, c, settings, python))
                .collect();
            claims.extend(
                unclaimed
                    .into_iter()
                    .map(|(line, text)| unclaimed_report(plan.file, ex, line, &text)),
            );
            claims.sort_by_key(|c| c.line);
            ExampleReport {
                file: plan.file.to_string(),
                line: ex.line,
                end_line: ex.end_line,
                status: example_status(exrun.error.as_ref(), &claims, settings.strict),
                error: exrun.error.clone(),
                more_errors: exrun
                    .observed
                    .iter()
                    .filter_map(|o| o.error.clone())
                    .filter(|e| Some(e) != exrun.error.as_ref())
                    .collect(),
                skip_reason: None,
                claims,
            }
        })
        .collect();
    QuestionReport {
        file: plan.file.to_string(),
        line: q.line,
        id: q.id.clone(),
        title: q.title.clone(),
        status: question_status(&examples),
        examples,
        output_cut: run.is_some_and(|r| r.cut),
    }
}

fn claim_report(
    file: &str,
    ex: &Example,
    c: claims::Claim,
    settings: &Settings,
    python: &Interpreter,
) -> ClaimReport {
    let statement_source = c.statement.and_then(|l| ex.code_line(l)).unwrap_or("");
    let (j, actual) = judge::judge_claim(
        &c.text,
        &c.against,
        statement_source,
        &settings.judge,
        python,
    );
    claim_report_from(file, ex, c, j, actual)
}

fn claim_report_from(
    file: &str,
    ex: &Example,
    c: claims::Claim,
    j: Judgement,
    actual: Option<String>,
) -> ClaimReport {
    let source = ex.raw_line(c.line).unwrap_or_default().to_string();
    ClaimReport {
        file: file.to_string(),
        line: c.line,
        kind: c.kind,
        text: c.text,
        expected: j.expected,
        actual,
        verdict: j.verdict,
        rule: j.rule,
        message: j.message,
        notes: j.notes,
        source,
    }
}

/// Under `--strict`, a statement that printed with no claim about it.
fn unclaimed_report(file: &str, ex: &Example, line: usize, printed: &str) -> ClaimReport {
    ClaimReport {
        file: file.to_string(),
        line,
        kind: claims::Kind::Output,
        text: String::new(),
        expected: String::new(),
        actual: Some(judge::normalize(printed)),
        verdict: Verdict::Unverified,
        rule: None,
        message: Some("prints output that no comment claims (--strict)".into()),
        notes: vec![],
        source: ex.raw_line(line).unwrap_or_default().to_string(),
    }
}
