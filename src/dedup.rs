//! De-duplication of deliveries by event id.
//!
//! OneFuzz delivers each event at least once: it tries again after an
//! error or a status it does not count as delivered, and a retry is not
//! byte-identical to the first try (a new `eventTime`, a new SAS URL), so
//! only the event's id tells two deliveries of one event apart from two
//! events. [`Dedup`] remembers the ids it has seen for a time window, in a
//! bounded amount of memory; [`SharedDedup`] is the same behind a mutex,
//! for a server's handlers.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use onefuzz_webhook_types::dedup::Dedup;
//! use uuid::Uuid;
//!
//! let mut seen = Dedup::new(1000, Duration::from_secs(300));
//! let id = Uuid::from_u128(7);
//! let start = Instant::now();
//! assert!(seen.first_seen(id, start)); // handle it
//! assert!(!seen.first_seen(id, start + Duration::from_secs(30))); // a retry: skip it
//! assert!(seen.first_seen(id, start + Duration::from_secs(300))); // the window is over
//! ```
//!
//! # Which events are de-duplicated
//!
//! Those with an id: a message's `event_id`, or an Event Grid entry's `id`
//! ([`BodyEvent::event_id`]). The Event Grid and the webhook form of one
//! event carry the same id, so either form de-duplicates the other. An event
//! without an id (a message that left `event_id` out) is never
//! de-duplicated: [`Dedup::first_seen_event`] says it is new every time,
//! since nothing tells its retries apart from other events.
//!
//! # The window
//!
//! [`DEFAULT_WINDOW`] is 300 s, from the senders' retry schedule: up to 5
//! tries, the next one queued 30 s after a try fails (a queue visibility
//! delay, so at least 30 s, counted from the end of the failed try). The
//! last try therefore starts at least 4 × 30 s = 120 s after the first one
//! started, plus however long the four failed tries took. The per-try
//! timeout of the senders' HTTP clients is not part of the schedule; the
//! window allows each of the 5 tries up to 30 s of its own:
//! 5 × (30 s wait + 30 s try) = 300 s, which covers 4 waits and 5 tries
//! (270 s) with 30 s to spare. An id is remembered from its first
//! delivery, and a retry does not extend its time: the retries of one event
//! end within the window of its first try. A receiver whose answers can
//! take longer than 30 s should choose a longer window with [`Dedup::new`].
//!
//! # Memory
//!
//! A [`Dedup`] never holds more than its capacity of ids, whatever the
//! sender sends: each entry is an id and the instant it was first seen.
//! Entries leave when their window is over, and when the set is full the
//! oldest entry leaves to make room, so a burst of distinct ids shortens
//! how long ids are remembered instead of growing memory. Choose a capacity
//! above the number of distinct events expected within one window.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::BodyEvent;

/// How long an id is remembered by default: the senders' whole retry
/// schedule with a margin (see [the module docs](self#the-window)).
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(300);

/// How many ids are remembered at most by default.
pub const DEFAULT_CAPACITY: usize = 65_536;

/// A bounded, time-windowed set of event ids: which events were delivered
/// already.
///
/// Every method takes the current time as `now`, so the set is a pure
/// function of its calls (and tests need no clock). Pass
/// [`Instant::now()`]; an instant earlier than one passed before is taken as
/// that one, so the order of ids is always the order of their instants.
///
/// For a server, wrap it in a mutex: [`SharedDedup`] does, and reads the
/// clock itself.
#[derive(Clone)]
pub struct Dedup {
    capacity: usize,
    window: Duration,
    /// The ids remembered: exactly those in `order`.
    ids: HashSet<Uuid>,
    /// The ids remembered, each once, with when each was first seen,
    /// oldest first.
    order: VecDeque<(Uuid, Instant)>,
    /// The latest `now` passed.
    latest: Option<Instant>,
}

impl Dedup {
    /// A set that remembers at most `capacity` ids, each for `window` from
    /// when it was first seen.
    ///
    /// A capacity of 0 or a zero window remembers nothing: every id is
    /// new every time.
    #[must_use]
    pub fn new(capacity: usize, window: Duration) -> Self {
        Self {
            capacity,
            window,
            ids: HashSet::new(),
            order: VecDeque::new(),
            latest: None,
        }
    }

    /// Whether `id` is seen for the first time within the window, at
    /// `now`: `true` for a new event (handle it), `false` for another
    /// delivery of an event seen less than the window ago (answer it as
    /// delivered and do not handle it again).
    ///
    /// A new id is remembered from `now` on; a repeated one keeps the time
    /// it was first seen. Remembering a new id when the set is full forgets
    /// the oldest one.
    pub fn first_seen(&mut self, id: Uuid, now: Instant) -> bool {
        let now = self.advance(now);
        if self.ids.contains(&id) {
            return false;
        }
        if self.capacity == 0 || self.window.is_zero() {
            return true;
        }
        while self.order.len() >= self.capacity {
            self.evict_oldest();
        }
        self.ids.insert(id);
        self.order.push_back((id, now));
        true
    }

