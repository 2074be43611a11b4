//! How a repr-like text nests: brackets outside quotes, as Python's reprs write them.
//! One scanner for every rule that needs it (a value's shape, its top-level items, a
//! dict's closing brace), so that quotes and escapes are read alike everywhere.

use std::ops::ControlFlow;

/// What a whole text's nesting came to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Nesting {
    /// The depth at the end: 0 when every bracket opened was closed.
    pub depth: i32,
    /// The lowest depth reached: below 0 when a bracket closed that was not open.
    pub lowest: i32,
    /// A quote was open at the end.
    pub open_quote: bool,
}

impl Nesting {
    pub fn balanced(&self) -> bool {
        self.depth == 0 && self.lowest >= 0 && !self.open_quote
    }
}

/// Visits each character of `text` outside quotes with its byte offset and the
/// bracket depth after it, until `visit` breaks. `(`, `[` and `{` open, and `<` too
/// when `angles` (`<function f at 0x...>` reprs); a quote opens a string that a
/// backslash escapes inside.
pub(crate) fn nesting(
    text: &str,
    angles: bool,
    mut visit: impl FnMut(usize, char, i32) -> ControlFlow<()>,
) -> Nesting {
    let mut n = Nesting {
        depth: 0,
        lowest: 0,
        open_quote: false,
    };
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                c if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                continue;
            }
            '(' | '[' | '{' => n.depth += 1,
            '<' if angles => n.depth += 1,
            ')' | ']' | '}' => n.depth -= 1,
            '>' if angles => n.depth -= 1,
            _ => {}
        }
        n.lowest = n.lowest.min(n.depth);
        if visit(i, c, n.depth).is_break() {
            break;
        }
    }
    n.open_quote = quote.is_some();
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Nesting {
        nesting(text, false, |_, _, _| ControlFlow::Continue(()))
    }

    #[test]
    fn brackets_count_outside_quotes_only() {
        assert!(whole("{'a': [1, (2, 3)]}").balanced());
        assert!(whole("['(', \"]\"]").balanced());
        // an escaped quote does not close its string
        assert!(whole(r"['it\'s', ']']").balanced());
        assert!(!whole("[1, 2").balanced());
        assert!(!whole("1, 2]").balanced(), "closed before it opened");
        assert!(!whole(")(").balanced());
        assert!(!whole("['a]").balanced(), "a quote left open");
    }

    #[test]
    fn each_character_outside_quotes_is_visited_with_its_depth() {
        let mut seen = vec![];
        nesting("<f ','> [x]", true, |i, c, d| {
            seen.push((i, c, d));
            ControlFlow::Continue(())
        });
        let commas: Vec<_> = seen.iter().filter(|s| s.1 == ',').collect();
        assert!(commas.is_empty(), "the comma is quoted: {seen:?}");
        assert_eq!(seen.first(), Some(&(0, '<', 1)));
        assert!(seen.contains(&(6, '>', 0)));
        assert!(seen.contains(&(9, 'x', 1)));
        // a break stops the walk
        let mut count = 0;
        nesting("abc", false, |_, _, _| {
            count += 1;
            ControlFlow::Break(())
        });
        assert_eq!(count, 1);
    }
}
