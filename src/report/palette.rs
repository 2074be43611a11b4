//! Colours for the human report: plain unless colour is wanted.

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
