//! Which OSM ways a profile may use, in which directions, and at what speed.
//!
//! The rules follow the OSM wiki and the usual routers (OSRM's car and foot profiles): a way is kept
//! when its `highway` class is allowed, the access tags do not forbid it, and (for cars) at least one
//! direction is open. Speeds are the `maxspeed` tag where it is tagged and parseable, else a default
//! per class chosen as a typical free-flow speed in France.

use std::fmt;

/// A means of transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Motor car: highway classes for motor traffic, one-ways, `maxspeed`.
    Car,
    /// Pedestrian: every way a person may walk on, both directions, at [`WALK_KMH`].
    Walk,
}

/// Walking speed used on every pedestrian way.
pub const WALK_KMH: f64 = 5.0;

impl Profile {
    /// Stable code used in the cache file.
    pub fn code(self) -> u8 {
        match self {
            Profile::Car => 1,
            Profile::Walk => 2,
        }
    }

    pub fn from_code(code: u8) -> Option<Profile> {
        match code {
            1 => Some(Profile::Car),
            2 => Some(Profile::Walk),
            _ => None,
        }
    }

    /// Directions and speeds of a way with these tags, or `None` when the profile may not use it.
    pub fn way_rule<'a>(
        self,
        tags: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Option<WayRule> {
        let tags = Tags::collect(tags);
        match self {
            Profile::Car => car_rule(&tags),
            Profile::Walk => walk_rule(&tags),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Profile::Car => "car",
            Profile::Walk => "walk",
        })
    }
}

/// How a profile may travel along a way, in the way's digitised direction and against it.
/// `None` means the direction is closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WayRule {
    pub forward_kmh: Option<f64>,
    pub backward_kmh: Option<f64>,
}

/// The few tags the rules look at, taken once from the way.
#[derive(Default)]
struct Tags<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Tags<'a> {
    fn collect(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Tags {
            pairs: tags.into_iter().collect(),
        }
    }
    fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim())
    }
    /// The value of the most specific key present, in order of decreasing specificity.
    fn most_specific(&self, keys: &[&str]) -> Option<&'a str> {
        keys.iter().find_map(|k| self.get(k))
    }
}

/// Default car speed (km/h) per highway class; `None` for classes cars may not use.
pub fn car_class_speed(highway: &str) -> Option<f64> {
    Some(match highway {
        "motorway" => 110.0,
        "motorway_link" => 60.0,
        "trunk" => 90.0,
        "trunk_link" => 50.0,
        "primary" => 70.0,
        "primary_link" => 45.0,
        "secondary" => 60.0,
        "secondary_link" => 40.0,
        "tertiary" => 50.0,
        "tertiary_link" => 35.0,
        "unclassified" => 40.0,
        "residential" => 30.0,
        "road" => 30.0,
        "living_street" => 10.0,
        "service" => 15.0,
        // footway, path, steps, cycleway, pedestrian, track, bridleway, corridor, construction...
        _ => return None,
    })
}

/// Classes a pedestrian may use (motorways excluded; cycleways only when `foot` allows it).
fn walk_class_allowed(highway: &str) -> bool {
    matches!(
        highway,
        "trunk"
            | "trunk_link"
            | "primary"
            | "primary_link"
            | "secondary"
            | "secondary_link"
            | "tertiary"
            | "tertiary_link"
            | "unclassified"
            | "residential"
            | "road"
            | "living_street"
            | "service"
            | "track"
            | "path"
            | "footway"
            | "pedestrian"
            | "steps"
            | "bridleway"
            | "corridor"
            | "platform"
            | "pier"
    )
}

/// Access values that close a way to the profile.
fn denies(value: &str) -> bool {
    matches!(
        value,
        "no" | "private"
            | "agricultural"
            | "forestry"
            | "emergency"
            | "military"
            | "psv"
            | "bus"
            | "delivery_only"
    )
}

fn allows(value: &str) -> bool {
    matches!(
        value,
        "yes" | "designated" | "permissive" | "destination" | "customers" | "delivery" | "official"
    )
}

