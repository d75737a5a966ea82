//! French wording of the errors of an analysis (accessibility runs, isochrones).

use crate::{Cut, French};
use maillage_analysis::AnalysisError;

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
