//! Phone campaigns over the register during an alert: the list split among callers, the outcome of each call,
//! retries at set intervals, escalation to a visit or to the emergency services, and progress.
//!
//! The store enforces that no two callers hold the same person (a call is claimed by one conditional update);
//! these functions decide what the list looks like and what an outcome leads to.

use crate::coded;
use crate::geo::Point;

coded! {
    /// What a call gave.
    pub enum Outcome {
        /// Reached, all is well.
        Joint => "joint",
        PasDeReponse => "pas_de_reponse",
        /// Reached, with a need (groceries, medicine, a visit...).
        Besoin => "besoin",
        /// Reached or heard of, in danger: emergency services.
        Urgence => "urgence",
    }
}

coded! {
    /// Where a person's call stands in a campaign.
    pub enum CallStatus {
        AAppeler => "a_appeler",
        ARappeler => "a_rappeler",
        Joint => "joint",
        Besoin => "besoin",
        Urgence => "urgence",
        /// No answer after every attempt: a visit is sent.
        Injoignable => "injoignable",
    }
}

impl CallStatus {
    /// Still to be called (now or at its retry time).
    pub fn is_pending(self) -> bool {
        matches!(self, CallStatus::AAppeler | CallStatus::ARappeler)
    }
}

coded! {
    /// What follows a call that cannot end at the phone.
    pub enum Escalation {
        /// Someone goes to the person's home (agent, volunteer, home-care service).
        Visite => "visite",
        /// Emergency services (15, 18, 112).
        Secours => "secours",
        /// A need to meet (a request handed to the volunteers or the CCAS).
        Besoin => "besoin",
    }
}

coded! {
    pub enum EscalationStatus {
        Ouverte => "ouverte",
        EnCours => "en_cours",
        Close => "close",
    }
}

/// When to call again after no answer, and how many times.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RetryPolicy {
    /// Minutes to wait after the 1st, 2nd... unanswered call. After the last one, the person is unreachable.
    pub intervals_minutes: Vec<i64>,
}

impl Default for RetryPolicy {
    /// Three retries, 30 minutes, 1 hour then 2 hours after each unanswered call (heatwave plans usually ask for
    /// several attempts the same day before sending someone).
    fn default() -> Self {
        RetryPolicy {
            intervals_minutes: vec![30, 60, 120],
        }
    }
}

impl RetryPolicy {
    pub fn max_attempts(&self) -> usize {
        self.intervals_minutes.len() + 1
    }

    /// Reads a list like "30, 60, 120": positive minutes, at most a day each.
    pub fn parse(text: &str) -> Option<RetryPolicy> {
        let intervals: Option<Vec<i64>> = text
            .split([',', ';', ' '])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<i64>().ok().filter(|m| (1..=1440).contains(m)))
            .collect();
        intervals
            .filter(|v| v.len() <= 10)
            .map(|intervals_minutes| RetryPolicy { intervals_minutes })
    }
}

/// What an outcome does to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub status: CallStatus,
    /// For a retry: when to call again (Unix seconds).
    pub next_attempt_at: Option<i64>,
    /// What must follow, if anything.
    pub escalation: Option<Escalation>,
}

/// The transition after attempt number `attempt` (1 for the first call) ended with `outcome` at `now`.
pub fn after_outcome(
    outcome: Outcome,
    attempt: usize,
    now: i64,
    policy: &RetryPolicy,
) -> Transition {
    match outcome {
        Outcome::Joint => Transition {
            status: CallStatus::Joint,
            next_attempt_at: None,
            escalation: None,
        },
        Outcome::Besoin => Transition {
            status: CallStatus::Besoin,
            next_attempt_at: None,
            escalation: Some(Escalation::Besoin),
        },
        Outcome::Urgence => Transition {
            status: CallStatus::Urgence,
            next_attempt_at: None,
            escalation: Some(Escalation::Secours),
        },
        Outcome::PasDeReponse => match policy.intervals_minutes.get(attempt.saturating_sub(1)) {
            Some(minutes) => Transition {
                status: CallStatus::ARappeler,
                next_attempt_at: Some(now + minutes * 60),
                escalation: None,
            },
            None => Transition {
                status: CallStatus::Injoignable,
                next_attempt_at: None,
                escalation: Some(Escalation::Visite),
            },
        },
    }
}

/// A person to call, for splitting the list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToCall {
    pub id: i64,
    pub position: Option<Point>,
}

