//! The background map as plain values, shared by the OpenStreetMap reader (`maillage-routing`), the store, the
//! demonstration and the drawing (`maillage-report`): a [`MapFeature`] is one street, river, railway, park or
//! named place in WGS84, of one [`MapLayer`]. Which layers show at which zoom is decided here once
//! ([`MapLayer::min_zoom`]), so that the store reads only what a tile will draw.

crate::coded! {
    /// What a feature of the background map is; its code is stored in `basemap_feature.layer`. Drawn in this
    /// order (areas first, then water, railways and streets from the smallest, places last).
    pub enum MapLayer {
        Forest => "bois",
        Park => "parc",
        Water => "plan_eau",
        Stream => "ruisseau",
        River => "riviere",
        Railway => "voie_ferree",
        Path => "chemin",
        Street => "rue",
        Tertiary => "route_tertiaire",
        Secondary => "route_secondaire",
        Primary => "route_principale",
        Motorway => "autoroute",
        Locality => "lieu_dit",
        Neighbourhood => "quartier",
        Village => "village",
        Town => "ville",
    }
}

/// The most zoomed-in level drawn (a street at this level is a few metres per pixel).
pub const MAX_ZOOM: u8 = 18;
/// The least zoomed-in level drawn: below it, a commune is a few pixels wide and no tile is served.
pub const MIN_ZOOM: u8 = 9;

impl MapLayer {
    /// A closed ring, filled (parks, woods, lakes and wide rivers).
    pub fn is_area(self) -> bool {
        matches!(self, MapLayer::Forest | MapLayer::Park | MapLayer::Water)
    }

    /// A named point (its name is the feature).
    pub fn is_place(self) -> bool {
        matches!(
            self,
            MapLayer::Locality | MapLayer::Neighbourhood | MapLayer::Village | MapLayer::Town
        )
    }

    /// A road or street (drawn with a casing, named along its line).
    pub fn is_road(self) -> bool {
        matches!(
            self,
            MapLayer::Path
                | MapLayer::Street
                | MapLayer::Tertiary
                | MapLayer::Secondary
                | MapLayer::Primary
                | MapLayer::Motorway
        )
    }

    /// The first zoom level at which the layer is drawn: a département's view shows main roads, rivers and
    /// towns; a quartier's, every street and its name.
    pub fn min_zoom(self) -> u8 {
        match self {
            MapLayer::Motorway | MapLayer::Primary | MapLayer::River | MapLayer::Town => 9,
            MapLayer::Water | MapLayer::Forest | MapLayer::Railway | MapLayer::Village => 10,
            MapLayer::Secondary => 11,
            MapLayer::Park | MapLayer::Tertiary | MapLayer::Neighbourhood => 12,
            MapLayer::Street | MapLayer::Stream => 13,
            MapLayer::Locality => 14,
            MapLayer::Path => 15,
        }
    }

    /// The layers drawn at `zoom`.
    pub fn shown_at(zoom: u8) -> Vec<MapLayer> {
        <MapLayer as crate::codes::Coded>::ALL
            .iter()
            .copied()
            .filter(|l| l.min_zoom() <= zoom)
            .collect()
    }
}

/// One feature of the background map: a line (street, river, railway), a closed ring (park, lake) or a point
/// (a named place), as (longitude, latitude) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct MapFeature {
    pub layer: MapLayer,
    pub name: Option<String>,
    pub points: Vec<(f64, f64)>,
}

/// A rectangle of longitudes and latitudes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLatBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl LonLatBox {
    /// The smallest box holding every point; None without points.
    pub fn around(points: &[(f64, f64)]) -> Option<LonLatBox> {
        let first = points.first()?;
        let mut b = LonLatBox {
            min_lon: first.0,
            min_lat: first.1,
            max_lon: first.0,
            max_lat: first.1,
        };
        for &(lon, lat) in points {
            b.min_lon = b.min_lon.min(lon);
            b.min_lat = b.min_lat.min(lat);
            b.max_lon = b.max_lon.max(lon);
            b.max_lat = b.max_lat.max(lat);
        }
        Some(b)
    }

    /// The box grown by `fraction` of its size on every side (a tile reads a little beyond its edges, so that
    /// lines and labels crossing them are drawn on both sides).
    pub fn grown(self, fraction: f64) -> LonLatBox {
        let dx = (self.max_lon - self.min_lon) * fraction;
        let dy = (self.max_lat - self.min_lat) * fraction;
        LonLatBox {
            min_lon: self.min_lon - dx,
            min_lat: self.min_lat - dy,
            max_lon: self.max_lon + dx,
            max_lat: self.max_lat + dy,
        }
    }
}

/// The WGS84 box of Web Mercator tile (`z`, `x`, `y`) (the tiles of OpenStreetMap and of Leaflet).
pub fn tile_box(z: u8, x: u32, y: u32) -> LonLatBox {
    let n = f64::from(1u32 << z.min(30));
    let lon = |x: f64| x / n * 360.0 - 180.0;
    let lat = |y: f64| {
        (std::f64::consts::PI * (1.0 - 2.0 * y / n))
            .sinh()
            .atan()
            .to_degrees()
    };
    LonLatBox {
        min_lon: lon(f64::from(x)),
        max_lon: lon(f64::from(x) + 1.0),
        min_lat: lat(f64::from(y) + 1.0),
        max_lat: lat(f64::from(y)),
    }
}

/// Longitude and latitude to Web Mercator world pixels at zoom `z` for tiles of `size` pixels.
pub fn mercator_px(lon: f64, lat: f64, z: u8, size: f64) -> (f64, f64) {
    let n = f64::from(1u32 << z.min(30)) * size;
    let lat = lat.clamp(-85.05, 85.05).to_radians();
    (
        (lon + 180.0) / 360.0 * n,
        (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n,
    )
}

/// The Web Mercator zoom whose 256-pixel tiles show `metres_per_px` at latitude `lat` (a printed map is drawn
/// with the layers of the zoom that matches its scale).
pub fn zoom_for(metres_per_px: f64, lat: f64) -> u8 {
    let z = (156_543.034 * lat.to_radians().cos() / metres_per_px.max(1e-6)).log2();
    z.round().clamp(0.0, f64::from(MAX_ZOOM)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Coded, check};

    #[test]
    fn layers_read_back_and_zooms_add_layers() {
        assert_eq!(check::<MapLayer>(None), Ok(()));
        assert!(MapLayer::shown_at(MIN_ZOOM).contains(&MapLayer::Primary));
        assert!(!MapLayer::shown_at(MIN_ZOOM).contains(&MapLayer::Street));
        assert_eq!(MapLayer::shown_at(MAX_ZOOM).len(), MapLayer::ALL.len());
    }

    #[test]
    fn tiles_and_mercator_agree() {
        // A tile of western France: its top-left corner is where Mercator puts it.
        let b = tile_box(13, 4103, 2921);
        assert!(b.min_lon < b.max_lon && b.min_lat < b.max_lat);
        let (px, py) = mercator_px(b.min_lon, b.max_lat, 13, 256.0);
        assert!((px - 4103.0 * 256.0).abs() < 1e-6, "{px}");
        assert!((py - 2921.0 * 256.0).abs() < 1e-6, "{py}");
        assert_eq!(zoom_for(13.0, 46.6), 13);
        let grown = b.grown(0.1);
        assert!(grown.min_lon < b.min_lon && grown.max_lat > b.max_lat);
        assert_eq!(LonLatBox::around(&[]), None);
    }
}
