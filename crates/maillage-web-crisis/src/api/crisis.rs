//! `/api/v1/crise/...`: the crisis figures as JSON, without any name (situation, campaigns' progress,
//! indicators, clusters, stocks, counts of the register), and a volunteer's own missions. The campaign pages
//! poll `/api/v1/crise/appels` to refresh their progress.

use crate::data::crisis::{
    EXPIRY_HORIZON_DAYS, REMIND_DAYS, alert_text, cluster_overview, report_figures, series_for_api,
};
use axum::Json;
use axum::extract::State;
use axum::http::Method;
use jiff::Timestamp;
use maillage_crisis::Coded;
use maillage_crisis::calls::Progress;
use maillage_store::crisis::{self as store, calls, cell, register, stocks, volunteers};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, ApiDoc, ApiParam, Routes};
use maillage_web_kit::state::AppState;
use serde_json::{Value, json};

const READ: Access = Access::Requires(Permission::CrisisRead);

pub fn routes(r: Routes) -> Routes {
    r.api(
        Method::GET,
        "/api/v1/crise/situation",
        READ,
        SITUATION,
        situation,
    )
    .api(
        Method::GET,
        "/api/v1/crise/appels",
        READ,
        CAMPAIGNS,
        campaigns,
    )
    .api(
        Method::GET,
        "/api/v1/crise/indicateurs",
        READ,
        INDICATORS,
        indicators_json,
    )
    .api(
        Method::GET,
        "/api/v1/crise/clusters",
        READ,
        CLUSTERS,
        clusters_json,
    )
    .api(
        Method::GET,
        "/api/v1/crise/stocks",
        READ,
        STOCKS,
        stocks_json,
    )
    .api(
        Method::GET,
        "/api/v1/crise/registre/effectifs",
        READ,
        REGISTER_COUNTS,
        register_counts,
    )
    .api(
        Method::GET,
        "/api/v1/mes-missions",
        Access::Requires(Permission::OwnMissions),
        MISSIONS,
        missions,
    )
}

fn progress_json(p: &Progress) -> Value {
    json!({
        "total": p.total, "a_appeler": p.a_appeler, "a_rappeler": p.a_rappeler, "en_cours": p.en_cours,
        "joint": p.joint, "besoin": p.besoin, "urgence": p.urgence, "injoignable": p.injoignable,
        "faits": p.done(), "pourcentage": (p.percent_done() * 10.0).round() / 10.0,
    })
}

fn progress_schema() -> Value {
    let n = json!({ "type": "integer" });
    json!({ "type": "object", "properties": {
        "total": n, "a_appeler": n, "a_rappeler": n, "en_cours": n, "joint": n, "besoin": n, "urgence": n,
        "injoignable": n, "faits": n, "pourcentage": { "type": "number" }
    } })
}

const SITUATION: ApiDoc = ApiDoc {
    summary: "Situation de crise",
    description: "Événements ouverts et leur niveau, alerte en cours ou non, et les effectifs du moment (registre, \
                  appels, signalements, bénévoles, alertes de stock, clusters actifs). Aucune donnée nominative.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "required": ["alerte_en_cours", "evenements"], "properties": {
            "alerte_en_cours": { "type": "boolean" },
            "evenements": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "type": { "type": "string" }, "titre": { "type": "string" },
                "niveau": { "type": "string", "enum": ["veille", "alerte", "crise"] }, "ouvert_le": { "type": "string" }
            } } },
            "registre": { "type": "object" },
            "campagnes": { "type": "array", "items": { "type": "object" } },
            "signalements_ouverts": { "type": "object", "additionalProperties": { "type": "integer" } },
            "benevoles_actifs": { "type": "integer" },
            "demandes_en_cours": { "type": "integer" },
            "alertes_stock": { "type": "integer" },
            "clusters_actifs": { "type": "integer" }
        } })
    },
};

