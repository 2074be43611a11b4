//! Running the questions of read guides and judging their claims into a report.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Result;

use crate::cache::{Ahead, Cache, GuideComments};
use crate::claims::{self, Candidate, Observed};
use crate::judge::{self, Judgement, Verdict};
use crate::model::{Example, Guide, Question};
use crate::python::worker::{
    self, Answer, ExampleRequest, ExampleRun, PythonInfo, QuestionRequest, QuestionRun,
};
use crate::python::Interpreter;
use crate::report::event::{Event, Reporter};
use crate::report::{
    example_status, question_status, Cells, ClaimReport, ExampleReport, QuestionReport, Report,
    Status, WarningReport,
};
use crate::settings::Settings;

/// A question made ready to run: its examples' candidates and its request.
struct Plan<'a> {
    file: &'a str,
    question: &'a Question,
    candidates: Vec<Vec<Candidate>>,
    request: Option<usize>,
    /// Ids of earlier questions it ran after, because it uses their names.
    ran_after: Vec<String>,
}

/// When to stop early: after this many failing questions (`-x` is 1).
pub type MaxFail = Option<usize>;

/// Runs every question of the guides and judges every claim: plan, run, run again
/// where a question needs an earlier one's names, judge, run again where a mismatch
/// may be chance, report. The reporter hears of each question as soon as it and every
/// question before it are judged.
pub fn evaluate(
    guides: &[Guide],
    settings: &Settings,
    python: &Interpreter,
    started: Instant,
    maxfail: MaxFail,
    reporter: &mut dyn Reporter,
) -> Result<Report> {
    crate::python::containment::adopt_orphans();
    // the workers' interpreters start while the claims are read; with the run cache
    // most questions may need none, so one starts early and the others when needed
    let with_code = guides
        .iter()
        .flat_map(|g| &g.questions)
        .filter(|q| !q.examples.is_empty())
        .count();
    let early = if settings.cache { 1 } else { with_code };
    crate::python::pool::start_early(&settings.mode, settings.jobs, early, 0, &settings.guard);
    let protections = settings.guard.describe();
    let cache = if settings.cache {
        Cache::open(&settings.guard, &protections)
    } else {
        None
    };
    let cache = cache.as_ref();
    let (mut plans, mut requests, comments) = plan(guides, settings, python, cache);
    // kept while the workers start, not before
    let saving = std::thread::spawn(move || comments.into_iter().for_each(GuideComments::save));
    let ahead = cache.and_then(|c| c.ahead(&settings.mode, 0, requests.len()));
    let warnings: Vec<WarningReport> = guides
        .iter()
        .flat_map(|g| {
            g.warnings.iter().map(|w| WarningReport {
                file: g.file.clone(),
                line: w.line,
                message: w.message.clone(),
            })
        })
        .collect();
    let cells = Cells::of(guides);
    let ids: Vec<&str> = plans.iter().map(|p| p.question.id.as_str()).collect();
    // the plan of each request: requests are made in plan order
    let owner: Vec<usize> = (0..plans.len())
        .filter(|&i| plans[i].request.is_some())
        .collect();
    let mut state = RunState {
        finals: plans
            .iter()
            .map(|p| {
                p.request
                    .is_none()
                    .then(|| question_report(p, None, settings, python))
            })
            .collect(),
        next: 0,
        failures: 0,
        info: None,
    };
    if requests.is_empty() {
        state.info = Some(worker::probe(
            &settings.mode,
            settings.jobs,
            &settings.guard,
        )?);
        let python_info = state.info.as_ref().expect("set above");
        reporter.event(&Event::RunStarted {
            python: python_info,
            protections: &protections,
            warnings: &warnings,
            cells: &cells,
            ids: &ids,
        })?;
    }
    let mut first_runs: Vec<QuestionRun> = vec![QuestionRun::default(); requests.len()];
    let mut cursor = 0;
    while cursor < requests.len() {
        let stop = AtomicBool::new(false);
        let mut pending: Vec<usize> = vec![];
        let batch = &requests[cursor..];
        let (send, answers) = std::sync::mpsc::channel();
        // failing questions so far, the ones waiting for a second run counted as
        // failing: judged on the runner's thread, so that the stop is set before that
        // thread takes its next question
        let counted = std::sync::Mutex::new(state.failures);
        let begun = std::thread::scope(|scope| -> Result<usize> {
            let (plans, owner, stop, counted) = (&plans, &owner, &stop, &counted);
            let ahead = ahead.as_ref();
            let runner = scope.spawn(move || {
                let on = move |a: Answer| {
                    let judged = match a {
                        Answer::Ready(info) => Judged::Ready(info),
                        Answer::Done(k, run) => {
                            let p = owner[cursor + k];
                            let mut q = question_report(&plans[p], Some(&run), settings, python);
                            known_findings(&mut q, settings);
                            let follow_up = !missing_names(&run).is_empty() || has_mismatch(&q);
                            let mut n = counted.lock().unwrap();
                            if follow_up || fails(&q) {
                                *n += 1;
                            }
                            if maxfail.is_some_and(|m| *n >= m) {
                                stop.store(true, Ordering::SeqCst);
                            }
                            Judged::Done(cursor + k, run, q, follow_up)
                        }
                    };
                    let _ = send.send(judged);
                };
                worker::run_streaming(
                    &settings.mode,
                    settings.jobs,
                    0,
                    &settings.guard,
                    batch,
                    stop,
                    &known(cache, 0, ahead),
                    &on,
                )
            });
            if let (Some(c), Some(a)) = (cache, ahead) {
                a.fill(c, batch); // while the first worker starts
            }
            for judged in answers {
                match judged {
                    Judged::Ready(info) => {
                        if state.info.is_none() {
                            if let Some(c) = cache {
                                c.remember(&settings.mode, &info, ahead);
                            }
                            let info = state.info.insert(info);
                            reporter.event(&Event::RunStarted {
                                python: info,
                                protections: &protections,
                                warnings: &warnings,
                                cells: &cells,
                                ids: &ids,
                            })?;
                        }
                    }
                    Judged::Done(r, run, q, follow_up) => {
                        let p = owner[r];
                        if let (Some(c), Some(info)) = (cache, &state.info) {
                            c.store(info, 0, &requests[r], &run);
                        }
                        first_runs[r] = run;
                        if follow_up {
                            pending.push(p);
                        } else {
                            state.finish(p, q, settings);
                            state.emit_ready(reporter)?;
                        }
                    }
                }
            }
            runner.join().expect("the runner thread does not panic")
        })?;
        cursor += begun;
        pending.sort_unstable();
        let mut reports = follow_up(
            &mut plans,
            &mut requests,
            &first_runs,
            &pending,
            settings,
            python,
            cache,
        )?;
        rerun_mismatches(&plans, &requests, &mut reports, settings, python, cache)?;
        for (p, q) in reports {
            state.finish(p, q, settings);
        }
        state.emit_ready(reporter)?;
        if maxfail.is_some_and(|m| state.failures >= m) {
            break;
        }
    }
    let not_run = requests.len() - cursor;
    let questions: Vec<QuestionReport> = state.finals.into_iter().map_while(|q| q).collect();
    let info = state.info.expect("the interpreter answered");
    let mut report = Report::new(info, questions, warnings, started.elapsed().as_secs_f64());
    report.protections = protections;
    report.not_run = not_run;
    if let Some(b) = &settings.baseline {
        report.baseline = Some(b.outcome(&report, settings.strict));
    }
    report.partition = settings.shard.clone();
    report.cells = cells;
    reporter.event(&Event::RunFinished { report: &report })?;
    let _ = saving.join();
    if let Some(c) = cache {
        c.prune_if_due();
    }
    Ok(report)
}

