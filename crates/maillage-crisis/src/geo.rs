//! Distances between places given as (longitude, latitude) in degrees (WGS84).

/// A place: (longitude, latitude) in degrees.
pub type Point = (f64, f64);

const EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// Great-circle distance in kilometres (haversine). Volunteers walk or drive short distances in town: the
/// straight line is a fair ranking criterion, not a travel time.
pub fn distance_km(a: Point, b: Point) -> f64 {
    let (lon1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lon2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_to_lyon_is_about_392_km() {
        let d = distance_km((2.3522, 48.8566), (4.8357, 45.7640));
        assert!((d - 392.0).abs() < 2.0, "{d}");
        assert_eq!(distance_km((1.0, 45.0), (1.0, 45.0)), 0.0);
        // One degree of latitude is about 111.2 km.
        assert!((distance_km((0.0, 0.0), (0.0, 1.0)) - 111.19).abs() < 0.05);
    }
}