    /// [`first_seen`](Self::first_seen) for an event of a body: an event
    /// without an id is new every time, and is not remembered.
    pub fn first_seen_event(&mut self, event: &BodyEvent<'_>, now: Instant) -> bool {
        match event.event_id {
            Some(id) => self.first_seen(id, now),
            None => true,
        }
    }

    /// Forgets `id`, so that its next delivery is new: for an event whose
    /// handling failed after [`first_seen`](Self::first_seen) said it was
    /// new, before answering with a status that makes the sender try
    /// again. Returns whether the id was remembered. Takes time in
    /// proportion to the number of ids remembered.
    pub fn forget(&mut self, id: Uuid) -> bool {
        if !self.ids.remove(&id) {
            return false;
        }
        self.order.retain(|(remembered, _)| *remembered != id);
        true
    }

    /// How many ids are remembered (some may be past their window until
    /// the next call that takes `now`).
    #[must_use]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no id is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The most ids remembered at once.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How long an id is remembered from when it was first seen.
    #[must_use]
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Takes `now` as the current time (never earlier than before) and
    /// forgets the ids whose window is over at it.
    fn advance(&mut self, now: Instant) -> Instant {
        let now = match self.latest {
            Some(latest) if latest > now => latest,
            _ => now,
        };
        self.latest = Some(now);
        while let Some(&(_, seen)) = self.order.front() {
            if now.saturating_duration_since(seen) < self.window {
                break;
            }
            self.evict_oldest();
        }
        now
    }

    fn evict_oldest(&mut self) {
        if let Some((id, _)) = self.order.pop_front() {
            self.ids.remove(&id);
        }
    }
}

impl Default for Dedup {
    /// [`DEFAULT_CAPACITY`] ids for [`DEFAULT_WINDOW`].
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY, DEFAULT_WINDOW)
    }
}

/// Sizes only: the ids are the events' business.
impl fmt::Debug for Dedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dedup")
            .field("capacity", &self.capacity)
            .field("window", &self.window)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

/// A [`Dedup`] behind a mutex, for handlers that run concurrently: share
/// it in an `Arc` or in the server's state. Its methods read the clock
/// while they hold the lock, so ids are remembered in the order they
/// arrive.
///
/// A panic while the lock was held does not poison it for good: the set is
/// consistent between calls, so the next call goes on with it.
#[derive(Debug, Default)]
pub struct SharedDedup(Mutex<Dedup>);

impl SharedDedup {
    /// Shares `dedup`.
    #[must_use]
    pub fn new(dedup: Dedup) -> Self {
        Self(Mutex::new(dedup))
    }

    /// [`Dedup::first_seen`], now.
    pub fn first_seen(&self, id: Uuid) -> bool {
        let mut dedup = self.lock();
        dedup.first_seen(id, Instant::now())
    }

    /// [`Dedup::first_seen_event`], now: an event without an id is new
    /// every time.
    pub fn first_seen_event(&self, event: &BodyEvent<'_>) -> bool {
        let mut dedup = self.lock();
        dedup.first_seen_event(event, Instant::now())
    }

    /// [`Dedup::forget`].
    pub fn forget(&self, id: Uuid) -> bool {
        self.lock().forget(id)
    }

