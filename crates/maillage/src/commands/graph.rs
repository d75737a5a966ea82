//! `maillage graphe`, `maillage temps`, `maillage isochrones`: the road graph of an OpenStreetMap
//! extract, travel times between points, isochrones. All the work is done by `maillage-routing`.

use anyhow::{Context, anyhow, bail};
use clap::{Args, ValueEnum};
use maillage_messages::French;
use maillage_routing::{
    Graph, IsochroneOptions, NodeIndex, Point, Profile, RoutingError, Seconds, Snap,
    feature_collection, is_cache_file, read_points_csv, read_zones_geojson,
};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profil {
    Voiture,
    Pieton,
}

const PROFIL_HELP: &str = "Profil de déplacement : « voiture » (routes ouvertes aux voitures, sens uniques, \
                           vitesse par type de route ou maxspeed) ou « pieton » (voies praticables à pied sauf \
                           autoroutes, dans les deux sens, à 5 km/h) ; obligatoire pour un extrait .osm.pbf";

impl From<Profil> for Profile {
    fn from(p: Profil) -> Profile {
        match p {
            Profil::Voiture => Profile::Car,
            Profil::Pieton => Profile::Walk,
        }
    }
}

/// Construire le graphe routier d'un extrait OpenStreetMap (.osm.pbf) pour un profil, puis l'exporter en
/// CSV (nœuds et arcs) et/ou l'enregistrer en cache pour le recharger vite.
///
/// Seule la plus grande composante fortement connexe est gardée : depuis chaque nœud, on peut atteindre
/// tous les autres. Les temps sont en millisecondes entières (exports en secondes à trois décimales).
#[derive(Args)]
pub struct GrapheArgs {
    /// Extrait OpenStreetMap (.osm.pbf) ou cache de graphe écrit par --cache
    #[arg(value_name = "SOURCE")]
    source: PathBuf,
    #[arg(long, value_enum, hide_possible_values = true, help = PROFIL_HELP)]
    profil: Option<Profil>,
    /// Dossier où écrire nodes.csv (id,lon,lat) et edges.csv (from,to,seconds)
    #[arg(long, value_name = "DOSSIER")]
    export: Option<PathBuf>,
    /// Enregistrer le graphe dans ce fichier cache (à donner ensuite à --graphe des autres commandes)
    #[arg(long, value_name = "FICHIER")]
    cache: Option<PathBuf>,
}

/// Temps de trajet par la route de chaque origine vers chaque destination, jusqu'à un temps maximal.
///
/// Les points sont accrochés au nœud routable le plus proche. Le résultat contient une ligne
/// « origin,destination,seconds » par couple joignable en au plus --max secondes.
#[derive(Args)]
pub struct TempsArgs {
    /// Extrait OpenStreetMap (.osm.pbf) ou cache de graphe (reconnu à son en-tête)
    #[arg(long, value_name = "FICHIER")]
    graphe: PathBuf,
    #[arg(long, value_enum, hide_possible_values = true, help = PROFIL_HELP)]
    profil: Option<Profil>,
    /// Origines : CSV avec en-tête id,lon,lat (WGS84)
    #[arg(long, value_name = "FICHIER")]
    origines: PathBuf,
    /// Destinations : CSV avec en-tête id,lon,lat (WGS84)
    #[arg(long, value_name = "FICHIER")]
    destinations: PathBuf,
    /// Temps maximal en secondes (inclus)
    #[arg(long, value_name = "SECONDES", allow_negative_numbers = true)]
    max: f64,
    /// Résultat : CSV origin,destination,seconds
    #[arg(long, value_name = "FICHIER")]
    sortie: PathBuf,
    /// Distance maximale d'accrochage en mètres : un point plus loin du réseau est signalé et traité
    /// comme injoignable
    #[arg(long = "accroche-max", value_name = "METRES", default_value_t = 1000.0)]
    accroche_max: f64,
    /// Écrire aussi, pour chaque point, le nœud où il est accroché et la distance (CSV)
    #[arg(long, value_name = "FICHIER")]
    accrochages: Option<PathBuf>,
}

