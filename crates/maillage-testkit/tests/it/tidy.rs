//! The repository's invariants, checked by reading its sources (in the spirit of rust-analyzer's `tidy.rs`).
//! Each check is its own test and fails with the list of offending places and what to do.
//!
//! - **Only the store speaks SQL**: no `sqlx` in the `[dependencies]` of another crate, no `sqlx` path and no
//!   string literal starting like an SQL statement (`SELECT`, `INSERT INTO`, `CREATE TABLE`…) in their
//!   `src/`. Exceptions are named in [`SQL_EXCEPTIONS`] with their reason; tests may use SQL (to alter a
//!   base behind the store's back), so `[dev-dependencies]` are allowed where [`SQLX_DEV_DEPENDENCIES`] says.
//! - **French sentences are built in `maillage-messages` and the applications** (the `maillage` command
//!   line, the demonstration, the web and report crates), not in the engines, rules, readers, store and
//!   analyses. The heuristic, chosen to be precise on the code: a string literal of at least three words,
//!   with at least one French function word or accented letter, that is *built* as prose — it holds a
//!   `{…}` placeholder, a French spaced colon or semicolon (` : `, ` ; `), guillemets, a line break, or ends
//!   like a sentence (`.`, `!`, `?`). Short French data (nomenclature labels, the column names of official
//!   files) has none of these marks and passes. Unit-test modules (`#[cfg(test)] mod …` at the end of a
//!   file) are not read. No file is exempt: a lower crate returns a typed value (an error kind, a code, the
//!   figures), or takes the words from its caller when they are stored as written (a main courante entry, a
//!   run's metadata), and `maillage-messages` words it.
//! - **Every module is documented**: every `.rs` file under `crates/*/src` starts with a `//!` comment.
//! - **No source file over [`MAX_LINES`] lines**, tests included: a file one reads in a sitting; a longer
//!   one is cut by subject. Nobody is exempt by name.
//! - **The crate graph follows the layers** of [`layer_of`]: readers and engines → store → analysis →
//!   messages → applications; the rules crates have neither store nor web; the web crates go report ←
//!   kit ← one page crate per domain ← the application, and page crates never depend on one another.
//!   A new crate must be given its layer there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The longest a `.rs` file under `crates/` may be, in lines.
const MAX_LINES: usize = 1_200;

/// Files outside the store that may write SQL, and why. None today: the GeoPackage export's writer, which
/// creates an SQLite file, lives in the store (`maillage_store::gpkg`).
const SQL_EXCEPTIONS: &[(&str, &str)] = &[];

/// Crates whose tests may use `sqlx` directly, and why.
const SQLX_DEV_DEPENDENCIES: &[(&str, &str)] = &[
    (
        "maillage",
        "the audit tests alter the journal behind the store's back, to prove the tampering is detected",
    ),
    (
        "maillage-web",
        "the HTTP tests read and alter the base behind the pages (sessions, tokens, recipients) to check what a \
         page did and what it refuses",
    ),
];

/// Crates whose `src/` is test support, not product code: the SQL and French checks do not read them.
const TEST_SUPPORT: &[&str] = &["maillage-testkit"];

// ---------------------------------------------------------------------------------------------------------
// The repository as text.

fn repo_root() -> PathBuf {
    maillage_testkit::repo_root()
}

/// Every crate folder under `crates/`, by name.
fn crates() -> BTreeMap<String, PathBuf> {
    let mut crates = BTreeMap::new();
    for entry in std::fs::read_dir(repo_root().join("crates")).expect("the crates folder") {
        let path = entry.expect("a crate folder").path();
        if path.join("Cargo.toml").exists() {
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            crates.insert(name, path);
        }
    }
    crates
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `path` relative to the repository, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The product code of a file: its text up to a trailing unit-test module.
fn product_code(text: &str) -> &str {
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            return &text[..offset];
        }
        offset += line.len();
    }
    text
}

