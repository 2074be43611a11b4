//! Choosing, for each false claim of a guide, the best rewrite that reads back as a
//! claim that holds, and making them all in one new text of the guide.

use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result};
use regex::Regex;

use crate::claims::Kind;
use crate::guide::Format;
use crate::judge::Options;
use crate::python::Interpreter;
use crate::report::ClaimReport;

use super::rewrite::{self, Ctx, Target};
use super::source::{Edit, Source};
use super::verify::{self, Holds};
use super::{raised, settled_error, FileFix, Found};

/// The run's tolerance for `~N` claims, as the approximate rule's message states it
/// (the report does not carry the option); 25 % otherwise, the default.
fn tolerance(c: &ClaimReport) -> f64 {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"± (\d+(?:\.\d+)?)%").expect("a valid pattern"));
    c.message
        .as_deref()
        .and_then(|m| re.captures(m))
        .and_then(|c| c[1].parse::<f64>().ok())
        .map_or(0.25, |p| p / 100.0)
}

pub fn plan_file(file: &str, claims: &[Found], python: &Interpreter) -> Result<Option<FileFix>> {
    let bytes = std::fs::read(file).with_context(|| format!("{file}: cannot read to fix"))?;
    let before =
        String::from_utf8(bytes).with_context(|| format!("{file}: not UTF-8; not fixed"))?;
    let format = Format::of(Path::new(file));
    let Some(done) = plan_text(file, format, &before, claims, python)? else {
        return Ok(None);
    };
    Ok(Some(FileFix {
        file: file.to_string(),
        before,
        after: done.after,
        fixed: done.fixed,
        settled: done.settled,
        saved_errors: vec![],
    }))
}

/// A guide's text with its false claims rewritten: what [`plan_text`] makes.
pub struct Planned {
    pub after: String,
    /// Lines (of the text before) of the claims rewritten, and of the example errors
    /// that the rewritten claims settle.
    pub fixed: Vec<usize>,
    pub settled: Vec<usize>,
}

/// The rewrites of a guide's text, read as `format`; `file` names it in messages.
pub fn plan_text(
    file: &str,
    format: Format,
    before: &str,
    claims: &[Found],
    python: &Interpreter,
) -> Result<Option<Planned>> {
    let src = Source::parse(before);
    let html = format == Format::Html;
    let lines: HashSet<usize> = claims.iter().map(|(c, _, _)| c.line).collect();
    let found = verify::claims_at(file, format, &src.text(), &lines, python)?;
    let mut targets: Vec<(Target, Vec<Edit>)> = claims
        .iter()
        .filter_map(|&(c, ex, alone)| {
            // a claim whose text is not what the run read (the guide changed since)
            // is not touched
            let cand = found.get(&c.line).filter(|cand| cand.text == c.text)?;
            let t = rewrite::target(c, (raised(c, ex), alone), cand, &src, html)?;
            let ctx = Ctx {
                lits: python,
                tolerance: tolerance(c),
                html,
            };
            let options = rewrite::options(&t, &src, &ctx);
            (!options.is_empty()).then_some((t, options))
        })
        .collect();
    targets.sort_by_key(|(t, _)| t.claim.line);
    let Some((after, held)) = choose(file, format, &src, &targets, python) else {
        return Ok(None);
    };
    // an exception nobody claimed, now claimed by the rewritten claim
    let settled = held
        .iter()
        .filter(|(c, how)| *how == Holds::AsException && c.kind != Kind::Exception)
        .filter_map(|(c, _)| {
            let ex = claims.iter().find(|(f, _, _)| f.line == c.line)?.1;
            settled_error(c, ex)
        })
        .collect();
    Ok(Some(Planned {
        after: after.render(),
        fixed: held.iter().map(|(c, _)| c.line).collect(),
        settled,
    }))
}

/// The best rewrite of every claim that has one that holds: all first choices are
/// tried together, and each claim whose rewrite does not read back as a claim that
/// holds moves to its next choice, until every remaining one holds. One reading of
/// the guide per round; a claim runs out of choices at most once per option.
fn choose<'a>(
    file: &str,
    format: Format,
    src: &Source,
    targets: &[(Target<'a>, Vec<Edit>)],
    python: &Interpreter,
) -> Option<(Source, Vec<(&'a ClaimReport, Holds)>)> {
    let mut choice = vec![0usize; targets.len()];
    loop {
        let mut chosen: Vec<(usize, &Edit)> = vec![];
        let mut reach = 0; // where the last chosen claim's lines end
        for (i, (t, options)) in targets.iter().enumerate() {
            let Some(e) = options.get(choice[i]) else {
                continue;
            };
            if t.claim.line < reach {
                choice[i] = options.len(); // overlaps the claim before: left alone
                continue;
            }
            reach = e.end();
            chosen.push((i, e));
        }
        if chosen.is_empty() {
            return None;
        }
        let edits: Vec<Edit> = chosen.iter().map(|(_, e)| (*e).clone()).collect();
        let after = src.apply(&edits);
        // where each claim stands once the edits before it added or removed lines
        let mut shift = 0isize;
        let mut at = vec![];
        for (i, e) in &chosen {
            at.push((*i, targets[*i].0.claim.line.saturating_add_signed(shift)));
            shift += e.delta();
        }
        let wanted: HashSet<usize> = at.iter().map(|(_, l)| *l).collect();
        let reread =
            verify::claims_at(file, format, &after.text(), &wanted, python).unwrap_or_default();
        let mut held = vec![];
        for (i, line) in at {
            let t = &targets[i].0;
            let opts = Options {
                tolerance: tolerance(t.claim),
            };
            match reread
                .get(&line)
                .and_then(|c| verify::holds(t, c, &opts, python))
            {
                Some(how) => held.push((t.claim, how)),
                None => choice[i] += 1,
            }
        }
        if held.len() == chosen.len() {
            return Some((after, held));
        }
    }
}
