//! The crisis module in the browser (docs/produit.md §3.F): the crisis cell (levels, composition, main courante,
//! tasks, situation report), the register of vulnerable people, phone campaigns (usable on a phone), volunteers
//! and requests (and `/mes-missions` for volunteers), stocks, epidemic indicators, clusters, service continuity
//! (with a public page) and information relay.
//!
//! Who sees what: [`Permission::CrisisRead`] gives the dashboards without any name (élus, coordination, CCAS,
//! cell); the register, calls, volunteers and stocks each need their own permission; a volunteer sees only
//! their missions. Every page showing people of the register writes an audit entry; every change is audited in
//! its own transaction. Rules come from `maillage-crisis`, SQL from `maillage_store::crisis`.
//!
//! Every record belongs to a commune (or to the whole territory): every page, export and change goes through the
//! caller's reach ([`reach`]), so that an account limited to commune B never reads commune A's register, calls,
//! volunteers, requests, stocks or cell; a record outside the reach answers 404 like a missing one. Forms that
//! create a record ask for its commune ([`communes`]).

mod assets;
mod calls;
mod cell;
pub mod chart;
pub(crate) mod clusters;
mod continuity;
pub(crate) mod indicators;
mod register;
mod stocks;
mod volunteers;

pub(crate) use crate::data::crisis::{
    EXPIRY_HORIZON_DAYS, Figures, REMIND_DAYS, alert_text, report_figures,
};

use maillage_store::audit::Action;
use maillage_store::crisis::Error;
use maillage_store::reach::{Reach, Territorywide};
use maillage_web_kit::audit;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{self, Module};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};

pub(crate) use maillage_web_kit::fields::{CHOOSE, select};
pub(crate) use maillage_web_kit::form::{
    CommuneChoices, Missing, Notice, Taken, day, done, form_again, fr, local, local_input, now,
    reason_only, refused, take, take_as,
};

pub(crate) const READ: Access = Access::Requires(Permission::CrisisRead);
pub(crate) const MANAGE: Access = Access::Requires(Permission::CrisisManage);
pub(crate) const REGISTER: Access = Access::Requires(Permission::CrisisRegister);
pub(crate) const EXPORT: Access = Access::Requires(Permission::CrisisRegisterExport);
pub(crate) const CALLS: Access = Access::Requires(Permission::CrisisCalls);
pub(crate) const VOLUNTEERS: Access = Access::Requires(Permission::CrisisVolunteers);
pub(crate) const STOCKS: Access = Access::Requires(Permission::CrisisStocks);
pub(crate) const MISSIONS: Access = Access::Requires(Permission::OwnMissions);

pub fn routes(r: Routes) -> Routes {
    let r = assets::routes(r);
    let r = cell::routes(r);
    let r = register::routes(r);
    let r = calls::routes(r);
    let r = volunteers::routes(r);
    let r = stocks::routes(r);
    let r = indicators::routes(r);
    let r = clusters::routes(r);
    continuity::routes(r)
}

/// The crisis pages (the relay page is the network module's, listed here for the cell).
pub(crate) const CRISIS: Module = Module {
    stylesheet: "/static/crise.css",
    nav_class: "crise-nav",
    nav_label: "Gestion de crise",
    pages: &[
        ("/crise", "Cellule", Permission::CrisisRead),
        (
            "/crise/main-courante",
            "Main courante",
            Permission::CrisisRead,
        ),
        ("/crise/registre", "Registre", Permission::CrisisRegister),
        ("/crise/appels", "Appels", Permission::CrisisCalls),
        (
            "/crise/benevoles",
            "Bénévoles et demandes",
            Permission::CrisisVolunteers,
        ),
        ("/crise/stocks", "Stocks", Permission::CrisisRead),
        ("/crise/indicateurs", "Indicateurs", Permission::CrisisRead),
        ("/crise/clusters", "Clusters", Permission::CrisisRead),
        (
            "/crise/continuite",
            "Continuité des services",
            Permission::CrisisRead,
        ),
        (
            "/reseau/relais",
            "Relais d'information",
            Permission::RelayMessages,
        ),
    ],
    entry: |_| "/crise",
};

/// What the work of a change of this module gives [`take`]: its audit entry and next page, or the refusal.
pub(crate) type Taking = Result<Taken, Error>;

/// The communes whose crisis records the caller reaches.
pub(crate) fn reach(caller: &Caller) -> Reach {
    caller.scope().reach()
}

/// The communes a new record of the cell (internal: `Territorywide::Shared`) or a personal record
/// (`Territorywide::HolderOfAll`) may be given by the caller.
pub(crate) async fn communes(
    state: &AppState,
    caller: &Caller,
    territorywide: Territorywide,
) -> Result<CommuneChoices, WebError> {
    CommuneChoices::of(state, caller, territorywide).await
}

