//! A choropleth: one indicator of one profession over the zones of one kind, in classes. Built once here for
//! the map's GeoJSON, its legend and the table that stands in for the map, so all three always agree.

use super::classes::{self, Class, Method};
use super::zone_kind_label;
use crate::data;
use crate::data::figures::Snapshot;
use maillage_indicators::professions::{self, GP, Profession};
use maillage_indicators::{Indicator, PROFESSIONS};
use maillage_messages::French;
use maillage_store::accessibility;
use maillage_store::zones::{Zone, ZoneKind};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{date, number};
use maillage_web_kit::params::Params;
use maillage_web_kit::state::AppState;
use std::collections::HashMap;

/// What a map can show for a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapIndicator {
    /// An indicator of the observatory (counts, densities, QPV, ageing).
    Observatory(Indicator),
    /// The latest accessibility run of Maillage for the profession (E2SFCA by zone).
    Accessibility,
    /// The DREES APL by commune, as published.
    DreesApl,
}

/// The indicators offered on the map, in the order of the selector.
pub const MAP_INDICATORS: &[MapIndicator] = &[
    MapIndicator::Observatory(Indicator::Per10k),
    MapIndicator::Observatory(Indicator::Per100k),
    MapIndicator::Observatory(Indicator::Count),
    MapIndicator::Accessibility,
    MapIndicator::DreesApl,
    MapIndicator::Observatory(Indicator::Gp60PlusShare),
    MapIndicator::Observatory(Indicator::QpvRatio),
    MapIndicator::Observatory(Indicator::QpvPer10k),
    MapIndicator::Observatory(Indicator::RestPer10k),
];

impl MapIndicator {
    pub fn code(self) -> &'static str {
        match self {
            MapIndicator::Observatory(i) => i.code(),
            MapIndicator::Accessibility => "accessibilite",
            MapIndicator::DreesApl => "apl_drees",
        }
    }

    pub fn parse(code: &str) -> Option<MapIndicator> {
        MAP_INDICATORS.iter().copied().find(|i| i.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            MapIndicator::Observatory(Indicator::Count) => "Effectif",
            MapIndicator::Observatory(Indicator::Per10k) => "Densité pour 10 000 habitants",
            MapIndicator::Observatory(Indicator::Per100k) => "Densité pour 100 000 habitants",
            MapIndicator::Observatory(Indicator::QpvPer10k) => "Densité dans les QPV (communes)",
            MapIndicator::Observatory(Indicator::RestPer10k) => "Densité hors QPV (communes)",
            MapIndicator::Observatory(Indicator::QpvRatio) => "Rapport QPV / hors QPV (communes)",
            MapIndicator::Observatory(Indicator::Gp60PlusShare) => {
                "Part des médecins généralistes de 60 ans et plus (%)"
            }
            MapIndicator::Accessibility => "Accessibilité calculée par Maillage (E2SFCA)",
            MapIndicator::DreesApl => "APL publiée par la DREES (communes)",
        }
    }

    pub fn decimals(self) -> usize {
        match self {
            MapIndicator::Observatory(Indicator::Count) => 0,
            MapIndicator::Observatory(Indicator::Per100k) => 0,
            MapIndicator::Observatory(Indicator::QpvRatio) => 2,
            MapIndicator::Accessibility | MapIndicator::DreesApl => 2,
            _ => 1,
        }
    }

    /// Whether the indicator exists for this zone kind and profession.
    pub fn applies(self, kind: ZoneKind, profession: &str) -> bool {
        match self {
            MapIndicator::Observatory(
                Indicator::QpvRatio | Indicator::QpvPer10k | Indicator::RestPer10k,
            )
            | MapIndicator::DreesApl => kind == ZoneKind::Commune,
            MapIndicator::Observatory(Indicator::Gp60PlusShare) => profession == GP,
            _ => true,
        }
    }
}

/// What the caller asked to see, checked.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub kind: ZoneKind,
    pub profession: &'static Profession,
    pub indicator: MapIndicator,
    pub method: Method,
    pub classes: usize,
    /// Apply statistical secrecy although the caller may see fine figures (to share the map).
    pub diffusion: bool,
}

