//! Exports of the observatory on the demonstration territory, through a real server on each backend: CSV and
//! XLSX of every table (read back, and checked against the JSON API), GeoJSON and GeoPackage of the zones with
//! their indicators (the GeoPackage read back with SQLite, and by `ogrinfo` when GDAL is installed), the
//! filters of the page, the caller's communes, statistical secrecy, permissions, file names and the audit log.

use crate::common;

use common::{Server, get_bytes};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use serde_json::Value;
use sqlx::{Connection, Row};
use std::collections::{BTreeMap, BTreeSet};

const COMMUNE: &str = maillage_demo::model::COMMUNE_CODE;

/// A CSV export read back: the header and the rows, by column name.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 BOM for Excel"
    );
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    assert!(
        text.contains("\r\n") || !text.contains('\n'),
        "CRLF line ends"
    );
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

/// A French decimal ("12,5") as a number.
fn fr_number(s: &str) -> f64 {
    s.replace(',', ".")
        .parse()
        .unwrap_or_else(|_| panic!("a number: {s}"))
}

/// The API's indicator lines by (indicator, zone kind, zone code, profession).
fn api_index(api: &Value) -> BTreeMap<(String, String, String, String), Value> {
    api["lignes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let k = |f: &str| l[f].as_str().unwrap().to_string();
            (
                (
                    k("indicateur"),
                    k("type_zone"),
                    k("code_zone"),
                    k("profession"),
                ),
                l.clone(),
            )
        })
        .collect()
}

fn assert_download(headers: &hyper::HeaderMap, stem: &str, extension: &str) {
    let today = jiff::Zoned::now().date().to_string();
    let expected = format!(
        "attachment; filename=\"maillage-{stem}-bellerive-sur-clain-fictive-{today}.{extension}\""
    );
    assert_eq!(headers["content-disposition"], expected.as_str());
}

