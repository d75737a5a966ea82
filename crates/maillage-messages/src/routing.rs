//! French wording of the routing engine's errors (OpenStreetMap files, graph cache, zones and places).

use crate::{Cut, French};
use maillage_routing::{CacheProblem, CsvProblem, Profile, RoutingError, ZoneProblem};

impl French for Profile {
    fn french(&self) -> String {
        match self {
            Profile::Car => "voiture".into(),
            Profile::Walk => "piéton".into(),
        }
    }
}

impl French for CacheProblem {
    fn french(&self) -> String {
        match self {
            CacheProblem::Truncated => "fichier tronqué".into(),
            CacheProblem::Checksum => "somme de contrôle incorrecte".into(),
            CacheProblem::Inconsistent(what) => {
                format!("contenu incohérent ({what})", what = Cut(what))
            }
            CacheProblem::UnknownProfile(code) => {
                format!("profil inconnu (code {code})", code = Cut(code))
            }
        }
    }
}

impl French for CsvProblem {
    fn french(&self) -> String {
        match self {
            CsvProblem::MissingColumn { column, found } => format!(
                "colonne « {column} » absente de l'en-tête (colonnes trouvées : {}) ; l'en-tête doit contenir \
                 id, lon et lat",
                crate::quoted_names(found),
                column = Cut(column)
            ),
            CsvProblem::FieldCount { expected, found } => format!(
                "nombre de champs incorrect : {expected} attendus comme dans l'en-tête, {found} trouvés ; la ligne \
                 est peut-être coupée ou contient un séparateur en trop"
            ),
            CsvProblem::NotANumber { field, value } => format!(
                "valeur « {value} » du champ « {field} » : nombre attendu (degrés décimaux WGS84, point décimal, \
                 par exemple 7.4246)",
                value = Cut(value),
                field = Cut(field)
            ),
            CsvProblem::OutOfRange { field, value } => {
                let range = if *field == "lat" {
                    "-90 à 90"
                } else {
                    "-180 à 180"
                };
                format!(
                    "{field} = {value} hors limites ({range}) ; les coordonnées doivent être en degrés WGS84 \
                     (vérifiez qu'elles ne sont pas en Lambert-93 ou inversées)",
                    field = Cut(field),
                    value = Cut(value)
                )
            }
            CsvProblem::EmptyId => "identifiant vide ; chaque point doit avoir un id".into(),
            CsvProblem::Unreadable(e) => {
                format!(
                    "ligne illisible ({e}) ; le fichier doit être un CSV en UTF-8",
                    e = Cut(e)
                )
            }
        }
    }
}

impl French for ZoneProblem {
    fn french(&self) -> String {
        match self {
            ZoneProblem::Json(e) => format!("JSON invalide ({})", crate::json_parser_in_french(e)),
            ZoneProblem::NotAFeatureCollection => {
                "ce n'est pas une FeatureCollection GeoJSON ; exportez les zones en GeoJSON (WGS84) depuis QGIS".into()
            }
            ZoneProblem::Geometry(kind) => format!(
                "géométrie « {kind} » inutilisable : Polygon ou MultiPolygon en longitude/latitude WGS84 attendu", kind = Cut(kind)
            ),
            ZoneProblem::MissingPopulation { field } => {
                format!("propriété « {field} » (population) absente ; indiquez le bon nom avec --champ-population", field = Cut(field))
            }
            ZoneProblem::InvalidPopulation { field, value } => {
                format!("population « {value} » (propriété « {field} ») invalide : nombre positif ou nul attendu", value = Cut(value), field = Cut(field))
            }
        }
    }
}

