//! Jupyter notebooks (`.ipynb`, nbformat 4) as guides: a markdown cell's headings open
//! questions, a code cell is an example, the comments in it are claims as anywhere
//! else, and its saved outputs (`stream` on stdout, `execute_result`, `error`) are
//! claims on the cell ([`SavedOutput`]). Outputs that only illustrate (images, HTML,
//! widgets, `display_data`, stderr) are left alone with a warning.
//!
//! Lines are lines of the `.ipynb` file, so that editors and GitHub open the claim
//! where it is: nbformat writes each line of a cell's source, and of an output's text,
//! as one JSON string on a line of its own. serde_json reads the notebook; each
//! string is kept as the slice of the file it was read from (`RawValue`), whose
//! offset in the file gives its line. A notebook not laid out that way (a cell's
//! source as one string, or the JSON on one line) cannot name its lines and is refused.

use std::collections::HashMap;

use anyhow::{anyhow, bail, Result};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Block, CodeDetector, Heading, Parts};
use crate::model::{CellSpan, Guide, SavedKind, SavedOutput, Warning};

#[derive(Deserialize)]
struct Notebook<'a> {
    nbformat: u64,
    #[serde(borrow)]
    cells: Vec<Cell<'a>>,
    #[serde(default)]
    metadata: Metadata,
}

/// The language of the notebook's kernel, where it says (`kernelspec.language`, or
/// `language_info.name`).
#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    kernelspec: Option<Kernelspec>,
    #[serde(default)]
    language_info: Option<LanguageInfo>,
}

#[derive(Deserialize)]
struct Kernelspec {
    #[serde(default)]
    language: Option<String>,
}

#[derive(Deserialize)]
struct LanguageInfo {
    #[serde(default)]
    name: Option<String>,
}

impl Metadata {
    /// The kernel's language when it is not Python: its cells are not examples.
    fn other_language(&self) -> Option<&str> {
        let said = self
            .kernelspec
            .as_ref()
            .and_then(|k| k.language.as_deref())
            .or_else(|| self.language_info.as_ref()?.name.as_deref())?;
        (!said.eq_ignore_ascii_case("python")).then_some(said)
    }
}

#[derive(Deserialize)]
struct Cell<'a> {
    cell_type: String,
    #[serde(borrow)]
    source: &'a RawValue,
    #[serde(default, borrow)]
    outputs: Vec<Output<'a>>,
}

#[derive(Deserialize)]
struct Output<'a> {
    output_type: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, borrow)]
    text: Option<&'a RawValue>,
    #[serde(default, borrow)]
    data: HashMap<String, &'a RawValue>,
    #[serde(default, borrow)]
    ename: Option<&'a RawValue>,
    #[serde(default)]
    evalue: Option<String>,
}

/// One JSON string of the file, decoded, and the file line it stands on.
struct Piece {
    line: usize,
    text: String,
}

/// Where things are in the file's text.
struct Place<'t> {
    text: &'t str,
    /// The byte offset at which each line starts.
    starts: Vec<usize>,
}

impl<'t> Place<'t> {
    fn new(text: &'t str) -> Place<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Place { text, starts }
    }

    /// The 1-based line a slice of the text starts on.
    fn line(&self, raw: &RawValue) -> usize {
        self.line_at(raw.get().as_ptr() as usize - self.text.as_ptr() as usize)
    }

    /// The 1-based line a slice of the text ends on.
    fn end_line(&self, raw: &RawValue) -> usize {
        let start = raw.get().as_ptr() as usize - self.text.as_ptr() as usize;
        self.line_at(start + raw.get().len().saturating_sub(1))
    }

    fn line_at(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The first and last file lines of a string or a list of strings: those of its
    /// strings, not of the brackets around them.
    fn string_lines(&self, raw: &RawValue) -> (usize, usize) {
        match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
            Ok(items) if !items.is_empty() => {
                (self.line(items[0]), self.end_line(items[items.len() - 1]))
            }
            _ => (self.line(raw), self.end_line(raw)),
        }
    }