impl Request {
    /// Reads `type`, `profession`, `indicateur`, `classes`, `nombre` and `diffusion`; missing ones get defaults
    /// (IRIS when the territory has some, GPs, density per 10,000, quantiles, 5 classes). Wrong values are
    /// explained in French.
    pub fn from_params(q: &Params, kinds: &[ZoneKind]) -> Result<Request, WebError> {
        let default_kind = if kinds.contains(&ZoneKind::Iris) {
            ZoneKind::Iris
        } else {
            kinds.first().copied().unwrap_or(ZoneKind::Commune)
        };
        let kind = match q.get("type") {
            None => default_kind,
            Some(k) => ZoneKind::parse(k).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "Type de zone inconnu « {k} » : commune, iris, quartier, qpv, arrondissement ou epci."
                ))
            })?,
        };
        let profession = match q.get("profession") {
            None => professions::by_code(GP).expect("GPs are followed"),
            Some(p) => professions::by_code(p)
                .ok_or_else(|| WebError::BadRequest(format!("Profession inconnue « {p} ».")))?,
        };
        let indicator = match q.get("indicateur") {
            None => MapIndicator::Observatory(Indicator::Per10k),
            Some(i) => MapIndicator::parse(i).ok_or_else(|| {
                let codes: Vec<&str> = MAP_INDICATORS.iter().map(|i| i.code()).collect();
                WebError::BadRequest(format!(
                    "Indicateur inconnu « {i} » ; indicateurs possibles : {}.",
                    codes.join(", ")
                ))
            })?,
        };
        let method = match q.get("classes") {
            None => Method::Quantiles,
            Some(m) => Method::parse(m).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "Méthode de classes inconnue « {m} » : quantiles ou jenks."
                ))
            })?,
        };
        let classes = match q.integer("nombre")? {
            None => 5,
            Some(n) if (classes::MIN_CLASSES as i64..=classes::MAX_CLASSES as i64).contains(&n) => {
                n as usize
            }
            Some(_) => {
                return Err(WebError::BadRequest(format!(
                    "« nombre » (de classes) doit être compris entre {} et {}.",
                    classes::MIN_CLASSES,
                    classes::MAX_CLASSES
                )));
            }
        };
        Ok(Request {
            kind,
            profession,
            indicator,
            method,
            classes,
            diffusion: q.flag("diffusion"),
        })
    }

    /// The query string that asks for this choropleth (for links and the map's data requests).
    pub fn query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("type", self.kind.as_str())
            .append_pair("profession", self.profession.code)
            .append_pair("indicateur", self.indicator.code())
            .append_pair("classes", self.method.code())
            .append_pair("nombre", &self.classes.to_string());
        if self.diffusion {
            s.append_pair("diffusion", "1");
        }
        s.finish()
    }
}

/// The value of one zone.
#[derive(Debug, Clone)]
pub struct ZoneValue {
    pub zone: Zone,
    pub value: Option<f64>,
    /// As people read it: "12,3"; under secrecy "< 5" for a count below the threshold, "secret" for anything
    /// else hidden; "—" when it cannot be computed.
    pub shown: String,
    pub suppressed: bool,
    /// Index in [`Choropleth::classes`] when the value is shown.
    pub class: Option<usize>,
}

/// A choropleth ready to draw.
#[derive(Debug, Clone)]
pub struct Choropleth {
    pub request: Request,
    /// False when the indicator does not exist for this zone kind or profession (e.g. the QPV ratio of IRIS).
    pub applicable: bool,
    pub values: Vec<ZoneValue>,
    pub classes: Vec<Class>,
    pub colours: Vec<&'static str>,
    pub secrecy: Option<u32>,
    pub unit: String,
    /// Method and source of the figures, in French.
    pub method: String,
    /// Where the figures come from and their date, when it is not the observatory's imports (a run, the DREES).
    pub provenance: Option<String>,
}

impl Choropleth {
    /// The legend text of class `i`.
    pub fn class_label(&self, i: usize) -> String {
        classes::label(&self.classes, i, self.request.indicator.decimals())
    }

    pub fn title(&self) -> String {
        format!(
            "{} — {} — {}",
            self.request.indicator.label(),
            self.request.profession.label,
            zone_kind_label(self.request.kind.as_str())
        )
    }
}

