//! The tables the observatory shows, as plain rows of typed cells, written once and then serialised to CSV or
//! XLSX. Cells keep their type (a number stays a number in a spreadsheet) and say when statistical secrecy hid
//! them.

use crate::data::ProfessionalRow;
use crate::exports::Filters;
use maillage_indicators::{Indicator, IndicatorRow, Secret, professions};
use maillage_store::batch::Batch;
use maillage_store::imports::zonage::ZonageEntry;
use maillage_store::zones::{PopulationMethod, Zone};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number and the decimals it is shown with in a spreadsheet (all of them are written to CSV).
    Number(f64, u8),
    /// Hidden by statistical secrecy: shown as "< threshold".
    Secret(u32),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn opt_text(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }

    fn opt_number(v: Option<f64>, decimals: u8) -> Cell {
        v.map_or(Cell::Empty, |v| Cell::Number(v, decimals))
    }
}

/// A table: a sheet name, column headers (French, for people) and rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// Short name, used for the sheet (31 characters at most).
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Where the figures come from, their method and limits: (heading, text) pairs, written beside the table
    /// (a second sheet in XLSX).
    pub notes: Vec<(String, String)>,
}

/// French name of an indicator, as column headers and tables say it.
pub fn indicator_label(i: Indicator) -> &'static str {
    match i {
        Indicator::Count => "Effectif",
        Indicator::Per10k => "Densité pour 10 000 habitants",
        Indicator::Per100k => "Densité pour 100 000 habitants",
        Indicator::QpvPer10k => "Densité dans les QPV pour 10 000 habitants",
        Indicator::RestPer10k => "Densité hors QPV pour 10 000 habitants",
        Indicator::QpvRatio => "Rapport densité QPV / hors QPV",
        Indicator::Gp60PlusShare => "Part des médecins généralistes de 60 ans et plus",
    }
}

/// Decimals shown for an indicator's values.
pub fn decimals(i: Indicator) -> u8 {
    match i {
        Indicator::Count => 0,
        Indicator::Per100k => 0,
        Indicator::QpvRatio => 2,
        _ => 1,
    }
}

pub fn method_label(m: PopulationMethod) -> &'static str {
    match m {
        PopulationMethod::Published => "publiée (INSEE)",
        PopulationMethod::SumOfIris => "somme des IRIS du quartier",
        PopulationMethod::AreaWeighted => "estimée au prorata des surfaces des IRIS",
    }
}

/// The value cell of an indicator row: its value, empty when it cannot be computed, and under secrecy "< k"
/// for a count below the threshold, "s" (the statistical offices' mark) for anything else hidden — a count
/// hidden to protect another, or a density of a hidden count (a density is not "below k").
pub fn value_cell(r: &IndicatorRow, secrecy: Option<u32>) -> Cell {
    match r.secret_mark(secrecy.unwrap_or(5)) {
        Some(mark) if mark == HIDDEN => Cell::text(HIDDEN),
        Some(_) => Cell::Secret(secrecy.unwrap_or(5)),
        None => Cell::opt_number(r.value, decimals(r.indicator)),
    }
}

/// What a hidden value that is not a count below the threshold says in a spreadsheet.
pub const HIDDEN: &str = "s";

/// Why a row is hidden, in words.
fn secret_cell(r: &IndicatorRow) -> Cell {
    match r.secret {
        None => Cell::text("non"),
        Some(Secret::Threshold) => Cell::text("oui : effectif sous le seuil"),
        Some(Secret::Secondary) => Cell::text("oui : secret secondaire"),
    }
}

/// Indicators by zone and profession.
pub fn indicators(rows: &[IndicatorRow], secrecy: Option<u32>, method_context: &str) -> Table {
    let rows = rows
        .iter()
        .map(|r| {
            let profession = professions::by_code(&r.profession).map_or("", |p| p.label);
            vec![
                Cell::text(indicator_label(r.indicator)),
                Cell::text(r.indicator.code()),
                Cell::text(r.zone_kind.clone()),
                Cell::text(r.zone_code.clone()),
                Cell::text(r.zone_name.clone()),
                Cell::opt_text(r.zone_parent.as_deref()),
                Cell::text(profession),
                Cell::text(r.profession.clone()),
                value_cell(r, secrecy),
                Cell::text(r.indicator.unit()),
                if r.is_secret() {
                    // The numerator reads as the value does (a count, or the density of a ratio).
                    match (r.secret, r.indicator) {
                        (
                            Some(Secret::Threshold),
                            Indicator::Count
                            | Indicator::Per10k
                            | Indicator::Per100k
                            | Indicator::QpvPer10k
                            | Indicator::RestPer10k,
                        ) => Cell::Secret(secrecy.unwrap_or(5)),
                        _ => Cell::text(HIDDEN),
                    }
                } else {
                    Cell::opt_number(r.numerator, decimals(r.indicator).max(1))
                },
                Cell::opt_number(r.denominator, 1),
                Cell::opt_number(r.population_vintage.map(|v| v as f64), 0),
                secret_cell(r),
                Cell::text(maillage_messages::indicators::method_in(
                    r.indicator,
                    method_context,
                )),
            ]
        })
        .collect();
    Table {
        name: "Indicateurs",
        columns: vec![
            "Indicateur",
            "Code indicateur",
            "Type de zone",
            "Code zone",
            "Zone",
            "Commune (code)",
            "Profession",
            "Code profession",
            "Valeur",
            "Unité",
            "Numérateur",
            "Dénominateur",
            "Millésime de population",
            "Secret statistique",
            "Méthode",
        ],
        rows,
        notes: Vec::new(),
    }
}