/// Splits the people to call among `callers` lists of balanced sizes (differing by one at most), each covering
/// a sector of the town around the centre of the located people, so that a caller who must also organise a
/// visit knows the area. People without a position are dealt in turn to the lists that are shortest. The same
/// input always gives the same lists. Every person is in exactly one list.
pub fn split(people: &[ToCall], callers: usize) -> Vec<Vec<i64>> {
    if callers == 0 {
        return Vec::new();
    }
    let located: Vec<(i64, Point)> = people
        .iter()
        .filter_map(|p| p.position.map(|pos| (p.id, pos)))
        .collect();
    let n = located.len().max(1) as f64;
    let centre = (
        located.iter().map(|(_, p)| p.0).sum::<f64>() / n,
        located.iter().map(|(_, p)| p.1).sum::<f64>() / n,
    );
    let mut ordered: Vec<(f64, i64)> = located
        .iter()
        .map(|(id, p)| {
            // Longitude scaled by the cosine of the latitude so that sectors are true angles on the ground.
            let dx = (p.0 - centre.0) * centre.1.to_radians().cos();
            let dy = p.1 - centre.1;
            (dy.atan2(dx), *id)
        })
        .collect();
    ordered.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut unlocated: Vec<i64> = people
        .iter()
        .filter(|p| p.position.is_none())
        .map(|p| p.id)
        .collect();
    unlocated.sort_unstable();

    // Contiguous sectors sized so that, once the unlocated people fill the shortest lists, all lists are
    // balanced: the final sizes are fixed first, then the located fill them in angular order.
    let total = people.len();
    let sizes: Vec<usize> = (0..callers)
        .map(|i| total / callers + usize::from(i < total % callers))
        .collect();
    let mut located_share = vec![0usize; callers];
    let mut remaining_unlocated = unlocated.len();
    // Give the unlocated people to the last lists first (whole lists can be unlocated when most are).
    for i in (0..callers).rev() {
        let take = remaining_unlocated.min(sizes[i]);
        located_share[i] = sizes[i] - take;
        remaining_unlocated -= take;
    }
    let mut lists: Vec<Vec<i64>> = Vec::with_capacity(callers);
    let mut it = ordered.into_iter().map(|(_, id)| id);
    let mut un = unlocated.into_iter();
    for i in 0..callers {
        let mut list: Vec<i64> = it.by_ref().take(located_share[i]).collect();
        list.extend(un.by_ref().take(sizes[i] - located_share[i]));
        lists.push(list);
    }
    lists
}

/// Counts of a campaign by status, for the progress view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub total: u64,
    pub a_appeler: u64,
    pub a_rappeler: u64,
    pub joint: u64,
    pub besoin: u64,
    pub urgence: u64,
    pub injoignable: u64,
    /// Calls a caller holds right now.
    pub en_cours: u64,
}

impl Progress {
    pub fn add(&mut self, status: CallStatus, count: u64) {
        self.total += count;
        match status {
            CallStatus::AAppeler => self.a_appeler += count,
            CallStatus::ARappeler => self.a_rappeler += count,
            CallStatus::Joint => self.joint += count,
            CallStatus::Besoin => self.besoin += count,
            CallStatus::Urgence => self.urgence += count,
            CallStatus::Injoignable => self.injoignable += count,
        }
    }

    /// People whose call has ended (reached, or unreachable and handed over to a visit).
    pub fn done(&self) -> u64 {
        self.joint + self.besoin + self.urgence + self.injoignable
    }

    /// Share done, in percent (100 for an empty campaign: nothing is left).
    pub fn percent_done(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.done() as f64 * 100.0 / self.total as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_answer_is_retried_at_the_set_intervals_then_sent_a_visit() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_attempts(), 4);
        let t1 = after_outcome(Outcome::PasDeReponse, 1, 1_000, &p);
        assert_eq!(
            t1,
            Transition {
                status: CallStatus::ARappeler,
                next_attempt_at: Some(1_000 + 1_800),
                escalation: None
            }
        );
        assert_eq!(
            after_outcome(Outcome::PasDeReponse, 2, 0, &p).next_attempt_at,
            Some(3_600)
        );
        assert_eq!(
            after_outcome(Outcome::PasDeReponse, 3, 0, &p).next_attempt_at,
            Some(7_200)
        );
        let last = after_outcome(Outcome::PasDeReponse, 4, 0, &p);
        assert_eq!(last.status, CallStatus::Injoignable);
        assert_eq!(last.escalation, Some(Escalation::Visite));
        let urgent = after_outcome(Outcome::Urgence, 1, 0, &p);
        assert_eq!(
            (urgent.status, urgent.escalation),
            (CallStatus::Urgence, Some(Escalation::Secours))
        );
        assert_eq!(after_outcome(Outcome::Joint, 3, 0, &p).escalation, None);
    }

    #[test]
    fn retry_lists_are_read_and_bounded() {
        assert_eq!(
            RetryPolicy::parse("15, 45;90").unwrap().intervals_minutes,
            vec![15, 45, 90]
        );
        assert_eq!(RetryPolicy::parse("").unwrap().max_attempts(), 1);
        assert!(RetryPolicy::parse("10, 0").is_none());
        assert!(RetryPolicy::parse("10, dix").is_none());
        assert!(RetryPolicy::parse("2000").is_none());
    }

    #[test]
    fn progress_counts() {
        let mut p = Progress::default();
        p.add(CallStatus::Joint, 3);
        p.add(CallStatus::AAppeler, 1);
        assert_eq!((p.total, p.done()), (4, 3));
        assert_eq!(p.percent_done(), 75.0);
        assert_eq!(Progress::default().percent_done(), 100.0);
    }
}
