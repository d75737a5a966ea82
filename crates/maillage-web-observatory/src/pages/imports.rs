//! Importing official files from the browser: the file is uploaded (streamed to a temporary folder, never held
//! in memory), the store's importer runs in the background — one import at a time per base, as they write a lot
//! — and the page follows its progress (a JSON status polled by `assets/imports.js`, or a page that refreshes
//! itself without JavaScript). The history lists every import with its provenance: file, sha256, vintage,
//! date, counts and remarks, in French.
//!
//! Reserved to the `observatoire` role ([`Permission::ObservatoryImport`]); every upload and its outcome are
//! written to the audit log.

use crate::pages::observatory::source_label;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maillage_formats::zonage::ZonageColumns;
use maillage_indicators::PROFESSIONS;
use maillage_kit::codes::Coded;
use maillage_messages::French;
use maillage_messages::imports::source_file;
use maillage_store::audit::Action;
use maillage_store::batch::{self, Counts};
use maillage_store::imports::{Import, Progress, SourceKind, contours::ContourKind};
use maillage_store::session::ImportNote;
use maillage_store::{Store, StoreError};
use maillage_web_kit::audit::{self, Actor};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{self, PageMeta, csrf_field, date_time, error_box, number, page};
use maillage_web_kit::lists::{self, Paging};
use maillage_web_kit::multipart;
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, ApiDoc, ApiParam, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::io::AsyncWriteExt;

const IMPORT: Access = Access::Requires(Permission::ObservatoryImport);
/// Largest file accepted (the national Annuaire santé is about 2 GB).
const MAX_UPLOAD: u64 = 4 << 30;
/// Jobs remembered for the follow-up pages (the history itself is in the store).
const KEPT_JOBS: usize = 100;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/observatoire/imports", IMPORT, form_page)
        .page(Method::POST, "/observatoire/imports", IMPORT, upload)
        .page(
            Method::GET,
            "/observatoire/imports/historique",
            IMPORT,
            history,
        )
        .page(
            Method::GET,
            "/observatoire/imports/suivi/{id}",
            IMPORT,
            job_page,
        )
        .api(
            Method::GET,
            "/api/v1/imports/{id}",
            IMPORT,
            JOB_DOC,
            job_json,
        )
}

/// Whether a source is imported from this page. The files of Santé publique France are imported from the
/// crisis module's indicators page, which asks for the population of their zone.
fn offered(kind: SourceKind) -> bool {
    kind != SourceKind::Spf
}

/// The description of an import as the page shows it (the file its source publishes).
fn label(import: &Import) -> &'static str {
    source_file(import.kind())
}

/// The import chosen in the form, with its options, or the French reason it cannot be.
fn import_of_fields(f: &HashMap<String, String>) -> Result<Import, String> {
    let get = |k: &str| f.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let Some(code) = get("type") else {
        return Err("Choisissez le type de fichier à importer.".into());
    };
    let kind = SourceKind::parse(code)
        .filter(|k| offered(*k))
        .ok_or_else(|| {
            format!(
                "Type de fichier inconnu « {} ».",
                maillage_kit::quoted(code)
            )
        })?;
    Ok(match kind {
        SourceKind::Contours => Import::Contours(match get("type_contour") {
            None => None,
            Some("commune") => Some(ContourKind::Commune),
            Some("iris") => Some(ContourKind::Iris),
            Some("qpv") => Some(ContourKind::Qpv),
            Some("quartier") => Some(ContourKind::Quartier),
            Some(other) => {
                return Err(format!(
                    "Type de contours inconnu « {} ».",
                    maillage_kit::quoted(other)
                ));
            }
        }),
        SourceKind::Communes => Import::Communes(match get("millesime") {
            None => None,
            Some(v) => Some(
                v.parse::<i64>()
                    .ok()
                    .filter(|y| (1900..=2100).contains(y))
                    .ok_or_else(|| {
                        format!(
                            "Le millésime « {} » doit être une année (par exemple 2026).",
                            maillage_kit::quoted(v)
                        )
                    })?,
            ),
        }),
        SourceKind::AplDrees => {
            let p = get("profession").unwrap_or(maillage_indicators::professions::GP);
            Import::AplDrees(
                maillage_indicators::professions::by_code(p)
                    .ok_or_else(|| format!("Profession inconnue « {} ».", maillage_kit::quoted(p)))?
                    .code
                    .to_string(),
            )
        }
        // The file's columns are found by their names (the command line can name them when they differ).
        SourceKind::Zonage => Import::Zonage {
            columns: ZonageColumns::default(),
            decree: match get("arrete") {
                None => None,
                Some(v) => Some(
                    v.parse::<jiff::civil::Date>()
                        .map(|d| d.to_string())
                        .map_err(|_| {
                            "La date de l'arrêté doit être une date (par exemple 2025-03-12)."
                                .to_string()
                        })?,
                ),
            },
        },
        other => Import::of(other),
    })
}

