//! Every reader is bounded (issue 14): the hostile files of the issue, generated at test time (FIXTURES, tiny
//! on disk, gigabytes once expanded, never held in memory: see `maillage_testkit::bombs`), given to the real
//! `maillage import` at its DEFAULT limits. Each must be refused early with its located French error and an
//! exit code ≠ 0, leave the store unchanged, and keep the whole process's peak memory (the child's maximum
//! resident set, from `wait4`) under [`PEAK_BOUND_MB`]. Before the limits, the same files took the command line
//! to 6.5 GB and an allocation panic.

use crate::common::snapshot;
use maillage_testkit::TestBase;
use maillage_testkit::bombs::{
    self, GIB, MIB, Piece, ZipMember, chunk, write_gzip, write_xz, write_zip,
};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The most a refused import may take, whole process included: about 20 MB for the binary and the store,
/// plus the 32 MiB a line may fill before it is refused (measured: 57 MB for the 2 GiB xz line, 21 to 52 MB
/// for the others). Before the limits the same files took gigabytes.
const PEAK_BOUND_MB: i64 = 128;

/// How the expanded texts are filled: one 16 MiB chunk, compressed once and repeated.
const CHUNK: u64 = 16 * MIB;

struct Refusal {
    stderr: String,
    peak_mb: i64,
}

/// Where [`measured_child`] finds the arguments of `maillage` (separated by [`SEPARATOR`]).
const CHILD_ARGS: &str = "MAILLAGE_TEST_BOMBE_ARGS";
const SEPARATOR: char = '\u{1f}';
/// The line by which [`measured_child`] reports the peak and the exit code.
const REPORT: &str = "bombe-pic-ko-et-code:";

/// `maillage <args> --base <base>`, which must fail; its error and its peak memory.
///
/// The peak is the child's maximum resident set as `wait4` reports it. Linux counts in it the memory of the
/// process that spawned it as it was at `exec`: spawned from this test process (which holds the fixtures
/// and other tests' allocations) it would read this process's peak. So `maillage` is spawned by a fresh,
/// small copy of this test binary ([`measured_child`]), which reports the figure.
fn refused(base: &str, args: &[&str]) -> Refusal {
    let started = Instant::now();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--base", base]);
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "bombs::measured_child",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD_ARGS, all.join(&SEPARATOR.to_string()))
        .stdin(Stdio::null())
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = stdout
        .lines()
        .find_map(|l| l.split_once(REPORT).map(|(_, report)| report))
        .unwrap_or_else(|| panic!("no report from the child: {stdout}"));
    let (peak_kb, code) = report.trim().split_once(' ').unwrap();
    let (peak_kb, code): (i64, i32) = (peak_kb.parse().unwrap(), code.parse().unwrap());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        code > 0,
        "{args:?} must exit with a code ≠ 0 (not a signal): {code}, {stderr}"
    );
    let peak_mb = peak_kb / 1024;
    eprintln!(
        "{args:?}: refused in {:.1} s, peak {peak_mb} MB: {}",
        started.elapsed().as_secs_f64(),
        stderr.trim()
    );
    Refusal { stderr, peak_mb }
}

/// Run by [`refused`] only (hence ignored): spawns `maillage` with the arguments of [`CHILD_ARGS`], its
/// error going to this process's, and prints its peak memory in KB and its exit code (-1: a signal).
#[test]
#[ignore = "the small parent process of `maillage` for the other tests of this file"]
fn measured_child() {
    let args = std::env::var(CHILD_ARGS).expect("run by refused()");
    #[allow(clippy::zombie_processes)] // reaped by wait4 below, which also gives its peak memory
    let child = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args.split(SEPARATOR))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 fills it for this child, which nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 on the child");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // ru_maxrss is in kilobytes on Linux.
    println!("{REPORT} {} {code}", usage.ru_maxrss);
}

