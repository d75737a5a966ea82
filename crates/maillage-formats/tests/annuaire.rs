mod common;

use common::{fixture, temp_file};
use maillage_formats::annuaire::{self, AnnuaireReader, Profession, Recourse};
use maillage_formats::{FormatErrorKind, Location};

const FILE: &str = "annuaire/PS_LibreAcces_Personne_activite_202611240000.txt";

fn fixture_bytes() -> Vec<u8> {
    std::fs::read(fixture(FILE)).unwrap()
}

#[test]
fn reads_every_row_with_all_fields() {
    let rows: Vec<_> = AnnuaireReader::open(fixture(FILE))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 8);
    let gp = &rows[0];
    assert_eq!(gp.line, 2);
    assert_eq!(gp.national_id.as_deref(), Some("810000000001"));
    assert_eq!(gp.last_name.as_deref(), Some("FIXTURE-MARTIN"));
    assert_eq!(gp.skill_code.as_deref(), Some("SM54"));
    assert_eq!(gp.commune_code.as_deref(), Some("69383"));
    assert_eq!(
        gp.activity_sector_label.as_deref(),
        Some("Cabinet individuel")
    );
    assert_eq!(gp.pharmacist_section_label, None);
    // The empty field after the final `|` is not a column.
    assert_eq!(annuaire::COLUMNS.len(), 52);
    // `"` is data: no quoting.
    assert_eq!(
        rows[1].company_name.as_deref(),
        Some("MAISON DE SANTE \"LES GRATTE-CIEL\"")
    );
    assert_eq!(rows[1].repetition_index.as_deref(), Some("B"));
    assert_eq!(rows[1].commune_code, None);
    assert_eq!(rows[4].pharmacist_section_code.as_deref(), Some("A"));
    // Two sites of one doctor are two activities with distinct keys.
    assert_ne!(rows[0].natural_key(), rows[1].natural_key());
    assert_eq!(
        annuaire::extraction_stamp(&fixture(FILE)).as_deref(),
        Some("202611240000")
    );
}

#[test]
fn classifies_professions() {
    let rows: Vec<_> = AnnuaireReader::open(fixture(FILE))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let got: Vec<Option<Profession>> = rows.iter().map(|r| r.profession()).collect();
    assert_eq!(
        got,
        vec![
            Some(Profession::MedecinGeneraliste),
            Some(Profession::MedecinGeneraliste),
            Some(Profession::Pediatre),
            Some(Profession::Infirmier),
            Some(Profession::Pharmacien),
            Some(Profession::Psychologue),
            None, // cardiologist
            None, // audioprothésiste
        ]
    );
    assert_eq!(Profession::Pediatre.recourse(), Recourse::Second);
}

#[test]
fn territory_filter_sees_raw_fields_only() {
    let mut seen = 0;
    let kept: Vec<_> = AnnuaireReader::open(fixture(FILE))
        .unwrap()
        .filtered(|raw| {
            seen += 1;
            raw.departement_code() == "69"
                && (raw.commune_code().starts_with("6938") || raw.postal_code() == "69100")
        })
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(seen, 8);
    assert_eq!(kept.len(), 6);
    assert!(
        kept.iter()
            .all(|a| a.departement_code.as_deref() == Some("69"))
    );
}

#[test]
fn crlf_and_gzip_read_alike() {
    let text = String::from_utf8(fixture_bytes())
        .unwrap()
        .replace('\n', "\r\n");
    let (_d, crlf) = temp_file("PS_LibreAcces_Personne_activite_x.txt", text.as_bytes());
    let a: Vec<_> = AnnuaireReader::open(&crlf)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &fixture_bytes()).unwrap();
    let (_d2, gzp) = temp_file("annuaire.txt.gz", &gz.finish().unwrap());
    let b: Vec<_> = AnnuaireReader::open(&gzp)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let plain: Vec<_> = AnnuaireReader::open(fixture(FILE))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(a, plain);
    assert_eq!(b, plain);
}

fn first_error(bytes: &[u8]) -> maillage_formats::FormatError {
    let (_d, p) = temp_file("PS_LibreAcces_Personne_activite_bad.txt", bytes);
    match AnnuaireReader::open(&p) {
        Err(e) => e,
        Ok(r) => r.filter_map(Result::err).next().expect("an error"),
    }
}

#[test]
fn truncated_last_line() {
    let mut b = fixture_bytes();
    b.truncate(b.len() - 40); // cut inside the last row, no final newline
    let e = first_error(&b);
    assert_eq!(e.kind, FormatErrorKind::Truncated);
    assert_eq!(e.location.line, Some(9));
}

#[test]
fn missing_trailing_bar_is_a_field_count_error() {
    let text = String::from_utf8(fixture_bytes()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let l = &mut lines[3];
    let cut = l[..l.len() - 1].rfind('|').unwrap();
    l.truncate(cut + 1); // drop the last named field: 51 fields
    let e = first_error((lines.join("\n") + "\n").as_bytes());
    assert_eq!(
        e.kind,
        FormatErrorKind::FieldCount {
            expected: 52,
            found: 51
        }
    );
    assert_eq!(e.location.line, Some(4));
}

#[test]
fn invalid_utf8() {
    let mut b = fixture_bytes();
    let pos = b
        .windows(6)
        .position(|w| w == b"Marseille".get(..6).unwrap())
        .unwrap();
    b[pos + 1] = 0xe9; // Latin-1 é inside a UTF-8 file
    let e = first_error(&b);
    assert_eq!(e.kind, FormatErrorKind::Encoding { expected: "UTF-8" });
    assert_eq!(e.location.line, Some(5));
    assert_eq!(e.location.column, Some(38));
}

#[test]
fn bad_header_names_the_column() {
    let text =
        String::from_utf8(fixture_bytes())
            .unwrap()
            .replacen("Code profession", "Code metier", 1);
    let e = first_error(text.as_bytes());
    assert_eq!(
        e.kind,
        FormatErrorKind::BadHeader {
            expected: "Code profession".into(),
            found: "Code metier".into()
        }
    );
    assert_eq!((e.location.line, e.location.column), (Some(1), Some(10)));
}

#[test]
fn empty_and_wrong_files() {
    let e = first_error(b"");
    assert_eq!(e.kind, FormatErrorKind::Empty);
    let finess = std::fs::read(fixture("finess/etalab-cs1100507-stock-20261124-0000.csv")).unwrap();
    let e = first_error(&finess);
    assert_eq!(
        e.kind,
        FormatErrorKind::WrongKind {
            expected: "Annuaire santé (PS_LibreAcces_Personne_activite)",
            hint: Some("FINESS (extraction des établissements)".into())
        }
    );
    assert_eq!(e.location, Location::file(e.location.file.clone()).line(1));
}
