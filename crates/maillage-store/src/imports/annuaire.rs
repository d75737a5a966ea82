//! Annuaire santé `PS_LibreAcces_Personne_activite`: professionals, their activities and practice sites. The
//! file is the activity file itself or the ANS zip bundle holding it (see `AnnuaireInput`).

use super::{PROGRESS_EVERY, Progress, date_in_file_name};
use crate::batch::Source;
use crate::codec::row_hash;
use crate::rows::key_digest;
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::supply::{Activity, AnnuaireTables, PracticeSite, Professional};
use crate::zones::{RowChange, combine};
use crate::{Result, Store, locations, reference, territory};
use maillage_formats::annuaire::{Activite, AnnuaireInput, Profession, RawActivite, col};
use maillage_indicators::professions::GpPractice;
use std::collections::HashMap;
use std::path::Path;

pub async fn import(store: &Store, path: &Path, progress: &dyn Progress) -> Result<ImportReport> {
    let filter = territory::filter(store).await?;
    let mut input = AnnuaireInput::open(path)?;
    // A bundle's name may carry no date; its activity file always does.
    let vintage =
        date_in_file_name(path).or_else(|| date_in_file_name(Path::new(input.activity_name())));
    let mut reader = input.reader()?;
    let source = Source::of_file(crate::imports::SourceKind::Annuaire.code(), path, vintage)?;
    let mut s = ImportSession::start(store, source).await?;
    if let Some(warning) = reader.unknown_columns_warning() {
        s.note(ImportNote::Format { warning });
    }
    let mut tables = AnnuaireTables::load(&mut s.tx, s.batch_id).await?;
    // What happened to each person and site this batch, by key digest (an activity combines the three).
    let mut site_changes: HashMap<u128, RowChange> = HashMap::new();
    let mut person_changes: HashMap<u128, RowChange> = HashMap::new();
    // Every row, in the territory or not, also counts for its département and France.
    let mut references = reference::Tally::default();

    while let Some(raw) = reader.next_raw() {
        let raw = raw?;
        s.counts.rows_read += 1;
        if s.counts.rows_read % PROGRESS_EVERY == 0 {
            progress.rows(s.counts.rows_read, Some(raw.bytes));
        }
        count_reference(&mut references, &raw, &filter);
        // Filter on the raw fields: rows of other territories are not written.
        if !filter.keeps(
            Some(raw.get(col::COMMUNE_CODE)),
            Some(raw.get(col::POSTAL_CODE)),
        ) {
            s.counts.filtered += 1;
            continue;
        }
        let a = raw.to_record();
        let Some(national_id) = a.national_id.clone() else {
            s.counts.rejected += 1;
            s.note(ImportNote::MissingNationalId { line: a.line });
            continue;
        };
        let site = site_of(&a, &filter);
        let activity = Activity {
            national_id: national_id.clone(),
            site_key: Some(site.site_key.clone()),
            profession_code: a.profession_code.clone().unwrap_or_default(),
            profession_label: a.profession_label.clone(),
            category_code: a.category_code.clone(),
            skill_type_code: a.skill_type_code.clone(),
            skill_code: a.skill_code.clone(),
            skill_label: a.skill_label.clone(),
            practice_mode_code: a.practice_mode_code.clone(),
            practice_mode_label: a.practice_mode_label.clone(),
            sector_code: a.activity_sector_code.clone(),
            sector_label: a.activity_sector_label.clone(),
            profession: a.profession().map(|p| p.code().to_string()),
        };
        let key = activity.key();
        if tables.activities.seen(&key) {
            s.counts.rejected += 1;
            s.note(ImportNote::DuplicateActivity { line: a.line });
            continue;
        }
        let person_digest = key_digest(&national_id);
        let site_digest = key_digest(&site.site_key);
        if let std::collections::hash_map::Entry::Vacant(e) = person_changes.entry(person_digest) {
            let person = Professional {
                national_id: national_id.clone(),
                id_type: a.id_type.clone().unwrap_or_default(),
                pp_id: a.pp_id.clone().unwrap_or_default(),
                civility: a.practice_title_label.clone().or(a.civility_label.clone()),
                last_name: a.last_name.clone().unwrap_or_default(),
                first_name: a.first_name.clone(),
            };
            let change = tables
                .professionals
                .put(&mut s.tx, &national_id, person.values())
                .await?;
            e.insert(change);
        }
        if let std::collections::hash_map::Entry::Vacant(e) = site_changes.entry(site_digest) {
            let change = tables
                .sites
                .put(&mut s.tx, &site.site_key, site.values())
                .await?;
            e.insert(change);
        }
        let change = tables
            .activities
            .put(&mut s.tx, &key, activity.values())
            .await?;
        let change = combine(
            change,
            combine(site_changes[&site_digest], person_changes[&person_digest]),
        );
        s.counts.record(change);
        tables.flush_if_full(&mut s.tx).await?;
    }
    progress.rows(s.counts.rows_read, None);
    tables.flush(&mut s.tx).await?;
    s.counts.removed = tables.activities.mark_unseen_removed(&mut s.tx).await?;
    tables.sites.mark_unseen_removed(&mut s.tx).await?;
    tables.professionals.mark_unseen_removed(&mut s.tx).await?;
    let geocoding = crate::geocoding::geocode_sites(&mut s.tx).await?;
    let located = locations::refresh(&mut s.tx).await?;
    let professions: Vec<&'static str> = Profession::ALL.iter().map(|p| p.code()).collect();
    let references = reference::record(&mut s, "annuaire", &references, &professions).await?;
    let vintage = s.source.vintage.clone();
    s.commit(
        vintage,
        serde_json::json!({ "geocodage": geocoding, "localisation": located, "references": references }),
    )
    .await
}