async fn situation(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, WebError> {
    let now = Timestamp::now();
    let scope = caller.scope();
    let f = report_figures(&state, &scope, now).await?;
    let events = cell::events(state.store(), &scope.reach()).await?;
    let open: Vec<Value> = events
        .iter()
        .filter(|e| e.closed_at.is_none())
        .map(|e| json!({ "id": e.id, "type": e.kind.code(), "titre": e.title, "niveau": e.level.code(), "ouvert_le": e.opened_at }))
        .collect();
    Ok(Json(json!({
        "alerte_en_cours": events.iter().any(|e| e.closed_at.is_none() && e.level.is_alert()),
        "evenements": open,
        "registre": f.register,
        "campagnes": f.campaigns.iter().map(|(c, p)| json!({ "id": c.id, "titre": c.title, "progression": progress_json(p) })).collect::<Vec<_>>(),
        "signalements_ouverts": f.escalations,
        "benevoles_actifs": f.volunteers_active,
        "demandes_en_cours": f.requests_open,
        "alertes_stock": f.stock_alerts.len(),
        "clusters_actifs": f.clusters.iter().filter(|c| c.active()).count(),
    })))
}

const CAMPAIGNS: ApiDoc = ApiDoc {
    summary: "Avancement des campagnes d'appels",
    description: "Chaque campagne avec ses effectifs par statut (à appeler, à rappeler, en cours, jointes, besoins, \
                  urgences, injoignables). Aucune donnée nominative. Interrogée par les pages de campagne pour se \
                  mettre à jour.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "required": ["campagnes"], "properties": { "campagnes": { "type": "array", "items": {
            "type": "object", "required": ["id", "titre", "ouverte", "progression"], "properties": {
                "id": { "type": "integer" }, "titre": { "type": "string" }, "ouverte": { "type": "boolean" },
                "lancee_le": { "type": "string" }, "appelants": { "type": "integer" }, "progression": progress_schema()
            }
        } } } })
    },
};

async fn campaigns(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, WebError> {
    let now = Timestamp::now();
    let reach = caller.scope().reach();
    let mut out = Vec::new();
    for c in calls::campaigns(state.store(), &reach).await? {
        let p = calls::progress(state.store(), &reach, c.id, now).await?;
        out.push(json!({
            "id": c.id, "titre": c.title, "ouverte": c.closed_at.is_none(), "lancee_le": c.started_at,
            "appelants": c.callers.len(), "progression": progress_json(&p),
        }));
    }
    Ok(Json(json!({ "campagnes": out })))
}

const INDICATORS: ApiDoc = ApiDoc {
    summary: "Indicateurs épidémiques recalculés",
    description: "Pour une zone dont des comptes de Santé publique France ont été importés : par jour, les cas sur 7 \
                  jours, le taux d'incidence (pour 100 000), le taux de positivité (%) et le taux de dépistage (pour \
                  100 000), recalculés à partir des comptes quotidiens ; la population utilisée et les seuils.",
    parameters: &[
        ApiParam {
            name: "serie",
            schema_type: "string",
            description: "Zone, `niveau:code` (departement:69, commune:99101) ; par défaut la plus locale",
        },
        ApiParam {
            name: "jours",
            schema_type: "integer",
            description: "Nombre de derniers jours (120 par défaut)",
        },
    ],
    response: || {
        json!({ "type": "object", "properties": {
            "serie": { "type": ["string", "null"] },
            "population": { "type": ["number", "null"] },
            "source_population": { "type": ["string", "null"] },
            "seuils": { "type": "object" },
            "jours": { "type": "array", "items": { "type": "object", "properties": {
                "jour": { "type": "string" }, "cas_7j": { "type": ["number", "null"] }, "tests_7j": { "type": ["number", "null"] },
                "incidence": { "type": ["number", "null"] }, "positivite": { "type": ["number", "null"] }, "depistage": { "type": ["number", "null"] }
            } } },
            "methode": { "type": "string" }
        } })
    },
};

async fn indicators_json(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let days = q.integer("jours")?.unwrap_or(120).clamp(1, 3650);
    let (serie, info, rows) = series_for_api(&state, &caller.scope(), q.get("serie"), days).await?;
    let thresholds = store::thresholds(state.store()).await?;
    Ok(Json(json!({
        "serie": serie,
        "population": info.as_ref().and_then(|i| i.population),
        "source_population": info.as_ref().and_then(|i| i.population_source.as_ref().map(maillage_messages::crisis::population_source)),
        "seuils": thresholds,
        "jours": rows.iter().map(|c| json!({
            "jour": c.day.to_string(), "cas_7j": c.positives_7d, "tests_7j": c.tests_7d,
            "incidence": c.incidence, "positivite": c.positivity, "depistage": c.screening,
        })).collect::<Vec<_>>(),
        "methode": "7 jours glissants se terminant le jour indiqué (inclus) ; incidence = cas × 100 000 / population ; \
                    positivité = cas / tests × 100 ; dépistage = tests × 100 000 / population ; une semaine incomplète ne donne pas de valeur.",
    })))
}

const CLUSTERS: ApiDoc = ApiDoc {
    summary: "Clusters par lieu",
    description: "Chaque lieu suivi (écoles, EHPAD, foyers, équipements municipaux…) avec ses cas sur 7 et 14 jours et \
                  son statut selon les règles en vigueur (seuil sur 7 jours, activité sur 14 jours). Aucun cas \
                  individuel.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "properties": {
            "regles": { "type": "object" },
            "lieux": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "nom": { "type": "string" }, "type": { "type": "string" },
                "municipal": { "type": "boolean" }, "actif": { "type": "boolean" },
                "statut": { "type": ["string", "null"], "enum": ["en_investigation", "maitrise", "diffusion_communautaire", "cloture", null] },
                "cas_fenetre": { "type": "integer" }, "cas_activite": { "type": "integer" }
            } } }
        } })
    },
};

