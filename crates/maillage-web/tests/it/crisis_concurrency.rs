//! The crisis module under concurrency, on SQLite and PostgreSQL (`TestBase::all()`): parallel callers never
//! get the same person, and parallel distributions never overdraw a lot. Real stores, real transactions, real
//! tasks on a multi-threaded runtime.

use jiff::Timestamp;
use maillage_crisis::CrisisError;
use maillage_crisis::calls::{Outcome, RetryPolicy};
use maillage_crisis::cell::{EventKind, Level};
use maillage_crisis::register::{RegistrationForm, validate};
use maillage_crisis::stocks::Recipient;
use maillage_store::Store;
use maillage_store::crisis::{self as cs, calls, cell, register, stocks};
use maillage_store::reach::Reach;
use maillage_testkit::TestBase;
use std::collections::{BTreeMap, BTreeSet};

/// The test writes and reads as the owner: every commune.
fn all() -> Reach {
    Reach::everything()
}

async fn register_people(store: &Store, n: usize, now: Timestamp) {
    let mut tx = cs::begin(store, &all()).await.unwrap();
    for i in 0..n {
        let form = RegistrationForm {
            last_name: format!("Personne{i}"),
            first_name: "Test".into(),
            birth_date: "1940-05-01".into(),
            address: format!("{i} rue des Essais"),
            phone: "01 99 00 00 00".into(),
            basis: "age_65".into(),
            living_at_home: true,
            requester: "personne".into(),
            ..Default::default()
        };
        let r = validate(&form, cs::today(now)).unwrap();
        // Half located around a point, half without a position.
        let position = (i % 2 == 0).then(|| {
            (
                1.7 + (i as f64 * 0.37).cos() * 0.01,
                46.8 + (i as f64 * 0.37).sin() * 0.01,
            )
        });
        register::create(&mut tx, &all(), None, &r, position, "test", now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn campaign(store: &Store, callers: &[String], now: Timestamp) -> i64 {
    let mut tx = cs::begin(store, &all()).await.unwrap();
    let event = cell::open_event(
        &mut tx,
        &all(),
        None,
        EventKind::Canicule,
        "Canicule d'essai",
        Level::Alerte,
        "test",
        now,
        maillage_messages::crisis::level_entry,
    )
    .await
    .unwrap();
    let new = calls::NewCampaign {
        commune: None,
        event_id: event,
        title: "Essai",
        script: "Bonjour.",
        retry: RetryPolicy::default(),
        callers,
    };
    let id = calls::start(&mut tx, &all(), &new, "test", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_callers_never_get_the_same_person() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let now = Timestamp::now();
        let people = 90;
        register_people(&store, people, now).await;
        let callers: Vec<String> = (0..5).map(|i| format!("appelant{i}")).collect();
        let id = campaign(&store, &callers, now).await;

        // 12 callers at once (the 5 of the campaign and 7 more who help with anyone's list), each taking the next
        // person and recording an answer until nobody is left.
        let mut tasks = Vec::new();
        for k in 0..12 {
            let store = store.clone();
            let caller = if k < 5 {
                format!("appelant{k}")
            } else {
                format!("renfort{k}")
            };
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                while let Some(call) = calls::claim_next(&store, &all(), id, &caller, now)
                    .await
                    .unwrap()
                {
                    let mut tx = cs::begin(&store, &all()).await.unwrap();
                    calls::record_outcome(
                        &mut tx,
                        &all(),
                        call,
                        &caller,
                        Outcome::Joint,
                        None,
                        now,
                    )
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                    got.push(call);
                }
                (caller, got)
            }));
        }
        let mut seen: BTreeMap<i64, String> = BTreeMap::new();
        let mut per_caller = BTreeMap::new();
        for t in tasks {
            let (caller, got) = t.await.unwrap();
            per_caller.insert(caller.clone(), got.len());
            for call in got {
                if let Some(other) = seen.insert(call, caller.clone()) {
                    panic!(
                        "[{}] call {call} given to {other} and to {caller}",
                        base.backend
                    );
                }
            }
        }
        assert_eq!(
            seen.len(),
            people,
            "[{}] every person called once: {per_caller:?}",
            base.backend
        );
        let p = calls::progress(&store, &all(), id, now).await.unwrap();
        assert_eq!(
            (p.total, p.joint, p.en_cours),
            (people as u64, people as u64, 0),
            "[{}]",
            base.backend
        );
        // One attempt per person: nobody was called twice.
        let made: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM crisis_call_attempt a JOIN crisis_call c ON c.id = a.call_id WHERE c.campaign_id = $1",
        )
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(made, people as i64, "[{}]", base.backend);
        eprintln!(
            "[{}] {people} personnes, 12 appelants en parallèle : {per_caller:?}",
            base.backend
        );

        // Holding: at the same instant, 30 callers each take one person; all different.
        let id2 = campaign(&store, &callers, now).await;
        let mut tasks = Vec::new();
        for k in 0..30 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                calls::claim_next(&store, &all(), id2, &format!("simultane{k}"), now)
                    .await
                    .unwrap()
            }));
        }
        let mut held = BTreeSet::new();
        for t in tasks {
            let call = t.await.unwrap().expect("90 people wait: everyone gets one");
            assert!(
                held.insert(call),
                "[{}] call {call} held twice",
                base.backend
            );
        }
        assert_eq!(
            calls::progress(&store, &all(), id2, now)
                .await
                .unwrap()
                .en_cours,
            30
        );
        // A caller who holds a call gets the same one back, and cannot record another's.
        let first = *held.iter().next().unwrap();
        let mut tx = cs::begin(&store, &all()).await.unwrap();
        let refused = calls::record_outcome(
            &mut tx,
            &all(),
            first,
            "quelqu-un-d-autre",
            Outcome::Joint,
            None,
            now,
        )
        .await;
        assert!(
            matches!(
                refused,
                Err(cs::Error::Refused(cs::Refusal::CallNotHeld(_)))
            ),
            "[{}] {refused:?}",
            base.backend
        );
        drop(tx);
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_distributions_never_overdraw_a_lot() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let now = Timestamp::now();
        let today = cs::today(now);
        let mut tx = cs::begin(&store, &all()).await.unwrap();
        let item = stocks::add_item(
            &mut tx,
            &all(),
            None,
            "masques_ffp2",
            "Masques FFP2",
            "masques",
            Some(10),
        )
        .await
        .unwrap();
        // Two lots: the one expiring first is taken first; an expired lot is never taken.
        let soon = stocks::receive(
            &mut tx,
            &all(),
            &stocks::Receipt {
                item_id: item,
                lot_number: "A",
                expiry: Some(today.saturating_add(jiff::ToSpan::days(10))),
                quantity: 40,
                supplier: None,
            },
            "test",
            now,
        )
        .await
        .unwrap();
        let later = stocks::receive(
            &mut tx,
            &all(),
            &stocks::Receipt {
                item_id: item,
                lot_number: "B",
                expiry: Some(today.saturating_add(jiff::ToSpan::days(300))),
                quantity: 60,
                supplier: None,
            },
            "test",
            now,
        )
        .await
        .unwrap();
        let expired = stocks::receive(
            &mut tx,
            &all(),
            &stocks::Receipt {
                item_id: item,
                lot_number: "C",
                expiry: Some(today.saturating_sub(jiff::ToSpan::days(1))),
                quantity: 500,
                supplier: None,
            },
            "test",
            now,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // 40 distributions of 7 at once: 100 usable units give 14 of them, never more.
        let mut tasks = Vec::new();
        for k in 0..40 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = cs::begin(&store, &all()).await.unwrap();
                let recipient = format!("Structure {k}");
                let d = stocks::Distribution {
                    item_id: item,
                    lot_id: None,
                    quantity: 7,
                    recipient_kind: Recipient::Structure,
                    recipient: &recipient,
                };
                match stocks::distribute(&mut tx, &all(), &d, "test", now).await {
                    Ok(plan) => {
                        tx.commit().await.unwrap();
                        Ok(plan)
                    }
                    Err(e) => Err(e),
                }
            }));
        }
        let (mut ok, mut refused) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(plan) => {
                    assert_eq!(plan.iter().map(|p| p.1).sum::<i64>(), 7);
                    assert!(
                        plan.iter().all(|(lot, _)| *lot != expired),
                        "[{}] an expired lot was used",
                        base.backend
                    );
                    ok += 1;
                }
                Err(cs::Error::Rule(CrisisError::InsufficientStock {
                    requested: 7,
                    available,
                    ..
                })) => {
                    assert!(
                        available < 7,
                        "[{}] refused with {available} available",
                        base.backend
                    );
                    refused += 1;
                }
                Err(e) => panic!("[{}] unexpected {e:?}", base.backend),
            }
        }
        assert_eq!((ok, refused), (14, 26), "[{}]", base.backend);
        let items = stocks::items(&store, &all(), now, 30).await.unwrap();
        let it = items.iter().find(|i| i.id == item).unwrap();
        assert_eq!(it.usable, 2, "[{}]", base.backend);
        let by_lot: BTreeMap<i64, i64> = it.lots.iter().map(|l| (l.id, l.available)).collect();
        assert_eq!(
            (by_lot[&soon], by_lot[&later], by_lot[&expired]),
            (0, 2, 500),
            "[{}]",
            base.backend
        );
        // Every lot's movements add up to what it holds.
        for lot in [soon, later, expired] {
            let (available, balance) = stocks::lot_balance(&store, &all(), lot).await.unwrap();
            assert_eq!(available, balance, "[{}] lot {lot}", base.backend);
        }
        // The base itself refuses a negative stock, whatever the program does.
        let direct =
            sqlx::query("UPDATE crisis_stock_lot SET available = available - 3 WHERE id = $1")
                .bind(later)
                .execute(store.pool())
                .await;
        assert!(
            direct.is_err(),
            "[{}] the CHECK constraint must refuse a negative stock",
            base.backend
        );
        eprintln!(
            "[{}] 40 distributions simultanées de 7 sur 100 : {ok} acceptées, {refused} refusées",
            base.backend
        );
        store.close().await;
    }
}