/// Imports `file` as `kind` into a fresh base: refused with every one of `expected` in its French error,
/// nothing written, peak memory under the bound.
fn assert_refused(kind: &str, file: &Path, expected: &[&str]) {
    let base = TestBase::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let before = snapshot(&base.location, dir.path());
    let out = refused(&base.location, &["import", kind, file.to_str().unwrap()]);
    let err = out.stderr.trim();
    assert!(err.starts_with("erreur : "), "{err}");
    for part in expected {
        assert!(err.contains(part), "« {part} » missing from: {err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("memory allocation"),
        "{err}"
    );
    assert!(err.len() < 2000, "a short message: {} bytes", err.len());
    assert!(
        out.peak_mb < PEAK_BOUND_MB,
        "{kind} {}: peak {} MB ≥ {PEAK_BOUND_MB} MB",
        file.display(),
        out.peak_mb
    );
    assert_eq!(
        snapshot(&base.location, dir.path()),
        before,
        "the store is unchanged"
    );
}

fn annuaire_header() -> String {
    format!("{}\n", maillage_formats::annuaire::HEADER_2026.join("|"))
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

#[test]
fn xz_annuaire_header_and_one_2_gib_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_fixture-bombe.txt.xz");
    let (header, fill) = (annuaire_header(), chunk(b'a', CHUNK));
    let pieces = [
        Piece::once(header.as_bytes()),
        Piece::filling(&fill, 2 * GIB),
    ];
    write_xz(&path, &pieces);
    assert!(bombs::expanded_len(&pieces) > 2 * GIB - CHUNK);
    assert!(
        file_size(&path) < 2 * MIB,
        "a small file: {}",
        file_size(&path)
    );
    assert_refused(
        "annuaire",
        &path,
        &[
            "PS_LibreAcces_Personne_activite_fixture-bombe.txt.xz",
            "ligne 2",
            "ligne de plus de 32 Mo",
        ],
    );
}

#[test]
fn gzip_ban_of_2_gib_without_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("adresses-69-fixture-bombe.csv.gz");
    let header = "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;x;y;lon;lat";
    let fill = chunk(b'x', CHUNK);
    write_gzip(
        &path,
        &[
            Piece::once(header.as_bytes()),
            Piece::filling(&fill, 2 * GIB),
        ],
    );
    assert!(
        file_size(&path) < 8 * MIB,
        "a small file: {}",
        file_size(&path)
    );
    assert_refused(
        "ban",
        &path,
        &[
            "adresses-69-fixture-bombe.csv.gz",
            "ligne 1",
            "ligne de plus de 32 Mo",
        ],
    );
}

#[test]
fn zip_annuaire_bundle_with_a_2_gib_member() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("PS_LibreAcces_fixture-bombe.zip");
    let (header, fill) = (annuaire_header(), chunk(b'a', CHUNK));
    let member = ZipMember::new(
        "PS_LibreAcces_Personne_activite_202611240000.txt",
        &[
            Piece::once(header.as_bytes()),
            Piece::filling(&fill, 2 * GIB),
        ],
    );
    write_zip(&path, &[member]);
    assert!(
        file_size(&path) < 4 * MIB,
        "a small file: {}",
        file_size(&path)
    );
    assert_refused(
        "annuaire",
        &path,
        &[
            "PS_LibreAcces_Personne_activite_202611240000.txt",
            "une fois décompressé",
        ],
    );
}

#[test]
fn seven_zip_with_a_huge_member() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base-ic-evol-struct-pop-fixture-bombe.7z");
    let header = "IRIS;COM;TYP_IRIS;LAB_IRIS;P21_POP\n";
    let fill = chunk(b'0', 4 * MIB);
    // 7z cannot repeat a compressed piece: the member is compressed whole, so it is kept at 256 MiB, four
    // times the default floor (64 MiB) and 4,000 times the archive.
    write_7z_member(&path, header, &fill, 256 * MIB);
    assert!(file_size(&path) < MIB, "a small file: {}", file_size(&path));
    assert_refused(
        "insee-iris",
        &path,
        &["base-ic-evol-struct-pop-2021.csv", "une fois décompressé"],
    );
}