#[tokio::test]
async fn exports_follow_the_filters_the_scope_and_secrecy() {
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        common::account(&store, "observatoire", &[Role::Observatoire]).await;
        common::account(&store, "partenaire", &[Role::Partenaire]).await;
        common::account(&store, "elu", &[Role::Elu]).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let mut obs = server.client();
        obs.login_ok("observatoire").await;
        let mut exports = 0;

        // Indicators, with the page's filters: IRIS and general practitioners only.
        let filters = "type=iris&profession=medecin_generaliste";
        let (status, headers, bytes) = get_bytes(
            &obs,
            &format!("/observatoire/export/indicateurs.csv?{filters}"),
        )
        .await;
        exports += 1;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        assert_download(&headers, "indicateurs", "csv");
        let (header, rows) = read_csv(&bytes);
        assert_eq!(header[0], "Indicateur");
        let api = api_index(
            &obs.get("/api/v1/indicateurs?type_zone=iris&profession=medecin_generaliste")
                .await
                .json(),
        );
        assert!(!rows.is_empty());
        assert_eq!(rows.len(), api.len(), "the same rows as the API");
        for r in &rows {
            assert_eq!(r["Type de zone"], "iris");
            assert_eq!(r["Code profession"], "medecin_generaliste");
            let key = (
                r["Code indicateur"].clone(),
                "iris".to_string(),
                r["Code zone"].clone(),
                "medecin_generaliste".to_string(),
            );
            let line = &api[&key];
            match line["valeur"].as_f64() {
                Some(v) => assert!((fr_number(&r["Valeur"]) - v).abs() < 1e-9, "{key:?}"),
                None => assert_eq!(r["Valeur"], ""),
            }
            assert_eq!(
                r["Secret statistique"], "non",
                "fine figures for the observatory"
            );
        }

        // The same table as XLSX: numbers stay numbers, the notes sheet says where they come from.
        let (status, headers, xlsx) = get_bytes(
            &obs,
            &format!("/observatoire/export/indicateurs.xlsx?{filters}"),
        )
        .await;
        exports += 1;
        assert_eq!(status, 200);
        assert_download(&headers, "indicateurs", "xlsx");
        {
            use calamine::{Data, Reader, Xlsx};
            let mut book: Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
            let sheet = book.worksheet_range("Indicateurs").unwrap();
            let table: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
            assert_eq!(table.len(), rows.len() + 1);
            let col = |name: &str| {
                table[0]
                    .iter()
                    .position(|c| matches!(c, Data::String(s) if s == name))
                    .unwrap()
            };
            let (code, zone, value) = (col("Code indicateur"), col("Code zone"), col("Valeur"));
            for line in &table[1..] {
                let key = (
                    line[code].to_string(),
                    "iris".to_string(),
                    line[zone].to_string(),
                    "medecin_generaliste".to_string(),
                );
                match (&line[value], api[&key]["valeur"].as_f64()) {
                    (Data::Float(x), Some(v)) => assert!((x - v).abs() < 1e-9),
                    (Data::Empty, None) => {}
                    other => panic!("{key:?}: {other:?}"),
                }
            }
            let notes = book.worksheet_range("Sources et méthodes").unwrap();
            let text: String = notes.rows().flatten().map(|c| c.to_string()).collect();
            assert!(text.contains("Bellerive-sur-Clain"));
            assert!(text.contains("non appliqué"));
            assert!(text.contains("type de zone : iris"));
        }

        // Zones with their population.
        let (status, _, bytes) =
            get_bytes(&obs, "/observatoire/export/zones.csv?type=quartier").await;
        exports += 1;
        assert_eq!(status, 200);
        let (_, zone_rows) = read_csv(&bytes);
        let api_zones = obs.get("/api/v1/zones?type=quartier").await.json();
        let api_zones = api_zones["zones"].as_array().unwrap();
        assert_eq!(zone_rows.len(), api_zones.len());
        for (r, z) in zone_rows.iter().zip(api_zones) {
            assert_eq!(r["Code"], z["code"].as_str().unwrap());
            assert!((fr_number(&r["Population"]) - z["population"].as_f64().unwrap()).abs() < 1e-6);
        }

        // GeoJSON of the IRIS with their indicators.
        let (status, headers, bytes) =
            get_bytes(&obs, "/observatoire/export/zones.geojson?type=iris").await;
        exports += 1;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "application/geo+json");
        let geojson: Value = serde_json::from_slice(&bytes).unwrap();
        let features = geojson["features"].as_array().unwrap();
        let iris_api = api_index(&obs.get("/api/v1/indicateurs?type_zone=iris").await.json());
        let iris_count = obs.get("/api/v1/zones?type=iris").await.json()["zones"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(features.len(), iris_count);
        for f in features {
            assert_eq!(f["geometry"]["type"], "MultiPolygon");
            let code = f["properties"]["code"].as_str().unwrap();
            let key = (
                "densite_10000".to_string(),
                "iris".to_string(),
                code.to_string(),
                "infirmier".to_string(),
            );
            assert_eq!(
                f["properties"]["densite_10000_infirmier"].as_f64(),
                iris_api[&key]["valeur"].as_f64()
            );
        }

        // GeoPackage of the same zones, read back as what it is: an SQLite file following OGC 12-128.
        let (status, headers, gpkg) =
            get_bytes(&obs, "/observatoire/export/zones.gpkg?type=iris").await;
        exports += 1;
        assert_eq!(status, 200);
        assert_download(&headers, "zones", "gpkg");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("zones.gpkg");
        std::fs::write(&file, &gpkg).unwrap();
        check_geopackage(&file, features).await;

        // Professionals, for a role allowed names: the same list as the API.
        let (status, _, bytes) = get_bytes(
            &obs,
            "/observatoire/export/professionnels.csv?profession=infirmier",
        )
        .await;
        exports += 1;
        assert_eq!(status, 200);
        let (_, people) = read_csv(&bytes);
        let listed = obs
            .get("/api/v1/professionnels?profession=infirmier")
            .await
            .json();
        // (the API listing is audited as a listing, not as an export)
        assert_eq!(
            people.len(),
            listed["professionnels"].as_array().unwrap().len()
        );
        assert!(people.iter().all(|p| p["Code profession"] == "infirmier"));

        // Import history.
        let (status, _, bytes) = get_bytes(&obs, "/observatoire/export/imports.xlsx").await;
        exports += 1;
        assert_eq!(status, 200);
        {
            use calamine::{Reader, Xlsx};
            let mut book: Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let sheet = book.worksheet_range("Imports").unwrap();
            let batches = maillage_store::batch::list(&store).await.unwrap();
            assert_eq!(sheet.height(), batches.len() + 1);
        }

        // A partner: secrecy always, small counts shown "< 5" exactly where the API hides them.
        let mut partner = server.client();
        partner.login_ok("partenaire").await;
        let (status, _, bytes) =
            get_bytes(&partner, "/observatoire/export/indicateurs.csv?type=iris").await;
        exports += 1;
        assert_eq!(status, 200);
        let (_, prow) = read_csv(&bytes);
        let papi = api_index(
            &partner
                .get("/api/v1/indicateurs?type_zone=iris")
                .await
                .json(),
        );
        let mut hidden = 0;
        for r in &prow {
            let key = (
                r["Code indicateur"].clone(),
                "iris".to_string(),
                r["Code zone"].clone(),
                r["Code profession"].clone(),
            );
            let secret = papi[&key]["secret"].as_bool().unwrap();
            assert_eq!(
                r["Secret statistique"].starts_with("oui"),
                secret,
                "{key:?}"
            );
            if secret {
                hidden += 1;
                // A count below the threshold says "< 5"; a count hidden to protect another, or a density
                // computed from a hidden count, says "s" and never a bound.
                let motif = papi[&key]["motif_secret"].as_str().unwrap();
                let below = motif == "seuil";
                assert_eq!(
                    r["Secret statistique"],
                    if below {
                        "oui : effectif sous le seuil"
                    } else {
                        "oui : secret secondaire"
                    },
                    "{key:?}"
                );
                let count = r["Code indicateur"] == "effectif";
                assert_eq!(
                    r["Valeur"],
                    if below && count { "< 5" } else { "s" },
                    "{key:?}"
                );
                let counted = count || r["Code indicateur"].starts_with("densite_");
                assert_eq!(
                    r["Numérateur"],
                    if below && counted { "< 5" } else { "s" },
                    "{key:?}"
                );
            }
        }
        assert!(hidden > 0, "the demonstration has small counts by IRIS");
        // Names are not for partners, nor for elected officials.
        assert_eq!(
            get_bytes(&partner, "/observatoire/export/professionnels.csv")
                .await
                .0,
            403
        );
        let mut elu = server.client();
        elu.login_ok("elu").await;
        assert_eq!(
            get_bytes(&elu, "/observatoire/export/professionnels.xlsx")
                .await
                .0,
            403
        );
        // The observatory asking for figures to share gets them under secrecy too.
        let (_, _, bytes) = get_bytes(
            &obs,
            "/observatoire/export/zones.geojson?type=iris&diffusion=1",
        )
        .await;
        exports += 1;
        let shared: Value = serde_json::from_slice(&bytes).unwrap();
        assert!(
            shared["features"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["properties"]["secret_effectif_medecin_generaliste"] == 1)
        );

        // Bad filters are explained in French, and nothing is exported.
        let (status, _, body) = get_bytes(
            &obs,
            "/observatoire/export/indicateurs.csv?profession=sorcier",
        )
        .await;
        assert_eq!(status, 400);
        assert!(String::from_utf8_lossy(&body).contains("Profession inconnue « sorcier »"));

        // Every export is in the audit log, with its file name and filters.
        let entries = common::audit_actions(&store, "observatoire.export").await;
        assert_eq!(entries.len(), exports);
        let first: Value = serde_json::from_str(&entries[0].details).unwrap();
        assert_eq!(first["filtres"], filters);
        assert!(
            first["fichier"]
                .as_str()
                .unwrap()
                .starts_with("maillage-indicateurs-bellerive-sur-clain-fictive-")
        );
        assert_eq!(
            entries[0].target,
            "export:/observatoire/export/indicateurs.csv"
        );
        server.stop().await;
    }
}