/// Builds the choropleth of a request for a caller: their zones only, secrecy as [`data::secrecy_for`] says.
pub async fn build(
    state: &AppState,
    caller: &Caller,
    snapshot: &Snapshot,
    request: Request,
) -> Result<Choropleth, WebError> {
    let secrecy = data::secrecy_for(state, caller, request.diffusion, None);
    let kind = request.kind;
    let profession = request.profession.code;
    let zones: Vec<&Zone> = snapshot
        .zones_for(caller)
        .into_iter()
        .filter(|z| z.kind == kind)
        .collect();
    let applicable = request.indicator.applies(kind, profession);
    let decimals = request.indicator.decimals();
    // zone code → (value, how it reads when hidden: "< 5" for a count below the threshold, "secret" otherwise)
    let mut found: HashMap<String, (Option<f64>, Option<String>)> = HashMap::new();
    let threshold = secrecy.unwrap_or(state.config().secrecy_threshold);
    let mut provenance = None;
    let (unit, method) = match request.indicator {
        MapIndicator::Observatory(indicator) => {
            if applicable {
                for r in snapshot.rows_for(caller, secrecy) {
                    if r.indicator == indicator
                        && r.zone_kind == kind.as_str()
                        && r.profession == profession
                    {
                        found.insert(r.zone_code.clone(), (r.value, r.secret_text(threshold)));
                    }
                }
            }
            (indicator.unit().to_string(), snapshot.method(indicator))
        }
        MapIndicator::Accessibility => {
            let run = accessibility::latest_run(state.store(), profession).await?;
            let mut unit = "indice d'accessibilité".to_string();
            if let Some((run, rows)) = run {
                for r in rows.iter().filter(|r| r.zone_kind == kind.as_str()) {
                    found.insert(r.zone_code.clone(), (r.value, None));
                }
                unit = crate::data::accessibility::unit(&run);
                // The parameters as stored with the run: the reader sees which weights made these values.
                let method = run
                    .metadata
                    .get("methode")
                    .and_then(|m| {
                        serde_json::from_value::<maillage_access::Metadata>(m.clone()).ok()
                    })
                    .map(|m| format!(" Méthode : {}.", m.french()))
                    .unwrap_or_default();
                let comparison = crate::data::accessibility::apl_comparison(&run)
                    .map(|c| format!(" {c}"))
                    .unwrap_or_default();
                provenance = Some(format!(
                    "Calcul n° {} de Maillage du {}, réseau : {}.{method}{comparison}",
                    run.id,
                    date(&run.created_at),
                    run.network
                ));
            } else {
                provenance = Some(
                    "Aucun calcul d'accessibilité n'a encore été fait pour cette profession (commande « maillage \
                     accessibilite »)."
                        .into(),
                );
            }
            (
                unit,
                "Accessibilité potentielle localisée par la méthode E2SFCA (aires flottantes à deux étapes, \
                 pondérées par le temps de trajet sur le réseau routier) : offre accessible par habitant depuis \
                 chaque zone ; quartiers et communes : moyenne des IRIS pondérée par la population."
                    .to_string(),
            )
        }
        MapIndicator::DreesApl => {
            if applicable {
                let apl = accessibility::apl(state.store(), profession).await?;
                if let Some(first) = apl.first() {
                    provenance = Some(format!("APL publiée par la DREES, année {}.", first.year));
                } else {
                    provenance = Some(format!(
                        "{}{}.",
                        maillage_messages::analysis::APL_HOW_TO[..1].to_uppercase(),
                        &maillage_messages::analysis::APL_HOW_TO[1..]
                    ));
                }
                for a in apl {
                    found.insert(a.commune_code, (a.apl, None));
                }
            }
            (
                "consultations par an et par habitant standardisé".to_string(),
                "Accessibilité potentielle localisée publiée par la DREES pour chaque commune, importée telle \
                 quelle."
                    .to_string(),
            )
        }
    };
    let mut values: Vec<ZoneValue> = zones
        .into_iter()
        .map(|z| {
            let (value, hidden) = found.get(&z.code).cloned().unwrap_or((None, None));
            let suppressed = hidden.is_some();
            let shown =
                hidden.unwrap_or_else(|| value.map_or("—".into(), |v| number(v, decimals)));
            ZoneValue {
                zone: z.clone(),
                value: if suppressed { None } else { value },
                shown,
                suppressed,
                class: None,
            }
        })
        .collect();
    let shown_values: Vec<f64> = values.iter().filter_map(|v| v.value).collect();
    let classes = classes::classify(&shown_values, request.classes, request.method);
    for v in &mut values {
        v.class = v.value.and_then(|x| classes::class_of(&classes, x));
    }
    Ok(Choropleth {
        request,
        applicable,
        colours: classes::palette(classes.len()),
        values,
        classes,
        secrecy,
        unit,
        method,
        provenance,
    })
}

/// The professions, for selectors.
pub fn professions() -> &'static [Profession] {
    PROFESSIONS
}
