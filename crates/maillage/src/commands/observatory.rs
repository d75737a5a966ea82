//! `maillage zones` and `maillage indicateurs`: what the observatory shows, on the command line.

use super::base::{BaseArg, block_on, fr, nombre, open, print_json};
use clap::{Args, ValueEnum};
use maillage_formats::apl::AplVariant;
use maillage_indicators::{Audit, Indicator, IndicatorRow, PROFESSIONS, Policy};
use maillage_store::{accessibility, observatory, zones};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Arguments de `maillage zones`.
#[derive(Args, Debug)]
pub struct ZonesArgs {
    /// Sortie JSON : un tableau de zones {code, kind, name, population}
    #[arg(long)]
    pub json: bool,
    /// Ne montrer qu'un type de zone (commune, iris, quartier, qpv, epci, arrondissement…)
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn zones(args: ZonesArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        let list: Vec<_> = zones::list(&store)
            .await
            .map_err(fr)?
            .into_iter()
            .filter(|z| args.kind.as_deref().is_none_or(|k| z.kind.as_str() == k))
            .collect();
        if args.json {
            let out: Vec<_> = list
                .iter()
                .map(|z| {
                    json!({
                        "code": z.code,
                        "kind": z.kind.as_str(),
                        "name": z.name,
                        "population": z.population.as_ref().map(|p| population_number(p.value)),
                        "population_vintage": z.population.as_ref().map(|p| p.vintage),
                        "population_method": z.population.as_ref().map(|p| p.method),
                        "parent": z.parent_code,
                    })
                })
                .collect();
            return print_json(&out);
        }
        if list.is_empty() {
            println!(
                "Aucune zone : importez des communes, des IRIS ou des contours (maillage import --help)."
            );
            return Ok(());
        }
        println!(
            "{:<15} {:<12} {:<45} {:>12}",
            "type", "code", "nom", "population"
        );
        for z in &list {
            let pop = z
                .population
                .as_ref()
                .map_or("—".to_string(), |p| nombre(p.value, 0));
            println!(
                "{:<15} {:<12} {:<45} {:>12}",
                z.kind.as_str(),
                z.code,
                truncate(&z.name, 45),
                pop
            );
        }
        println!("{}.", maillage_messages::count(list.len(), "zone", "zones"));
        Ok(())
    })
}

/// Whole numbers stay whole in JSON (INSEE IRIS figures may be decimals: they stay decimals).
fn population_number(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Csv,
    Json,
}

/// Arguments de `maillage indicateurs`.
#[derive(Args, Debug)]
pub struct IndicatorArgs {
    /// Format de sortie
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Fichier de sortie (sinon la sortie standard)
    #[arg(long, value_name = "FICHIER")]
    pub sortie: Option<PathBuf>,
    /// Pour une diffusion hors de la commune : applique le secret statistique (petits effectifs masqués,
    /// secret secondaire pour qu'ils ne se déduisent pas des totaux)
    #[arg(long)]
    pub diffusion: bool,
    /// Plus petit effectif diffusable (avec --diffusion)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..=100))]
    pub seuil: u32,
    /// Niveau de protection (avec --diffusion) : chaque effectif masqué sous le seuil doit pouvoir valoir, au
    /// vu de tout ce qui est publié, de 0 jusqu'à ce nombre au moins ; par défaut le seuil
    #[arg(long, value_name = "EFFECTIF", requires = "diffusion")]
    pub protection: Option<u32>,
    /// Audit du secret (avec --diffusion) : pour chaque effectif masqué sous le seuil, l'intervalle des valeurs
    /// qu'un lecteur peut en déduire (programmation linéaire sur le tableau publié et ses totaux). Affiché à la
    /// place du tableau, ou à côté de --sortie ; code de sortie 1 si une case n'est pas protégée
    #[arg(long, requires = "diffusion")]
    pub audit: bool,
    /// Ne garder que ces professions (codes séparés par des virgules, ex. medecin_generaliste,infirmier)
    #[arg(long, value_delimiter = ',')]
    pub profession: Vec<String>,
    /// Ne garder que ce type de zone (commune, iris, quartier, qpv, arrondissement, epci, territoire,
    /// departement, france)
    #[arg(long = "type-zone")]
    pub zone_kind: Option<String>,
    #[command(flatten)]
    pub base: BaseArg,
}

