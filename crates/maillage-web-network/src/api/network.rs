//! `/api/v1/annuaire` (public: the public directory, searchable) and `/api/v1/reseau/...`, `/api/v1/cls...`:
//! the internal directory (no contact person), bodies, watch cases, reminders, and the CLS dashboard (progress
//! by axis and indicators, aggregated figures: partners read it too).

use crate::data::network::{ranked, search_of};
use crate::pages::network::reach;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::Method;
use jiff::Timestamp;
use maillage_network::progress::AxisProgress;
use maillage_network::reminders::{self, Due};
use maillage_network::{Coded, watch};
use maillage_store::network::directory::Actor;
use maillage_store::network::{bodies, cls, directory, watch as cases};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, ApiDoc, ApiParam, Routes};
use maillage_web_kit::state::AppState;
use serde_json::{Value, json};

pub fn routes(r: Routes) -> Routes {
    r.api(
        Method::GET,
        "/api/v1/annuaire",
        Access::Public,
        PUBLIC_DIRECTORY,
        public_directory,
    )
    .api(
        Method::GET,
        "/api/v1/reseau/acteurs",
        Access::Requires(Permission::DirectoryRead),
        ACTORS,
        actors,
    )
    .api(
        Method::GET,
        "/api/v1/reseau/instances",
        Access::Requires(Permission::BodiesRead),
        BODIES,
        bodies_json,
    )
    .api(
        Method::GET,
        "/api/v1/reseau/veille",
        Access::Requires(Permission::WatchRead),
        WATCH,
        watch_json,
    )
    .api(
        Method::GET,
        "/api/v1/reseau/rappels",
        Access::Requires(Permission::BodiesRead),
        REMINDERS,
        reminders_json,
    )
    .api(
        Method::GET,
        "/api/v1/cls",
        Access::Requires(Permission::ClsShared),
        CONTRACTS,
        contracts_json,
    )
    .api(
        Method::GET,
        "/api/v1/cls/{id}",
        Access::Requires(Permission::ClsShared),
        CONTRACT,
        contract_json,
    )
}

const SEARCH_PARAMS: &[ApiParam] = &[
    ApiParam {
        name: "q",
        schema_type: "string",
        description: "Mots-clés (nom, missions, public, conditions, lieu)",
    },
    ApiParam {
        name: "besoin",
        schema_type: "string",
        description: "Code d'un besoin (sante_mentale, acces_aux_droits, prevention_depistage…)",
    },
    ApiParam {
        name: "public",
        schema_type: "string",
        description: "Code d'un public (jeunes, personnes_agees, personnes_precaires…)",
    },
    ApiParam {
        name: "langue",
        schema_type: "string",
        description: "Code d'une langue parlée à l'accueil (fr, en, ar…)",
    },
    ApiParam {
        name: "lieu",
        schema_type: "string",
        description: "Commune, quartier ou code postal",
    },
    ApiParam {
        name: "age",
        schema_type: "integer",
        description: "Âge de la personne",
    },
    ApiParam {
        name: "gratuit",
        schema_type: "boolean",
        description: "Seulement les accueils gratuits",
    },
    ApiParam {
        name: "sans_rdv",
        schema_type: "boolean",
        description: "Seulement les accueils sans rendez-vous",
    },
    ApiParam {
        name: "accessible",
        schema_type: "boolean",
        description: "Seulement les accueils accessibles en fauteuil roulant",
    },
];

fn actor_schema() -> Value {
    let s = json!({ "type": ["string", "null"] });
    let list = json!({ "type": "array", "items": { "type": "string" } });
    json!({ "type": "object", "required": ["id", "nom", "type"], "properties": {
        "id": { "type": "integer" }, "identifiant": s, "nom": { "type": "string" }, "type": { "type": "string" },
        "missions": s, "missions_specifiques": s, "public_cible": s, "conditions_acces": s, "adresse": s, "code_postal": s,
        "commune": s, "telephone": s, "courriel": s, "site_web": s, "horaires": s, "rendez_vous": s, "tarif": s,
        "age_min": { "type": ["integer", "null"] }, "age_max": { "type": ["integer", "null"] }, "langues": list, "besoins": list,
        "publics": list, "territoire": s, "accessible_pmr": { "type": ["boolean", "null"] }, "visibilite": { "type": "string" },
        "longitude": { "type": ["number", "null"] }, "latitude": { "type": ["number", "null"] }
    } })
}

