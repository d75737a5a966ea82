//! French wording of the store's errors (database, imports, backups), quoting at most a short extract.

use crate::{Cut, French};
use maillage_formats::text::cut;
use maillage_store::module::ModuleError;
use maillage_store::{BackupProblem, StoreError};

/// Every module's error: the store's, the module's rules' and refusals' wording, one sentence for a record not found.
impl<R: French, F: French> French for ModuleError<R, F> {
    fn french(&self) -> String {
        match self {
            ModuleError::Store(e) => e.french(),
            ModuleError::Rule(e) => e.french(),
            ModuleError::NotFound { what, id } => format!("{what} n° {id} introuvable"),
            ModuleError::Refused(e) => e.french(),
        }
    }
}

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
                reason = Cut(backup_problem(reason))
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
            StoreError::ApplicationRole { role, problem } => {
                use maillage_store::error::ApplicationRoleProblem;
                let role = cut(role, 80);
                match problem {
                    ApplicationRoleProblem::InvalidName => format!(
                        "rôle applicatif « {role} » : nom invalide ; donnez un nom de rôle PostgreSQL simple \
                         (lettres minuscules, chiffres et « _ », 63 caractères au plus, sans chiffre au début)"
                    ),
                    ApplicationRoleProblem::NotPostgres => format!(
                        "rôle applicatif « {role} » : une base SQLite n'a pas de rôles ; --role-application ne \
                         s'emploie qu'avec une base PostgreSQL (postgres://…)"
                    ),
                    ApplicationRoleProblem::CannotAssume(reason) => format!(
                        "impossible de prendre le rôle applicatif « {role} » ({}) ; créez-le et donnez-le au \
                         propriétaire de la base, en administrateur PostgreSQL : CREATE ROLE {role} NOLOGIN; \
                         GRANT {role} TO <propriétaire>;",
                        cut(reason, 200)
                    ),
                    ApplicationRoleProblem::TooPowerful => format!(
                        "rôle applicatif « {role} » refusé : il passerait outre la sécurité par commune \
                         (superutilisateur, BYPASSRLS ou propriétaire de tables) ; créez un rôle qui ne possède \
                         rien : CREATE ROLE maillage_application NOLOGIN;"
                    ),
                }
            }
            StoreError::AuditKey { path, problem } => key_problem(path, problem),
            StoreError::AuditKeyMismatch { path } => format!(
                "la clé du journal d'audit lue dans « {path} » n'est pas celle qui a scellé le journal de cette \
                 base ; donnez le bon fichier avec --cle-journal <fichier> (ou la variable MAILLAGE_CLE_JOURNAL). \
                 Rien n'a été écrit"
            ),
            StoreError::InvalidAnchor(problem) => {
                use maillage_store::audit::AnchorProblem;
                let what = match problem {
                    AnchorProblem::NotFound => {
                        "le texte ne contient pas « maillage-ancre-journal »".to_string()
                    }
                    AnchorProblem::Version(v) => format!(
                        "version « {} » inconnue de ce programme (il lit la version v1)",
                        cut(v, 80)
                    ),
                    AnchorProblem::MissingField(f) => format!("le champ « {f} » manque"),
                    AnchorProblem::InvalidField(f) => format!("le champ « {f} » est illisible"),
                };
                format!(
                    "ancre du journal d'audit illisible : {what} ; donnez la ligne imprimée par « maillage audit \
                     ancrer » telle quelle, ou le fichier qui la contient"
                )
            }
            StoreError::RestoreOverAuditLog { entries } => format!(
                "la base cible a déjà un journal d'audit ({}) : il ne peut être ni effacé ni \
                 remplacé ; restaurez la sauvegarde dans une base neuve (un autre fichier SQLite ou une base \
                 PostgreSQL vide). La base n'a pas été modifiée",
                crate::count(*entries, "entrée", "entrées")
            ),
        }
    }
}

fn key_problem(path: &str, problem: &maillage_store::audit::KeyProblem) -> String {
    use maillage_store::audit::KeyProblem;
    match problem {
        KeyProblem::Missing => format!(
            "la clé du journal d'audit est introuvable (« {path} ») alors que le journal de cette base est scellé \
             avec une clé ; donnez son fichier avec --cle-journal <fichier> (ou la variable MAILLAGE_CLE_JOURNAL)"
        ),
        KeyProblem::Exposed { mode } => format!(
            "le fichier de clé du journal d'audit « {path} » est lisible par d'autres comptes (droits {mode:o}) ; \
             restreignez-le à son propriétaire : chmod 600 {path}"
        ),
        KeyProblem::Malformed => format!(
            "le fichier de clé du journal d'audit « {path} » ne contient pas une clé (64 chiffres \
             hexadécimaux) ; remettez le fichier d'origine depuis sa sauvegarde"
        ),
        KeyProblem::Unreadable { reason } => format!(
            "impossible de lire le fichier de clé du journal d'audit « {path} » ({}) ; vérifiez le chemin et les \
             droits",
            cut(reason, 80)
        ),
        KeyProblem::Unwritable { reason } => format!(
            "impossible de créer le fichier de clé du journal d'audit « {path} » ({}) ; vérifiez les droits du \
             dossier ou désignez un autre fichier avec --cle-journal <fichier>",
            cut(reason, 80)
        ),
        KeyProblem::NoRandomness => format!(
            "impossible de tirer une clé aléatoire pour le journal d'audit (« {path} ») : le système ne fournit \
             pas d'aléa"
        ),
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

/// Why a file is not a backup, in the words the restore has always used.
fn backup_problem(problem: &BackupProblem) -> String {
    match problem {
        BackupProblem::EmptyFile => "fichier vide".into(),
        BackupProblem::Unreadable(e) => format!("fichier illisible ou non compressé : {e}"),
        BackupProblem::NoHeader => "en-tête absent".into(),
        BackupProblem::OtherFormat { format, version } => {
            format!("format {format} version {version}")
        }
        BackupProblem::UnreadableLine { line, reason } => {
            format!("ligne {line} illisible : {reason}")
        }
        BackupProblem::DataAfterEnd { line } => format!("données après la fin, ligne {line}"),
        BackupProblem::InvalidRow { line, reason } => format!("ligne {line} : {reason}"),
        BackupProblem::RowOutsideTable { line } => format!("ligne {line} hors table"),
        BackupProblem::ColumnCount { line } => format!("ligne {line} : nombre de colonnes"),
        BackupProblem::UnexpectedLine { line } => format!("ligne {line} inattendue"),
        BackupProblem::Truncated => "fichier tronqué (pas de marque de fin)".into(),
        BackupProblem::InconsistentCounts => "comptes de fin incohérents".into(),
        BackupProblem::UnknownTable(table) => format!("table inconnue « {table} »"),
        BackupProblem::UnknownColumn { table, column } => {
            format!("colonne inconnue « {table}.{column} »")
        }
    }
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
