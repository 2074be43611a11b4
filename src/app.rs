//! The commands: settings from the command line, then check or extract.

use std::time::Instant;

use anyhow::{anyhow, bail, Result};

use crate::cli::{CheckArgs, Cli, Command, ReportFormat, RunArgs};
use crate::evaluate::evaluate;
use crate::inputs::{bundled_guides, load_guides};
use crate::judge;
use crate::messages;
use crate::model::Guide;
use crate::python::worker::{Guard, Mode};
use crate::python::{embedded_version, Interpreter};
use crate::report::event::{AtEnd, Reporter, Reporters};
use crate::report::human::{HumanReporter, Style};
use crate::report::progress::Progress;
use crate::report::{github, junit, Palette};

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
    /// Every question of a guide runs after the ones before it, in their namespace.
    pub shared_namespace: bool,
    /// What confines the workers: the sandbox's settings.
    pub guard: Guard,
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
            shared_namespace: run.shared_namespace,
            guard: Guard::new(run.allow_network, run.max_output.max(16)),
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
    let mut guides = load_guides(&paths, &python, args.allow_no_examples)?;
    if guides.iter().all(|g| crate::guide::examples(g).next().is_none()) {
        // only with --allow-no-examples: a hook given files with no Python in them
        eprintln!("snipcheck: no Python examples in the guides given; nothing to check");
        return Ok(0);
    }
    filter_questions(&mut guides, &args.question, args.filter.as_deref())?;
    let mut reporters = reporters(args, settings.strict)?;
    let maxfail = if args.exitfirst {
        Some(1)
    } else {
        args.maxfail.map(|n| n.max(1))
    };
    let report = evaluate(&guides, &settings, &python, started, maxfail, &mut reporters)?;
    if args.fix || args.diff {
        return fix_or_diff(args, &report, &python, settings.strict);
    }
    Ok(report.exit_code(settings.strict))
}

/// The reporters of a check: the main one (`--format`, to standard output or
/// `--output`), one per `--report FORMAT=FILE`, and the progress bar on a terminal.
fn reporters(args: &CheckArgs, strict: bool) -> Result<Reporters> {
    let mut all: Vec<Box<dyn Reporter>> = vec![];
    // with --diff the diff is what standard output carries
    let main_to_stdout = args.output.is_none() && !args.diff;
    let progress = if main_to_stdout || args.output.is_some() {
        Progress::for_terminal()
    } else {
        None
    };
    let bar = progress.as_ref().map(Progress::bar);
    if let Some(p) = progress {
        all.push(Box::new(p));
    }
    let mut targets: Vec<(ReportFormat, Option<&std::path::Path>)> = vec![];
    if main_to_stdout {
        targets.push((args.format, None));
    } else if let Some(path) = &args.output {
        targets.push((args.format, Some(path)));
    }
    targets.extend(args.report.iter().map(|t| (t.format, Some(t.path.as_path()))));
    for (format, path) in targets {
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
                let style = Style {
                    palette: Palette::choose(args.color, on_terminal),
                    quiet: args.quiet,
                    verbose: args.verbose,
                    strict,
                };
                // GitHub Actions shows workflow commands from the job's log
                let annotations = path.is_none() && on_github_actions();
                let mut human = HumanReporter::new(out, style, annotations);
                human.bar = bar.clone().filter(|_| path.is_none());
                Box::new(human)
            }
            ReportFormat::Json => Box::new(AtEnd {
                out,
                render: |r| r.to_json(),
            }),
            ReportFormat::Github if strict => Box::new(AtEnd {
                out,
                render: |r| github::render(r, true),
            }),
            ReportFormat::Github => Box::new(AtEnd {
                out,
                render: github::render_default,
            }),
            ReportFormat::Junit if strict => Box::new(AtEnd {
                out,
                render: |r| junit::render(r, true),
            }),
            ReportFormat::Junit => Box::new(AtEnd {
                out,
                render: junit::render_default,
            }),
        };
        all.push(reporter);
    }
    Ok(Reporters(all))
}

fn on_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// `--fix` writes the fixed guides, `--diff` prints what it would change. The exit
/// status is then that of what remains false after fixing.
fn fix_or_diff(
    args: &CheckArgs,
    report: &crate::report::Report,
    python: &Interpreter,
    strict: bool,
) -> Result<u8> {
    let fixes = crate::fix::plan_with(report, python)?;
    for f in &fixes {
        if args.diff {
            print!("{}", crate::fix::unified_diff(f));
        } else {
            crate::fix::write(f)?;
            // standard error: standard output may carry a JSON or JUnit report
            let lines: Vec<String> = f.fixed.iter().map(usize::to_string).collect();
            eprintln!(
                "snipcheck: fixed {} in {} (line{} {})",
                match f.fixed.len() {
                    1 => "1 claim".to_string(),
                    n => format!("{n} claims"),
                },
                f.file,
                if f.fixed.len() == 1 { "" } else { "s" },
                lines.join(", ")
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
