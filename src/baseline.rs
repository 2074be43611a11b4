//! A baseline: the findings a guide had when it was recorded (`--write-baseline`), so
//! that a later run (`--baseline`) fails only on findings that are new. A finding is
//! named by its guide, its question, the claim's text (or the error, for an example in
//! error) and its verdict, never by line numbers, so edits elsewhere in the guide leave
//! it alone. The same finding may stand more than once in a question: entries count.
//!
//! The baseline only marks findings as known (`ClaimReport::known`,
//! `ExampleReport::errors_known`) once the judge has decided them; it decides nothing.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Result};
use serde::{Deserialize, Serialize};

use crate::report::{
    example_status_known, question_status, ExampleReport, QuestionReport, Report, Status,
};

/// The format of the file, so that a later snipcheck can read an older one.
const VERSION: u64 = 1;

/// One finding as a baseline records it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// The guide, as the run named it.
    pub file: String,
    /// The question's id (its number, or the slug of its title).
    pub question: String,
    /// The claim as written, or `Type: message` of an example's error.
    pub claim: String,
    /// `mismatch`, `not-reached`, `unverified` (under `--strict`) or `error`.
    pub verdict: String,
}

impl Finding {
    fn line(&self) -> String {
        format!(
            "{} · question {} · {} · {}",
            self.file,
            self.question,
            self.verdict,
            self.claim.replace('\n', "\\n")
        )
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    snipcheck_baseline: u64,
    findings: Vec<Finding>,
}

/// What a run does with findings: mark the ones a baseline file knows, or, when it
/// writes one, every finding, which is what the file written will know.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// The file read (`--baseline`) and its entries, sorted.
    pub read: Option<(String, Vec<Finding>)>,
    /// The file to write (`--write-baseline`).
    pub write: Option<String>,
}

/// A guide's path as a baseline file names it: relative to the folder the baseline is
/// in, with `/` between parts, so that a run from another directory (or a config
/// found above it) names the same guide the same way. A path that cannot be resolved
/// is kept as given.
pub fn guide_key(baseline: &Path, guide: &str) -> String {
    let dir = baseline.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    let (Ok(dir), Ok(file)) = (dir.canonicalize(), Path::new(guide).canonicalize()) else {
        return guide.to_string();
    };
    let common = dir
        .components()
        .zip(file.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = dir.components().count() - common;
    let parts: Vec<String> = std::iter::repeat_n("..".to_string(), ups)
        .chain(
            file.components()
                .skip(common)
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect();
    parts.join("/")
}

/// What the baseline did to a run, for the reports.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Outcome {
    /// The baseline file read (`--baseline`) or written (`--write-baseline`).
    pub file: String,
    /// Findings of the run it knew.
    pub known: usize,
    /// Entries of the file read that no finding of the run matched, within the
    /// questions the run checked: the file can drop them.
    pub stale: Vec<Finding>,
    /// The run wrote the file.
    #[serde(default)]
    pub written: bool,
}

impl Outcome {
    /// Its text escaped for a terminal (see `report::human::inert`).
    pub fn inert(&self) -> Outcome {
        let e = |t: &String| crate::report::Palette::escape_inline(t).into_owned();
        Outcome {
            file: e(&self.file),
            known: self.known,
            stale: self
                .stale
                .iter()
                .map(|f| Finding {
                    file: e(&f.file),
                    question: e(&f.question),
                    claim: e(&f.claim),
                    verdict: e(&f.verdict),
                })
                .collect(),
            written: self.written,
        }
    }

    /// The lines the human report ends with: the stale entries, when there are any.
    pub fn stale_lines(&self) -> Vec<String> {
        self.stale.iter().map(Finding::line).collect()
    }
}

impl Baseline {
    /// Reads a baseline file; anything but one is an error that says what is wrong.
    pub fn read(path: &std::path::Path) -> Result<Baseline> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow!("{shown}: cannot read the baseline: {e}"))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| anyhow!("{shown}: not a snipcheck baseline: {e}"))?;
        if file.snipcheck_baseline != VERSION {
            bail!(
                "{shown}: a baseline of format {}, this snipcheck reads format {VERSION}",
                file.snipcheck_baseline
            );
        }
        let mut findings = file.findings;
        findings.sort();
        Ok(Baseline {
            read: Some((shown, findings)),
            write: None,
        })
    }

    /// Marks the question's findings that the baseline knows, and its statuses anew.
    pub fn mark(&self, q: &mut QuestionReport, strict: bool) {
        let mut left: BTreeMap<(String, String), usize> = BTreeMap::new();
        if let Some((path, findings)) = &self.read {
            let file = guide_key(Path::new(path), &q.file);
            for f in findings
                .iter()
                .filter(|f| f.file == file && f.question == q.id)
            {
                *left
                    .entry((f.claim.clone(), f.verdict.clone()))
                    .or_default() += 1;
            }
        }
        let all = self.write.is_some();
        let mut take = |claim: &str, verdict: &str| -> bool {
            if all {
                return true;
            }
            match left.get_mut(&(claim.to_string(), verdict.to_string())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            }
        };
        for ex in &mut q.examples {
            for c in &mut ex.claims {
                c.known = c.is_finding(strict) && take(&c.text, verdict_name(c.verdict));
            }
            let errors: Vec<String> = ex.errors().map(|e| e.display()).collect();
            // every error of the example must be known for it not to fail
            let known = errors.iter().filter(|e| take(e, ERROR)).count();
            ex.errors_known = !errors.is_empty() && known == errors.len();
            if ex.status != Status::Skipped {
                ex.status =
                    example_status_known(ex.error.as_ref(), ex.errors_known, &ex.claims, strict);
            }
        }
        q.status = question_status(&q.examples);
    }

    /// What it did to a finished report: the findings known, the entries left over.
    pub fn outcome(&self, report: &Report, strict: bool) -> Outcome {
        let known = report.summary.known;
        let stale = match &self.read {
            Some((path, findings)) => {
                let mut now = findings_of(report, strict, Path::new(path));
                now.sort();
                let checked: std::collections::HashSet<(String, &str)> = report
                    .questions
                    .iter()
                    .map(|q| (guide_key(Path::new(path), &q.file), q.id.as_str()))
                    .collect();
                // the entries a finding of the run does not use up
                let mut stale = vec![];
                let mut now = now.iter().peekable();
                for f in findings {
                    while now.next_if(|n| *n < f).is_some() {}
                    if now.next_if(|n| *n == f).is_none()
                        && checked.contains(&(f.file.clone(), f.question.as_str()))
                    {
                        stale.push(f.clone());
                    }
                }
                stale
            }
            None => vec![],
        };
        let file = match (&self.write, &self.read) {
            (Some(w), _) => w.clone(),
            (None, Some((r, _))) => r.clone(),
            (None, None) => String::new(),
        };
        Outcome {
            file,
            known,
            stale,
            written: self.write.is_some(),
        }
    }
}

