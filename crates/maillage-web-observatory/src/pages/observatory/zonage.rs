//! Zonage médecins of the ARS in the observatory: the line of a commune's or QPV's page, the categorical map layer
//! (`/api/v1/geo/zonage`, one colour per zonage with its legend) and the words both use.

use super::READ;
use crate::data::figures;
use crate::data::zonage::{colour, label};
use axum::Json;
use axum::extract::State;
use axum::http::Method;
use maillage_store::imports::zonage::{self, Zonage};
use maillage_store::zones::ZoneKind;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::date;
use maillage_web_kit::routes::{ApiDoc, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::{Value, json};
use std::collections::HashMap;

pub fn routes(r: Routes) -> Routes {
    r.api(Method::GET, "/api/v1/geo/zonage", READ, LAYER, layer)
}

/// The line of a zone page: « Zonage médecins (ARS) : Zone d'intervention prioritaire, arrêté du 12/03/2025 ».
pub async fn zone_line(state: &AppState, kind: ZoneKind, code: &str) -> Result<Markup, WebError> {
    let unit = match kind {
        ZoneKind::Commune => "commune",
        ZoneKind::Qpv => "qpv",
        _ => return Ok(html! {}),
    };
    let Some(e) = zonage::of_zone(state.store(), unit, code).await? else {
        return Ok(html! {});
    };
    Ok(html! {
        p.zonage-medecins {
            strong { "Zonage médecins (ARS) : " }
            (label(&e)) ", arrêté du " (date(&e.arrete))
        }
    })
}

const LAYER: ApiDoc = ApiDoc {
    summary: "Zonage médecins de l'ARS en GeoJSON (couche par catégorie)",
    description: "Les communes et QPV du compte qui ont un zonage médecins importé (export CartoSanté ou fichier de \
                  l'ARS), avec leur contour : `zonage` (ZIP, ZAC, ZAR, ZV, HZ), `libelle`, `arrete` (AAAA-MM-JJ), \
                  `couleur`. La collection porte la légende (`legende` : zonage, libellé, couleur, nombre de zones).",
    parameters: &[],
    response: || {
        json!({
            "type": "object",
            "required": ["type", "features", "legende"],
            "properties": {
                "type": { "const": "FeatureCollection" },
                "titre": { "type": "string" },
                "features": { "type": "array", "items": { "type": "object", "properties": {
                    "type": { "const": "Feature" },
                    "geometry": { "type": ["object", "null"] },
                    "properties": { "type": "object", "properties": {
                        "code": { "type": "string" }, "nom": { "type": "string" }, "type": { "type": "string" },
                        "zonage": { "type": "string" }, "libelle": { "type": "string" },
                        "certains_quartiers": { "type": "boolean" }, "arrete": { "type": "string" },
                        "couleur": { "type": "string" }, "lien": { "type": "string" }
                    } }
                } } },
                "legende": { "type": "array", "items": { "type": "object", "properties": {
                    "zonage": { "type": "string" }, "libelle": { "type": "string" },
                    "couleur": { "type": "string" }, "zones": { "type": "integer" }
                } } }
            }
        })
    },
};

async fn layer(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, WebError> {
    let snapshot = figures::snapshot(&state).await?;
    let seen = snapshot.zones_for(&caller);
    let entries = zonage::all(state.store()).await?;
    let mut features = Vec::new();
    let mut counts: HashMap<Zonage, usize> = HashMap::new();
    for (kind, unit) in [(ZoneKind::Commune, "commune"), (ZoneKind::Qpv, "qpv")] {
        let visible: HashMap<&str, _> = seen
            .iter()
            .filter(|z| z.kind == kind)
            .map(|z| (z.code.as_str(), *z))
            .collect();
        let shapes = snapshot.shapes(state.store(), kind).await?;
        let by_code: HashMap<&str, _> = shapes.iter().map(|s| (s.code.as_str(), s)).collect();
        for e in entries.iter().filter(|e| e.unit == unit) {
            let (Some(z), Some(kind_of)) = (visible.get(e.code.as_str()), e.kind()) else {
                continue;
            };
            *counts.entry(kind_of).or_default() += 1;
            let geometry = by_code
                .get(e.code.as_str())
                .and_then(|s| serde_json::from_str::<Value>(&s.geojson).ok())
                .unwrap_or(Value::Null);
            features.push(json!({
                "type": "Feature",
                "id": format!("{unit}:{}", e.code),
                "geometry": geometry,
                "properties": {
                    "code": e.code, "nom": z.name, "type": unit, "zonage": e.zonage, "libelle": label(e),
                    "certains_quartiers": e.quartiers_only, "arrete": e.arrete, "couleur": colour(kind_of),
                    "lien": super::zone_href(z),
                }
            }));
        }
    }
    let legend: Vec<Value> = Zonage::ALL
        .iter()
        .map(|z| json!({ "zonage": z.code(), "libelle": z.label(), "couleur": colour(*z), "zones": counts.get(z).copied().unwrap_or(0) }))
        .collect();
    Ok(Json(json!({
        "type": "FeatureCollection",
        "titre": "Zonage médecins (ARS)",
        "features": features,
        "legende": legend,
    })))
}

/// The legend under the map, when a zonage was imported (the layer is then offered in the map's layer menu).
pub fn legend(present: bool) -> Markup {
    if !present {
        return html! {};
    }
    html! {
        div.legende.legende-zonage {
            p { strong { "Zonage médecins (ARS)" } " — couche « Zonage médecins » du menu des couches de la carte :" }
            ul {
                @for z in Zonage::ALL {
                    li {
                        (super::map::swatch(colour(z), ""))
                        (z.label()) " (" (z.code()) ")"
                    }
                }
            }
        }
    }
}
