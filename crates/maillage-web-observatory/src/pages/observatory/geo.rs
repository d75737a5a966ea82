//! GeoJSON for the map (RFC 7946, WGS84), under `/api/v1/geo/`: zones with the values and classes of an
//! indicator, practice sites and establishments as points, isochrones. Each answer is a FeatureCollection whose
//! foreign members carry the legend, the method, the sources and the secrecy applied. Everything is cut to the
//! caller's communes; small counts are hidden for callers under secrecy; names of professionals go only to roles
//! allowed to list them, and each such answer is audited.

use super::choropleth::{self, Request};
use super::{READ, source_label};
use crate::data;
use crate::data::figures;
use axum::Json;
use axum::extract::State;
use axum::http::Method;
use geo::{Contains, Point};
use maillage_indicators::{Indicator, professions};
use maillage_store::audit::Action;
use maillage_store::zones::{Zone, ZoneKind};
use maillage_store::{accessibility, geodata, observatory};
use maillage_web_kit::audit;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{ApiDoc, ApiParam, Routes};
use maillage_web_kit::state::AppState;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

pub fn routes(r: Routes) -> Routes {
    r.api(Method::GET, "/api/v1/geo/zones", READ, ZONES, zones)
        .api(
            Method::GET,
            "/api/v1/geo/professionnels",
            READ,
            PROFESSIONALS,
            professionals,
        )
        .api(
            Method::GET,
            "/api/v1/geo/etablissements",
            READ,
            ESTABLISHMENTS,
            establishments,
        )
        .api(
            Method::GET,
            "/api/v1/geo/isochrones",
            READ,
            ISOCHRONES,
            isochrones,
        )
}

fn feature_collection(extra: Value) -> Value {
    json!({
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": { "const": "FeatureCollection" },
            "features": { "type": "array", "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": { "const": "Feature" },
                    "geometry": { "type": ["object", "null"], "description": "Géométrie GeoJSON en WGS84" },
                    "properties": extra
                }
            } }
        }
    })
}

const ZONES: ApiDoc = ApiDoc {
    summary: "Zones en GeoJSON, avec les valeurs et classes d'un indicateur",
    description: "Contours des zones d'un type (WGS84), limités aux communes du compte. Avec `indicateur`, chaque \
                  zone porte sa valeur (`valeur`, `affichage`), sa classe (`classe`, à partir de 1) et `secret` ; la \
                  collection porte la légende (`legende` : bornes, libellé, couleur), l'unité, la méthode et les \
                  sources. Le secret statistique s'applique avec `diffusion=1`, et toujours pour les comptes sans \
                  la permission `observatoire.effectifs_fins`. Sans `indicateur` : les contours seuls (QPV…).",
    parameters: &[
        ApiParam {
            name: "type",
            schema_type: "string",
            description: "Type de zone : commune, iris, quartier, qpv…",
        },
        ApiParam {
            name: "profession",
            schema_type: "string",
            description: "Code de profession (medecin_generaliste par défaut)",
        },
        ApiParam {
            name: "indicateur",
            schema_type: "string",
            description: "effectif, densite_10000, densite_100000, accessibilite, apl_drees, part_mg_60_ans_et_plus, \
                          ratio_qpv_hors_qpv, densite_qpv_10000, densite_hors_qpv_10000",
        },
        ApiParam {
            name: "classes",
            schema_type: "string",
            description: "quantiles (par défaut) ou jenks",
        },
        ApiParam {
            name: "nombre",
            schema_type: "integer",
            description: "Nombre de classes, de 2 à 7 (5 par défaut)",
        },
        ApiParam {
            name: "diffusion",
            schema_type: "boolean",
            description: "Appliquer le secret statistique",
        },
    ],
    response: || {
        let mut s = feature_collection(json!({
            "type": "object",
            "properties": {
                "code": { "type": "string" }, "nom": { "type": "string" }, "type": { "type": "string" },
                "parent": { "type": ["string", "null"] }, "population": { "type": ["number", "null"] },
                "valeur": { "type": ["number", "null"] }, "affichage": { "type": "string" },
                "secret": { "type": "boolean" }, "classe": { "type": ["integer", "null"] },
                "lien": { "type": "string" },
                "centre": { "type": "array", "items": { "type": "number" }, "description": "Centroïde [lon, lat]" }
            }
        }));
        s["properties"]["legende"] = json!({ "type": "array", "items": { "type": "object", "properties": {
            "classe": { "type": "integer" }, "min": { "type": "number" }, "max": { "type": "number" },
            "libelle": { "type": "string" }, "couleur": { "type": "string" }, "texte": { "type": "string" },
            "zones": { "type": "integer" }
        } } });
        s["properties"]["secret_statistique"] = json!({ "type": "boolean" });
        s["properties"]["seuil"] = json!({ "type": ["integer", "null"] });
        s["properties"]["titre"] = json!({ "type": "string" });
        s["properties"]["unite"] = json!({ "type": "string" });
        s["properties"]["methode"] = json!({ "type": "string" });
        s["properties"]["sources"] = json!({ "type": "array", "items": { "type": "object" } });
        s
    },
};