/// The string literals of Rust source (plain, byte and raw), with their line; comments and character
/// literals skipped. Escapes are kept as written.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let (mut i, mut line) = (0, 1);
    let starts_word =
        |i: usize| i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
    while i < bytes.len() {
        let rest = &source[i..];
        if bytes[i] == b'\n' {
            line += 1;
            i += 1;
        } else if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            line += rest[..end].matches('\n').count();
            i += end;
        } else if let Some(hashes) = raw_string_start(rest).filter(|_| starts_word(i)) {
            let open = rest.find('"').expect("a raw string's quote") + 1;
            let close = format!("\"{}", "#".repeat(hashes));
            let len = rest[open..].find(&close).unwrap_or(rest.len() - open);
            found.push((line, rest[open..open + len].to_string()));
            let end = (open + len + close.len()).min(rest.len());
            line += rest[..end].matches('\n').count();
            i += end;
        } else if bytes[i] == b'"' || (rest.starts_with("b\"") && starts_word(i)) {
            let open = rest.find('"').expect("a quote") + 1;
            let mut j = open;
            while j < rest.len() && rest.as_bytes()[j] != b'"' {
                j += if rest.as_bytes()[j] == b'\\' { 2 } else { 1 };
            }
            let j = j.min(rest.len());
            found.push((line, rest[open..j].to_string()));
            line += rest[..j].matches('\n').count();
            i += (j + 1).min(rest.len());
        } else if bytes[i] == b'\'' {
            i += char_literal_len(rest).unwrap_or(1);
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// `r"`, `r#"`, `br##"`…: the number of `#`.
fn raw_string_start(rest: &str) -> Option<usize> {
    let after_b = rest.strip_prefix('b').unwrap_or(rest);
    let after_r = after_b.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    after_r[hashes..].starts_with('"').then_some(hashes)
}

/// The length of a character literal at the start of `rest` (`'a'`, `'\n'`, `'\u{1f}'`), or `None` for a
/// lifetime.
fn char_literal_len(rest: &str) -> Option<usize> {
    let inner = &rest[1..];
    if let Some(escaped) = inner.strip_prefix('\\') {
        let close = escaped.find('\'')?;
        return Some(close + 3);
    }
    let c = inner.chars().next()?;
    inner[c.len_utf8()..]
        .starts_with('\'')
        .then_some(c.len_utf8() + 2)
}

/// Fails with `what`, the offending places and what to do, when there are any.
fn report(what: &str, offenders: &[String], to_do: &str) {
    assert!(
        offenders.is_empty(),
        "{what} ({} place(s)):\n  {}\n\nWhat to do: {to_do}",
        offenders.len(),
        offenders.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------------------
// Only the store speaks SQL.

/// Does this literal start like an SQL statement?
fn is_sql(literal: &str) -> bool {
    const STARTS: &[&[&str]] = &[
        &["SELECT"],
        &["INSERT", "INTO"],
        &["DELETE", "FROM"],
        &["CREATE", "TABLE"],
        &["CREATE", "INDEX"],
        &["CREATE", "UNIQUE"],
        &["CREATE", "VIEW"],
        &["CREATE", "TRIGGER"],
        &["CREATE", "POLICY"],
        &["CREATE", "ROLE"],
        &["ALTER", "TABLE"],
        &["DROP", "TABLE"],
        &["PRAGMA"],
        &["GRANT"],
    ];
    let words: Vec<&str> = literal
        .split(|c: char| c.is_whitespace() || c == '\\')
        .filter(|w| !w.is_empty() && *w != "n")
        .take(3)
        .collect();
    let update = words.len() == 3 && words[0] == "UPDATE" && words[2] == "SET";
    update
        || STARTS
            .iter()
            .any(|start| words.len() >= start.len() && words[..start.len()] == **start)
}

fn sql_exception(path: &Path) -> bool {
    SQL_EXCEPTIONS
        .iter()
        .any(|(file, _)| path.file_name().is_some_and(|name| name == *file))
}

#[test]
fn sql_is_written_only_in_the_store() {
    let mut offenders = Vec::new();
    for (name, dir) in crates() {
        if name == "maillage-store" || TEST_SUPPORT.contains(&name.as_str()) {
            continue;
        }
        for file in rust_files(&dir.join("src")) {
            if sql_exception(&file) {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("a source file");
            let code = product_code(&text);
            for (number, line) in code.lines().enumerate() {
                let code_part = line.split("//").next().unwrap_or(line);
                if code_part.contains("sqlx") {
                    offenders.push(format!(
                        "{}:{}: sqlx: {}",
                        shown(&file),
                        number + 1,
                        line.trim()
                    ));
                }
            }
            for (line, literal) in string_literals(code) {
                if is_sql(&literal) {
                    let start: String = literal.trim().chars().take(60).collect();
                    offenders.push(format!("{}:{line}: SQL « {start} »", shown(&file)));
                }
            }
        }
    }
    report(
        "SQL or sqlx outside maillage-store",
        &offenders,
        "move the query into a function of maillage-store (the only crate that speaks SQL) and call it; a \
         type from sqlx in a signature becomes the store's own type. A true exception is named in \
         SQL_EXCEPTIONS with its reason.",
    );
}

/// The `maillage-*`/`sqlx` dependencies of a manifest, by section (`dependencies`, `dev-dependencies`…).
fn dependencies(manifest: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(manifest).expect("a Cargo.toml");
    let mut section = String::new();
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_end_matches(']');
            // `[target.'cfg(…)'.dependencies]` counts as `dependencies`.
            section = header.rsplit('.').next().unwrap_or(header).to_string();
            continue;
        }
        if !section.ends_with("dependencies") || line.starts_with('#') {
            continue;
        }
        let key = line
            .split(['=', '.', ' '])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if !key.is_empty() {
            found.push((section.clone(), key));
        }
    }
    found
}

#[test]
fn sqlx_is_a_dependency_of_the_store_only() {
    let mut offenders = Vec::new();
    for (name, dir) in crates() {
        if name == "maillage-store" || TEST_SUPPORT.contains(&name.as_str()) {
            continue;
        }
        let holds_exception = rust_files(&dir.join("src"))
            .iter()
            .any(|f| sql_exception(f));
        for (section, dependency) in dependencies(&dir.join("Cargo.toml")) {
            if dependency != "sqlx" {
                continue;
            }
            let allowed = match section.as_str() {
                "dev-dependencies" => SQLX_DEV_DEPENDENCIES.iter().any(|(c, _)| *c == name),
                _ => holds_exception,
            };
            if !allowed {
                offenders.push(format!("crates/{name}/Cargo.toml: sqlx in [{section}]"));
            }
        }
    }
    report(
        "sqlx depended on outside maillage-store",
        &offenders,
        "use the store's functions and types instead of sqlx; tests that must reach the base directly are \
         named in SQLX_DEV_DEPENDENCIES with the reason.",
    );
}

// ---------------------------------------------------------------------------------------------------------
// French sentences live in the messages crate and the applications.

/// Crates that may word French sentences: the wording crate, the applications and their web and report
/// layers. Test support is not product code.
fn may_write_french(name: &str) -> bool {
    matches!(
        name,
        "maillage-messages" | "maillage" | "maillage-demo" | "maillage-report"
    ) || name.starts_with("maillage-web")
        || TEST_SUPPORT.contains(&name)
}

/// Is this literal a French sentence being built? See the file's documentation for the heuristic.
fn is_french_sentence(literal: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "le", "la", "les", "un", "une", "des", "du", "de", "au", "aux", "et", "ou", "est", "sont",
        "pas", "ne", "pour", "par", "dans", "avec", "sur", "sans", "qui", "que", "ce", "cette",
        "ces", "son", "sa", "ses", "leur", "leurs", "vous", "nous", "il", "elle", "à", "en", "se",
        "y",
    ];
    const ELISIONS: &[&str] = &[
        "d'", "l'", "n'", "qu'", "s'", "c'", "j'", "d’", "l’", "n’", "qu’", "s’",
    ];
    let trimmed = literal.trim_end();
    let built = literal.contains('{')
        || literal.contains(" : ")
        || literal.contains(" ; ")
        || literal.contains('«')
        || literal.contains("\\n")
        || trimmed.ends_with(['.', '!', '?']);
    if !built {
        return false;
    }
    let words: Vec<String> = literal
        .split(|c: char| c.is_whitespace() || c == '\\')
        .filter(|w| !w.starts_with('{') && w.chars().any(char::is_alphabetic))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
                .to_lowercase()
        })
        .collect();
    let french_word = words
        .iter()
        .any(|w| FUNCTION_WORDS.contains(&w.as_str()) || ELISIONS.iter().any(|e| w.starts_with(e)));
    let accented = literal
        .chars()
        .any(|c| "àâäéèêëîïôöùûüçœÀÂÉÈÊËÎÏÔÖÙÛÜÇŒ".contains(c));
    words.len() >= 3 && (french_word || accented)
}