/// Reads a GeoPackage back: the pragmas and tables the standard requires, and each geometry decoded from its
/// GeoPackage binary header and WKB, compared with the GeoJSON export of the same zones.
async fn check_geopackage(file: &std::path::Path, features: &[Value]) {
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let app: i64 = sqlx::query_scalar("PRAGMA application_id")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(app, 0x4750_4B47, "application_id GPKG");
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(version, 10400);
    let srs: Vec<i64> =
        sqlx::query_scalar("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(srs, vec![-1, 0, 4326]);
    let contents = sqlx::query(
        "SELECT table_name, data_type, srs_id, min_x, max_y FROM gpkg_contents ORDER BY table_name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let kinds: BTreeSet<(String, String)> = contents
        .iter()
        .map(|r| (r.get("table_name"), r.get("data_type")))
        .collect();
    assert!(kinds.contains(&("zones".into(), "features".into())));
    assert!(kinds.contains(&("sources_et_methodes".into(), "attributes".into())));
    let geom = sqlx::query("SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'zones'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(geom.get::<String, _>("column_name"), "geom");
    assert_eq!(geom.get::<String, _>("geometry_type_name"), "MULTIPOLYGON");
    assert_eq!(geom.get::<i64, _>("srs_id"), 4326);

    let rows = sqlx::query("SELECT code, geom, densite_10000_infirmier FROM zones ORDER BY fid")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), features.len());
    for (row, f) in rows.iter().zip(features) {
        let code: String = row.get("code");
        assert_eq!(code, f["properties"]["code"].as_str().unwrap());
        assert_eq!(
            row.get::<Option<f64>, _>("densite_10000_infirmier"),
            f["properties"]["densite_10000_infirmier"].as_f64()
        );
        let blob: Vec<u8> = row.get("geom");
        assert_eq!(&blob[..3], b"GP\0");
        assert_eq!(blob[3] & 0b1, 1, "little endian");
        assert_eq!(
            (blob[3] >> 1) & 0b111,
            1,
            "envelope [minx, maxx, miny, maxy]"
        );
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 4326);
        let env: Vec<f64> = (0..4)
            .map(|i| f64::from_le_bytes(blob[8 + 8 * i..16 + 8 * i].try_into().unwrap()))
            .collect();
        let polygons = decode_wkb_multipolygon(&blob[40..]);
        let expected: Vec<Vec<Vec<[f64; 2]>>> =
            serde_json::from_value(f["geometry"]["coordinates"].clone()).unwrap();
        assert_eq!(polygons, expected, "geometry of {code}");
        let xs = expected.iter().flatten().flatten().map(|p| p[0]);
        let ys = expected.iter().flatten().flatten().map(|p| p[1]);
        assert_eq!(env[0], xs.clone().fold(f64::INFINITY, f64::min));
        assert_eq!(env[1], xs.fold(f64::NEG_INFINITY, f64::max));
        assert_eq!(env[2], ys.clone().fold(f64::INFINITY, f64::min));
        assert_eq!(env[3], ys.fold(f64::NEG_INFINITY, f64::max));
    }
    let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sources_et_methodes")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(notes > 5);
    conn.close().await.unwrap();

    // GDAL, when installed, opens it as QGIS would.
    match std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
    {
        Ok(_) => {
            let out = std::process::Command::new("ogrinfo")
                .args(["-ro", "-so", "-al"])
                .arg(file)
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let errors = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "ogrinfo: {errors}");
            assert!(!errors.contains("ERROR"), "ogrinfo: {errors}");
            assert!(text.contains("Layer name: zones"), "{text}");
            assert!(text.contains("Geometry: Multi Polygon"), "{text}");
            assert!(
                text.contains(&format!("Feature Count: {}", features.len())),
                "{text}"
            );
            assert!(
                text.contains("EPSG\",4326") || text.contains("WGS 84"),
                "{text}"
            );
        }
        Err(_) => eprintln!(
            "SKIPPED: ogrinfo absent (paquet Debian gdal-bin) : lecture par GDAL non vérifiée"
        ),
    }
}