    /// The file lines an output spans: all of its strings that the reader knows (its
    /// text, its data, its error's name).
    fn output_lines(&self, out: &Output) -> Option<(usize, usize)> {
        let spans: Vec<(usize, usize)> = out
            .text
            .iter()
            .chain(out.data.values())
            .chain(out.ename.iter())
            .map(|r| self.string_lines(r))
            .collect();
        let first = spans.iter().map(|s| s.0).min()?;
        let last = spans.iter().map(|s| s.1).max()?;
        Some((first, last))
    }

    /// A multiline string as nbformat writes it (a list of strings, one a line) or a
    /// single one-line string: its pieces, each with its line.
    fn pieces(&self, raw: &RawValue, what: &str) -> Result<Vec<Piece>> {
        let one = |raw: &RawValue| -> Result<Piece> {
            Ok(Piece {
                line: self.line(raw),
                text: serde_json::from_str(raw.get()).map_err(|e| anyhow!("{what}: {e}"))?,
            })
        };
        let pieces = if raw.get().trim_start().starts_with('[') {
            let items: Vec<&RawValue> =
                serde_json::from_str(raw.get()).map_err(|e| anyhow!("{what}: {e}"))?;
            items.into_iter().map(one).collect::<Result<Vec<_>>>()?
        } else {
            vec![one(raw)?]
        };
        // one line of text per line of the file, or the lines cannot be named
        let laid_out = pieces.iter().enumerate().all(|(i, p)| {
            let inner = p.text.strip_suffix('\n').unwrap_or(&p.text);
            !inner.contains('\n') && (i == 0 || pieces[i - 1].line + 1 == p.line)
        });
        if !laid_out {
            bail!(
                "{what} is not one line of text per line of the file; save the notebook \
                 with Jupyter or nbformat (one string per line), then check it"
            );
        }
        Ok(pieces)
    }
}

fn text_of(pieces: &[Piece]) -> String {
    pieces.iter().map(|p| p.text.as_str()).collect()
}

/// What a notebook holds, for [`super::assemble`], and each code cell's saved outputs
/// with the last file line they reach.
pub struct Read {
    pub parts: Parts,
    /// Per code block, in order: the saved outputs it claims. nbformat writes a
    /// cell's outputs before its source (its keys in name order), so they may stand
    /// above the code or below it.
    pub outputs: Vec<Vec<SavedOutput>>,
    /// Where every cell's source and outputs are, to name lines by cell.
    pub cells: Vec<CellSpan>,
}

fn span(cell: usize, output: Option<usize>, pieces: &[Piece]) -> Option<CellSpan> {
    Some(CellSpan {
        cell,
        output,
        first: pieces.first()?.line,
        last: pieces.last()?.line,
    })
}