/// The French sentences built in a source file's product code: their line and their first characters.
fn french_sentences(text: &str) -> Vec<(usize, String)> {
    string_literals(product_code(text))
        .into_iter()
        .filter(|(_, literal)| is_french_sentence(literal))
        .map(|(line, literal)| (line, literal.chars().take(70).collect()))
        .collect()
}

#[test]
fn french_sentences_are_worded_in_the_messages_crate_or_the_applications() {
    let mut offenders = Vec::new();
    for (name, dir) in crates() {
        if may_write_french(&name) {
            continue;
        }
        for file in rust_files(&dir.join("src")) {
            let text = std::fs::read_to_string(&file).expect("a source file");
            for (line, start) in french_sentences(&text) {
                offenders.push(format!("{}:{line}: « {start} »", shown(&file)));
            }
        }
    }
    report(
        "French sentences built outside maillage-messages and the applications",
        &offenders,
        "return a typed value (an error kind, a code, the figures) and word it in maillage-messages, or in \
         the application that shows it.",
    );
}

// ---------------------------------------------------------------------------------------------------------
// Documentation and size.

#[test]
fn every_source_file_starts_with_its_module_documentation() {
    let mut offenders = Vec::new();
    for dir in crates().values() {
        for file in rust_files(&dir.join("src")) {
            let text = std::fs::read_to_string(&file).expect("a source file");
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if !first.starts_with("//!") {
                offenders.push(format!(
                    "{}: starts with « {} »",
                    shown(&file),
                    first.trim()
                ));
            }
        }
    }
    report(
        "source files without a module documentation",
        &offenders,
        "begin the file with a `//!` comment saying what the module is for.",
    );
}

