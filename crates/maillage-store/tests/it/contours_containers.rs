//! Contours as IGN and ANCT ship them: a GeoPackage (alone or inside a 7z), IRIS layers with the recent and
//! the older attribute names, Polygon and MultiPolygon, Lambert-93 and WGS84, QPV with 2024 `QN` codes; the
//! real Lyon Shapefile converted to a GeoPackage at test time; and malformed containers changing nothing.
//!
//! Every GeoPackage and archive here is a FIXTURE built at test time (not real data), in the published layout.

use crate::common::snapshot;
use geo::{BoundingRect, Coord};
use maillage_formats::FormatErrorKind;
use maillage_formats::crs::{self, Crs};
use maillage_store::imports::{self, Silent};
use maillage_store::zones::{self, ZoneKind};
use maillage_store::{Store, StoreError};
use maillage_testkit::fixtures::write_zip;
use maillage_testkit::{TestBase, shared_data};
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, Connection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One polygon: rings of (x, y) in the layer's system.
type Polygon = Vec<Vec<(f64, f64)>>;

/// One feature row: its attributes (in column order) and its polygons (one: a Polygon; more: a MultiPolygon).
type FeatureRow<'a> = (Vec<(&'a str, Value)>, Vec<Polygon>);

struct Layer<'a> {
    table: &'a str,
    geometry_type: &'a str,
    epsg: i64,
    rows: Vec<FeatureRow<'a>>,
    /// Columns of an empty layer (taken from the first row otherwise).
    columns: Vec<&'a str>,
}

fn wkb_polygon(out: &mut Vec<u8>, polygon: &Polygon) {
    out.push(1);
    out.extend(3u32.to_le_bytes());
    out.extend((polygon.len() as u32).to_le_bytes());
    for ring in polygon {
        out.extend((ring.len() as u32).to_le_bytes());
        for (x, y) in ring {
            out.extend(x.to_le_bytes());
            out.extend(y.to_le_bytes());
        }
    }
}

/// GeoPackage binary geometry: `GP`, version 0, flags (little-endian, envelope [minx, maxx, miny, maxy]),
/// srs id, envelope, then WKB (a Polygon for one polygon, a MultiPolygon otherwise).
fn gpkg_geometry(epsg: i64, polygons: &[Polygon]) -> Vec<u8> {
    let mut b = b"GP\x00\x03".to_vec();
    b.extend((epsg as i32).to_le_bytes());
    let points = || polygons.iter().flatten().flatten();
    let xs = points().map(|p| p.0);
    let (minx, maxx) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let ys = points().map(|p| p.1);
    let (miny, maxy) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    for v in [minx, maxx, miny, maxy] {
        b.extend(v.to_le_bytes());
    }
    if let [one] = polygons {
        wkb_polygon(&mut b, one);
    } else {
        b.push(1);
        b.extend(6u32.to_le_bytes());
        b.extend((polygons.len() as u32).to_le_bytes());
        for p in polygons {
            wkb_polygon(&mut b, p);
        }
    }
    b
}

const LAMBERT93_WKT: &str = "PROJCS[\"RGF93 v1 / Lambert-93\",AUTHORITY[\"EPSG\",\"2154\"]]";
const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",AUTHORITY[\"EPSG\",\"4326\"]]";