pub fn read(text: &str) -> Result<Read> {
    let nb: Notebook =
        serde_json::from_str(text).map_err(|e| anyhow!("not a Jupyter notebook: {e}"))?;
    if nb.nbformat != 4 {
        bail!(
            "a notebook of nbformat {}; snipcheck reads nbformat 4",
            nb.nbformat
        );
    }
    let place = Place::new(text);
    let mut parts = Parts::default();
    let mut outputs = vec![];
    let mut cells = vec![];
    for (i, cell) in nb.cells.iter().enumerate() {
        let n = i + 1;
        let what = format!("cell {n}");
        let source = place.pieces(cell.source, &what)?;
        cells.extend(span(n, None, &source));
        match cell.cell_type.as_str() {
            "markdown" => {
                let mut fence: Option<&str> = None; // the fence of a code block open here
                for p in &source {
                    // CommonMark: up to three spaces of indent; no heading inside a fence
                    let t = p.text.trim_end();
                    let t = t
                        .strip_prefix("   ")
                        .or(t.strip_prefix("  "))
                        .or(t.strip_prefix(' '))
                        .unwrap_or(t);
                    let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
                    match (fence, marker) {
                        (None, Some(m)) => fence = Some(m),
                        (Some(f), Some(m)) if f == m => fence = None,
                        _ => {}
                    }
                    if fence.is_some() || marker.is_some() {
                        continue;
                    }
                    let hashes = t.chars().take_while(|&c| c == '#').count();
                    if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
                        parts.headings.push(Heading {
                            line: p.line,
                            level: hashes as u8,
                            text: t[hashes..].trim().to_string(),
                            requires: None,
                        });
                    }
                }
            }
            "code" => {
                cells.extend(output_spans(&place, cell, n));
                if source.is_empty() || source.iter().all(|p| p.text.trim().is_empty()) {
                    continue;
                }
                let first = source[0].line;
                let lines = code_lines(&source);
                let (saved, warnings) = saved_outputs(&place, cell, i)?;
                parts.warnings.extend(warnings);
                outputs.push(saved);
                parts.blocks.push(Block {
                    line: first,
                    lines,
                    skip: nb
                        .metadata
                        .other_language()
                        .map(|l| format!("the notebook's kernel runs {l}, not Python")),
                    requires: None,
                });
            }
            _ => {} // raw cells
        }
    }
    // each line of text on a file line of its own, or lines cannot be named: a
    // notebook whose JSON is one line holds every cell on line 1
    let mut spans: Vec<&CellSpan> = cells.iter().collect();
    spans.sort_by_key(|s| s.first);
    if let Some(w) = spans.windows(2).find(|w| w[1].first <= w[0].last) {
        bail!(
            "cell {} and cell {} share line {} of the file: not one line of text per line \
             of the file; save the notebook with Jupyter or nbformat (one string per line), \
             then check it",
            w[0].cell,
            w[1].cell,
            w[1].first
        );
    }
    Ok(Read {
        parts,
        outputs,
        cells,
    })
}

/// The file lines of each of a code cell's outputs.
fn output_spans(place: &Place, cell: &Cell, n: usize) -> Vec<CellSpan> {
    let mut spans = vec![];
    for (o, out) in cell.outputs.iter().enumerate() {
        if let Some((first, last)) = place.output_lines(out) {
            spans.push(CellSpan {
                cell: n,
                output: Some(o + 1),
                first,
                last,
            });
        }
    }
    spans
}

