//! Headless Chromium (Debian's `chromium`) driven by `playwright-core` scripts of `browser-tests/`, against a
//! real server on the loopback. Skips visibly when Chromium, Node.js or `browser-tests/node_modules` is missing,
//! unless `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

pub struct Browser {
    node: PathBuf,
    chromium: PathBuf,
    scripts: PathBuf,
}

/// Prints a skip line, or fails when the browser tests are required.
fn missing(what: &str) -> Option<Browser> {
    if std::env::var("MAILLAGE_EXIGER_NAVIGATEUR").as_deref() == Ok("1") {
        panic!("MAILLAGE_EXIGER_NAVIGATEUR=1 mais {what}");
    }
    maillage_testkit::skip(&format!("test dans le navigateur sauté : {what}"));
    None
}

impl Browser {
    /// The browser and the script runner, or `None` after a visible skip.
    pub fn find() -> Option<Browser> {
        let chromium = std::env::var_os("MAILLAGE_CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
        if !chromium.is_file() {
            return missing(&format!(
                "Chromium est absent ({}) : apt-get install chromium",
                chromium.display()
            ));
        }
        let node = std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join("node"))
                .find(|p| p.is_file())
        });
        let Some(node) = node else {
            return missing("Node.js est absent (node introuvable dans le PATH)");
        };
        let scripts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser-tests");
        if !scripts.join("node_modules/playwright-core").is_dir() {
            return missing(&format!(
                "playwright-core n'est pas installé : npm ci dans {}",
                scripts.display()
            ));
        }
        Some(Browser {
            node,
            chromium,
            scripts,
        })
    }

    /// Runs `script` against the server at `addr`, screenshots in `target/artefacts/<artefacts>/`, with the
    /// script's own variables `env`. Returns the script's JSON report once checked that the walk did not stop
    /// and that there was no console error, page error, failed request or request leaving the machine.
    pub async fn run(
        &self,
        script: &str,
        addr: SocketAddr,
        artefacts: &str,
        env: &[(&str, String)],
    ) -> Value {
        let artefacts = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
            .join("artefacts")
            .join(artefacts);
        let _ = std::fs::remove_dir_all(&artefacts);
        let shots = artefacts.clone();
        let mut command = Command::new(&self.node);
        command
            .arg(self.scripts.join(script))
            .current_dir(&self.scripts)
            .env("MAILLAGE_URL", format!("http://{addr}"))
            .env("MAILLAGE_ARTEFACTS", &shots)
            .env("MAILLAGE_CHROMIUM", &self.chromium);
        for (k, v) in env {
            command.env(k, v);
        }
        // The browser runs on its own thread; the server keeps answering on the runtime's workers.
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .unwrap()
            .expect("node runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{script} failed: {stderr}\n{stdout}"
        );
        let report: Value = stdout
            .lines()
            .rev()
            .find_map(|l| serde_json::from_str(l).ok())
            .unwrap_or_else(|| panic!("no JSON report: {stdout}\n{stderr}"));
        eprintln!("rapport du navigateur : {report:#}");
        assert!(
            report.get("fatal").is_none(),
            "the walk through stopped: {}",
            report["fatal"]
        );
        for key in ["consoleErrors", "pageErrors", "external", "failed"] {
            assert_eq!(report[key], serde_json::json!([]), "{key} must be empty");
        }
        eprintln!("captures d'écran : {}", artefacts.display());
        report
    }
}