fn sources_json(sources: &[maillage_store::batch::Batch]) -> Vec<Value> {
    sources
        .iter()
        .map(|b| {
            json!({ "source": source_label(&b.kind), "fichier": b.file_name, "millesime": b.vintage, "importe_le": b.imported_at })
        })
        .collect()
}

fn geometry(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

async fn zones(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let snapshot = figures::snapshot(&state).await?;
    let seen = snapshot.zones_for(&caller);
    let mut kinds: Vec<ZoneKind> = seen.iter().map(|z| z.kind).collect();
    kinds.sort();
    kinds.dedup();
    let request = Request::from_params(&q, &kinds)?;
    let shapes = snapshot.shapes(state.store(), request.kind).await?;
    let sources = sources_json(&observatory::sources(state.store()).await?);
    if q.get("indicateur").is_none() {
        let visible: HashMap<&str, &Zone> = seen
            .iter()
            .filter(|z| z.kind == request.kind)
            .map(|z| (z.code.as_str(), *z))
            .collect();
        let features: Vec<Value> = shapes
            .iter()
            .filter_map(|s| visible.get(s.code.as_str()).map(|z| (s, z)))
            .map(|(s, z)| {
                let mut p = zone_properties(z);
                p["centre"] = json!([s.centroid.0, s.centroid.1]);
                json!({ "type": "Feature", "id": z.code, "geometry": geometry(&s.geojson), "properties": p })
            })
            .collect();
        return Ok(Json(
            json!({ "type": "FeatureCollection", "features": features, "sources": sources }),
        ));
    }
    let c = choropleth::build(&state, &caller, &snapshot, request).await?;
    let by_code: HashMap<&str, &geodata::ZoneShape> =
        shapes.iter().map(|s| (s.code.as_str(), s)).collect();
    let features: Vec<Value> = c
        .values
        .iter()
        .filter_map(|v| by_code.get(v.zone.code.as_str()).map(|g| (v, g)))
        .map(|(v, g)| {
            let mut p = zone_properties(&v.zone);
            p["centre"] = json!([g.centroid.0, g.centroid.1]);
            p["valeur"] = json!(v.value);
            p["affichage"] = json!(v.shown);
            p["secret"] = json!(v.suppressed);
            p["classe"] = json!(v.class.map(|i| i + 1));
            json!({ "type": "Feature", "id": v.zone.code, "geometry": geometry(&g.geojson), "properties": p })
        })
        .collect();
    let legend: Vec<Value> = c
        .classes
        .iter()
        .enumerate()
        .map(|(i, k)| {
            json!({
                "classe": i + 1, "min": k.lower, "max": k.upper, "libelle": c.class_label(i),
                "couleur": c.colours[i], "texte": super::classes::text_on(c.colours[i]), "zones": k.count,
            })
        })
        .collect();
    Ok(Json(json!({
        "type": "FeatureCollection",
        "features": features,
        "titre": c.title(),
        "indicateur": c.request.indicator.code(),
        "applicable": c.applicable,
        "unite": c.unit,
        "methode": c.method,
        "provenance": c.provenance,
        "legende": legend,
        "secret_statistique": c.secrecy.is_some(),
        "seuil": c.secrecy,
        "sources": sources,
    })))
}

fn zone_properties(z: &Zone) -> Value {
    json!({
        "code": z.code,
        "nom": z.name,
        "type": z.kind.as_str(),
        "parent": z.parent_code,
        "population": z.population.as_ref().map(|p| p.value),
        "lien": super::zone_href(z),
    })
}

const PROFESSIONALS: ApiDoc = ApiDoc {
    summary: "Lieux d'exercice des professionnels en GeoJSON (points)",
    description: "Selon les droits du compte : `mode` = `noms` (permission `professionnels.lister` : chaque lieu avec \
                  ses professionnels nommés ; chaque consultation est journalisée), `effectifs` (effectifs par lieu \
                  sans noms ni raison sociale), ou `agrege` (comptes sous secret statistique : effectifs par zone, \
                  placés au centre de la zone, petits effectifs cachés). Limité aux communes du compte ; les lieux \
                  sans position (adresse non géocodée) sont comptés dans `sans_position`.",
    parameters: &[
        ApiParam {
            name: "profession",
            schema_type: "string",
            description: "Code de profession ; toutes si absent",
        },
        ApiParam {
            name: "type",
            schema_type: "string",
            description: "Mode agrégé : type de zone des effectifs (iris par défaut)",
        },
    ],
    response: || {
        let mut s = feature_collection(json!({
            "type": "object",
            "properties": {
                "effectif": { "type": ["integer", "null"] }, "affichage": { "type": "string" },
                "secret": { "type": "boolean" }, "lieu": { "type": ["string", "null"] },
                "zone": { "type": "string" },
                "professions": { "type": "object", "additionalProperties": { "type": "integer" } },
                "professionnels": { "type": "array", "items": { "type": "object", "properties": {
                    "civilite": { "type": ["string", "null"] }, "nom": { "type": "string" },
                    "prenom": { "type": ["string", "null"] }, "profession": { "type": "string" }
                } } }
            }
        }));
        s["properties"]["mode"] =
            json!({ "type": "string", "enum": ["noms", "effectifs", "agrege"] });
        s["properties"]["sans_position"] = json!({ "type": "integer" });
        s["properties"]["geocodage"] =
            json!({ "type": "object", "additionalProperties": { "type": "integer" } });
        s
    },
};

async fn professionals(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let profession = match q.get("profession") {
        None => None,
        Some(p) => Some(
            professions::by_code(p)
                .ok_or_else(|| WebError::BadRequest(format!("Profession inconnue « {p} ».")))?
                .code,
        ),
    };
    let snapshot = figures::snapshot(&state).await?;
    let secrecy = data::secrecy_for(&state, &caller, false, None);
    if let Some(threshold) = secrecy {
        // Under secrecy: counts by zone only, from the indicators (primary and secondary suppression applied).
        let kind = match q.get("type") {
            None => ZoneKind::Iris,
            Some(k) => ZoneKind::parse(k)
                .ok_or_else(|| WebError::BadRequest(format!("Type de zone inconnu « {k} ».")))?,
        };
        let rows = snapshot.rows_for(&caller, Some(threshold));
        let shapes = snapshot.shapes(state.store(), kind).await?;
        let centroids: HashMap<&str, (f64, f64)> = shapes
            .iter()
            .map(|s| (s.code.as_str(), s.centroid))
            .collect();
        let mut features = Vec::new();
        for z in snapshot
            .zones_for(&caller)
            .into_iter()
            .filter(|z| z.kind == kind)
        {
            let Some(&(lon, lat)) = centroids.get(z.code.as_str()) else {
                continue;
            };
            let mine: Vec<_> = rows
                .iter()
                .filter(|r| {
                    r.indicator == Indicator::Count
                        && r.zone_kind == kind.as_str()
                        && r.zone_code == z.code
                        && profession.is_none_or(|p| r.profession == p)
                })
                .collect();
            let hidden = mine.iter().any(|r| r.is_secret());
            // One profession reads as its count does ("< 5" below the threshold, "secret" to protect another);
            // the total of several is hidden whenever one of them is.
            let hidden_text = match mine.as_slice() {
                [one] => one.secret_text(threshold),
                _ => hidden.then(|| "secret".to_string()),
            };
            let total: f64 = mine.iter().filter_map(|r| r.value).sum();
            features.push(json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": {
                    "zone": z.name,
                    "effectif": if hidden { Value::Null } else { json!(total as i64) },
                    "affichage": hidden_text.unwrap_or_else(|| maillage_web_kit::layout::number(total, 0)),
                    "secret": hidden,
                }
            }));
        }
        return Ok(Json(json!({
            "type": "FeatureCollection", "features": features, "mode": "agrege",
            "secret_statistique": true, "seuil": threshold,
        })));
    }
    let names = caller.has(Permission::ProfessionalsList);
    let mut without_position = 0u64;
    let mut geocoding: BTreeMap<String, u64> = BTreeMap::new();
    let mut features = Vec::new();
    let mut listed = 0usize;
    for site in geodata::site_points(state.store()).await? {
        let Some(commune) = site.commune_code.as_deref() else {
            continue;
        };
        if !snapshot.sees_commune(&caller, commune) {
            continue;
        }
        let here: Vec<&geodata::SiteActivity> = site
            .activities
            .iter()
            .filter(|a| profession.is_none_or(|p| a.profession == p))
            .collect();
        if here.is_empty() {
            continue;
        }
        *geocoding
            .entry(
                site.geocode_quality
                    .clone()
                    .unwrap_or_else(|| "non_geocode".into()),
            )
            .or_default() += 1;
        let Some((lon, lat)) = site.position else {
            without_position += 1;
            continue;
        };
        let mut by_profession: BTreeMap<&str, u64> = BTreeMap::new();
        for a in &here {
            *by_profession.entry(a.profession.as_str()).or_default() += 1;
        }
        let mut properties = json!({
            "effectif": here.len(),
            "affichage": here.len().to_string(),
            "secret": false,
            "professions": by_profession,
        });
        if names {
            listed += here.len();
            properties["lieu"] = json!(site.name);
            properties["professionnels"] = here
                .iter()
                .map(|a| {
                    json!({
                        "civilite": a.civility, "nom": a.last_name, "prenom": a.first_name,
                        "profession": professions::by_code(&a.profession).map_or(a.profession.as_str(), |p| p.label),
                    })
                })
                .collect();
        }
        features.push(json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [lon, lat] },
            "properties": properties,
        }));
    }
    if names {
        audit::record(
            &state,
            &caller,
            Action::ProfessionalsListed,
            "api:/api/v1/geo/professionnels",
            json!({ "profession": profession, "lieux": features.len(), "lignes": listed }),
        )
        .await?;
    }
    Ok(Json(json!({
        "type": "FeatureCollection",
        "features": features,
        "mode": if names { "noms" } else { "effectifs" },
        "secret_statistique": false,
        "sans_position": without_position,
        "geocodage": geocoding,
    })))
}