const CSV_HEADER: &[&str] = &[
    "indicateur",
    "type_zone",
    "code_zone",
    "nom_zone",
    "profession",
    "valeur",
    "numerateur",
    "denominateur",
    "unite",
    "millesime_population",
    "secret",
    "motif_secret",
    "methode",
    "annee",
    "variante",
    "perimetre",
];

pub fn indicators(args: IndicatorArgs) -> anyhow::Result<()> {
    for p in &args.profession {
        if !PROFESSIONS.iter().any(|x| x.code == p) {
            anyhow::bail!(
                "profession inconnue « {p} » ; professions suivies : {}",
                PROFESSIONS
                    .iter()
                    .map(|p| p.code)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    block_on(async {
        let store = open(&args.base).await?;
        let inputs = observatory::indicator_inputs(&store).await.map_err(fr)?;
        let mut rows = maillage_indicators::compute(&inputs);
        let policy = Policy {
            threshold: args.seuil,
            protection: f64::from(args.protection.unwrap_or(args.seuil)),
        };
        // Secrecy is applied to the whole table first, so filtering cannot reveal a hidden cell.
        let audit = args
            .diffusion
            .then(|| maillage_indicators::suppress(&mut rows, &inputs, &policy));
        rows.retain(|r| {
            (args.profession.is_empty() || args.profession.contains(&r.profession))
                && args.zone_kind.as_deref().is_none_or(|k| r.zone_kind == k)
        });
        let apl = if args.zone_kind.as_deref().is_none_or(|k| k == "commune") {
            accessibility::apl_all(&store).await.map_err(fr)?
        } else {
            Vec::new()
        };
        let apl_rows: Vec<AplIndicatorRow> = apl_indicator_rows(&apl)
            .filter(|r| args.profession.is_empty() || args.profession.contains(&r.apl.profession))
            .collect();
        let sources = observatory::sources(&store).await.map_err(fr)?;
        let territory = maillage_store::territory::load(&store).await.map_err(fr)?;
        let audit = audit.filter(|_| args.audit);
        if let Some(audit) = &audit {
            print_audit(audit, args.format)?;
            if args.sortie.is_none() {
                return audit_outcome(audit);
            }
        }
        // Every figure's method also says which GPs count and how places were located.
        let method_context = maillage_messages::indicators::method_context(
            &observatory::method_context(&store).await.map_err(fr)?,
        );
        let method = |i: Indicator| maillage_messages::indicators::method_in(i, &method_context);
        let mut out: Box<dyn Write> = match &args.sortie {
            Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).map_err(
                |e| anyhow::anyhow!("impossible d'écrire « {} » : {e}", p.display()),
            )?)),
            None => Box::new(std::io::stdout().lock()),
        };
        match args.format {
            Format::Json => {
                let doc = json!({
                    "territoire": territory.name,
                    "genere_le": maillage_store::now(),
                    "secret_statistique": if args.diffusion { json!({
                        "seuil": args.seuil, "secondaire": true, "protection": policy.protection,
                        "motifs": { "seuil": maillage_messages::indicators::secret(maillage_indicators::Secret::Threshold, args.seuil),
                                    "secondaire": maillage_messages::indicators::secret(maillage_indicators::Secret::Secondary, args.seuil) },
                    }) } else { serde_json::Value::Null },
                    "methodes": Indicator::ALL.iter().map(|i| (i.code().to_string(), json!(method(*i))))
                        .chain([(APL_INDICATOR.to_string(), json!(APL_METHOD))])
                        .collect::<serde_json::Map<_, _>>(),
                    "sources": sources.iter().map(|b| json!({
                        "type": b.kind, "fichier": b.file_name, "sha256": b.sha256,
                        "millesime": b.vintage, "importe_le": b.imported_at,
                    })).collect::<Vec<_>>(),
                    "indicateurs": rows.iter().map(row_json)
                        .chain(apl_rows.iter().map(apl_row_json))
                        .collect::<Vec<_>>(),
                });
                serde_json::to_writer_pretty(&mut out, &doc)?;
                writeln!(out)?;
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(CSV_HEADER)?;
                for r in &rows {
                    let num = |v: Option<f64>| v.map(format_decimal).unwrap_or_default();
                    w.write_record([
                        r.indicator.code(),
                        &r.zone_kind,
                        &r.zone_code,
                        &r.zone_name,
                        &r.profession,
                        &r.secret_mark(args.seuil).unwrap_or_else(|| num(r.value)),
                        &num(r.numerator),
                        &num(r.denominator),
                        r.indicator.unit(),
                        &r.population_vintage
                            .map(|v| v.to_string())
                            .unwrap_or_default(),
                        if r.is_secret() { "oui" } else { "non" },
                        r.secret.map_or("", |m| m.code()),
                        &method(r.indicator),
                        "",
                        "",
                        r.perimeter(),
                    ])?;
                }
                for r in &apl_rows {
                    let a = r.apl;
                    w.write_record([
                        APL_INDICATOR,
                        "commune",
                        &a.commune_code,
                        a.commune_name.as_deref().unwrap_or(&a.commune_code),
                        &a.profession,
                        &r.value.map(format_decimal).unwrap_or_default(),
                        "",
                        "",
                        apl_unit(&a.profession),
                        &a.population_vintage
                            .map(|v| v.to_string())
                            .unwrap_or_default(),
                        "non",
                        "",
                        APL_METHOD,
                        &a.year.to_string(),
                        r.variant.code(),
                        "",
                    ])?;
                }
                w.flush()?;
                if let Some(p) = &args.sortie {
                    let sources_path = p.with_extension("sources.json");
                    let doc = json!({
                        "sources": sources.iter().map(|b| json!({
                            "type": b.kind, "fichier": b.file_name, "sha256": b.sha256,
                            "millesime": b.vintage, "importe_le": b.imported_at,
                        })).collect::<Vec<_>>(),
                        "genere_le": maillage_store::now(),
                        "secret_statistique": args.diffusion.then_some(args.seuil),
                    });
                    std::fs::write(&sources_path, serde_json::to_string_pretty(&doc)?)?;
                    eprintln!("Sources et dates : « {} ».", sources_path.display());
                }
            }
        }
        match &audit {
            Some(audit) => audit_outcome(audit),
            None => Ok(()),
        }
    })
}

