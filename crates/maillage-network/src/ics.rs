//! An iCalendar file (RFC 5545) of the network's meetings and deadlines, for the calendar programs people already
//! use: `VCALENDAR` / `VEVENT`, times in UTC, all-day events for deadlines, text escaped (§3.3.11), lines ended
//! by CRLF and folded at 75 octets without cutting a UTF-8 character (§3.1).

use jiff::Timestamp;
use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Tentative,
    Confirmed,
    Cancelled,
}

impl EventStatus {
    fn code(self) -> &'static str {
        match self {
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// From `start` to `end` (one hour when no end is given).
    At {
        start: Timestamp,
        end: Option<Timestamp>,
    },
    /// A whole day (a deadline).
    Day(Date),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Unique and stable across exports (`reunion-12@…`), so calendars update instead of duplicating.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub status: EventStatus,
    pub modified: Timestamp,
    pub url: Option<String>,
    pub categories: Vec<String>,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded: at most 75 octets per physical line, continuation lines starting with a
/// space, never inside a UTF-8 character, and never just after a space (many readers trim the end of each
/// physical line, which would lose it: the space goes to the next line instead).
fn push_line(out: &mut String, line: &str) {
    let chars: Vec<char> = line.chars().collect();
    let mut start = 0;
    let mut first = true;
    loop {
        // The continuation's leading space counts in its 75 octets.
        let limit = if first { 75 } else { 74 };
        let mut end = start;
        let mut used = 0;
        while end < chars.len() && used + chars[end].len_utf8() <= limit {
            used += chars[end].len_utf8();
            end += 1;
        }
        if end < chars.len() {
            while end > start + 1 && chars[end - 1] == ' ' {
                end -= 1;
            }
        }
        if !first {
            out.push(' ');
        }
        out.extend(&chars[start..end]);
        out.push_str("\r\n");
        if end >= chars.len() {
            break;
        }
        start = end;
        first = false;
    }
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn day(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// The calendar named `name` with `events`, stamped `stamp` (the time it was generated).
pub fn calendar(name: &str, events: &[Event], stamp: Timestamp) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//Maillage//Reseau et CLS//FR");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, "METHOD:PUBLISH");
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        push_line(&mut out, "BEGIN:VEVENT");
        // A UID is a TEXT value too: escaped like one.
        push_line(&mut out, &format!("UID:{}", escape(&e.uid)));
        push_line(&mut out, &format!("DTSTAMP:{}", utc(stamp)));
        match &e.when {
            When::At { start, end } => {
                let end = end
                    .filter(|t| t > start)
                    .unwrap_or_else(|| *start + jiff::SignedDuration::from_hours(1));
                push_line(&mut out, &format!("DTSTART:{}", utc(*start)));
                push_line(&mut out, &format!("DTEND:{}", utc(end)));
            }
            When::Day(d) => {
                let next = crate::reminders::add_days(*d, 1);
                push_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", day(*d)));
                push_line(&mut out, &format!("DTEND;VALUE=DATE:{}", day(next)));
                push_line(&mut out, "TRANSP:TRANSPARENT");
            }
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if let Some(d) = e.description.as_deref().filter(|d| !d.is_empty()) {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(d)));
        }
        if let Some(l) = e.location.as_deref().filter(|l| !l.is_empty()) {
            push_line(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        if !e.categories.is_empty() {
            let list: Vec<String> = e.categories.iter().map(|c| escape(c)).collect();
            push_line(&mut out, &format!("CATEGORIES:{}", list.join(",")));
        }
        if let Some(u) = &e.url {
            // A URI value is not escaped; a URI holds none of the characters that would need it.
            push_line(&mut out, &format!("URL:{u}"));
        }
        push_line(&mut out, &format!("STATUS:{}", e.status.code()));
        push_line(&mut out, &format!("LAST-MODIFIED:{}", utc(e.modified)));
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}
