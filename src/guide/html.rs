//! HTML guides, read with html5ever's tokenizer, which reports the line of each token:
//! `<pre>` blocks, `<hN>` headings, entities decoded, highlighting markup
//! dropped, `<script>`/`<style>` skipped.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::CodeDetector;
use super::{Block, Heading, Parts};
use crate::claims::qualifier::directive;
use crate::claims::VersionReq;

const PYTHON_NAMES: &[&str] = &["python", "py", "python3", "py3", "pycon", "ipython"];
const OTHER_NAMES: &[&str] = &[
    "bash",
    "sh",
    "shell",
    "console",
    "text",
    "txt",
    "plaintext",
    "json",
    "yaml",
    "yml",
    "toml",
    "ini",
    "js",
    "javascript",
    "ts",
    "typescript",
    "html",
    "xml",
    "css",
    "c",
    "cpp",
    "java",
    "go",
    "rust",
    "sql",
    "diff",
    "output",
    "none",
    "nohighlight",
    "ruby",
    "powershell",
    "cmd",
    "dockerfile",
];

#[derive(Default)]
struct Pre {
    line: usize,
    classes: Vec<String>,
    text: String,
}

#[derive(Default)]
struct State {
    pre: Option<Pre>,
    heading: Option<Heading>,
    title: Option<String>,
    in_title: bool,
    skip_next: bool,
    /// A `<!-- snipcheck: python ... -->` waiting for the next `<pre>` or heading.
    requires_next: Option<VersionReq>,
    /// The heading just read, while nothing but comments followed it.
    under_heading: Option<usize>,
    found: Vec<(Pre, Option<String>, Option<VersionReq>)>,
    headings: Vec<Heading>,
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        let mut st = self.0.borrow_mut();
        let line = line_number as usize;
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let classes = || -> Vec<String> {
                    tag.attrs
                        .iter()
                        .filter(|a| &*a.name.local == "class")
                        .flat_map(|a| {
                            a.value
                                .split_whitespace()
                                .map(str::to_string)
                                .collect::<Vec<_>>()
                        })
                        .collect()
                };
                match (tag.kind, name) {
                    (TagKind::StartTag, "script") => {
                        return TokenSinkResult::RawData(RawKind::ScriptData)
                    }
                    (TagKind::StartTag, "style") => {
                        return TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    (TagKind::StartTag, "title") => {
                        st.in_title = true;
                        return TokenSinkResult::RawData(RawKind::Rcdata);
                    }
                    (TagKind::EndTag, "title") => st.in_title = false,
                    (TagKind::StartTag, "pre") if st.pre.is_none() => {
                        st.under_heading = None;
                        st.pre = Some(Pre {
                            line,
                            classes: classes(),
                            text: String::new(),
                        });
                    }
                    (TagKind::StartTag, "code") => {
                        if let Some(pre) = st.pre.as_mut() {
                            if pre.text.is_empty() {
                                pre.line = line; // the code may start on this tag's line
                            }
                            pre.classes.extend(classes());
                        }
                    }
                    (TagKind::EndTag, "pre") => {
                        if let Some(pre) = st.pre.take() {
                            let skip = std::mem::take(&mut st.skip_next)
                                .then(|| "marked <!-- snipcheck: skip -->".to_string());
                            let requires = st.requires_next.take();
                            st.found.push((pre, skip, requires));
                        }
                    }
                    (TagKind::StartTag, h) if is_heading(h) => {
                        let requires = st.requires_next.take();
                        st.heading = Some(Heading {
                            line,
                            level: h.as_bytes()[1] - b'0',
                            text: String::new(),
                            requires,
                        });
                        st.skip_next = false;
                    }
                    (TagKind::EndTag, h) if is_heading(h) => {
                        if let Some(mut hd) = st.heading.take() {
                            hd.text = hd.text.split_whitespace().collect::<Vec<_>>().join(" ");
                            if h == "h1" && st.title.is_none() {
                                st.title = Some(hd.text.clone());
                            }
                            st.under_heading = Some(st.headings.len());
                            st.headings.push(hd);
                        }
                    }
                    _ => {}
                }
            }
            Token::CharacterTokens(text) => push_text(&mut st, &text),
            Token::CommentToken(c) if c.contains("snipcheck: skip") => st.skip_next = true,
            Token::CommentToken(c) => {
                if let Some(req) = directive(&c) {
                    // right under a heading it limits the section
                    match st.under_heading {
                        Some(i) => st.headings[i].requires = Some(req),
                        None => st.requires_next = Some(req),
                    }
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn push_text(st: &mut State, text: &StrTendril) {
    if st.in_title {
        st.title.get_or_insert_with(String::new).push_str(text);
    } else if let Some(pre) = st.pre.as_mut() {
        pre.text.push_str(text);
    } else if let Some(h) = st.heading.as_mut() {
        h.text.push_str(text);
    } else if !text.trim().is_empty() {
        st.skip_next = false;
        st.requires_next = None;
        st.under_heading = None;
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Some(true) for a Python class, Some(false) for another language's, None for none.
fn language(classes: &[String]) -> Option<bool> {
    let mut verdict = None;
    for c in classes {
        let c = c.to_ascii_lowercase();
        let (prefixed, name) = ["language-", "lang-", "highlight-source-", "highlight-"]
            .iter()
            .find_map(|p| c.strip_prefix(p).map(|rest| (true, rest.to_string())))
            .unwrap_or((false, c.clone()));
        if PYTHON_NAMES.contains(&name.as_str()) {
            return Some(true);
        }
        if prefixed || OTHER_NAMES.contains(&name.as_str()) {
            verdict = Some(false);
        }
    }
    verdict
}

pub fn read(text: &str, python: &dyn CodeDetector) -> Parts {
    let sink = Sink(RefCell::new(State::default()));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(text));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.0.into_inner();
    let mut parts = Parts {
        title: state.title.map(|t| t.trim().to_string()),
        headings: state.headings,
        ..Parts::default()
    };
    for (pre, skip, requires) in state.found {
        let (mut line, mut body) = (pre.line, pre.text.as_str());
        if let Some(rest) = body.strip_prefix('\n') {
            body = rest; // HTML drops a newline right after <pre>
            line += 1;
        }
        let lines: Vec<String> = body.lines().map(str::to_string).collect();
        if lines.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        // a `>>>` session is Python whatever the class says (`language-text`, ...)
        let is_python = super::is_repl(&lines)
            || match language(&pre.classes) {
                Some(known) => known,
                None => python.is_python(body),
            };
        if is_python {
            parts.blocks.push(Block {
                line,
                lines,
                skip,
                requires,
            });
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_classes() {
        let c = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(language(&c(&["language-python"])), Some(true));
        assert_eq!(language(&c(&["highlight", "lang-py"])), Some(true));
        assert_eq!(language(&c(&["language-bash"])), Some(false));
        assert_eq!(language(&c(&["highlight"])), None);
    }
}
