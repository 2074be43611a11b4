//! The guide lines a rewritten claim is written on: each keeps the indentation, `#`
//! and markup around the claim's text on the line it replaces.

use super::locate::{escape, Slot};
use super::rewrite::{Replace, Target};
use super::source::{Edit, Source};

/// The guide lines of a replacement: each new line keeps the indentation, `#` and
/// markup of the line it replaces; a line it adds repeats those of the claim's last
/// line, which must be plain (white space, `#`, a quote's `>`), never code.
pub fn compose(t: &Target, src: &Source, r: &Replace, html: bool) -> Option<Edit> {
    let old = &t.slots[r.from..r.to];
    let last = old.last()?;
    if r.lines.is_empty() {
        return None;
    }
    let plain = |p: &str| p.chars().all(|c| c.is_whitespace() || c == '#' || c == '>');
    if r.lines.len() > old.len() && !plain(last.prefix(src)) {
        return None;
    }
    let empty = |s: &Slot| {
        let t = s.text(src).trim();
        t.is_empty() || t == "<BLANKLINE>"
    };
    // an empty line of the claim (`#`, a blank) lends no indentation: take another's
    let template = t.slots.iter().find(|s| !empty(s)).map(|s| s.prefix(src));
    let prefix_of = |s: &Slot| match template {
        Some(p) if empty(s) => p,
        _ => s.prefix(src),
    };
    let blankline = t.slots.iter().any(|s| s.text(src) == "<BLANKLINE>");
    let mut new = vec![];
    for (j, text) in r.lines.iter().enumerate() {
        let slot = old.get(j).unwrap_or(last);
        let prefix = prefix_of(slot);
        let suffix = if j + 1 == r.lines.len() {
            last.suffix(src)
        } else if j + 1 < old.len() {
            slot.suffix(src)
        } else {
            ""
        };
        let body = if text.is_empty() && blankline {
            "<BLANKLINE>".to_string()
        } else if html {
            escape(text)
        } else {
            text.clone()
        };
        new.push(if body.is_empty() {
            format!("{}{suffix}", prefix.trim_end())
        } else {
            format!("{prefix}{body}{suffix}")
        });
    }
    Some(Edit {
        first: old[0].line,
        count: old.len(),
        new,
    })
}
