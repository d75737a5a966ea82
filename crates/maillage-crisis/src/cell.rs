//! The crisis cell: events and their activation level, the main courante (an append-only log of what happened
//! and who decided what), tasks, the cell's composition, and the continuity of municipal services.

use crate::coded;

coded! {
    /// What the crisis is about.
    pub enum EventKind {
        Canicule => "canicule",
        GrandFroid => "grand_froid",
        Epidemie => "epidemie",
        Autre => "autre",
    }
}

coded! {
    /// Activation level of the plan for an event, in increasing order.
    pub enum Level {
        Veille => "veille",
        Alerte => "alerte",
        Crise => "crise",
    }
}

impl Level {
    /// An alert is active from the `alerte` level: phone campaigns may start and the register may be sent to the
    /// préfet (CASF L121-6-1: "en cas de déclenchement du plan d'alerte et d'urgence").
    pub fn is_alert(self) -> bool {
        self >= Level::Alerte
    }
}

/// Whether an alert is active, given the levels of the open events.
pub fn alert_active(open_levels: impl IntoIterator<Item = Level>) -> bool {
    open_levels.into_iter().any(Level::is_alert)
}

coded! {
    /// The kind of a main courante entry. Recommendations (ARS, préfecture) and decisions (the mayor's) are
    /// separate kinds: the mayor alone decides closures of municipal facilities, the ARS only recommends.
    pub enum LogKind {
        Evenement => "evenement",
        Information => "information",
        Recommandation => "recommandation",
        Decision => "decision",
        Arrete => "arrete",
        Fermeture => "fermeture",
        Reouverture => "reouverture",
        Niveau => "niveau",
    }
}

impl LogKind {
    /// Entries that record a decision: they must name who took it.
    pub fn is_decision(self) -> bool {
        matches!(
            self,
            LogKind::Decision | LogKind::Arrete | LogKind::Fermeture | LogKind::Reouverture
        )
    }

    /// Entries that must name who gave them (a recommendation without its author is hearsay).
    pub fn needs_author(self) -> bool {
        self.is_decision() || self == LogKind::Recommandation
    }
}

coded! {
    /// Whether someone belongs to the cell or is an outside contact of it.
    pub enum MemberKind {
        Membre => "membre",
        ContactExterne => "contact_externe",
    }
}

coded! {
    pub enum TaskStatus {
        AFaire => "a_faire",
        EnCours => "en_cours",
        Faite => "faite",
        Abandonnee => "abandonnee",
    }
}

impl TaskStatus {
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::AFaire | TaskStatus::EnCours)
    }
}

/// Whether an open task is late at `now` (instants as Unix seconds).
pub fn task_late(status: TaskStatus, due: Option<i64>, now: i64) -> bool {
    status.is_open() && due.is_some_and(|d| d < now)
}

coded! {
    /// How a municipal service or reception point runs during the crisis.
    pub enum ServiceStatus {
        Ouvert => "ouvert",
        HorairesReduits => "horaires_reduits",
        SurRendezVous => "sur_rendez_vous",
        Distance => "a_distance",
        Ferme => "ferme",
    }
}

/// A change of an event's level, which the store writes into the main courante in the words the caller gives
/// (`maillage_messages::crisis::level_entry`): the entry is then kept as written, like every entry of the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelChange<'a> {
    /// The event is opened at this level.
    Opened {
        title: &'a str,
        level: Level,
    },
    Changed {
        level: Level,
    },
    /// The event is over: the cell is lifted for it.
    Closed,
}

/// How the caller words a level change for the main courante.
pub type LevelWording = fn(&LevelChange<'_>) -> String;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn alerts_start_at_the_alerte_level() {
        assert!(!alert_active([]));
        assert!(!alert_active([Level::Veille, Level::Veille]));
        assert!(alert_active([Level::Veille, Level::Alerte]));
        assert!(alert_active([Level::Crise]));
        assert!(Level::Veille < Level::Alerte && Level::Alerte < Level::Crise);
    }

    #[test]
    fn codes_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.code()), Some(*k));
        }
        for k in LogKind::ALL {
            assert_eq!(LogKind::parse(k.code()), Some(*k));
        }
        assert_eq!(Level::parse("maximum"), None);
    }

    #[test]
    fn decisions_and_recommendations_need_their_author() {
        assert!(LogKind::Fermeture.needs_author() && LogKind::Fermeture.is_decision());
        assert!(LogKind::Recommandation.needs_author() && !LogKind::Recommandation.is_decision());
        assert!(!LogKind::Information.needs_author());
    }

    #[test]
    fn only_open_tasks_are_late() {
        assert!(task_late(TaskStatus::AFaire, Some(100), 101));
        assert!(!task_late(TaskStatus::AFaire, Some(100), 100));
        assert!(!task_late(TaskStatus::Faite, Some(100), 200));
        assert!(!task_late(TaskStatus::EnCours, None, 200));
    }
}
