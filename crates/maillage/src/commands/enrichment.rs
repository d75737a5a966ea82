//! `maillage enrichir`: what the commune knows that open data lacks.

use super::base::{BaseArg, block_on, fr, open, print_json};
use clap::{Args, ValueEnum};
use maillage_store::enrichment::{self, Enrichment, Subject};

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SubjectArg {
    Professionnel,
    Site,
    Etablissement,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum YesNo {
    Oui,
    Non,
}

impl From<YesNo> for bool {
    fn from(v: YesNo) -> bool {
        matches!(v, YesNo::Oui)
    }
}

/// Arguments de `maillage enrichir`.
#[derive(Args, Debug)]
pub struct EnrichArgs {
    /// Identifiant : identification nationale du professionnel (RPPS/ADELI), clé du lieu d'exercice ou n° FINESS
    pub identifiant: String,
    /// À quoi se rapporte l'enrichissement
    #[arg(long, value_enum, default_value = "professionnel")]
    pub sujet: SubjectArg,
    /// Année de naissance
    #[arg(long, conflicts_with = "age")]
    pub annee_naissance: Option<i64>,
    /// Âge aujourd'hui (converti en année de naissance)
    #[arg(long)]
    pub age: Option<i64>,
    /// Année de départ en retraite envisagée
    #[arg(long)]
    pub depart_prevu: Option<i64>,
    /// Exerce à temps partiel
    #[arg(long, value_enum)]
    pub temps_partiel: Option<YesNo>,
    /// Accepte de nouveaux patients (médecin traitant)
    #[arg(long, value_enum)]
    pub nouveaux_patients: Option<YesNo>,
    /// Pratique la téléconsultation
    #[arg(long, value_enum)]
    pub teleconsultation: Option<YesNo>,
    /// Note libre (remplace la précédente)
    #[arg(long)]
    pub note: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn run(args: EnrichArgs) -> anyhow::Result<()> {
    let this_year = i64::from(jiff::Zoned::now().year());
    let update = Enrichment {
        birth_year: args.annee_naissance.or(args.age.map(|a| this_year - a)),
        planned_retirement_year: args.depart_prevu,
        part_time: args.temps_partiel.map(Into::into),
        accepting_new_patients: args.nouveaux_patients.map(Into::into),
        teleconsultation: args.teleconsultation.map(Into::into),
        notes: args.note,
    };
    let subject = match args.sujet {
        SubjectArg::Professionnel => Subject::Professionnel,
        SubjectArg::Site => Subject::Site,
        SubjectArg::Etablissement => Subject::Etablissement,
    };
    block_on(async {
        let store = open(&args.base).await?;
        let user = std::env::var("USER").unwrap_or_else(|_| "ligne de commande".into());
        let merged = enrichment::update(&store, subject, &args.identifiant, &update, &user)
            .await
            .map_err(fr)?;
        if args.json {
            return print_json(&merged);
        }
        println!(
            "Enrichissement local enregistré pour {} « {} ».",
            subject.as_str(),
            args.identifiant
        );
        Ok(())
    })
}