/// Where an import stands.
#[derive(Debug, Clone)]
enum JobState {
    /// Another import of the same base runs: this one waits its turn.
    Waiting,
    Running,
    Done(Box<Summary>),
    Failed(String),
}

#[derive(Debug, Clone)]
struct Summary {
    batch_id: i64,
    vintage: Option<String>,
    counts: Counts,
    notes: Vec<String>,
    notes_total: usize,
    geocoding: Option<String>,
    /// « même fichier que l'import n° 12 du 3 novembre 2026 … » when the file was imported before.
    same_file: Option<String>,
    /// The same file changed nothing and was not recorded: `batch_id` is the earlier import's.
    recorded: bool,
    /// Every row lay outside the territory.
    nothing_in_territory: bool,
    /// The source is older than its publication rhythm.
    stale: Option<String>,
    coordinates: Option<String>,
}

/// One upload and its import.
struct Job {
    id: String,
    /// The store the job belongs to (one process may serve several in tests).
    store: String,
    kind: Import,
    file_name: String,
    size: u64,
    sha256: String,
    by: String,
    started_at: String,
    rows: AtomicU64,
    /// Bytes of the file read so far, when the reader tells (for a percentage).
    bytes: AtomicU64,
    state: Mutex<JobState>,
}

impl Job {
    fn state(&self) -> JobState {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, s: JobState) {
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = s;
    }
}

impl Progress for Job {
    fn rows(&self, rows: u64, bytes: Option<u64>) {
        self.rows.store(rows, Ordering::Relaxed);
        if let Some(b) = bytes {
            self.bytes.store(b, Ordering::Relaxed);
        }
    }
}

fn jobs() -> &'static Mutex<Vec<Arc<Job>>> {
    static JOBS: OnceLock<Mutex<Vec<Arc<Job>>>> = OnceLock::new();
    JOBS.get_or_init(Default::default)
}

/// One lock per base: imports of a base run one after the other. A server serves one base, so it runs one
/// import at a time, and its memory budget is its resting size plus one reader's bounds
/// (`maillage_formats::limits`: a 32 MiB line, a spreadsheet's sheet, a 64 MiB geometry), whatever is
/// uploaded; uploads waiting their turn are files on disk (`crates/maillage-web/tests/bombs.rs` measures it).
fn import_lock(store: &str) -> Arc<tokio::sync::Mutex<()>> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let mut locks = LOCKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    locks.entry(store.to_string()).or_default().clone()
}

fn find_job(state: &AppState, id: &str) -> Option<Arc<Job>> {
    let list = jobs().lock().unwrap_or_else(|e| e.into_inner());
    list.iter()
        .find(|j| j.id == id && j.store == state.store().location())
        .cloned()
}

