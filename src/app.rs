//! The commands: find and read guides, run their questions, judge, report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, bail, Result};

use crate::claims::{self, Against, Candidate, Observed};
use crate::cli::{CheckArgs, Cli, Command, ReportFormat, RunArgs};
use crate::guide::{self, Format};
use crate::judge::{self, Judgement, Verdict};
use crate::messages;
use crate::model::{Example, Guide, Question};
use crate::python::worker::{self, ExampleRequest, Mode, QuestionRequest, QuestionRun};
use crate::python::{embedded_version, Interpreter};
use crate::report::human::{self, Style};
use crate::report::{
    example_status, question_status, ClaimReport, ExampleReport, Palette, QuestionReport, Report,
    Status, WarningReport,
};

/// `snipcheck __worker`: serve questions with the embedded interpreter.
pub fn serve_worker() -> Result<()> {
    Interpreter::new()?.serve_as_worker()
}

pub fn run(cli: Cli) -> Result<u8> {
    if cli.version {
        println!(
            "snipcheck {} (embedded CPython {})",
            env!("CARGO_PKG_VERSION"),
            embedded_version()
        );
        return Ok(0);
    }
    match cli.command {
        Some(Command::Check(args)) => check(&args),
        Some(Command::Extract(args)) => crate::extract::run(&args),
        None => bail!("no command given; try `snipcheck check GUIDE` or `snipcheck --help`"),
    }
}

/// How questions are run and claims judged.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub jobs: usize,
    pub timeout: f64,
    pub output_cap: usize,
    pub memory: u64,
    pub judge: judge::Options,
    pub strict: bool,
}

impl Settings {
    pub fn from_args(run: &RunArgs, strict: bool) -> Result<Settings> {
        let jobs = run
            .jobs
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1)
            })
            .max(1);
        if !(run.timeout > 0.0 && run.timeout.is_finite()) {
            bail!(
                "--timeout {}: expected a positive number of seconds",
                run.timeout
            );
        }
        let mode = match &run.python {
            Some(p) => Mode::External(p.clone()),
            None => Mode::Embedded,
        };
        Ok(Settings {
            mode,
            jobs,
            timeout: run.timeout,
            output_cap: run.max_output.max(16),
            memory: parse_size(&run.memory)
                .ok_or_else(|| anyhow!(messages::bad_size("--memory", &run.memory)))?,
            judge: judge::Options {
                tolerance: parse_tolerance(&run.tolerance)?,
            },
            strict,
        })
    }
}

fn parse_tolerance(text: &str) -> Result<f64> {
    let t = text.trim();
    let (num, percent) = match t.strip_suffix('%') {
        Some(n) => (n, true),
        None => (t, false),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| anyhow!(messages::bad_tolerance(text)))?;
    let v = if percent || v > 1.0 { v / 100.0 } else { v };
    if !(0.0..=10.0).contains(&v) {
        bail!(messages::bad_tolerance(text));
    }
    Ok(v)
}

fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.trim_end_matches("IB").trim_end_matches('B');
    let (num, mult) = match t.chars().last()? {
        'K' => (&t[..t.len() - 1], 1u64 << 10),
        'M' => (&t[..t.len() - 1], 1 << 20),
        'G' => (&t[..t.len() - 1], 1 << 30),
        'T' => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    let n: f64 = num.trim().parse().ok()?;
    (n >= 0.0).then_some((n * mult as f64) as u64)
}

fn check(args: &CheckArgs) -> Result<u8> {
    let started = Instant::now();
    let settings = Settings::from_args(&args.run, args.strict)?;
    let python = Interpreter::new()?;
    let paths = if args.paths.is_empty() {
        vec![bundled_guides()?]
    } else {
        args.paths.clone()
    };
    let mut guides = load_guides(&paths, &python)?;
    filter_questions(&mut guides, &args.question, args.filter.as_deref())?;
    let report = evaluate(&guides, &settings, &python, started)?;
    let code = report.exit_code(settings.strict);
    let text = match args.format {
        ReportFormat::Json => report.to_json(),
        ReportFormat::Human => {
            let to_terminal = args.output.is_none() && Palette::stdout_is_terminal();
            let style = Style {
                palette: Palette::choose(args.color, to_terminal),
                quiet: args.quiet,
                verbose: args.verbose,
                strict: settings.strict,
            };
            human::render(&report, &style)
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow!("{}: cannot write: {e}", path.display()))?,
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
        }
    }
    Ok(code)
}

/// The guide that ships with snipcheck: `guides/` here, or in the source tree.
fn bundled_guides() -> Result<PathBuf> {
    let local = PathBuf::from("guides");
    if local.is_dir() {
        return Ok(local);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("guides");
    if built.is_dir() {
        return Ok(built);
    }
    bail!(messages::no_bundled_guide())
}

const GUIDE_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm", "txt"];

/// Guide files named by the paths, directories searched in name order.
pub fn guide_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = vec![];
    for given in paths {
        let shown = given.display().to_string();
        let path = &locate(given);
        let meta = std::fs::metadata(path).map_err(|_| anyhow!(messages::missing_path(&shown)))?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, &mut files);
            if files.len() == before {
                bail!(messages::no_guides_in(&shown));
            }
        } else {
            files.push(path.to_path_buf());
        }
    }
    Ok(files)
}

