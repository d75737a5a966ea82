use crate::French;
use maillage_store::audit::Break;

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
        }
    }
}