/// The commune a posted form gives a new record; a refusal naming the field when one must be chosen.
pub(crate) fn chosen_commune(
    choices: &CommuneChoices,
    f: &maillage_web_kit::params::Params,
) -> Result<Option<String>, Error> {
    choices
        .chosen(f.get(maillage_web_kit::form::COMMUNE_FIELD))
        .map_err(|_| {
            Error::Rule(maillage_crisis::CrisisError::Field(
                maillage_crisis::FieldError::MissingField { field: "commune" },
            ))
        })
}

/// The commune select of a creation form, shown only when there is a choice to make.
pub(crate) fn commune_field(choices: &CommuneChoices, id: &str, selected: Option<&str>) -> Markup {
    html! {
        @if choices.has_choice() {
            div.champ { (choices.select(id, selected)) }
        }
    }
}

/// Records a read of register data (sensitive: every read is audited).
pub(crate) async fn audit_read(
    state: &AppState,
    caller: &Caller,
    target: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    audit::record(state, caller, Action::CrisisRegisterRead, target, details).await
}

pub(crate) fn figures_tiles(f: &Figures) -> Markup {
    use maillage_crisis::calls::Escalation;
    let active_clusters: Vec<&crate::data::crisis::ClusterLine> =
        f.clusters.iter().filter(|c| c.active()).collect();
    html! {
        ul.tuiles {
            li {
                span.chiffre { (f.register.total) }
                (maillage_messages::agreed(f.register.total, "personne inscrite au registre", "personnes inscrites au registre"))
                @if f.register.acknowledgement_late > 0 { br; span.en-retard { (maillage_messages::count(f.register.acknowledgement_late, "accusé de réception en retard", "accusés de réception en retard")) } }
                @if f.register.confirmation_overdue + f.register.confirmation_due_soon > 0 {
                    br; (maillage_messages::count(f.register.confirmation_overdue + f.register.confirmation_due_soon, "confirmation annuelle à demander", "confirmations annuelles à demander"))
                }
            }
            @for (c, p) in &f.campaigns {
                li data-progression=(c.id) {
                    span.chiffre { span data-pourcentage { (layout::number(p.percent_done(), 0)) } " %" }
                    "d'appels terminés — " (c.title)
                    br; span data-compte="urgence" { (p.urgence) } " urgences, "
                    span data-compte="injoignable" { (p.injoignable) } " injoignables, "
                    span data-compte="besoin" { (p.besoin) } " besoins"
                }
            }
            li {
                span.chiffre { (f.escalations.values().sum::<u64>()) }
                (maillage_messages::agreed(f.escalations.values().sum::<u64>(), "signalement à suivre", "signalements à suivre"))
                @for (k, n) in &f.escalations {
                    @if let Some(kind) = <Escalation as maillage_crisis::Coded>::parse(k) { br; (n) " × " (fr(kind)) }
                }
            }
            li { span.chiffre { (f.volunteers_active) } (maillage_messages::agreed(f.volunteers_active, "bénévole actif", "bénévoles actifs")) br; (maillage_messages::count(f.requests_open, "demande en cours", "demandes en cours")) ", " (maillage_messages::count(f.requests_done, "faite", "faites")) }
            li {
                span.chiffre { (f.stock_alerts.len()) } (maillage_messages::agreed(f.stock_alerts.len(), "alerte de stock", "alertes de stock"))
                @for (item, text) in f.stock_alerts.iter().take(4) { br; span.alerte-stock { (item) " : " (text) } }
            }
            li {
                span.chiffre { (active_clusters.len()) } (maillage_messages::agreed(active_clusters.len(), "cluster actif", "clusters actifs"))
                @for c in active_clusters.iter().take(4) {
                    br; (c.site.name) @if let Some(s) = c.status { " : " (fr(s)) }
                }
            }
            @if let Some(i) = &f.indicator {
                li {
                    span.chiffre { @if let Some(v) = i.incidence { (layout::number(v, 1)) } @else { "—" } }
                    "cas pour 100 000 habitants sur 7 jours (" (i.label) ", " (day(i.day)) ")"
                    @if let Some(t) = i.trend { br; "tendance : " (fr(t)) }
                    @if let Some(p) = i.positivity { br; "positivité : " (layout::number(p, 1)) " %" }
                    @if let Some(d) = i.screening { br; "dépistage : " (layout::number(d, 0)) " tests pour 100 000" }
                }
            }
            li { span.chiffre { (f.services_closed) } "services municipaux fermés" }
        }
    }
}