/// Direction of a `oneway`-like value: `Some(true)` forward only, `Some(false)` backward only,
/// `None` both ways; `Err(())` for reversible/alternating ways, which a static graph cannot model.
fn oneway_direction(value: &str) -> Result<Option<bool>, ()> {
    match value {
        "yes" | "true" | "1" => Ok(Some(true)),
        "-1" | "reverse" => Ok(Some(false)),
        "reversible" | "alternating" => Err(()),
        _ => Ok(None),
    }
}

fn car_rule(tags: &Tags) -> Option<WayRule> {
    let highway = tags.get("highway")?;
    let class_speed = car_class_speed(highway)?;
    if tags.get("area") == Some("yes") || tags.get("impassable") == Some("yes") {
        return None;
    }
    if let Some(access) = tags.most_specific(&["motorcar", "motor_vehicle", "vehicle", "access"])
        && denies(access)
    {
        return None;
    }
    let implied_oneway = highway == "motorway"
        || highway == "motorway_link"
        || matches!(tags.get("junction"), Some("roundabout" | "circular"));
    let direction = match tags.most_specific(&[
        "oneway:motorcar",
        "oneway:motor_vehicle",
        "oneway:vehicle",
        "oneway",
    ]) {
        Some(v) => match oneway_direction(v) {
            Ok(d) => d,
            Err(()) => return None,
        },
        None if implied_oneway => Some(true),
        None => None,
    };
    let both = tags.get("maxspeed").and_then(parse_maxspeed);
    let speed = |key: &str| {
        let kmh = tags
            .get(key)
            .and_then(parse_maxspeed)
            .or(both)
            .unwrap_or(class_speed);
        // A "walk"-type limit still moves; a zero or absurd value falls back on the class speed.
        if kmh.is_finite() && kmh >= 1.0 {
            kmh
        } else {
            class_speed
        }
    };
    let forward = speed("maxspeed:forward");
    let backward = speed("maxspeed:backward");
    let rule = match direction {
        Some(true) => WayRule {
            forward_kmh: Some(forward),
            backward_kmh: None,
        },
        Some(false) => WayRule {
            forward_kmh: None,
            backward_kmh: Some(backward),
        },
        None => WayRule {
            forward_kmh: Some(forward),
            backward_kmh: Some(backward),
        },
    };
    Some(rule)
}

fn walk_rule(tags: &Tags) -> Option<WayRule> {
    let highway = tags.get("highway")?;
    let foot = tags.get("foot");
    let class_ok =
        walk_class_allowed(highway) || (highway == "cycleway" && foot.is_some_and(allows));
    if !class_ok {
        return None;
    }
    if tags.get("impassable") == Some("yes") {
        return None;
    }
    if let Some(access) = tags.most_specific(&["foot", "access"])
        && denies(access)
    {
        return None;
    }
    Some(WayRule {
        forward_kmh: Some(WALK_KMH),
        backward_kmh: Some(WALK_KMH),
    })
}

/// Parse an OSM `maxspeed` value into km/h.
///
/// Handles plain numbers (`50`), units (`50 km/h`, `30 mph`, `10 knots`), implicit country values
/// (`FR:urban`, `FR:rural`, `FR:motorway`, `FR:zone30`, `DE:urban`...), `walk`, and lists (`50;30`:
/// the first value). Returns `None` for `none`, `signals`, `variable` and anything unparseable, so
/// that the class default applies.
pub fn parse_maxspeed(value: &str) -> Option<f64> {
    let value = value.trim();
    let first = value.split(';').next()?.trim();
    if first.is_empty() {
        return None;
    }
    if let Some(kmh) = implicit_maxspeed(first) {
        return Some(kmh);
    }
    let lower = first.to_ascii_lowercase();
    let (number, factor) = if let Some(n) = lower.strip_suffix("mph") {
        (n, 1.609_344)
    } else if let Some(n) = lower.strip_suffix("knots") {
        (n, 1.852)
    } else if let Some(n) = lower
        .strip_suffix("km/h")
        .or_else(|| lower.strip_suffix("kmh"))
        .or_else(|| lower.strip_suffix("kph"))
    {
        (n, 1.0)
    } else {
        (lower.as_str(), 1.0)
    };
    let n: f64 = number.trim().replace(',', ".").parse().ok()?;
    (n.is_finite() && n > 0.0).then_some(n * factor)
}

