//! Progress of long imports: a bar on a terminal (rows, rate, time left), nothing otherwise or with `--json`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use maillage_store::imports::Progress;
use std::io::IsTerminal;

pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar when stderr is a terminal and output is for people; otherwise silent.
    pub fn new(quiet: bool) -> Bar {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {human_pos} lignes lues — {per_sec} — écoulé {elapsed_precise}")
                .expect("valid template"),
        );
        Bar(Some(bar))
    }

    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn rows(&self, rows: u64) {
        if let Some(b) = &self.0 {
            b.set_position(rows);
        }
    }
}
