//! Colours for the human report: plain unless colour is wanted.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::IsTerminal;

use crate::cli::ColorChoice;

#[derive(Debug, Clone, Copy)]
pub struct Palette {
    on: bool,
}

impl Palette {
    pub fn plain() -> Palette {
        Palette { on: false }
    }

    /// `auto` colours a terminal unless `NO_COLOR` is set; `always` and `never` decide.
    pub fn choose(choice: ColorChoice, to_terminal: bool) -> Palette {
        let on = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Palette { on }
    }

    pub fn stdout_is_terminal() -> bool {
        std::io::stdout().is_terminal()
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn red(&self, t: &str) -> String {
        self.paint("31", t)
    }
    pub fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    pub fn yellow(&self, t: &str) -> String {
        self.paint("33", t)
    }
    pub fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    pub fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
}

impl Palette {
    /// Untrusted text shown inside one line of the report (a title, a file name, a
    /// source line, an exception's type): a line break in it would forge a report
    /// line, so it is escaped too. See [`escape`].
    pub fn escape_inline(text: &str) -> Cow<'_, str> {
        escape(text, false)
    }

    /// Untrusted text shown as lines (printed output, a traceback, a message): its
    /// line breaks are kept, every other control character escaped. See [`escape`].
    pub fn escape_multiline(text: &str) -> Cow<'_, str> {
        escape(text, true)
    }
}

/// Text that comes from a guide or from running it, made inert for a terminal.
///
/// Why: a guide and its examples are untrusted, and a terminal obeys what it is sent.
/// An example that prints `\x1b]0;title\x07` (OSC) would retitle the window, `\x1b[2J`
/// would clear the screen and hide the report, C1 controls (U+0080 to U+009F; U+009B
/// is CSI) are commands to some terminals, and a `\r` or `\x08` can overwrite `FAIL`
/// with `ok`. So every control character (C0, DEL, C1) becomes visible text: ESC as
/// `\e`, CR as `\r`, a newline (unless `keep_breaks`) as `\n`, the other C0 controls
/// and DEL as `\xNN`, the C1 controls as `\u{NN}`. A tab stays: it only moves the
/// cursor right.
///
/// This is the only escaping function: the human report passes every piece of
/// untrusted text through it before the palette wraps it in its own colour codes,
/// which so stay the only escape sequences the report writes. A backslash is left
/// alone, so escaping twice changes nothing and Python source such as `"a\n"` reads as
/// written. The JSON report does not use it: JSON escapes control characters itself
/// and keeps the exact text.
fn escape(text: &str, keep_breaks: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\t' && !(c == '\n' && keep_breaks);
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            '\x1b' => out.push_str("\\e"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_is_shown_not_sent() {
        let e = |t| Palette::escape_inline(t).into_owned();
        assert_eq!(e("\x1b]0;pwned\x07"), "\\e]0;pwned\\x07");
        assert_eq!(e("\x1b[2J\r\x08\x7f\0"), "\\e[2J\\r\\x08\\x7f\\x00");
        assert_eq!(e("\u{9b}31m\u{85}"), "\\u{9b}31m\\u{85}");
        assert_eq!(e("a\tb\nc"), "a\tb\\nc");
        assert_eq!(Palette::escape_multiline("a\nb\x1b"), "a\nb\\e");
        assert_eq!(e("naïve \\e ✓"), "naïve \\e ✓", "other text is untouched");
        assert_eq!(e(&e("\x1b")), "\\e", "escaping twice is escaping once");
    }
}
