//! French wording of the observatory's methods: what each indicator counts, which GPs count as first recourse
//! (the rule in force), how places were located, why a figure is hidden. Every output (pages, exports, the PDF
//! report, the command line) states them in these words.

use maillage_indicators::Indicator;
use maillage_indicators::professions::{GpRule, Placement};
use maillage_indicators::secrecy::Secret;
use maillage_store::observatory::MethodContext;

/// The method of an indicator, written into every output.
pub fn method(indicator: Indicator) -> &'static str {
    match indicator {
        Indicator::Count => {
            "Nombre de professionnels distincts (identifiant national RPPS/ADELI) ayant au moins une activité \
                 en cours dans la zone : un lieu d'exercice y est placé par son adresse géocodée, ou à défaut par \
                 le code commune du fichier (il compte alors dans sa commune, pas dans un IRIS ni un quartier) ; \
                 pour les pharmacies, nombre d'officines (FINESS, catégorie 620). Une intercommunalité ou \
                 l'ensemble du territoire compte les professionnels de ses communes, chacun une fois."
        }
        Indicator::Per10k => {
            "Effectif ÷ population de la zone × 10 000 (pour une intercommunalité ou le territoire, somme \
                 des populations de ses communes)."
        }
        Indicator::Per100k => {
            "Effectif ÷ population de la zone × 100 000 (pour une intercommunalité ou le territoire, somme \
                 des populations de ses communes)."
        }
        Indicator::QpvPer10k => {
            "Professionnels exerçant dans au moins un QPV de la commune ÷ population des QPV × 10 000."
        }
        Indicator::RestPer10k => {
            "Professionnels exerçant hors QPV dans la commune ÷ (population de la commune − population \
                 des QPV) × 10 000."
        }
        Indicator::QpvRatio => "Densité dans les QPV ÷ densité dans le reste de la commune.",
        Indicator::Gp60PlusShare => {
            "Médecins généralistes de 60 ans et plus ÷ médecins généralistes dont l'âge est connu par \
                 l'enrichissement local × 100 (les âges ne figurent pas dans les données ouvertes)."
        }
    }
}

/// The method as outputs state it: [`method`] and what the base adds (which GPs count, how places were
/// located: [`method_context`]).
pub fn method_in(indicator: Indicator, context: &str) -> String {
    format!("{} {context}", method(indicator))
}

/// What every figure's method adds about this base: which GPs count as first recourse and how places were
/// located.
pub fn method_context(context: &MethodContext) -> String {
    format!(
        "{} {}",
        gp_rule(&context.rule),
        placement(&context.placement)
    )
}

/// Why a count is hidden, for legends and method notes.
pub fn secret(secret: Secret, threshold: u32) -> String {
    match secret {
        Secret::Threshold => format!("effectif inférieur à {threshold} (zéro compris), masqué"),
        Secret::Secondary => {
            "masqué pour qu'un autre effectif ne puisse pas se déduire des totaux publiés".into()
        }
    }
}

/// The GP rule in force, for the method text of every figure.
pub fn gp_rule(rule: &GpRule) -> String {
    let mut counted = vec![
        "en libéral (cabinet individuel ou de groupe, société)",
        "comme salariés d'un centre de santé (secteur SA05) ou d'une maison ou d'un pôle de santé (SA52)",
    ];
    let mut apart = Vec::new();
    for (included, wording) in [
        (
            rule.hospital,
            "en établissement de santé (secteurs SA01 à SA04, SA40)",
        ),
        (
            rule.out_of_hours,
            "en permanence des soins ambulatoires hors cabinet (SA50)",
        ),
        (
            rule.other_salaried,
            "comme salariés ou bénévoles d'autres structures (PMI, EHPAD, entreprise…)",
        ),
    ] {
        if included {
            counted.push(wording);
        } else {
            apart.push(wording);
        }
    }
    let who = if rule.doctors_without_skill {
        "médecins (profession 10) de savoir-faire SM26, SM53 ou SM54 (médecine générale) ou sans savoir-faire"
    } else {
        "médecins (profession 10) de savoir-faire SM26, SM53 ou SM54 (médecine générale)"
    };
    let mut text = format!(
        "Médecins généralistes de premier recours : {who}, exerçant {} (activités sans mode ni secteur \
         d'exercice comptées)",
        join_fr(&counted)
    );
    if apart.is_empty() {
        text.push_str(" ; aucune activité de médecine générale n'est comptée à part.");
    } else {
        text.push_str(&format!(
            " ; ceux exerçant {} sont comptés à part (« médecins généralistes hors premier recours »).",
            join_fr(&apart)
        ));
    }
    text
}

