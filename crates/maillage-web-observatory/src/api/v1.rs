//! `/api/v1`: zones, indicators, professionals. Partners (no [`Permission::ObservatoryFineFigures`]) always get
//! figures under statistical secrecy, whatever they ask; only roles allowed to list professionals get names, and
//! every such listing is audited.

use crate::data;
use axum::Json;
use axum::extract::State;
use axum::http::Method;
use maillage_indicators::{Indicator, professions};
use maillage_kit::zone::ZoneKind;
use maillage_store::audit::Action;
use maillage_store::observatory;
use maillage_web_kit::audit;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, ApiDoc, ApiParam, Routes};
use maillage_web_kit::state::AppState;
use serde_json::{Value, json};

const READ: Access = Access::Requires(Permission::ObservatoryRead);

pub fn routes(r: Routes) -> Routes {
    r.api(Method::GET, "/api/v1/zones", READ, ZONES, zones)
        .api(
            Method::GET,
            "/api/v1/indicateurs",
            READ,
            INDICATORS,
            indicators,
        )
        .api(
            Method::GET,
            "/api/v1/professionnels",
            READ,
            PROFESSIONALS,
            professionals,
        )
}

const ZONES: ApiDoc = ApiDoc {
    summary: "Zones du territoire et leur population",
    description: "Communes, IRIS, quartiers, QPV… du territoire servi, limités aux communes attribuées au compte.",
    parameters: &[ApiParam {
        name: "type",
        schema_type: "string",
        description: "Ne garder qu'un type de zone (commune, iris, quartier, qpv…)",
    }],
    response: || {
        json!({
            "type": "object",
            "required": ["zones"],
            "properties": { "zones": { "type": "array", "items": {
                "type": "object",
                "required": ["code", "type", "nom"],
                "properties": {
                    "code": { "type": "string" },
                    "type": { "type": "string" },
                    "nom": { "type": "string" },
                    "parent": { "type": ["string", "null"] },
                    "population": { "type": ["number", "null"] },
                    "millesime_population": { "type": ["integer", "null"] },
                    "methode_population": { "type": ["string", "null"] }
                }
            } } }
        })
    },
};

async fn zones(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let kind = q.get("type");
    let list: Vec<Value> = data::zones_for(&state, &caller)
        .await?
        .iter()
        .filter(|z| kind.is_none_or(|k| z.kind.as_str() == k))
        .map(|z| {
            json!({
                "code": z.code,
                "type": z.kind.as_str(),
                "nom": z.name,
                "parent": z.parent_code,
                "population": z.population.as_ref().map(|p| p.value),
                "millesime_population": z.population.as_ref().map(|p| p.vintage),
                "methode_population": z.population.as_ref().map(|p| p.method),
            })
        })
        .collect();
    Ok(Json(json!({ "zones": list })))
}

fn sources_json(sources: &[maillage_store::batch::Batch]) -> Vec<Value> {
    sources
        .iter()
        .map(|b| json!({ "source": b.kind, "fichier": b.file_name, "millesime": b.vintage, "importe_le": b.imported_at }))
        .collect()
}

fn threshold(q: &maillage_web_kit::params::Params) -> Result<Option<u32>, WebError> {
    match q.integer("seuil")? {
        None => Ok(None),
        Some(v) if (2..=100).contains(&v) => Ok(Some(v as u32)),
        Some(_) => Err(WebError::BadRequest(
            "« seuil » doit être compris entre 2 et 100.".into(),
        )),
    }
}

const INDICATORS: ApiDoc = ApiDoc {
    summary: "Indicateurs de l'observatoire",
    description: "Effectifs, densités, ratios QPV et âge des médecins généralistes, par zone et profession, avec \
                  sources et méthodes. Le secret statistique s'applique avec `diffusion=1`, et toujours pour les \
                  comptes sans la permission `observatoire.effectifs_fins` (partenaires).",
    parameters: &[
        ApiParam {
            name: "diffusion",
            schema_type: "boolean",
            description: "Appliquer le secret statistique (pour une diffusion hors de la commune)",
        },
        ApiParam {
            name: "seuil",
            schema_type: "integer",
            description: "Plus petit effectif diffusable (jamais moins que celui de l'instance, 5 par défaut)",
        },
        ApiParam {
            name: "profession",
            schema_type: "string",
            description: "Code de profession (medecin_generaliste, infirmier…)",
        },
        ApiParam {
            name: "type_zone",
            schema_type: "string",
            description: "Type de zone (commune, iris, quartier, qpv…)",
        },
        ApiParam {
            name: "indicateur",
            schema_type: "string",
            description: "Code d'indicateur (effectif, densite_10000…)",
        },
    ],
    response: || {
        json!({
            "type": "object",
            "required": ["secret_statistique", "lignes", "sources", "methodes"],
            "properties": {
                "secret_statistique": { "type": "boolean" },
                "seuil": { "type": ["integer", "null"] },
                "lignes": { "type": "array", "items": {
                    "type": "object",
                    "required": ["indicateur", "type_zone", "code_zone", "profession", "secret"],
                    "properties": {
                        "indicateur": { "type": "string" },
                        "type_zone": { "type": "string" },
                        "code_zone": { "type": "string" },
                        "nom_zone": { "type": "string" },
                        "parent": { "type": ["string", "null"] },
                        "profession": { "type": "string" },
                        "valeur": { "type": ["number", "null"] },
                        "numerateur": { "type": ["number", "null"] },
                        "denominateur": { "type": ["number", "null"] },
                        "unite": { "type": "string" },
                        "millesime_population": { "type": ["integer", "null"] },
                        "secret": { "type": "boolean" }
                    }
                } },
                "sources": { "type": "array", "items": { "type": "object" } },
                "methodes": { "type": "object", "additionalProperties": { "type": "string" } }
            }
        })
    },
};

