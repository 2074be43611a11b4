//! Readers: a guide file (text, Markdown, reStructuredText or HTML) -> questions and
//! examples.
//!
//! Each reader finds headings and code blocks with their guide lines; [`assemble`]
//! turns them into questions the same way for every format (CLAIMS.md section 1).

mod html;
mod markdown;
pub mod notebook;
mod outline;
mod repl;
mod rst;
mod text;

use std::path::Path;

use anyhow::Result;
use regex::Regex;

use crate::claims::qualifier::directive;
use crate::claims::VersionReq;
use crate::model::{Example, Guide, Question, Warning};

pub use repl::is_repl;

/// The file kinds a guide can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Rst,
    Html,
    /// A Jupyter notebook (`.ipynb`).
    Notebook,
}

impl Format {
    pub fn of(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("md" | "markdown") => Format::Markdown,
            Some("rst") => Format::Rst,
            Some("html" | "htm") => Format::Html,
            Some("ipynb") => Format::Notebook,
            _ => Format::Text,
        }
    }
}

/// A heading as a reader found it.
#[derive(Debug, Clone)]
pub struct Heading {
    /// The line of the heading's text (not of an underline or overline).
    pub line: usize,
    /// 1 for the outermost level (`#`, `<h1>`, the first underline style of an rst
    /// file), deeper levels counting up.
    pub level: u8,
    pub text: String,
    /// A `snipcheck: python ...` directive just before the heading or right under it:
    /// it limits every example of the section.
    pub requires: Option<VersionReq>,
}

/// A code block as a reader found it: raw lines starting at `line`.
#[derive(Debug, Clone)]
pub struct Block {
    pub line: usize,
    pub lines: Vec<String>,
    pub skip: Option<String>,
    /// A `snipcheck: python ...` directive right before the block.
    pub requires: Option<VersionReq>,
}

/// What a reader hands to [`assemble`].
#[derive(Debug, Default)]
pub struct Parts {
    pub title: Option<String>,
    pub headings: Vec<Heading>,
    pub blocks: Vec<Block>,
    pub warnings: Vec<Warning>,
}

/// What only Python can tell a reader: which lines are code.
pub trait CodeDetector {
    /// Code blocks of a fence-less text guide within the question bodies (0-based,
    /// end-exclusive line ranges), as 1-based inclusive line ranges.
    fn text_blocks(&self, lines: &[&str], bodies: &[(usize, usize)])
        -> Result<Vec<(usize, usize)>>;
    /// Whether a block with no language class reads as Python.
    fn is_python(&self, code: &str) -> bool;
    /// What of a notebook cell is IPython's syntax: its cell magic (`%%timeit`), or
    /// the 0-based lines that are line magics, shell escapes or help.
    fn ipython(&self, _code: &str) -> Ipython {
        Ipython::default()
    }
}

/// A notebook cell's IPython syntax, which plain Python cannot run.
#[derive(Debug, Default, PartialEq)]
pub struct Ipython {
    /// The cell magic the cell starts with (`%%timeit`), or empty.
    pub cell_magic: String,
    /// Its lines that are IPython's (0-based): `%matplotlib inline`, `!ls`, `x = !ls`, `len?`.
    pub lines: Vec<usize>,
}

impl CodeDetector for crate::python::Interpreter {
    fn text_blocks(
        &self,
        lines: &[&str],
        bodies: &[(usize, usize)],
    ) -> Result<Vec<(usize, usize)>> {
        crate::python::Interpreter::text_blocks(self, lines, bodies)
    }
    fn is_python(&self, code: &str) -> bool {
        crate::python::Interpreter::is_python(self, code)
    }
    fn ipython(&self, code: &str) -> Ipython {
        crate::python::Interpreter::ipython(self, code)
    }
}

