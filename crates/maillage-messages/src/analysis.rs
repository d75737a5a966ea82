use crate::French;
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
            AnalysisError::NoSupply { profession } => format!(
                "aucun lieu d'exercice géolocalisé pour « {profession} » : importez l'Annuaire santé puis le fichier \
                 BAN du département pour géocoder les adresses"
            ),
            AnalysisError::UnknownProfession(p) => format!(
                "profession inconnue « {p} » ; professions suivies : {}",
                maillage_indicators::PROFESSIONS.iter().map(|p| p.code).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}
