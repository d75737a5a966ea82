//! Stocks of masks, gel, gloves... by lot and expiry: levels and alerts (for every crisis reader), receipts and
//! distributions to professionals, pharmacies, structures, agents and inhabitants (for those who hold the
//! stock). A distribution can never take a lot below zero, even when several are recorded at once.

use super::alert_text;
use super::{
    CHOOSE, CRISIS, Missing, Notice, READ, STOCKS, Taken, Taking, chosen_commune, commune_field,
    communes, day, fr, local, reach, select, take,
};
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use maillage_crisis::stocks::Recipient;
use maillage_crisis::{Coded, CrisisError, fields};
use maillage_store::audit::Action;
use maillage_store::crisis::{self as store, Error, stocks};
use maillage_store::reach::Territorywide;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{csrf_field, number};
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise/stocks", READ, stock_page)
        .page(Method::POST, "/crise/stocks/articles", STOCKS, add_item)
        .page(Method::POST, "/crise/stocks/receptions", STOCKS, receive)
        .page(
            Method::POST,
            "/crise/stocks/distributions",
            STOCKS,
            distribute,
        )
}

const MESSAGES: &[(&str, &str)] = &[
    ("article", "l'article est créé."),
    ("reception", "la réception est enregistrée."),
    (
        "distribution",
        "la distribution est enregistrée ; les lots qui expirent le plus tôt ont été pris d'abord.",
    ),
];

async fn stock_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    Ok(render(&state, &caller, notice).await?.into_response())
}

async fn render(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
) -> Result<(StatusCode, Markup), WebError> {
    let st = state.store();
    let now = super::now();
    let reach = reach(caller);
    let items = stocks::items(st, &reach, now, super::EXPIRY_HORIZON_DAYS).await?;
    let moves = stocks::movements(st, &reach, 50).await?;
    let by_recipient = stocks::distributed_by_recipient(st, &reach).await?;
    let manage = caller.has(Permission::CrisisStocks);
    let choices = communes(state, caller, Territorywide::Shared).await?;
    // The stocks the caller may move: its communes' (the territory's with every commune).
    let held: Vec<&stocks::Item> = items
        .iter()
        .filter(|i| reach.may_assign(i.commune_code.as_deref()))
        .collect();
    let today = store::today(now);
    let content = html! {
        (notice.render())
        h2 { "Niveaux et alertes" }
        @if items.is_empty() { p { "Aucun article en stock." } }
        div.defilement {
            table {
                caption { "Stock utilisable par article (lots non périmés)" }
                thead { tr { th scope="col" { "Article" } th scope="col" { "Utilisable" } th scope="col" { "Seuil d'alerte" } th scope="col" { "Lots" } th scope="col" { "Alertes" } } }
                tbody {
                    @for i in &items {
                        tr {
                            th scope="row" { (i.label) }
                            td.nombre { (number(i.usable as f64, 0)) " " (i.unit) }
                            td.nombre { @if let Some(t) = i.alert_threshold { (number(t as f64, 0)) } @else { "—" } }
                            td {
                                ul {
                                    @for l in i.lots.iter().filter(|l| l.available > 0) {
                                        li { (l.number) " : " (number(l.available as f64, 0))
                                            @if let Some(e) = l.expiry { ", périme le " (day(e)) @if l.expired(today) { " " strong { "(périmé)" } } } }
                                    }
                                }
                            }
                            td {
                                @if i.alerts.is_empty() { "aucune" }
                                @else { ul { @for a in &i.alerts { li.alerte-stock { "Alerte : " (alert_text(a, &i.unit)) } } } }
                            }
                        }
                    }
                }
            }
        }
        @if manage && !items.is_empty() {
            h2 { "Distribuer" }
            form.formulaire method="post" action="/crise/stocks/distributions" {
                (csrf_field(caller))
                div.champ {
                    label for="d-article" { "Article" }
                    select name="article" id="d-article" required {
                        option value="" { "— choisir —" }
                        @for i in &held { option value=(i.id) { (i.label) " (" (number(i.usable as f64, 0)) " " (i.unit) ")" } }
                    }
                }
                div.champ { label for="d-qte" { "Quantité" } input type="number" name="quantite" id="d-qte" min="1" step="1" required; }
                div.champ { label for="d-type" { "Destinataires" } (select::<Recipient>("destinataires", "d-type", None, Some(CHOOSE))) }
                div.champ {
                    label for="d-dest" { "Destinataire" }
                    p.aide { "Une structure, une pharmacie, un service, ou « habitants du quartier … » : jamais le nom d'un habitant." }
                    input type="text" name="destinataire" id="d-dest" required;
                }
                button type="submit" { "Enregistrer la distribution" }
            }
            h2 { "Réceptionner" }
            form.formulaire method="post" action="/crise/stocks/receptions" {
                (csrf_field(caller))
                div.champ {
                    label for="r-article" { "Article" }
                    select name="article" id="r-article" required {
                        option value="" { "— choisir —" }
                        @for i in &held { option value=(i.id) { (i.label) } }
                    }
                }
                div.champ { label for="r-lot" { "Numéro de lot" } input type="text" name="lot" id="r-lot" required; }
                div.champ { label for="r-peremption" { "Date de péremption" } input type="date" name="peremption" id="r-peremption"; }
                div.champ { label for="r-qte" { "Quantité" } input type="number" name="quantite" id="r-qte" min="1" step="1" required; }
                div.champ { label for="r-fournisseur" { "Fournisseur ou donateur" } input type="text" name="fournisseur" id="r-fournisseur"; }
                button type="submit" { "Enregistrer la réception" }
            }
        }
        @if manage {
            details {
                summary { "Créer un article" }
                form.formulaire method="post" action="/crise/stocks/articles" {
                    (csrf_field(caller))
                    (commune_field(&choices, "a-commune", None))
                    div.champ { label for="a-code" { "Code" } input type="text" name="code" id="a-code" required placeholder="masques_ffp2"; }
                    div.champ { label for="a-libelle" { "Libellé" } input type="text" name="libelle" id="a-libelle" required; }
                    div.champ { label for="a-unite" { "Unité" } input type="text" name="unite" id="a-unite" required placeholder="masques"; }
                    div.champ { label for="a-seuil" { "Seuil d'alerte" } input type="number" name="seuil" id="a-seuil" min="0" step="1"; }
                    button type="submit" { "Créer" }
                }
            }
        }
        h2 { "Distribué, par destinataire" }
        @if by_recipient.is_empty() { p { "Aucune distribution." } }
        @else {
            div.defilement {
                table {
                    caption { "Quantités distribuées depuis le début" }
                    thead { tr { th scope="col" { "Article" } th scope="col" { "Destinataires" } th scope="col" { "Quantité" } } }
                    tbody {
                        @for (item, kind, total) in &by_recipient {
                            tr { th scope="row" { (item) } td { (Recipient::parse(kind).map(fr).unwrap_or_else(|| kind.clone())) } td.nombre { (number(*total as f64, 0)) } }
                        }
                    }
                }
            }
        }
        h2 { "Derniers mouvements" }
        div.defilement {
            table {
                caption { "Les 50 derniers mouvements" }
                thead { tr { th scope="col" { "Quand" } th scope="col" { "Mouvement" } th scope="col" { "Article" } th scope="col" { "Lot" } th scope="col" { "Quantité" } th scope="col" { "Destinataire ou fournisseur" } th scope="col" { "Par" } } }
                tbody {
                    @for m in &moves {
                        tr {
                            td { (local(&m.at)) } td { (fr(m.kind)) } td { (m.item) } td { (m.lot) }
                            td.nombre { (number(m.quantity as f64, 0)) }
                            td { (m.recipient.as_deref().unwrap_or("—")) @if let Some(k) = m.recipient_kind { " (" (fr(k)) ")" } }
                            td { (m.recorded_by) }
                        }
                    }
                }
            }
        }
    };
    Ok((
        notice.status(),
        CRISIS.page(
            state,
            caller,
            "Stocks et distributions",
            "/crise/stocks",
            content,
        ),
    ))
}

