//! Positions of practice sites from the BAN addresses kept for the territory. Geocoding writes only the position
//! columns, never the row hash: a re-import of an unchanged Annuaire keeps the positions found.

use crate::Result;
use crate::change::Change;
use maillage_formats::ban::{Address, AddressQuery, Geocoder, MatchQuality};
use serde::Serialize;
use sqlx::Row;

/// What geocoding found: the match rate and the addresses not found (to correct by hand or report).
#[derive(Debug, Clone, Default, Serialize)]
pub struct GeocodingReport {
    /// Sites without a position before geocoding.
    pub sites: u64,
    /// Placed at the position of the FINESS establishment they name.
    pub from_finess: u64,
    pub exact_number: u64,
    pub near_number: u64,
    pub street_only: u64,
    pub not_found: u64,
    /// Share of sites placed (exact, near or street), in %.
    pub match_rate: Option<f64>,
    /// Addresses not found: `site_key — address`.
    pub not_found_addresses: Vec<String>,
    /// No BAN address is stored yet: nothing could be geocoded.
    pub no_addresses: bool,
}

/// Geocodes every site in force that has no position yet: from the FINESS establishment it names when there is
/// one, from the BAN otherwise.
pub async fn geocode_sites(tx: &mut Change) -> Result<GeocodingReport> {
    let finess = sqlx::query(
        "UPDATE practice_site SET
             lon = (SELECT e.lon FROM establishment e WHERE e.finess_et = practice_site.finess_site),
             lat = (SELECT e.lat FROM establishment e WHERE e.finess_et = practice_site.finess_site),
             geocode_quality = 'finess'
         WHERE removed_batch_id IS NULL AND lon IS NULL AND finess_site IS NOT NULL AND EXISTS (
             SELECT 1 FROM establishment e WHERE e.finess_et = practice_site.finess_site
             AND e.lon IS NOT NULL AND e.removed_batch_id IS NULL)",
    )
    .execute(tx.conn())
    .await?
    .rows_affected();
    // Count first and load nothing when there is nothing to match against: a national import without a BAN
    // file must not hold millions of sites in memory for nothing.
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM practice_site WHERE removed_batch_id IS NULL AND lon IS NULL",
    )
    .fetch_one(tx.conn())
    .await?;
    let mut report = GeocodingReport {
        sites: pending as u64 + finess,
        from_finess: finess,
        ..Default::default()
    };
    if pending == 0 {
        report.match_rate = (report.sites > 0).then_some(100.0);
        return Ok(report);
    }
    let any_address: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM address WHERE removed_batch_id IS NULL LIMIT 1")
            .fetch_optional(tx.conn())
            .await?;
    if any_address.is_none() {
        report.no_addresses = true;
        report.not_found = report.sites;
        return Ok(report);
    }
    let sites = sqlx::query(
        "SELECT site_key, address_number, address_repetition, street_type, street, postcode, commune_code,
                commune_name
         FROM practice_site WHERE removed_batch_id IS NULL AND lon IS NULL ORDER BY site_key",
    )
    .fetch_all(tx.conn())
    .await?;
    let addresses = sqlx::query(
        "SELECT number, repetition, street, postcode, commune_code, commune_name, lon, lat FROM address
         WHERE removed_batch_id IS NULL",
    )
    .fetch_all(tx.conn())
    .await?;
    let mut geocoder = Geocoder::new();
    for r in &addresses {
        geocoder.add(&Address {
            numero: r
                .try_get::<Option<String>, _>("number")?
                .and_then(|n| n.parse().ok()),
            rep: r.try_get("repetition")?,
            voie: r.try_get("street")?,
            code_postal: r.try_get("postcode")?,
            code_insee: r.try_get("commune_code")?,
            commune: r.try_get("commune_name")?,
            lon: r.try_get("lon")?,
            lat: r.try_get("lat")?,
        });
    }
    geocoder.finish();
    for r in &sites {
        let key: String = r.try_get("site_key")?;
        let street: Option<String> = r.try_get("street")?;
        let query = street.clone().map(|voie| AddressQuery {
            numero: r.try_get("address_number").ok().flatten(),
            rep: r.try_get("address_repetition").ok().flatten(),
            type_voie: r.try_get("street_type").ok().flatten(),
            voie,
            code_postal: r.try_get("postcode").ok().flatten(),
            code_commune: r.try_get("commune_code").ok().flatten(),
            commune: r.try_get("commune_name").ok().flatten(),
        });
        let result = query.as_ref().map(|q| geocoder.geocode(q));
        let quality = result.as_ref().map_or(MatchQuality::None, |r| r.quality);
        let label = match quality {
            MatchQuality::Number => {
                report.exact_number += 1;
                "numero"
            }
            MatchQuality::NearNumber => {
                report.near_number += 1;
                "numero_voisin"
            }
            MatchQuality::Street => {
                report.street_only += 1;
                "voie"
            }
            MatchQuality::None => {
                report.not_found += 1;
                if report.not_found_addresses.len() < 500 {
                    let q = query.as_ref();
                    report.not_found_addresses.push(
                        format!(
                            "{key} — {} {} {} {} {}",
                            q.and_then(|q| q.numero.clone()).unwrap_or_default(),
                            q.and_then(|q| q.type_voie.clone()).unwrap_or_default(),
                            street.clone().unwrap_or_else(|| "(sans voie)".into()),
                            q.and_then(|q| q.code_postal.clone()).unwrap_or_default(),
                            q.and_then(|q| q.commune.clone()).unwrap_or_default()
                        )
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    );
                }
                continue;
            }
        };
        let result = result.expect("a match has a result");
        sqlx::query(
            "UPDATE practice_site SET lon = $2, lat = $3, geocode_quality = $4 WHERE site_key = $1",
        )
        .bind(&key)
        .bind(result.lon)
        .bind(result.lat)
        .bind(label)
        .execute(tx.conn())
        .await?;
    }
    let placed = report.from_finess + report.exact_number + report.near_number + report.street_only;
    report.match_rate = Some(100.0 * placed as f64 / report.sites as f64);
    Ok(report)
}