/// A code cell's outputs as claims, and the warnings for the ones that are not.
fn saved_outputs(
    place: &Place,
    cell: &Cell,
    index: usize,
) -> Result<(Vec<SavedOutput>, Vec<Warning>)> {
    let n = index + 1;
    let mut saved: Vec<SavedOutput> = vec![];
    let mut warnings = vec![];
    let what = format!("cell {n}'s output");
    let beside_stderr = cell
        .outputs
        .iter()
        .any(|o| o.output_type == "stream" && o.name.as_deref() == Some("stderr"));
    // output `o`, lines of text, as a claim (none when it has no text)
    let claim = |kind: SavedKind, pieces: &[Piece], o: usize| -> Option<SavedOutput> {
        Some(SavedOutput {
            line: pieces.first()?.line,
            end_line: pieces.last()?.line,
            kind,
            text: text_of(pieces),
            cell: index,
            outputs: vec![o],
            beside_stderr,
        })
    };
    for (o, out) in cell.outputs.iter().enumerate() {
        match out.output_type.as_str() {
            "stream" if out.name.as_deref() == Some("stdout") => {
                let Some(raw) = out.text else { continue };
                let Some(new) = claim(SavedKind::Stream, &place.pieces(raw, &what)?, o) else {
                    continue;
                };
                // a cell's stdout streams are one output, all it printed, though other
                // outputs (an image, stderr) stand between them
                match saved.iter_mut().find(|s| s.kind == SavedKind::Stream) {
                    Some(s) => {
                        s.text.push_str(&new.text);
                        s.outputs.push(o);
                        s.end_line = new.end_line;
                    }
                    None => saved.push(new),
                }
            }
            "execute_result" if out.data.contains_key("text/plain") => {
                let pieces = place.pieces(out.data["text/plain"], &what)?;
                saved.extend(claim(SavedKind::Result, &pieces, o));
            }
            "error" => {
                let Some(raw) = out.ename else { continue };
                let ename: String =
                    serde_json::from_str(raw.get()).map_err(|e| anyhow!("{what}: {e}"))?;
                let line = place.line(raw);
                let evalue = out.evalue.clone().unwrap_or_default();
                let text = if evalue.is_empty() {
                    ename
                } else {
                    format!("{ename}: {evalue}")
                };
                saved.push(SavedOutput {
                    line,
                    end_line: line,
                    kind: SavedKind::Error,
                    text,
                    cell: index,
                    outputs: vec![o],
                    beside_stderr,
                });
            }
            other => {
                let kind = match other {
                    "stream" => format!("{} stream", out.name.as_deref().unwrap_or("a")),
                    _ => {
                        let mut types: Vec<&str> = out.data.keys().map(String::as_str).collect();
                        types.sort_unstable();
                        match types.is_empty() {
                            true => other.to_string(),
                            false => format!("{other} ({})", types.join(", ")),
                        }
                    }
                };
                // an output with no text at all is named by its cell's source
                let line = place
                    .output_lines(out)
                    .map_or_else(|| place.string_lines(cell.source).0, |l| l.0);
                warnings.push(Warning {
                    line,
                    message: format!("a saved {kind} output is illustrative and not checked"),
                });
            }
        }
    }
    Ok((saved, warnings))
}

/// The guide of a notebook: [`super::assemble`] makes its questions and examples, and
/// each example then reaches over its cell's saved outputs, which it claims.
pub fn guide(file: &str, stem: &str, read: Read, python: &dyn CodeDetector) -> Guide {
    let Read {
        parts,
        outputs,
        cells,
    } = read;
    let mut g = super::assemble(file, stem, parts);
    g.cells = cells;
    g.one_namespace = true;
    let mut outputs = outputs.into_iter();
    for ex in g.questions.iter_mut().flat_map(|q| q.examples.iter_mut()) {
        let Some(saved) = outputs.next() else { break };
        g.warnings.extend(without_ipython(ex, python));
        let source_end = ex.end_line;
        // the example reaches over its outputs, lines of no code, above or below
        let first = saved.iter().map(|s| s.line).min().unwrap_or(ex.line);
        let mut last = saved
            .iter()
            .map(|s| s.end_line)
            .max()
            .unwrap_or(ex.end_line);
        let result = saved.iter().any(|s| s.kind == SavedKind::Result);
        if result {
            // the line after the source (the `]` that closes it in nbformat's layout)
            last = last.max(source_end + 1);
        }
        while ex.line > first {
            ex.line -= 1;
            ex.code.insert(0, String::new());
            ex.raw.insert(0, String::new());
        }
        while ex.end_line < last {
            ex.end_line += 1;
            ex.code.push(String::new());
            ex.raw.push(String::new());
        }
        if result {
            // A bare `#` there (a comment that claims nothing) has the harness observe
            // the last statement on its own, whose value the saved result claims: a
            // run of plain statements with no comment under it is run as one, and
            // their values are not kept (DESIGN.md, "Plain statements run together").
            ex.code[source_end + 1 - ex.line] = "#".to_string();
        }
        for s in &saved {
            // the human report shows the output's own text at its line
            for (k, l) in s.text.lines().enumerate() {
                if let Some(r) = ex.raw.get_mut(s.line + k - ex.line) {
                    *r = l.to_string();
                }
            }
        }
        ex.saved = saved;
    }
    g
}