/// What the run cache knows of questions run by workers with this hash seed.
fn known<'a>(
    cache: Option<&'a Cache>,
    hash_seed: u32,
    ahead: Option<&'a Ahead>,
) -> impl Fn(&PythonInfo, &QuestionRequest) -> Option<QuestionRun> + Sync + 'a {
    move |info, req| cache?.lookup(info, hash_seed, req, ahead)
}

/// Runs every request (answers in request order), taking what the cache knows and
/// keeping what it did not.
fn run_all(
    settings: &Settings,
    hash_seed: u32,
    requests: &[QuestionRequest],
    cache: Option<&Cache>,
) -> Result<Vec<QuestionRun>> {
    let (info, runs) = worker::run_all(
        &settings.mode,
        settings.jobs,
        hash_seed,
        &settings.guard,
        requests,
        &known(cache, hash_seed, None),
    )?;
    if let Some(c) = cache {
        for (req, run) in requests.iter().zip(&runs) {
            c.store(&info, hash_seed, req, run);
        }
    }
    Ok(runs)
}

/// An answer of the runner, judged on the runner's thread.
enum Judged {
    Ready(PythonInfo),
    /// The request's index, its run, its report, and whether it needs a second run.
    Done(usize, QuestionRun, QuestionReport, bool),
}