/// "a, b et c".
fn join_fr(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} et {last}", rest.join(", ")),
    }
}

/// How places were located, for the method text of every figure.
pub fn placement(p: &Placement) -> String {
    let places = |n: u64| if n > 1 { "lieux" } else { "lieu" };
    let sites = p.sites_by_position + p.sites_by_commune;
    let mut text = if sites == 0 {
        "Aucun lieu d'exercice de professionnel n'est enregistré".to_string()
    } else {
        let share = 100.0 * p.sites_by_position as f64 / sites as f64;
        format!(
            "Lieux d'exercice des professionnels : {} {} sur {sites} ({}) placés par leurs coordonnées \
             (géocodage de l'adresse), {} par le seul code commune du fichier (IRIS, quartiers et QPV \
             inconnus pour ceux-là)",
            p.sites_by_position,
            places(p.sites_by_position),
            fr_percent(share),
            p.sites_by_commune,
        )
    };
    let pharmacies = p.pharmacies_by_position + p.pharmacies_by_commune;
    if pharmacies > 0 {
        text.push_str(&format!(
            " ; officines : {} sur {pharmacies} placées par les coordonnées FINESS, {} par le code commune",
            p.pharmacies_by_position, p.pharmacies_by_commune
        ));
    }
    if p.unplaced > 0 {
        text.push_str(&format!(
            " ; {} {} sans coordonnées ni code commune, compté{} dans aucune zone",
            p.unplaced,
            places(p.unplaced),
            if p.unplaced > 1 { "s" } else { "" }
        ));
    }
    text.push('.');
    text
}

/// "42,5 %" (French decimal comma, one decimal).
fn fr_percent(v: f64) -> String {
    format!("{v:.1} %").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_has_a_method() {
        assert_eq!(
            maillage_kit::codes::check::<Indicator>(Some(&|i: Indicator| method(i).to_string())),
            Ok(())
        );
    }

    #[test]
    fn the_method_says_which_gps_count_and_how_places_were_located() {
        let by_commune = Placement {
            sites_by_commune: 7,
            ..Placement::default()
        };
        let text = method_context(&MethodContext {
            rule: GpRule::default(),
            placement: by_commune,
        });
        assert!(
            text.contains("0 lieu sur 7 (0,0 %) placés par leurs coordonnées"),
            "{text}"
        );
        assert!(text.contains("7 par le seul code commune"), "{text}");
        assert!(text.contains("SA05") && text.contains("SA01"), "{text}");
        let by_position = Placement {
            sites_by_position: 7,
            ..Placement::default()
        };
        assert!(placement(&by_position).contains("7 lieux sur 7 (100,0 %)"));
        assert_eq!(
            secret(Secret::Threshold, 5),
            "effectif inférieur à 5 (zéro compris), masqué"
        );
    }

    #[test]
    fn rule_text_names_sectors_counted_and_apart() {
        let text = gp_rule(&GpRule::default());
        assert!(text.contains("SM26, SM53 ou SM54"), "{text}");
        assert!(text.contains("SA05") && text.contains("SA52"), "{text}");
        let apart = text.split(" ; ").nth(1).unwrap();
        assert!(apart.contains("SA01") && apart.contains("SA50"), "{text}");
        let text = gp_rule(&GpRule {
            hospital: true,
            out_of_hours: true,
            other_salaried: true,
            doctors_without_skill: true,
        });
        assert!(
            text.contains("aucune activité de médecine générale n'est comptée à part"),
            "{text}"
        );
        assert!(text.contains("sans savoir-faire"), "{text}");
    }

    #[test]
    fn placement_text_gives_the_geocoded_share() {
        let text = placement(&Placement {
            sites_by_position: 3,
            sites_by_commune: 1,
            pharmacies_by_position: 2,
            pharmacies_by_commune: 0,
            unplaced: 1,
        });
        assert!(
            text.contains("3 lieux sur 4 (75,0 %) placés par leurs coordonnées"),
            "{text}"
        );
        assert!(text.contains("1 par le seul code commune"), "{text}");
        assert!(text.contains("officines : 2 sur 2"), "{text}");
        assert!(
            text.contains("1 lieu sans coordonnées ni code commune, compté dans aucune zone"),
            "{text}"
        );
    }
}