fn recent_jobs(state: &AppState) -> Vec<Arc<Job>> {
    let list = jobs().lock().unwrap_or_else(|e| e.into_inner());
    list.iter()
        .rev()
        .filter(|j| j.store == state.store().location())
        .take(10)
        .cloned()
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// Pages

async fn form_page(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Result<Markup, WebError> {
    let stale = stale_sources(state.store()).await?;
    let chosen = query.get("type").map(String::as_str);
    Ok(render_form_with(&state, &caller, None, &stale, chosen))
}

/// The sources older than their publication rhythm, in French.
pub(crate) async fn stale_sources(store: &Store) -> Result<Vec<String>, WebError> {
    let today = maillage_kit::local_time::today(jiff::Timestamp::now());
    Ok(maillage_store::freshness::of_sources(store, today)
        .await?
        .iter()
        .filter(|f| f.stale)
        .map(French::french)
        .collect())
}

fn render_form(state: &AppState, caller: &Caller, error: Option<&str>) -> Markup {
    render_form_with(state, caller, error, &[], None)
}

/// The form, with the sources due for a newer edition, and the type of file preselected (from the set-up page).
fn render_form_with(
    state: &AppState,
    caller: &Caller,
    error: Option<&str>,
    stale: &[String],
    chosen: Option<&str>,
) -> Markup {
    let recent = recent_jobs(state);
    let content = html! {
        @if let Some(e) = error { (error_box(e)) }
        @for s in stale { (layout::warning_box(s)) }
        p {
            "Déposez les fichiers officiels tels que publiés (Annuaire santé, FINESS, INSEE, IGN, ANCT, BAN, DREES). \
             Seules les lignes du territoire et de sa zone tampon sont gardées. Un import est « tout ou rien » : \
             en cas d'erreur, rien n'est modifié. Réimporter l'édition suivante met à jour ce qui a changé et garde \
             ce que la commune a saisi."
        }
        form.formulaire #formulaire-import method="post" action="/observatoire/imports" enctype="multipart/form-data" {
            // First field: the guard reads the token from it without reading the file.
            (csrf_field(caller))
            div.champ {
                label for="type" { "Type de fichier" }
                select #type name="type" required {
                    @for kind in SourceKind::ALL.iter().copied().filter(|k| offered(*k)) { option value=(kind.code()) selected[chosen == Some(kind.code())] { (source_file(kind)) } }
                }
            }
            div.champ {
                label for="fichier" { "Fichier" }
                p.aide #fichier-aide { "Tel que publié : compressé (.gz, .xz) ou en archive (.zip, .7z) accepté ; jusqu'à 4 Go." }
                input #fichier type="file" name="fichier" required aria-describedby="fichier-aide";
            }
            fieldset {
                legend { "Précisions (selon le type de fichier)" }
                div.champ {
                    label for="type_contour" { "Contours : ce que contient le fichier" }
                    select #type_contour name="type_contour" {
                        option value="" { "Déduit des attributs du fichier" }
                        option value="commune" { "Communes" }
                        option value="iris" { "IRIS" }
                        option value="qpv" { "QPV" }
                        option value="quartier" { "Quartiers" }
                    }
                }
                div.champ {
                    label for="profession" { "APL de la DREES : profession du fichier" }
                    select #profession name="profession" {
                        // The DREES publishes the APL of GPs as a whole, not of a line the commune's rule sets apart.
                        @for p in PROFESSIONS.iter().filter(|p| p.code != maillage_indicators::professions::GP_OTHER) {
                            option value=(p.code) { (p.label) }
                        }
                    }
                }
                div.champ {
                    label for="millesime" { "Communes : millésime de la population légale" }
                    input #millesime type="text" name="millesime" inputmode="numeric" placeholder="2026";
                }
                div.champ {
                    label for="arrete" { "Zonage médecins : date de l'arrêté (si le fichier ne la donne pas)" }
                    input #arrete type="date" name="arrete";
                }
            }
            button type="submit" { "Importer" }
        }
        div #import-etat .suivi-import aria-live="polite" {}
        h2 { "Imports lancés récemment" }
        @if recent.is_empty() {
            p { "Aucun import lancé depuis le démarrage du serveur." }
        } @else {
            ul {
                @for j in &recent {
                    li {
                        a href=(format!("/observatoire/imports/suivi/{}", j.id)) { (j.file_name) }
                        " — " (label(&j.kind)) " — " (state_text(&j.state())) " (" (date_time(&j.started_at)) ")"
                    }
                }
            }
        }
        p { a href="/observatoire/imports/historique" { "Historique complet des imports (provenance des données)" } }
        p { a href="/installation" { "Installation guidée : les fichiers officiels du territoire et leur état" } }
        script src="/static/imports.js" defer {}
    };
    page(
        state,
        Some(caller),
        PageMeta {
            title: "Importer des fichiers officiels",
            current: "/observatoire/imports",
        },
        content,
    )
}

fn state_text(s: &JobState) -> String {
    match s {
        JobState::Waiting => "en attente (un autre import est en cours)".into(),
        JobState::Running => "en cours".into(),
        JobState::Done(d) if !d.recorded => {
            format!(
                "{} : rien n'a été modifié",
                d.same_file.as_deref().unwrap_or("même fichier")
            )
        }
        JobState::Done(d) if d.nothing_in_territory => format!(
            "terminé avec un avertissement (import n° {}) : {}",
            d.batch_id,
            maillage_messages::imports::NOTHING_IN_TERRITORY
        ),
        JobState::Done(d) => format!("terminé (import n° {})", d.batch_id),
        JobState::Failed(_) => "refusé, rien n'a été modifié".into(),
    }
}