const ESTABLISHMENTS: ApiDoc = ApiDoc {
    summary: "Établissements FINESS en GeoJSON (points)",
    description: "Établissements sanitaires et sociaux en activité des communes du compte, avec leur catégorie \
                  (données publiques du FINESS). Ceux sans coordonnées sont comptés dans `sans_position`.",
    parameters: &[ApiParam {
        name: "categorie",
        schema_type: "string",
        description: "Code de catégorie FINESS (620 : pharmacies d'officine…) ; toutes si absent",
    }],
    response: || {
        let mut s = feature_collection(json!({
            "type": "object",
            "properties": {
                "finess": { "type": "string" }, "nom": { "type": "string" },
                "categorie": { "type": ["string", "null"] }, "libelle_categorie": { "type": ["string", "null"] },
                "adresse": { "type": ["string", "null"] }, "commune": { "type": ["string", "null"] }
            }
        }));
        s["properties"]["sans_position"] = json!({ "type": "integer" });
        s
    },
};

async fn establishments(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Json<Value>, WebError> {
    let category = q.get("categorie");
    let snapshot = figures::snapshot(&state).await?;
    let mut without_position = 0u64;
    let mut features = Vec::new();
    for e in geodata::establishment_points(state.store()).await? {
        let Some(commune) = e.commune_code.as_deref() else {
            continue;
        };
        if !snapshot.sees_commune(&caller, commune)
            || category.is_some_and(|c| e.category_code.as_deref() != Some(c))
        {
            continue;
        }
        let Some((lon, lat)) = e.position else {
            without_position += 1;
            continue;
        };
        features.push(json!({
            "type": "Feature",
            "id": e.finess,
            "geometry": { "type": "Point", "coordinates": [lon, lat] },
            "properties": {
                "finess": e.finess, "nom": e.name, "categorie": e.category_code,
                "libelle_categorie": e.category_label, "adresse": e.address, "commune": e.commune_code,
            }
        }));
    }
    Ok(Json(
        json!({ "type": "FeatureCollection", "features": features, "sans_position": without_position }),
    ))
}

const ISOCHRONES: ApiDoc = ApiDoc {
    summary: "Isochrones en GeoJSON",
    description: "Zones atteignables par la route en un temps donné autour des lieux de soins, calculées par Maillage \
                  sur le réseau OpenStreetMap importé, avec la population couverte. Limitées aux isochrones dont \
                  l'origine est dans une commune du compte.",
    parameters: &[],
    response: || {
        feature_collection(json!({
            "type": "object",
            "properties": {
                "libelle": { "type": "string" }, "minutes": { "type": "integer" }, "profil": { "type": "string" },
                "population_couverte": { "type": ["number", "null"] }, "reseau": { "type": "string" },
                "origine": { "type": "array", "items": { "type": "number" } }
            }
        }))
    },
};

async fn isochrones(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, WebError> {
    let snapshot = figures::snapshot(&state).await?;
    let all = accessibility::isochrones(state.store()).await?;
    // The communes the caller sees, as shapes: an isochrone belongs to the commune its origin lies in.
    let communes: Vec<geo::MultiPolygon<f64>> = if caller.scope().all {
        Vec::new()
    } else {
        let seen: Vec<&str> = snapshot
            .zones_for(&caller)
            .into_iter()
            .filter(|z| z.kind == ZoneKind::Commune)
            .map(|z| z.code.as_str())
            .collect();
        snapshot
            .shapes(state.store(), ZoneKind::Commune)
            .await?
            .iter()
            .filter(|s| seen.contains(&s.code.as_str()))
            .filter_map(|s| {
                let g: geojson::Geometry = serde_json::from_str(&s.geojson).ok()?;
                match geo::Geometry::<f64>::try_from(g).ok()? {
                    geo::Geometry::MultiPolygon(m) => Some(m),
                    geo::Geometry::Polygon(p) => Some(geo::MultiPolygon(vec![p])),
                    _ => None,
                }
            })
            .collect()
    };
    let features: Vec<Value> = all
        .into_iter()
        .filter(|i| caller.scope().all || communes.iter().any(|c| c.contains(&Point::new(i.origin.0, i.origin.1))))
        .map(|i| {
            json!({
                "type": "Feature",
                "id": i.id,
                // Stored as a Feature by the routing engine, or as a bare geometry.
                "geometry": if i.geojson["type"] == "Feature" { i.geojson["geometry"].clone() } else { i.geojson.clone() },
                "properties": {
                    "libelle": i.label, "minutes": i.minutes, "profil": i.profile,
                    "population_couverte": i.population_covered, "reseau": i.network,
                    "origine": [i.origin.0, i.origin.1],
                }
            })
        })
        .collect();
    Ok(Json(
        json!({ "type": "FeatureCollection", "features": features }),
    ))
}
