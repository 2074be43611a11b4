//! `snipcheck merge A.json B.json ...`: the JSON reports of the parts of a run
//! (`--partition`) as one report, in any format, equal to the report of the run made
//! whole. Nothing is judged again: the merged report is made of the parts' verdicts.

use std::path::Path;

use anyhow::{anyhow, bail, Result};

use crate::cli::{MergeArgs, ReportFormat};
use crate::partition::{self, Shard};
use crate::report::human;
use crate::report::{github, junit, sarif, Palette, Report};

pub fn run(args: &MergeArgs) -> Result<u8> {
    let reports: Vec<Report> = args
        .reports
        .iter()
        .map(|p| read(p))
        .collect::<Result<_>>()?;
    let merged = merge(reports, &args.reports)?;
    let strict = merged.1;
    let report = merged.0;
    let on_terminal = args.output.is_none() && Palette::stdout_is_terminal();
    let text = match args.format {
        ReportFormat::Human => {
            let style = args.display.style(strict, on_terminal);
            let mut text = human::render(&report, &style);
            if args.output.is_none() && crate::app::on_github_actions() {
                text.push_str(&github::render(&report, strict));
            }
            text
        }
        ReportFormat::Json => report.to_json(),
        ReportFormat::Github => github::render(&report, strict),
        ReportFormat::Junit => junit::render(&report, strict),
        ReportFormat::Sarif => sarif::render(&report, strict),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow!("{}: cannot write: {e}", path.display()))?,
        None => {
            use std::io::Write as _;
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    Ok(report.exit_code(strict))
}

fn read(path: &Path) -> Result<Report> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow!("{shown}: cannot be read: {e}"))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{shown}: not a JSON report of snipcheck: {e}"))?;
    if value.get("schema").is_some() {
        bail!("{shown}: the report of a matrix run (several --python); merge takes one interpreter's reports");
    }
    serde_json::from_value(value)
        .map_err(|e| anyhow!("{shown}: not a JSON report of snipcheck: {e}"))
}

/// The reports as one, and whether they were `--strict`. Reports of parts of a run
/// must be all of its parts, each once; reports of whole runs are put one after the
/// other.
pub fn merge(reports: Vec<Report>, paths: &[std::path::PathBuf]) -> Result<(Report, bool)> {
    let Some(first) = reports.first() else {
        bail!("no reports to merge");
    };
    for (r, p) in reports.iter().zip(paths) {
        let (a, b) = (&r.python, &first.python);
        if (&a.implementation, &a.version, &a.mode) != (&b.implementation, &b.version, &b.mode) {
            bail!(
                "{}: ran under {} {} ({}), {} under {} {} ({}); merge takes reports of one interpreter",
                p.display(),
                a.implementation,
                a.version,
                a.mode,
                paths[0].display(),
                b.implementation,
                b.version,
                b.mode
            );
        }
    }
    let shards: Vec<Option<&Shard>> = reports.iter().map(|r| r.partition.as_ref()).collect();
    let strict;
    let mut questions = vec![];
    if shards.iter().all(Option::is_some) {
        let shards: Vec<&Shard> = shards.into_iter().flatten().collect();
        let whole = shards[0];
        let parts = check_parts(&shards, paths)?;
        strict = whole.strict;
        // a guide's questions in line order, the guides in the run's order
        let order = |file: &str| whole.guides.iter().position(|g| g == file);
        for r in &reports {
            questions.extend(r.questions.iter().cloned());
        }
        questions.sort_by_key(|q| (order(&q.file), q.line));
        let expected = whole.questions;
        let not_run: usize = reports.iter().map(|r| r.not_run).sum();
        if not_run == 0 && questions.len() != expected {
            bail!(
                "the {parts} parts hold {} questions, the run has {expected}",
                questions.len()
            );
        }
    } else if shards.iter().all(Option::is_none) {
        strict = false;
        for r in &reports {
            questions.extend(r.questions.iter().cloned());
        }
    } else {
        bail!("some reports are of parts of a run (--partition) and some are not");
    }
    let seconds = reports.iter().map(|r| r.seconds).fold(0.0, f64::max);
    let mut warnings = vec![];
    for w in reports.iter().flat_map(|r| &r.warnings) {
        if !warnings.contains(w) {
            warnings.push(w.clone());
        }
    }
    let mut merged = Report::new(first.python.clone(), questions, warnings, seconds);
    merged.snipcheck = first.snipcheck.clone();
    merged.protections = first.protections.clone();
    merged.not_run = reports.iter().map(|r| r.not_run).sum();
    for r in &reports {
        merged.cells.extend(&r.cells);
    }
    let outcomes: Vec<_> = reports.iter().filter_map(|r| r.baseline.as_ref()).collect();
    if let Some(o) = outcomes.first() {
        let mut all = (*o).clone();
        all.known = merged.summary.known;
        all.stale = outcomes
            .iter()
            .flat_map(|o| o.stale.iter().cloned())
            .collect();
        all.stale.sort();
        merged.baseline = Some(all);
    }
    Ok((merged, strict))
}

/// Checks that the shards are the parts 1 to N of one partition of one run, each once;
/// returns N.
fn check_parts(shards: &[&Shard], paths: &[std::path::PathBuf]) -> Result<usize> {
    let whole = shards[0];
    let first = partition::of(whole)?;
    let mut seen = vec![false; first.n];
    for (s, p) in shards.iter().zip(paths) {
        let part = partition::of(s)?;
        if part.method != first.method
            || part.n != first.n
            || s.guides != whole.guides
            || s.questions != whole.questions
            || s.strict != whole.strict
        {
            bail!(
                "{}: part {} of another run than {} ({})",
                p.display(),
                s.part,
                paths[0].display(),
                whole.part
            );
        }
        if std::mem::replace(&mut seen[part.k - 1], true) {
            bail!("{}: part {} is given twice", p.display(), s.part);
        }
    }
    if let Some(k) = seen.iter().position(|s| !s) {
        let mut missing = first;
        missing.k = k + 1;
        bail!("part {missing} is missing: merge takes every part of the run");
    }
    Ok(first.n)
}
