//! One module per command family; each defines its clap arguments and a `run` function.

pub mod access;
mod accessibility;
mod audit;
mod backup;
mod base;
mod demo;
mod enrichment;
pub mod graph;
mod history;
mod import;
mod limits;
mod observatory;
mod report;
mod serve;
mod setup;
mod territory;
mod users;

pub use base::nombre;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Construire le territoire de démonstration (fictif) dans une base SQLite et le servir (comptes de démonstration)
    Demo(demo::DemoArgs),
    /// Importer un fichier officiel tel que publié (annuaire, finess, insee-iris, contours, communes, ban, apl-drees, activite…)
    Import(import::ImportArgs),
    /// Définir ou afficher le territoire servi (communes, EPCI) et sa zone tampon
    Territoire(territory::TerritoryArgs),
    /// Lister les zones (communes, IRIS, quartiers, QPV…) et leur population
    Zones(observatory::ZonesArgs),
    /// Calculer les indicateurs de l'observatoire (effectifs, densités, QPV, âge des médecins) en CSV ou JSON
    Indicateurs(observatory::IndicatorArgs),
    /// Enregistrer un enrichissement local (âge, départ prévu, temps partiel, nouveaux patients…)
    Enrichir(enrichment::EnrichArgs),
    /// Historique des imports et de leur provenance
    Historique(history::HistoryArgs),
    /// Sauvegarder toute la base dans un fichier (possible pendant que Maillage fonctionne)
    Sauvegarde(backup::SaveArgs),
    /// Restaurer une sauvegarde dans une base neuve (le journal d'audit d'une base n'est jamais effacé)
    Restauration(backup::RestoreArgs),
    /// Calculer l'accessibilité E2SFCA du territoire (IRIS, quartiers, communes) à une profession, par la route
    Accessibilite(accessibility::AccessibilityArgs),
    /// Calculer l'accessibilité E2SFCA à partir de fichiers CSV (demande, offre, temps)
    #[command(name = "e2sfca")]
    E2sfca(access::AccessArgs),
    /// Construire le graphe routier (voiture ou piéton) d'un extrait OpenStreetMap, l'exporter en CSV ou en cache
    Graphe(graph::GrapheArgs),
    /// Calculer les temps de trajet par la route entre des origines et des destinations
    Temps(graph::TempsArgs),
    /// Calculer les isochrones (zones atteintes en 5, 10, 15… minutes) autour de points, en GeoJSON
    Isochrones(graph::IsochronesArgs),
    /// Servir les pages web et l'API (http://127.0.0.1:8080/ par défaut)
    Serve(serve::ServeArgs),
    /// Gérer les comptes (créer le premier administrateur, lister, changer un mot de passe)
    Utilisateur(users::UserArgs),
    /// Journal d'audit : vérifier qu'il n'a pas été modifié
    Audit(audit::AuditArgs),
    /// Éditer le tableau de bord santé (PDF) d'une commune ou d'un quartier : carte, tableaux, graphiques, méthode, sources
    Rapport(report::ReportArgs),
    /// Installation guidée d'un territoire réel : les fichiers officiels nécessaires, leur vérification, leur
    /// import dans le bon ordre, puis les premiers indicateurs et l'accessibilité
    Installer(setup::SetupArgs),
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Demo(args) => demo::run(args),
        Command::Import(args) => import::run(args),
        Command::Territoire(args) => territory::run(args),
        Command::Zones(args) => observatory::zones(args),
        Command::Indicateurs(args) => observatory::indicators(args),
        Command::Enrichir(args) => enrichment::run(args),
        Command::Historique(args) => history::run(args),
        Command::Sauvegarde(args) => backup::save(args),
        Command::Restauration(args) => backup::restore(args),
        Command::Accessibilite(args) => accessibility::run(args),
        Command::E2sfca(args) => access::run(args),
        Command::Graphe(args) => graph::run_graphe(args),
        Command::Temps(args) => graph::run_temps(args),
        Command::Isochrones(args) => graph::run_isochrones(args),
        Command::Serve(args) => serve::run(args),
        Command::Utilisateur(args) => users::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Rapport(args) => report::run(args),
        Command::Installer(args) => setup::run(args),
    }
}
