//! The directory of actors (structures, professionals, associations, services) with the fields of a resource
//! guide (missions, target public, conditions of access, contacts, hours, with or without appointment, free or
//! not, ages, languages), its CSV import and export, and the ranking of a search by need, place, public and
//! language (the public "adresses utiles").
//!
//! Contact persons of an actor are personal data and are not part of [`ActorRecord`]: the record holds the
//! structure's own reception phone and address, which a public entry shows.

use crate::codes::{ActorKind, Appointment, Cost, Language, Public, Theme, Visibility};
use crate::fields::{self, fold};
use crate::{Coded, CsvProblem, NetworkError, join_codes, parse_code, parse_codes};
use serde::Serialize;
use std::collections::HashMap;

/// An entry of the directory, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRecord {
    /// Stable identifier used by CSV imports to update an entry instead of adding it again.
    pub key: Option<String>,
    pub kind: ActorKind,
    pub name: String,
    pub missions: Option<String>,
    pub specific_missions: Option<String>,
    pub target_public: Option<String>,
    pub access_conditions: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub commune: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub opening_hours: Option<String>,
    pub appointment: Option<Appointment>,
    pub cost: Option<Cost>,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    pub languages: Vec<Language>,
    pub themes: Vec<Theme>,
    pub publics: Vec<Public>,
    /// Where the actor works: a quartier, the commune, the intercommunality...
    pub territory: Option<String>,
    /// Reception accessible to people with reduced mobility.
    pub accessible: Option<bool>,
    pub visibility: Visibility,
    /// (longitude, latitude), WGS84.
    pub position: Option<(f64, f64)>,
}

/// The columns of a directory entry, as forms and CSV files name them: (column, what it holds).
pub const COLUMNS: &[(&str, &str)] = &[
    (
        "identifiant",
        "identifiant stable de la fiche (mises à jour par import)",
    ),
    ("type", "structure, professionnel, association ou service"),
    ("nom", "nom de la structure ou du service"),
    ("missions", "missions générales"),
    ("missions_specifiques", "missions spécifiques"),
    ("public_cible", "population cible, en clair"),
    ("conditions_acces", "conditions requises pour s'y adresser"),
    ("adresse", "adresse de l'accueil"),
    ("code_postal", "code postal"),
    ("commune", "commune"),
    ("telephone", "téléphone de l'accueil"),
    ("courriel", "adresse électronique de l'accueil"),
    ("site_web", "site web"),
    ("horaires", "horaires d'ouverture"),
    ("rendez_vous", "avec_rdv, sans_rdv ou avec_ou_sans_rdv"),
    ("tarif", "gratuit, payant ou selon_situation"),
    ("age_min", "âge minimal"),
    ("age_max", "âge maximal"),
    ("langues", "codes de langues séparés par | (fr|en|ar…)"),
    ("besoins", "codes des besoins et thèmes séparés par |"),
    ("publics", "codes des publics séparés par |"),
    ("territoire", "territoire d'intervention"),
    (
        "accessible_pmr",
        "accueil accessible aux personnes à mobilité réduite (oui/non)",
    ),
    ("visibilite", "publique (annuaire public) ou interne"),
    ("longitude", "longitude WGS84"),
    ("latitude", "latitude WGS84"),
];

/// A directory entry as typed in a form or read from a CSV line: one text per column of [`COLUMNS`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActorFields(pub HashMap<&'static str, String>);

impl ActorFields {
    pub fn get(&self, column: &str) -> &str {
        self.0.get(column).map_or("", String::as_str)
    }

    /// Sets a column (unknown columns are ignored: forms carry other fields too).
    pub fn set(&mut self, column: &str, value: impl Into<String>) {
        if let Some((c, _)) = COLUMNS.iter().find(|(c, _)| *c == column) {
            self.0.insert(c, value.into());
        }
    }

