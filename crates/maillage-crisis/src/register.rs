//! The register of vulnerable people kept by the mayor (CASF L121-6-1 and R121-2 to R121-12; CNIL fiche of
//! 14 April 2020).
//!
//! - Eligible (R121-2): people aged 65 or more living at home; people aged 60 or more recognised unfit for work
//!   living at home; disabled adults living at home. Registration is voluntary.
//! - Requested by the person, their legal representative, or a third party (relative, neighbour, doctor,
//!   home-care service) in writing; a person registered by a third party is informed and may refuse.
//! - Data (R121-3): identity, date of birth, address, phone, the quality under which the person is registered,
//!   the quality of the requester, the person to contact in an emergency, the home-care services, optionally the
//!   médecin traitant. [`Registration`] has these fields and no other.
//! - The mayor acknowledges the registration within 8 days; the registration is confirmed every year (practice
//!   of the communes: the register is refreshed before each summer); removal at the person's request.

use crate::error::Ineligibility;
use crate::fields;
use crate::{CrisisError, coded, parse_code};
use jiff::ToSpan;
use jiff::civil::Date;

coded! {
    /// The quality under which a person is registered (R121-2).
    pub enum Basis {
        /// 65 or more, living at home.
        Age65 => "age_65",
        /// 60 or more and recognised unfit for work, living at home.
        Inapte60 => "inapte_60",
        /// A disabled adult (AAH, carte mobilité inclusion, pension d'invalidité...) living at home.
        AdulteHandicape => "adulte_handicape",
    }
}

impl Basis {
    /// The minimum age the basis requires.
    pub fn minimum_age(self) -> i16 {
        match self {
            Basis::Age65 => 65,
            Basis::Inapte60 => 60,
            Basis::AdulteHandicape => 18,
        }
    }
}

coded! {
    /// Who asked for the registration (R121-3: "la qualité de la personne qui a demandé l'inscription").
    pub enum Requester {
        Personne => "personne",
        RepresentantLegal => "representant_legal",
        Proche => "proche",
        Voisin => "voisin",
        Medecin => "medecin",
        ServiceDomicile => "service_domicile",
        AutreTiers => "autre_tiers",
    }
}

impl Requester {
    /// A third party: the person must be informed and may refuse (R121-4).
    pub fn is_third_party(self) -> bool {
        !matches!(self, Requester::Personne | Requester::RepresentantLegal)
    }
}

coded! {
    /// Why a person left the register. The person's data is deleted; only the reason is counted.
    pub enum RemovalReason {
        /// At the person's request (any time, no reason needed).
        Demande => "demande",
        Deces => "deces",
        Demenagement => "demenagement",
        /// Not confirmed after the yearly reminder.
        NonConfirmation => "non_confirmation",
        Autre => "autre",
    }
}

/// Age in full years on `day`.
pub fn age_on(birth: Date, day: Date) -> i16 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Checks the conditions of R121-2 on the day of the request.
pub fn check_eligibility(
    basis: Basis,
    birth: Date,
    living_at_home: bool,
    on: Date,
) -> Result<(), Ineligibility> {
    if birth > on {
        return Err(Ineligibility::BornAfterRequest);
    }
    if !living_at_home {
        return Err(Ineligibility::NotAtHome);
    }
    let age = age_on(birth, on);
    let required = basis.minimum_age();
    if age < required {
        return Err(Ineligibility::TooYoung { age, required });
    }
    Ok(())
}

/// A registration as typed in the form (every field as text).
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm {
    pub last_name: String,
    pub first_name: String,
    pub birth_date: String,
    pub address: String,
    pub phone: String,
    pub basis: String,
    pub living_at_home: bool,
    pub requester: String,
    /// The date the request was received (the registration takes effect on it).
    pub requested_on: String,
    /// For a third party's request: the date the person was informed.
    pub informed_on: String,
    /// The person, informed, refused: nothing is registered.
    pub refused: bool,
    pub emergency_contact: String,
    pub emergency_phone: String,
    pub home_care: String,
    pub doctor: String,
}

/// A checked registration: the fields R121-3 allows, nothing more.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Date,
    pub address: String,
    pub phone: Option<String>,
    pub basis: Basis,
    pub requester: Requester,
    pub requested_on: Date,
    pub informed_on: Option<Date>,
    pub emergency_contact: Option<String>,
    pub emergency_phone: Option<String>,
    pub home_care: Option<String>,
    pub doctor: Option<String>,
}

