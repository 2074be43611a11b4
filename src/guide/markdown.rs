//! Markdown guides, read with pulldown-cmark: headings (ATX and setext), fenced Python
//! blocks, and any code block that holds a `>>>` session.

use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::{html_directive, Block, Heading, Parts};
use crate::claims::VersionReq;
use crate::model::Warning;

const PYTHON_INFOS: &[&str] = &["python", "py", "python3", "py3", "pycon"];

/// A code block being read: a fence or an indented block.
struct Code {
    /// The line of its first code line.
    line: usize,
    /// Whether the info string names Python; other blocks are examples only when they
    /// hold a `>>>` session.
    python: bool,
    fenced: bool,
    skip: Option<String>,
    requires: Option<VersionReq>,
    body: String,
    range: std::ops::Range<usize>,
}

pub fn read(text: &str) -> Parts {
    let starts = line_starts(text);
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset);
    let mut parts = Parts::default();
    let mut heading: Option<(usize, String)> = None;
    let mut code: Option<Code> = None;
    let mut metadata: Option<String> = None;
    let mut skip_next = false;
    // a `<!-- snipcheck: python ... -->` waiting for the next block or heading
    let mut requires_next: Option<VersionReq> = None;
    // the heading just read, while nothing but directives followed it
    let mut under_heading: Option<usize> = None;
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_TABLES;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)) => {
                metadata = Some(String::new())
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                if let Some(meta) = metadata.take() {
                    parts.title = parts.title.take().or_else(|| front_matter_title(&meta));
                }
            }
            // an ATX heading's range starts at its `#`, a setext heading's at its text
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((line_of(range.start), String::new()))
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((line, text)) = heading.take() {
                    if level == pulldown_cmark::HeadingLevel::H1 && parts.title.is_none() {
                        parts.title = Some(text.trim().to_string());
                    }
                    let level = level as u8;
                    let requires = requires_next.take();
                    under_heading = Some(parts.headings.len());
                    parts.headings.push(Heading {
                        line,
                        level,
                        text,
                        requires,
                    });
                }
                skip_next = false;
                requires_next = None;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let (python, skip, line) = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        let (python, skip) = read_info(info);
                        (python, skip, line_of(range.start) + 1)
                    }
                    CodeBlockKind::Indented => (false, None, line_of(range.start)),
                };
                let skip = skip
                    .or_else(|| skip_next.then(|| "marked <!-- snipcheck: skip -->".to_string()));
                code = Some(Code {
                    line,
                    python,
                    fenced: matches!(kind, CodeBlockKind::Fenced(_)),
                    skip,
                    requires: requires_next.take(),
                    body: String::new(),
                    range: range.clone(),
                });
                skip_next = false;
                under_heading = None;
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = code.take() {
                    let lines: Vec<String> = block.body.lines().map(str::to_string).collect();
                    // a `>>>` session is Python whatever the fence says (or fails to say)
                    let example = block.python || super::is_repl(&lines);
                    if example && block.fenced && !closed(&text[block.range.clone()]) {
                        parts.warnings.push(Warning {
                            line: block.line - 1,
                            message: crate::messages::unclosed_fence(),
                        });
                    }
                    if example && !lines.iter().all(|l| l.trim().is_empty()) {
                        let (line, skip, requires) = (block.line, block.skip, block.requires);
                        parts.blocks.push(Block {
                            line,
                            lines,
                            skip,
                            requires,
                        });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(meta) = metadata.as_mut() {
                    meta.push_str(&t);
                } else if let Some(block) = code.as_mut() {
                    block.body.push_str(&t);
                } else if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                } else if !t.trim().is_empty() {
                    skip_next = false;
                    requires_next = None;
                    under_heading = None;
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if h.contains("snipcheck: skip") => {
                skip_next = true
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(req) = html_directive(&h) {
                    // right under a heading it limits the section; the next block
                    // is in the section too
                    match under_heading {
                        Some(i) => parts.headings[i].requires = Some(req),
                        None => requires_next = Some(req),
                    }
                }
            }
            _ => {}
        }
    }
    parts
}