    /// The fields of a record, as a form or an export shows them.
    pub fn of(r: &ActorRecord) -> ActorFields {
        let mut f = ActorFields::default();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        f.set("identifiant", opt(&r.key));
        f.set("type", r.kind.code());
        f.set("nom", r.name.clone());
        f.set("missions", opt(&r.missions));
        f.set("missions_specifiques", opt(&r.specific_missions));
        f.set("public_cible", opt(&r.target_public));
        f.set("conditions_acces", opt(&r.access_conditions));
        f.set("adresse", opt(&r.address));
        f.set("code_postal", opt(&r.postcode));
        f.set("commune", opt(&r.commune));
        f.set("telephone", opt(&r.phone));
        f.set("courriel", opt(&r.email));
        f.set("site_web", opt(&r.website));
        f.set("horaires", opt(&r.opening_hours));
        f.set("rendez_vous", r.appointment.map_or("", Coded::code));
        f.set("tarif", r.cost.map_or("", Coded::code));
        f.set(
            "age_min",
            r.age_min.map_or(String::new(), |v| v.to_string()),
        );
        f.set(
            "age_max",
            r.age_max.map_or(String::new(), |v| v.to_string()),
        );
        f.set("langues", join_codes(&r.languages));
        f.set("besoins", join_codes(&r.themes));
        f.set("publics", join_codes(&r.publics));
        f.set("territoire", opt(&r.territory));
        f.set(
            "accessible_pmr",
            r.accessible.map_or("", |a| if a { "oui" } else { "non" }),
        );
        f.set("visibilite", r.visibility.code());
        f.set(
            "longitude",
            r.position.map_or(String::new(), |p| p.0.to_string()),
        );
        f.set(
            "latitude",
            r.position.map_or(String::new(), |p| p.1.to_string()),
        );
        f
    }
}

impl ActorRecord {
    /// Checks typed-in fields. A missing type is a structure; a missing visibility is internal (nothing becomes
    /// public without someone choosing it).
    pub fn from_fields(f: &ActorFields) -> Result<ActorRecord, NetworkError> {
        let key = fields::line("identifiant", f.get("identifiant"), 80)?;
        if key.as_deref().is_some_and(|k| {
            !k.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        }) {
            return Err(NetworkError::Field(crate::FieldError::InvalidField {
                field: "identifiant",
                expected: "lettres, chiffres, tirets, points",
            }));
        }
        let kind = match f.get("type").trim() {
            "" => ActorKind::Structure,
            v => parse_code("type", v)?,
        };
        let appointment = match f.get("rendez_vous").trim() {
            "" => None,
            v => Some(parse_code("rendez_vous", v)?),
        };
        let cost = match f.get("tarif").trim() {
            "" => None,
            v => Some(parse_code("tarif", v)?),
        };
        let visibility = match f.get("visibilite").trim() {
            "" => Visibility::Internal,
            v => parse_code("visibilite", v)?,
        };
        let age_min = fields::integer("age_min", f.get("age_min"), 0, 120)?;
        let age_max = fields::integer("age_max", f.get("age_max"), 0, 120)?;
        if let (Some(a), Some(b)) = (age_min, age_max)
            && a > b
        {
            return Err(NetworkError::InvertedRange {
                field: "age_min",
                low: a.to_string(),
                high: b.to_string(),
            });
        }
        let postcode = fields::line("code_postal", f.get("code_postal"), 10)?;
        if postcode
            .as_deref()
            .is_some_and(|p| p.len() != 5 || !p.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(NetworkError::Field(crate::FieldError::InvalidField {
                field: "code_postal",
                expected: "code postal à 5 chiffres",
            }));
        }
        let lon = fields::decimal("longitude", f.get("longitude"))?;
        let lat = fields::decimal("latitude", f.get("latitude"))?;
        let position = match (lon, lat) {
            (None, None) => None,
            (Some(x), Some(y)) if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
                Some((x, y))
            }
            (Some(_), Some(_)) => {
                return Err(NetworkError::Field(crate::FieldError::InvalidField {
                    field: "longitude",
                    expected: "coordonnées WGS84",
                }));
            }
            (None, Some(_)) => {
                return Err(NetworkError::Field(crate::FieldError::MissingField {
                    field: "longitude",
                }));
            }
            (Some(_), None) => {
                return Err(NetworkError::Field(crate::FieldError::MissingField {
                    field: "latitude",
                }));
            }
        };
        Ok(ActorRecord {
            key,
            kind,
            name: fields::required_line("nom", f.get("nom"), 200)?,
            missions: fields::optional("missions", f.get("missions"), 3000)?,
            specific_missions: fields::optional(
                "missions_specifiques",
                f.get("missions_specifiques"),
                3000,
            )?,
            target_public: fields::optional("public_cible", f.get("public_cible"), 1500)?,
            access_conditions: fields::optional(
                "conditions_acces",
                f.get("conditions_acces"),
                1500,
            )?,
            address: fields::line("adresse", f.get("adresse"), 300)?,
            postcode,
            commune: fields::line("commune", f.get("commune"), 100)?,
            phone: fields::service_phone("telephone", f.get("telephone"))?,
            email: fields::email("courriel", f.get("courriel"))?,
            website: fields::url("site_web", f.get("site_web"))?,
            opening_hours: fields::optional("horaires", f.get("horaires"), 800)?,
            appointment,
            cost,
            age_min,
            age_max,
            languages: parse_codes("langues", f.get("langues"))?,
            themes: parse_codes("besoins", f.get("besoins"))?,
            publics: parse_codes("publics", f.get("publics"))?,
            territory: fields::line("territoire", f.get("territoire"), 200)?,
            accessible: fields::yes_no("accessible_pmr", f.get("accessible_pmr"))?,
            visibility,
            position,
        })
    }

    /// Shown in the public directory.
    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }
}

