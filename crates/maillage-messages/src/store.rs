use crate::{Cut, French};
use maillage_formats::text::cut;
use maillage_store::StoreError;

impl French for StoreError {
    fn french(&self) -> String {
        match self {
            StoreError::Connect { location, reason } => format!(
                "impossible d'ouvrir la base « {location} » ({reason}) ; vérifiez le chemin du fichier SQLite ou \
                 l'URL PostgreSQL (postgres://utilisateur:mot-de-passe@hôte/base) et que le serveur répond",
                location = Cut(location),
                reason = Cut(reason)
            ),
            StoreError::Migration(reason) => format!(
                "impossible de mettre à jour le schéma de la base ({reason}) ; la base a peut-être été créée par \
                 une version plus récente de Maillage",
                reason = Cut(reason)
            ),
            StoreError::Database(e) => format!(
                "erreur de la base de données ({e}) ; rien n'a été modifié (l'opération a été annulée en bloc)",
                e = Cut(e)
            ),
            StoreError::Format(e) => format!("{} Rien n'a été importé.", e.french()),
            StoreError::Io { path, reason } => {
                format!(
                    "impossible de lire ou d'écrire « {path} » ({reason}) ; vérifiez le chemin et les droits",
                    path = Cut(path),
                    reason = Cut(reason)
                )
            }
            StoreError::NotABackup { path, reason } => format!(
                "« {path} » n'est pas une sauvegarde Maillage valide ({reason}) ; la base n'a pas été modifiée",
                path = Cut(path),
                reason = Cut(reason)
            ),
            StoreError::BackupTooNew { found, supported } => format!(
                "cette sauvegarde vient d'une version plus récente de Maillage (schéma {found}, cette version \
                 connaît le schéma {supported}) ; mettez Maillage à jour avant de la restaurer"
            ),
            StoreError::UnknownZone { kind, code } => {
                format!(
                    "zone inconnue : {kind} « {code} » ; la liste des zones s'affiche avec « maillage zones »",
                    kind = Cut(kind),
                    code = Cut(code)
                )
            }
            StoreError::UnknownCommune(code) => format!(
                "commune inconnue « {code} » ; importez d'abord les communes (maillage import communes …)",
                code = Cut(code)
            ),
            StoreError::InvalidValue { field, value } => {
                format!(
                    "valeur invalide pour « {field} » : « {value} »",
                    field = Cut(field),
                    value = Cut(value)
                )
            }
            // `what` names the thing with its code already cut ("l'article « … »"): room for both.
            StoreError::AlreadyExists(what) => {
                format!(
                    "{} existe déjà",
                    cut(what, 2 * maillage_formats::text::QUOTED_CHARS)
                )
            }
            StoreError::Interrupted => "l'import a été interrompu ; rien n'a été modifié".into(),
            StoreError::UnknownEpci {
                code,
                epci_known: 0,
            } => format!(
                "EPCI « {} » : aucun EPCI n'est encore dans la base ; importez d'abord le fichier des EPCI du \
                 paquet @etalab/decoupage-administratif (maillage import communes epci.json), puis relancez \
                 maillage territoire definir --epci {}",
                cut(code, 80),
                cut(code, 80)
            ),
            StoreError::UnknownEpci { code, epci_known } => format!(
                "EPCI « {} » inconnu : la base connaît {epci_known} EPCI, pas celui-ci ; vérifiez son numéro \
                 SIREN (9 chiffres) ou réimportez le fichier des EPCI (maillage import communes epci.json) : \
                 un territoire déjà défini ne garde que les EPCI qui le touchent",
                cut(code, 80)
            ),
            StoreError::TypedPopulationForSeveralZones { zones } => format!(
                "une population saisie ne vaut que pour une zone, et ce fichier en compte {zones} ; importez-le \
                 sans population saisie (chaque zone prend alors la population de la base) ou importez le fichier \
                 d'une seule zone. Rien n'a été importé."
            ),
        }
    }
}

impl French for maillage_store::session::ImportNote {
    fn french(&self) -> String {
        use maillage_store::session::ImportNote::*;
        match self {
            Format { warning } => warning.french(),
            DuplicateActivity { line } => {
                format!(
                    "ligne {line} : activité en double (même professionnel, lieu, profession et mode), écartée"
                )
            }
            MissingNationalId { line } => {
                format!("ligne {line} : identification nationale absente, ligne écartée")
            }
            DuplicateAddress { line, id } => {
                format!(
                    "ligne {line} : identifiant d'adresse « {id} » en double, écartée",
                    id = Cut(id)
                )
            }
            SkippedCommunes { count } => {
                format!(
                    "{count} communes déléguées ou associées ignorées (comptées dans leur commune nouvelle)"
                )
            }
            ClosedEstablishment { finess } => {
                format!(
                    "établissement FINESS {finess} signalé fermé par le flux",
                    finess = Cut(finess)
                )
            }
        }
    }
}

/// The coordinates of a FINESS flux import, case by case, in French; `number` formats a count the way the
/// caller shows numbers (command line, page). `None` when there is nothing to say.
pub fn coordinate_counts(
    c: &maillage_store::imports::finess::CoordinateCounts,
    number: &dyn Fn(f64, usize) -> String,
) -> Option<String> {
    let parts: Vec<String> = [
        (c.wgs84, "en WGS84 (degrés)"),
        (c.lambert93, "en Lambert-93"),
        (c.utm20n, "en UTM 20N (Antilles)"),
        (c.utm21n, "en UTM 21N (Saint-Pierre-et-Miquelon)"),
        (c.utm22n, "en UTM 22N (Guyane)"),
        (c.utm38s, "en UTM 38S (Mayotte)"),
        (c.utm40s, "en UTM 40S (La Réunion)"),
        (c.sans_position, "sans position"),
        (c.inconnues, "illisibles (importés sans position)"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, label)| format!("{} {label}", number(n as f64, 0)))
    .collect();
    if parts.is_empty() {
        return None;
    }
    let mut s = format!(
        "Coordonnées des établissements du territoire : {}",
        parts.join(", ")
    );
    match c.inversees {
        0 => {}
        1 => s.push_str(" ; dont 1 couple X et Y inversés, remis dans l'ordre"),
        n => s.push_str(&format!(
            " ; dont {} couples X et Y inversés, remis dans l'ordre",
            number(n as f64, 0)
        )),
    }
    s.push('.');
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_store::imports::finess::CoordinateCounts;

    #[test]
    fn coordinate_counts_are_worded_by_case() {
        let plain = |n: f64, _: usize| format!("{n}");
        let c = CoordinateCounts {
            wgs84: 2,
            lambert93: 3,
            utm40s: 1,
            inversees: 1,
            sans_position: 4,
            ..Default::default()
        };
        assert_eq!(
            coordinate_counts(&c, &plain).as_deref(),
            Some(
                "Coordonnées des établissements du territoire : 2 en WGS84 (degrés), 3 en Lambert-93, 1 en UTM 40S \
                 (La Réunion), 4 sans position ; dont 1 couple X et Y inversés, remis dans l'ordre."
            )
        );
        assert_eq!(
            coordinate_counts(&CoordinateCounts::default(), &plain),
            None
        );
    }
}
