use crate::common::{fixture, shared, temp_file};
use maillage_formats::FormatErrorKind;
use maillage_formats::annuaire::AnnuaireReader;
use maillage_formats::ban::{self, Address, AddressQuery, BanReader, Geocoder, MatchQuality};

#[test]
fn reads_ban_plain_and_gzip() {
    let rows: Vec<_> = BanReader::open(fixture("ban/adresses-69.csv"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 7);
    let a = &rows[1];
    assert_eq!(
        (a.numero, a.rep.as_deref(), a.nom_voie.as_str()),
        (Some(12), None, "Rue de la Part-Dieu")
    );
    assert_eq!(
        (a.code_insee.as_str(), a.code_postal.as_deref()),
        ("69383", Some("69003"))
    );
    assert_eq!((a.x, a.lon, a.lat), (Some(843432.5), 4.845420, 45.758215));
    assert_eq!(a.cad_parcelles, vec!["69383000AB0002", "69383000AB0003"]);
    assert_eq!(a.certification_commune, Some(true));
    assert_eq!(rows[6].numero, None, "99999 is a toponym");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(
        &mut gz,
        &std::fs::read(fixture("ban/adresses-69.csv")).unwrap(),
    )
    .unwrap();
    let (_d, p) = temp_file("adresses-69.csv.gz", &gz.finish().unwrap());
    let gzrows: Vec<_> = BanReader::open(&p)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(gzrows, rows);
}

#[test]
fn ban_errors() {
    let text = std::fs::read_to_string(fixture("ban/adresses-69.csv")).unwrap();
    let (_d, p) = temp_file(
        "adresses.csv",
        text.replacen("4.845420", "484.5420", 1).as_bytes(),
    );
    let e = BanReader::open(&p).unwrap().find_map(Result::err).unwrap();
    assert_eq!(
        e.kind,
        FormatErrorKind::CoordinatesOutOfRange {
            x: 484.542,
            y: 45.758215
        }
    );
    assert_eq!((e.location.line, e.location.column), (Some(3), Some(13)));
    let (_d, p) = temp_file(
        "adresses.csv",
        text.replacen(";Villeurbanne;", ";", 1).as_bytes(),
    );
    let e = BanReader::open(&p).unwrap().find_map(Result::err).unwrap();
    assert_eq!(
        e.kind,
        FormatErrorKind::FieldCount {
            expected: 23,
            found: 22
        }
    );
    assert_eq!(e.location.line, Some(6));
    let e = BanReader::open(fixture("insee/base-ic-evol-struct-pop-2020.CSV"))
        .err()
        .unwrap();
    assert!(
        matches!(e.kind, FormatErrorKind::WrongKind { hint: Some(ref h), .. } if h.starts_with("INSEE"))
    );
}

/// Geocoding the fixture Annuaire against the fixture BAN: Lyon 3e by commune code, Villeurbanne by
/// postcode + name (the Annuaire row has no commune code), with `AV` and `5 B` to unify.
#[test]
fn geocodes_annuaire_addresses() {
    let addresses: Vec<Address> = BanReader::open(fixture("ban/adresses-69.csv"))
        .unwrap()
        .map(|a| Address::from(&a.unwrap()))
        .collect();
    let g = Geocoder::from_addresses(&addresses);
    let rows: Vec<_> = AnnuaireReader::open(fixture(
        "annuaire/PS_LibreAcces_Personne_activite_202611240000.txt",
    ))
    .unwrap()
    .map(Result::unwrap)
    .collect();
    let q = AddressQuery::from_activite(&rows[0]).unwrap();
    let r = g.geocode(&q);
    assert_eq!(
        (r.quality, r.matched_number, r.lon, r.lat),
        (
            MatchQuality::Number,
            Some(12),
            Some(4.845420),
            Some(45.758215)
        )
    );
    // 14 is not in the BAN: the nearest number on the same side (12) rather than 15.
    let near = g.geocode(&AddressQuery {
        numero: Some("14".into()),
        ..q.clone()
    });
    assert_eq!(
        (near.quality, near.matched_number),
        (MatchQuality::NearNumber, Some(12))
    );
    let r = g.geocode(&AddressQuery::from_activite(&rows[1]).unwrap());
    assert_eq!(
        (r.quality, r.lon, r.code_insee.as_deref()),
        (MatchQuality::Number, Some(4.873300), Some("69266"))
    );
    // 12 bis, then 12 with an unknown index (falls back to 12), then 10 exactly.
    let mut q = AddressQuery {
        numero: Some("12".into()),
        rep: Some("BIS".into()),
        ..q
    };
    assert_eq!(g.geocode(&q).lon, Some(4.845515));
    q.rep = Some("T".into());
    assert_eq!(
        (g.geocode(&q).quality, g.geocode(&q).lon),
        (MatchQuality::Number, Some(4.845420))
    );
    q.numero = Some("10".into());
    q.rep = None;
    assert_eq!(g.geocode(&q).quality, MatchQuality::Number);
    // No number: centroid of the street. A toponym street: only its centroid.
    q.numero = None;
    let r = g.geocode(&q);
    assert_eq!(r.quality, MatchQuality::Street);
    assert!((r.lon.unwrap() - 4.8454).abs() < 1e-3);
    let place = AddressQuery {
        voie: "Bellecour".into(),
        type_voie: Some("PL".into()),
        code_postal: Some("69002".into()),
        ..Default::default()
    };
    assert_eq!(g.geocode(&place).quality, MatchQuality::Street);
    // Unknown street.
    let r = g.geocode(&AddressQuery {
        voie: "RUE INCONNUE".into(),
        code_commune: Some("69383".into()),
        ..Default::default()
    });
    assert_eq!((r.quality, r.lon), (MatchQuality::None, None));
}

/// Real BANO addresses of three Corrèze communes: every address is found again from an abbreviated,
/// accent-less spelling and postcode + commune name only.
#[test]
fn geocodes_bano_addresses() {
    let Some(p) = shared("ban_bano/bano_limousin_subset.csv") else {
        return;
    };
    let rows = ban::read_bano(&p).unwrap();
    assert_eq!(rows.len(), 2_001);
    assert_eq!(rows[0].code_insee(), Some("19005"));
    let addresses: Vec<Address> = rows.iter().map(Address::from).collect();
    let g = Geocoder::from_addresses(&addresses);
    let abbreviate = |v: &str| {
        let f = maillage_formats::text::fold(v);
        for (full, short) in [
            ("RUE ", "R "),
            ("AVENUE ", "AV "),
            ("PLACE ", "PL "),
            ("CHEMIN ", "CHE "),
            ("BOULEVARD ", "BD "),
            ("IMPASSE ", "IMP "),
            ("ROUTE ", "RTE "),
            ("ALLEE ", "ALL "),
        ] {
            if let Some(rest) = f.strip_prefix(full) {
                return (Some(short.trim().to_string()), rest.to_string());
            }
        }
        (None, f)
    };
    let (mut exact, mut other) = (0, 0);
    for (row, a) in rows.iter().zip(&addresses) {
        let (type_voie, voie) = abbreviate(&row.voie);
        let q = AddressQuery {
            numero: Some(row.numero.clone()),
            type_voie,
            voie,
            code_postal: row.code_postal.clone(),
            commune: Some(row.nom_commune.to_uppercase()),
            ..Default::default()
        };
        let r = g.geocode(&q);
        if r.quality == MatchQuality::Number && r.lon == Some(a.lon) && r.lat == Some(a.lat) {
            exact += 1;
        } else {
            other += 1;
        }
    }
    // Duplicated number+street pairs keep only their first position.
    let mut seen = std::collections::HashSet::new();
    let dups = addresses
        .iter()
        .filter(|a| {
            !seen.insert((
                a.code_insee.clone(),
                a.voie.clone(),
                a.numero,
                a.rep.clone(),
            ))
        })
        .count();
    assert_eq!(other, dups, "exact {exact}");
    assert!(exact > 1_900);
}

/// The fixture BAN file rewritten with its columns in another order, some under their other names
/// (`commune_insee`, `longitude`, `latitude`), one extra column, and `drop` left out.
fn reordered_ban(drop: Option<&str>) -> String {
    let text = std::fs::read_to_string(fixture("ban/adresses-69.csv")).unwrap();
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let mut fields: Vec<&str> = line.split(';').collect();
        let header: Vec<&str> = text.lines().next().unwrap().split(';').collect();
        if let Some(d) = drop {
            let i = header.iter().position(|h| *h == d).unwrap();
            fields.remove(i);
        }
        fields.reverse();
        let fields: Vec<String> = fields
            .into_iter()
            .map(|f| match (n, f) {
                (0, "code_insee") => "commune_insee".into(),
                (0, "lon") => "longitude".into(),
                (0, "lat") => "Latitude".into(),
                _ => f.to_string(),
            })
            .collect();
        let extra = if n == 0 { "date_der_maj" } else { "2026-11-02" };
        out.push_str(&format!("{extra};{}\n", fields.join(";")));
    }
    out
}

#[test]
fn ban_columns_are_found_by_name_in_any_order() {
    let plain: Vec<_> = BanReader::open(fixture("ban/adresses-69.csv"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let (_d, p) = temp_file("adresses-69-reordonne.csv", reordered_ban(None).as_bytes());
    let reader = BanReader::open(&p).unwrap();
    assert_eq!(
        reader
            .warnings()
            .iter()
            .map(|w| &w.kind)
            .collect::<Vec<_>>(),
        [&maillage_formats::WarningKind::UnknownColumns {
            columns: vec!["date_der_maj".into()]
        }]
    );
    let reordered: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(reordered, plain);

    // Without its latitude column, the file is refused at its header, naming the column.
    let (_d, p) = temp_file(
        "adresses-69-sans-lat.csv",
        reordered_ban(Some("lat")).as_bytes(),
    );
    let e = BanReader::open(&p).err().unwrap();
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "lat".into()
        }
    );
    assert_eq!(e.location.line, Some(1));
}