// ---------------------------------------------------------------------------------------------------------------
// CSV.

/// A cell as written to a CSV file opened by a spreadsheet: a leading `=`, `+`, `-` or `@` would be run as a
/// formula, so it gets an apostrophe (which [`parse_csv`] removes again).
fn protect(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

fn unprotect(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => value,
    }
}

/// Writes records as a CSV file for spreadsheets: UTF-8 with a byte order mark, `;`-separated, CRLF, the
/// columns of [`COLUMNS`] in order. [`parse_csv`] reads it back unchanged.
pub fn to_csv(records: &[ActorRecord]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    // Writing to memory cannot fail.
    let _ = w.write_record(COLUMNS.iter().map(|(c, _)| *c));
    for r in records {
        let f = ActorFields::of(r);
        let _ = w.write_record(COLUMNS.iter().map(|(c, _)| protect(f.get(c))));
    }
    w.into_inner().unwrap_or_default()
}

/// The text of a file: UTF-8 (with or without a byte order mark), or else Windows-1252, which spreadsheets in
/// French use when they save "CSV".
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// Reads a directory CSV file: a header naming columns of [`COLUMNS`] (in any order, `nom` required; accents
/// and case do not matter), `;` or `,` separated. Every line is checked; the first wrong one is reported with
/// its line and column, and nothing is returned — an import is all or nothing. Returns (line, record).
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<(u64, ActorRecord)>, NetworkError> {
    let text = decode_text(bytes);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() >= first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| NetworkError::CsvUnreadable {
            line: 1,
            reason: CsvProblem::Header(maillage_kit::quoted(&e.to_string())),
        })?
        .clone();
    let mut columns: Vec<&'static str> = Vec::new();
    for h in headers.iter() {
        let folded = fold(h).replace(' ', "_");
        let Some((c, _)) = COLUMNS.iter().find(|(c, _)| *c == folded) else {
            return Err(NetworkError::CsvUnknownColumn(maillage_kit::quoted(
                h.trim(),
            )));
        };
        columns.push(c);
    }
    if !columns.contains(&"nom") {
        return Err(NetworkError::CsvMissingColumn("nom".into()));
    }
    let mut out: Vec<(u64, ActorRecord)> = Vec::new();
    let mut keys: HashMap<String, u64> = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| NetworkError::CsvUnreadable {
            line: e.position().map_or(0, |p| p.line()),
            reason: match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => CsvProblem::ColumnCount {
                    found: *len,
                    expected: *expected_len,
                },
                _ => CsvProblem::Unreadable,
            },
        })?;
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let mut f = ActorFields::default();
        for (c, v) in columns.iter().zip(row.iter()) {
            f.set(c, unprotect(v));
        }
        let record = ActorRecord::from_fields(&f).map_err(|problem| NetworkError::CsvLine {
            line,
            column: field_of(&problem).unwrap_or("?").to_string(),
            problem: Box::new(problem),
        })?;
        if let Some(k) = &record.key
            && let Some(first) = keys.insert(k.clone(), line)
        {
            return Err(NetworkError::CsvDuplicateKey {
                key: maillage_kit::quoted(k),
                first,
                second: line,
            });
        }
        out.push((line, record));
    }
    if out.is_empty() {
        return Err(NetworkError::CsvEmpty);
    }
    Ok(out)
}

/// The field an error is about.
pub fn field_of(e: &NetworkError) -> Option<&'static str> {
    match e {
        NetworkError::Field(crate::FieldError::MissingField { field })
        | NetworkError::Field(crate::FieldError::InvalidField { field, .. })
        | NetworkError::Field(crate::FieldError::TooLong { field, .. })
        | NetworkError::UnknownCode { field }
        | NetworkError::InvertedRange { field, .. }
        | NetworkError::PeriodInverted { field, .. } => Some(field),
        _ => None,
    }
}

/// The identifier of an entry that has none: its name and commune as a slug (`maison-des-adolescents-bellerive`).
pub fn default_key(r: &ActorRecord) -> String {
    let mut s = fields::slug(&r.name);
    if let Some(c) = &r.commune {
        s.push('-');
        s.push_str(&fields::slug(c));
    }
    s.chars().take(80).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Search.

/// A search of the directory. Every criterion given must hold; the text orders what remains.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    /// Words to look for (name, missions, public, conditions, place).
    pub text: String,
    /// The need ("besoin").
    pub theme: Option<Theme>,
    pub public: Option<Public>,
    pub language: Option<Language>,
    /// A commune, quartier or postcode.
    pub place: String,
    /// The age of the person looking for help.
    pub age: Option<i64>,
    pub free_only: bool,
    pub without_appointment: bool,
    pub accessible_only: bool,
}

