//! The rest of the demonstration's background map, beside its streets (`roads.rs`): the river Clain, the
//! railway and its station, parks, a wood and a pond, and the names of the town, its quartiers and its
//! neighbours. Drawn without the generator (no draw from the seed), so that the territory's figures do not move
//! with the map.

use super::{COMMUNE_NAME, RIVER_X, at};
use maillage_kit::basemap::{MapFeature, MapLayer};

fn line(layer: MapLayer, name: &str, points: impl Iterator<Item = (f64, f64)>) -> MapFeature {
    MapFeature {
        layer,
        name: (!name.is_empty()).then(|| name.to_string()),
        points: points.map(|(x, y)| at(x, y)).collect(),
    }
}

/// An ellipse centred on (`x`, `y`) km, closed.
fn blob(layer: MapLayer, name: &str, (x, y): (f64, f64), (rx, ry): (f64, f64)) -> MapFeature {
    line(
        layer,
        name,
        (0..=36).map(move |k| {
            let t = f64::from(k % 36) * std::f64::consts::TAU / 36.0;
            // A little irregular, as a real park or pond is.
            let wobble = 1.0 + 0.08 * (3.0 * t).sin();
            (x + rx * wobble * t.cos(), y + ry * wobble * t.sin())
        }),
    )
}

fn place(layer: MapLayer, name: &str, (x, y): (f64, f64)) -> MapFeature {
    line(layer, name, std::iter::once((x, y)))
}

/// The features of the background map other than streets.
pub(super) fn features() -> Vec<MapFeature> {
    let steps = |from: f64, to: f64, n: u32| {
        (0..=n).map(move |k| from + (to - from) * f64::from(k) / f64::from(n))
    };
    vec![
        blob(
            MapLayer::Forest,
            "Bois de Montclain",
            (7.4, 2.3),
            (1.3, 0.9),
        ),
        blob(MapLayer::Park, "Parc des Prés", (-3.3, 2.4), (0.5, 0.35)),
        blob(MapLayer::Park, "Jardin public", (0.45, 0.35), (0.17, 0.12)),
        blob(
            MapLayer::Water,
            "Étang des Prés",
            (-7.0, -2.1),
            (0.35, 0.22),
        ),
        // The Clain runs north along Rive Ouest's border, and meanders out of town.
        line(
            MapLayer::River,
            "Le Clain",
            steps(-4.6, 4.6, 92).map(|y| {
                let out = ((y.abs() - 3.2).max(0.0) * 1.5).min(1.0);
                (RIVER_X + out * 0.35 * (y * 2.2).sin(), y)
            }),
        ),
        line(
            MapLayer::Stream,
            "Ruisseau des Prés",
            steps(-7.0, RIVER_X, 40)
                .map(|x| (x, -2.1 + 0.6 * ((x + 7.0) / 5.6) + 0.1 * (x * 3.0).sin())),
        ),
        line(
            MapLayer::Railway,
            "",
            steps(-10.0, 10.0, 80).map(|x| (x, 1.45 + 0.06 * x + 0.12 * (x * 0.45).sin())),
        ),
        place(MapLayer::Town, COMMUNE_NAME, (0.2, 0.1)),
        place(
            MapLayer::Village,
            "Saint-Aubin-des-Prés (fictive)",
            (-7.0, 0.2),
        ),
        place(MapLayer::Village, "Montclain (fictive)", (7.0, -0.4)),
        place(MapLayer::Neighbourhood, "Centre-ville", (0.4, -0.75)),
        place(MapLayer::Neighbourhood, "Les Hauts", (0.1, 2.45)),
        place(MapLayer::Neighbourhood, "Val Fleuri", (-0.2, -2.4)),
        place(MapLayer::Neighbourhood, "Faubourg de l'Est", (3.3, 0.1)),
        place(MapLayer::Neighbourhood, "Rive Ouest", (-2.8, -0.1)),
        place(MapLayer::Locality, "La Gare", (0.1, 1.3)),
        place(MapLayer::Locality, "Le Moulin", (-1.9, -3.45)),
        place(MapLayer::Locality, "Les Vignes", (2.6, -3.3)),
    ]
}