/// Implicit limits (`<country>:<zone>`) and words, from the OSM wiki's table of default speed limits.
fn implicit_maxspeed(value: &str) -> Option<f64> {
    let lower = value.to_ascii_lowercase();
    if lower == "walk" {
        return Some(6.0);
    }
    let (country, zone) = lower.split_once(':')?;
    // Zone limits written like `FR:zone30` or `FR:zone:30`.
    let zone = zone.trim();
    if let Some(n) = zone.strip_prefix("zone").map(|z| z.trim_start_matches(':')) {
        return n.parse::<f64>().ok().filter(|v| *v > 0.0);
    }
    let kmh = match (country, zone) {
        (_, "walk") | (_, "living_street") => 6.0,
        ("fr", "urban")
        | ("mc", "urban")
        | ("be", "urban")
        | ("ch", "urban")
        | ("de", "urban")
        | ("it", "urban")
        | ("es", "urban")
        | ("lu", "urban") => 50.0,
        ("fr", "rural") => 80.0,
        ("fr", "trunk") | ("fr", "expressway") => 110.0,
        ("fr", "motorway") | ("it", "motorway") | ("lu", "motorway") => 130.0,
        ("be", "rural") | ("be-vlg", "rural") => 70.0,
        ("be-wal", "rural") | ("be-bru", "rural") => 90.0,
        ("be", "motorway") | ("ch", "motorway") | ("es", "motorway") => 120.0,
        ("ch", "rural") | ("es", "rural") | ("it", "rural") | ("lu", "rural") => 90.0,
        ("ch", "trunk") => 100.0,
        ("de", "rural") => 100.0,
        ("de", "motorway") => 130.0,
        ("gb", "nsl_single") => 60.0 * 1.609_344,
        ("gb", "nsl_dual") | ("gb", "motorway") => 70.0 * 1.609_344,
        _ => return None,
    };
    Some(kmh)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(profile: Profile, tags: &[(&str, &str)]) -> Option<WayRule> {
        profile.way_rule(tags.iter().copied())
    }

    #[test]
    fn maxspeed_values() {
        assert_eq!(parse_maxspeed("50"), Some(50.0));
        assert_eq!(parse_maxspeed(" 70 km/h"), Some(70.0));
        assert_eq!(parse_maxspeed("90kmh"), Some(90.0));
        assert!((parse_maxspeed("30 mph").unwrap() - 48.28032).abs() < 1e-9);
        assert!((parse_maxspeed("20mph").unwrap() - 32.18688).abs() < 1e-9);
        assert_eq!(parse_maxspeed("FR:urban"), Some(50.0));
        assert_eq!(parse_maxspeed("FR:rural"), Some(80.0));
        assert_eq!(parse_maxspeed("FR:motorway"), Some(130.0));
        assert_eq!(parse_maxspeed("FR:zone30"), Some(30.0));
        assert_eq!(parse_maxspeed("FR:zone:30"), Some(30.0));
        assert_eq!(parse_maxspeed("fr:walk"), Some(6.0));
        assert_eq!(parse_maxspeed("walk"), Some(6.0));
        assert_eq!(parse_maxspeed("50;30"), Some(50.0));
        assert_eq!(parse_maxspeed("none"), None);
        assert_eq!(parse_maxspeed("signals"), None);
        assert_eq!(parse_maxspeed("0"), None);
        assert_eq!(parse_maxspeed("-10"), None);
        assert_eq!(parse_maxspeed(""), None);
        assert_eq!(parse_maxspeed("XX:unknown"), None);
    }

    #[test]
    fn car_oneways() {
        let both = rule(Profile::Car, &[("highway", "residential")]).unwrap();
        assert_eq!(
            both,
            WayRule {
                forward_kmh: Some(30.0),
                backward_kmh: Some(30.0)
            }
        );
        let fwd = rule(
            Profile::Car,
            &[("highway", "residential"), ("oneway", "yes")],
        )
        .unwrap();
        assert_eq!(fwd.backward_kmh, None);
        assert_eq!(fwd.forward_kmh, Some(30.0));
        let back = rule(Profile::Car, &[("highway", "primary"), ("oneway", "-1")]).unwrap();
        assert_eq!(
            back,
            WayRule {
                forward_kmh: None,
                backward_kmh: Some(70.0)
            }
        );
        let round = rule(
            Profile::Car,
            &[("highway", "tertiary"), ("junction", "roundabout")],
        )
        .unwrap();
        assert_eq!(round.backward_kmh, None);
        let motorway = rule(Profile::Car, &[("highway", "motorway")]).unwrap();
        assert_eq!(motorway.backward_kmh, None);
        let two_way_motorway =
            rule(Profile::Car, &[("highway", "motorway"), ("oneway", "no")]).unwrap();
        assert!(two_way_motorway.backward_kmh.is_some());
        assert_eq!(
            rule(
                Profile::Car,
                &[("highway", "primary"), ("oneway", "reversible")]
            ),
            None
        );
    }

    #[test]
    fn car_speeds() {
        let r = rule(
            Profile::Car,
            &[("highway", "primary"), ("maxspeed", "FR:urban")],
        )
        .unwrap();
        assert_eq!(r.forward_kmh, Some(50.0));
        let r = rule(
            Profile::Car,
            &[
                ("highway", "primary"),
                ("maxspeed", "90"),
                ("maxspeed:backward", "70"),
            ],
        )
        .unwrap();
        assert_eq!(
            r,
            WayRule {
                forward_kmh: Some(90.0),
                backward_kmh: Some(70.0)
            }
        );
        let r = rule(
            Profile::Car,
            &[("highway", "secondary"), ("maxspeed", "none")],
        )
        .unwrap();
        assert_eq!(r.forward_kmh, Some(60.0));
    }

    #[test]
    fn car_excluded_ways() {
        for class in [
            "footway",
            "path",
            "steps",
            "cycleway",
            "pedestrian",
            "track",
            "bridleway",
            "construction",
        ] {
            assert_eq!(rule(Profile::Car, &[("highway", class)]), None, "{class}");
        }
        assert_eq!(rule(Profile::Car, &[("building", "yes")]), None);
        assert_eq!(
            rule(
                Profile::Car,
                &[("highway", "service"), ("access", "private")]
            ),
            None
        );
        assert_eq!(
            rule(
                Profile::Car,
                &[("highway", "residential"), ("access", "no")]
            ),
            None
        );
        assert_eq!(
            rule(
                Profile::Car,
                &[("highway", "residential"), ("motor_vehicle", "no")]
            ),
            None
        );
        // The most specific tag wins: access=no but motorcar=yes is open to cars.
        assert!(
            rule(
                Profile::Car,
                &[
                    ("highway", "residential"),
                    ("access", "no"),
                    ("motorcar", "yes")
                ]
            )
            .is_some()
        );
        assert!(
            rule(
                Profile::Car,
                &[("highway", "residential"), ("access", "destination")]
            )
            .is_some()
        );
        // A foot=no does not concern cars.
        assert!(rule(Profile::Car, &[("highway", "trunk"), ("foot", "no")]).is_some());
    }

    #[test]
    fn walking_rules() {
        let w = rule(Profile::Walk, &[("highway", "footway")]).unwrap();
        assert_eq!(
            w,
            WayRule {
                forward_kmh: Some(WALK_KMH),
                backward_kmh: Some(WALK_KMH)
            }
        );
        // One-ways are for vehicles: a pedestrian walks both ways.
        let w = rule(
            Profile::Walk,
            &[("highway", "residential"), ("oneway", "yes")],
        )
        .unwrap();
        assert!(w.forward_kmh.is_some() && w.backward_kmh.is_some());
        assert_eq!(rule(Profile::Walk, &[("highway", "motorway")]), None);
        assert_eq!(rule(Profile::Walk, &[("highway", "motorway_link")]), None);
        assert_eq!(
            rule(Profile::Walk, &[("highway", "trunk"), ("foot", "no")]),
            None
        );
        assert_eq!(
            rule(Profile::Walk, &[("highway", "path"), ("access", "private")]),
            None
        );
        assert!(
            rule(
                Profile::Walk,
                &[("highway", "path"), ("access", "no"), ("foot", "yes")]
            )
            .is_some()
        );
        assert_eq!(rule(Profile::Walk, &[("highway", "cycleway")]), None);
        assert!(
            rule(
                Profile::Walk,
                &[("highway", "cycleway"), ("foot", "designated")]
            )
            .is_some()
        );
        assert!(rule(Profile::Walk, &[("highway", "steps")]).is_some());
    }
}
