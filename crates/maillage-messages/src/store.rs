use crate::French;
use maillage_store::StoreError;

impl French for StoreError {
    fn french(&self) -> String {
        match self {
            StoreError::Connect { location, reason } => format!(
                "impossible d'ouvrir la base « {location} » ({reason}) ; vérifiez le chemin du fichier SQLite ou \
                 l'URL PostgreSQL (postgres://utilisateur:mot-de-passe@hôte/base) et que le serveur répond"
            ),
            StoreError::Migration(reason) => format!(
                "impossible de mettre à jour le schéma de la base ({reason}) ; la base a peut-être été créée par \
                 une version plus récente de Maillage"
            ),
            StoreError::Database(e) => format!(
                "erreur de la base de données ({e}) ; rien n'a été modifié (l'opération a été annulée en bloc)"
            ),
            StoreError::Format(e) => format!("{} Rien n'a été importé.", e.french()),
            StoreError::Io { path, reason } => {
                format!(
                    "impossible de lire ou d'écrire « {path} » ({reason}) ; vérifiez le chemin et les droits"
                )
            }
            StoreError::NotABackup { path, reason } => format!(
                "« {path} » n'est pas une sauvegarde Maillage valide ({reason}) ; la base n'a pas été modifiée"
            ),
            StoreError::BackupTooNew { found, supported } => format!(
                "cette sauvegarde vient d'une version plus récente de Maillage (schéma {found}, cette version \
                 connaît le schéma {supported}) ; mettez Maillage à jour avant de la restaurer"
            ),
            StoreError::UnknownZone { kind, code } => {
                format!(
                    "zone inconnue : {kind} « {code} » ; la liste des zones s'affiche avec « maillage zones »"
                )
            }
            StoreError::UnknownCommune(code) => format!(
                "commune inconnue « {code} » ; importez d'abord les communes (maillage import communes …)"
            ),
            StoreError::InvalidValue { field, value } => {
                format!("valeur invalide pour « {field} » : « {value} »")
            }
            StoreError::AlreadyExists(what) => format!("{what} existe déjà"),
            StoreError::Interrupted => "l'import a été interrompu ; rien n'a été modifié".into(),
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
                format!("ligne {line} : identifiant d'adresse « {id} » en double, écartée")
            }
            SkippedCommunes { count } => {
                format!(
                    "{count} communes déléguées ou associées ignorées (comptées dans leur commune nouvelle)"
                )
            }
            ClosedEstablishment { finess } => {
                format!("établissement FINESS {finess} signalé fermé par le flux")
            }
        }
    }
}
