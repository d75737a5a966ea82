//! INSEE and BAN files whose columns are renamed, reordered or added to, imported end to end on both
//! backends: the same figures as the published layout, unknown columns in the report, a zipped INSEE CSV,
//! and a missing required column refused at its header with the store unchanged. Fixtures are the
//! repository's INSEE and BAN fixtures rewritten at test time (not real data).

use maillage_formats::{FormatErrorKind, WarningKind};
use maillage_store::imports::{self, Silent};
use maillage_store::session::ImportNote;
use maillage_store::zones::{self, ZoneKind};
use maillage_store::{Store, StoreError, batch};
use maillage_testkit::TestBase;
use maillage_testkit::format_fixture as fixture;

/// A `;` file with its header renamed by `rename`, its columns reversed and `extra` added in front.
fn reshaped(rel: &str, rename: &dyn Fn(&str) -> String, extra: (&str, &str)) -> String {
    let text = std::fs::read_to_string(fixture(rel)).unwrap();
    let width = text.lines().next().unwrap().split(';').count();
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let mut fields: Vec<String> = line
            .split(';')
            .map(|f| if n == 0 { rename(f) } else { f.to_string() })
            .collect();
        fields.resize(width, String::new());
        fields.reverse();
        let first = if n == 0 { extra.0 } else { extra.1 };
        out.push_str(&format!("{first};{}\n", fields.join(";")));
    }
    out
}

fn insee_2022() -> String {
    reshaped(
        "insee/base-ic-evol-struct-pop-2020.CSV",
        &|h| match h {
            "IRIS" => "CODE_IRIS".into(),
            "COM" => "Code commune".into(),
            h => h.replacen("20_", "22_", 1),
        },
        ("DEP", "69"),
    )
}

fn ban_renamed(drop_lat: bool) -> String {
    reshaped(
        "ban/adresses-69.csv",
        &|h| match h {
            "code_insee" => "commune_insee".into(),
            "lon" => "longitude".into(),
            "lat" if drop_lat => "latitude_approchee".into(),
            "lat" => "latitude".into(),
            h => h.into(),
        },
        ("date_der_maj", "2026-11-02"),
    )
}

fn unknown_columns(notes: &[ImportNote]) -> Vec<String> {
    notes
        .iter()
        .filter_map(|n| match n {
            ImportNote::Format { warning } => match &warning.kind {
                WarningKind::UnknownColumns { columns } => Some(columns.clone()),
                _ => None,
            },
            _ => None,
        })
        .flatten()
        .collect()
}

/// IRIS zones with their populations, and the number of batches.
async fn state(store: &Store) -> (String, usize) {
    let iris: Vec<_> = zones::list(store)
        .await
        .unwrap()
        .into_iter()
        .filter(|z| z.kind == ZoneKind::Iris)
        .map(|z| {
            format!(
                "{} {:?}",
                z.code,
                z.population.map(|p| (p.value, p.vintage))
            )
        })
        .collect();
    (iris.join("\n"), batch::list(store).await.unwrap().len())
}

#[tokio::test]
async fn insee_zip_and_ban_by_name_import_and_missing_columns_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let insee_zip = dir.path().join("base-ic-evol-struct-pop-2022_csv.zip");
    maillage_testkit::fixtures::write_zip(
        &insee_zip,
        &[("base-ic-evol-struct-pop-2022.CSV", insee_2022().as_bytes())],
    );
    let no_iris = dir.path().join("base-ic-evol-struct-pop-2022.CSV");
    std::fs::write(&no_iris, insee_2022().replacen("CODE_IRIS", "ZONE", 1)).unwrap();
    let ban = dir.path().join("adresses-69.csv");
    std::fs::write(&ban, ban_renamed(false)).unwrap();
    let ban_no_lat = dir.path().join("adresses-69-sans-lat.csv");
    std::fs::write(&ban_no_lat, ban_renamed(true)).unwrap();

    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let i = imports::insee::import(&store, &insee_zip, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (i.vintage.as_deref(), i.counts.inserted),
            (Some("2022"), 5),
            "{}",
            base.backend
        );
        assert_eq!(unknown_columns(&i.notes), ["DEP"]);
        let (iris, _) = state(&store).await;
        assert!(iris.contains("693830101 Some((2457.3821, 2022))"), "{iris}");

        let (b, _) = imports::ban::import(&store, &ban, &Silent).await.unwrap();
        assert_eq!(b.counts.inserted, 7, "{:?}", b.counts);
        assert_eq!(unknown_columns(&b.notes), ["date_der_maj"]);

        let before = state(&store).await;
        for (case, result, column) in [
            (
                "INSEE sans IRIS",
                imports::insee::import(&store, &no_iris, &Silent)
                    .await
                    .map(|_| ()),
                "IRIS",
            ),
            (
                "BAN sans lat",
                imports::ban::import(&store, &ban_no_lat, &Silent)
                    .await
                    .map(|_| ()),
                "lat",
            ),
        ] {
            match result {
                Err(StoreError::Format(e)) => {
                    assert_eq!(
                        e.kind,
                        FormatErrorKind::MissingColumn {
                            column: column.into()
                        },
                        "{case}"
                    );
                    assert_eq!(e.location.line, Some(1), "{case}");
                }
                other => panic!("{case}: expected a format error, got {other:?}"),
            }
            assert_eq!(
                state(&store).await,
                before,
                "{case}: the store is unchanged"
            );
        }
    }
}
