//! Distances on the sphere and a local metric projection.

/// Mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres between two lon/lat points (degrees).
pub fn haversine_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Equirectangular projection around a reference latitude: x = R·λ·cos φ0, y = R·φ.
///
/// It is affine in (lon, lat), so ratios of areas are the same in degrees and in projected metres,
/// and over a city or a département its distances are within a fraction of a percent of the truth:
/// what snapping and isochrone grids need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalProjection {
    /// Metres per degree of longitude.
    pub mx: f64,
    /// Metres per degree of latitude.
    pub my: f64,
}

impl LocalProjection {
    pub fn at_latitude(lat0: f64) -> Self {
        let my = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        LocalProjection {
            mx: my * lat0.to_radians().cos().max(0.01),
            my,
        }
    }
    pub fn forward(&self, lon: f64, lat: f64) -> [f64; 2] {
        [lon * self.mx, lat * self.my]
    }
    pub fn inverse(&self, x: f64, y: f64) -> [f64; 2] {
        [x / self.mx, y / self.my]
    }
}

/// Travel time in whole milliseconds (at least 1) of `metres` at `kmh`.
pub fn travel_millis(metres: f64, kmh: f64) -> u32 {
    let ms = (metres * 3600.0 / kmh).round();
    ms.clamp(1.0, u32::MAX as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_known_distance() {
        // One degree of latitude is R·π/180.
        let d = haversine_m(2.0, 48.0, 2.0, 49.0);
        assert!((d - EARTH_RADIUS_M * std::f64::consts::PI / 180.0).abs() < 1e-6);
        assert_eq!(haversine_m(7.4, 43.7, 7.4, 43.7), 0.0);
    }

    #[test]
    fn millis_are_rounded_and_positive() {
        // 1 km at 36 km/h = 100 s.
        assert_eq!(travel_millis(1000.0, 36.0), 100_000);
        assert_eq!(travel_millis(0.0, 50.0), 1);
        assert_eq!(travel_millis(1.0, 3600.0), 1);
    }
}