/// One result: the index of the record in the list searched and its score (higher first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: u32,
}

/// The words of a search (the kit's: folded, common words left out).
fn words(text: &str) -> Vec<String> {
    maillage_kit::search::search_words(text)
}

/// Whether a folded text has a word in which `token` is found: its start ("adol" finds "adolescents"), its
/// singular ("dentistes" finds "dentiste"), or a word one typo away (the kit's matcher).
fn has_word(folded: &str, token: &str) -> bool {
    maillage_kit::search::text_has(folded, token)
}

/// Ranks `records` for a search. Criteria filter: need, public (an entry for everyone matches any public), language
/// (an entry that names no language is taken to receive in French), age within the entry's range, place found
/// in its commune, territory, postcode or address, free, without appointment, accessible. Each word of the text
/// must be found somewhere; found in the name it weighs 5, in the needs, publics or missions 2, elsewhere 1. A
/// public named explicitly weighs 3 more than "tout public". Ties go in alphabetical order.
pub fn search(records: &[&ActorRecord], q: &Search) -> Vec<Hit> {
    let tokens = words(&q.text);
    let place = words(&q.place);
    let mut hits: Vec<(Hit, String)> = Vec::new();
    'records: for (index, r) in records.iter().enumerate() {
        let mut score = 1u32;
        if let Some(t) = q.theme {
            if !r.themes.contains(&t) {
                continue;
            }
            score += 4;
        }
        if let Some(p) = q.public {
            if r.publics.contains(&p) {
                score += 4;
            } else if r.publics.contains(&Public::Everyone) || r.publics.is_empty() {
                score += 1;
            } else {
                continue;
            }
        }
        if let Some(l) = q.language {
            let speaks =
                r.languages.contains(&l) || (l == Language::French && r.languages.is_empty());
            if !speaks {
                continue;
            }
            score += 2;
        }
        if let Some(age) = q.age
            && (r.age_min.is_some_and(|m| age < m) || r.age_max.is_some_and(|m| age > m))
        {
            continue;
        }
        if q.free_only && r.cost != Some(Cost::Free) {
            continue;
        }
        if q.without_appointment
            && !matches!(
                r.appointment,
                Some(Appointment::WithoutAppointment | Appointment::Either)
            )
        {
            continue;
        }
        if q.accessible_only && r.accessible != Some(true) {
            continue;
        }
        if !place.is_empty() {
            let whereabouts = fold(&format!(
                "{} {} {} {}",
                r.commune.as_deref().unwrap_or(""),
                r.territory.as_deref().unwrap_or(""),
                r.postcode.as_deref().unwrap_or(""),
                r.address.as_deref().unwrap_or("")
            ));
            if !place.iter().all(|w| has_word(&whereabouts, w)) {
                continue;
            }
            score += 2;
        }
        if !tokens.is_empty() {
            let name = fold(&r.name);
            let tags = fold(
                &r.themes
                    .iter()
                    .map(|t| t.code())
                    .chain(r.publics.iter().map(|p| p.code()))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            let described = fold(&format!(
                "{} {} {}",
                r.missions.as_deref().unwrap_or(""),
                r.specific_missions.as_deref().unwrap_or(""),
                r.target_public.as_deref().unwrap_or("")
            ));
            let rest = fold(&format!(
                "{} {} {} {} {}",
                r.access_conditions.as_deref().unwrap_or(""),
                r.commune.as_deref().unwrap_or(""),
                r.territory.as_deref().unwrap_or(""),
                r.opening_hours.as_deref().unwrap_or(""),
                r.address.as_deref().unwrap_or("")
            ));
            for t in &tokens {
                let mut found = 0;
                if has_word(&name, t) {
                    found += 5;
                }
                if has_word(&tags, t) || has_word(&described, t) {
                    found += 2;
                }
                if found == 0 && has_word(&rest, t) {
                    found = 1;
                }
                if found == 0 {
                    continue 'records;
                }
                score += found;
            }
        }
        hits.push((Hit { index, score }, fold(&r.name)));
    }
    hits.sort_by(|a, b| {
        b.0.score
            .cmp(&a.0.score)
            .then_with(|| a.1.cmp(&b.1))
            .then(a.0.index.cmp(&b.0.index))
    });
    hits.into_iter().map(|(h, _)| h).collect()
}
