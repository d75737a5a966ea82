//! Typed permissions and the one table that grants them to roles. Deny by default: a role has exactly the
//! permissions listed for it here, a route names the one permission it needs, and nothing else opens a door.
//!
//! To add a permission: add a variant, give it a code and a French label, grant it in [`permissions_of`] to the
//! roles that need it (the `match` makes the compiler ask for every role), and update the role × route table of
//! `maillage-web`'s `tests/it/routes.rs`.

use maillage_store::accounts::Role;
use std::collections::BTreeSet;

maillage_kit::coded! {
    /// A permission; its code is shown in the OpenAPI document and the administration pages.
    pub enum Permission {
        /// Home page, one's own password, logout: every role.
        OwnAccount => "compte.personnel",
        /// Observatory dashboards, zones, indicators and counts of professionals.
        ObservatoryRead => "observatoire.consulter",
        /// Counts below the secrecy threshold, unsuppressed (internal use only).
        ObservatoryFineFigures => "observatoire.effectifs_fins",
        /// The list of professionals, one by one (names come from a public directory, every listing is audited).
        ProfessionalsList => "professionnels.lister",
        /// Import official files by upload, and read the import history (files, sha256, counts).
        ObservatoryImport => "observatoire.importer",
        /// Accounts, roles, territories and API tokens.
        AccountsManage => "comptes.gerer",
        /// The audit log, its export and its verification.
        AuditRead => "journal.consulter",
        /// Crisis dashboards without personal data: levels, main courante, tasks, indicators, clusters, stock
        /// levels, counts of the register and of campaigns.
        CrisisRead => "crise.consulter",
        /// Steer the crisis cell: levels, main courante, tasks, composition, clusters and decisions, indicators,
        /// service continuity and relay lists.
        CrisisManage => "crise.piloter",
        /// The register of vulnerable people, by name (every read audited).
        CrisisRegister => "crise.registre",
        /// Send the register to the préfet while an alert is active (logged with its reason).
        CrisisRegisterExport => "crise.registre.transmettre",
        /// Phone campaigns over the register: calling, outcomes, escalations.
        CrisisCalls => "crise.appels",
        /// Volunteers and inhabitants' requests, matching, rounds.
        CrisisVolunteers => "crise.benevoles",
        /// Stock receipts and distributions.
        CrisisStocks => "crise.stocks",
        /// A volunteer's own missions, and nothing else.
        OwnMissions => "missions.personnelles",
        /// The internal directory of actors, with their contact persons (personal data).
        DirectoryRead => "annuaire.consulter",
        /// Run the network: directory and contacts (imports, exports), bodies and meetings, watch cases,
        /// consultations of inhabitants.
        NetworkManage => "reseau.animer",
        /// Relay information to lists of actors (lists, messages by SMTP or export): the network's coordination
        /// and the crisis cell share this one relay.
        RelayMessages => "relais.diffuser",
        /// Bodies, members, meetings, decisions and follow-up actions, consultations (read).
        BodiesRead => "instances.consulter",
        /// The watch network's cases (read).
        WatchRead => "veille.consulter",
        /// The Contrat local de santé in full (read): fiches, indicators, funding, evaluation report.
        ClsRead => "cls.consulter",
        /// Edit the Contrat local de santé.
        ClsManage => "cls.gerer",
        /// The shared CLS dashboard: progress by axis and indicators, aggregated.
        ClsShared => "cls.tableau_partage",
        /// Instance settings (the SMTP server messages go through).
        SettingsManage => "parametres.gerer",
        /// The guided set-up of the territory: the official files it needs and where each stands.
        TerritorySetup => "installation.suivre",
    }
}

impl Permission {
    /// Stable code, shown in the OpenAPI document and the administration pages.
    pub fn code(self) -> &'static str {
        maillage_kit::codes::Coded::code(self)
    }

    pub fn label(self) -> &'static str {
        match self {
            Permission::OwnAccount => "Accéder à son compte (accueil, mot de passe, déconnexion)",
            Permission::ObservatoryRead => {
                "Consulter l'observatoire (tableaux de bord, zones, indicateurs)"
            }
            Permission::ObservatoryFineFigures => {
                "Voir les petits effectifs sans secret statistique (usage interne à la commune)"
            }
            Permission::ProfessionalsList => {
                "Lister les professionnels de santé un par un (accès journalisé)"
            }
            Permission::ObservatoryImport => {
                "Importer les fichiers officiels (dépôt de fichiers) et consulter l'historique des imports"
            }
            Permission::AccountsManage => "Gérer les comptes, rôles, territoires et jetons d'API",
            Permission::AuditRead => "Consulter, exporter et vérifier le journal d'audit",
            Permission::CrisisRead => {
                "Suivre la crise sans données personnelles (niveaux, main courante, indicateurs, clusters, stocks, effectifs)"
            }
            Permission::CrisisManage => {
                "Piloter la cellule de crise (niveaux, main courante, tâches, clusters, décisions, continuité, relais)"
            }
            Permission::CrisisRegister => {
                "Tenir le registre nominatif des personnes vulnérables (chaque consultation est journalisée)"
            }
            Permission::CrisisRegisterExport => {
                "Transmettre le registre au préfet pendant une alerte (transmission journalisée avec son motif)"
            }
            Permission::CrisisCalls => {
                "Mener les campagnes d'appels auprès des personnes inscrites au registre"
            }
            Permission::CrisisVolunteers => "Gérer les bénévoles et les demandes des habitants",
            Permission::CrisisStocks => "Enregistrer les réceptions et distributions de matériel",
            Permission::OwnMissions => "Voir et accomplir ses propres missions de bénévole",
            Permission::DirectoryRead => {
                "Consulter l'annuaire interne des acteurs et leurs personnes contacts (données personnelles)"
            }
            Permission::NetworkManage => {
                "Animer le réseau : annuaire et contacts, instances et réunions, listes et messages, veille, consultations"
            }
            Permission::RelayMessages => {
                "Relayer l'information aux listes d'acteurs (listes, messages par courriel ou export, désinscriptions)"
            }
            Permission::BodiesRead => {
                "Consulter les instances, réunions, décisions et actions de suivi"
            }
            Permission::WatchRead => "Consulter les signalements du réseau de veille",
            Permission::ClsRead => {
                "Consulter le contrat local de santé (fiches, indicateurs, financements, évaluation)"
            }
            Permission::ClsManage => {
                "Tenir le contrat local de santé (fiches actions, indicateurs, financements)"
            }
            Permission::ClsShared => {
                "Consulter le tableau de bord partagé du CLS (avancement par axe, agrégé)"
            }
            Permission::SettingsManage => {
                "Régler les paramètres de l'instance (serveur de courriel)"
            }
            Permission::TerritorySetup => {
                "Suivre l'installation guidée du territoire (fichiers officiels nécessaires et leur état)"
            }
        }
    }
}