fn actor_json(a: &Actor) -> Value {
    let r = &a.record;
    let codes = |v: Vec<&'static str>| json!(v);
    json!({
        "id": a.id, "identifiant": r.key, "nom": r.name, "type": r.kind.code(), "missions": r.missions,
        "missions_specifiques": r.specific_missions, "public_cible": r.target_public, "conditions_acces": r.access_conditions,
        "adresse": r.address, "code_postal": r.postcode, "commune": r.commune, "telephone": r.phone, "courriel": r.email,
        "site_web": r.website, "horaires": r.opening_hours, "rendez_vous": r.appointment.map(Coded::code),
        "tarif": r.cost.map(Coded::code), "age_min": r.age_min, "age_max": r.age_max,
        "langues": codes(r.languages.iter().map(|l| l.code()).collect()),
        "besoins": codes(r.themes.iter().map(|l| l.code()).collect()),
        "publics": codes(r.publics.iter().map(|l| l.code()).collect()),
        "territoire": r.territory, "accessible_pmr": r.accessible, "visibilite": r.visibility.code(),
        "longitude": r.position.map(|p| p.0), "latitude": r.position.map(|p| p.1),
    })
}

const PUBLIC_DIRECTORY: ApiDoc = ApiDoc {
    summary: "Annuaire public des adresses utiles",
    description: "Les fiches publiques de l'annuaire (structures, associations, services), classées pour la recherche donnée : \
                  besoin, public, âge, langue, lieu, mots-clés. Coordonnées de l'accueil seulement, jamais de personne. \
                  Sans authentification.",
    parameters: SEARCH_PARAMS,
    response: || {
        json!({ "type": "object", "required": ["total", "resultats"], "properties": {
        "total": { "type": "integer", "description": "Nombre de fiches publiques" },
        "resultats": { "type": "array", "items": actor_schema() }
    } })
    },
};

async fn public_directory(
    State(state): State<AppState>,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let all = directory::actors(
        state.store(),
        &maillage_store::reach::Reach::everything(),
        true,
    )
    .await?;
    let s = search_of(&q);
    let hits: Vec<Value> = ranked(&all, &s).into_iter().map(actor_json).collect();
    Ok(Json(json!({ "total": all.len(), "resultats": hits })))
}

const ACTORS: ApiDoc = ApiDoc {
    summary: "Annuaire interne des acteurs",
    description: "Toutes les fiches, publiques et internes, classées pour la recherche donnée. Sans les personnes contacts \
                  (données personnelles, consultables dans les pages de l'annuaire).",
    parameters: SEARCH_PARAMS,
    response: || json!({ "type": "object", "required": ["resultats"], "properties": { "resultats": { "type": "array", "items": actor_schema() } } }),
};

async fn actors(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let all = directory::actors(state.store(), &reach(&caller), false).await?;
    let hits: Vec<Value> = ranked(&all, &search_of(&q))
        .into_iter()
        .map(actor_json)
        .collect();
    Ok(Json(json!({ "resultats": hits })))
}

fn due_json(d: Due) -> Value {
    match d {
        Due::Overdue { days } => json!({ "etat": "en_retard", "jours": days }),
        Due::Soon { days } => json!({ "etat": "a_echeance", "jours": days }),
    }
}

const BODIES: ApiDoc = ApiDoc {
    summary: "Instances de concertation",
    description: "Chaque instance avec son type, son rythme de réunion, ses membres par type (sans leurs coordonnées), ses \
                  co-présidents, sa prochaine réunion et ses actions de suivi ouvertes ou en retard.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "required": ["instances"], "properties": { "instances": { "type": "array", "items": {
        "type": "object", "properties": {
            "id": { "type": "integer" }, "nom": { "type": "string" }, "type": { "type": "string" },
            "rattachee_a": { "type": ["integer", "null"] }, "cadence_jours": { "type": ["integer", "null"] },
            "membres": { "type": "integer" }, "membres_par_type": { "type": "object", "additionalProperties": { "type": "integer" } },
            "co_presidents": { "type": "array", "items": { "type": "string" } },
            "prochaine_reunion": { "type": ["string", "null"] }, "actions_ouvertes": { "type": "integer" },
            "actions_en_retard": { "type": "integer" }
        }
    } } } })
    },
};