async fn job_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let job = find_job(&state, &id).ok_or(WebError::NotFound)?;
    let s = job.state();
    let running = matches!(s, JobState::Waiting | JobState::Running);
    let content = html! {
        @if running {
            // Without JavaScript, the page refreshes itself while the import runs.
            meta http-equiv="refresh" content="2";
        }
        dl.fiche {
            dt { "Fichier" } dd { (job.file_name) " (" (size_text(job.size)) ")" }
            dt { "Type" } dd { (label(&job.kind)) }
            dt { "Empreinte SHA-256" } dd { code { (job.sha256) } }
            dt { "Déposé par" } dd { (job.by) ", le " (date_time(&job.started_at)) }
            dt { "État" } dd #etat-import { (state_text(&s)) }
            dt { "Lignes lues" } dd { (number(job.rows.load(Ordering::Relaxed) as f64, 0)) }
        }
        @match &s {
            JobState::Done(d) => { (summary_markup(d)) }
            JobState::Failed(m) => { (error_box(m)) }
            _ => { p { "L'import se poursuit ; cette page se met à jour toute seule. " a href=(format!("/observatoire/imports/suivi/{}", job.id)) { "Actualiser" } } }
        }
        p { a href="/observatoire/imports" { "Importer un autre fichier" } " · " a href="/observatoire/imports/historique" { "Historique des imports" } }
    };
    Ok(page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Suivi d'un import",
            current: "",
        },
        content,
    ))
}

fn summary_markup(d: &Summary) -> Markup {
    use maillage_messages::imports::NOTHING_IN_TERRITORY;
    html! {
        @if !d.recorded {
            (layout::warning_box(&format!("{}.", d.same_file.as_deref().unwrap_or_default())))
        } @else if d.nothing_in_territory {
            (layout::warning_box(&format!(
                "import n° {} enregistré, mais {NOTHING_IN_TERRITORY}.",
                d.batch_id
            )))
        } @else {
            (layout::success_box(&format!("import n° {} enregistré.", d.batch_id)))
            @if let Some(same) = &d.same_file { p { (maillage_messages::sentence(same)) } }
        }
        @if let Some(s) = &d.stale { (layout::warning_box(s)) }
        (counts_list(&d.counts))
        @if let Some(v) = &d.vintage { p { "Millésime : " (v) "." } }
        @if let Some(g) = &d.geocoding { p { (g) } }
        @if let Some(c) = &d.coordinates { p { (c) } }
        @if !d.notes.is_empty() {
            h2 { "Remarques" }
            ul { @for n in &d.notes { li { (n) } } }
            @if d.notes_total > d.notes.len() { p { "… (" (d.notes_total) " remarques en tout, voir l'historique)" } }
        }
    }
}

fn counts_list(c: &Counts) -> Markup {
    html! {
        ul.compteurs {
            li { (number(c.rows_read as f64, 0)) " lignes lues" }
            li { (number(c.inserted as f64, 0)) " ajoutées" }
            li { (number(c.updated as f64, 0)) " modifiées" }
            li { (number(c.unchanged as f64, 0)) " inchangées" }
            li { (number(c.rejected as f64, 0)) " écartées" }
            li { (number(c.filtered as f64, 0)) " hors territoire" }
            li { (number(c.removed as f64, 0)) " disparues depuis l'import précédent" }
        }
    }
}

fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{} Go", number(b as f64 / (1u64 << 30) as f64, 1)),
        b if b >= 1 << 20 => format!("{} Mo", number(b as f64 / (1u64 << 20) as f64, 1)),
        b if b >= 1 << 10 => format!("{} ko", number(b as f64 / 1024.0, 1)),
        b => format!("{b} octets"),
    }
}