fn write_7z_member(path: &Path, header: &str, fill: &[u8], bytes: u64) {
    bombs::write_7z(
        path,
        "base-ic-evol-struct-pop-2021.csv",
        &[Piece::once(header.as_bytes()), Piece::filling(fill, bytes)],
    );
}

#[test]
fn xlsx_with_a_1_gib_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apl-fixture-bombe.xlsx");
    let fill = chunk(b'A', CHUNK);
    bombs::write_xlsx_with_cell(&path, &[Piece::filling(&fill, GIB)]);
    assert!(
        file_size(&path) < 2 * MIB,
        "a small file: {}",
        file_size(&path)
    );
    assert_refused(
        "apl-drees",
        &path,
        &[
            "apl-fixture-bombe.xlsx",
            "xl/worksheets/sheet1.xml",
            "une fois décompressé",
        ],
    );
}

/// Within the expansion floor, a cell longer than a spreadsheet allows is refused by the cell bound, at its
/// sheet and row, before calamine buffers it.
#[test]
fn xlsx_with_a_cell_beyond_the_cell_bound() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apl-fixture-cellule.xlsx");
    let fill = chunk(b'A', MIB);
    bombs::write_xlsx_with_cell(&path, &[Piece::filling(&fill, 8 * MIB)]);
    assert_refused(
        "apl-drees",
        &path,
        &["feuille « Feuille1 »", "ligne 1", "dépasse 128 Ko"],
    );
}

/// Two filled cells, at A1 and at the last cell a sheet has (XFD1048576): calamine would hold the 17 billion
/// cells between them (550 GB). Refused by the sheet's area, named.
#[test]
fn xlsx_with_two_cells_far_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apl-fixture-etendue.xlsx");
    bombs::write_xlsx(
        &path,
        &[Piece::once(
            b"<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\
              <row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row>",
        )],
    );
    assert_refused(
        "apl-drees",
        &path,
        &[
            "feuille « Feuille1 »",
            "17180 millions de cellules",
            "limite de 8 millions",
        ],
    );
}

#[tokio::test]
async fn geopackage_with_a_huge_geometry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contours-fixture-bombe.gpkg");
    bombs::write_gpkg_with_geometry(&path, 65 * MIB).await;
    assert_refused(
        "contours",
        &path,
        &[
            "couche « communes »",
            "objet n° 1",
            "géométrie de plus de 64 Mo",
        ],
    );
}

/// A GeoJSON feature of 16 MiB (within the 64 MiB of text a feature may have) holding 2.8 million positions
/// `[0,0]`, or as many numbers in its properties: parsed, each would cost ten times its text. Refused by the
/// count of its JSON values (three a position), at feature 1.
#[test]
fn geojson_with_a_feature_of_millions_of_positions() {
    let dir = tempfile::tempdir().unwrap();
    for (name, start, item, end) in [
        (
            "contours-fixture-sommets.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"69123","nom":"Fixture"},"geometry":{"type":"Polygon","coordinates":[["#,
            "[0,0],",
            "[0,0]]]}}]}",
        ),
        (
            "contours-fixture-attributs.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"69123","x":["#,
            "0,0,0,",
            r#"0]},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1],[0,0]]]}}]}"#,
        ),
    ] {
        let path = dir.path().join(name);
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let chunk = item.repeat(1 << 20);
        std::io::Write::write_all(&mut file, start.as_bytes()).unwrap();
        for _ in 0..(16 * MIB / chunk.len() as u64) {
            std::io::Write::write_all(&mut file, chunk.as_bytes()).unwrap();
        }
        std::io::Write::write_all(&mut file, end.as_bytes()).unwrap();
        drop(file);
        assert_refused(
            "contours",
            &path,
            &[name, "objet n° 1", "de plus de 699050 sommets"],
        );
    }
}

