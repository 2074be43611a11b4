//! `snipcheck extract`: one file per question with code, and the claims it makes, as a
//! reviewable record kept in the repository; `--check` is CI's drift check.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, Result};
use serde::Serialize;

use crate::cli::ExtractArgs;
use crate::evaluate::evaluate;
use crate::guide::slug;
use crate::inputs::load_guides;
use crate::messages;
use crate::model::Guide;
use crate::python::Interpreter;
use crate::report::{QuestionReport, Report};
use crate::settings::Settings;

#[derive(Serialize)]
struct Expected<'a> {
    question: &'a str,
    title: &'a str,
    file: &'a str,
    line: usize,
    claims: Vec<ExpectedClaim<'a>>,
}

/// What the guide claims at a line: nothing the interpreter decides (the rule that
/// passed, what was printed) is recorded, so that `--check` answers the same under
/// every Python.
#[derive(Serialize)]
struct ExpectedClaim<'a> {
    line: usize,
    kind: &'static str,
    text: &'a str,
}

pub fn run(args: &ExtractArgs) -> Result<u8> {
    let modes = crate::settings::interpreters(&args.run)?;
    if modes.len() > 1 {
        anyhow::bail!("extract runs under one interpreter: give --python once");
    }
    let settings = Settings::from_args(&args.run, false)?.for_interpreter(&modes[0])?;
    let python = Interpreter::new()?;
    let guides = load_guides(std::slice::from_ref(&args.guide), &python, false)?;
    let quiet = &mut crate::report::event::Reporters::default();
    let report = evaluate(&guides, &settings, &python, Instant::now(), None, quiet)?;
    let files = render(&guides[0], &report);
    if args.check {
        let stale = stale_files(&args.out, &files);
        if stale.is_empty() {
            println!(
                "extract: {} files in {} are up to date",
                files.len(),
                args.out.display()
            );
            return Ok(0);
        }
        eprintln!("snipcheck: {}", messages::extract_stale(&stale));
        return Ok(1);
    }
    for dir in ["questions", "expected"] {
        let dir = args.out.join(dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow!("{}: cannot create: {e}", dir.display()))?;
        for old in std::fs::read_dir(&dir)?.flatten() {
            let rel = format!(
                "{}/{}",
                dir.file_name().unwrap().to_string_lossy(),
                old.file_name().to_string_lossy()
            );
            if !files.contains_key(&rel) && old.path().is_file() {
                std::fs::remove_file(old.path())?;
            }
        }
    }
    for (rel, text) in &files {
        let path = args.out.join(rel);
        std::fs::write(&path, text)
            .map_err(|e| anyhow!("{}: cannot write: {e}", path.display()))?;
    }
    println!(
        "extract: wrote {} files to {}",
        files.len(),
        args.out.display()
    );
    Ok(0)
}

/// Whether a line of an example is code: any line of a guide, in a notebook a line
/// of a cell's source.
fn is_code_line(guide: &Guide, line: usize) -> bool {
    guide.cells.is_empty()
        || guide
            .cells
            .iter()
            .any(|s| s.output.is_none() && (s.first..=s.last).contains(&line))
}

/// The files extract writes, by path relative to the output folder.
fn render(guide: &Guide, report: &Report) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for (q, qr) in guide.questions.iter().zip(&report.questions) {
        if q.examples.is_empty() {
            continue;
        }
        let name = file_stem(&q.id, &q.title);
        let mut code = format!(
            "# snipcheck: question {}: {}\n# guide: {}, line {}\n",
            q.id, q.title, guide.file, q.line
        );
        for ex in &q.examples {
            // a notebook's example also reaches over its cell's saved outputs, which
            // are claims (in expected/), not code
            let lines: Vec<(usize, &String)> = (ex.line..)
                .zip(&ex.raw)
                .filter(|(line, _)| is_code_line(guide, *line))
                .collect();
            code.push_str(&format!(
                "\n# example at line {}{}\n",
                lines.first().map_or(ex.line, |l| l.0),
                ex.skip
                    .as_ref()
                    .map(|r| format!(" (skipped: {r})"))
                    .unwrap_or_default()
            ));
            for (_, l) in lines {
                code.push_str(l);
                code.push('\n');
            }
        }
        files.insert(format!("questions/{name}.py"), code);
        files.insert(
            format!("expected/{name}.json"),
            expected_json(q.id.as_str(), qr),
        );
    }
    files
}

fn file_stem(id: &str, title: &str) -> String {
    let s = slug(title);
    let title_part: String = s
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    if s == slug(id) {
        s
    } else {
        format!("{}-{}", slug(id), title_part)
    }
}

fn expected_json(id: &str, q: &QuestionReport) -> String {
    let claims = q
        .examples
        .iter()
        .flat_map(|e| &e.claims)
        .map(|c| ExpectedClaim {
            line: c.line,
            kind: c.kind.name(),
            text: &c.text,
        })
        .collect();
    let doc = Expected {
        question: id,
        title: &q.title,
        file: &q.file,
        line: q.line,
        claims,
    };
    serde_json::to_string_pretty(&doc).expect("serializable") + "\n"
}

fn stale_files(out: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut stale: Vec<String> = files
        .iter()
        .filter(|(rel, text)| {
            std::fs::read_to_string(out.join(rel)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(rel, _)| rel.clone())
        .collect();
    for dir in ["questions", "expected"] {
        for entry in std::fs::read_dir(out.join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let rel = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if !files.contains_key(&rel) {
                stale.push(format!("{rel} (no longer in the guide)"));
            }
        }
    }
    stale
}
