//! Delivers a batch's outbox entry: sends it, keeps it on the device across
//! failures and reloads, retries on the schedule `outbox.rs` decides, goes
//! at once when the browser comes back online, and lets only one tab send.
//! Reports what is happening through a signal the form shows.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::browser::{
    is_online, now_ms, outbox_entry, random_bytes, remember_vote, remove_outbox_entry, save_outbox_entry, voted_record,
};
use crate::config::Endpoint;
use crate::error::Error;
use crate::outbox::{Next, OutboxEntry};
use crate::voted::VotedRecord;

/// What the citizen is told about their vote while it travels.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery {
    /// Nothing submitted.
    Idle,
    /// Saved on this device and on its way.
    Sending,
    /// Saved on this device; the last try failed in a way that may pass, and
    /// the next is due at `at_ms` (or as soon as the network is back).
    Waiting { at_ms: f64, offline: bool, error: Error },
}

/// How a delivery ended: the receipt kept on this device, or a final refusal.
pub type Outcome = Result<VotedRecord, Error>;

/// One batch's courier; cheap to copy into event handlers.
#[derive(Clone)]
pub struct Courier {
    api: Api,
    endpoint: Endpoint,
    batch_id: String,
    tab: Rc<str>,
    status: RwSignal<Delivery>,
    on_done: Callback<Outcome>,
    /// The pending timer, so a new schedule replaces it.
    timer: Rc<Cell<Option<TimeoutHandle>>>,
    busy: Rc<Cell<bool>>,
    /// The entry as this tab last wrote it, and whether storage took it.
    /// When the browser refuses storage this is the outbox (kept only while
    /// the page is open); when storage works, storage alone is the truth, so
    /// a vote another tab delivered is never sent again from memory.
    memory: Rc<std::cell::RefCell<Option<OutboxEntry>>>,
    persisted: Rc<Cell<bool>>,
}

impl Courier {
    /// A courier for `batch_id`; `on_done` hears the receipt or the final
    /// refusal once. Listens for `online` and for other tabs' storage writes
    /// for as long as the calling component lives.
    pub fn new(api: Api, endpoint: Endpoint, batch_id: String, on_done: Callback<Outcome>) -> Self {
        // Without the browser's random numbers, the clock tells tabs apart
        // well enough; whole milliseconds, as formatting a float would add
        // its digit-printing code to the first download.
        let tab = random_bytes().map_or_else(|| now_ms() as u128, u128::from_le_bytes);
        let tab: Rc<str> = format!("{tab:x}").into();
        let courier = Self {
            api,
            endpoint,
            batch_id,
            tab,
            status: RwSignal::new(Delivery::Idle),
            on_done,
            timer: Rc::default(),
            busy: Rc::default(),
            memory: Rc::default(),
            persisted: Rc::new(Cell::new(true)),
        };
        let on_online = courier.clone();
        let online = window_event_listener(ev::online, move |_| on_online.try_now());
        let on_storage = courier.clone();
        let storage = window_event_listener(ev::storage, move |_| on_storage.check_elsewhere());
        // Cleanups must be Send; this one runs on the page's only thread.
        let timer = send_wrapper::SendWrapper::new(courier.timer.clone());
        on_cleanup(move || {
            online.remove();
            storage.remove();
            if let Some(handle) = timer.as_ref().take() {
                handle.clear();
            }
        });
        courier
    }

    /// What to show the citizen.
    pub fn status(&self) -> Signal<Delivery> {
        self.status.into()
    }

    /// Saves a newly submitted vote on this device, then sends it.
    pub fn submit(&self, entry: OutboxEntry) {
        self.store(&entry);
        self.pump();
    }

    fn load(&self) -> Option<OutboxEntry> {
        if self.persisted.get() {
            outbox_entry(&self.endpoint, &self.batch_id)
        } else {
            self.memory.borrow().clone()
        }
    }

    fn store(&self, entry: &OutboxEntry) {
        self.persisted.set(save_outbox_entry(&self.endpoint, &self.batch_id, entry));
        *self.memory.borrow_mut() = Some(entry.clone());
    }

    fn forget(&self) {
        remove_outbox_entry(&self.endpoint, &self.batch_id);
        *self.memory.borrow_mut() = None;
    }

    /// Sends now whatever is waiting, ignoring the backoff: the network is
    /// back, or the citizen asked.
    pub fn try_now(&self) {
        if let Some(mut entry) = self.load() {
            entry.next_try_ms = 0.0;
            self.store(&entry);
            self.pump();
        }
    }