/// The remarks an import recorded in its batch details, in French.
fn notes_of(details: &Value) -> Vec<String> {
    details["notes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| {
                    serde_json::from_value::<ImportNote>(n.clone())
                        .map_or_else(|_| n.to_string(), |n| n.french())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How the coordinates of a FINESS flux were written, case by case.
fn coordinates_text(details: &Value) -> Option<String> {
    let counts = maillage_store::imports::finess::CoordinateCounts::of_details(details)?;
    maillage_messages::coordinate_counts(&counts, &number)
}

fn geocoding_text(details: &Value) -> Option<String> {
    let g = details.get("geocodage")?;
    let n = |k: &str| g.get(k).and_then(Value::as_u64).unwrap_or(0);
    if n("sites") == 0 {
        return None;
    }
    let rate = g
        .get("match_rate")
        .and_then(Value::as_f64)
        .map_or("—".into(), |r| format!("{} %", number(r, 1)));
    Some(format!(
        "Géocodage : {} lieux sans position ; {} placés par FINESS, {} au numéro, {} à un numéro voisin, {} à la voie, \
         {} non trouvés (taux {rate}).{}",
        n("sites"),
        n("from_finess"),
        n("exact_number"),
        n("near_number"),
        n("street_only"),
        n("not_found"),
        if g.get("no_addresses").and_then(Value::as_bool) == Some(true) {
            " Aucune adresse BAN en base : importez le fichier BAN du département pour géocoder."
        } else {
            ""
        }
    ))
}

/// The earlier import of the same file a batch recorded, if any.
fn same_file_of(details: &Value) -> Option<maillage_store::session::EarlierImport> {
    serde_json::from_value(details.get("same_file_as")?.clone()).ok()
}

async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let paging = Paging::from_query(&q);
    let page_of = paging.cut(batch::list(state.store()).await?);
    let batches = &page_of.rows;
    let content = html! {
        p {
            "Chaque import est conservé avec sa provenance : le fichier, son empreinte SHA-256 (pour retrouver \
             exactement le fichier utilisé), son millésime, la date, et ce qu'il a changé. Les chiffres de \
             l'observatoire reposent sur le dernier import de chaque source."
        }
        (crate::exports::links(&caller, crate::exports::Dataset::Imports, "cet historique", &crate::exports::filters(&[])))
        @if page_of.total == 0 {
            p { "Aucun import pour l'instant." }
        } @else {
            (lists::pager("/observatoire/imports/historique", &q, &paging, page_of.total, ("import", "imports")))
            div.defilement tabindex="0" role="region" aria-label="Historique des imports (défilement horizontal)" {
            table.historique {
                caption { "Imports, du plus récent au plus ancien" }
                thead { tr {
                    th scope="col" { "N°" } th scope="col" { "Date" } th scope="col" { "Source" }
                    th scope="col" { "Fichier et empreinte" } th scope="col" { "Millésime" }
                    th scope="col" { "Lignes" } th scope="col" { "Remarques" }
                } }
                tbody {
                    @for b in batches {
                        @let notes = notes_of(&b.details);
                        tr {
                            td { (b.id) }
                            td { (date_time(&b.imported_at)) }
                            td { (source_label(&b.kind)) }
                            th scope="row" { (b.file_name) br; code { (b.sha256) } }
                            td { (b.vintage.as_deref().unwrap_or("—")) }
                            td { (counts_list(&b.counts)) }
                            td {
                                @if let Some(same) = same_file_of(&b.details) {
                                    p { (maillage_messages::sentence(&maillage_messages::imports::same_file(&same))) }
                                }
                                @if b.counts.nothing_in_territory() {
                                    p { strong { "Attention : " } (maillage_messages::imports::NOTHING_IN_TERRITORY) "." }
                                }
                                @if let Some(g) = geocoding_text(&b.details) { p { (g) } }
                                @if let Some(c) = coordinates_text(&b.details) { p { (c) } }
                                @if notes.is_empty() { "—" } @else {
                                    ul { @for n in notes.iter().take(5) { li { (n) } } }
                                    @if notes.len() > 5 { p { "… (" (notes.len()) " remarques en tout)" } }
                                }
                            }
                        }
                    }
                }
            }
            }
            (lists::pager_links("/observatoire/imports/historique", &q, &paging, page_of.total))
        }
        p { a href="/observatoire/imports" { "Importer un fichier" } }
    };
    Ok(page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Historique des imports",
            current: "",
        },
        content,
    ))
}

// ---------------------------------------------------------------------------------------------------------
// Upload and background import

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// A file name safe to create: the last component of what the browser sent, without separators or control
/// characters. The name matters: importers read vintages in it (`…_20261124.txt`) and formats in its extension.
fn safe_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "fichier".into()
    } else {
        cleaned.chars().take(200).collect()
    }
}

struct Uploaded {
    fields: HashMap<String, String>,
    dir: tempfile::TempDir,
    path: PathBuf,
    file_name: String,
    size: u64,
    sha256: String,
}