fn fails(q: &QuestionReport) -> bool {
    matches!(q.status, Status::Failed | Status::Error)
}

/// The judged questions of a run so far, and how far they have been reported.
struct RunState {
    /// Each plan's report, once it is final.
    finals: Vec<Option<QuestionReport>>,
    /// The first plan not yet reported.
    next: usize,
    failures: usize,
    info: Option<PythonInfo>,
}

/// Marks the findings the run's baseline knows, once the judge has decided them.
fn known_findings(q: &mut QuestionReport, settings: &Settings) {
    if let Some(b) = &settings.baseline {
        b.mark(q, settings.strict);
    }
}

impl RunState {
    fn finish(&mut self, plan: usize, mut q: QuestionReport, settings: &Settings) {
        known_findings(&mut q, settings);
        if fails(&q) {
            self.failures += 1;
        }
        self.finals[plan] = Some(q);
    }

    /// Reports every question that is final and has only final questions before it.
    fn emit_ready(&mut self, reporter: &mut dyn Reporter) -> Result<()> {
        let total = self.finals.len();
        while let Some(Some(q)) = self.finals.get(self.next) {
            self.next += 1;
            reporter.event(&Event::QuestionFinished {
                question: q,
                done: self.next,
                total,
            })?;
        }
        Ok(())
    }
}

/// Each question's candidate claims and request. With a cache, the comments of
/// examples come from it where it has them, and each guide's are returned to be kept.
fn plan<'a>(
    guides: &'a [Guide],
    settings: &Settings,
    python: &Interpreter,
    cache: Option<&Cache>,
) -> (Vec<Plan<'a>>, Vec<QuestionRequest>, Vec<GuideComments>) {
    let mut kept = vec![]; // each guide's comments, to be saved
    let mut plans = vec![];
    let mut requests: Vec<QuestionRequest> = vec![];
    for g in guides {
        let mut comments_of = cache.map(|c| c.comments(&g.file));
        let mut earlier: Vec<ExampleRequest> = vec![]; // for a shared namespace
        for q in &g.questions {
            // sized to fit: kept until the report, and a list grown by one push has
            // room for four
            let mut candidates: Vec<Vec<Candidate>> = Vec::with_capacity(q.examples.len());
            let mut runnable: Vec<ExampleRequest> = Vec::with_capacity(q.examples.len());
            for ex in &q.examples {
                let code = ex.source();
                let comments = match comments_of.as_mut() {
                    Some(k) => k.get(python, &code, ex.line),
                    None => python.comments(&code, ex.line),
                };
                let found = claims::candidates(ex, &comments, python);
                let other = ex
                    .requires
                    .zip(settings.version)
                    .is_some_and(|(r, v)| !r.matches(&v));
                if ex.skip.is_none() && !other {
                    runnable.push(ExampleRequest {
                        line: ex.line,
                        code,
                        expect_raise: claims::expect_raise(&found),
                        prompts: ex.prompts.clone(),
                    });
                }
                candidates.push(found);
            }
            let setup = if settings.shared_namespace || g.one_namespace {
                earlier.clone()
            } else {
                vec![]
            };
            earlier.extend(runnable.iter().cloned());
            let request = (!runnable.is_empty()).then(|| {
                requests.push(QuestionRequest {
                    id: requests.len(),
                    file: g.file.clone(),
                    timeout: settings.timeout,
                    output_cap: settings.output_cap,
                    memory: settings.memory,
                    examples: runnable,
                    setup,
                    seed: 0,
                });
                requests.len() - 1
            });
            plans.push(Plan {
                file: &g.file,
                question: q,
                candidates,
                request,
                ran_after: vec![],
            });
        }
        kept.extend(comments_of);
    }
    (plans, requests, kept)
}