/// A relative path is taken from the working directory; when it is not there but is
/// under `$PWD`, the shell's directory, it is taken from there: a parent process that
/// changed our working directory (a test runner, an editor) still means the directory
/// the user typed the path in.
fn locate(path: &Path) -> PathBuf {
    if path.is_relative() && !path.exists() {
        if let Some(pwd) = std::env::var_os("PWD").map(PathBuf::from) {
            let there = pwd.join(path);
            if pwd.is_absolute() && there.exists() {
                return there;
            }
        }
    }
    path.to_path_buf()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| GUIDE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(p);
        }
    }
}

/// A guide's text: UTF-8, not binary, not empty.
pub fn read_text(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| anyhow!(messages::unreadable(&shown, &e.to_string())))?;
    if bytes.is_empty() {
        bail!(messages::empty_file(&shown));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        bail!(messages::binary_file(&shown));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            bail!(messages::not_utf8(&shown, line))
        }
    }
}

pub fn load_guides(paths: &[PathBuf], python: &Interpreter) -> Result<Vec<Guide>> {
    let mut guides = vec![];
    for file in guide_files(paths)? {
        let text = read_text(&file)?;
        let shown = file.display().to_string();
        guides.push(guide::read(&shown, &text, Format::of(&file), python)?);
    }
    if guides.iter().all(|g| guide::examples(g).next().is_none()) {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        bail!(messages::no_examples(&names.join(", ")));
    }
    Ok(guides)
}

fn filter_questions(guides: &mut [Guide], numbers: &[String], text: Option<&str>) -> Result<()> {
    if numbers.is_empty() && text.is_none() {
        return Ok(());
    }
    let text = text.map(str::to_lowercase);
    for g in guides.iter_mut() {
        g.questions.retain(|q| {
            (numbers.is_empty() || numbers.contains(&q.id))
                && text
                    .as_ref()
                    .is_none_or(|t| q.title.to_lowercase().contains(t))
        });
    }
    if guides.iter().all(|g| g.questions.is_empty()) {
        bail!(messages::nothing_matches_filter());
    }
    Ok(())
}

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
            let candidates: Vec<Vec<Candidate>> = q
                .examples
                .iter()
                .map(|ex| claims::candidates(ex, &python.comments(&ex.source(), ex.line), python))
                .collect();
            let runnable: Vec<ExampleRequest> = q
                .examples
                .iter()
                .zip(&candidates)
                .filter(|(ex, _)| ex.skip.is_none())
                .map(|(ex, c)| ExampleRequest {
                    line: ex.line,
                    code: ex.source(),
                    expect_raise: claims::expect_raise(c),
                    prompts: ex.prompts.clone(),
                })
                .collect();
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
        worker::run_all(&settings.mode, settings.jobs, &requests, &|_| {})?
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
                    skip_reason: Some(reason.clone()),
                    claims: vec![],
                };
            }
            let exrun = runs.next().cloned().unwrap_or_default();
            let seen = Observed {
                run: &exrun,
                lines: &lines,
            };
            let found = claims::resolve(ex, cands, &seen, python);
            let mut unclaimed = if settings.strict {
                claims::unclaimed_output(&found, &seen)
            } else {
                vec![]
            };
            // the author's `# snipcheck: ignore` covers the print as well as its claim
            unclaimed.retain(|(line, _)| {
                let raw = line.checked_sub(ex.line).and_then(|i| ex.raw.get(i));
                !raw.is_some_and(|l| l.contains("snipcheck: ignore"))
            });
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
    let statement_source = c
        .statement
        .and_then(|l| l.checked_sub(ex.line))
        .and_then(|i| ex.code.get(i))
        .map_or("", |s| s.as_str());
    if c.against != Against::NotReached && judge::is_identity_claim(statement_source, &c.text) {
        let j = Judgement {
            verdict: Verdict::Illustrative,
            rule: None,
            expected: judge::strip_markers(&c.text).to_string(),
            message: Some("an object's id differs from run to run".into()),
            notes: vec![],
        };
        return claim_report_from(file, ex, c, j, None);
    }
    let (j, actual): (Judgement, Option<String>) = match &c.against {
        Against::Text(actual) => (
            judge::judge(&c.text, actual, &settings.judge, python),
            Some(judge::normalize(actual)),
        ),
        Against::Value(repr, str_form) => (
            judge::judge_value(&c.text, repr, str_form.as_deref(), &settings.judge, python),
            Some(judge::normalize(repr)),
        ),
        Against::Exception(claim, raised) => (
            judge::judge_exception(claim, raised.as_ref(), &settings.judge, python),
            raised.as_ref().map(|r| r.display()),
        ),
        Against::NotReached => (
            Judgement {
                verdict: Verdict::NotReached,
                rule: None,
                expected: judge::strip_markers(&c.text).to_string(),
                message: None,
                notes: vec![],
            },
            None,
        ),
    };
    claim_report_from(file, ex, c, j, actual)
}

fn claim_report_from(
    file: &str,
    ex: &Example,
    c: claims::Claim,
    j: Judgement,
    actual: Option<String>,
) -> ClaimReport {
    let source = c
        .line
        .checked_sub(ex.line)
        .and_then(|i| ex.raw.get(i))
        .cloned()
        .unwrap_or_default();
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
        source: line
            .checked_sub(ex.line)
            .and_then(|i| ex.raw.get(i))
            .cloned()
            .unwrap_or_default(),
    }
}