/// Counts a row's professional for the département of its practice site and for France, with the
/// classification of the territory's supply ([`Activite::profession`]). Rows the territory import rejects
/// (no national identifier) are not counted either. The row's record is built for it (a few small allocations
/// per row, little beside reading the national file) so that the classification is exactly the supply's.
fn count_reference(
    tally: &mut reference::Tally,
    raw: &RawActivite<'_>,
    filter: &territory::Filter,
) {
    if raw.get(col::NATIONAL_ID).is_empty() {
        return;
    }
    let a = raw.to_record();
    let Some(national_id) = a.national_id.as_deref() else {
        return;
    };
    let commune = commune_of(&a, filter);
    let practice = || {
        GpPractice::of(
            a.practice_mode_code.as_deref(),
            a.activity_sector_code.as_deref(),
        )
    };
    match a.profession() {
        // GPs by their way of practising, so that the GP rule in force applies when figures are read.
        Some(Profession::MedecinGeneraliste) => {
            tally.add_gp(commune.as_deref(), practice(), false, national_id)
        }
        Some(profession) => tally.add(commune.as_deref(), profession.code(), national_id),
        None if a.profession_code.as_deref() == Some("10")
            && a.skill_code.is_none()
            && a.skill_label.is_none() =>
        {
            tally.add_gp(commune.as_deref(), practice(), true, national_id)
        }
        None => {}
    }
}

/// The commune of a row's practice site: its code, or for a territory's postcode without one, the commune of
/// that postcode.
fn commune_of(a: &Activite, filter: &territory::Filter) -> Option<String> {
    a.commune_code.clone().or_else(|| {
        a.postal_code
            .as_deref()
            .and_then(|p| filter.commune_of_postcode(p))
            .map(str::to_string)
    })
}

/// The practice site of a row. Its key is the structure's technical identifier when the file gives one (stable
/// across editions), otherwise a hash of what identifies the place.
fn site_of(a: &Activite, filter: &territory::Filter) -> PracticeSite {
    let site_key = match &a.structure_id {
        Some(id) => id.clone(),
        None => format!(
            "adresse:{}",
            row_hash([
                a.site_siret.as_deref(),
                a.site_finess.as_deref(),
                a.company_name.as_deref(),
                a.street_number.as_deref(),
                a.repetition_index.as_deref(),
                a.street_type_label.as_deref(),
                a.street_name.as_deref(),
                a.postal_code.as_deref(),
                a.commune_code.as_deref(),
            ])
        ),
    };
    let commune_code = commune_of(a, filter);
    let extra = [
        a.recipient_complement.as_deref(),
        a.place_complement.as_deref(),
        a.distribution_mention.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    PracticeSite {
        site_key,
        structure_id: a.structure_id.clone(),
        siret: a.site_siret.clone(),
        finess_site: a.site_finess.clone(),
        finess_legal: a.legal_entity_finess.clone(),
        name: a.trade_name.clone().or(a.company_name.clone()),
        address_number: a.street_number.clone(),
        address_repetition: a.repetition_index.clone(),
        street_type: a.street_type_label.clone().or(a.street_type_code.clone()),
        street: a.street_name.clone(),
        address_extra: (!extra.is_empty()).then_some(extra),
        postcode: a.postal_code.clone(),
        commune_code,
        commune_name: a.commune_label.clone(),
        departement: a.departement_code.clone(),
        phone: a.phone.clone(),
        email: a.email.clone(),
        // Positions come from the BAN (geocoding) or a later manual correction, never from this file.
        position: None,
        geocode_quality: None,
    }
}
