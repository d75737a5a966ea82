//! What the pages say about a stored accessibility run beside its values: its unit, and how it compares with
//! the DREES APL (same unit or comparable forms only; or that no APL is imported and how to get one).

use maillage_store::accessibility::Run;
use maillage_web_kit::layout::number;

/// The unit of a run's values: written in its metadata since activity supply and standardised demand
/// (`unite`); deduced from the scale for the runs stored before.
pub fn unit(run: &Run) -> String {
    if let Some(u) = run.metadata.get("unite").and_then(|v| v.as_str()) {
        return u.to_string();
    }
    match run
        .metadata
        .pointer("/methode/echelle")
        .and_then(|v| v.as_f64())
    {
        Some(s) if s > 1.0 => format!("professionnels pour {} habitants", number(s, 0)),
        Some(_) => "par habitant".into(),
        None => "indice d'accessibilité (sans unité)".into(),
    }
}

/// One sentence on the comparison with the DREES APL written into the run's metadata, when there is one.
pub fn apl_comparison(run: &Run) -> Option<String> {
    let c = run.metadata.get("comparaison_apl")?;
    if c["apl_importee"].as_bool() != Some(true) {
        return Some(
            first_upper(
                c["message"]
                    .as_str()
                    .unwrap_or(maillage_messages::analysis::APL_HOW_TO),
            ) + ".",
        );
    }
    let communes = c["communes_comparees"].as_u64().unwrap_or(0);
    let communes = format!(
        "{communes} {}",
        if communes > 1 { "communes" } else { "commune" }
    );
    let spearman = c["correlation_rangs_spearman"].as_f64().map_or(
        "non calculable (moins de 3 communes ou valeurs toutes égales)".to_string(),
        |r| number(r, 2),
    );
    let year = c["annee_drees"]
        .as_i64()
        .map(|y| format!(" {y}"))
        .unwrap_or_default();
    let drees_unit = c["unite_drees"].as_str().unwrap_or_default();
    Some(if c["unites_identiques"].as_bool() == Some(true) {
        format!(
            "Comparaison avec l'APL de la DREES{year} dans la même unité ({drees_unit}), sur {communes} ; \
             corrélation des rangs (Spearman) : {spearman}."
        )
    } else {
        format!(
            "L'APL de la DREES{year} est dans une autre unité ({drees_unit}) : les valeurs ne se comparent pas \
             entre elles, seulement leurs indices (moyenne du territoire pondérée par la population = 100) et \
             leurs rangs ; corrélation des rangs (Spearman) sur {communes} : {spearman}."
        )
    })
}

fn first_upper(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
