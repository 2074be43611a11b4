//! The commands: settings from the command line, then check or extract.

mod matrix;

use std::time::Instant;

use anyhow::{anyhow, bail, Result};

use crate::cli::{CheckArgs, Cli, Command, ReportFormat};
use crate::evaluate::evaluate;
use crate::inputs::{bundled_guides, load_guides};
use crate::messages;
use crate::model::Guide;
use crate::python::{embedded_version, Interpreter};
use crate::report::event::{AtEnd, Reporter, Reporters};
use crate::report::human::{HumanReporter, Style};
use crate::report::progress::Progress;
use crate::report::{github, junit, sarif, Palette};
use crate::settings::Settings;

/// `snipcheck __worker`: serve questions with the embedded interpreter.
pub fn serve_worker() -> Result<()> {
    Interpreter::for_worker()?.serve_as_worker()
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
        Some(Command::Merge(args)) => crate::merge::run(&args),
        Some(Command::Pythons) => {
            let found = crate::python::pythons::discover();
            print!("{}", crate::python::pythons::render_list(&found));
            Ok(0)
        }
        None => bail!("no command given; try `snipcheck check GUIDE` or `snipcheck --help`"),
    }
}

fn check(args: &CheckArgs) -> Result<u8> {
    let started = Instant::now();
    let mut base = Settings::from_args(&args.run, args.strict)?;
    base.baseline = baseline(args)?;
    let modes = crate::settings::interpreters(&args.run)?;
    let python = Interpreter::new()?;
    let paths = if args.paths.is_empty() {
        vec![bundled_guides()?]
    } else {
        args.paths.clone()
    };
    let mut guides = load_guides(&paths, &python, args.allow_no_examples)?;
    if guides
        .iter()
        .all(|g| crate::guide::examples(g).next().is_none())
    {
        // only with --allow-no-examples: a hook given files with no Python in them
        eprintln!("snipcheck: {}", messages::no_examples_allowed());
        return Ok(0);
    }
    filter_questions(&mut guides, &args.question, args.filter.as_deref())?;
    if let Some(p) = &args.partition {
        // a part may hold no question at all (more parts than questions): it reports so
        base.shard = Some(p.select(&mut guides, base.strict));
    }
    let maxfail = if args.exitfirst {
        Some(1)
    } else {
        args.maxfail.map(|n| n.max(1))
    };
    if modes.len() > 1 {
        if args.write_baseline.is_some() {
            bail!("--write-baseline records the findings of one interpreter; give one --python");
        }
        let run = matrix::Run {
            args,
            base: &base,
            guides: &guides,
            python: &python,
            maxfail,
        };
        return matrix::check(&run, &modes);
    }
    let settings = base.for_interpreter(&modes[0])?;
    let mut reporters = reporters(args, settings.strict)?;
    let report = evaluate(
        &guides,
        &settings,
        &python,
        started,
        maxfail,
        &mut reporters,
    )?;
    if let Some(path) = &args.write_baseline {
        let text = crate::baseline::render(&report, settings.strict, path);
        std::fs::write(path, text)
            .map_err(|e| anyhow!("{}: cannot write the baseline: {e}", path.display()))?;
        eprintln!(
            "snipcheck: {}",
            messages::baseline_written(path, report.summary.known)
        );
    }
    if args.fix || args.diff {
        return fix_or_diff(args, &report, &python, settings.strict);
    }
    Ok(report.exit_code(settings.strict))
}

/// What the run knows of its findings: a `--baseline` file read, a file to write.
fn baseline(args: &CheckArgs) -> Result<Option<std::sync::Arc<crate::baseline::Baseline>>> {
    if args.baseline.is_none() && args.write_baseline.is_none() {
        return Ok(None);
    }
    let mut b = match &args.baseline {
        Some(path) => crate::baseline::Baseline::read(path)?,
        None => crate::baseline::Baseline::default(),
    };
    b.write = args
        .write_baseline
        .as_ref()
        .map(|p| p.display().to_string());
    Ok(Some(std::sync::Arc::new(b)))
}

