//! What a run tells its reporters, as it happens (nextest's shape): the run started,
//! a question finished, the run finished. The runner emits events in guide order; each
//! reporter turns them into one format, so adding a format touches no runner code.

use anyhow::Result;

use super::{Cells, QuestionReport, Report, WarningReport};
use crate::python::worker::PythonInfo;

pub enum Event<'a> {
    /// The interpreter answered and the questions are known; nothing has been judged.
    RunStarted {
        python: &'a PythonInfo,
        protections: &'a str,
        warnings: &'a [WarningReport],
        /// Where the notebooks' cells are, to name the warnings' lines.
        cells: &'a Cells,
        /// The ids of every question the run may report, in guide order.
        ids: &'a [&'a str],
    },
    /// A question was judged, and every question before it in the guides was too.
    QuestionFinished {
        question: &'a QuestionReport,
        /// Questions finished so far, this one included, and questions in all.
        done: usize,
        total: usize,
    },
    /// Everything is judged; the report is whole.
    RunFinished { report: &'a Report },
}

pub trait Reporter {
    fn event(&mut self, event: &Event) -> Result<()>;
}

/// Several reporters fed the same events, in order.
#[derive(Default)]
pub struct Reporters(pub Vec<Box<dyn Reporter>>);

impl Reporter for Reporters {
    fn event(&mut self, event: &Event) -> Result<()> {
        for r in &mut self.0 {
            r.event(event)?;
        }
        Ok(())
    }
}

/// A reporter that writes one whole document when the run finishes (JSON, JUnit,
/// annotations to a file): the document is made from the finished report only.
pub struct AtEnd<W: std::io::Write> {
    pub out: W,
    pub render: Box<dyn Fn(&Report) -> String>,
}

impl<W: std::io::Write> Reporter for AtEnd<W> {
    fn event(&mut self, event: &Event) -> Result<()> {
        if let Event::RunFinished { report } = event {
            self.out.write_all((self.render)(report).as_bytes())?;
            self.out.flush()?;
        }
        Ok(())
    }
}