/// Writes a GeoPackage of the given layers with sqlx (the metadata tables of OGC 12-128 the reader uses).
async fn write_gpkg(path: &Path, layers: &[Layer<'_>]) {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
    for sql in [
        "PRAGMA application_id = 1196444487",
        "PRAGMA user_version = 10400",
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, \
         organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, \
         description TEXT)",
        "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, \
         identifier TEXT UNIQUE, srs_id INTEGER)",
        "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, \
         geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL)",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    for (name, id, wkt) in [
        ("RGF93 v1 / Lambert-93", 2154, LAMBERT93_WKT),
        ("WGS 84", 4326, WGS84_WKT),
    ] {
        sqlx::query("INSERT INTO gpkg_spatial_ref_sys VALUES ($1, $2, 'EPSG', $2, $3, NULL)")
            .bind(name)
            .bind(id)
            .bind(wkt)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    for layer in layers {
        let columns: Vec<&str> = match layer.rows.first() {
            Some((attrs, _)) => attrs.iter().map(|(n, _)| *n).collect(),
            None => layer.columns.clone(),
        };
        let defs: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        sqlx::query(AssertSqlSafe(format!(
            "CREATE TABLE \"{}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, {})",
            layer.table,
            defs.join(", ")
        )))
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query("INSERT INTO gpkg_contents VALUES ($1, 'features', $1, $2)")
            .bind(layer.table)
            .bind(layer.epsg)
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("INSERT INTO gpkg_geometry_columns VALUES ($1, 'geom', $2, $3, 0, 0)")
            .bind(layer.table)
            .bind(layer.geometry_type)
            .bind(layer.epsg)
            .execute(&mut conn)
            .await
            .unwrap();
        let params: Vec<String> = (0..columns.len()).map(|i| format!("${}", i + 2)).collect();
        let insert = format!(
            "INSERT INTO \"{}\" (geom, {}) VALUES ($1, {})",
            layer.table,
            defs.join(", "),
            params.join(", ")
        );
        for (attrs, polygons) in &layer.rows {
            let mut q = sqlx::query(AssertSqlSafe(insert.clone()))
                .bind(gpkg_geometry(layer.epsg, polygons));
            for (_, v) in attrs {
                q = match v {
                    Value::String(s) => q.bind(s.clone()),
                    Value::Number(n) if n.is_i64() => q.bind(n.as_i64()),
                    Value::Number(n) => q.bind(n.as_f64()),
                    _ => q.bind(None::<String>),
                };
            }
            q.execute(&mut conn).await.unwrap();
        }
    }
    conn.close().await.unwrap();
}

fn write_7z(path: &Path, members: &[(&str, &Path)]) {
    let mut sz = sevenz_rust2::ArchiveWriter::create(path).unwrap();
    for (name, file) in members {
        sz.push_archive_entry(
            sevenz_rust2::ArchiveEntry::new_file(name),
            Some(std::fs::File::open(file).unwrap()),
        )
        .unwrap();
    }
    sz.finish().unwrap();
}

/// A square of `side` metres at Lambert-93 (x, y), closed.
fn square(x: f64, y: f64, side: f64) -> Polygon {
    vec![vec![
        (x, y),
        (x + side, y),
        (x + side, y + side),
        (x, y + side),
        (x, y),
    ]]
}

/// Two IRIS of Lyon 1er in Lambert-93: the first a Polygon, the second a MultiPolygon of two parts.
fn iris_rows(names: [&str; 6]) -> Vec<FeatureRow<'_>> {
    let [insee, commune, iris, code, name, typ] = names;
    let row = |n: &str, nom: &str, polys: Vec<Polygon>| {
        (
            vec![
                (insee, json!("69381")),
                (commune, json!("Lyon 1er Arrondissement")),
                (iris, json!(n)),
                (code, json!(format!("69381{n}"))),
                (name, json!(nom)),
                (typ, json!("H")),
            ],
            polys,
        )
    };
    vec![
        row(
            "0101",
            "Fixture Terreaux",
            vec![square(842_000.0, 6_519_000.0, 300.0)],
        ),
        row(
            "0102",
            "Fixture Pentes",
            vec![
                square(842_400.0, 6_519_000.0, 200.0),
                square(842_700.0, 6_519_000.0, 100.0),
            ],
        ),
    ]
}

const RECENT: [&str; 6] = [
    "code_insee",
    "nom_commune",
    "iris",
    "code_iris",
    "nom_iris",
    "type_iris",
];
const OLDER: [&str; 6] = [
    "INSEE_COM",
    "NOM_COM",
    "IRIS",
    "CODE_IRIS",
    "NOM_IRIS",
    "TYP_IRIS",
];

fn iris_layer(names: [&str; 6]) -> Layer<'_> {
    Layer {
        table: "contours_iris",
        geometry_type: "MULTIPOLYGON",
        epsg: 2154,
        rows: iris_rows(names),
        columns: vec![],
    }
}

async fn iris_of(store: &Store) -> Vec<(String, String, Option<String>, Value)> {
    zones::list(store)
        .await
        .unwrap()
        .into_iter()
        .filter(|z| z.kind == ZoneKind::Iris)
        .map(|z| (z.code, z.name, z.parent_code, z.attributes))
        .collect()
}

fn expected_iris() -> Vec<(String, String, Option<String>, Value)> {
    [
        ("693810101", "Fixture Terreaux"),
        ("693810102", "Fixture Pentes"),
    ]
    .map(|(c, n)| {
        (
            c.to_string(),
            n.to_string(),
            Some("69381".to_string()),
            json!({"type_iris": "H"}),
        )
    })
    .to_vec()
}