/// Reads one guide from its text.
pub fn read(file: &str, text: &str, format: Format, python: &dyn CodeDetector) -> Result<Guide> {
    let text = &one_newline(text);
    let stem = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file)
        .to_string();
    let parts = match format {
        Format::Text => text::read(text, python)?,
        Format::Markdown => markdown::read(text),
        Format::Rst => rst::read(text, python),
        Format::Html => html::read(text, python),
        Format::Notebook => {
            let read = notebook::read(text).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
            return Ok(notebook::guide(file, &stem, read, python));
        }
    };
    Ok(assemble(file, &stem, parts))
}

/// The text with CRLF and lone CR line breaks as `\n`, so that every reader (and
/// html5ever, which counts a lone CR as a line break, as editors do) numbers lines alike.
pub fn one_newline(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

/// `161. Title`, `Q161. Title`, `Question 161: Title`: the number and the title.
pub fn numbered_heading(text: &str) -> Option<(String, String)> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:Q(?:uestion)?\s*)?(\d{1,6})\s*[.:)]\s+(\S.*)$")
            .expect("valid heading pattern")
    });
    let caps = re.captures(text.trim())?;
    Some((caps[1].to_string(), caps[2].trim().to_string()))
}

/// A slug for questions named by unnumbered headings.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(|c| c.to_lowercase()) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// Builds questions from headings and blocks (CLAIMS.md section 1): when numbered
/// headings are the guide's structure ([`outline::numbered_structure`]) only they open
/// questions and other headings are sections inside the current one; otherwise every
/// heading opens a question.
pub fn assemble(file: &str, stem: &str, parts: Parts) -> Guide {
    let Parts {
        title,
        headings,
        blocks,
        mut warnings,
    } = parts;
    let numbered = outline::numbered_structure(&headings);
    let openers: Vec<(usize, String, String)> = headings
        .iter()
        .filter_map(|h| match numbered_heading(&h.text) {
            Some((n, title)) => Some((h.line, n, title)),
            None if !numbered => Some((h.line, slug(&h.text), h.text.trim().to_string())),
            None => None,
        })
        .collect();
    let preamble_title = title.unwrap_or_else(|| stem.to_string());
    let mut questions = vec![Question {
        id: slug(&preamble_title),
        title: preamble_title,
        line: 1,
        examples: vec![],
    }];
    for (line, id, title) in &openers {
        questions.push(Question {
            id: id.clone(),
            title: title.clone(),
            line: *line,
            examples: vec![],
        });
    }
    // Openers are in line order, so the question a block belongs to is found by binary
    // search: counting the openers above each block instead costs headings x blocks,
    // minutes for a guide of 200,000 questions.
    debug_assert!(openers.windows(2).all(|w| w[0].0 <= w[1].0));
    let sections = Sections::new(&headings);
    for mut block in blocks {
        let at = openers.partition_point(|(line, _, _)| *line <= block.line);
        block.requires = both(sections.requires(block.line), block.requires);
        questions[at].examples.push(repl::to_example(block));
    }
    for q in &mut questions {
        q.examples.shrink_to_fit(); // pushing the first example made room for four
    }
    let mut seen = std::collections::HashMap::new();
    for q in questions.iter().skip(1) {
        if let Some(first) = seen.insert(q.id.clone(), q.line) {
            if numbered {
                warnings.push(Warning {
                    line: q.line,
                    message: crate::messages::duplicate_question(&q.id, first),
                });
            }
        }
    }
    if questions[0].examples.is_empty() {
        questions.remove(0);
    }
    Guide {
        file: file.to_string(),
        questions,
        warnings,
        cells: vec![],
        one_namespace: false,
    }
}

/// The version directives of headings, each over its section: the lines after the
/// heading up to the next heading of the same or an outer level.
struct Sections {
    /// (heading line, end line (exclusive; `usize::MAX`: the end), requirement).
    spans: Vec<(usize, usize, VersionReq)>,
}

impl Sections {
    fn new(headings: &[Heading]) -> Sections {
        let mut spans = vec![];
        for (i, h) in headings.iter().enumerate() {
            let Some(req) = h.requires else { continue };
            let end = headings[i + 1..]
                .iter()
                .find(|n| n.level <= h.level)
                .map_or(usize::MAX, |n| n.line);
            spans.push((h.line, end, req));
        }
        Sections { spans }
    }