/// Zones with their population, and the zonage médecins of the ARS of communes and QPV (`zonage`, by
/// `(unit, code)`).
pub fn zones(zones: &[Zone], zonage: &HashMap<(String, String), ZonageEntry>) -> Table {
    let rows = zones
        .iter()
        .map(|z| {
            let p = z.population.as_ref();
            let zonage = zonage.get(&(z.kind.as_str().to_string(), z.code.clone()));
            vec![
                Cell::text(z.kind.as_str()),
                Cell::text(z.code.clone()),
                Cell::text(z.name.clone()),
                Cell::opt_text(z.parent_code.as_deref()),
                Cell::opt_text(z.departement.as_deref()),
                Cell::opt_number(p.map(|p| p.value), 0),
                Cell::opt_number(p.map(|p| p.vintage as f64), 0),
                Cell::opt_text(p.map(|p| method_label(p.method))),
                Cell::opt_text(zonage.map(|e| e.zonage.as_str())),
                zonage.map_or(Cell::Empty, |e| Cell::text(crate::data::zonage::label(e))),
                Cell::opt_text(zonage.map(|e| e.arrete.as_str())),
            ]
        })
        .collect();
    Table {
        name: "Zones",
        columns: vec![
            "Type de zone",
            "Code",
            "Nom",
            "Zone parente (code)",
            "Département",
            "Population",
            "Millésime de population",
            "Origine de la population",
            "Zonage médecins ARS (code)",
            "Zonage médecins ARS",
            "Date de l'arrêté du zonage",
        ],
        rows,
        notes: Vec::new(),
    }
}

/// Professionals one by one (roles allowed to list them only).
pub fn professionals(list: &[ProfessionalRow]) -> Table {
    let rows = list
        .iter()
        .map(|p| {
            vec![
                Cell::text(p.identifiant_national.clone()),
                Cell::opt_text(p.civilite.as_deref()),
                Cell::text(p.nom.clone()),
                Cell::opt_text(p.prenom.as_deref()),
                Cell::text(professions::by_code(&p.profession).map_or("", |x| x.label)),
                Cell::text(p.profession.clone()),
                Cell::opt_text(p.libelle_profession.as_deref()),
                Cell::opt_text(p.lieu.as_deref()),
                Cell::opt_text(p.commune_code.as_deref()),
                Cell::opt_text(p.commune_nom.as_deref()),
            ]
        })
        .collect();
    Table {
        name: "Professionnels",
        columns: vec![
            "Identifiant national",
            "Civilité",
            "Nom",
            "Prénom",
            "Profession",
            "Code profession",
            "Libellé de la source",
            "Lieu d'exercice",
            "Commune (code)",
            "Commune",
        ],
        rows,
        notes: Vec::new(),
    }
}

/// The history of imports (provenance of every figure).
pub fn imports(batches: &[Batch]) -> Table {
    let n = |v: u64| Cell::Number(v as f64, 0);
    let rows = batches
        .iter()
        .map(|b| {
            vec![
                Cell::Number(b.id as f64, 0),
                Cell::text(maillage_messages::imports::source_label(&b.kind).to_string()),
                Cell::text(b.file_name.clone()),
                Cell::opt_text(b.vintage.as_deref()),
                Cell::text(maillage_web_kit::layout::date_time(&b.imported_at)),
                n(b.counts.rows_read),
                n(b.counts.inserted),
                n(b.counts.updated),
                n(b.counts.unchanged),
                n(b.counts.rejected),
                n(b.counts.filtered),
                n(b.counts.removed),
                Cell::text(b.sha256.clone()),
            ]
        })
        .collect();
    Table {
        name: "Imports",
        columns: vec![
            "N° d'import",
            "Source",
            "Fichier",
            "Millésime",
            "Importé le",
            "Lignes lues",
            "Insérées",
            "Mises à jour",
            "Inchangées",
            "Rejetées",
            "Hors territoire",
            "Retirées",
            "Empreinte SHA-256 du fichier",
        ],
        rows,
        notes: Vec::new(),
    }
}

/// The notes every export carries: what was exported, when, for whom, under which secrecy, and from which
/// sources.
pub fn notes(
    territory: &str,
    filters: &Filters,
    secrecy: Option<u32>,
    sources: &[Batch],
    today: &str,
    method_context: &str,
) -> Vec<(String, String)> {
    let mut notes = vec![
        ("Territoire".to_string(), territory.to_string()),
        ("Exporté le".to_string(), today.to_string()),
        ("Filtres".to_string(), filters.describe()),
        (
            "Secret statistique".to_string(),
            match secrecy {
                Some(t) => format!(
                    "appliqué : les effectifs inférieurs à {t}, zéro compris, sont remplacés par « < {t} » ; les valeurs calculées \
                     à partir d'eux, et celles qui permettraient de les retrouver par différence avec les totaux, \
                     par « s » (colonne « Secret statistique » : le motif)."
                ),
                None => "non appliqué : usage interne à la commune, ne pas diffuser tel quel."
                    .to_string(),
            },
        ),
    ];
    for &i in Indicator::ALL {
        notes.push((
            format!("Méthode — {}", indicator_label(i)),
            maillage_messages::indicators::method_in(i, method_context),
        ));
    }
    for b in sources {
        notes.push((
            format!(
                "Source — {}",
                maillage_messages::imports::source_label(&b.kind)
            ),
            format!(
                "{} (millésime {}, importé le {})",
                b.file_name,
                b.vintage.as_deref().unwrap_or("non précisé"),
                maillage_web_kit::layout::date(&b.imported_at)
            ),
        ));
    }
    notes
}