#[test]
fn no_source_file_is_longer_than_the_limit() {
    let mut offenders = Vec::new();
    for dir in crates().values() {
        for file in rust_files(dir) {
            let text = std::fs::read_to_string(&file).expect("a source file");
            let lines = text.lines().count();
            if lines > MAX_LINES {
                offenders.push(format!("{}: {lines} lines", shown(&file)));
            }
        }
    }
    report(
        &format!("source files over {MAX_LINES} lines"),
        &offenders,
        "cut the file by subject into modules (a folder with a `mod.rs` and one file per part).",
    );
}

// ---------------------------------------------------------------------------------------------------------
// The layers of the crate graph.

/// Where a crate sits; a crate may depend only on the layers [`may_depend`] allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Shared vocabulary of every module (field errors, codes): depends on no crate of the workspace.
    Kit,
    /// Readers of official files, computation engines and the rules crates: no store, no web.
    Engine,
    Store,
    Analysis,
    /// The French wording of every error.
    Messages,
    /// Drawing on plain values (PDF, SVG, maps, charts): knows neither web nor store.
    Report,
    WebKit,
    /// One web page crate per domain (`maillage-web-<module>`).
    WebDomain,
    WebApplication,
    Demo,
    CommandLine,
    TestSupport,
}

/// The layer of a workspace crate, or `None` for a crate not placed yet.
fn layer_of(name: &str) -> Option<Layer> {
    Some(match name {
        "maillage-kit" => Layer::Kit,
        "maillage-access"
        | "maillage-routing"
        | "maillage-indicators"
        | "maillage-formats"
        | "maillage-crisis"
        | "maillage-network" => Layer::Engine,
        "maillage-store" => Layer::Store,
        "maillage-analysis" => Layer::Analysis,
        "maillage-messages" => Layer::Messages,
        "maillage-web-kit" => Layer::WebKit,
        "maillage-report" => Layer::Report,
        "maillage-web" => Layer::WebApplication,
        "maillage-demo" => Layer::Demo,
        "maillage" => Layer::CommandLine,
        "maillage-testkit" => Layer::TestSupport,
        web if web.starts_with("maillage-web-") => Layer::WebDomain,
        _ => return None,
    })
}

/// May a crate of layer `from` depend (in `[dependencies]`) on one of layer `to`?
fn may_depend(from: Layer, to: Layer) -> bool {
    use Layer::*;
    match from {
        Kit => false,
        Engine => to == Kit,
        Store => matches!(to, Kit | Engine),
        Analysis => matches!(to, Kit | Engine | Store),
        Messages | Demo | TestSupport => to <= Messages && to != from,
        Report => to == Kit,
        WebKit => to <= Report && to != from,
        WebDomain => to <= WebKit,
        WebApplication => to <= WebDomain,
        CommandLine => to <= Demo,
    }
}

#[test]
fn crate_dependencies_follow_the_layers() {
    let mut offenders = Vec::new();
    for (name, dir) in crates() {
        let Some(from) = layer_of(&name) else {
            offenders.push(format!("crates/{name}: no layer: give it one in layer_of"));
            continue;
        };
        for (section, dependency) in dependencies(&dir.join("Cargo.toml")) {
            if section != "dependencies" || !dependency.starts_with("maillage") {
                continue;
            }
            let Some(to) = layer_of(&dependency) else {
                continue; // reported as a crate of its own
            };
            let same_domain_crate = from == Layer::WebDomain && to == Layer::WebDomain;
            if !may_depend(from, to) || same_domain_crate {
                offenders.push(format!(
                    "crates/{name} ({from:?}) depends on {dependency} ({to:?})"
                ));
            }
        }
    }
    report(
        "dependencies against the layers",
        &offenders,
        "move the shared code down to the lower layer both may use (the web kit for pages, the store for \
         data, the messages crate for wording), or place a new crate in layer_of.",
    );
}