    /// What the sections a block stands in require, together (outer first).
    fn requires(&self, line: usize) -> Option<VersionReq> {
        self.spans
            .iter()
            .filter(|(from, to, _)| *from < line && line < *to)
            .fold(None, |acc, (_, _, req)| both(acc, Some(*req)))
    }
}

/// Two requirements at once; when no version meets both (a guide's mistake), the
/// second, the inner one, decides.
fn both(outer: Option<VersionReq>, inner: Option<VersionReq>) -> Option<VersionReq> {
    match (outer, inner) {
        (Some(o), Some(i)) => Some(o.and(&i).unwrap_or(i)),
        (o, i) => i.or(o),
    }
}

/// A `<!-- snipcheck: python >= 3.10 -->` comment (or several, in an HTML block):
/// the requirement it states.
pub(crate) fn html_directive(html: &str) -> Option<VersionReq> {
    html.split("<!--")
        .skip(1)
        .find_map(|c| directive(c.split("-->").next().unwrap_or(c)))
}

/// The requirement a `# snipcheck: python >= 3.10` among the comment lines that open
/// an example states.
pub(crate) fn first_lines_requirement(lines: &[String]) -> Option<VersionReq> {
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take_while(|l| l.starts_with('#'))
        .find_map(directive)
}

/// Skips the examples whose first line says `# snipcheck: skip`.
pub(crate) fn first_line_skip(lines: &[String]) -> Option<String> {
    let first = lines.iter().find(|l| !l.trim().is_empty())?;
    let t = first.trim().trim_start_matches('#').trim();
    (first.trim().starts_with('#') && t.to_ascii_lowercase().starts_with("snipcheck: skip"))
        .then(|| "first line says snipcheck: skip".to_string())
}

