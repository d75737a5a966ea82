//! The observatory's part of a person's home page ([`maillage_web_kit::home`]): the latest figures of the
//! caller's territory (general practitioners per 10,000 inhabitants, under secrecy when the caller may not see
//! small counts), and the figures the public home shows (always under secrecy).

use crate::data;
use crate::data::figures;
use crate::pages::observatory::public::{PATH, public_communes, public_rows};
use crate::pages::observatory::{shown, zone_href};
use maillage_indicators::professions::GP;
use maillage_indicators::{Indicator, IndicatorRow};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::home::{Figure, Part};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;

/// At most this many communes get their figure on a home page (the dashboard has them all).
const COMMUNES_SHOWN: usize = 3;

/// What the caller's home shows of the observatory.
pub async fn part(state: &AppState, caller: &Caller) -> Result<Part, WebError> {
    let mut part = Part::default();
    if !caller.has(Permission::ObservatoryRead) {
        return Ok(part);
    }
    let snapshot = figures::snapshot(state).await?;
    let secrecy = data::secrecy_for(state, caller, false, None);
    let rows = snapshot.rows_for(caller, secrecy);
    let mut communes: Vec<_> = snapshot
        .zones_for(caller)
        .into_iter()
        .filter(|z| z.kind == maillage_store::zones::ZoneKind::Commune)
        .collect();
    communes.sort_by(|a, b| a.name.cmp(&b.name));
    for z in communes.iter().take(COMMUNES_SHOWN) {
        part.figure(
            shown(gp_density(&rows, &z.code), 1, secrecy),
            format!("médecins généralistes pour 10 000 habitants — {}", z.name),
            zone_href(z),
        );
    }
    Ok(part)
}

/// The figures of the public home: general practitioners per 10,000 inhabitants of each commune (at most a
/// few), under secrecy at the instance's threshold, each linking to the public indicators.
pub async fn public_figures(state: &AppState) -> Result<Vec<Figure>, WebError> {
    let snapshot = figures::snapshot(state).await?;
    let rows = public_rows(state, &snapshot);
    let threshold = Some(state.config().secrecy_threshold);
    Ok(public_communes(&snapshot)
        .into_iter()
        .take(COMMUNES_SHOWN)
        .map(|z| Figure {
            value: shown(gp_density(&rows, &z.code), 1, threshold),
            label: format!("médecins généralistes pour 10 000 habitants — {}", z.name),
            href: format!("{PATH}#commune-{}", z.code),
        })
        .collect())
}

/// The density of general practitioners of a commune among `rows`.
fn gp_density<'a>(rows: &'a [IndicatorRow], commune: &str) -> Option<&'a IndicatorRow> {
    rows.iter().find(|r| {
        r.indicator == Indicator::Per10k
            && r.profession == GP
            && r.zone_kind == "commune"
            && r.zone_code == commune
    })
}