    /// Takes up delivery of an entry left by an earlier visit or another
    /// tab: at once, as reopening the page is the citizen asking again.
    pub fn resume(&self) {
        self.status.set(Delivery::Sending);
        self.try_now();
    }

    /// True while a vote of this batch waits in the outbox (this tab's, an
    /// earlier visit's, or another tab's): a submit must then send that one,
    /// never mint a second.
    pub fn has_vote(&self) -> bool {
        self.load().is_some()
    }

    /// Another tab may have delivered the vote: its receipt is then in
    /// storage and its entry gone.
    fn check_elsewhere(&self) {
        // `None` when the form has gone: nothing is waiting for an answer.
        if self.busy.get() || self.status.try_get_untracked().is_none_or(|s| s == Delivery::Idle) {
            return;
        }
        let delivered = outbox_entry(&self.endpoint, &self.batch_id).is_none();
        if let Some(record) = voted_record(&self.endpoint, &self.batch_id).filter(|_| delivered) {
            *self.memory.borrow_mut() = None;
            self.finish(Ok(record));
        }
    }

    fn schedule(&self, at_ms: f64) {
        let wait = (at_ms - now_ms()).max(0.0);
        let again = self.clone();
        let handle = set_timeout_with_handle(move || again.pump(), Duration::from_millis(wait as u64)).ok();
        if let Some(old) = self.timer.replace(handle) {
            old.clear();
        }
    }

    /// Reports the end of a delivery, unless the form that asked is gone
    /// (the receipt or refusal is in storage for the next visit either way).
    fn finish(&self, outcome: Outcome) {
        self.status.set(Delivery::Idle);
        self.on_done.try_run(outcome);
    }

    /// One step: send if due and this tab holds the claim, else wait.
    fn pump(&self) {
        if self.busy.get() {
            return;
        }
        let Some(mut entry) = self.load() else {
            self.check_elsewhere();
            return;
        };
        let now = now_ms();
        if entry.next_try_ms > now {
            self.schedule(entry.next_try_ms);
            return;
        }
        if !entry.claim(&self.tab, now) {
            self.wait_for_other_tab(&entry);
            return;
        }
        // Two tabs whose timers fire together may both claim; the last write
        // wins. Each waits a random moment and sends only if its claim stood.
        self.store(&entry);
        self.status.set(Delivery::Sending);
        self.busy.set(true);
        let settle_ms = 30 + u64::from(random_bytes().map_or(60, |b| b[1]) % 120);
        let courier = self.clone();
        let confirmed = set_timeout_with_handle(move || courier.send_if_still_claimed(), Duration::from_millis(settle_ms));
        if confirmed.is_err() {
            self.busy.set(false);
        }
    }

    /// Another tab holds the claim: look again when it runs out (its
    /// delivery, heard through storage, usually ends this first).
    fn wait_for_other_tab(&self, entry: &OutboxEntry) {
        self.status.set(Delivery::Sending);
        self.schedule(entry.lease.as_ref().map_or_else(now_ms, |l| l.until_ms));
    }

    fn send_if_still_claimed(&self) {
        let Some(mut entry) = self.load() else {
            self.busy.set(false);
            self.check_elsewhere();
            return;
        };
        if entry.lease.as_ref().is_some_and(|lease| *lease.owner != *self.tab) {
            self.busy.set(false);
            self.wait_for_other_tab(&entry);
            return;
        }
        let courier = self.clone();
        spawn_local(async move {
            let outcome = courier.api.post_vote(&entry.vote).await;
            courier.busy.set(false);
            let error = outcome.as_ref().err().cloned();
            let jitter = random_bytes().map_or(0.5, |b| f64::from(b[0]) / 256.0);
            match entry.after_try(outcome, now_ms(), jitter) {
                Next::Delivered(receipt) => {
                    let record = VotedRecord::new(&receipt, &entry.vote.location);
                    remember_vote(&courier.endpoint, &courier.batch_id, &record);
                    courier.forget();
                    courier.finish(Ok(record));
                }
                Next::Refused(error) => {
                    courier.forget();
                    courier.finish(Err(error));
                }
                Next::RetryAt(at_ms) => {
                    courier.store(&entry);
                    let error = error.unwrap_or(Error::Network);
                    courier.status.set(Delivery::Waiting { at_ms, offline: !is_online(), error });
                    courier.schedule(at_ms);
                }
            }
        });
    }
}
