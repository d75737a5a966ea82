//! The instance's local time: every instant shown to a person (pages, file names, PDF, journals, command
//! output) is written in one time zone, the instance's (Europe/Paris unless the administrator chose another),
//! so that one moment never reads as two dates around midnight. The store keeps instants in UTC; only this
//! module turns them into days and clock times.
//!
//! The zone is held for the whole process: the applications load it from the instance's settings when they
//! start and set it again when the administrator changes it ([`set_zone`]).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use std::sync::RwLock;

/// The zone of an instance that chose none.
pub const DEFAULT_ZONE: &str = "Europe/Paris";

/// Metropolitan France's rule, for a machine without a time zone database (the zone cannot be read then).
const PARIS_RULE: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

/// The zones an administrator may choose: France's, metropolitan and overseas.
pub const ZONES: [(&str, &str); 9] = [
    ("Europe/Paris", "France métropolitaine (heure de Paris)"),
    ("America/Guadeloupe", "Guadeloupe"),
    ("America/Martinique", "Martinique"),
    ("America/Cayenne", "Guyane"),
    ("Indian/Reunion", "La Réunion"),
    ("Indian/Mayotte", "Mayotte"),
    ("America/Miquelon", "Saint-Pierre-et-Miquelon"),
    ("Pacific/Noumea", "Nouvelle-Calédonie"),
    ("Pacific/Tahiti", "Polynésie française (Tahiti)"),
];

static ZONE: RwLock<Option<(String, TimeZone)>> = RwLock::new(None);

/// The zone name is not one of [`ZONES`] or cannot be read on this machine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fuseau horaire inconnu : {0}")]
pub struct UnknownZone(pub String);

fn paris() -> TimeZone {
    TimeZone::get(DEFAULT_ZONE)
        .or_else(|_| TimeZone::posix(PARIS_RULE))
        .unwrap_or(TimeZone::UTC)
}

/// Makes `name` (one of [`ZONES`]) the instance's zone for this process.
pub fn set_zone(name: &str) -> Result<(), UnknownZone> {
    if !ZONES.iter().any(|(z, _)| *z == name) {
        return Err(UnknownZone(name.to_string()));
    }
    let tz = if name == DEFAULT_ZONE {
        paris()
    } else {
        TimeZone::get(name).map_err(|_| UnknownZone(name.to_string()))?
    };
    if let Ok(mut zone) = ZONE.write() {
        *zone = Some((name.to_string(), tz));
    }
    Ok(())
}

/// The name of the instance's zone (Europe/Paris unless set).
pub fn zone_name() -> String {
    match ZONE
        .read()
        .ok()
        .and_then(|z| z.as_ref().map(|(n, _)| n.clone()))
    {
        Some(name) => name,
        None => DEFAULT_ZONE.to_string(),
    }
}

/// What people call the instance's zone ("France métropolitaine (heure de Paris)").
pub fn zone_label(name: &str) -> &str {
    ZONES
        .iter()
        .find(|(z, _)| *z == name)
        .map_or(name, |(_, label)| label)
}

fn zone() -> TimeZone {
    match ZONE
        .read()
        .ok()
        .and_then(|z| z.as_ref().map(|(_, tz)| tz.clone()))
    {
        Some(tz) => tz,
        None => paris(),
    }
}

/// The instant as a civil date and time of the instance.
pub fn civil(t: Timestamp) -> DateTime {
    t.to_zoned(zone()).datetime()
}

/// The day of the instance an instant falls on (the modules' days: register, stocks, deadlines).
pub fn today(t: Timestamp) -> Date {
    civil(t).date()
}

/// The first instant of a day of the instance (its midnight).
pub fn day_start(d: Date) -> Timestamp {
    zone()
        .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A typed-in local date and time (a `datetime-local` field, "2026-07-28T14:05") as an instant.
pub fn from_local(value: &str) -> Option<Timestamp> {
    let dt: DateTime = value.trim().parse().ok()?;
    zone().to_timestamp(dt).ok()
}

/// The value of a `datetime-local` field for an instant: "2026-07-28T14:05".
pub fn input_value(t: Timestamp) -> String {
    civil(t).strftime("%Y-%m-%dT%H:%M").to_string()
}

/// A day as people write it in France: "28/07/2026".
pub fn day(d: Date) -> String {
    d.strftime("%d/%m/%Y").to_string()
}

/// The local day of an instant: "28/07/2026".
pub fn date(t: Timestamp) -> String {
    day(today(t))
}

/// An instant as a sentence reads it: "28/07/2026 à 14:05".
pub fn date_time(t: Timestamp) -> String {
    civil(t).strftime("%d/%m/%Y à %H:%M").to_string()
}

/// An instant as a table cell reads it: "28/07/2026 14:05".
pub fn date_time_short(t: Timestamp) -> String {
    civil(t).strftime("%d/%m/%Y %H:%M").to_string()
}

/// The stamp of a file name made at an instant, sorted as text: "2026-07-28_14h05".
pub fn file_stamp(t: Timestamp) -> String {
    civil(t).strftime("%Y-%m-%d_%Hh%M").to_string()
}

/// The local day of an instant for a file name: "2026-07-28".
pub fn file_day(t: Timestamp) -> String {
    today(t).to_string()
}

/// Stored text (an RFC 3339 instant or a day "2026-07-28") as people read it: the local date and time of an
/// instant ("28/07/2026 à 14:05"), the day of a day; any other text as it is.
pub fn text_date_time(stored: &str) -> String {
    written(stored, date_time)
}

/// Stored text as a table cell reads it: "28/07/2026 14:05" (a day alone: "28/07/2026").
pub fn text_date_time_short(stored: &str) -> String {
    written(stored, date_time_short)
}

/// The local day of stored text (an instant or a day): "28/07/2026".
pub fn text_date(stored: &str) -> String {
    written(stored, date)
}

fn written(stored: &str, instant: fn(Timestamp) -> String) -> String {
    let stored = stored.trim();
    if let Ok(t) = stored.parse::<Timestamp>() {
        return instant(t);
    }
    match stored.get(..10).and_then(|d| d.parse::<Date>().ok()) {
        Some(d) if stored.len() == 10 => day(d),
        _ => stored.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("a test instant")
    }

    #[test]
    fn an_instant_near_midnight_utc_is_read_on_the_paris_day() {
        let t = at("2026-07-27T22:30:00Z");
        assert_eq!(date(t), "28/07/2026");
        assert_eq!(date_time(t), "28/07/2026 à 00:30");
        assert_eq!(file_stamp(t), "2026-07-28_00h30");
        assert_eq!(
            text_date_time_short("2026-07-27T22:30:00Z"),
            "28/07/2026 00:30"
        );
        // Winter: one hour ahead.
        assert_eq!(date_time(at("2026-01-15T23:10:00Z")), "16/01/2026 à 00:10");
    }

    #[test]
    fn stored_days_and_other_text_are_kept() {
        assert_eq!(text_date("2026-07-28"), "28/07/2026");
        assert_eq!(text_date_time("jamais"), "jamais");
    }

    #[test]
    fn a_typed_local_time_reads_back() {
        let t = from_local("2026-07-28T00:30").expect("a local time");
        assert_eq!(t, at("2026-07-27T22:30:00Z"));
        assert_eq!(input_value(t), "2026-07-28T00:30");
    }

    #[test]
    fn only_french_zones_are_accepted() {
        assert!(set_zone("Mars/Olympus").is_err());
        assert!(set_zone("Europe/Paris").is_ok());
        assert_eq!(zone_name(), "Europe/Paris");
        assert_eq!(zone_label("Indian/Reunion"), "La Réunion");
    }
}