impl French for RoutingError {
    fn french(&self) -> String {
        use RoutingError::*;
        match self {
            Io { path, message } => format!(
                "fichier « {} » inaccessible ({message}) ; vérifiez le chemin et les droits",
                path.display(),
                message = Cut(message)
            ),
            Pbf { path, message } => format!(
                "« {} » n'est pas un extrait OpenStreetMap .osm.pbf lisible ({message}) ; le fichier est peut-être \
                 tronqué ou d'un autre format : téléchargez-le à nouveau",
                path.display(),
                message = Cut(message)
            ),
            NoRoutableWay { path, profile } => format!(
                "aucune voie utilisable par le profil {} dans « {} » ; vérifiez que l'extrait couvre bien des routes \
                 (et non seulement des bâtiments ou des points d'intérêt)",
                profile.french(),
                path.display()
            ),
            DuplicateOsmNode { path, id } => format!(
                "le nœud OpenStreetMap {id} apparaît deux fois avec des positions différentes dans « {} » ; \
                 l'extrait est incohérent, régénérez-le",
                path.display(),
                id = Cut(id)
            ),
            DuplicateNode { id, first, second } => format!(
                "le nœud {id} est donné deux fois (positions {} et {} de la liste) ; chaque identifiant de nœud doit \
                 être unique",
                first + 1,
                second + 1,
                id = Cut(id)
            ),
            UnknownNode { index, id } => format!(
                "le tronçon n° {} relie le nœud {id}, absent de la liste des nœuds",
                index + 1,
                id = Cut(id)
            ),
            InvalidCoordinates { id, lon, lat } => format!(
                "le nœud {id} a des coordonnées invalides ({lon}, {lat}) ; longitude et latitude WGS84 attendues",
                id = Cut(id)
            ),
            EmptyGraph => {
                "le graphe ne contient aucun nœud routable (aucun tronçon dans les deux sens)"
                    .into()
            }
            NotACache { path } => format!(
                "« {} » n'est pas un cache de graphe Maillage ; donnez un extrait .osm.pbf ou un cache écrit par \
                 « maillage graphe --cache »",
                path.display()
            ),
            CacheVersion {
                path,
                found,
                expected,
            } => format!(
                "le cache « {} » est au format {found}, cette version de Maillage lit le format {expected} ; \
                 reconstruisez-le avec « maillage graphe <extrait.osm.pbf> --cache {} »",
                path.display(),
                path.display()
            ),
            CorruptCache { path, problem } => format!(
                "le cache de graphe « {} » est endommagé ({}) ; supprimez-le et reconstruisez-le depuis l'extrait \
                 OpenStreetMap",
                path.display(),
                problem.french()
            ),
            ProfileMismatch {
                path,
                found,
                requested,
            } => format!(
                "le cache « {} » a été construit pour le profil {found}, pas pour le profil {} demandé ; \
                 utilisez le cache du bon profil ou reconstruisez-le",
                path.display(),
                requested.french(),
                found = Cut(found)
            ),
            Csv {
                path,
                line,
                column,
                problem,
            } => {
                let mut place = format!("fichier « {} », ligne {line}", path.display());
                if let Some(c) = column {
                    place.push_str(&format!(", colonne {c}"));
                }
                format!("{place} : {}", problem.french())
            }
            NoPoints { path } => format!(
                "le fichier « {} » ne contient aucun point ; une ligne d'en-tête id,lon,lat puis une ligne par point \
                 sont attendues",
                path.display()
            ),
            DuplicatePointId {
                path,
                id,
                line,
                first_line,
            } => format!(
                "fichier « {} », ligne {line} : identifiant « {id} » en double (déjà utilisé ligne {first_line}) ; \
                 chaque point doit avoir un identifiant unique",
                path.display(),
                id = Cut(id)
            ),
            Zones {
                path,
                feature,
                problem,
            } => {
                let mut place = format!("fichier de zones « {} »", path.display());
                if let Some(k) = feature {
                    place.push_str(&format!(", zone n° {}", k + 1));
                }
                format!("{place} : {}", problem.french())
            }
            InvalidThreshold { value } => {
                format!(
                    "seuil invalide ({value}) ; donnez des durées en minutes, positives, par exemple 5,10,15,20",
                    value = Cut(value)
                )
            }
            NodeOutOfRange { index, len } => {
                format!(
                    "nœud n° {index} inexistant (le graphe en compte {len}) ; erreur interne, signalez-la"
                )
            }
        }
    }
}
