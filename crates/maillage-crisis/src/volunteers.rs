//! Volunteers and inhabitants' requests: which volunteers can take a request (skill, day, area), ranked by
//! distance then by how busy they are; and the order of the stops of a delivery round.

use crate::coded;
use crate::geo::{Point, distance_km};
use jiff::civil::{Date, Weekday};
use std::collections::BTreeSet;

coded! {
    /// What an inhabitant asks for; also what a volunteer can do.
    pub enum Skill {
        Courses => "courses",
        Repas => "repas",
        Medicaments => "medicaments",
        Convivialite => "convivialite",
        Visite => "visite",
        Transport => "transport",
        ColisAlimentaire => "colis_alimentaire",
        Autre => "autre",
    }
}

impl Skill {
    /// A phone call for company needs no one nearby.
    pub fn is_remote(self) -> bool {
        self == Skill::Convivialite
    }
}

coded! {
    pub enum RequestStatus {
        Nouvelle => "nouvelle",
        Affectee => "affectee",
        Faite => "faite",
        Annulee => "annulee",
    }
}

impl RequestStatus {
    pub fn is_open(self) -> bool {
        matches!(self, RequestStatus::Nouvelle | RequestStatus::Affectee)
    }
}

/// Stored codes of the days of the week, Monday first (index = days from Monday).
pub const WEEKDAY_CODES: [&str; 7] = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"];

/// Days from Monday (0) to Sunday (6).
pub fn weekday_index(d: Weekday) -> u8 {
    d.to_monday_zero_offset() as u8
}

/// The day index of a stored code.
pub fn parse_weekday(code: &str) -> Option<u8> {
    WEEKDAY_CODES
        .iter()
        .position(|c| *c == code)
        .map(|i| i as u8)
}

/// What matching needs to know of a volunteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Volunteer {
    pub id: i64,
    pub skills: BTreeSet<Skill>,
    /// Days of the week they are available (0 = Monday); empty means any day.
    pub days: BTreeSet<u8>,
    pub position: Option<Point>,
    /// How far they agree to go, in kilometres.
    pub radius_km: f64,
    /// Active and consenting: others are never proposed.
    pub active: bool,
    /// Open requests already assigned to them.
    pub open_tasks: u32,
}

/// What matching needs to know of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub kind: Skill,
    pub position: Option<Point>,
    /// The day it is needed; None: as soon as possible (any day).
    pub needed_on: Option<Date>,
}

/// A volunteer who can take a request.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    pub volunteer: i64,
    /// Straight-line distance, when both places are known.
    pub distance_km: Option<f64>,
    pub open_tasks: u32,
}

/// Volunteers who can take `request`, best first: they have the skill, are free that day, and the place is within
/// their radius (a request or volunteer without a known place is kept, ranked after the known distances; a
/// company call ignores distance). Ties go to the least busy, then the lowest id.
pub fn rank(request: &Request, volunteers: &[Volunteer]) -> Vec<Candidate> {
    let day = request.needed_on.map(|d| weekday_index(d.weekday()));
    let mut out: Vec<Candidate> = volunteers
        .iter()
        .filter(|v| v.active)
        .filter(|v| v.skills.contains(&request.kind))
        .filter(|v| v.days.is_empty() || day.is_none_or(|d| v.days.contains(&d)))
        .filter_map(|v| {
            let distance_km = match (request.position, v.position) {
                (Some(a), Some(b)) if !request.kind.is_remote() => Some(distance_km(a, b)),
                _ => None,
            };
            if distance_km.is_some_and(|d| d > v.radius_km) {
                return None;
            }
            Some(Candidate {
                volunteer: v.id,
                distance_km,
                open_tasks: v.open_tasks,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let da = a.distance_km.unwrap_or(f64::INFINITY);
        let db = b.distance_km.unwrap_or(f64::INFINITY);
        da.total_cmp(&db)
            .then(a.open_tasks.cmp(&b.open_tasks))
            .then(a.volunteer.cmp(&b.volunteer))
    });
    out
}

/// The order of the stops of a round starting from `depot` (nearest stop next, ties by id), and its length in
/// kilometres, back to the depot not included. Stops without a place come last, by id.
pub fn order_round(depot: Point, stops: &[(i64, Option<Point>)]) -> (Vec<i64>, f64) {
    let mut left: Vec<(i64, Point)> = stops
        .iter()
        .filter_map(|(id, p)| p.map(|p| (*id, p)))
        .collect();
    let mut order = Vec::with_capacity(stops.len());
    let mut here = depot;
    let mut length = 0.0;
    while !left.is_empty() {
        let (i, d) = left
            .iter()
            .enumerate()
            .map(|(i, (id, p))| (i, distance_km(here, *p), *id))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)))
            .map(|(i, d, _)| (i, d))
            .expect("left is not empty");
        let (id, p) = left.swap_remove(i);
        length += d;
        here = p;
        order.push(id);
    }
    let mut unplaced: Vec<i64> = stops
        .iter()
        .filter(|(_, p)| p.is_none())
        .map(|(id, _)| *id)
        .collect();
    unplaced.sort_unstable();
    order.extend(unplaced);
    (order, length)
}
