//! French wording of the audit log: what a verification finds (a break in the chain and where), and what its
//! key file says above the key.

use crate::French;
use maillage_store::audit::Break;

/// What a new key file of the audit log says above the key (`maillage_store::audit::set_key_file_comment`).
pub const KEY_FILE_COMMENT: &str = "Clé du journal d'audit de Maillage. À garder secrète et à sauvegarder hors de la \
     base : sans elle, le journal ne se vérifie plus.";

impl French for Break {
    fn french(&self) -> String {
        match self {
            Break::Modified { id } => format!(
                "l'entrée n° {id} du journal d'audit a été modifiée après son écriture (son contenu ne correspond \
                 plus à son empreinte)"
            ),
            Break::Unlinked { id } => format!(
                "la chaîne du journal d'audit est rompue à l'entrée n° {id} : elle ne désigne pas l'entrée \
                 précédente (entrée supprimée, insérée ou réécrite)"
            ),
            Break::Gap { expected, found } => format!(
                "l'entrée n° {expected} du journal d'audit manque (la suivante porte le n° {found}) : elle a été \
                 supprimée"
            ),
            Break::Head { head_id, last_id } => format!(
                "la fin du journal d'audit ne correspond pas à son en-tête (dernière entrée n° {last_id}, en-tête \
                 n° {head_id}) : des entrées ont été supprimées à la fin"
            ),
            Break::HeadSeal { head_id } => format!(
                "l'en-tête du journal d'audit (dernière entrée n° {head_id}) n'est pas scellé par la clé : il a été \
                 déplacé ou réécrit sans la clé (entrées supprimées à la fin ?)"
            ),
            Break::ForeignKey => {
                "la clé donnée n'est pas celle qui a scellé ce journal d'audit (mauvais fichier \
                                  de clé, ou empreinte de clé modifiée dans la base)"
                    .into()
            }
            Break::AnchorForged => {
                "l'ancre n'est pas signée par la clé de ce journal : elle a été modifiée, \
                                    fabriquée, ou vient d'une autre base"
                    .into()
            }
            Break::KeyingMoved { anchored, found } => format!(
                "le début du scellement par clé a été déplacé (l'ancre le place à l'entrée n° {anchored}, la base à \
                 l'entrée n° {found}) : des entrées scellées ont été réécrites sans clé"
            ),
            Break::AnchorMismatch { id } => format!(
                "l'entrée n° {id} n'a plus l'empreinte notée dans l'ancre : le journal a été réécrit jusqu'à elle"
            ),
            Break::AnchorMissing { id, last_id } => format!(
                "l'entrée n° {id} nommée par l'ancre n'existe plus (le journal s'arrête à l'entrée n° {last_id}) : \
                 des entrées ont été supprimées à la fin"
            ),
        }
    }
}