/// The audit of the published table, in French or in JSON.
fn print_audit(audit: &Audit, format: Format) -> anyhow::Result<()> {
    if let Format::Json = format {
        return print_json(&json!({ "audit_secret": audit_json(audit) }));
    }
    println!(
        "Audit du secret statistique — seuil {}, protection : chaque effectif masqué sous le seuil doit \
         pouvoir valoir de 0 à {} au moins, au vu de tout ce qui est publié et des totaux (programmation \
         linéaire sur le tableau).",
        audit.threshold,
        nombre(audit.protection, 0)
    );
    for (profession, (threshold, secondary)) in &audit.hidden {
        let label = maillage_indicators::professions::by_code(profession)
            .map_or(profession.as_str(), |p| p.label);
        println!(
            "  {label} : {} masquée{} ({threshold} sous le seuil, {secondary} en secret secondaire).",
            cases(threshold + secondary),
            if threshold + secondary > 1 { "s" } else { "" },
        );
    }
    let failures: Vec<_> = audit.failures().collect();
    println!(
        "{} contrôlé{} : {}.",
        effectifs(audit.checks.len()),
        if audit.checks.len() > 1 { "s" } else { "" },
        if failures.is_empty() {
            "tous protégés".to_string()
        } else {
            format!(
                "{} trop peu protégé{}",
                failures.len(),
                if failures.len() > 1 { "s" } else { "" }
            )
        }
    );
    let describe = |c: &maillage_indicators::Check| {
        format!(
            "{} « {} » ({}), {}, {} : entre {} et {}",
            maillage_web::pages::observatory::zone_kind_singular(&c.zone_kind),
            c.zone_name,
            c.zone_code,
            maillage_indicators::professions::by_code(&c.profession)
                .map_or(c.profession.as_str(), |p| p.label),
            c.measure.label(),
            nombre(c.lower, 1),
            c.upper.map_or("l'infini".to_string(), |u| nombre(u, 1)),
        )
    };
    for c in &failures {
        println!("  Non protégé : {}.", describe(c));
    }
    if let Some(c) = audit.tightest() {
        println!("Le moins protégé : {}.", describe(c));
    }
    Ok(())
}

