//! `maillage e2sfca`: floating catchment accessibility from three CSV files (demand, supply, travel costs).

use anyhow::{Context, anyhow, bail};
use clap::{Args, ValueEnum};
use maillage_access::tables::{read_costs, read_demand, read_demand_by_age, read_supply};
use maillage_access::{
    Accessibility, Decay, Demand, NeedBand, Params, Sources, SupplyUnit, compute, parse_steps,
};
use maillage_formats::text::quoted;
use maillage_messages::French;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Accessibilité potentielle localisée par aires flottantes (E2SFCA, méthode de l'APL de la DREES) à partir
/// de fichiers CSV.
///
/// Étape 1, pour chaque site d'offre j : R_j = S_j / Σ_k w(t_kj)·P_k ; étape 2, pour chaque zone i :
/// A_i = Σ_j w(t_ij)·R_j. Les couples absents du fichier des temps sont inaccessibles. Un site qu'aucune
/// zone peuplée n'atteint a un ratio indéfini : il est exclu et signalé. Une zone qui n'atteint aucun site
/// reçoit 0.
#[derive(Args)]
pub struct AccessArgs {
    /// Demande : CSV « id,value » (population), une zone par ligne ; colonne finale facultative
    /// « hors_territoire » (0 ou 1) pour les zones tampons. Avec --besoins-par-age : « id,<tranche>,... ».
    #[arg(long = "demande", value_name = "FICHIER")]
    demand: PathBuf,
    /// Offre : CSV « id,value » (effectif, ETP ou activité), un site par ligne ; colonne finale facultative
    /// « hors_territoire » (0 ou 1).
    #[arg(long = "offre", value_name = "FICHIER")]
    supply: PathBuf,
    /// Temps de trajet : CSV « origin,destination,cost » (origine = id de zone, destination = id de site).
    #[arg(long = "temps", value_name = "FICHIER")]
    costs: PathBuf,
    /// Résultat : CSV « id,access » pour chaque zone, dans l'ordre du fichier de demande.
    #[arg(long = "sortie", value_name = "FICHIER")]
    output: PathBuf,
    /// Méthode : 2sfca (zone binaire jusqu'à --cout-max), e2sfca (paliers --poids, par défaut), gravite,
    /// gaussienne.
    #[arg(
        long = "methode",
        value_name = "METHODE",
        value_enum,
        default_value = "e2sfca",
        hide_default_value = true,
        hide_possible_values = true
    )]
    method: MethodArg,
    /// Poids par paliers « borne:poids,... », borne haute incluse, 0 au-delà du dernier palier
    /// (e2sfca ; par défaut Luo et Qi, ceux de PySAL access : 10:1,20:0.68,30:0.22).
    #[arg(long = "poids", value_name = "PALIERS")]
    steps: Option<String>,
    /// Coût maximal (inclus) : les couples plus coûteux sont ignorés ; obligatoire pour 2sfca.
    #[arg(long = "cout-max", value_name = "COUT")]
    max_cost: Option<f64>,
    /// Gravité : poids = (max(t, --cout-min) / --gravite-echelle)^--alpha (alpha négatif, par exemple -2).
    #[arg(long = "alpha", value_name = "ALPHA", allow_negative_numbers = true)]
    alpha: Option<f64>,
    /// Gravité : échelle des coûts (par défaut 1).
    #[arg(
        long = "gravite-echelle",
        value_name = "ECHELLE",
        default_value_t = 1.0,
        hide_default_value = true
    )]
    gravity_scale: f64,
    /// Gravité : coût minimal, qui évite un poids infini à coût nul (par défaut 0).
    #[arg(
        long = "cout-min",
        value_name = "COUT",
        default_value_t = 0.0,
        hide_default_value = true
    )]
    min_cost: f64,
    /// Gaussienne : poids = exp(−t² / 2σ²).
    #[arg(long = "sigma", value_name = "SIGMA")]
    sigma: Option<f64>,
    /// Unité de l'offre : effectif, etp, activite ou non-precisee (par défaut). Elle fixe l'échelle par
    /// défaut : activité en consultations par an par habitant ; effectif et ETP pour 100 000 habitants ;
    /// non précisée : valeur brute.
    #[arg(
        long = "unite-offre",
        value_name = "UNITE",
        value_enum,
        default_value = "non-precisee",
        hide_default_value = true,
        hide_possible_values = true
    )]
    unit: UnitArg,
    /// Échelle : l'accessibilité est multipliée par ce nombre (par exemple 100000).
    #[arg(long = "echelle", value_name = "NOMBRE")]
    scale: Option<f64>,
    /// Diviser par l'accessibilité moyenne pondérée par la population (comme PySAL normalize=True).
    #[arg(long = "normaliser")]
    normalize: bool,
    /// Population standardisée par âge : « tranche:poids,... » ; chaque tranche est une colonne du fichier
    /// de demande, dans cet ordre (par exemple « P0017:0.759,P1824:0.785 »).
    #[arg(long = "besoins-par-age", value_name = "TRANCHES")]
    need_bands: Option<String>,
    /// Écrire aussi les métadonnées du calcul (méthode, paramètres, sources, sites exclus) en JSON.
    #[arg(long = "metadonnees", value_name = "FICHIER")]
    metadata: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MethodArg {
    #[value(name = "2sfca")]
    TwoStep,
    #[value(name = "e2sfca")]
    Enhanced,
    #[value(name = "gravite")]
    Gravity,
    #[value(name = "gaussienne")]
    Gaussian,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum UnitArg {
    #[value(name = "effectif")]
    Headcount,
    #[value(name = "etp")]
    Fte,
    #[value(name = "activite")]
    Activity,
    #[value(name = "non-precisee")]
    Unspecified,
}

impl From<UnitArg> for SupplyUnit {
    fn from(unit: UnitArg) -> SupplyUnit {
        match unit {
            UnitArg::Headcount => SupplyUnit::Headcount,
            UnitArg::Fte => SupplyUnit::Fte,
            UnitArg::Activity => SupplyUnit::Activity,
            UnitArg::Unspecified => SupplyUnit::Unspecified,
        }
    }
}

/// The decay asked for, refusing options that belong to another method.
fn decay(args: &AccessArgs) -> anyhow::Result<Decay> {
    let only = |given: bool, option: &str, method: &str| -> anyhow::Result<()> {
        if given {
            bail!(
                "l'option {option} ne s'applique qu'à la méthode {method} ; retirez-la ou changez --methode"
            );
        }
        Ok(())
    };
    let gravity_given = args.alpha.is_some() || args.gravity_scale != 1.0 || args.min_cost != 0.0;
    if args.method != MethodArg::Enhanced {
        only(args.steps.is_some(), "--poids", "e2sfca")?;
    }
    if args.method != MethodArg::Gravity {
        only(
            gravity_given,
            "--alpha, --gravite-echelle ou --cout-min",
            "gravite",
        )?;
    }
    if args.method != MethodArg::Gaussian {
        only(args.sigma.is_some(), "--sigma", "gaussienne")?;
    }
    let decay = match args.method {
        MethodArg::TwoStep => Decay::Binary,
        MethodArg::Enhanced => match &args.steps {
            Some(text) => Decay::Steps {
                steps: parse_steps(text).map_err(|e| {
                    anyhow!("option --poids « {} » : {}.", quoted(text), e.french())
                })?,
            },
            None => Decay::luo_qi(),
        },
        MethodArg::Gravity => {
            let alpha = args.alpha.ok_or_else(|| {
                anyhow!("la méthode gravite demande --alpha (exposant, négatif pour une décroissance, par exemple -2)")
            })?;
            Decay::gravity(args.gravity_scale, alpha, args.min_cost)
                .map_err(|e| anyhow!("{}.", e.french()))?
        }
        MethodArg::Gaussian => {
            let sigma = args.sigma.ok_or_else(|| {
                anyhow!("la méthode gaussienne demande --sigma (largeur, dans l'unité des temps)")
            })?;
            Decay::gaussian(sigma).map_err(|e| anyhow!("{}.", e.french()))?
        }
    };
    Ok(decay)
}

/// `tranche:poids,...` of --besoins-par-age.
fn need_bands(text: &str) -> anyhow::Result<Vec<NeedBand>> {
    let mut bands = Vec::new();
    for (i, item) in text.split(',').enumerate() {
        let item = item.trim();
        let (label, weight) = item
            .rsplit_once(':')
            .filter(|(label, _)| !label.trim().is_empty())
            .ok_or_else(|| anyhow!("option --besoins-par-age : l'élément n° {} « {} » n'est pas de la forme tranche:poids", i + 1, quoted(item)))?;
        let weight: f64 = weight.trim().parse().map_err(|_| {
            anyhow!(
                "option --besoins-par-age : « {} » n'est pas un nombre (tranche « {} ») ; utilisez le point décimal",
                quoted(weight.trim()),
                quoted(label.trim())
            )
        })?;
        bands.push(NeedBand {
            label: label.trim().to_string(),
            weight,
        });
    }
    Ok(bands)
}

pub fn run(args: AccessArgs) -> anyhow::Result<()> {
    // Parameters first: a typo in an option fails before any file is read.
    let decay = decay(&args)?;
    let unit = SupplyUnit::from(args.unit);
    let bands = args.need_bands.as_deref().map(need_bands).transpose()?;
    let params = Params {
        decay,
        max_cost: args.max_cost,
        scale: args.scale.unwrap_or(unit.default_scale()),
        normalize: args.normalize,
        sources: Sources {
            demand: Some(args.demand.display().to_string()),
            supply: Some(args.supply.display().to_string()),
            costs: Some(args.costs.display().to_string()),
        },
    };
    params.validate().map_err(|e| anyhow!("{}.", e.french()))?;

    let demand = match bands {
        Some(bands) => read_demand_by_age(&args.demand, bands),
        None => read_demand(&args.demand),
    }
    .map_err(|e| anyhow!(e.french()))?;
    let supply = read_supply(&args.supply, unit).map_err(|e| anyhow!(e.french()))?;
    let costs = read_costs(&args.costs, &demand, &supply).map_err(|e| anyhow!(e.french()))?;
    let result =
        compute(&demand, &supply, &costs, &params).map_err(|e| anyhow!("{}.", e.french()))?;

    let with_flag = demand.zones().iter().any(|z| z.outside_territory);
    write_atomically(&args.output, |out| {
        write_access(out, &demand, &result, with_flag)
    })?;
    if let Some(path) = &args.metadata {
        write_atomically(path, |out| {
            serde_json::to_writer_pretty(&mut *out, &result.metadata)?;
            writeln!(out)?;
            Ok(())
        })?;
    }
    report(&args.output, &result);
    Ok(())
}

/// `id,access[,hors_territoire]`, floats in their shortest exact form.
fn write_access(
    out: &mut dyn Write,
    demand: &Demand,
    result: &Accessibility,
    with_flag: bool,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    if with_flag {
        csv.write_record(["id", "access", maillage_access::tables::OUTSIDE_COLUMN])?;
    } else {
        csv.write_record(["id", "access"])?;
    }
    for (zone, access) in demand.zones().iter().zip(&result.access) {
        let value = format!("{access:?}");
        if with_flag {
            csv.write_record([
                zone.id.as_str(),
                &value,
                if zone.outside_territory { "1" } else { "0" },
            ])?;
        } else {
            csv.write_record([zone.id.as_str(), &value])?;
        }
    }
    csv.flush()?;
    Ok(())
}

/// Write beside the target then rename, so that a failure never leaves a partial or stale-looking file.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}.partiel", std::process::id()));
    let written = (|| {
        let file = std::fs::File::create(&temporary)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.flush()?;
        std::fs::rename(&temporary, path)?;
        anyhow::Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.with_context(|| {
        format!(
            "écriture impossible de « {} » ; vérifiez le dossier et les droits",
            path.display()
        )
    })
}

fn report(output: &Path, result: &Accessibility) {
    let m = &result.metadata;
    println!("{}", m.french());
    println!(
        "{} zones ({} hors territoire, {} sans population, {} sans accès), {} sites, {} couples dont {} utilisés.",
        m.zones,
        m.zones_outside_territory,
        m.zones_zero_demand,
        m.zones_without_access,
        m.sites,
        m.pairs,
        m.pairs_used
    );
    if !m.excluded_sites.is_empty() {
        let examples: Vec<&str> = m
            .excluded_sites
            .iter()
            .take(5)
            .map(|e| e.id.as_str())
            .collect();
        let more = if m.excluded_sites.len() > examples.len() {
            ", …"
        } else {
            ""
        };
        eprintln!(
            "attention : {} car leur ratio est indéfini ({} qu'aucune zone n'atteint, {} atteints \
             seulement par des zones sans population ; offre exclue : {}) : {}{more}",
            maillage_messages::count(m.excluded_sites.len(), "site exclu", "sites exclus"),
            m.sites_unreachable,
            m.sites_without_demand,
            m.excluded_supply.to_string().replace('.', ","),
            examples.join(", ")
        );
    }
    println!("Résultat écrit dans « {} ».", output.display());
}