/// Decodes little-endian WKB of a multipolygon into GeoJSON-like nested coordinates.
fn decode_wkb_multipolygon(w: &[u8]) -> Vec<Vec<Vec<[f64; 2]>>> {
    let mut at = 0;
    let u32_ = |w: &[u8], at: &mut usize| {
        let v = u32::from_le_bytes(w[*at..*at + 4].try_into().unwrap());
        *at += 4;
        v
    };
    let f64_ = |w: &[u8], at: &mut usize| {
        let v = f64::from_le_bytes(w[*at..*at + 8].try_into().unwrap());
        *at += 8;
        v
    };
    assert_eq!(w[at], 1);
    at += 1;
    assert_eq!(u32_(w, &mut at), 6, "MultiPolygon");
    let n = u32_(w, &mut at);
    let mut polygons = Vec::new();
    for _ in 0..n {
        assert_eq!(w[at], 1);
        at += 1;
        assert_eq!(u32_(w, &mut at), 3, "Polygon");
        let rings = u32_(w, &mut at);
        let mut poly = Vec::new();
        for _ in 0..rings {
            let points = u32_(w, &mut at);
            poly.push(
                (0..points)
                    .map(|_| [f64_(w, &mut at), f64_(w, &mut at)])
                    .collect(),
            );
        }
        polygons.push(poly);
    }
    assert_eq!(at, w.len(), "nothing after the geometry");
    polygons
}

#[tokio::test]
async fn an_export_holds_only_the_callers_communes() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    let form = maillage_web::users::UserForm {
        identifier: "voisin".into(),
        display_name: "Commune voisine".into(),
        password: common::PASSWORD.into(),
        roles: [Role::Observatoire].into_iter().collect(),
        territories: ["99102".to_string()].into_iter().collect(),
        all_territories: false,
    };
    maillage_web::users::create(&store, &maillage_web::audit::Actor::command_line(), &form)
        .await
        .unwrap();
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let mut c = server.client();
    c.login_ok("voisin").await;
    for path in [
        "/observatoire/export/indicateurs.csv",
        "/observatoire/export/zones.csv",
        "/observatoire/export/professionnels.csv",
    ] {
        let (status, _, bytes) = get_bytes(&c, path).await;
        assert_eq!(status, 200, "{path}");
        let (header, rows) = read_csv(&bytes);
        assert!(!header.is_empty());
        assert!(
            rows.iter().all(|r| !r.values().any(|v| v == COMMUNE)),
            "{path}: nothing of commune {COMMUNE} for an account of commune 99102"
        );
        assert!(
            rows.is_empty(),
            "{path}: 99102 is in the buffer, not the territory"
        );
    }
    server.stop().await;
}