/// The examples of all questions of a guide.
pub fn examples(guide: &Guide) -> impl Iterator<Item = &Example> {
    guide.questions.iter().flat_map(|q| q.examples.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_heading_forms() {
        assert_eq!(
            numbered_heading("161. What is iterator?"),
            Some(("161".into(), "What is iterator?".into()))
        );
        assert_eq!(
            numbered_heading("Q12. Lists"),
            Some(("12".into(), "Lists".into()))
        );
        assert_eq!(
            numbered_heading("Question 3: Sets"),
            Some(("3".into(), "Sets".into()))
        );
        assert_eq!(numbered_heading("3.14 is pi"), None);
        assert_eq!(numbered_heading("What is 1. this"), None);
    }

    #[test]
    fn every_line_break_counts_once() {
        assert_eq!(one_newline("a\r\nb\rc\n"), "a\nb\nc\n");
        assert!(matches!(one_newline("a\nb"), std::borrow::Cow::Borrowed(_)));
    }

    /// Python is whatever has an `=` in it.
    struct Stub;
    impl CodeDetector for Stub {
        fn text_blocks(&self, _: &[&str], _: &[(usize, usize)]) -> Result<Vec<(usize, usize)>> {
            Ok(vec![])
        }
        fn is_python(&self, code: &str) -> bool {
            code.contains('=')
        }
    }

    /// Each example's last code line and the versions it requires.
    fn requirements(text: &str, format: Format) -> Vec<(String, Option<String>)> {
        let guide = read("g", text, format, &Stub).unwrap();
        examples(&guide)
            .map(|e| {
                let code = e.code.iter().rev().find(|l| !l.trim().is_empty()).unwrap();
                (code.trim().to_string(), e.requires.map(|r| r.to_string()))
            })
            .collect()
    }

    /// In every format: a directive right before a block limits it; right before a
    /// heading or right under it, the heading's whole section; a first line
    /// `# snipcheck: python ...`, its example (within its section's range); prose
    /// between a directive and a block cancels it.
    const EXPECTED: &[(&str, Option<&str>)] = &[
        ("x = 1", Some("3.10+")),
        ("y = 2", None),
        ("z = 3", Some("3.11-3.12")),
        ("v = 5", Some("3.12+")),
        ("u = 6", Some("3.12+")),
        ("t = 7", None),
    ];

    fn expected() -> Vec<(String, Option<String>)> {
        EXPECTED
            .iter()
            .map(|(c, r)| (c.to_string(), r.map(str::to_string)))
            .collect()
    }

    #[test]
    fn version_directives_in_markdown() {
        let md = "# Guide\n\nIntro.\n\n<!-- snipcheck: python >= 3.10 -->\n```python\nx = 1\n```\n\n\
                  ```python\ny = 2\n```\n\n## Later\n<!-- snipcheck: python >= 3.11 -->\n\nText.\n\n\
                  ```python\n# snipcheck: python < 3.13\nz = 3\n```\n\n\
                  <!-- snipcheck: python 3.12+ -->\n## Last\n\n```python\nv = 5\n```\n\n\
                  ### Sub\n\n```python\nu = 6\n```\n\n## After\n\nFirst.\n\n\
                  <!-- snipcheck: python >= 3.9 -->\nProse cancels it.\n\n```python\nt = 7\n```\n";
        assert_eq!(requirements(md, Format::Markdown), expected());
    }

    #[test]
    fn version_directives_in_html() {
        let html = "<h1>Guide</h1>\n<p>Intro.</p>\n<!-- snipcheck: python >= 3.10 -->\n\
                    <pre><code class=\"language-python\">x = 1</code></pre>\n\
                    <pre><code class=\"language-python\">y = 2</code></pre>\n\
                    <h2>Later</h2>\n<!-- snipcheck: python >= 3.11 -->\n<p>Text.</p>\n\
                    <pre class=\"python\"># snipcheck: python &lt; 3.13\nz = 3</pre>\n\
                    <!-- snipcheck: python 3.12+ -->\n<h2>Last</h2>\n<pre class=\"python\">v = 5</pre>\n\
                    <h3>Sub</h3>\n<pre class=\"python\">u = 6</pre>\n<h2>After</h2>\n<p>First.</p>\n\
                    <!-- snipcheck: python >= 3.9 -->\n<p>Prose cancels it.</p>\n\
                    <pre class=\"python\">t = 7</pre>\n";
        assert_eq!(requirements(html, Format::Html), expected());
    }

    #[test]
    fn version_directives_in_rst() {
        let rst = "Guide\n=====\n\nIntro.\n\n.. snipcheck: python >= 3.10\n\n\
                   .. code-block:: python\n\n   x = 1\n\n.. code-block:: python\n\n   y = 2\n\n\
                   Later\n-----\n\n.. snipcheck: python >= 3.11\n\nText.\n\n\
                   .. code-block:: python\n\n   # snipcheck: python < 3.13\n   z = 3\n\n\
                   .. snipcheck: python 3.12+\n\nLast\n----\n\n.. code-block:: python\n\n   v = 5\n\n\
                   Sub\n~~~\n\n.. code-block:: python\n\n   u = 6\n\nAfter\n-----\n\nFirst.\n\n\
                   .. snipcheck: python >= 3.9\n\nProse cancels it.\n\n\
                   .. code-block:: python\n\n   t = 7\n";
        assert_eq!(requirements(rst, Format::Rst), expected());
    }

    #[test]
    fn a_skip_and_a_version_directive_open_an_example_together() {
        let md = "```python\n# snipcheck: skip\n# snipcheck: python >= 3.12\nx = 1\n```\n\n\
                  ```pycon\n# snipcheck: python 3.10\n>>> 1\n1\n```\n";
        let guide = read("g.md", md, Format::Markdown, &Stub).unwrap();
        let got: Vec<_> = examples(&guide)
            .map(|e| (e.skip.is_some(), e.requires.map(|r| r.to_string())))
            .collect();
        assert_eq!(
            got,
            vec![(true, Some("3.12+".into())), (false, Some("3.10".into()))]
        );
        let session = examples(&guide).nth(1).unwrap();
        assert_eq!(session.prompts, vec![9], "still a session");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("What is a Set?"), "what-is-a-set");
        assert_eq!(slug("  ***  "), "section");
    }
}