async fn bodies_json(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, WebError> {
    let st = state.store();
    let now = Timestamp::now();
    let t = maillage_store::network::today(Timestamp::now());
    let meetings = bodies::meetings(st, &reach(&caller), None).await?;
    let actions = bodies::actions(st, &reach(&caller), None).await?;
    let members = bodies::all_members(st, &reach(&caller)).await?;
    let mut out = Vec::new();
    for b in bodies::bodies(st, &reach(&caller)).await? {
        let mine: Vec<&bodies::Member> = members.iter().filter(|m| m.body_id == b.id).collect();
        let mut by_type = serde_json::Map::new();
        for m in &mine {
            let e = by_type.entry(m.member_type.code()).or_insert(json!(0));
            *e = json!(e.as_i64().unwrap_or(0) + 1);
        }
        let next = meetings
            .iter()
            .filter(|m| {
                m.body_id == b.id
                    && m.starts_at >= now
                    && m.status == maillage_network::codes::MeetingStatus::Planned
            })
            .map(|m| m.starts_at)
            .min();
        let open: Vec<&bodies::FollowUp> = actions
            .iter()
            .filter(|a| a.body_id == b.id && a.status.is_open())
            .collect();
        let late = open
            .iter()
            .filter(|a| reminders::action(a.status, a.due_on, t, 0).is_some_and(Due::is_overdue))
            .count();
        out.push(json!({
            "id": b.id, "nom": b.name, "type": b.kind.code(), "rattachee_a": b.parent_id, "cadence_jours": b.cadence_days,
            "membres": mine.len(), "membres_par_type": by_type,
            "co_presidents": mine.iter().filter(|m| m.co_chair).map(|m| m.name.clone()).collect::<Vec<_>>(),
            "prochaine_reunion": next.map(|t| t.to_string()), "actions_ouvertes": open.len(), "actions_en_retard": late,
        }));
    }
    Ok(Json(json!({ "instances": out })))
}

const WATCH: ApiDoc = ApiDoc {
    summary: "Signalements du réseau de veille",
    description: "Les dysfonctionnements d'accès aux soins signalés (des situations, jamais des personnes), avec leur \
                  catégorie, leur statut, leur lieu et leurs coordonnées WGS84 quand ils sont localisés.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "required": ["signalements"], "properties": { "signalements": { "type": "array", "items": {
        "type": "object", "properties": {
            "id": { "type": "integer" }, "titre": { "type": "string" }, "categorie": { "type": "string" },
            "statut": { "type": "string" }, "en_cours": { "type": "boolean" }, "observe_le": { "type": "string" },
            "lieu": { "type": ["string", "null"] }, "longitude": { "type": ["number", "null"] }, "latitude": { "type": ["number", "null"] },
            "institution_interpellee": { "type": ["string", "null"] }
        }
    } } } })
    },
};

async fn watch_json(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, WebError> {
    let list: Vec<Value> = cases::cases(state.store(), &reach(&caller))
        .await
        ?
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "titre": c.title, "categorie": c.category.code(), "statut": c.status.code(),
                "en_cours": watch::is_open(c.status), "observe_le": c.observed_on.to_string(), "lieu": c.place,
                "longitude": c.position.map(|p| p.0), "latitude": c.position.map(|p| p.1), "institution_interpellee": c.institution,
            })
        })
        .collect();
    Ok(Json(json!({ "signalements": list })))
}

const REMINDERS: ApiDoc = ApiDoc {
    summary: "Rappels : actions de suivi, rythme des instances, bilans de financement",
    description: "Les actions de suivi en retard ou à échéance sous 14 jours, les instances qui n'ont pas tenu leur rythme de \
                  réunion, et (pour qui consulte le CLS) les bilans de financement à envoyer sous 30 jours.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "required": ["actions", "instances", "bilans"], "properties": {
        "actions": { "type": "array", "items": { "type": "object" } },
        "instances": { "type": "array", "items": { "type": "object" } },
        "bilans": { "type": "array", "items": { "type": "object" } }
    } })
    },
};

