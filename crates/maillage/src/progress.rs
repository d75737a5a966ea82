//! Progress of long imports: a bar on a terminal (rows, rate, time left), JSON lines when a program asks,
//! nothing otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use maillage_store::imports::Progress;
use std::io::IsTerminal;
use std::time::Instant;

pub struct Bar {
    bar: Option<ProgressBar>,
    /// Progress as JSON lines on stderr, for programs driving the command.
    json_lines: bool,
    started: Instant,
}

impl Bar {
    /// `total_bytes`: the size of the text to read when it is known (an uncompressed file), for time left.
    pub fn new(quiet: bool, json_lines: bool, total_bytes: Option<u64>) -> Bar {
        let started = Instant::now();
        if json_lines || quiet || !std::io::stderr().is_terminal() {
            return Bar {
                bar: None,
                json_lines,
                started,
            };
        }
        let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::stderr());
        let template = if total_bytes.is_some() {
            "[{bar:30}] {percent:>3} % — {msg} — reste {eta}"
        } else {
            "{spinner} {msg} — écoulé {elapsed}"
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("valid template")
                .progress_chars("=> "),
        );
        Bar {
            bar: Some(bar),
            json_lines: false,
            started,
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn rows(&self, rows: u64, bytes: Option<u64>) {
        if let Some(b) = &self.bar {
            let rate = rows as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
            b.set_message(format!(
                "{} lignes lues, {} lignes/s",
                super::commands::nombre(rows as f64, 0),
                super::commands::nombre(rate, 0)
            ));
            if let (Some(bytes), Some(_)) = (bytes, b.length()) {
                b.set_position(bytes);
            }
        }
        if self.json_lines {
            eprintln!("{{\"lignes_lues\":{rows}}}");
        }
    }
}