fn audit_json(audit: &Audit) -> serde_json::Value {
    json!({
        "seuil": audit.threshold,
        "protection": audit.protection,
        "conforme": audit.passes(),
        "cases_masquees": audit.hidden.iter().map(|(p, (t, s))| json!({
            "profession": p, "seuil": t, "secondaire": s,
        })).collect::<Vec<_>>(),
        "controles": audit.checks.iter().map(|c| json!({
            "type_zone": c.zone_kind, "code_zone": c.zone_code, "nom_zone": c.zone_name,
            "profession": c.profession, "mesure": c.measure, "minimum": c.lower, "maximum": c.upper,
            "protege": c.protected,
        })).collect::<Vec<_>>(),
    })
}

fn audit_outcome(audit: &Audit) -> anyhow::Result<()> {
    if audit.passes() {
        Ok(())
    } else {
        anyhow::bail!(
            "le secret statistique ne protège pas {} : ne diffusez pas ce tableau et signalez-le",
            effectifs(audit.failures().count())
        )
    }
}

fn cases(n: usize) -> String {
    format!("{n} case{}", if n > 1 { "s" } else { "" })
}

fn effectifs(n: usize) -> String {
    format!("{n} effectif{}", if n > 1 { "s" } else { "" })
}

/// The GP rule in force and how places were located, in French: appended to every indicator's method.
fn format_decimal(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.4}")
    }
}

fn row_json(r: &IndicatorRow) -> serde_json::Value {
    json!({
        "indicateur": r.indicator.code(),
        "type_zone": r.zone_kind,
        "code_zone": r.zone_code,
        "nom_zone": r.zone_name,
        "profession": r.profession,
        "valeur": r.value,
        "numerateur": r.numerator,
        "denominateur": r.denominator,
        "unite": r.indicator.unit(),
        "millesime_population": r.population_vintage,
        "secret": r.is_secret(),
        "motif_secret": r.secret.map(|m| m.code()),
        "perimetre": r.perimeter(),
    })
}

/// The DREES APL as the observatory lists it: published values, imported as they are (no secrecy applies:
/// they are not counts of people).
const APL_INDICATOR: &str = "apl_drees";
const APL_METHOD: &str = "Accessibilité potentielle localisée publiée par la DREES (fichier importé tel quel) : \
     offre de soins accessible aux habitants de la commune, pondérée par la distance et la demande par âge ; \
     une ligne par année et par variante (professionnels de tous âges, de 65, 62 ou 60 ans et moins).";

/// DREES expresses the GP APL in consultations, the other professions' in full-time equivalents.
fn apl_unit(profession: &str) -> &'static str {
    if profession == maillage_indicators::professions::GP {
        "consultations par an et par habitant standardisé"
    } else {
        "ETP pour 100 000 habitants standardisés"
    }
}

/// One variant of one imported APL.
struct AplIndicatorRow<'a> {
    apl: &'a accessibility::Apl,
    variant: AplVariant,
    value: Option<f64>,
}

/// A row per variant the file gave (the all-ages one always, even without a value).
fn apl_indicator_rows(apl: &[accessibility::Apl]) -> impl Iterator<Item = AplIndicatorRow<'_>> {
    apl.iter().flat_map(|a| {
        AplVariant::ALL.into_iter().filter_map(move |variant| {
            let value = a.value(variant);
            (value.is_some() || variant == AplVariant::AllAges).then_some(AplIndicatorRow {
                apl: a,
                variant,
                value,
            })
        })
    })
}

fn apl_row_json(r: &AplIndicatorRow) -> serde_json::Value {
    let a = r.apl;
    json!({
        "indicateur": APL_INDICATOR,
        "type_zone": "commune",
        "code_zone": a.commune_code,
        "nom_zone": a.commune_name.as_deref().unwrap_or(&a.commune_code),
        "profession": a.profession,
        "valeur": r.value,
        "numerateur": null,
        "denominateur": null,
        "unite": apl_unit(&a.profession),
        "millesime_population": a.population_vintage,
        "secret": false,
        "annee": a.year,
        "variante": r.variant.code(),
        "libelle_variante": r.variant.label(),
    })
}
