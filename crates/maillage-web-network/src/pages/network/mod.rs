//! The network and Contrat local de santé module in the browser (docs/produit.md §3.B, §3.C, §3.G): the actor
//! directory (internal, and public at `/annuaire`), bodies and meetings with their calendar feed, information
//! relay by e-mail, the watch network, the CLS with its dashboard, funding tracker and evaluation report, and
//! consultations of inhabitants.
//!
//! Who sees what: the internal directory and its contact persons need [`Permission::DirectoryRead`]; bodies,
//! meetings and consultations [`Permission::BodiesRead`] (élus, coordination); watch cases
//! [`Permission::WatchRead`]; the full CLS [`Permission::ClsRead`]; its aggregated dashboard
//! [`Permission::ClsShared`] (partners too); every change [`Permission::NetworkManage`] or
//! [`Permission::ClsManage`] (coordination). Every change is audited in its own transaction; changes and exports
//! of contact persons (personal data) have their own audit actions. Rules come from `maillage-network`, SQL
//! from `maillage_store::network`.

mod assets;
mod bodies;
mod calendar;
pub(crate) mod cls;
mod cls_report;
mod democracy;
mod directory;
pub mod home;
pub(crate) mod public;
mod relay;
mod trash;
pub(crate) use maillage_web_kit::smtp;
mod watch;

use maillage_store::change::Change;
use maillage_store::network::{self as store, Error};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{self, Module};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};

pub(crate) use maillage_web_kit::error::refusal;
pub(crate) use maillage_web_kit::fields::{area, checkboxes, field, select};
pub(crate) use maillage_web_kit::form::{
    Missing, Notice, Taken, commit, day, done, fr, local_at as local, local_input,
    local_input_value, local_text, now, reason_only, refused, take,
};

pub(crate) const DIRECTORY: Access = Access::Requires(Permission::DirectoryRead);
pub(crate) const MANAGE: Access = Access::Requires(Permission::NetworkManage);
pub(crate) const RELAY: Access = Access::Requires(Permission::RelayMessages);
pub(crate) const BODIES: Access = Access::Requires(Permission::BodiesRead);
pub(crate) const WATCH: Access = Access::Requires(Permission::WatchRead);
pub(crate) const CLS_READ: Access = Access::Requires(Permission::ClsRead);
pub(crate) const CLS_MANAGE: Access = Access::Requires(Permission::ClsManage);
pub(crate) const CLS_SHARED: Access = Access::Requires(Permission::ClsShared);
pub(crate) const SETTINGS: Access = Access::Requires(Permission::SettingsManage);

pub fn routes(r: Routes) -> Routes {
    let r = assets::routes(r);
    let r = public::routes(r);
    let r = directory::routes(r);
    let r = trash::routes(r);
    let r = bodies::routes(r);
    let r = calendar::routes(r);
    let r = relay::routes(r);
    let r = watch::routes(r);
    let r = democracy::routes(r);
    let r = cls::routes(r);
    cls_report::routes(r)
}

/// Today in France.
pub(crate) fn today() -> jiff::civil::Date {
    store::today(now())
}

/// The network and CLS pages.
pub(crate) const NETWORK: Module = Module {
    stylesheet: "/static/reseau.css",
    nav_class: "reseau-nav",
    nav_label: "Réseau et contrat local de santé",
    pages: &[
        ("/reseau", "Tableau de bord", Permission::BodiesRead),
        (
            "/reseau/acteurs",
            "Annuaire des acteurs",
            Permission::DirectoryRead,
        ),
        (
            "/reseau/instances",
            "Instances et réunions",
            Permission::BodiesRead,
        ),
        ("/reseau/veille", "Réseau de veille", Permission::WatchRead),
        (
            "/reseau/relais",
            "Relais d'information",
            Permission::RelayMessages,
        ),
        (
            "/reseau/democratie",
            "Démocratie en santé",
            Permission::BodiesRead,
        ),
        ("/cls", "Contrat local de santé", Permission::ClsShared),
        ("/annuaire", "Annuaire public", Permission::OwnAccount),
    ],
    entry: |current| {
        if current.starts_with("/cls") {
            "/cls"
        } else if current.starts_with("/reseau/acteurs") {
            "/reseau/acteurs"
        } else {
            "/reseau"
        }
    },
};

/// What the work of a change of this module gives [`take`]: its audit entry and next page, or the refusal.
pub(crate) type Taking = Result<Taken, Error>;

/// The communes whose network records the caller reaches (its account's grant).
pub(crate) fn reach(caller: &Caller) -> store::Reach {
    maillage_web_kit::scope::Scope::of(&caller.account).reach()
}