/// The names a run missed: what its `NameError`s name.
fn missing_names(run: &QuestionRun) -> Vec<String> {
    static NAME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let name = NAME.get_or_init(|| regex::Regex::new(r"name '(\w+)' is not defined").unwrap());
    run.examples
        .iter()
        .flat_map(|ex| {
            ex.error
                .iter()
                .chain(ex.observed.iter().filter_map(|o| o.error.as_ref()))
        })
        .filter(|e| e.type_name == "NameError")
        .filter_map(|e| name.captures(&e.message).map(|c| c[1].to_string()))
        .collect()
}

/// Earlier questions of the same guide that bind the names question `at` missed, and
/// (transitively) the ones those missed; in guide order.
fn dependencies(
    at: usize,
    plans: &[Plan],
    runs: &[QuestionRun],
    binds: &[HashSet<String>],
) -> Vec<usize> {
    let mut found = std::collections::BTreeSet::new();
    let mut todo = vec![at];
    while let Some(i) = todo.pop() {
        let Some(r) = plans[i].request else { continue };
        for name in missing_names(&runs[r]) {
            let binder = (0..i).rev().find(|&j| {
                plans[j].file == plans[i].file
                    && plans[j].request.is_some()
                    && binds[j].contains(&name)
            });
            if let Some(j) = binder {
                if found.insert(j) {
                    todo.push(j);
                }
            }
        }
    }
    found.into_iter().collect()
}

