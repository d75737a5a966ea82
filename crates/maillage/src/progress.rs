//! Progress of long imports: a bar on a terminal (rows, rate, time left), nothing otherwise or with `--json`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use maillage_store::imports::Progress;
use std::io::IsTerminal;

pub struct Bar {
    bar: Option<ProgressBar>,
    /// Progress as JSON lines on stderr, for programs driving the command.
    json_lines: bool,
}

impl Bar {
    /// A bar when stderr is a terminal and output is for people; JSON lines when asked; otherwise silent.
    pub fn new(quiet: bool, json_lines: bool) -> Bar {
        if json_lines || quiet || !std::io::stderr().is_terminal() {
            return Bar { bar: None, json_lines };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {human_pos} lignes lues — {per_sec} — écoulé {elapsed_precise}")
                .expect("valid template"),
        );
        Bar { bar: Some(bar), json_lines: false }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn rows(&self, rows: u64) {
        if let Some(b) = &self.bar {
            b.set_position(rows);
        }
        if self.json_lines {
            eprintln!("{{\"lignes_lues\":{rows}}}");
        }
    }
}
