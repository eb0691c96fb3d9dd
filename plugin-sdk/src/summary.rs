//! Summaries for registers of any size (API 1.1): a plugin's partial results over one batch
//! of records — counts and sums that add up — written by [`encode`] in
//! [`SectorPlugin::summarize`](crate::SectorPlugin::summarize) and read back and added up by
//! [`combine`] in [`SectorPlugin::combine`](crate::SectorPlugin::combine).
//!
//! ```ignore
//! #[derive(Default, serde::Serialize, serde::Deserialize)]
//! #[serde(crate = "anwei_plugin_sdk::serde")]
//! struct Tally { mines: u64, capacity: f64 }
//! impl Summary for Tally {
//!     fn merge(&mut self, o: Tally) { self.mines += o.mines; self.capacity += o.capacity; }
//! }
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Largest summary the desk accepts from one `summarize` call.
pub const MAX_SUMMARY_BYTES: usize = 256 * 1024;

/// Partial results over a batch of records that add up: the summary of two batches is the
/// first's merged with the second's.
pub trait Summary: Serialize + DeserializeOwned + Default {
    /// Adds `other` (the summary of the records after this one's) to `self`.
    fn merge(&mut self, other: Self);
}

/// `summary` as the bytes `summarize` returns (JSON; floats round-trip exactly). `None` only
/// if the type cannot be written as JSON (a map with non-string keys).
pub fn encode<S: Summary>(summary: &S) -> Option<Vec<u8>> {
    serde_json::to_vec(summary).ok()
}

/// The summaries `combine` receives, read back and merged in order. `None` if any of them is
/// not a summary of this type (written by another version of the plugin).
pub fn combine<S: Summary>(summaries: &[Vec<u8>]) -> Option<S> {
    let mut total = S::default();
    for bytes in summaries {
        total.merge(serde_json::from_slice(bytes).ok()?);
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Default, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Tally {
        n: u64,
        sum: f64,
    }

    impl Summary for Tally {
        fn merge(&mut self, o: Tally) {
            self.n += o.n;
            self.sum += o.sum;
        }
    }

    #[test]
    fn summaries_round_trip_and_add_up() {
        let a = Tally { n: 2, sum: 0.1 };
        let b = Tally {
            n: 3,
            sum: 1.0 / 3.0,
        };
        let bytes = [encode(&a).unwrap(), encode(&b).unwrap()];
        let total: Tally = combine(&bytes).unwrap();
        assert_eq!(total.n, 5);
        assert_eq!(total.sum.to_bits(), (0.1f64 + 1.0 / 3.0).to_bits());
        assert_eq!(combine::<Tally>(&[]).unwrap(), Tally::default());
        assert!(combine::<Tally>(&[b"not json".to_vec()]).is_none());
    }
}
