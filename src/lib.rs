//! Types for OneFuzz webhook events.