/// Isochrones : zones atteintes en au plus N minutes depuis des points, en GeoJSON (une entité par seuil,
/// propriété « minutes »), avec la population couverte si des zones peuplées sont données.
///
/// Méthode : temps de parcours sur le réseau, puis fin du trajet à pied (5 km/h) jusqu'à une distance
/// limitée de la route ; le contour du champ de temps obtenu donne des polygones emboîtés.
#[derive(Args)]
pub struct IsochronesArgs {
    /// Extrait OpenStreetMap (.osm.pbf) ou cache de graphe (reconnu à son en-tête)
    #[arg(long, value_name = "FICHIER")]
    graphe: PathBuf,
    #[arg(long, value_enum, hide_possible_values = true, help = PROFIL_HELP)]
    profil: Option<Profil>,
    /// Points de départ : CSV avec en-tête id,lon,lat (WGS84)
    #[arg(long, value_name = "FICHIER")]
    points: PathBuf,
    /// Seuils en minutes, séparés par des virgules
    #[arg(long, value_name = "LISTE", default_value = "5,10,15,20")]
    minutes: String,
    /// Résultat : FeatureCollection GeoJSON
    #[arg(long, value_name = "FICHIER")]
    sortie: PathBuf,
    /// Une série d'isochrones par point (propriété « point ») au lieu de la zone atteinte depuis le point
    /// le plus proche
    #[arg(long = "par-point")]
    par_point: bool,
    /// Zones peuplées : GeoJSON de polygones WGS84 (IRIS, carreaux…) pour calculer la population couverte
    #[arg(long, value_name = "FICHIER")]
    zones: Option<PathBuf>,
    /// Nom de la propriété des zones qui porte la population
    #[arg(
        long = "champ-population",
        value_name = "NOM",
        default_value = "population"
    )]
    champ_population: String,
    /// Distance maximale d'accrochage en mètres : un point plus loin du réseau est signalé et ignoré
    #[arg(long = "accroche-max", value_name = "METRES", default_value_t = 1000.0)]
    accroche_max: f64,
    /// Taille des cellules de la grille de contour, en mètres (par défaut 50 en voiture, 20 à pied)
    #[arg(long, value_name = "METRES")]
    resolution: Option<f64>,
}

fn french(e: RoutingError) -> anyhow::Error {
    anyhow!(e.french())
}

/// Load a graph from a cache (recognised by its magic number) or build it from a PBF extract.
fn load_graph(source: &Path, profil: Option<Profil>) -> anyhow::Result<Graph> {
    let started = Instant::now();
    let requested = profil.map(Profile::from);
    let graph = if is_cache_file(source).map_err(french)? {
        let graph = Graph::load_cache(source).map_err(french)?;
        if let Some(requested) = requested
            && graph.profile() != Some(requested)
        {
            let found = graph
                .profile()
                .map_or_else(|| "non précisé".to_string(), |p| p.french());
            return Err(french(RoutingError::ProfileMismatch {
                path: source.to_path_buf(),
                found,
                requested,
            }));
        }
        println!(
            "Graphe {} chargé depuis le cache « {} » : {} nœuds, {} arcs ({} s).",
            graph
                .profile()
                .map_or_else(|| "sans profil".into(), |p| p.french()),
            source.display(),
            thousands(graph.node_count() as u64),
            thousands(graph.arc_count() as u64),
            secs(started)
        );
        graph
    } else {
        let Some(profile) = requested else {
            bail!(
                "profil manquant : pour un extrait OpenStreetMap, précisez --profil voiture ou --profil pieton"
            );
        };
        let graph = Graph::from_osm_pbf(source, profile).map_err(french)?;
        let info = graph.build_info();
        println!(
            "Graphe {} construit depuis « {} » : {} voies retenues, {} nœuds et {} arcs dans la plus grande \
             composante fortement connexe ({} nœuds écartés hors de celle-ci) en {} s.",
            profile.french(),
            source.display(),
            thousands(info.ways),
            thousands(graph.node_count() as u64),
            thousands(graph.arc_count() as u64),
            thousands(info.dropped_nodes),
            secs(started)
        );
        if info.missing_node_refs > 0 {
            eprintln!(
                "attention : {} tronçons de voies ignorés car leurs nœuds manquent dans l'extrait (voies coupées au \
                 bord de l'extrait)",
                thousands(info.missing_node_refs)
            );
        }
        graph
    };
    Ok(graph)
}