#[tokio::test]
async fn iris_geopackage_inside_a_7z_imports_and_reimports_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("CONTOURS-IRIS.gpkg");
    write_gpkg(&gpkg, &[iris_layer(RECENT)]).await;
    let readme = dir.path().join("LISEZ-MOI.txt");
    std::fs::write(&readme, "Fixture, pas des données réelles.\n").unwrap();
    let archive = dir
        .path()
        .join("CONTOURS-IRIS_3-0__GPKG_LAMB93_FXX_2025-01-01.7z");
    write_7z(
        &archive,
        &[
            ("CONTOURS-IRIS/LISEZ-MOI.txt", readme.as_path()),
            (
                "CONTOURS-IRIS/1_DONNEES_LIVRAISON/CONTOURS-IRIS.gpkg",
                gpkg.as_path(),
            ),
        ],
    );
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let r = imports::contours::import(&store, &archive, None, &Silent)
            .await
            .unwrap();
        assert_eq!(r.counts.inserted, 2, "{}: {:?}", base.backend, r.counts);
        assert_eq!(iris_of(&store).await, expected_iris());
        // Lambert-93 converted to WGS84: the squares lie in Lyon; the second IRIS keeps its two parts.
        let shapes = zones::geometries(&store, &[ZoneKind::Iris]).await.unwrap();
        for (_, _, code, shape) in &shapes {
            let b = shape.bounding_rect().unwrap();
            assert!(
                (4.7..5.0).contains(&b.min().x) && (45.6..45.9).contains(&b.min().y),
                "{code}: {b:?}"
            );
            let parts = if code == "693810102" { 2 } else { 1 };
            assert_eq!(shape.0.len(), parts, "{code}");
        }
        let again = imports::contours::import(&store, &archive, None, &Silent)
            .await
            .unwrap();
        assert_eq!(again.counts.unchanged, 2, "{:?}", again.counts);
        assert_eq!(again.counts.inserted + again.counts.updated, 0);
    }
}

/// A zip holding a GeoJSON (beside a notice) imports the GeoJSON.
#[tokio::test]
async fn geojson_inside_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("qpv-fixture.zip");
    let geojson = br#"{"type":"FeatureCollection","name":"fixture, pas des donnees reelles","features":[{"type":"Feature","properties":{"code_qp":"QN07501A","lib_qp":"Fixture Belleville","insee_com":"75120"},"geometry":{"type":"Polygon","coordinates":[[[2.38,48.87],[2.39,48.87],[2.39,48.88],[2.38,48.87]]]}}]}"#;
    write_zip(
        &archive,
        &[
            ("notice.txt", b"fixture"),
            ("qp/qp-fixture.geojson", geojson),
        ],
    );
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    let r = imports::contours::import(&store, &archive, None, &Silent)
        .await
        .unwrap();
    assert_eq!(r.counts.inserted, 1, "{:?}", r.counts);
    let z = zones::list(&store).await.unwrap();
    assert_eq!(
        (z[0].kind, z[0].code.as_str(), z[0].name.as_str()),
        (ZoneKind::Qpv, "QN07501A", "Fixture Belleville")
    );
}

#[tokio::test]
async fn older_upper_case_names_give_the_same_iris() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("CONTOURS-IRIS_2-1.gpkg");
    write_gpkg(&gpkg, &[iris_layer(OLDER)]).await;
    let store_base = TestBase::sqlite();
    let store = Store::open(&store_base.location).await.unwrap();
    let r = imports::contours::import(&store, &gpkg, None, &Silent)
        .await
        .unwrap();
    assert_eq!(r.counts.inserted, 2, "{:?}", r.counts);
    assert_eq!(iris_of(&store).await, expected_iris());
}

#[tokio::test]
async fn qpv_layer_with_2024_codes_in_wgs84() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("QP2024_France_hexagonale_fixture.gpkg");
    let poly = |lon: f64, lat: f64| -> Polygon {
        vec![vec![
            (lon, lat),
            (lon + 0.01, lat),
            (lon + 0.01, lat + 0.01),
            (lon, lat),
        ]]
    };
    let layer = Layer {
        table: "qp_2024",
        geometry_type: "MULTIPOLYGON",
        epsg: 4326,
        rows: vec![
            (
                vec![
                    ("code_qp", json!("QN06601M")),
                    ("lib_qp", json!("Fixture Bas-Vernet")),
                    ("insee_com", json!("66136")),
                ],
                vec![poly(2.90, 42.70)],
            ),
            (
                vec![
                    ("code_qp", json!("QN06602M")),
                    ("lib_qp", json!("Fixture Champ de Mars")),
                    ("insee_com", json!("66136")),
                ],
                vec![poly(2.88, 42.69), poly(2.86, 42.69)],
            ),
        ],
        columns: vec![],
    };
    write_gpkg(&gpkg, &[layer]).await;
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    let r = imports::contours::import(&store, &gpkg, None, &Silent)
        .await
        .unwrap();
    assert_eq!(r.counts.inserted, 2, "{:?}", r.counts);
    let qpv: Vec<(String, String, Option<String>)> = zones::list(&store)
        .await
        .unwrap()
        .into_iter()
        .filter(|z| z.kind == ZoneKind::Qpv)
        .map(|z| (z.code, z.name, z.parent_code))
        .collect();
    assert_eq!(
        qpv,
        vec![
            (
                "QN06601M".into(),
                "Fixture Bas-Vernet".into(),
                Some("66136".into())
            ),
            (
                "QN06602M".into(),
                "Fixture Champ de Mars".into(),
                Some("66136".into())
            ),
        ]
    );
}

