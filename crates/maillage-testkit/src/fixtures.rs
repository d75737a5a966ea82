//! Building fixtures in the layouts publishers ship, at test time, from the hand-written fixtures of
//! `crates/maillage-formats/tests/fixtures` (which say they are fixtures, not real data).

use std::io::Write;
use std::path::Path;

/// Where an output column of [`relayout`] takes its values.
#[derive(Debug, Clone, Copy)]
pub enum From<'a> {
    /// The source column of that header name.
    Column(&'a str),
    /// The same value on every row.
    Value(&'a str),
}

/// Rewrites a `|`-separated file whose lines end with `|` (header, then rows) into another layout: each
/// output column is `(header name, where its values come from)`. Lines still end with `|`.
pub fn relayout(text: &str, columns: &[(&str, From<'_>)]) -> String {
    let mut lines = text.lines().filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().expect("a header").split('|').collect();
    let source = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in the source fixture"))
    };
    let picks: Vec<_> = columns
        .iter()
        .map(|(_, from)| match from {
            From::Column(name) => Ok(source(name)),
            From::Value(v) => Err(*v),
        })
        .collect();
    let mut out = String::new();
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    out.push_str(&names.join("|"));
    out.push_str("|\n");
    for line in lines {
        let fields: Vec<&str> = line.split('|').collect();
        let row: Vec<&str> = picks
            .iter()
            .map(|p| match p {
                Ok(i) => fields[*i],
                Err(v) => v,
            })
            .collect();
        out.push_str(&row.join("|"));
        out.push_str("|\n");
    }
    out
}

/// [`zip`] written to `path`.
pub fn write_zip(path: &Path, members: &[(&str, &[u8])]) {
    std::fs::write(path, zip(members)).expect("write the zip");
}

/// A 7z archive holding `members` in order, written to `path`.
pub fn write_7z(path: &Path, members: &[(&str, &[u8])]) {
    let mut archive = sevenz_rust2::ArchiveWriter::create(path).expect("create the 7z");
    for (name, bytes) in members {
        archive
            .push_archive_entry(sevenz_rust2::ArchiveEntry::new_file(name), Some(*bytes))
            .expect("7z member");
    }
    archive.finish().expect("7z finish");
}

/// A zip archive (deflated) holding `members` in order.
pub fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        writer.start_file(*name, options).expect("zip member");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

/// The Annuaire santé in the layouts the ANS ships in 2026, built from the hand-written fixture (invented
/// professionals named `FIXTURE-…`).
pub mod annuaire {
    use super::{From, relayout, zip};
    use maillage_formats::annuaire::{COLUMNS, HEADER_2026, col};

    /// The hand-written fixture, under `crates/maillage-formats/tests/fixtures`.
    pub const FIXTURE: &str = "annuaire/PS_LibreAcces_Personne_activite_202611240000.txt";

    /// The hand-written fixture (52 columns, the layout up to 2025).
    pub fn fixture_text() -> String {
        std::fs::read_to_string(crate::format_fixture(FIXTURE)).expect("the Annuaire fixture")
    }

    /// The fixture under the 2026 header: three spellings changed and four columns more at the end.
    pub fn fixture_2026() -> String {
        let extras = [
            ("Code fonction", From::Value("FCT-FIXTURE")),
            ("Libellé fonction", From::Value("Fonction (fixture)")),
            ("Code genre d'activité", From::Value("GENR01")),
            (
                "Libellé genre d'activité",
                From::Value("Activité standard (fixture)"),
            ),
        ];
        let columns: Vec<(&str, From)> = HEADER_2026
            .iter()
            .zip(COLUMNS)
            .map(|(name, source)| (*name, From::Column(source)))
            .chain(extras)
            .collect();
        relayout(&fixture_text(), &columns)
    }

    /// The fixture in the 2026 layout without the savoir-faire columns (moved to the SavoirFaire file).
    pub fn activity_without_skills() -> String {
        let skills = &HEADER_2026[col::SKILL_TYPE_CODE..=col::SKILL_LABEL];
        let columns: Vec<(&str, From)> = HEADER_2026
            .iter()
            .filter(|c| !skills.contains(c))
            .map(|c| (*c, From::Column(c)))
            .collect();
        relayout(&fixture_2026(), &columns)
    }

    /// `PS_LibreAcces_SavoirFaire`, as the ANS lays it out, with the savoir-faire of the fixture's professionals
    /// plus, for the GP, a compétence in cardiology listed first (the specialty must still win).
    pub fn savoir_faire_file() -> String {
        let names = [
            "Type d'identifiant PP",
            "Identifiant PP",
            "Identification nationale PP",
            "Nom d'exercice",
            "Prénom d'exercice",
            "Code profession",
            "Libellé profession",
            "Code catégorie professionnelle",
            "Libellé catégorie professionnelle",
            "Code type savoir-faire",
            "Libellé type savoir-faire",
            "Code savoir-faire",
            "Libellé savoir-faire",
        ];
        let columns: Vec<(&str, From)> = names.iter().map(|n| (*n, From::Column(n))).collect();
        let text = relayout(&fixture_text(), &columns);
        let (header, rows) = text.split_once('\n').unwrap();
        let competence = "8|10000000001|810000000001|FIXTURE-MARTIN|Paul|10|Médecin|C|Civil|C|Compétence|SM04|\
                      Cardiologie et Maladies vasculaires|\n";
        // Only rows with a savoir-faire are published in that file.
        let rows: String = rows
            .lines()
            .filter(|l| !l.contains("|||"))
            .map(|l| format!("{l}\n"))
            .collect();
        format!("{header}\n{competence}{rows}")
    }

    /// One activity of a doctor for [`doctors_file`]: identifier, savoir-faire (`""` for none), mode
    /// d'exercice (TRE_R23) and secteur d'activité (TRE_R02) codes and labels, commune of the site.
    pub struct DoctorActivity {
        pub national_id: &'static str,
        pub skill: (&'static str, &'static str),
        pub mode: (&'static str, &'static str),
        pub sector: (&'static str, &'static str),
        pub commune: &'static str,
    }

    /// FIXTURE (not real data): doctors' activities in the published layout, each at its own site, built from
    /// the hand-written fixture's first row (a GP) with the given codes.
    pub fn doctors_file(activities: &[DoctorActivity]) -> String {
        let text = fixture_text();
        let mut lines = text.lines();
        let header = lines.next().expect("header");
        let template: Vec<&str> = lines.next().expect("a row").split('|').collect();
        let names: Vec<&str> = header.split('|').collect();
        let at = |name: &str| names.iter().position(|n| *n == name).expect(name);
        let mut out = format!("{header}\n");
        for (i, a) in activities.iter().enumerate() {
            let mut row: Vec<String> = template.iter().map(|v| v.to_string()).collect();
            let mut set = |name: &str, value: &str| row[at(name)] = value.to_string();
            set("Identification nationale PP", a.national_id);
            set("Identifiant PP", &a.national_id[1..]);
            set("Nom d'exercice", &format!("FIXTURE-DOCTEUR-{i}"));
            set(
                "Code type savoir-faire",
                if a.skill.0.is_empty() { "" } else { "S" },
            );
            set(
                "Libellé type savoir-faire",
                if a.skill.0.is_empty() {
                    ""
                } else {
                    "Spécialité ordinale"
                },
            );
            set("Code savoir-faire", a.skill.0);
            set("Libellé savoir-faire", a.skill.1);
            set("Code mode exercice", a.mode.0);
            set("Libellé mode exercice", a.mode.1);
            set("Code secteur d'activité", a.sector.0);
            set("Libellé secteur d'activité", a.sector.1);
            set(
                "Identifiant technique de la structure",
                &format!("SFIXTURE{i:04}"),
            );
            set("Numéro SIRET site", "");
            set("Numéro SIREN site", "");
            set("Raison sociale site", &format!("SITE FIXTURE {i}"));
            set("Code commune (coord. structure)", a.commune);
            set("Code postal (coord. structure)", "");
            out.push_str(&row.join("|"));
            out.push('\n');
        }
        out
    }

    pub const ACTIVITY_MEMBER: &str = "PS_LibreAcces_Personne_activite_202611240000.txt";
    pub const DIPLOMAS_MEMBER: &str = "PS_LibreAcces_Dipl_AutExerc_202611240000.txt";
    pub const SKILLS_MEMBER: &str = "PS_LibreAcces_SavoirFaire_202611240000.txt";
    pub const DIPLOMAS: &str = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|\
                        Prénom d'exercice|Code type diplôme obtenu|Libellé type diplôme obtenu|Code diplôme obtenu|\
                        Libellé diplôme obtenu|\n8|10000000001|810000000001|FIXTURE-MARTIN|Paul|DE|Diplôme d'État|\
                        DE01|Diplôme de fixture|\n";

    pub fn bundle(activity: &str, with_skills_file: bool) -> Vec<u8> {
        let skills = savoir_faire_file();
        let mut members: Vec<(&str, &[u8])> = vec![
            (DIPLOMAS_MEMBER, DIPLOMAS.as_bytes()),
            (ACTIVITY_MEMBER, activity.as_bytes()),
        ];
        if with_skills_file {
            members.push((SKILLS_MEMBER, skills.as_bytes()));
        }
        zip(&members)
    }
}

/// FIXTURES, NOT REAL DATA: a "national" Annuaire santé and communes file, small but spread over France the way
/// the real ones are (Corsica's 2A/2B, the départements d'outre-mer, Paris, Lyon and Marseille arrondissements,
/// a collectivité d'outre-mer, rows without a commune), to check figures counted per département and for
/// France against a plain count. Professionals are named `FIXTURE-…`; commune populations are invented.
pub mod national {
    use maillage_formats::annuaire::{HEADER_2026, col};

    /// One activity row: who, which profession (as the file writes it), where.
    #[derive(Debug, Clone)]
    pub struct Row {
        pub national_id: String,
        pub profession_code: &'static str,
        pub profession_label: &'static str,
        pub skill_code: &'static str,
        pub skill_label: &'static str,
        /// Empty when the row has no commune code.
        pub commune: &'static str,
        pub postcode: &'static str,
        pub structure_id: String,
    }

    /// (profession code, label, savoir-faire code, label, the Maillage profession a reader of the ANS
    /// nomenclatures expects, or None when the observatory does not follow it). Doctors are libéral in a
    /// cabinet, the case every rule counts.
    pub const PROFESSIONS: &[(&str, &str, &str, &str, Option<&str>)] = &[
        (
            "10",
            "Médecin",
            "SM54",
            "Médecine Générale",
            Some("medecin_generaliste"),
        ),
        ("10", "Médecin", "SM40", "Pédiatrie", Some("pediatre")),
        (
            "10",
            "Médecin",
            "SM04",
            "Cardiologie et Maladies vasculaires",
            None,
        ),
        ("60", "Infirmier", "", "", Some("infirmier")),
        (
            "70",
            "Masseur-Kinésithérapeute",
            "",
            "",
            Some("masseur_kinesitherapeute"),
        ),
        (
            "40",
            "Chirurgien-Dentiste",
            "",
            "",
            Some("chirurgien_dentiste"),
        ),
        ("50", "Sage-Femme", "", "", Some("sage_femme")),
        ("21", "Pharmacien", "", "", Some("pharmacien")),
        ("26", "Audioprothésiste", "", "", None),
        ("93", "Psychologue", "", "", Some("psychologue")),
    ];

    /// (commune code, name, postcode, population, type, commune of an arrondissement).
    pub const COMMUNES: &[(&str, &str, &str, u64, &str, &str)] = &[
        ("86194", "Poitiers", "86000", 90_000, "commune-actuelle", ""),
        (
            "86066",
            "Châtellerault",
            "86100",
            31_000,
            "commune-actuelle",
            "",
        ),
        ("2A004", "Ajaccio", "20000", 72_000, "commune-actuelle", ""),
        ("2B033", "Bastia", "20200", 48_000, "commune-actuelle", ""),
        (
            "97411",
            "Saint-Denis",
            "97400",
            153_000,
            "commune-actuelle",
            "",
        ),
        (
            "97611",
            "Mamoudzou",
            "97600",
            71_000,
            "commune-actuelle",
            "",
        ),
        (
            "97120",
            "Pointe-à-Pitre",
            "97110",
            15_000,
            "commune-actuelle",
            "",
        ),
        ("75056", "Paris", "75001", 2_100_000, "commune-actuelle", ""),
        (
            "75112",
            "Paris 12e Arrondissement",
            "75012",
            140_000,
            "arrondissement-municipal",
            "75056",
        ),
        ("69123", "Lyon", "69001", 520_000, "commune-actuelle", ""),
        (
            "69383",
            "Lyon 3e Arrondissement",
            "69003",
            104_000,
            "arrondissement-municipal",
            "69123",
        ),
        (
            "13055",
            "Marseille",
            "13001",
            870_000,
            "commune-actuelle",
            "",
        ),
        (
            "13205",
            "Marseille 5e Arrondissement",
            "13005",
            46_000,
            "arrondissement-municipal",
            "13055",
        ),
        (
            "97502",
            "Saint-Pierre",
            "97500",
            5_500,
            "commune-actuelle",
            "",
        ),
    ];

    /// Where the rows practise: communes and arrondissements (not Paris, Lyon, Marseille themselves, which
    /// the Annuaire writes as arrondissements).
    const PLACES: &[(&str, &str)] = &[
        ("86194", "86000"),
        ("86066", "86100"),
        ("2A004", "20000"),
        ("2B033", "20200"),
        ("97411", "97400"),
        ("97611", "97600"),
        ("97120", "97110"),
        ("75112", "75012"),
        ("69383", "69003"),
        ("13205", "13005"),
        ("97502", "97500"),
        ("", "99999"),
    ];

    /// `n` professionals, deterministic: each has one to three sites, so that some have two sites in one
    /// département and some sites in two départements.
    pub fn rows(n: usize) -> Vec<Row> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % m
        };
        let mut out = Vec::new();
        for i in 0..n {
            let (code, label, skill, skill_label, _) = PROFESSIONS[next(PROFESSIONS.len())];
            let sites = 1 + next(3);
            let first = next(PLACES.len());
            for s in 0..sites {
                // The second site is as often in the same commune as elsewhere.
                let (commune, postcode) = if s == 0 || (s == 1 && next(2) == 0) {
                    PLACES[first]
                } else {
                    PLACES[next(PLACES.len())]
                };
                out.push(Row {
                    national_id: format!("8{:011}", 10_000 + i),
                    profession_code: code,
                    profession_label: label,
                    skill_code: skill,
                    skill_label,
                    commune,
                    postcode,
                    structure_id: format!("S-FIXTURE-{i}-{s}"),
                });
            }
        }
        out
    }

    /// The activity file in the 2026 layout (56 columns, every line ending with `|`).
    pub fn annuaire_text(rows: &[Row]) -> String {
        let mut out = HEADER_2026.join("|");
        out.push_str("|\n");
        for r in rows {
            let mut f = vec![String::new(); HEADER_2026.len()];
            let mut set = |c: usize, v: &str| f[c] = v.to_string();
            set(col::ID_TYPE, "8");
            set(col::PP_ID, &r.national_id[1..]);
            set(col::NATIONAL_ID, &r.national_id);
            set(col::LAST_NAME, &format!("FIXTURE-{}", r.national_id));
            set(col::FIRST_NAME, "Camille");
            set(col::PROFESSION_CODE, r.profession_code);
            set(col::PROFESSION_LABEL, r.profession_label);
            set(col::CATEGORY_CODE, "C");
            if !r.skill_code.is_empty() {
                set(col::SKILL_TYPE_CODE, "S");
                set(col::SKILL_TYPE_LABEL, "Spécialité ordinale");
                set(col::SKILL_CODE, r.skill_code);
                set(col::SKILL_LABEL, r.skill_label);
            }
            set(col::PRACTICE_MODE_CODE, "L");
            set(col::PRACTICE_MODE_LABEL, "Libéral");
            set(col::STRUCTURE_ID, &r.structure_id);
            set(
                col::COMPANY_NAME,
                &format!("CABINET FIXTURE {}", r.structure_id),
            );
            set(col::STREET_NUMBER, "1");
            set(col::STREET_NAME, "DE LA FIXTURE");
            set(col::POSTAL_CODE, r.postcode);
            set(col::COMMUNE_CODE, r.commune);
            set(col::ACTIVITY_SECTOR_CODE, "SA07");
            set(col::ACTIVITY_SECTOR_LABEL, "Cabinet individuel");
            out.push_str(&f.join("|"));
            out.push_str("|\n");
        }
        out
    }

    /// `communes.json` of `@etalab/decoupage-administratif` for [`COMMUNES`].
    pub fn communes_json() -> String {
        let list: Vec<serde_json::Value> = COMMUNES
            .iter()
            .map(|(code, name, postcode, population, kind, parent)| {
                let departement = if code.starts_with("97") { &code[..3] } else { &code[..2] };
                let mut c = serde_json::json!({
                    "code": code, "nom": name, "type": kind, "departement": departement,
                    "zone": if code.starts_with("975") { "com" } else if code.starts_with("97") { "drom" } else { "metro" },
                    "codesPostaux": [postcode], "population": population,
                });
                if !parent.is_empty() {
                    c["commune"] = serde_json::json!(parent);
                }
                c
            })
            .collect();
        serde_json::to_string(&list).unwrap()
    }
}
