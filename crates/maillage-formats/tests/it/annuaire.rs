use crate::common::{fixture, temp_file};
use maillage_formats::annuaire::{
    self, Activite, AnnuaireInput, AnnuaireReader, COLUMNS, HEADER_2026, Profession, Recourse,
};
use maillage_formats::{FormatErrorKind, Location, WarningKind};
use maillage_testkit::fixtures::annuaire::{
    ACTIVITY_MEMBER, DIPLOMAS, DIPLOMAS_MEMBER, SKILLS_MEMBER, activity_without_skills, bundle,
    fixture_2026, fixture_text, savoir_faire_file,
};
use maillage_testkit::fixtures::{From, relayout, zip};

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
fn a_missing_required_column_is_named_at_line_1() {
    let text =
        String::from_utf8(fixture_bytes())
            .unwrap()
            .replacen("Code profession", "Code metier", 1);
    let e = first_error(text.as_bytes());
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "Code profession".into()
        }
    );
    assert_eq!(e.location.line, Some(1));
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

// ---------------------------------------------------------------------------------------------------------
// Columns by name, and the ANS zip bundle. Every file below is built at test time from the fixture above
// (invented professionals named FIXTURE-…), in the layouts the ANS ships.

fn plain_records() -> Vec<Activite> {
    AnnuaireReader::open(fixture(FILE))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[allow(clippy::result_large_err)] // the readers' own error type, as they return it
fn read_all(input: &mut AnnuaireInput) -> maillage_formats::error::Result<Vec<Activite>> {
    input.reader()?.collect()
}

#[test]
fn the_2026_header_with_56_columns_reads_like_the_old_one() {
    let text = fixture_2026();
    assert_eq!(text.lines().next().unwrap().split('|').count(), 57);
    let (_d, path) = temp_file(ACTIVITY_MEMBER, text.as_bytes());
    let reader = AnnuaireReader::open(&path).unwrap();
    let warning = reader.unknown_columns_warning().expect("a note");
    assert_eq!(warning.location.line, Some(1));
    assert_eq!(
        warning.kind,
        WarningKind::UnknownColumns {
            columns: HEADER_2026[52..].iter().map(|c| c.to_string()).collect()
        }
    );
    let rows: Vec<Activite> = reader.map(Result::unwrap).collect();
    assert_eq!(rows, plain_records());
    // The renamed columns are read, not merely tolerated.
    assert_eq!(rows[0].practice_title_label.as_deref(), Some("Docteur"));
    assert_eq!(rows[1].repetition_index.as_deref(), Some("B"));
    assert_eq!(rows[0].departement_code.as_deref(), Some("69"));
    // The published file has no unknown column: no note.
    assert!(
        AnnuaireReader::open(fixture(FILE))
            .unwrap()
            .unknown_columns_warning()
            .is_none()
    );
}

#[test]
fn reordered_columns_read_alike_and_the_raw_filter_still_works() {
    let columns: Vec<(&str, From)> = COLUMNS
        .iter()
        .rev()
        .map(|c| (*c, From::Column(c)))
        .collect();
    let text = relayout(&fixture_text(), &columns);
    let (_d, path) = temp_file(ACTIVITY_MEMBER, text.as_bytes());
    let rows: Vec<Activite> = AnnuaireReader::open(&path)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, plain_records());
    let kept = AnnuaireReader::open(&path)
        .unwrap()
        .filtered(|raw| raw.departement_code() == "69" && raw.profession_code() == "10")
        .count();
    assert_eq!(kept, 4);
}

#[test]
fn a_wrong_field_count_counts_the_columns_of_this_header() {
    let text = fixture_2026();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[2].push_str("extra|");
    let e = first_error((lines.join("\n") + "\n").as_bytes());
    assert_eq!(
        e.kind,
        FormatErrorKind::FieldCount {
            expected: 56,
            found: 57
        }
    );
    assert_eq!(e.location.line, Some(3));
}

#[test]
fn an_activity_file_alone_without_savoir_faire_names_the_missing_column() {
    let e = first_error(activity_without_skills().as_bytes());
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "Code savoir-faire".into()
        }
    );
    assert_eq!(e.location.line, Some(1));
}

#[test]
fn the_bundle_gives_its_activity_file() {
    let (_d, path) = temp_file(
        "fixture-annuaire-bundle.zip",
        &bundle(&fixture_2026(), true),
    );
    assert_eq!(
        maillage_formats::sniff::detect_file(&path).unwrap(),
        Some(maillage_formats::FileKind::AnnuaireZip)
    );
    let mut input = AnnuaireInput::open(&path).unwrap();
    assert!(input.is_bundle());
    assert_eq!(input.activity_name(), ACTIVITY_MEMBER);
    let reader = input.reader().unwrap();
    // The activity file has its own savoir-faire: they are used, nothing is joined.
    assert!(!reader.skills_joined());
    assert_eq!(reader.unknown_columns().len(), 4);
    let rows: Vec<Activite> = reader.map(Result::unwrap).collect();
    assert_eq!(rows, plain_records());
}