/// The real Lyon IRIS Shapefile, converted at test time into a Lambert-93 GeoPackage (packed in a 7z), imports
/// the same 358 IRIS with the same population as the Shapefile itself.
#[tokio::test]
async fn real_lyon_shapefile_as_a_geopackage_in_a_7z() {
    let Some(shp) = shared_data("iris_lyon/shp/iris.shp") else {
        return;
    };
    let read = maillage_formats::contours::read_contours(&shp, None).unwrap();
    let names: Vec<String> = read.features[0].properties.keys().cloned().collect();
    let to_lambert = |c: &Coord<f64>| crs::from_wgs84(Crs::Lambert93, c.x, c.y).unwrap();
    let rows: Vec<FeatureRow> = read
        .features
        .iter()
        .map(|f| {
            let attrs = names
                .iter()
                .map(|n| {
                    (
                        n.as_str(),
                        f.properties.get(n).cloned().unwrap_or(Value::Null),
                    )
                })
                .collect();
            let polygons = f
                .geometry
                .0
                .iter()
                .map(|p| {
                    std::iter::once(p.exterior())
                        .chain(p.interiors())
                        .map(|ring| ring.coords().map(to_lambert).collect())
                        .collect()
                })
                .collect();
            (attrs, polygons)
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("iris_lyon.gpkg");
    write_gpkg(
        &gpkg,
        &[Layer {
            table: "iris",
            geometry_type: "MULTIPOLYGON",
            epsg: 2154,
            rows,
            columns: vec![],
        }],
    )
    .await;
    let archive = dir.path().join("iris_lyon_gpkg.7z");
    write_7z(&archive, &[("iris_lyon.gpkg", gpkg.as_path())]);

    let from_shp = TestBase::sqlite();
    let shp_store = Store::open(&from_shp.location).await.unwrap();
    imports::contours::import(&shp_store, &shp, None, &Silent)
        .await
        .unwrap();
    let from_gpkg = TestBase::sqlite();
    let gpkg_store = Store::open(&from_gpkg.location).await.unwrap();
    let r = imports::contours::import(&gpkg_store, &archive, None, &Silent)
        .await
        .unwrap();
    assert_eq!(r.counts.inserted, 358, "{:?}", r.counts);
    let summary = |zones: Vec<zones::Zone>| -> BTreeMap<String, (String, Option<String>, f64)> {
        zones
            .into_iter()
            .map(|z| {
                let pop = z.population.map(|p| p.value).unwrap_or(-1.0);
                (z.code, (z.name, z.parent_code, pop))
            })
            .collect()
    };
    let a = summary(zones::list(&shp_store).await.unwrap());
    let b = summary(zones::list(&gpkg_store).await.unwrap());
    assert_eq!(a.len(), 358);
    assert_eq!(a, b);
    let total: f64 = b.values().map(|v| v.2).sum();
    assert_eq!(total, 941_851.0);
}

fn format_error(
    result: Result<impl std::fmt::Debug, StoreError>,
    case: &str,
) -> maillage_formats::FormatError {
    match result {
        Err(StoreError::Format(e)) => *e,
        other => panic!("{case}: expected a format error, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_containers_are_located_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| -> PathBuf { dir.path().join(name) };
    // A good IRIS import first, so that "unchanged" means something.
    let good = path("good.gpkg");
    write_gpkg(&good, &[iris_layer(RECENT)]).await;

    let corrupt = path("CONTOURS-IRIS-tronque.7z");
    write_7z(&corrupt, &[("CONTOURS-IRIS.gpkg", good.as_path())]);
    let bytes = std::fs::read(&corrupt).unwrap();
    std::fs::write(&corrupt, &bytes[..bytes.len() / 2]).unwrap();

    let readme = path("LISEZ-MOI.pdf");
    std::fs::write(&readme, "%PDF-1.4 fixture").unwrap();
    let no_member = path("CONTOURS-IRIS-sans-couche.7z");
    write_7z(&no_member, &[("LISEZ-MOI.pdf", readme.as_path())]);

    let empty = path("vide.gpkg");
    write_gpkg(
        &empty,
        &[Layer {
            table: "contours_iris",
            geometry_type: "MULTIPOLYGON",
            epsg: 2154,
            rows: vec![],
            columns: RECENT.to_vec(),
        }],
    )
    .await;
    let empty_in_7z = path("vide.7z");
    write_7z(&empty_in_7z, &[("dossier/vide.gpkg", empty.as_path())]);

    let points = path("points.gpkg");
    write_gpkg(
        &points,
        &[Layer {
            table: "mairies",
            geometry_type: "POINT",
            epsg: 2154,
            rows: vec![],
            columns: vec!["code_insee"],
        }],
    )
    .await;

    let workbook = path("contours.xlsx");
    write_zip(&workbook, &[("[Content_Types].xml", b"<Types/>")]);

    let annuaire = path("PS_LibreAcces_Personne_activite_fixture.txt");
    std::fs::write(
        &annuaire,
        "Type d'identifiant PP|Identifiant PP|Identification nationale PP|\n",
    )
    .unwrap();

    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        imports::contours::import(&store, &good, None, &Silent)
            .await
            .unwrap();
        let before = snapshot(&store, dir.path()).await;

        let e = format_error(
            imports::contours::import(&store, &corrupt, None, &Silent).await,
            "tronqué",
        );
        assert_eq!(e.location.file, corrupt);
        assert!(
            matches!(e.kind, FormatErrorKind::CorruptArchive { format: "7z", .. }),
            "{e:?}"
        );

        let e = format_error(
            imports::contours::import(&store, &no_member, None, &Silent).await,
            "sans couche",
        );
        assert_eq!(
            e.kind,
            FormatErrorKind::NoMember {
                looked_for: ".gpkg, .shp, .geojson".into(),
                found: vec!["LISEZ-MOI.pdf".into()]
            }
        );

        let e = format_error(
            imports::contours::import(&store, &empty_in_7z, None, &Silent).await,
            "couche vide",
        );
        assert_eq!(e.kind, FormatErrorKind::EmptyLayer);
        assert_eq!(e.location.file, empty_in_7z.join("dossier/vide.gpkg"));
        assert_eq!(e.location.layer.as_deref(), Some("contours_iris"));

        let e = format_error(
            imports::contours::import(&store, &points, None, &Silent).await,
            "points",
        );
        assert_eq!(
            e.kind,
            FormatErrorKind::NoLayer {
                found: vec!["mairies (POINT)".into()]
            }
        );

        let e = format_error(
            imports::contours::import(&store, &annuaire, None, &Silent).await,
            "mauvais type",
        );
        assert_eq!(e.location.file, annuaire);
        match &e.kind {
            FormatErrorKind::WrongKind { hint: Some(h), .. } => assert_eq!(
                maillage_formats::FileKind::from_label(h).and_then(|k| k.import_command()),
                Some("annuaire")
            ),
            other => panic!("mauvais type: {other:?}"),
        }

        let e = format_error(
            imports::contours::import(&store, &workbook, None, &Silent).await,
            "classeur",
        );
        assert!(
            matches!(&e.kind, FormatErrorKind::WrongKind { hint: Some(h), .. } if h == "Excel (xlsx)"),
            "{e:?}"
        );

        assert_eq!(
            snapshot(&store, dir.path()).await,
            before,
            "{}: the store is unchanged",
            base.backend
        );
    }
}

/// The real Lyon Shapefile zipped with its sidecars (as data.gouv.fr bundles are) imports as the Shapefile
/// does; errors and warnings would name the member inside the archive.
#[tokio::test]
async fn real_lyon_shapefile_inside_a_zip() {
    let Some(shp_dir) = shared_data("iris_lyon/shp") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("iris_lyon_shp.zip");
    let parts: Vec<(String, Vec<u8>)> = ["cpg", "dbf", "prj", "qpj", "shp", "shx"]
        .iter()
        .map(|ext| {
            (
                format!("IRIS_LYON/iris.{ext}"),
                std::fs::read(shp_dir.join(format!("iris.{ext}"))).unwrap(),
            )
        })
        .collect();
    let members: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    write_zip(&archive, &members);
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    let r = imports::contours::import(&store, &archive, None, &Silent)
        .await
        .unwrap();
    assert_eq!(r.counts.inserted, 358, "{:?}", r.counts);
    let total: f64 = zones::list(&store)
        .await
        .unwrap()
        .iter()
        .filter_map(|z| z.population.as_ref().map(|p| p.value))
        .sum();
    assert_eq!(total, 941_851.0);
}