/// Whether a fenced block has its closing fence (CommonMark runs an open one to the end).
fn closed(raw: &str) -> bool {
    let first = raw.trim_start();
    let fence: String = first
        .chars()
        .take_while(|&c| c == '`' || c == '~')
        .collect();
    let mut lines = raw.trim_end().lines();
    lines.next();
    lines
        .last()
        .is_some_and(|last| last.trim().starts_with(&fence))
}

/// Whether the info string names Python, and the skip reason it gives.
fn read_info(info: &str) -> (bool, Option<String>) {
    let mut words = info.split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}');
    let lang = words
        .next()
        .unwrap_or("")
        .trim_start_matches('.')
        .to_ascii_lowercase();
    let is_python = PYTHON_INFOS.contains(&lang.as_str());
    let skip = info
        .split_whitespace()
        .skip(1)
        .any(|w| w.eq_ignore_ascii_case("skip"));
    (is_python, skip.then(|| "the fence says skip".to_string()))
}

fn front_matter_title(meta: &str) -> Option<String> {
    meta.lines().find_map(|l| {
        let rest = l.strip_prefix("title:")?;
        Some(
            rest.trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string(),
        )
    })
}

pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_python_fences_with_guide_lines() {
        let md = "# T\n\n## 1. One\n\n```python\nx = 1\nprint(x)  # 1\n```\n\n```bash\nls\n```\n";
        let parts = read(md);
        assert_eq!(parts.blocks.len(), 1);
        assert_eq!(parts.blocks[0].line, 6);
        assert_eq!(parts.blocks[0].lines, vec!["x = 1", "print(x)  # 1"]);
        assert_eq!(
            parts.headings.iter().map(|h| h.line).collect::<Vec<_>>(),
            vec![1, 3]
        );
        assert!(parts.warnings.is_empty());
    }

    #[test]
    fn skip_markers_and_open_fences() {
        let md = "<!-- snipcheck: skip -->\n```python\nx\n```\n\n```py skip\ny\n```\n\n```pycon\n>>> 1\n";
        let parts = read(md);
        assert_eq!(parts.blocks.len(), 3);
        assert!(parts.blocks[0].skip.is_some());
        assert!(parts.blocks[1].skip.is_some());
        assert!(parts.blocks[2].skip.is_none());
        assert_eq!(parts.warnings.len(), 1);
        assert_eq!(parts.warnings[0].line, 10);
    }

    #[test]
    fn setext_headings_are_headings_at_their_text_line() {
        let md = "Guide\n=====\n\nText.\n\nLists\n-----\n\n## 1. Sets\n";
        let parts = read(md);
        let got: Vec<_> = parts
            .headings
            .iter()
            .map(|h| (h.line, h.level, h.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![(1, 1, "Guide"), (6, 2, "Lists"), (9, 2, "1. Sets")]
        );
        assert_eq!(parts.title.as_deref(), Some("Guide"));
    }

    #[test]
    fn sessions_in_other_blocks_are_examples() {
        let md = "```text\n>>> 1 + 1\n2\n```\n\n```\n# a note\n>>> 2\n```\n\n```bash\nls\n```\n\nSee:\n\n    >>> 3\n    3\n\n    x = 1\n";
        let parts = read(md);
        let got: Vec<_> = parts
            .blocks
            .iter()
            .map(|b| (b.line, b.lines.len()))
            .collect();
        assert_eq!(got, vec![(2, 2), (7, 2), (17, 4)]);
    }

    #[test]
    fn front_matter_is_a_title_not_headings() {
        let md = "---\ntitle: Merge lists\ntype: snippet\n---\n\nText.\n\n```py\nx = 1\n```\n";
        let parts = read(md);
        assert_eq!(parts.title.as_deref(), Some("Merge lists"));
        assert!(parts.headings.is_empty());
        assert_eq!(parts.blocks[0].line, 9);
    }
}
