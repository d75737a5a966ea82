//! Zip and 7z containers, built at test time (fixtures, not real data).

use std::io::Read;
use std::path::PathBuf;

use maillage_formats::FormatErrorKind;
use maillage_formats::archive::{Archive, ArchiveKind};
use maillage_testkit::fixtures::{write_7z, write_zip};

/// Fixture text, not real data: long enough to span several decoder buffers.
fn fixture_text(lines: usize) -> String {
    (0..lines)
        .map(|i| format!("fixture;ligne {i};valeur {}\n", i * 7))
        .collect()
}

fn read_member(archive: &Archive, name: &str) -> Vec<u8> {
    let member = archive.members().iter().find(|m| m.name == name).unwrap();
    let mut out = Vec::new();
    archive
        .open_member(member)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn zip_members_are_listed_and_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture-annuaire.zip");
    let text = fixture_text(20_000);
    write_zip(
        &path,
        &[
            ("Lisez-moi.txt", b"fixture"),
            ("PS_LibreAcces_fixture.txt", text.as_bytes()),
        ],
    );

    assert_eq!(ArchiveKind::of_file(&path).unwrap(), Some(ArchiveKind::Zip));
    let archive = Archive::open(&path).unwrap();
    let names: Vec<&str> = archive.members().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Lisez-moi.txt", "PS_LibreAcces_fixture.txt"]);
    let main = archive.main_member(&["txt"]).unwrap();
    assert_eq!(main.name, "PS_LibreAcces_fixture.txt");
    assert_eq!(main.size, text.len() as u64);
    assert_eq!(
        read_member(&archive, "PS_LibreAcces_fixture.txt"),
        text.as_bytes()
    );
}

#[test]
fn seven_zip_members_are_streamed_and_extracted_with_their_paths() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture-contours.7z");
    let text = fixture_text(5_000);
    write_7z(
        &path,
        &[
            ("LAMB93_FXX/CONTOURS-IRIS.shp", b"fixture shp FXX"),
            ("LAMB93_FXX/CONTOURS-IRIS.dbf", text.as_bytes()),
            ("UTM20_GLP/CONTOURS-IRIS.shp", b"fixture shp GLP"),
        ],
    );
    assert_eq!(
        ArchiveKind::of_file(&path).unwrap(),
        Some(ArchiveKind::SevenZip)
    );
    let archive = Archive::open(&path).unwrap();
    assert_eq!(archive.members().len(), 3);
    assert_eq!(
        read_member(&archive, "LAMB93_FXX/CONTOURS-IRIS.dbf"),
        text.as_bytes()
    );
    assert_eq!(
        read_member(&archive, "UTM20_GLP/CONTOURS-IRIS.shp"),
        b"fixture shp GLP"
    );

    let shp = archive.members_with_extension(&["shp"]);
    assert_eq!(shp.len(), 2);
    let extracted = archive.extract(&shp).unwrap();
    let contents: Vec<Vec<u8>> = extracted
        .paths()
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(
        contents,
        [b"fixture shp FXX".to_vec(), b"fixture shp GLP".to_vec()]
    );
    assert!(extracted.paths()[1].ends_with("UTM20_GLP/CONTOURS-IRIS.shp"));
    let kept: PathBuf = extracted.dir().to_path_buf();
    drop(extracted);
    assert!(
        !kept.exists(),
        "the temporary directory goes with the extraction"
    );
}

#[test]
fn expansion_beyond_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture-bomb.zip");
    let zeros = vec![0u8; 1_000_000];
    write_zip(&path, &[("zeros.txt", &zeros)]);
    let archive = Archive::open(&path).unwrap().with_expanded_limit(100_000);
    let member = archive.main_member(&["txt"]).unwrap();
    let refused = |e: maillage_formats::FormatError| {
        assert_eq!(e.location.file, path);
        assert_eq!(
            e.kind,
            FormatErrorKind::ArchiveTooLarge {
                member: "zeros.txt".into(),
                limit: 100_000
            }
        );
    };
    refused(archive.open_member(member).err().unwrap());
    refused(archive.extract(&[member]).unwrap_err());
}

#[test]
fn archive_without_the_wanted_member_says_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture-readme-only.7z");
    write_7z(&path, &[("LISEZ-MOI.pdf", b"fixture")]);
    let e = Archive::open(&path)
        .unwrap()
        .main_member(&["gpkg", "shp"])
        .unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::NoMember {
            looked_for: ".gpkg, .shp".into(),
            found: vec!["LISEZ-MOI.pdf".into()]
        }
    );
}

#[test]
fn truncated_seven_zip_is_a_corrupt_archive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture-truncated.7z");
    write_7z(&path, &[("a.txt", fixture_text(2_000).as_bytes())]);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let e = Archive::open(&path).unwrap_err();
    assert!(
        matches!(e.kind, FormatErrorKind::CorruptArchive { format: "7z", .. }),
        "{e:?}"
    );
}

#[test]
fn corrupt_zip_data_is_reported_by_the_member_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture-damaged.zip");
    let text = fixture_text(20_000);
    write_zip(&path, &[("data.txt", text.as_bytes())]);
    // Damages the middle of the compressed data, leaving the central directory intact.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let archive = Archive::open(&path).unwrap();
    let mut input = archive.open_member(&archive.members()[0]).unwrap();
    let mut sink = Vec::new();
    let e = input.read_to_end(&mut sink).unwrap_err();
    let inner = e.get_ref().map(|i| i.to_string()).unwrap_or_default();
    assert!(inner.contains("unreadable zip archive"), "{e:?}");
}

#[test]
fn other_files_are_not_archives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.csv");
    std::fs::write(&path, "finess;etalab;111;2026-05-12\n").unwrap();
    assert_eq!(ArchiveKind::of_file(&path).unwrap(), None);
    let e = Archive::open(&path).unwrap_err();
    assert!(
        matches!(e.kind, FormatErrorKind::WrongKind { hint: Some(_), .. }),
        "{e:?}"
    );
}

/// A container given to a text reader is named, with the command that reads it, instead of an encoding error.
#[test]
fn text_readers_name_a_container_and_its_command() {
    let dir = tempfile::tempdir().unwrap();
    let seven = dir.path().join("CONTOURS-IRIS-fixture.7z");
    write_7z(&seven, &[("CONTOURS-IRIS.gpkg", b"fixture")]);
    let bundle = dir.path().join("PS_LibreAcces-fixture.zip");
    write_zip(
        &bundle,
        &[("PS_LibreAcces_Personne_activite_202612.txt", b"fixture")],
    );
    for (path, command) in [(&seven, "contours"), (&bundle, "annuaire")] {
        let errors = [
            maillage_formats::finess::read_extraction(path).unwrap_err(),
            maillage_formats::insee::read_iris_population(path).unwrap_err(),
        ];
        for e in errors {
            assert_eq!(&e.location.file, path);
            match &e.kind {
                FormatErrorKind::WrongKind { hint: Some(h), .. } => assert_eq!(
                    maillage_formats::FileKind::from_label(h).and_then(|k| k.import_command()),
                    Some(command),
                    "{e:?}"
                ),
                other => panic!("{}: {other:?}", path.display()),
            }
        }
    }
}