/// A cell's IPython syntax taken out of what runs, as plain Python cannot run it: a
/// cell magic skips the cell, and each line magic, shell escape or help line is run as
/// `pass` (the report still shows it), with a warning at its line.
fn without_ipython(ex: &mut crate::model::Example, python: &dyn CodeDetector) -> Vec<Warning> {
    let found = python.ipython(&ex.source());
    if !found.cell_magic.is_empty() {
        ex.skip = Some(format!(
            "the cell is an IPython cell magic ({}), not Python",
            found.cell_magic
        ));
        return vec![];
    }
    let mut warnings = vec![];
    for i in found.lines {
        let Some(code) = ex.code.get_mut(i) else {
            continue;
        };
        let shown = code.trim().to_string();
        let indent = code.len() - code.trim_start().len();
        *code = format!("{}pass", &code[..indent]);
        warnings.push(Warning {
            line: ex.line + i,
            message: format!("IPython syntax, not run: {shown}"),
        });
        ex.not_run.push(ex.line + i);
    }
    warnings
}

/// A code cell's source, for `--fix`: the cell's index (from 0), the file line of its
/// first line, and its lines without their newlines.
pub struct CodeSource {
    pub cell: usize,
    pub first: usize,
    pub lines: Vec<String>,
    /// Its last line ends in a newline (nbformat's own sources do not).
    pub ends_in_newline: bool,
}

/// A code cell's lines of Python, one a file line (as `Place::pieces` makes sure).
/// nbformat splits a source as Python's `splitlines` does, also at characters that end
/// no line of Python (a form feed, U+2028 in a string): such a piece is joined with the
/// next into one line of code, on the first one's file line, and the next file line
/// is left blank, so that the lines after stay where they are.
fn code_lines(source: &[Piece]) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut open: Option<usize> = None; // the line a piece that ended mid-line began
    for (i, p) in source.iter().enumerate() {
        let text = p.text.trim_end_matches('\n');
        match open {
            Some(at) => {
                lines[at].push_str(text);
                lines.push(String::new());
            }
            None => lines.push(text.to_string()),
        }
        let mid_line = ends_mid_line(p) && i + 1 < source.len();
        open = match (mid_line, open) {
            (true, Some(at)) => Some(at),
            (true, None) => Some(lines.len() - 1),
            (false, _) => None,
        };
    }
    lines
}

/// A piece that ends where Python's line does not: at a form feed, U+2028, ... (a
/// lone `\r` ends a line of Python too).
fn ends_mid_line(p: &Piece) -> bool {
    !p.text.ends_with('\n') && !p.text.ends_with('\r')
}

/// Whether a cell's source has a line nbformat split in two (see [`code_lines`]).
fn splits_a_line(source: &[Piece]) -> bool {
    let n = source.len();
    source.iter().take(n.saturating_sub(1)).any(ends_mid_line)
}

pub fn code_sources(text: &str) -> Result<Vec<CodeSource>> {
    let nb: Notebook =
        serde_json::from_str(text).map_err(|e| anyhow!("not a Jupyter notebook: {e}"))?;
    let place = Place::new(text);
    let mut out = vec![];
    for (i, cell) in nb.cells.iter().enumerate() {
        if cell.cell_type != "code" {
            continue;
        }
        let pieces = place.pieces(cell.source, &format!("cell {}", i + 1))?;
        let Some(first) = pieces.first().map(|p| p.line) else {
            continue;
        };
        if splits_a_line(&pieces) {
            continue; // its lines are not one a piece: its comments are not rewritten
        }
        out.push(CodeSource {
            cell: i,
            first,
            ends_in_newline: pieces.last().is_some_and(|p| p.text.ends_with('\n')),
            lines: pieces
                .iter()
                .map(|p| p.text.trim_end_matches('\n').to_string())
                .collect(),
        });
    }
    Ok(out)
}