/// Seconds with a French decimal comma.
fn secs(t: Instant) -> String {
    format!("{:.2}", t.elapsed().as_secs_f64()).replace('.', ",")
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

fn create(path: &Path) -> anyhow::Result<BufWriter<std::fs::File>> {
    let file = std::fs::File::create(path).with_context(|| {
        format!(
            "impossible de créer le fichier « {} » ; vérifiez le dossier et les droits",
            path.display()
        )
    })?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

fn written(path: &Path) -> impl FnOnce(std::io::Error) -> anyhow::Error + '_ {
    move |e| anyhow!("écriture impossible dans « {} » ({e})", path.display())
}

pub fn run_graphe(args: GrapheArgs) -> anyhow::Result<()> {
    let graph = load_graph(&args.source, args.profil)?;
    if let Some(dir) = &args.export {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("impossible de créer le dossier « {} »", dir.display()))?;
        let nodes = dir.join("nodes.csv");
        graph
            .write_nodes_csv(create(&nodes)?)
            .map_err(written(&nodes))?;
        let edges = dir.join("edges.csv");
        graph
            .write_edges_csv(create(&edges)?)
            .map_err(written(&edges))?;
        println!(
            "Export écrit : « {} » et « {} ».",
            nodes.display(),
            edges.display()
        );
    }
    if let Some(cache) = &args.cache {
        graph.save_cache(cache).map_err(french)?;
        println!("Cache écrit : « {} ».", cache.display());
    }
    Ok(())
}

/// Points attached to the graph, with those too far reported.
struct Attached {
    points: Vec<Point>,
    snaps: Vec<Option<Snap>>,
}

impl Attached {
    fn nodes(&self) -> (Vec<usize>, Vec<NodeIndex>) {
        self.snaps
            .iter()
            .enumerate()
            .filter_map(|(k, s)| s.map(|s| (k, s.node)))
            .unzip()
    }
}

fn attach(graph: &Graph, file: &Path, role: &str, max_m: f64) -> anyhow::Result<Attached> {
    let points = read_points_csv(file).map_err(french)?;
    let positions: Vec<[f64; 2]> = points.iter().map(|p| [p.lon, p.lat]).collect();
    let snaps = graph.snap_all(&positions);
    let far: Vec<(&Point, f64)> = points
        .iter()
        .zip(&snaps)
        .filter_map(|(p, s)| {
            s.filter(|s| s.distance_m > max_m)
                .map(|s| (p, s.distance_m))
        })
        .collect();
    let kept: Vec<f64> = snaps
        .iter()
        .flatten()
        .map(|s| s.distance_m)
        .filter(|&d| d <= max_m)
        .collect();
    if !kept.is_empty() {
        let mean = kept.iter().sum::<f64>() / kept.len() as f64;
        let max = kept.iter().copied().fold(0.0, f64::max);
        println!(
            "{} : {} points accrochés au réseau (distance moyenne {:.0} m, maximale {:.0} m).",
            maillage_messages::capitalised(role),
            thousands(kept.len() as u64),
            mean,
            max
        );
    }
    if !far.is_empty() {
        let list: Vec<String> = far
            .iter()
            .take(20)
            .map(|(p, d)| format!("« {} » (ligne {}) à {:.0} m", p.id, p.line, d))
            .collect();
        let more = if far.len() > 20 {
            format!(" et {} autres", far.len() - 20)
        } else {
            String::new()
        };
        eprintln!(
            "attention : {} {role} à plus de {max_m} m du réseau routier, traités comme injoignables : {}{more}",
            far.len(),
            list.join(", ")
        );
    }
    if kept.is_empty() {
        bail!(
            "aucun des points de « {} » n'est à moins de {max_m} m du réseau routier du graphe ; vérifiez que les \
             points sont dans l'emprise de l'extrait OpenStreetMap (coordonnées WGS84, longitude puis latitude) \
             ou augmentez --accroche-max",
            file.display()
        );
    }
    let snaps = snaps
        .into_iter()
        .map(|s| s.filter(|s| s.distance_m <= max_m))
        .collect();
    Ok(Attached { points, snaps })
}

fn check_snap_distance(m: f64) -> anyhow::Result<()> {
    if !(m.is_finite() && m >= 0.0) {
        bail!("--accroche-max doit être une distance en mètres positive ou nulle (reçu : {m})");
    }
    Ok(())
}