async fn clusters_json(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, WebError> {
    let rules = store::cluster_rules(state.store()).await?;
    let lines = cluster_overview(&state, &caller.scope(), Timestamp::now()).await?;
    Ok(Json(json!({
        "regles": rules,
        "lieux": lines.iter().map(|l| json!({
            "id": l.site.id, "nom": l.site.name, "type": l.site.kind.code(), "municipal": l.site.municipal,
            "actif": l.active(), "statut": l.status.map(|s| s.code()), "cas_fenetre": l.cases_7, "cas_activite": l.cases_14,
        })).collect::<Vec<_>>(),
    })))
}

const STOCKS: ApiDoc = ApiDoc {
    summary: "Stocks et alertes",
    description: "Chaque article avec sa quantité utilisable (lots non périmés), son seuil d'alerte, ses lots et ses alertes \
                  (seuil atteint, péremption proche ou dépassée).",
    parameters: &[],
    response: || {
        json!({ "type": "object", "properties": { "articles": { "type": "array", "items": { "type": "object", "properties": {
            "code": { "type": "string" }, "libelle": { "type": "string" }, "unite": { "type": "string" },
            "utilisable": { "type": "integer" }, "seuil_alerte": { "type": ["integer", "null"] },
            "lots": { "type": "array", "items": { "type": "object" } },
            "alertes": { "type": "array", "items": { "type": "string" } }
        } } } } })
    },
};

async fn stocks_json(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, WebError> {
    let reach = caller.scope().reach();
    let items = stocks::items(state.store(), &reach, Timestamp::now(), EXPIRY_HORIZON_DAYS).await?;
    Ok(Json(json!({ "articles": items.iter().map(|i| json!({
        "code": i.code, "libelle": i.label, "unite": i.unit, "utilisable": i.usable, "seuil_alerte": i.alert_threshold,
        "lots": i.lots.iter().map(|l| json!({ "lot": l.number, "peremption": l.expiry.map(|d| d.to_string()), "disponible": l.available })).collect::<Vec<_>>(),
        "alertes": i.alerts.iter().map(|a| alert_text(a, &i.unit)).collect::<Vec<_>>(),
    })).collect::<Vec<_>>() })))
}

const REGISTER_COUNTS: ApiDoc = ApiDoc {
    summary: "Effectifs du registre des personnes vulnérables",
    description: "Nombres seulement (aucun nom) : personnes inscrites, par qualité, accusés de réception et confirmations \
                  annuelles à faire, radiations.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "properties": {
            "total": { "type": "integer" }, "by_basis": { "type": "object", "additionalProperties": { "type": "integer" } },
            "to_acknowledge": { "type": "integer" }, "acknowledgement_late": { "type": "integer" },
            "confirmation_due_soon": { "type": "integer" }, "confirmation_overdue": { "type": "integer" }, "removals": { "type": "integer" }
        } })
    },
};

async fn register_counts(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, WebError> {
    let reach = caller.scope().reach();
    let c = register::counts(state.store(), &reach, Timestamp::now(), REMIND_DAYS).await?;
    Ok(Json(serde_json::to_value(c).unwrap_or(Value::Null)))
}

const MISSIONS: ApiDoc = ApiDoc {
    summary: "Mes missions de bénévole",
    description: "Les missions confiées au bénévole relié au compte appelant (en cours, et faites ces 7 derniers jours), \
                  avec seulement ce qu'il faut pour les accomplir.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "properties": { "missions": { "type": "array", "items": { "type": "object", "properties": {
            "id": { "type": "integer" }, "kind": { "type": "string" }, "beneficiary": { "type": "string" },
            "address": { "type": "string" }, "phone": { "type": ["string", "null"] }, "details": { "type": ["string", "null"] },
            "needed_on": { "type": ["string", "null"] }, "status": { "type": "string" }, "round": { "type": ["string", "null"] }
        } } } } })
    },
};

async fn missions(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, WebError> {
    let list = volunteers::missions_of(
        state.store(),
        &caller.account.identifier,
        Timestamp::now(),
        7,
    )
    .await?;
    Ok(Json(json!({ "missions": list })))
}