/// The stock page again with the reason of a refusal.
async fn again(state: &AppState, caller: &Caller, reason: String) -> Result<Markup, WebError> {
    Ok(render(state, caller, Notice::Refused(reason)).await?.1)
}

fn quantity(f: &maillage_web_kit::params::Params) -> Result<i64, Error> {
    match fields::integer("quantite", f.raw("quantite"), i64::MIN, i64::MAX)? {
        Some(q) if q > 0 => Ok(q),
        Some(q) => Err(CrisisError::InvalidQuantity(q).into()),
        None => Err(
            CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "quantite" })
                .into(),
        ),
    }
}

async fn add_item(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let choices = communes(&state, &caller, Territorywide::Shared).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let threshold = fields::integer("seuil", f.raw("seuil"), i64::MIN, i64::MAX)?;
            let commune = chosen_commune(&choices, &f)?;
            let id = stocks::add_item(
                tx,
                reach,
                commune.as_deref(),
                f.raw("code"),
                f.raw("libelle"),
                f.raw("unite"),
                threshold,
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:article:{id}"),
                json!({ "ajout": "article" }),
            )
            .then("/crise/stocks", "article"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn receive(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let item = fields::integer("article", f.raw("article"), i64::MIN, i64::MAX)?.ok_or(
                CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "article" }),
            )?;
            let qty = quantity(&f)?;
            let receipt = stocks::Receipt {
                item_id: item,
                lot_number: f.raw("lot"),
                expiry: fields::date("peremption", f.raw("peremption"))?,
                quantity: qty,
                supplier: f.get("fournisseur"),
            };
            let lot = stocks::receive(
                tx,
                reach,
                &receipt,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:lot:{lot}"),
                json!({ "reception": qty }),
            )
            .then("/crise/stocks", "reception"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn distribute(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let item = fields::integer("article", f.raw("article"), i64::MIN, i64::MAX)?.ok_or(
                CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "article" }),
            )?;
            let kind =
                maillage_crisis::parse_code::<Recipient>("destinataires", f.raw("destinataires"))?;
            let qty = quantity(&f)?;
            let d = stocks::Distribution {
                item_id: item,
                lot_id: None,
                quantity: qty,
                recipient_kind: kind,
                recipient: f.raw("destinataire"),
            };
            let plan =
                stocks::distribute(tx, reach, &d, &caller.account.identifier, super::now()).await?;
            let lots: Vec<_> = plan
                .iter()
                .map(|(l, q)| json!({ "lot": l, "quantite": q }))
                .collect();
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:article:{item}"),
                json!({ "distribution": qty, "destinataires": kind.code(), "lots": lots }),
            )
            .then("/crise/stocks", "distribution"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}