/// Checks a registration form on `today` (the request cannot be dated in the future).
pub fn validate(form: &RegistrationForm, today: Date) -> Result<Registration, CrisisError> {
    let last_name = fields::required("nom", &form.last_name, 100)?;
    let first_name = fields::required("prenom", &form.first_name, 100)?;
    let birth_date = fields::date("date_naissance", &form.birth_date)?.ok_or(
        CrisisError::Field(crate::FieldError::MissingField {
            field: "date_naissance",
        }),
    )?;
    let address = fields::required("adresse", &form.address, 300)?;
    let phone = fields::phone("telephone", &form.phone)?;
    let basis: Basis = parse_code("qualite", &form.basis)?;
    let requester: Requester = parse_code("demandeur", &form.requester)?;
    let requested_on = fields::date("date_demande", &form.requested_on)?.unwrap_or(today);
    if requested_on > today {
        return Err(CrisisError::Field(crate::FieldError::InvalidField {
            field: "date_demande",
            expected: "date passée ou du jour",
        }));
    }
    let informed_on = fields::date("date_information", &form.informed_on)?;
    if form.refused {
        return Err(CrisisError::PersonRefused);
    }
    if requester.is_third_party() && informed_on.is_none() {
        return Err(CrisisError::PersonNotInformed);
    }
    check_eligibility(basis, birth_date, form.living_at_home, requested_on)
        .map_err(CrisisError::NotEligible)?;
    Ok(Registration {
        last_name,
        first_name,
        birth_date,
        address,
        phone,
        basis,
        requester,
        requested_on,
        informed_on,
        emergency_contact: fields::optional("contact_urgence", &form.emergency_contact, 150)?,
        emergency_phone: fields::phone("telephone_urgence", &form.emergency_phone)?,
        home_care: fields::optional("services_domicile", &form.home_care, 300)?,
        doctor: fields::optional("medecin_traitant", &form.doctor, 150)?,
    })
}

/// Days the mayor has to acknowledge a registration (CNIL fiche of 14 April 2020).
pub const ACKNOWLEDGEMENT_DAYS: i64 = 8;

/// The last day to acknowledge a registration received on `requested_on`.
pub fn acknowledgement_due(requested_on: Date) -> Date {
    requested_on.saturating_add(ACKNOWLEDGEMENT_DAYS.days())
}

/// Where a registration stands with its yearly confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    UpToDate {
        due: Date,
    },
    /// Due within the reminder window: time to write to the person.
    DueSoon {
        due: Date,
    },
    Overdue {
        due: Date,
        days_late: i64,
    },
}

/// The yearly confirmation of a registration last confirmed (or made) on `last`, seen on `today`, with a
/// reminder `remind_days` before it falls due.
pub fn confirmation(last: Date, today: Date, remind_days: i64) -> Confirmation {
    let due = last.saturating_add(1.year());
    let days_to_due = today.until(due).map_or(0, |s| i64::from(s.get_days()));
    if days_to_due < 0 {
        Confirmation::Overdue {
            due,
            days_late: -days_to_due,
        }
    } else if days_to_due <= remind_days {
        Confirmation::DueSoon { due }
    } else {
        Confirmation::UpToDate { due }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn age_counts_full_years() {
        assert_eq!(age_on(date(1960, 6, 15), date(2025, 6, 14)), 64);
        assert_eq!(age_on(date(1960, 6, 15), date(2025, 6, 15)), 65);
        // Born on 29 February: a year is complete on 1 March in common years.
        assert_eq!(age_on(date(1960, 2, 29), date(2025, 2, 28)), 64);
        assert_eq!(age_on(date(1960, 2, 29), date(2025, 3, 1)), 65);
    }

    #[test]
    fn confirmation_is_yearly_with_a_reminder() {
        let last = date(2025, 6, 1);
        assert_eq!(
            confirmation(last, date(2026, 1, 10), 30),
            Confirmation::UpToDate {
                due: date(2026, 6, 1)
            }
        );
        assert_eq!(
            confirmation(last, date(2026, 5, 2), 30),
            Confirmation::DueSoon {
                due: date(2026, 6, 1)
            }
        );
        assert_eq!(
            confirmation(last, date(2026, 6, 1), 30),
            Confirmation::DueSoon {
                due: date(2026, 6, 1)
            }
        );
        assert_eq!(
            confirmation(last, date(2026, 6, 11), 30),
            Confirmation::Overdue {
                due: date(2026, 6, 1),
                days_late: 10
            }
        );
        assert_eq!(acknowledgement_due(date(2026, 7, 28)), date(2026, 8, 5));
    }
}