async fn reminders_json(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, WebError> {
    let t = maillage_store::network::today(Timestamp::now());
    let st = state.store();
    let actions: Vec<Value> = bodies::actions(st, &reach(&caller), None)
        .await
        ?
        .into_iter()
        .filter_map(|a| {
            reminders::action(a.status, a.due_on, t, 14).map(|d| {
                json!({ "id": a.id, "action": a.title, "instance": a.body_name, "responsable": a.owner,
                        "echeance": a.due_on.map(|d| d.to_string()), "statut": a.status.code(), "rappel": due_json(d) })
            })
        })
        .collect();
    let meetings = bodies::meetings(st, &reach(&caller), None).await?;
    let mut late_bodies = Vec::new();
    for b in bodies::bodies(st, &reach(&caller))
        .await?
        .into_iter()
        .filter(|b| b.active)
    {
        let mine = meetings.iter().filter(|m| m.body_id == b.id);
        let last = mine
            .clone()
            .filter(|m| m.status == maillage_network::codes::MeetingStatus::Held)
            .map(|m| maillage_store::network::today(m.starts_at))
            .max();
        let next = mine
            .filter(|m| m.status == maillage_network::codes::MeetingStatus::Planned)
            .map(|m| maillage_store::network::today(m.starts_at))
            .filter(|d| *d >= t)
            .min();
        if let Some(c) = reminders::cadence(b.cadence_days, last, next, t, 14) {
            let (etat, attendue) = match c {
                reminders::Cadence::Late { expected, .. } => ("en_retard", expected),
                reminders::Cadence::ToSchedule { expected } => ("a_programmer", expected),
            };
            late_bodies.push(json!({ "id": b.id, "instance": b.name, "etat": etat, "reunion_attendue": attendue.to_string() }));
        }
    }
    let reports: Vec<Value> = if caller.has(Permission::ClsRead) {
        cls::all_reports(st, &reach(&caller))
            .await
            ?
            .into_iter()
            .filter_map(|(r, f)| {
                reminders::report(r.due_on, r.submitted_on, t, 30).map(|d| {
                    json!({ "id": r.id, "bilan": r.label, "financeur": f.funder, "financement": f.title,
                            "echeance": r.due_on.to_string(), "rappel": due_json(d) })
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(
        json!({ "actions": actions, "instances": late_bodies, "bilans": reports }),
    ))
}

fn progress_json(p: &AxisProgress) -> Value {
    json!({
        "fiches": p.fiches, "realisees": p.done, "en_cours": p.in_progress, "a_lancer": p.not_started,
        "reportees": p.postponed, "abandonnees": p.dropped, "realisation": p.realisation,
        "indicateurs": p.indicators, "indicateurs_mesures": p.indicators_measured,
        "cibles_atteintes": p.indicators_reached, "atteinte_des_cibles": p.targets,
    })
}

fn progress_schema() -> Value {
    let n = json!({ "type": "integer" });
    let share = json!({ "type": ["number", "null"], "minimum": 0, "maximum": 1 });
    json!({ "type": "object", "properties": {
        "fiches": n, "realisees": n, "en_cours": n, "a_lancer": n, "reportees": n, "abandonnees": n, "realisation": share,
        "indicateurs": n, "indicateurs_mesures": n, "cibles_atteintes": n, "atteinte_des_cibles": share
    } })
}

const CONTRACTS: ApiDoc = ApiDoc {
    summary: "Contrats locaux de santé et leur avancement",
    description: "Chaque contrat (génération, période, territoire, statut) avec son avancement d'ensemble et par axe : part des \
                  fiches actions réalisées (une fiche en cours compte pour moitié) et atteinte moyenne des cibles des \
                  indicateurs mesurés (entre 0 et 1). Données agrégées.",
    parameters: &[],
    response: || {
        json!({ "type": "object", "required": ["contrats"], "properties": { "contrats": { "type": "array", "items": {
        "type": "object", "properties": {
            "id": { "type": "integer" }, "nom": { "type": "string" }, "generation": { "type": "integer" },
            "debut": { "type": "string" }, "fin": { "type": "string" }, "territoire": { "type": "string" },
            "statut": { "type": "string" }, "avancement": progress_schema(),
            "axes": { "type": "array", "items": { "type": "object", "properties": {
                "position": { "type": "integer" }, "titre": { "type": "string" }, "avancement": progress_schema()
            } } }
        }
    } } } })
    },
};

async fn contracts_json(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, WebError> {
    let mut out = Vec::new();
    for c in cls::contracts(state.store(), &reach(&caller)).await? {
        let Some(t) = cls::tree(state.store(), &reach(&caller), c.id).await? else {
            continue;
        };
        out.push(json!({
            "id": c.id, "nom": c.name, "generation": c.generation, "debut": c.starts_on.to_string(), "fin": c.ends_on.to_string(),
            "territoire": c.territory, "statut": c.status.code(), "avancement": progress_json(&t.progress()),
            "axes": t.axes.iter().map(|a| json!({ "position": a.axis.position, "titre": a.axis.title, "avancement": progress_json(&a.progress()) })).collect::<Vec<_>>(),
        }));
    }
    Ok(Json(json!({ "contrats": out })))
}

const CONTRACT: ApiDoc = ApiDoc {
    summary: "Tableau de bord d'un contrat local de santé",
    description: "Le contrat, ses signataires, ses axes avec leur avancement, et les indicateurs de chaque axe : valeur de \
                  référence, cible, dernière mesure et sa date, progression de la référence vers la cible (entre 0 et 1), \
                  cible atteinte ou non. Données agrégées.",
    parameters: &[ApiParam {
        name: "id",
        schema_type: "integer",
        description: "Identifiant du contrat",
    }],
    response: || {
        json!({ "type": "object", "required": ["id", "nom", "axes"], "properties": {
        "id": { "type": "integer" }, "nom": { "type": "string" }, "generation": { "type": "integer" },
        "signataires": { "type": "array", "items": { "type": "string" } }, "avancement": progress_schema(),
        "axes": { "type": "array", "items": { "type": "object", "properties": {
            "position": { "type": "integer" }, "titre": { "type": "string" }, "avancement": progress_schema(),
            "indicateurs": { "type": "array", "items": { "type": "object", "properties": {
                "libelle": { "type": "string" }, "type": { "type": "string" }, "unite": { "type": ["string", "null"] },
                "fiche": { "type": "string" }, "reference": { "type": ["number", "null"] }, "cible": { "type": ["number", "null"] },
                "derniere_valeur": { "type": ["number", "null"] }, "date_derniere_valeur": { "type": ["string", "null"] },
                "progression": { "type": ["number", "null"] }, "cible_atteinte": { "type": "boolean" }
            } } }
        } } }
    } })
    },
};

async fn contract_json(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let t = cls::tree(state.store(), &reach(&caller), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let axes: Vec<Value> = t
        .axes
        .iter()
        .map(|a| {
            let indicators: Vec<Value> = a
                .objectives
                .iter()
                .flat_map(|o| o.fiches.iter())
                .flat_map(|f| f.indicators.iter().map(move |i| (f, i)))
                .map(|(f, i)| {
                    let p = i.progress();
                    json!({
                        "libelle": i.indicator.label, "type": i.indicator.kind.code(), "unite": i.indicator.unit,
                        "fiche": f.fiche.number, "reference": i.indicator.baseline, "cible": i.indicator.target,
                        "derniere_valeur": p.latest.map(|l| l.1), "date_derniere_valeur": p.latest.map(|l| l.0.to_string()),
                        "progression": p.ratio, "cible_atteinte": p.reached,
                    })
                })
                .collect();
            json!({ "position": a.axis.position, "titre": a.axis.title, "avancement": progress_json(&a.progress()), "indicateurs": indicators })
        })
        .collect();
    Ok(Json(json!({
        "id": t.contract.id, "nom": t.contract.name, "generation": t.contract.generation,
        "debut": t.contract.starts_on.to_string(), "fin": t.contract.ends_on.to_string(), "territoire": t.contract.territory,
        "statut": t.contract.status.code(), "signataires": t.signatories.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        "avancement": progress_json(&t.progress()), "axes": axes,
    })))
}