/// Reads the multipart body: text fields into a map, the file streamed to a temporary folder with its sha256.
async fn receive(headers: &HeaderMap, body: Body) -> Result<Uploaded, (StatusCode, String)> {
    let bad = |m: &str| (StatusCode::BAD_REQUEST, m.to_string());
    let boundary = multipart::boundary(headers).ok_or_else(|| {
        bad("Le fichier doit être envoyé par le formulaire d'import (multipart/form-data).")
    })?;
    let mut form = multipart::Form::new(body, boundary);
    let mut fields = HashMap::new();
    let mut file: Option<(tempfile::TempDir, PathBuf, String, u64, String)> = None;
    while let Some(mut field) = form.next_field().await? {
        let name = field.name().unwrap_or("").to_string();
        if name == "fichier" {
            let Some(raw) = field
                .file_name()
                .map(str::to_string)
                .filter(|n| !n.is_empty())
            else {
                continue;
            };
            let file_name = safe_file_name(&raw);
            let dir = tempfile::Builder::new()
                .prefix("maillage-import-")
                .tempdir()
                .map_err(|e| {
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("Impossible de créer un dossier temporaire ({e})."),
                    )
                })?;
            let path = dir.path().join(&file_name);
            let mut out = tokio::fs::File::create(&path).await.map_err(|e| {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("Impossible d'écrire le fichier reçu ({e})."),
                )
            })?;
            let mut hasher = Sha256::new();
            let mut size = 0u64;
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart::refusal(&e))? {
                size += chunk.len() as u64;
                if size > MAX_UPLOAD {
                    return Err((
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "Le fichier dépasse 4 Go ; filtrez-le ou compressez-le (.gz, .xz) avant de l'importer.".into(),
                    ));
                }
                hasher.update(&chunk);
                out.write_all(&chunk).await.map_err(|e| {
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("Impossible d'écrire le fichier reçu ({e})."),
                    )
                })?;
            }
            out.flush().await.map_err(|e| {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("Impossible d'écrire le fichier reçu ({e})."),
                )
            })?;
            file = Some((dir, path, file_name, size, hex::encode(hasher.finalize())));
        } else if !name.is_empty() {
            let text = field.text().await.map_err(|e| multipart::refusal(&e))?;
            fields.insert(name, text.chars().take(1000).collect());
        }
    }
    let (dir, path, file_name, size, sha256) = file.ok_or((
        StatusCode::UNPROCESSABLE_ENTITY,
        "Choisissez le fichier à importer.".to_string(),
    ))?;
    if size == 0 {
        return Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Le fichier « {file_name} » est vide."),
        ));
    }
    Ok(Uploaded {
        fields,
        dir,
        path,
        file_name,
        size,
        sha256,
    })
}

async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let json = wants_json(&headers);
    let refuse = |status: StatusCode, message: String| -> Response {
        if json {
            (
                status,
                Json(json!({ "erreur": message, "statut": status.as_u16() })),
            )
                .into_response()
        } else {
            (status, render_form(&state, &caller, Some(&message))).into_response()
        }
    };
    let uploaded = match receive(&headers, body).await {
        Ok(u) => u,
        Err((status, message)) => return Ok(refuse(status, message)),
    };
    let kind = match import_of_fields(&uploaded.fields) {
        Ok(k) => k,
        Err(message) => return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    let job = Arc::new(Job {
        id: maillage_web_kit::secrets::random_token()[..24].to_string(),
        store: state.store().location().to_string(),
        kind,
        file_name: uploaded.file_name.clone(),
        size: uploaded.size,
        sha256: uploaded.sha256.clone(),
        by: caller.account.display_name.clone(),
        started_at: maillage_store::now(),
        rows: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        state: Mutex::new(JobState::Waiting),
    });
    audit::record(
        &state,
        &caller,
        Action::ImportUploaded,
        &format!("import:{}", job.id),
        json!({ "type": job.kind.kind().code(), "fichier": maillage_kit::quoted(&job.file_name),
            "taille": job.size, "sha256": job.sha256 }),
    )
    .await?;
    {
        let mut list = jobs().lock().unwrap_or_else(|e| e.into_inner());
        list.push(job.clone());
        let excess = list.len().saturating_sub(KEPT_JOBS);
        list.drain(..excess);
    }
    tokio::spawn(run(
        state.store().clone(),
        Actor::of(&caller),
        job.clone(),
        uploaded,
    ));
    let follow = format!("/observatoire/imports/suivi/{}", job.id);
    if json {
        return Ok((
            StatusCode::ACCEPTED,
            Json(json!({ "id": job.id, "suivi": format!("/api/v1/imports/{}", job.id), "page": follow })),
        )
            .into_response());
    }
    Ok(Redirect::to(&follow).into_response())
}

