//! The crisis module's figures, shared by its pages and its API: the dashboard and situation report counts
//! (never a name), where each watched place stands, the latest epidemic figures, stock alerts in words. Every
//! figure counts only what the caller's scope reaches: their communes' records (and the territory's shared
//! ones), and epidemic series of their communes (series of a département, a region or France are published
//! figures over many communes, read by every account of the module).

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use maillage_crisis::clusters::{ClusterStatus, State as SiteState, state_on, status_on};
use maillage_crisis::epidemic::{self, Computed, Trend, trend};
use maillage_crisis::stocks::StockAlert;
use maillage_store::crisis::{self as store, clusters, epidemic as epi};
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{day, number};
use maillage_web_kit::scope::Scope;
use maillage_web_kit::state::AppState;

/// The figures of the dashboard and of the situation report: counts only, never a name.
pub(crate) struct Figures {
    pub register: store::register::Counts,
    pub campaigns: Vec<(store::calls::Campaign, maillage_crisis::calls::Progress)>,
    /// Open escalations by kind code.
    pub escalations: std::collections::BTreeMap<String, u64>,
    pub volunteers_active: u64,
    pub requests_open: u64,
    pub requests_done: u64,
    /// (item, alert sentence)
    pub stock_alerts: Vec<(String, String)>,
    pub indicator: Option<IndicatorSummary>,
    pub indicator_days: i64,
    pub clusters: Vec<ClusterLine>,
    pub services_closed: u64,
}

/// Days before its yearly due date a registration is shown as to be confirmed.
pub(crate) const REMIND_DAYS: i64 = 30;
/// Days ahead the stock page looks for expiring lots.
pub(crate) const EXPIRY_HORIZON_DAYS: i64 = 30;

pub(crate) async fn report_figures(
    state: &AppState,
    scope: &Scope,
    now: Timestamp,
) -> Result<Figures, WebError> {
    let st = state.store();
    let reach = scope.reach();
    let register = store::register::counts(st, &reach, now, REMIND_DAYS).await?;
    let mut campaigns = Vec::new();
    for c in store::calls::campaigns(st, &reach)
        .await?
        .into_iter()
        .filter(|c| c.closed_at.is_none())
    {
        let p = store::calls::progress(st, &reach, c.id, now).await?;
        campaigns.push((c, p));
    }
    let escalations = store::calls::open_escalation_counts(st, &reach).await?;
    let (volunteers_active, open, requests_done) = store::volunteers::counts(st, &reach).await?;
    let mut stock_alerts = Vec::new();
    for item in store::stocks::items(st, &reach, now, EXPIRY_HORIZON_DAYS).await? {
        for a in &item.alerts {
            stock_alerts.push((item.label.clone(), alert_text(a, &item.unit)));
        }
    }
    let (indicator, indicator_days) = latest_indicator(state, scope).await?;
    let clusters = cluster_overview(state, scope, now).await?;
    let services_closed = store::services::services(st, &reach, false)
        .await?
        .iter()
        .filter(|s| s.status == maillage_crisis::cell::ServiceStatus::Ferme)
        .count() as u64;
    Ok(Figures {
        register,
        campaigns,
        escalations,
        volunteers_active,
        requests_open: open.values().sum(),
        requests_done,
        stock_alerts,
        indicator,
        indicator_days,
        clusters,
        services_closed,
    })
}

/// A place and where it stands today.
pub(crate) struct ClusterLine {
    pub site: clusters::Site,
    pub state: SiteState,
    pub status: Option<ClusterStatus>,
    /// Cases over the last 7 and 14 days.
    pub cases_7: u32,
    pub cases_14: u32,
}

impl ClusterLine {
    pub fn active(&self) -> bool {
        matches!(self.state, SiteState::Actif(_))
    }
}

pub(crate) async fn cluster_overview(
    state: &AppState,
    scope: &Scope,
    now: Timestamp,
) -> Result<Vec<ClusterLine>, WebError> {
    let st = state.store();
    let reach = scope.reach();
    let rules = store::cluster_rules(st).await?;
    let today = store::today(now);
    let cases = clusters::all_cases(st, &reach).await?;
    let statuses = clusters::all_statuses(st, &reach).await?;
    let empty = Default::default();
    let mut out = Vec::new();
    for site in clusters::sites(st, &reach).await? {
        let c = cases.get(&site.id).unwrap_or(&empty);
        let state = state_on(c, today, &rules);
        let status = status_on(
            &state,
            statuses.get(&site.id).map(Vec::as_slice).unwrap_or(&[]),
            today,
        );
        let sum = |days: i64| {
            c.range(today.saturating_sub((days - 1).days())..=today)
                .map(|(_, n)| n)
                .sum()
        };
        out.push(ClusterLine {
            cases_7: sum(rules.window_days),
            cases_14: sum(rules.active_days),
            site,
            state,
            status,
        });
    }
    // Active clusters first.
    out.sort_by_key(|l| (!l.active(), l.status.is_none(), l.site.name.clone()));
    Ok(out)
}

/// The latest figures of a series, for dashboards.
pub(crate) struct IndicatorSummary {
    pub label: String,
    pub day: Date,
    pub incidence: Option<f64>,
    pub positivity: Option<f64>,
    pub screening: Option<f64>,
    pub trend: Option<Trend>,
}

pub(crate) fn level_label(level: &str) -> &'static str {
    match level {
        "commune" => "Commune",
        "departement" => "Département",
        "region" => "Région",
        _ => "France",
    }
}

