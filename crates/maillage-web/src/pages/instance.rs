//! The instance's time zone, chosen by the administrator: every page, file name, PDF and journal writes its
//! times in it (Europe/Paris unless another French zone is chosen).

use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use maillage_kit::local_time::{self, ZONES};
use maillage_store::audit::Action;
use maillage_store::change::Change;
use maillage_store::settings;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::form::{Notice, commit, done, refused};
use maillage_web_kit::layout::{PageMeta, csrf_field, page};
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

const SETTINGS: Access = Access::Requires(Permission::SettingsManage);
const PATH: &str = "/admin/fuseau-horaire";

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, PATH, SETTINGS, zone_page)
        .page(Method::POST, PATH, SETTINGS, save_zone)
}

fn render(state: &AppState, caller: &Caller, notice: Notice) -> Markup {
    let current = local_time::zone_name();
    let now = jiff::Timestamp::now();
    let content = html! {
        (notice.render())
        p { "Les heures et les dates de Maillage (pages, noms des fichiers exportés, rapports PDF, historique des imports, journal d'audit) sont écrites dans ce fuseau horaire. Il est en ce moment "
            (local_time::date_time(now)) " dans le fuseau choisi." }
        form.formulaire method="post" action=(PATH) {
            (csrf_field(caller))
            div.champ {
                label for="fuseau" { "Fuseau horaire de la commune" }
                select #fuseau name="fuseau" {
                    @for (name, label) in ZONES {
                        option value=(name) selected[name == current] { (label) }
                    }
                }
            }
            button type="submit" { "Enregistrer" }
        }
    };
    page(
        state,
        Some(caller),
        PageMeta {
            title: "Fuseau horaire",
            current: PATH,
        },
        content,
    )
}

async fn zone_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let notice = Notice::from_query(&q, &[("fuseau", "le fuseau horaire est enregistré.")]);
    Ok(render(&state, &caller, notice))
}

async fn save_zone(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let name = f.raw("fuseau").trim().to_string();
    let mut tx = Change::begin(state.store()).await?;
    match settings::set_time_zone(&mut tx, &name).await {
        Ok(saved) => saved?,
        Err(_) => {
            let notice = Notice::Refused("choisissez un fuseau horaire dans la liste.".into());
            return Ok(refused(render(&state, &caller, notice)));
        }
    }
    commit(
        tx,
        &caller,
        Action::SettingsChanged,
        "parametres:fuseau_horaire",
        json!({ "fuseau_horaire": name }),
    )
    .await?;
    Ok(done(PATH, "fuseau"))
}