/// Runs the import on a blocking thread (parsing is CPU work: the server keeps answering), after the imports
/// of the same base started before it; then records the outcome in the audit log. The temporary folder goes
/// when the import is over.
async fn run(store: Store, actor: Actor, job: Arc<Job>, uploaded: Uploaded) {
    let lock = import_lock(&job.store);
    let _turn = lock.lock().await;
    job.set(JobState::Running);
    let handle = tokio::runtime::Handle::current();
    let (s, j, path) = (store.clone(), job.clone(), uploaded.path.clone());
    let result = tokio::task::spawn_blocking(move || {
        handle
            .block_on(j.kind.run(&s, &path, &*j))
            .map_err(Box::new)
    })
    .await
    .unwrap_or(Err(Box::new(StoreError::Interrupted)));
    let stale = match &result {
        Ok(report) => stale_sources_of(&store, report.kind).await,
        Err(_) => None,
    };
    let folder = format!("{}/", uploaded.dir.path().display());
    let details = match result {
        Ok(report) => {
            let notes: Vec<String> = report.notes.iter().map(French::french).collect();
            let summary = Summary {
                batch_id: report.batch_id,
                vintage: report.vintage.clone(),
                counts: report.counts,
                notes_total: notes.len(),
                notes: notes.into_iter().take(20).collect(),
                geocoding: geocoding_text(&report.details),
                same_file: maillage_messages::imports::same_file_note(&report),
                recorded: report.recorded,
                nothing_in_territory: report.nothing_in_territory(),
                stale,
                coordinates: coordinates_text(&report.details),
            };
            job.set(JobState::Done(Box::new(summary)));
            json!({ "resultat": "reussi", "lot": report.batch_id, "lignes_lues": report.counts.rows_read })
        }
        Err(e) => {
            // Errors name the file by its path: show the name the user knows, not the temporary folder.
            let message = e.french().replace(&folder, "");
            job.set(JobState::Failed(maillage_messages::sentence(&message)));
            // The kind and the place only: the message quotes the file's data.
            audit::import_failure(&e, &job.file_name)
        }
    };
    drop(uploaded);
    let target = format!("import:{}", job.id);
    if audit::record_as(&store, &actor, Action::ImportFinished, &target, details)
        .await
        .is_err()
    {
        // The kind of failure only: store errors may quote values, and logs carry no personal data.
        tracing::error!("audit entry of an import could not be written");
    }
}

/// The freshness warning of one source, when it is older than its rhythm (none if it cannot be read).
async fn stale_sources_of(store: &Store, kind: &str) -> Option<String> {
    maillage_store::freshness::stale_of(
        store,
        kind,
        maillage_kit::local_time::today(jiff::Timestamp::now()),
    )
    .await
    .ok()?
    .map(|f| f.french())
}

// ---------------------------------------------------------------------------------------------------------
// JSON status

const JOB_DOC: ApiDoc = ApiDoc {
    summary: "État d'un import lancé depuis le navigateur",
    description: "Progression (`lignes_lues`) et résultat d'un import déposé par la page d'import : `etat` vaut \
                  `en_attente`, `en_cours`, `termine` (avec le numéro de lot et les compteurs) ou `refuse` (avec \
                  le message d'erreur, rien n'ayant été modifié).",
    parameters: &[ApiParam {
        name: "id",
        schema_type: "string",
        description: "Identifiant rendu par le dépôt (dans le chemin)",
    }],
    response: || {
        json!({
            "type": "object",
            "required": ["id", "etat", "fichier", "sha256", "lignes_lues", "message"],
            "properties": {
                "id": { "type": "string" },
                "etat": { "type": "string", "enum": ["en_attente", "en_cours", "termine", "refuse"] },
                "type": { "type": "string" }, "fichier": { "type": "string" }, "taille": { "type": "integer" },
                "sha256": { "type": "string" }, "lignes_lues": { "type": "integer" },
                "octets_lus": { "type": "integer", "description": "Octets du fichier lus, quand le lecteur le dit" },
                "depose_le": { "type": "string" }, "message": { "type": "string" },
                "lot": { "type": ["integer", "null"] }, "millesime": { "type": ["string", "null"] },
                "compteurs": { "type": ["object", "null"] },
                "remarques": { "type": "array", "items": { "type": "string" } },
                "erreur": { "type": ["string", "null"] },
                "meme_fichier": { "type": ["string", "null"], "description": "Même fichier qu'un import précédent (rien n'est alors modifié)" },
                "avertissements": { "type": "array", "items": { "type": "string" }, "description": "Aucune ligne dans le territoire, source plus ancienne que son rythme de publication" },
                "page": { "type": "string" }
            }
        })
    },
};