    /// The set itself, locked, for several calls in a row (pass
    /// [`Instant::now()`] read after locking).
    pub fn lock(&self) -> MutexGuard<'_, Dedup> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl From<Dedup> for SharedDedup {
    fn from(dedup: Dedup) -> Self {
        Self::new(dedup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(300);

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn a_duplicate_within_the_window_is_suppressed() {
        let start = Instant::now();
        let mut dedup = Dedup::new(10, WINDOW);
        assert!(dedup.first_seen(id(1), start));
        // The retries of the schedule: 4 more tries, 30 s apart.
        for try_ in 1..5 {
            assert!(!dedup.first_seen(id(1), start + secs(30 * try_)));
        }
        assert!(!dedup.first_seen(id(1), start + WINDOW - Duration::from_nanos(1)));
        // Another id is another event.
        assert!(dedup.first_seen(id(2), start + secs(1)));
        assert_eq!(dedup.len(), 2);
    }

    #[test]
    fn after_the_window_an_id_is_new_again() {
        let start = Instant::now();
        let mut dedup = Dedup::new(10, WINDOW);
        assert!(dedup.first_seen(id(1), start));
        assert!(!dedup.first_seen(id(1), start + secs(299)));
        // The window counts from the first sighting: the repeat at 299 s
        // did not extend it.
        assert!(dedup.first_seen(id(1), start + WINDOW));
        // ... and the id is remembered again from then.
        assert!(!dedup.first_seen(id(1), start + WINDOW + secs(1)));
        assert_eq!(dedup.len(), 1);
    }

    #[test]
    fn expired_ids_are_dropped_even_when_other_ids_arrive() {
        let start = Instant::now();
        let mut dedup = Dedup::new(100, WINDOW);
        for n in 0..10 {
            assert!(dedup.first_seen(id(n), start + secs(n as u64)));
        }
        assert_eq!(dedup.len(), 10);
        // At 305 s the ids first seen at 0..=5 s are over their window.
        assert!(dedup.first_seen(id(100), start + secs(305)));
        assert_eq!(dedup.len(), 5);
        assert!(!dedup.first_seen(id(6), start + secs(305)));
        assert!(dedup.first_seen(id(5), start + secs(305)));
    }

    #[test]
    fn the_capacity_bounds_the_set_under_many_distinct_ids() {
        let start = Instant::now();
        let capacity = 64;
        let mut dedup = Dedup::new(capacity, WINDOW);
        for n in 0..10_000u128 {
            // All within one window, so only the capacity bounds the set.
            let now = start + Duration::from_millis(n as u64);
            assert!(dedup.first_seen(id(n), now));
            assert!(dedup.len() <= capacity, "{} ids after {n}", dedup.len());
            assert_eq!(dedup.ids.len(), dedup.order.len());
        }
        assert_eq!(dedup.len(), capacity);
        // The newest `capacity` ids are the ones remembered.
        let now = start + secs(10);
        assert!(!dedup.first_seen(id(9_999), now));
        assert!(!dedup.first_seen(id(10_000 - capacity as u128), now));
        assert!(dedup.first_seen(id(10_000 - capacity as u128 - 1), now));
    }

    #[test]
    fn a_full_set_evicts_the_oldest_id_first() {
        let start = Instant::now();
        let mut dedup = Dedup::new(3, WINDOW);
        for n in 1..=3 {
            assert!(dedup.first_seen(id(n), start + secs(n as u64)));
        }
        // A repeat does not make an id younger.
        assert!(!dedup.first_seen(id(1), start + secs(4)));
        // Full: 4 evicts 1, the oldest.
        assert!(dedup.first_seen(id(4), start + secs(5)));
        assert!(!dedup.first_seen(id(2), start + secs(6)));
        assert!(!dedup.first_seen(id(3), start + secs(6)));
        assert!(!dedup.first_seen(id(4), start + secs(6)));
        // 1 is new again, and evicts 2.
        assert!(dedup.first_seen(id(1), start + secs(7)));
        assert!(dedup.first_seen(id(2), start + secs(8)));
        // which evicted 3.
        let remembered: Vec<Uuid> = dedup.order.iter().map(|(id, _)| *id).collect();
        assert_eq!(remembered, [id(4), id(1), id(2)]);
    }

    #[test]
    fn an_earlier_now_counts_as_the_latest() {
        let start = Instant::now() + secs(10);
        let mut dedup = Dedup::new(10, WINDOW);
        assert!(dedup.first_seen(id(1), start + secs(100)));
        // Handlers that read the clock before taking a lock can pass an
        // instant out of order: it is taken as 100 s.
        assert!(dedup.first_seen(id(2), start));
        assert!(dedup.first_seen(id(3), start + WINDOW + secs(100)));
        // Both 1 and 2 were remembered from 100 s, and are gone at 400 s.
        assert_eq!(dedup.len(), 1);
    }

    #[test]
    fn no_capacity_or_no_window_remembers_nothing() {
        let now = Instant::now();
        for mut dedup in [Dedup::new(0, WINDOW), Dedup::new(10, Duration::ZERO)] {
            assert!(dedup.first_seen(id(1), now));
            assert!(dedup.first_seen(id(1), now));
            assert!(dedup.is_empty());
        }
    }

    #[test]
    fn a_forgotten_id_is_new_again() {
        let now = Instant::now();
        let mut dedup = Dedup::new(10, WINDOW);
        assert!(dedup.first_seen(id(1), now));
        assert!(dedup.first_seen(id(2), now));
        assert!(dedup.forget(id(1)));
        assert!(!dedup.forget(id(1)));
        assert_eq!(dedup.len(), 1);
        assert!(dedup.first_seen(id(1), now));
        assert!(!dedup.first_seen(id(2), now));
    }

    #[test]
    fn an_event_without_an_id_is_never_a_duplicate() {
        let body = crate::Body::from_str(concat!(
            r#"{"webhook_id":"00000000-0000-0000-0000-000000000001","#,
            r#""event_type":"zz_test_event","event":{}}"#,
        ))
        .unwrap();
        let event = body.events().next().unwrap();
        assert_eq!(event.event_id, None);
        let now = Instant::now();
        let mut dedup = Dedup::new(10, WINDOW);
        for _ in 0..3 {
            assert!(dedup.first_seen_event(&event, now));
        }
        assert!(dedup.is_empty());
    }

    #[test]
    fn shared_dedup_reads_the_clock() {
        let shared = SharedDedup::from(Dedup::new(10, WINDOW));
        assert!(shared.first_seen(id(1)));
        assert!(!shared.first_seen(id(1)));
        assert!(shared.forget(id(1)));
        assert!(shared.first_seen(id(1)));
        assert_eq!(shared.lock().len(), 1);
    }

    #[test]
    fn debug_shows_sizes_not_ids() {
        let mut dedup = Dedup::new(10, WINDOW);
        dedup.first_seen(id(0xabcdef), Instant::now());
        let text = format!("{dedup:?}");
        assert!(text.contains("len: 1"), "{text}");
        assert!(!text.contains("abcdef"), "{text}");
    }
}