// ---------------------------------------------------------------------------------------------------------
// The heuristics on examples, so a change to them shows what it lets through.

#[test]
fn the_heuristics_classify_examples() {
    assert!(is_sql("SELECT id FROM zones"));
    assert!(is_sql("\n  INSERT INTO audit_log (a) VALUES ($1)"));
    assert!(is_sql("UPDATE zones SET name = $1"));
    assert!(!is_sql("BEGIN:VCALENDAR"));
    assert!(!is_sql("Selected zones"));
    assert!(is_french_sentence("zone {} : trop loin du réseau routier"));
    assert!(is_french_sentence(
        "Densité dans les QPV ÷ densité dans le reste de la commune."
    ));
    assert!(!is_french_sentence("Médecins généralistes"));
    assert!(!is_french_sentence("Identifiant technique de la structure"));
    assert!(!is_french_sentence("{kind} {code}"));
    assert!(!is_french_sentence("the {} reader failed."));
    // Sentences once built in the lower crates, now worded in maillage-messages: caught if they came back.
    assert!(is_french_sentence("Passage au niveau {}"));
    assert!(is_french_sentence("lieu {} : trop loin du réseau routier"));
    assert!(is_french_sentence(
        "{len} colonnes au lieu de {expected_len}"
    ));
    assert!(is_french_sentence(
        "population légale {vintage} (somme de {communes} communes)"
    ));
    assert!(is_french_sentence("« pmej » doit être un tableau"));
    // Labels, codes and the decoder's English words pass.
    assert!(!is_french_sentence("fichier Santé publique France"));
    assert!(!is_french_sentence("{}: listed but missing from the data"));
    let literals = string_literals(
        "// \"not this\"\nlet a = 'x'; let b: &'static str = \"one\";\n/* \"nor this\" */ r#\"two \"q\"\"#; '\\'';",
    );
    let texts: Vec<&str> = literals.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(texts, ["one", "two \"q\""]);
    assert_eq!(literals[1].0, 3);
}

#[test]
fn a_new_sentence_in_a_lower_crate_is_caught_and_its_unit_tests_are_not() {
    let source = "//! A lower crate.\n\
                  pub fn entry(level: &str) -> String {\n\
                  \x20   format!(\"Passage au niveau {level}\")\n\
                  }\n\
                  pub const CODE: &str = \"niveau\";\n\
                  #[cfg(test)]\n\
                  mod tests {\n\
                  \x20   const EXPECTED: &str = \"Passage au niveau alerte.\";\n\
                  }\n";
    let found = french_sentences(source);
    assert_eq!(found, [(3, "Passage au niveau {level}".to_string())]);
}

// ---------------------------------------------------------------------------------------------------------
// Citations.

/// The sections of `docs/produit.md` (`§3.F`, `§5.3`…), read from its headings.
fn product_sections() -> Vec<String> {
    let text =
        std::fs::read_to_string(repo_root().join("docs/produit.md")).expect("docs/produit.md");
    text.lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.trim_start_matches('#').split_whitespace().next())
        .map(|n| n.trim_end_matches('.').to_string())
        .filter(|n| n.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect()
}

#[test]
fn every_citation_of_the_product_resolves_inside_the_repository() {
    let sections = product_sections();
    assert!(
        sections.iter().any(|s| s == "5.3"),
        "docs/produit.md has its sections: {sections:?}"
    );
    let mut offenders = Vec::new();
    for dir in crates().values() {
        // This file names the citations it looks for.
        for file in rust_files(dir)
            .into_iter()
            .filter(|f| !f.ends_with("tests/it/tidy.rs"))
        {
            let text = std::fs::read_to_string(&file).expect("a source file");
            for (n, line) in text.lines().enumerate() {
                if line.contains("PRODUCT.md") {
                    offenders.push(format!(
                        "{}:{}: cites PRODUCT.md, which is not in the repository",
                        shown(&file),
                        n + 1
                    ));
                }
                for cited in line.split("docs/produit.md").skip(1) {
                    let Some(rest) = cited.trim_start().strip_prefix('§') else {
                        continue;
                    };
                    let section: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
                        .collect();
                    let section = section.trim_end_matches('.');
                    if !sections.iter().any(|s| s == section) {
                        offenders.push(format!(
                            "{}:{}: docs/produit.md §{section} does not exist",
                            shown(&file),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    report(
        "citations that do not resolve inside the repository",
        &offenders,
        "cite docs/produit.md by one of its section numbers (docs/regles.md, docs/sources.md, docs/exigences.md \
         for rules, files and requirement IDs); add the section there if it is missing.",
    );
}
