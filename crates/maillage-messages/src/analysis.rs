//! French wording of an analysis (accessibility runs, isochrones): its errors, and what it says in the results it
//! stores ([`wording`], given to the analysis, since the words are stored with the run).

use crate::{Cut, French};
use maillage_analysis::wording::{NetworkSource, Text, Unsnapped};
use maillage_analysis::{AnalysisError, DemandMeasure, SupplyMeasure};

impl French for AnalysisError {
    fn french(&self) -> String {
        match self {
            AnalysisError::Store(e) => e.french(),
            AnalysisError::Routing(e) => e.french(),
            AnalysisError::Access(e) => e.french(),
            AnalysisError::NoNetwork => "aucun réseau routier : donnez un extrait OpenStreetMap (--osm fichier.osm.pbf, \
                 téléchargé par exemple sur Geofabrik pour le département)"
                .into(),
            AnalysisError::NoDemandZones => "aucune zone avec une population et un contour dans le territoire : importez \
                 les contours des IRIS (maillage import contours) et leur population (maillage import insee-iris)"
                .into(),
            // Pharmacies come from FINESS, which carries their coordinates: neither the Annuaire nor the BAN helps.
            AnalysisError::NoSupply { profession } if profession == maillage_indicators::professions::PHARMACY => {
                "aucune officine géolocalisée : importez le fichier FINESS des établissements (maillage import \
                 finess <fichier>), dont les coordonnées placent les pharmacies"
                    .into()
            }
            AnalysisError::NoSupply { profession } => format!(
                "aucun lieu d'exercice géolocalisé pour « {} » : importez l'Annuaire santé puis le fichier \
                 BAN du département pour géocoder les adresses",
                Cut(maillage_indicators::professions::by_code(profession).map_or(profession.as_str(), |p| p.label))
            ),
            AnalysisError::UnknownProfession(p) => format!(
                "profession inconnue « {p} » ; professions suivies : {}",
                maillage_indicators::PROFESSIONS.iter().map(|p| p.code).collect::<Vec<_>>().join(", "), p = Cut(p)
            ),
        }
    }
}

/// Where the DREES APL is published and how to bring it in: said wherever no APL has been imported.
pub const APL_HOW_TO: &str = "aucune APL de la DREES n'est importée : la DREES la publie par commune et par \
     profession (page « L'indicateur d'accessibilité potentielle localisée (APL) », \
     https://drees.solidarites-sante.gouv.fr/sources-outils-et-enquetes/lindicateur-daccessibilite-potentielle-localisee-apl, \
     fichiers sur data.drees.solidarites-sante.gouv.fr — adresse exacte du jeu de données non vérifiée) ; \
     importez le classeur .xlsx tel que publié avec « maillage import apl-drees <fichier> --profession <code> »";

/// The band a zone without age structure is put in, with its whole population and weight 1: it then counts
/// as raw population (stated in the metadata and the report).
const NO_STRUCTURE_BAND: &str = "population sans structure par âge (repli : population brute)";

/// What an analysis says in the results it stores, in French (`maillage_analysis::Wording`).
pub fn wording(text: Text<'_>) -> String {
    match text {
        Text::Network(NetworkSource::Osm { file, sha256 }) => {
            format!("OpenStreetMap « {file} » (sha256 {sha256})")
        }
        Text::Network(NetworkSource::Stored { nodes }) => {
            format!("réseau routier de la base ({nodes} nœuds)")
        }
        Text::Unsnapped(Unsnapped::ZoneWithoutOutline { kind, code }) => {
            format!("zone {kind} {code} : sans contour, donc sans position")
        }
        Text::Unsnapped(Unsnapped::ZoneTooFar { kind, code }) => {
            format!("zone {kind} {code} : trop loin du réseau routier")
        }
        Text::Unsnapped(Unsnapped::SiteTooFar { site }) => {
            format!("lieu {site} : trop loin du réseau routier")
        }
        Text::NoStructureBand => NO_STRUCTURE_BAND.into(),
        Text::AplHowTo => APL_HOW_TO.into(),
        Text::DemandSource(DemandMeasure::Population) => {
            "population par IRIS (INSEE) ou par commune, au centroïde de la zone".into()
        }
        Text::DemandSource(DemandMeasure::AgeStandardised) => {
            "population par IRIS (INSEE) et par grande tranche d'âge, pondérée par le besoin de soins de chaque \
             tranche (poids non vérifiés), au centroïde de la zone"
                .into()
        }
        Text::SupplySource {
            supply: SupplyMeasure::Activity,
            profession,
        } => format!(
            "lieux d'exercice géolocalisés ({profession}), chaque professionnel pour ses consultations et visites \
             de l'année (fichier d'activité de la commune)"
        ),
        Text::SupplySource {
            supply: SupplyMeasure::Headcount | SupplyMeasure::Fte,
            profession,
        } => format!("lieux d'exercice géolocalisés ({profession})"),
        Text::NeedWeightsNote => "poids de besoin de soins par tranche d'âge : ordre de grandeur du recours aux \
             médecins généralistes relatif à la moyenne, non vérifié auprès de la DREES (qui standardise par \
             tranches d'âge et sexe plus fines)"
            .into(),
        Text::NoStructureFallback => format!(
            "zones sans population par âge : population brute (tranche « {NO_STRUCTURE_BAND} », poids 1)"
        ),
        Text::ActivityRule => "actes de la dernière année donnée pour chaque professionnel (consultations + \
             visites), répartis entre ses lieux d'exercice comme l'effectif"
            .into(),
        Text::WithoutActivity => "exclus (offre nulle), comptés".into(),
        Text::Origins => {
            "centroïde de chaque IRIS (ou de la commune non découpée en IRIS), territoire et zone tampon".into()
        }
        Text::Aggregation => "quartiers et communes : moyenne des IRIS pondérée par la population".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_pharmacies_point_to_finess_not_to_the_annuaire() {
        let pharmacy = AnalysisError::NoSupply {
            profession: "pharmacie".into(),
        }
        .french();
        assert!(pharmacy.contains("FINESS"), "{pharmacy}");
        assert!(
            !pharmacy.contains("Annuaire") && !pharmacy.contains("BAN"),
            "{pharmacy}"
        );
        let gp = AnalysisError::NoSupply {
            profession: "medecin_generaliste".into(),
        }
        .french();
        assert!(
            gp.contains("Médecins généralistes") && gp.contains("BAN"),
            "{gp}"
        );
    }
}