#[test]
fn the_bundle_joins_the_savoir_faire_file_when_the_activity_file_lacks_them() {
    let (_d, path) = temp_file(
        "fixture-annuaire-bundle.zip",
        &bundle(&activity_without_skills(), true),
    );
    let mut input = AnnuaireInput::open(&path).unwrap();
    let reader = input.reader().unwrap();
    assert!(reader.skills_joined());
    let rows: Vec<Activite> = reader.map(Result::unwrap).collect();
    // The same records as the file with its own columns: the GP's specialty wins over his compétence.
    assert_eq!(rows, plain_records());
    assert_eq!(rows[0].skill_code.as_deref(), Some("SM54"));
    assert_eq!(rows[0].profession(), Some(Profession::MedecinGeneraliste));
    assert_eq!(rows[6].skill_code.as_deref(), Some("SM04"));
    // Joined fields are visible to the raw filter as well.
    let mut input = AnnuaireInput::open(&path).unwrap();
    let pediatricians = input
        .reader()
        .unwrap()
        .filtered(|raw| raw.get(annuaire::col::SKILL_CODE) == "SM40")
        .count();
    assert_eq!(pediatricians, 1);
}

#[test]
fn a_bundle_without_savoir_faire_anywhere_names_the_missing_column() {
    let (_d, path) = temp_file(
        "fixture-annuaire-bundle.zip",
        &bundle(&activity_without_skills(), false),
    );
    let e = read_all(&mut AnnuaireInput::open(&path).unwrap()).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "Code savoir-faire".into()
        }
    );
    assert_eq!(e.location.line, Some(1));
    assert_eq!(e.location.file, path.join(ACTIVITY_MEMBER));
}

#[test]
fn errors_inside_a_member_are_located_in_it() {
    let mut text = fixture_2026();
    text = text.replacen("FIXTURE-DURAND", "FIXTURE|DURAND", 1);
    let (_d, path) = temp_file("fixture-annuaire-bundle.zip", &bundle(&text, true));
    let e = read_all(&mut AnnuaireInput::open(&path).unwrap()).unwrap_err();
    assert_eq!(e.location.file, path.join(ACTIVITY_MEMBER));
    assert_eq!(e.location.line, Some(4));
    assert!(matches!(
        e.kind,
        FormatErrorKind::FieldCount { expected: 56, .. }
    ));
}

#[test]
fn a_corrupt_zip_is_refused() {
    let bytes = bundle(&fixture_2026(), true);
    // A download cut in the middle: the central directory at the end is missing.
    let (_d, path) = temp_file("fixture-annuaire-bundle.zip", &bytes[..bytes.len() / 2]);
    let e = AnnuaireInput::open(&path).err().expect("an error");
    assert!(
        matches!(
            e.kind,
            FormatErrorKind::CorruptArchive { format: "zip", .. }
        ),
        "{e:?}"
    );
    assert_eq!(e.location, Location::file(&path));
}

#[test]
fn a_zip_without_an_activity_file_says_what_it_holds() {
    let bytes = zip(&[
        (DIPLOMAS_MEMBER, DIPLOMAS.as_bytes()),
        (SKILLS_MEMBER, savoir_faire_file().as_bytes()),
    ]);
    let (_d, path) = temp_file("fixture-annuaire-bundle.zip", &bytes);
    let e = AnnuaireInput::open(&path).err().expect("an error");
    assert_eq!(
        e.kind,
        FormatErrorKind::NoMember {
            looked_for: "PS_LibreAcces_Personne_activite_<date>.txt".into(),
            found: vec![DIPLOMAS_MEMBER.into(), SKILLS_MEMBER.into()],
        }
    );
    assert_eq!(e.location, Location::file(&path));
}

#[test]
fn a_plain_file_opens_through_the_same_input() {
    let mut input = AnnuaireInput::open(fixture(FILE)).unwrap();
    assert!(!input.is_bundle());
    assert_eq!(input.activity_name(), ACTIVITY_MEMBER);
    assert_eq!(read_all(&mut input).unwrap(), plain_records());
}

#[test]
fn progress_in_a_bundle_is_counted_in_the_zip_file_s_bytes() {
    // Enough rows for the text to be much larger than the zip.
    let text = fixture_2026();
    let (header, rows) = text.split_once('\n').unwrap();
    let many = format!("{header}\n{}", rows.repeat(500));
    let bytes = bundle(&many, true);
    let (_d, path) = temp_file("fixture-annuaire-bundle.zip", &bytes);
    let mut input = AnnuaireInput::open(&path).unwrap();
    let mut reader = input.reader().unwrap();
    let (mut last, mut rows_read) = (0, 0);
    while let Some(raw) = reader.next_raw() {
        let raw = raw.unwrap();
        assert!(raw.bytes >= last, "progress never goes back");
        last = raw.bytes;
        rows_read += 1;
    }
    assert_eq!(rows_read, 4000);
    assert!(
        many.len() > 10 * bytes.len(),
        "the text is much larger than the zip"
    );
    assert!(
        last > 0 && last <= bytes.len() as u64,
        "{last} of {}",
        bytes.len()
    );
}

#[test]
fn an_excel_workbook_given_as_the_annuaire_is_named_so() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook
        .add_worksheet()
        .write_string(0, 0, "fixture")
        .unwrap();
    let (_d, path) = temp_file("fixture-classeur.xlsx", &workbook.save_to_buffer().unwrap());
    let e = AnnuaireInput::open(&path).err().expect("an error");
    assert_eq!(
        e.kind,
        FormatErrorKind::WrongKind {
            expected: "Annuaire santé (PS_LibreAcces_Personne_activite)",
            hint: Some("Excel (xlsx)".into())
        }
    );
}
