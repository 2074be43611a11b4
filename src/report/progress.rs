//! The progress bar: on a terminal, for runs longer than a second, on standard error.
//! It never appears when standard error is not a terminal (CI logs, pipes, files).

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::event::{Event, Reporter};

/// How long a run goes before the bar shows: short runs print no bar at all.
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    /// Set once the run finished, so that the delayed start never draws after it.
    finished: Arc<Mutex<bool>>,
}

impl Progress {
    /// A bar for a run, or None when standard error is not a terminal.
    pub fn for_terminal() -> Option<Progress> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} questions · {elapsed}")
                .expect("a fixed template"),
        );
        Some(Progress {
            bar,
            finished: Arc::new(Mutex::new(false)),
        })
    }

    /// A handle the terminal report suspends the bar with while it prints.
    pub fn bar(&self) -> ProgressBar {
        self.bar.clone()
    }
}

impl Reporter for Progress {
    fn event(&mut self, event: &Event) -> anyhow::Result<()> {
        match event {
            Event::RunStarted { ids, .. } => {
                self.bar.set_length(ids.len() as u64);
                let (bar, finished) = (self.bar.clone(), self.finished.clone());
                std::thread::spawn(move || {
                    std::thread::sleep(SHOW_AFTER);
                    let finished = finished.lock().unwrap();
                    if !*finished {
                        bar.set_draw_target(ProgressDrawTarget::stderr());
                        bar.enable_steady_tick(Duration::from_millis(200));
                    }
                });
            }
            Event::QuestionFinished { done, total, .. } => {
                self.bar.set_length(*total as u64);
                self.bar.set_position(*done as u64);
            }
            Event::RunFinished { .. } => {
                *self.finished.lock().unwrap() = true;
                self.bar.finish_and_clear();
            }
        }
        Ok(())
    }
}