/// Begins the write transaction of a change as the caller (see [`maillage_store::network::begin`]), for the few
/// changes [`take`] does not fit (an import answered with its counts, a message sent between two changes).
pub(crate) async fn begin(state: &AppState, caller: &Caller) -> Result<Change, WebError> {
    Ok(store::begin(state.store(), &reach(caller)).await?)
}

/// A share (0..1) as a percentage: "62 %".
pub(crate) fn percent(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| {
        format!("{} %", layout::number(v * 100.0, 0))
    })
}

/// A multi-line text as paragraphs.
pub(crate) fn paragraphs(text: &str) -> Markup {
    html! { @for p in text.split("\n\n") { p { @for (i, l) in p.lines().enumerate() { @if i > 0 { br; } (l) } } } }
}

/// The audit target of a change.
pub(crate) fn target(kind: &str, id: i64) -> String {
    format!("reseau:{kind}:{id}")
}

/// The communes the caller may give a record to, with their names: every commune of the territory for an
/// account holding every commune, its own communes otherwise.
pub(crate) struct Communes {
    /// (INSEE code, name), by name.
    choices: Vec<(String, String)>,
    every: bool,
    /// Every commune's name, for records kept by a commune the caller may not assign (a neighbour's).
    names: std::collections::HashMap<String, String>,
}

impl Communes {
    pub(crate) async fn of(state: &AppState, caller: &Caller) -> Result<Communes, WebError> {
        let scope = maillage_web_kit::scope::Scope::of(&caller.account);
        let names = store::commune_names(state.store()).await?;
        let codes: Vec<String> = if scope.all {
            let territory = maillage_store::territory::load(state.store()).await?;
            if territory.communes.is_empty() {
                names.keys().cloned().collect()
            } else {
                territory.communes.into_iter().collect()
            }
        } else {
            scope.communes.into_iter().collect()
        };
        let mut choices: Vec<(String, String)> = codes
            .into_iter()
            .map(|c| {
                let name = names.get(&c).cloned().unwrap_or_else(|| c.clone());
                (c, name)
            })
            .collect();
        choices.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        Ok(Communes {
            choices,
            every: scope.all,
            names,
        })
    }

    /// Whether lists name the commune of each record (the caller sees more than one).
    pub(crate) fn several(&self) -> bool {
        self.every || self.choices.len() > 1
    }

    /// The name of a record's commune, as lists show it.
    pub(crate) fn name(&self, code: Option<&str>) -> String {
        match code {
            None => "Tout le territoire".into(),
            Some(c) => self.names.get(c).cloned().unwrap_or_else(|| c.to_string()),
        }
    }

    /// The `select` of the commune keeping a record. `territorywide`: the record may belong to the whole
    /// territory (internal records, offered to accounts holding every commune); `current`: the record's commune
    /// (None inside: the whole territory; None: a new record, preselected when there is one choice).
    pub(crate) fn field(
        &self,
        id: &str,
        territorywide: bool,
        current: Option<Option<&str>>,
    ) -> Markup {
        let offer_territory = self.every && (territorywide || self.choices.is_empty());
        let selected = match current {
            Some(c) => c.map(str::to_string),
            None if self.choices.len() == 1 && !offer_territory => Some(self.choices[0].0.clone()),
            None => None,
        };
        html! {
            div.champ {
                label for=(id) { "Commune qui tient la fiche " abbr title="obligatoire" { "*" } }
                select name="commune_code" id=(id) required[!offer_territory] {
                    @if offer_territory {
                        option value="" selected[selected.is_none()] { "Tout le territoire" }
                    } @else if selected.is_none() {
                        option value="" selected { "— choisissez —" }
                    }
                    @for (code, name) in &self.choices {
                        option value=(code) selected[selected.as_deref() == Some(code.as_str())] { (name) }
                    }
                }
            }
        }
    }
}

/// The commune a form gives its record (`commune_code`; empty: the whole territory, or the caller's only
/// commune when it holds one).
pub(crate) fn posted_commune(
    caller: &Caller,
    f: &maillage_web_kit::params::Params,
) -> Option<String> {
    commune_typed(caller, f.raw("commune_code"))
}

/// A typed commune code (see [`posted_commune`]).
pub(crate) fn commune_typed(caller: &Caller, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if !raw.is_empty() {
        return Some(raw.to_string());
    }
    let account = &caller.account;
    match (account.all_territories, account.territories.len()) {
        (false, 1) => account.territories.iter().next().cloned(),
        _ => None,
    }
}