/// The role → permissions table. Exhaustive by construction: a new role does not compile until it is listed.
pub fn permissions_of(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        // Élus follow the crisis through counts and decisions, never names.
        Role::Elu => &[
            OwnAccount,
            ObservatoryRead,
            ObservatoryFineFigures,
            CrisisRead,
            BodiesRead,
            WatchRead,
            ClsRead,
            ClsShared,
        ],
        Role::Coordination => &[
            OwnAccount,
            ObservatoryRead,
            ObservatoryFineFigures,
            ProfessionalsList,
            CrisisRead,
            CrisisManage,
            DirectoryRead,
            NetworkManage,
            RelayMessages,
            BodiesRead,
            WatchRead,
            ClsRead,
            ClsManage,
            ClsShared,
        ],
        Role::Observatoire => &[
            OwnAccount,
            ObservatoryRead,
            ObservatoryFineFigures,
            ProfessionalsList,
            ObservatoryImport,
            TerritorySetup,
        ],
        Role::Offre => &[
            OwnAccount,
            ObservatoryRead,
            ObservatoryFineFigures,
            ProfessionalsList,
            DirectoryRead,
        ],
        Role::Ccas => &[
            OwnAccount,
            CrisisRead,
            CrisisRegister,
            CrisisRegisterExport,
            CrisisCalls,
            CrisisVolunteers,
            CrisisStocks,
            DirectoryRead,
        ],
        Role::Mediation => &[
            OwnAccount,
            ObservatoryRead,
            ObservatoryFineFigures,
            DirectoryRead,
        ],
        Role::Crise => &[
            OwnAccount,
            ObservatoryRead,
            ObservatoryFineFigures,
            ProfessionalsList,
            CrisisRead,
            CrisisManage,
            CrisisRegister,
            CrisisRegisterExport,
            CrisisCalls,
            CrisisVolunteers,
            CrisisStocks,
            RelayMessages,
        ],
        Role::Benevole => &[OwnAccount, OwnMissions],
        // Partners see aggregated figures only, always under statistical secrecy.
        Role::Partenaire => &[OwnAccount, ObservatoryRead, ClsShared],
        Role::Dpo => &[OwnAccount, AuditRead],
        Role::Admin => &[OwnAccount, AccountsManage, SettingsManage, TerritorySetup],
    }
}

/// The union of the permissions of several roles.
pub fn permissions_of_roles<'a>(roles: impl IntoIterator<Item = &'a Role>) -> BTreeSet<Permission> {
    roles
        .into_iter()
        .flat_map(|r| permissions_of(*r).iter().copied())
        .collect()
}

/// The roles that hold a permission.
pub fn roles_with(permission: Permission) -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| permissions_of(*r).contains(&permission))
        .collect()
}

/// French name of a role, for people.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Elu => "Élu(e)",
        Role::Coordination => "Coordination (CLS, ASV, CLSM)",
        Role::Observatoire => "Observatoire (santé publique, SIG)",
        Role::Offre => "Offre de soins",
        Role::Ccas => "CCAS et action sociale",
        Role::Mediation => "Médiation en santé",
        Role::Crise => "Cellule de crise",
        Role::Benevole => "Bénévole",
        Role::Partenaire => "Partenaire (ARS, CPAM, CPTS, ORS)",
        Role::Dpo => "Délégué(e) à la protection des données",
        Role::Admin => "Administration technique",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_kit::codes::{Coded, check};

    #[test]
    fn every_permission_and_role_has_a_sound_code_and_a_label() {
        assert_eq!(
            check::<Permission>(Some(&|p: Permission| p.label().to_string())),
            Ok(())
        );
        assert_eq!(
            check::<Role>(Some(&|r: Role| role_label(r).to_string())),
            Ok(())
        );
    }

    #[test]
    fn every_permission_is_granted_to_some_role() {
        let unused: Vec<Permission> = Permission::ALL
            .iter()
            .copied()
            .filter(|p| roles_with(*p).is_empty())
            .collect();
        assert!(unused.is_empty(), "granted to no role: {unused:?}");
    }
}
