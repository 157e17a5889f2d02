//! Progress on a terminal: a bar on standard error once a stage has run
//! for a second, nothing when standard error is not a terminal or with
//! `--quiet` (scripts and CI logs get no control characters).

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this show no bar at all.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    shown: OnceLock<()>,
}

impl Progress {
    pub fn new(enabled: bool, total: u64, what: &'static str) -> Progress {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{prefix} {bar:32} {pos}/{len} files {elapsed}")
            {
                bar.set_style(style);
            }
            bar.set_prefix(what);
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            shown: OnceLock::new(),
        }
    }

    /// One more done; shows the bar the first time after the delay.
    pub fn inc(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.shown.get().is_none() && self.start.elapsed() >= DELAY {
            self.shown.get_or_init(|| {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            });
        }
    }

    /// Clears the bar, leaving the terminal as it was.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
