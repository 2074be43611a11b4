//! `check` under several interpreters: every question under each, in turn, on the same
//! `--jobs` workers; the terminal follows each interpreter's run as it goes, and the
//! table of what differs, the files and the exit status come once all have run.

use std::io::Write as _;
use std::time::Instant;

use anyhow::{anyhow, Result};

use crate::cli::{CheckArgs, ReportFormat};
use crate::evaluate::{evaluate, MaxFail};
use crate::model::Guide;
use crate::python::worker::Mode;
use crate::python::Interpreter;
use crate::report::event::{Reporter, Reporters};
use crate::report::human::{self, HumanReporter};
use crate::report::progress::Progress;
use crate::report::{github, junit, matrix, sarif, Palette, Report};
use crate::settings::Settings;

/// What every interpreter's run shares.
pub struct Run<'a> {
    pub args: &'a CheckArgs,
    pub base: &'a Settings,
    pub guides: &'a [Guide],
    pub python: &'a Interpreter,
    pub maxfail: MaxFail,
}

pub fn check(run: &Run, modes: &[Mode]) -> Result<u8> {
    let args = run.args;
    let strict = run.base.strict;
    let human_on_stdout = args.output.is_none() && !args.diff && args.format == ReportFormat::Human;
    let style = |on_terminal: bool| super::style(args, strict, on_terminal);
    let mut reports: Vec<Report> = vec![];
    for mode in modes {
        let settings = run.base.for_interpreter(mode)?;
        let mut live: Vec<Box<dyn Reporter>> = vec![];
        let progress = Progress::for_terminal();
        let bar = progress.as_ref().map(Progress::bar);
        if let Some(p) = progress {
            live.push(Box::new(p));
        }
        if human_on_stdout {
            let mut h = HumanReporter::new(
                std::io::stdout(),
                style(Palette::stdout_is_terminal()),
                false,
            );
            h.bar = bar;
            live.push(Box::new(h));
        }
        let mut live = Reporters(live);
        let started = Instant::now();
        let report = evaluate(
            run.guides,
            &settings,
            run.python,
            started,
            run.maxfail,
            &mut live,
        )?;
        if human_on_stdout {
            println!();
        }
        reports.push(report);
    }
    for (format, path) in super::targets(args) {
        let on_terminal = path.is_none() && Palette::stdout_is_terminal();
        let text = match format {
            ReportFormat::Human => {
                let mut text = String::new();
                if path.is_some() {
                    for r in &reports {
                        text.push_str(&human::render(r, &style(false)));
                        text.push('\n');
                    }
                }
                text.push_str(&matrix::render_human(&reports, &style(on_terminal)));
                if path.is_none() && super::on_github_actions() {
                    text.push_str(&annotations(&reports, strict));
                }
                text
            }
            ReportFormat::Json => matrix::to_json(&reports),
            ReportFormat::Github => annotations(&reports, strict),
            ReportFormat::Junit => junit::render_all(&reports, strict),
            ReportFormat::Sarif => sarif::render_all(&reports, strict),
        };
        match path {
            Some(path) => std::fs::write(path, text)
                .map_err(|e| anyhow!("{}: cannot write: {e}", path.display()))?,
            None => {
                let _ = std::io::stdout().lock().write_all(text.as_bytes());
            }
        }
    }
    if args.fix || args.diff {
        // claims are rewritten to what the newest interpreter prints
        let newest = newest(&reports);
        eprintln!(
            "snipcheck: fixing per {} {}, the newest interpreter of the run",
            newest.python.implementation, newest.python.version
        );
        let code = super::fix_or_diff(args, newest, run.python, strict)?;
        let others_fail = reports.iter().any(|r| r.exit_code(strict) != 0);
        return Ok(if args.diff {
            u8::from(others_fail)
        } else {
            code
        });
    }
    Ok(u8::from(reports.iter().any(|r| r.exit_code(strict) != 0)))
}

/// GitHub annotations of every interpreter, each titled with its version.
fn annotations(reports: &[Report], strict: bool) -> String {
    reports
        .iter()
        .map(|r| github::render_labelled(r, strict, Some(&r.python.version)))
        .collect()
}

fn newest(reports: &[Report]) -> &Report {
    reports
        .iter()
        .max_by_key(|r| crate::version::PyVersion::parse(&r.python.version))
        .expect("a matrix has interpreters")
}