const ERROR: &str = "error";

fn verdict_name(v: crate::judge::Verdict) -> &'static str {
    use crate::judge::Verdict;
    match v {
        Verdict::Pass => "pass",
        Verdict::Mismatch => "mismatch",
        Verdict::Unverified => "unverified",
        Verdict::Illustrative => "illustrative",
        Verdict::NotReached => "not-reached",
    }
}

/// Every finding of a report, known or not, in report order, its guide named as in
/// the baseline file at `baseline`.
pub fn findings_of(report: &Report, strict: bool, baseline: &Path) -> Vec<Finding> {
    let mut out = vec![];
    for q in &report.questions {
        let file = guide_key(baseline, &q.file);
        for ex in &q.examples {
            out.extend(example_findings(q, &file, ex, strict));
        }
    }
    out
}

fn example_findings<'a>(
    q: &'a QuestionReport,
    file: &'a str,
    ex: &'a ExampleReport,
    strict: bool,
) -> impl Iterator<Item = Finding> + 'a {
    let finding = move |claim: String, verdict: &str| Finding {
        file: file.to_string(),
        question: q.id.clone(),
        claim,
        verdict: verdict.to_string(),
    };
    let claims = ex
        .claims
        .iter()
        .filter(move |c| c.is_finding(strict))
        .map(move |c| finding(c.text.clone(), verdict_name(c.verdict)));
    let errors = ex.errors().map(move |e| finding(e.display(), ERROR));
    claims.chain(errors)
}

/// The baseline file at `path` of a report's findings, sorted so that it diffs well
/// in review.
pub fn render(report: &Report, strict: bool, path: &Path) -> String {
    let mut findings = findings_of(report, strict, path);
    findings.sort();
    let file = File {
        snipcheck_baseline: VERSION,
        findings,
    };
    serde_json::to_string_pretty(&file).expect("a baseline always serializes") + "\n"
}