/// A `communes.json` whose second element holds 4 million numbers (8 MB of text, 128 MB once parsed):
/// refused by the element's count of JSON values, at its index.
#[test]
fn communes_json_with_a_huge_element() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("communes-fixture-bombe.json");
    let text = format!(
        r#"[{{"code":"69123","nom":"Fixture","type":"commune-actuelle"}},{{"code":"69124","nom":"Fixture","x":[{}0]}}]"#,
        "0,".repeat(4 << 20)
    );
    std::fs::write(&path, text).unwrap();
    assert_refused(
        "communes",
        &path,
        &["objet n° 2", "élément de plus de 2097152 valeurs"],
    );
}

/// An `.xz` whose header asks the decoder for a 1.5 GiB dictionary (the encoded text is small): refused
/// before anything is allocated for it (the decoder's memory is bounded by `Limits::decoder_memory_bytes`).
#[test]
fn xz_asking_for_a_huge_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("adresses-69-fixture-dictionnaire.csv.xz");
    bombs::write_xz(&path, &[Piece::once(b"id;numero\n1;2\n")]);
    let mut xz = std::fs::read(&path).unwrap();
    // The block header follows the 12-byte stream header: its size, its flags, the optional sizes, then
    // the LZMA2 filter (id 0x21, one byte of properties: the dictionary size code) and its CRC32.
    let start = 12;
    let header_len = (usize::from(xz[start]) + 1) * 4;
    let flags = xz[start + 1];
    let mut at = start + 2;
    for present in [flags & 0x40 != 0, flags & 0x80 != 0] {
        if present {
            while xz[at] & 0x80 != 0 {
                at += 1;
            }
            at += 1;
        }
    }
    assert_eq!((xz[at], xz[at + 1]), (0x21, 1), "the LZMA2 filter");
    xz[at + 2] = 39; // 1.5 GiB
    let mut crc = flate2::Crc::new();
    crc.update(&xz[start..start + header_len - 4]);
    xz[start + header_len - 4..start + header_len].copy_from_slice(&crc.sum().to_le_bytes());
    std::fs::write(&path, xz).unwrap();
    assert_refused(
        "ban",
        &path,
        &[
            "adresses-69-fixture-dictionnaire.csv.xz",
            "demande plus de 256 Mo de mémoire",
        ],
    );
}

/// A name beyond the bound (500 characters) is refused, located, rather than written into the store.
#[test]
fn names_beyond_the_bound_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_fixture-nom.txt");
    let text = maillage_testkit::fixtures::annuaire::fixture_text().replacen(
        "|FIXTURE-MARTIN|",
        &format!("|{}|", "A".repeat(600)),
        1,
    );
    std::fs::write(&path, text).unwrap();
    assert_refused(
        "annuaire",
        &path,
        &[
            "ligne 2",
            "Nom d'exercice",
            "de plus de 500 caractères",
            "…",
        ],
    );
}

/// The limits are the command line's to set: `--limite-ligne` and `--limite-nom` lower them for one import
/// (a 2 MiB line and a 14-character name, accepted by default, are then refused).
#[test]
fn limits_given_on_the_command_line_apply() {
    let dir = tempfile::tempdir().unwrap();
    let ban = dir.path().join("adresses-69-fixture-ligne.csv");
    let header =
        "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;x;y;lon;lat\n";
    std::fs::write(&ban, format!("{header}{}\n", "x".repeat(2 << 20))).unwrap();
    let annuaire = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_fixture.txt");
    std::fs::write(
        &annuaire,
        maillage_testkit::fixtures::annuaire::fixture_text(),
    )
    .unwrap();
    for (kind, file, limit, expected) in [
        (
            "ban",
            &ban,
            ["--limite-ligne", "1M"],
            "ligne de plus de 1 Mo",
        ),
        (
            "annuaire",
            &annuaire,
            ["--limite-nom", "10"],
            "nom « FIXTURE-MARTIN » de plus de 10 caractères",
        ),
    ] {
        let base = TestBase::sqlite();
        let mut args = vec!["import", kind, file.to_str().unwrap()];
        args.extend(limit);
        let out = refused(&base.location, &args);
        assert!(out.stderr.contains(expected), "{}", out.stderr);
    }
}