pub(crate) fn series_label(s: &epi::SeriesInfo) -> String {
    if s.level == "france" {
        "France".into()
    } else {
        format!("{} {}", level_label(&s.level), s.zone)
    }
}

/// The label with the zone's name when the observatory knows it ("Bellerive-sur-Clain — commune 99101").
pub(crate) async fn named_label(state: &AppState, s: &epi::SeriesInfo) -> String {
    let kind = match s.level.as_str() {
        "commune" => "commune",
        "departement" => "departement",
        "region" => "region",
        _ => return series_label(s),
    };
    match maillage_store::zones::list(state.store()).await {
        Ok(zones) => zones
            .iter()
            .find(|z| z.kind.as_str() == kind && z.code == s.zone)
            .map_or_else(
                || series_label(s),
                |z| {
                    format!(
                        "{} — {} {}",
                        z.name,
                        level_label(&s.level).to_lowercase(),
                        s.zone
                    )
                },
            ),
        Err(_) => series_label(s),
    }
}

/// The epidemic series the caller may read: a commune's series with that commune, the published series of a
/// département, a region or France with any scope.
pub(crate) async fn visible_series(
    state: &AppState,
    scope: &Scope,
) -> Result<Vec<epi::SeriesInfo>, WebError> {
    Ok(epi::series_list(state.store())
        .await?
        .into_iter()
        .filter(|s| s.level != "commune" || scope.sees_commune(&s.zone))
        .collect())
}

/// The series shown by default: the most local level, then the longest.
pub(crate) fn main_series(list: &[epi::SeriesInfo]) -> Option<&epi::SeriesInfo> {
    let rank = |l: &str| match l {
        "commune" => 0,
        "departement" => 1,
        "region" => 2,
        _ => 3,
    };
    list.iter().min_by_key(|s| (rank(&s.level), -s.days))
}

pub(crate) async fn computed(
    state: &AppState,
    s: &epi::SeriesInfo,
    since: Option<Date>,
) -> Result<Vec<Computed>, WebError> {
    // Six days before the period so that its first day has a full week.
    let from = since.map(|d| d.saturating_sub(6.days()));
    let days = epi::series(state.store(), &s.level, &s.zone, from).await?;
    let all = epidemic::compute(&days, s.population);
    Ok(all
        .into_iter()
        .filter(|c| since.is_none_or(|d| c.day >= d))
        .collect())
}

/// For the API: the series named `level:code` (or the default one), its last `days` days computed.
pub(crate) async fn series_for_api(
    state: &AppState,
    scope: &Scope,
    key: Option<&str>,
    days: i64,
) -> Result<(Option<String>, Option<epi::SeriesInfo>, Vec<Computed>), WebError> {
    let list = visible_series(state, scope).await?;
    let chosen = match key {
        Some(k) => list
            .iter()
            .find(|s| format!("{}:{}", s.level, s.zone) == k)
            .ok_or(WebError::NotFound)?,
        None => match main_series(&list) {
            Some(s) => s,
            None => return Ok((None, None, Vec::new())),
        },
    };
    let last: Date = chosen.last_day.parse().map_err(|_| WebError::NotFound)?;
    let rows = computed(state, chosen, Some(last.saturating_sub((days - 1).days()))).await?;
    Ok((
        Some(format!("{}:{}", chosen.level, chosen.zone)),
        Some(chosen.clone()),
        rows,
    ))
}

pub(crate) async fn latest_indicator(
    state: &AppState,
    scope: &Scope,
) -> Result<(Option<IndicatorSummary>, i64), WebError> {
    let list = visible_series(state, scope).await?;
    let Some(s) = main_series(&list) else {
        return Ok((None, 0));
    };
    let last: Date = s.last_day.parse().map_err(|_| WebError::NotFound)?;
    let c = computed(state, s, Some(last.saturating_sub(14.days()))).await?;
    let now = c
        .iter()
        .rev()
        .find(|c| c.incidence.is_some() || c.positivity.is_some());
    let Some(now) = now else {
        return Ok((None, s.days));
    };
    let week_before = c
        .iter()
        .find(|x| x.day == now.day.saturating_sub(7.days()))
        .and_then(|x| x.incidence);
    Ok((
        Some(IndicatorSummary {
            label: named_label(state, s).await,
            day: now.day,
            incidence: now.incidence,
            positivity: now.positivity,
            screening: now.screening,
            trend: now.incidence.zip(week_before).map(|(a, b)| trend(a, b)),
        }),
        s.days,
    ))
}

/// An alert in words.
pub(crate) fn alert_text(a: &StockAlert, unit: &str) -> String {
    match a {
        StockAlert::BelowThreshold { usable, threshold } => {
            format!(
                "{} {unit} utilisables, au seuil d'alerte ou en dessous ({})",
                number(*usable as f64, 0),
                number(*threshold as f64, 0)
            )
        }
        StockAlert::ExpiresSoon {
            lot,
            expiry,
            quantity,
        } => {
            format!(
                "lot {lot} : {} {unit} périment le {}",
                number(*quantity as f64, 0),
                day(*expiry)
            )
        }
        StockAlert::Expired {
            lot,
            expiry,
            quantity,
        } => {
            format!(
                "lot {lot} : {} {unit} périmés depuis le {} (à écarter)",
                number(*quantity as f64, 0),
                day(*expiry)
            )
        }
    }
}