/// The reporters of a check: the main one (`--format`, to standard output or
/// `--output`), one per `--report FORMAT=FILE`, and the progress bar on a terminal.
fn reporters(args: &CheckArgs, strict: bool) -> Result<Reporters> {
    let mut all: Vec<Box<dyn Reporter>> = vec![];
    // with --diff the diff is what standard output carries
    let progress = if !args.diff || args.output.is_some() {
        Progress::for_terminal()
    } else {
        None
    };
    let bar = progress.as_ref().map(Progress::bar);
    if let Some(p) = progress {
        all.push(Box::new(p));
    }
    for (format, path) in targets(args) {
        let out: Box<dyn std::io::Write> = match path {
            Some(path) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(path)
                    .map_err(|e| anyhow!("{}: cannot write: {e}", path.display()))?,
            )),
            None => Box::new(std::io::stdout()),
        };
        let on_terminal = path.is_none() && Palette::stdout_is_terminal();
        let reporter: Box<dyn Reporter> = match format {
            ReportFormat::Human => {
                let style = style(args, strict, on_terminal);
                // GitHub Actions shows workflow commands from the job's log
                let annotations = path.is_none() && on_github_actions();
                let mut human = HumanReporter::new(out, style, annotations);
                human.bar = bar.clone().filter(|_| path.is_none());
                Box::new(human)
            }
            ReportFormat::Json => Box::new(AtEnd {
                out,
                render: Box::new(|r| r.to_json()),
            }),
            ReportFormat::Github => Box::new(AtEnd {
                out,
                render: Box::new(move |r| github::render(r, strict)),
            }),
            ReportFormat::Junit => Box::new(AtEnd {
                out,
                render: Box::new(move |r| junit::render(r, strict)),
            }),
            ReportFormat::Sarif => Box::new(AtEnd {
                out,
                render: Box::new(move |r| sarif::render(r, strict)),
            }),
        };
        all.push(reporter);
    }
    Ok(Reporters(all))
}

/// Where the reports of a check go: the main one (`--format`) to `--output` or to
/// standard output (unless `--diff` has it), then each `--report FORMAT=FILE`.
pub(crate) fn targets(args: &CheckArgs) -> Vec<(ReportFormat, Option<&std::path::Path>)> {
    let mut targets = vec![];
    if let Some(path) = &args.output {
        targets.push((args.format, Some(path.as_path())));
    } else if !args.diff {
        targets.push((args.format, None));
    }
    targets.extend(
        args.report
            .iter()
            .map(|t| (t.format, Some(t.path.as_path()))),
    );
    targets
}

/// The human report's style for a check, coloured when `on_terminal` allows.
pub(crate) fn style(args: &CheckArgs, strict: bool, on_terminal: bool) -> Style {
    args.display.style(strict, on_terminal)
}

pub(crate) fn on_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// `--fix` writes the fixed guides, `--diff` prints what it would change. The exit
/// status is then that of what remains false after fixing.
pub(crate) fn fix_or_diff(
    args: &CheckArgs,
    report: &crate::report::Report,
    python: &Interpreter,
    strict: bool,
) -> Result<u8> {
    let fixes = crate::fix::plan(report, python)?;
    for f in &fixes {
        if args.diff {
            print!("{}", crate::fix::unified_diff(f));
        } else {
            crate::fix::write(f)?;
            eprintln!(
                "snipcheck: {}",
                messages::fixed(&f.file, &f.fixed, &f.saved_errors)
            );
        }
    }
    if args.diff {
        // nothing was written: the guides are as false as the report says
        return Ok(report.exit_code(strict));
    }
    let remains = crate::fix::remains(report, &fixes, strict);
    let changed = args.exit_non_zero_on_fix && !fixes.is_empty();
    Ok(u8::from(remains || changed))
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