/// The second look at questions whose first run left something open. Tutorials
/// define a name in one section and use it in the next: a question that failed on a
/// name an earlier question binds runs again after that question, in the same
/// process, and the report says so. Returns the questions' reports, in plan order.
fn follow_up(
    plans: &mut [Plan],
    requests: &mut [QuestionRequest],
    first_runs: &[QuestionRun],
    pending: &[usize],
    settings: &Settings,
    python: &Interpreter,
    cache: Option<&Cache>,
) -> Result<Vec<(usize, QuestionReport)>> {
    let mut runs: Vec<(usize, QuestionRun)> = pending
        .iter()
        .map(|&p| {
            (
                p,
                first_runs[plans[p].request.expect("pending questions ran")].clone(),
            )
        })
        .collect();
    if !settings.shared_namespace && runs.iter().any(|(_, r)| !missing_names(r).is_empty()) {
        // what each question binds at top level: asked of CPython only now that some
        // question missed a name
        let binds: Vec<HashSet<String>> = plans
            .iter()
            .map(|p| {
                p.request
                    .map(|r| {
                        requests[r]
                            .examples
                            .iter()
                            .flat_map(|ex| python.top_level_names(&ex.code))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let mut again = vec![];
        let mut which = vec![];
        for (k, &(i, _)) in runs.iter().enumerate() {
            let deps = dependencies(i, plans, first_runs, &binds);
            if deps.is_empty() {
                continue;
            }
            let r = plans[i].request.expect("pending questions ran");
            let mut req = requests[r].clone();
            req.setup = deps
                .iter()
                .filter_map(|&d| plans[d].request)
                .flat_map(|d| requests[d].examples.clone())
                .collect();
            again.push(req);
            which.push((k, r, deps));
        }
        if !again.is_empty() {
            let reruns = run_all(settings, 0, &again, cache)?;
            for ((k, r, deps), (run, req)) in which.into_iter().zip(reruns.into_iter().zip(again)) {
                let i = runs[k].0;
                runs[k].1 = run;
                requests[r] = req;
                plans[i].ran_after = deps.iter().map(|&d| plans[d].question.id.clone()).collect();
            }
        }
    }
    Ok(runs
        .iter()
        .map(|(p, run)| (*p, question_report(&plans[*p], Some(run), settings, python)))
        .collect())
}

/// A mismatch may be chance: a random draw, the order of a set of strings, the clock.
/// Questions with a mismatch run again with another seed and hash seed; a claim whose
/// line shows something else the second time is illustrative.
fn rerun_mismatches(
    plans: &[Plan],
    requests: &[QuestionRequest],
    questions: &mut [(usize, QuestionReport)],
    settings: &Settings,
    python: &Interpreter,
    cache: Option<&Cache>,
) -> Result<()> {
    let suspects: Vec<usize> = questions
        .iter()
        .enumerate()
        .filter(|(_, (i, q))| plans[*i].request.is_some() && has_mismatch(q))
        .map(|(k, _)| k)
        .collect();
    if suspects.is_empty() {
        return Ok(());
    }
    let again: Vec<QuestionRequest> = suspects
        .iter()
        .map(|&k| {
            let i = questions[k].0;
            let mut req = requests[plans[i].request.expect("suspects ran")].clone();
            req.seed = 1;
            req
        })
        .collect();
    let reruns = run_all(settings, 1, &again, cache)?;
    for (&k, rerun) in suspects.iter().zip(&reruns) {
        let (i, q) = &mut questions[k];
        // from the cache only if both its runs are
        q.cached &= rerun.cached;
        let second = question_report(&plans[*i], Some(rerun), settings, python);
        for (ex, ex2) in q.examples.iter_mut().zip(&second.examples) {
            for c in ex.claims.iter_mut() {
                let other = ex2.claims.iter().find(|c2| c2.line == c.line);
                if let Some((verdict, message)) = judge::varies_between_runs(
                    c.verdict,
                    &c.text,
                    c.actual.as_deref(),
                    other.and_then(|o| o.actual.as_deref()),
                ) {
                    c.verdict = verdict;
                    c.message = Some(message);
                    c.rule = None;
                }
            }
            if ex.status != Status::Skipped {
                ex.status = example_status(ex.error.as_ref(), &ex.claims, settings.strict);
            }
        }
        q.status = question_status(&q.examples);
    }
    Ok(())
}

fn has_mismatch(q: &QuestionReport) -> bool {
    q.examples
        .iter()
        .flat_map(|e| &e.claims)
        .any(|c| c.verdict == Verdict::Mismatch)
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
    let mut machine_names = judge::MachineNames::default();
    let mut earlier = String::new(); // the question's code before this example
    let examples: Vec<ExampleReport> = q
        .examples
        .iter()
        .zip(&plan.candidates)
        .map(|(ex, cands)| {
            let req = ex
                .requires
                .zip(settings.version)
                .filter(|(r, v)| !r.matches(v));
            let req = req.map(|(r, v)| format!("requires Python {r}; this is {v}"));
            if let Some(reason) = ex.skip.as_ref().or(req.as_ref()) {
                return ExampleReport {
                    file: plan.file.to_string(),
                    line: ex.line,
                    end_line: ex.end_line,
                    status: Status::Skipped,
                    error: None,
                    more_errors: vec![],
                    skip_reason: Some(reason.clone()),
                    claims: vec![],
                    errors_known: false,
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
            let derived = derived_from_machine(ex, &mut machine_names);
            let mut claims: Vec<ClaimReport> = found
                .into_iter()
                .map(|c| {
                    let from_machine = c.statement.is_some_and(|l| derived.contains(&l));
                    let needs = what_it_needed(&c, exrun, &earlier, ex);
                    claim_report(plan.file, ex, c, from_machine, &needs, settings, python)
                })
                .collect();
            earlier.push_str(&ex.source());
            earlier.push('\n');
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
                errors_known: false,
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
        ran_after: plan.ran_after.clone(),
        cached: run.is_some_and(|r| r.cached),
    }
}

/// The lines of an example that read a name bound from the clock or the machine on an
/// earlier line of the question.
fn derived_from_machine(ex: &Example, names: &mut judge::MachineNames) -> HashSet<usize> {
    (ex.line..=ex.end_line)
        .filter(|&l| ex.code_line(l).is_some_and(|code| names.read(code)))
        .collect()
}

/// What a claim needed that the run did not have: (what the failed line it waited on
/// needed, a file its statement looks at that the guide does not make).
fn what_it_needed(
    c: &claims::Claim,
    run: &ExampleRun,
    earlier: &str,
    ex: &Example,
) -> (Option<String>, Option<String>) {
    let cause = match &c.against {
        claims::Against::NotReached(Some(line)) => run
            .observed
            .iter()
            .find(|o| o.line == *line)
            .and_then(|o| o.error.as_ref())
            .and_then(|e| judge::needs::from_error(&e.display())),
        _ => None,
    };
    let file = c.statement.and_then(|line| {
        let statement = ex.code_line(line)?;
        let before: Vec<&str> = (ex.line..line).filter_map(|l| ex.code_line(l)).collect();
        judge::needs::missing_file(statement, &format!("{earlier}{}", before.join("\n")))
    });
    (cause, file)
}

fn claim_report(
    file: &str,
    ex: &Example,
    c: claims::Claim,
    from_machine: bool,
    needs: &(Option<String>, Option<String>),
    settings: &Settings,
    python: &Interpreter,
) -> ClaimReport {
    let statement_source = c.statement.and_then(|l| ex.code_line(l)).unwrap_or("");
    if let Some(reason) = settings
        .version
        .as_ref()
        .and_then(|v| claims::applies(&c, v))
    {
        let j = judge::judge_elsewhere(&c.text, reason);
        return claim_report_from(file, ex, c, j, None);
    }
    let beside_code = ex
        .code_line(c.line)
        .is_some_and(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let context = judge::Context {
        kind: c.kind,
        beside_code,
        statement_source,
        derived_from_machine: from_machine,
        cause_needs: needs.0.as_deref(),
        file_needed: needs.1.as_deref(),
        // a saved output is about the whole cell, wherever its lines stand
        ipython_before: {
            let whole_cell = ex.saved.iter().any(|s| s.line == c.line);
            ex.not_run
                .iter()
                .copied()
                .filter(|&l| whole_cell || l < c.line)
                .max()
        },
    };
    let (j, actual) = judge::judge_claim(&c.text, &c.against, &context, &settings.judge, python);
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
        known: false,
        source,
    }
}

/// Under `--strict`, a statement that printed with no claim about it.
fn unclaimed_report(file: &str, ex: &Example, line: usize, printed: &str) -> ClaimReport {
    let claim = claims::Claim {
        line,
        kind: claims::Kind::Output,
        text: String::new(),
        against: claims::Against::Text(printed.to_string()),
        statement: Some(line),
        versions: None,
    };
    let (j, actual) = judge::judge_unclaimed(printed);
    claim_report_from(file, ex, claim, j, actual)
}
