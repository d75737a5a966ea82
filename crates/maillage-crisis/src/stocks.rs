//! Stocks of protective equipment and supplies, by lot: first-expired-first-out allocation of a distribution,
//! expiry, and alerts. The store applies an allocation in one transaction that cannot take a lot below zero.

use crate::{CrisisError, coded};
use jiff::civil::Date;

coded! {
    /// Who receives a distribution.
    pub enum Recipient {
        Professionnel => "professionnel",
        Pharmacie => "pharmacie",
        Structure => "structure",
        Agent => "agent",
        Habitant => "habitant",
    }
}

coded! {
    pub enum MovementKind {
        Reception => "reception",
        Distribution => "distribution",
    }
}

/// A lot as allocation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    pub id: i64,
    pub number: String,
    pub expiry: Option<Date>,
    pub available: i64,
}

impl Lot {
    pub fn expired(&self, today: Date) -> bool {
        self.expiry.is_some_and(|e| e < today)
    }
}

/// Takes `quantity` from the lots, those expiring first first (lots without an expiry date last), never from an
/// expired lot. Returns (lot id, quantity) pairs, or the shortage.
pub fn allocate_fefo(
    item: &str,
    lots: &[Lot],
    quantity: i64,
    today: Date,
) -> Result<Vec<(i64, i64)>, CrisisError> {
    if quantity <= 0 {
        return Err(CrisisError::InvalidQuantity(quantity));
    }
    let mut usable: Vec<&Lot> = lots
        .iter()
        .filter(|l| !l.expired(today) && l.available > 0)
        .collect();
    usable.sort_by_key(|l| (l.expiry.is_none(), l.expiry, l.id));
    let available: i64 = usable.iter().map(|l| l.available).sum();
    if available < quantity {
        return Err(CrisisError::InsufficientStock {
            item: maillage_kit::quoted(item),
            requested: quantity,
            available,
        });
    }
    let mut left = quantity;
    let mut out = Vec::new();
    for lot in usable {
        if left == 0 {
            break;
        }
        let take = left.min(lot.available);
        out.push((lot.id, take));
        left -= take;
    }
    Ok(out)
}

/// Takes `quantity` from one given lot.
pub fn allocate_from(
    item: &str,
    lot: &Lot,
    quantity: i64,
    today: Date,
) -> Result<Vec<(i64, i64)>, CrisisError> {
    if quantity <= 0 {
        return Err(CrisisError::InvalidQuantity(quantity));
    }
    if let Some(expiry) = lot.expiry.filter(|_| lot.expired(today)) {
        return Err(CrisisError::ExpiredLot {
            lot: maillage_kit::quoted(&lot.number),
            expiry,
        });
    }
    if lot.available < quantity {
        return Err(CrisisError::InsufficientStock {
            item: format!(
                "{} (lot {})",
                maillage_kit::quoted(item),
                maillage_kit::quoted(&lot.number)
            ),
            requested: quantity,
            available: lot.available,
        });
    }
    Ok(vec![(lot.id, quantity)])
}

/// Something the stock page must point out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockAlert {
    /// Usable quantity at or below the item's alert threshold.
    BelowThreshold { usable: i64, threshold: i64 },
    /// A lot with units left expires within the horizon.
    ExpiresSoon {
        lot: String,
        expiry: Date,
        quantity: i64,
    },
    /// A lot with units left has expired: they cannot be distributed.
    Expired {
        lot: String,
        expiry: Date,
        quantity: i64,
    },
}

/// Usable quantity: units left in lots that have not expired.
pub fn usable(lots: &[Lot], today: Date) -> i64 {
    lots.iter()
        .filter(|l| !l.expired(today))
        .map(|l| l.available)
        .sum()
}

/// Alerts for an item with these lots and this threshold, on `today`, looking `horizon_days` ahead for expiries.
pub fn alerts(
    lots: &[Lot],
    threshold: Option<i64>,
    today: Date,
    horizon_days: i64,
) -> Vec<StockAlert> {
    let mut out = Vec::new();
    let usable = usable(lots, today);
    if let Some(threshold) = threshold.filter(|t| usable <= *t) {
        out.push(StockAlert::BelowThreshold { usable, threshold });
    }
    let horizon = today.saturating_add(jiff::Span::new().days(horizon_days));
    for l in lots.iter().filter(|l| l.available > 0) {
        match l.expiry {
            Some(e) if e < today => out.push(StockAlert::Expired {
                lot: l.number.clone(),
                expiry: e,
                quantity: l.available,
            }),
            Some(e) if e <= horizon => out.push(StockAlert::ExpiresSoon {
                lot: l.number.clone(),
                expiry: e,
                quantity: l.available,
            }),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn lot(id: i64, expiry: Option<Date>, available: i64) -> Lot {
        Lot {
            id,
            number: format!("L{id}"),
            expiry,
            available,
        }
    }

    #[test]
    fn first_expired_first_out_skips_expired_lots() {
        let today = date(2026, 7, 1);
        let lots = [
            lot(1, None, 100),
            lot(2, Some(date(2026, 12, 31)), 50),
            lot(3, Some(date(2026, 8, 1)), 30),
            lot(4, Some(date(2026, 6, 30)), 500),
        ];
        assert_eq!(
            allocate_fefo("masques", &lots, 60, today).unwrap(),
            vec![(3, 30), (2, 30)]
        );
        assert_eq!(
            allocate_fefo("masques", &lots, 180, today).unwrap(),
            vec![(3, 30), (2, 50), (1, 100)]
        );
        assert_eq!(
            allocate_fefo("masques", &lots, 181, today),
            Err(CrisisError::InsufficientStock {
                item: "masques".into(),
                requested: 181,
                available: 180
            })
        );
        assert_eq!(
            allocate_fefo("masques", &lots, 0, today),
            Err(CrisisError::InvalidQuantity(0))
        );
        assert!(matches!(
            allocate_from("masques", &lots[3], 1, today),
            Err(CrisisError::ExpiredLot { .. })
        ));
        assert_eq!(
            allocate_from("masques", &lots[1], 50, today).unwrap(),
            vec![(2, 50)]
        );
        assert!(allocate_from("masques", &lots[1], 51, today).is_err());
    }

    #[test]
    fn alerts_name_threshold_and_expiries() {
        let today = date(2026, 7, 1);
        let lots = [
            lot(1, Some(date(2026, 7, 20)), 40),
            lot(2, Some(date(2026, 6, 1)), 10),
            lot(3, None, 0),
        ];
        let a = alerts(&lots, Some(50), today, 30);
        assert_eq!(
            a,
            vec![
                StockAlert::BelowThreshold {
                    usable: 40,
                    threshold: 50
                },
                StockAlert::ExpiresSoon {
                    lot: "L1".into(),
                    expiry: date(2026, 7, 20),
                    quantity: 40
                },
                StockAlert::Expired {
                    lot: "L2".into(),
                    expiry: date(2026, 6, 1),
                    quantity: 10
                },
            ]
        );
        assert!(alerts(&lots[..1], Some(39), today, 10).is_empty());
    }
}