pub fn run_temps(args: TempsArgs) -> anyhow::Result<()> {
    if !(args.max.is_finite() && args.max > 0.0 && args.max * 1000.0 < u32::MAX as f64) {
        bail!(
            "--max doit être une durée positive en secondes, inférieure à 49 jours (reçu : {})",
            args.max
        );
    }
    check_snap_distance(args.accroche_max)?;
    let max_millis = (args.max * 1000.0).round() as u32;
    let graph = load_graph(&args.graphe, args.profil)?;
    let origins = attach(&graph, &args.origines, "origines", args.accroche_max)?;
    let destinations = attach(
        &graph,
        &args.destinations,
        "destinations",
        args.accroche_max,
    )?;
    let started = Instant::now();
    let (origin_rows, origin_nodes) = origins.nodes();
    let (dest_rows, dest_nodes) = destinations.nodes();
    let times = graph
        .travel_times(&origin_nodes, &dest_nodes, max_millis)
        .map_err(french)?;
    let mut out = create(&args.sortie)?;
    let write = |out: &mut BufWriter<std::fs::File>| -> std::io::Result<()> {
        writeln!(out, "origin,destination,seconds")?;
        for t in &times {
            let o = &origins.points[origin_rows[t.origin as usize]].id;
            let d = &destinations.points[dest_rows[t.destination as usize]].id;
            writeln!(
                out,
                "{},{},{}",
                csv_field(o),
                csv_field(d),
                Seconds(t.millis)
            )?;
        }
        out.flush()
    };
    write(&mut out).map_err(written(&args.sortie))?;
    println!(
        "{} couples origine-destination joignables en au plus {} s sur {} ({} s de calcul) : « {} ».",
        thousands(times.len() as u64),
        args.max.to_string().replace('.', ","),
        thousands((origins.points.len() * destinations.points.len()) as u64),
        secs(started),
        args.sortie.display()
    );
    if let Some(path) = &args.accrochages {
        let mut out = create(path)?;
        let write = |out: &mut BufWriter<std::fs::File>| -> std::io::Result<()> {
            writeln!(out, "role,id,node,distance_m")?;
            for (role, set) in [("origine", &origins), ("destination", &destinations)] {
                for (p, s) in set.points.iter().zip(&set.snaps) {
                    match s {
                        Some(s) => writeln!(
                            out,
                            "{role},{},{},{:.2}",
                            csv_field(&p.id),
                            graph.id(s.node),
                            s.distance_m
                        )?,
                        None => writeln!(out, "{role},{},,", csv_field(&p.id))?,
                    }
                }
            }
            out.flush()
        };
        write(&mut out).map_err(written(path))?;
    }
    Ok(())
}

/// Quote a CSV field when it needs it.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn km2(v: f64) -> String {
    format!("{v:.2}").replace('.', ",")
}

fn parse_minutes(list: &str) -> anyhow::Result<Vec<f64>> {
    let values: Vec<f64> = list
        .split(',')
        .map(|s| {
            let s = s.trim();
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v > 0.0 && *v <= 1440.0)
                .ok_or_else(|| anyhow!("--minutes : « {} » n'est pas une durée en minutes valide (entre 0 et 1440, par exemple 5,10,15,20)", maillage_formats::text::quoted(s)))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(values)
}

pub fn run_isochrones(args: IsochronesArgs) -> anyhow::Result<()> {
    let minutes = parse_minutes(&args.minutes)?;
    check_snap_distance(args.accroche_max)?;
    let zones = match &args.zones {
        Some(path) => Some(read_zones_geojson(path, &args.champ_population).map_err(french)?),
        None => None,
    };
    let graph = load_graph(&args.graphe, args.profil)?;
    let mut options = IsochroneOptions::for_profile(graph.profile());
    if let Some(r) = args.resolution {
        if !(r.is_finite() && r >= 1.0) {
            bail!(
                "--resolution doit être une taille de cellule en mètres, au moins 1 (reçu : {r})"
            );
        }
        options.cell_m = r;
    }
    let points = attach(&graph, &args.points, "points", args.accroche_max)?;
    let (rows, nodes) = points.nodes();
    let started = Instant::now();
    let mut features = Vec::new();
    if args.par_point {
        for (row, node) in rows.iter().zip(&nodes) {
            for iso in graph
                .isochrones(&[*node], &minutes, &options, zones.as_deref())
                .map_err(french)?
            {
                let mut f = iso.to_geojson_feature();
                f["properties"]["point"] =
                    serde_json::Value::String(points.points[*row].id.clone());
                features.push(f);
            }
        }
    } else {
        for iso in graph
            .isochrones(&nodes, &minutes, &options, zones.as_deref())
            .map_err(french)?
        {
            if let Some(p) = iso.population {
                println!(
                    "{} min : {} km², population couverte {}.",
                    iso.minutes,
                    km2(iso.area_km2),
                    thousands(p.round() as u64)
                );
            } else {
                println!("{} min : {} km².", iso.minutes, km2(iso.area_km2));
            }
            features.push(iso.to_geojson_feature());
        }
    }
    let mut out = create(&args.sortie)?;
    serde_json::to_writer(&mut out, &feature_collection(features)).map_err(|e| {
        anyhow!(
            "écriture impossible dans « {} » ({e})",
            args.sortie.display()
        )
    })?;
    out.flush().map_err(written(&args.sortie))?;
    println!(
        "Isochrones écrites dans « {} » ({} s de calcul).",
        args.sortie.display(),
        secs(started)
    );
    Ok(())
}