async fn job_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let job = find_job(&state, &id).ok_or(WebError::NotFound)?;
    let s = job.state();
    let (code, batch, vintage, counts, notes, error) = match &s {
        JobState::Waiting => ("en_attente", None, None, None, vec![], None),
        JobState::Running => ("en_cours", None, None, None, vec![], None),
        JobState::Done(d) => (
            "termine",
            Some(d.batch_id),
            d.vintage.clone(),
            Some(serde_json::to_value(d.counts).unwrap_or(Value::Null)),
            d.notes.clone(),
            None,
        ),
        JobState::Failed(m) => ("refuse", None, None, None, vec![], Some(m.clone())),
    };
    let rows = job.rows.load(Ordering::Relaxed);
    let message = match &s {
        JobState::Done(d) if !d.recorded || d.nothing_in_territory => {
            maillage_messages::sentence(&state_text(&s))
        }
        JobState::Done(d) => format!(
            "Import n° {} terminé : {} lignes lues, {} ajoutées, {} modifiées, {} inchangées, {} écartées, {} hors territoire.",
            d.batch_id,
            number(d.counts.rows_read as f64, 0),
            number(d.counts.inserted as f64, 0),
            number(d.counts.updated as f64, 0),
            number(d.counts.unchanged as f64, 0),
            number(d.counts.rejected as f64, 0),
            number(d.counts.filtered as f64, 0)
        ),
        JobState::Failed(m) => format!("Import refusé, rien n'a été modifié : {m}"),
        other => format!(
            "Import {} : {} lignes lues.",
            state_text(other),
            number(rows as f64, 0)
        ),
    };
    Ok(Json(json!({
        "id": job.id,
        "etat": code,
        "type": job.kind.kind().code(),
        "fichier": job.file_name,
        "taille": job.size,
        "sha256": job.sha256,
        "lignes_lues": rows,
        "octets_lus": job.bytes.load(Ordering::Relaxed),
        "depose_le": job.started_at,
        "message": message,
        "lot": batch,
        "millesime": vintage,
        "compteurs": counts,
        "remarques": notes,
        "erreur": error,
        "meme_fichier": match &s { JobState::Done(d) => d.same_file.clone(), _ => None },
        "avertissements": match &s {
            JobState::Done(d) => d
                .nothing_in_territory
                .then(|| maillage_messages::imports::NOTHING_IN_TERRITORY.to_string())
                .into_iter()
                .chain(d.stale.clone())
                .collect::<Vec<_>>(),
            _ => vec![],
        },
        "page": format!("/observatoire/imports/suivi/{}", job.id),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_cannot_leave_the_temporary_folder() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(
            safe_file_name("C:\\Users\\a\\PS_LibreAcces_Personne_activite_202611240000.txt"),
            "PS_LibreAcces_Personne_activite_202611240000.txt"
        );
        assert_eq!(safe_file_name(".."), "fichier");
        assert_eq!(safe_file_name(".cache"), "cache");
        assert_eq!(safe_file_name("a\u{0}b\n.csv"), "ab.csv");
    }

    #[test]
    fn the_form_fields_choose_the_importer() {
        let f = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            import_of_fields(&f(&[("type", "contours"), ("type_contour", "qpv")])),
            Ok(Import::Contours(Some(ContourKind::Qpv)))
        );
        assert_eq!(
            import_of_fields(&f(&[("type", "apl-drees")])),
            Ok(Import::AplDrees("medecin_generaliste".into()))
        );
        assert_eq!(
            import_of_fields(&f(&[("type", "communes"), ("millesime", "2024")])),
            Ok(Import::Communes(Some(2024)))
        );
        assert!(
            import_of_fields(&f(&[("type", "communes"), ("millesime", "deux")]))
                .unwrap_err()
                .contains("millésime")
        );
        assert_eq!(
            import_of_fields(&f(&[("type", "zonage"), ("arrete", "2025-03-12")])),
            Ok(Import::Zonage {
                columns: ZonageColumns::default(),
                decree: Some("2025-03-12".into())
            })
        );
        assert!(
            import_of_fields(&f(&[("type", "zonage"), ("arrete", "12 mars")]))
                .unwrap_err()
                .contains("arrêté")
        );
        assert_eq!(
            import_of_fields(&f(&[("type", "activite")])),
            Ok(Import::Activite)
        );
        assert!(
            import_of_fields(&f(&[("type", "osm")]))
                .unwrap_err()
                .contains("inconnu")
        );
        assert!(
            import_of_fields(&f(&[]))
                .unwrap_err()
                .contains("Choisissez")
        );
    }
}