async fn indicators(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let secrecy = data::secrecy_for(&state, &caller, q.flag("diffusion"), threshold(&q)?);
    let profession = q.get("profession");
    let zone_kind = q.get("type_zone");
    let indicator = q.get("indicateur");
    let rows = data::indicator_rows(&state, &caller, secrecy).await?;
    let lines: Vec<Value> = rows
        .iter()
        .filter(|r| profession.is_none_or(|p| r.profession == p))
        .filter(|r| zone_kind.is_none_or(|k| r.zone_kind == k))
        .filter(|r| indicator.is_none_or(|i| r.indicator.code() == i))
        .map(|r| {
            json!({
                "indicateur": r.indicator.code(),
                "type_zone": r.zone_kind,
                "code_zone": r.zone_code,
                "nom_zone": r.zone_name,
                "parent": r.zone_parent,
                "profession": r.profession,
                "valeur": r.value,
                "numerateur": r.numerator,
                "denominateur": r.denominator,
                "unite": r.indicator.unit(),
                "millesime_population": r.population_vintage,
                "secret": r.is_secret(),
                "motif_secret": r.secret.map(|m| m.code()),
                "perimetre": r.perimeter(),
            })
        })
        .collect();
    let snapshot = data::figures::snapshot(&state).await?;
    let methods: serde_json::Map<String, Value> = [
        Indicator::Count,
        Indicator::Per10k,
        Indicator::Per100k,
        Indicator::QpvPer10k,
        Indicator::RestPer10k,
        Indicator::QpvRatio,
        Indicator::Gp60PlusShare,
    ]
    .into_iter()
    .map(|i| (i.code().to_string(), Value::from(snapshot.method(i))))
    .collect();
    let sources = observatory::sources(state.store()).await?;
    Ok(Json(json!({
        "secret_statistique": secrecy.is_some(),
        "seuil": secrecy,
        "lignes": lines,
        "sources": sources_json(&sources),
        "methodes": methods,
    })))
}

const PROFESSIONALS: ApiDoc = ApiDoc {
    summary: "Professionnels de santé",
    description: "Pour les comptes autorisés à lister les professionnels (`professionnels.lister`) : la liste \
                  nominative, chaque consultation étant journalisée. Pour les autres (partenaires) : seulement les \
                  effectifs par commune et profession, sous secret statistique. `agrege=1` demande les effectifs \
                  à tous.",
    parameters: &[
        ApiParam {
            name: "profession",
            schema_type: "string",
            description: "Code de profession (medecin_generaliste, infirmier…)",
        },
        ApiParam {
            name: "agrege",
            schema_type: "boolean",
            description: "Effectifs par commune plutôt que la liste",
        },
    ],
    response: || {
        json!({
            "type": "object",
            "required": ["mode"],
            "properties": {
                "mode": { "type": "string", "enum": ["liste", "agrege"] },
                "professionnels": { "type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "identifiant_national": { "type": "string" },
                        "civilite": { "type": ["string", "null"] },
                        "nom": { "type": "string" },
                        "prenom": { "type": ["string", "null"] },
                        "profession": { "type": "string" },
                        "libelle_profession": { "type": ["string", "null"] },
                        "lieu": { "type": ["string", "null"] },
                        "commune_code": { "type": ["string", "null"] },
                        "commune_nom": { "type": ["string", "null"] }
                    }
                } },
                "secret_statistique": { "type": "boolean" },
                "seuil": { "type": ["integer", "null"] },
                "effectifs": { "type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "code_commune": { "type": "string" },
                        "nom_commune": { "type": "string" },
                        "profession": { "type": "string" },
                        "effectif": { "type": ["number", "null"] },
                        "secret": { "type": "boolean" }
                    }
                } }
            }
        })
    },
};

async fn professionals(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let profession = q.get("profession");
    if let Some(p) = profession
        && professions::by_code(p).is_none()
    {
        return Err(WebError::BadRequest(format!(
            "Profession inconnue « {p} »."
        )));
    }
    if caller.has(Permission::ProfessionalsList) && !q.flag("agrege") {
        let list = data::professionals(state.store(), &caller, profession).await?;
        let details = json!({ "profession": profession, "lignes": list.len() });
        audit::record(
            &state,
            &caller,
            Action::ProfessionalsListed,
            "api:/api/v1/professionnels",
            details,
        )
        .await?;
        return Ok(Json(json!({ "mode": "liste", "professionnels": list })));
    }
    let secrecy = data::secrecy_for(&state, &caller, false, None);
    let rows = data::indicator_rows(&state, &caller, secrecy).await?;
    let counts: Vec<Value> = rows
        .iter()
        .filter(|r| r.indicator == Indicator::Count && ZoneKind::Commune.is(&r.zone_kind))
        .filter(|r| profession.is_none_or(|p| r.profession == p))
        .map(|r| {
            json!({
                "code_commune": r.zone_code,
                "nom_commune": r.zone_name,
                "profession": r.profession,
                "effectif": r.value,
                "secret": r.is_secret(),
                "motif_secret": r.secret.map(|m| m.code()),
            })
        })
        .collect();
    Ok(Json(
        json!({ "mode": "agrege", "secret_statistique": secrecy.is_some(), "seuil": secrecy, "effectifs": counts }),
    ))
}
