//! SDK for Anwei Desk (安委办专项整治工作台) sector plugins.
//!
//! A plugin is a WebAssembly component with **zero imports** that exports the WIT interface
//! `anwei:plugin/plugin@1.3.0` (`plugin-sdk/wit/v1.3/plugin.wit`; 1.0.0, 1.1.0 and 1.2.0 in
//! `wit/v1/`, `wit/v1.1/` and `wit/v1.2/`). Plugin authors implement
//! [`SectorPlugin`] (only [`SectorPlugin::describe`] is required) and call
//! [`register!`](crate::register) once:
//!
//! ```ignore
//! struct Coal;
//! impl anwei_plugin_sdk::SectorPlugin for Coal {
//!     fn describe() -> anwei_plugin_sdk::Description { /* … */ }
//! }
//! anwei_plugin_sdk::register!(Coal);
//! ```
//!
//! Build for `wasm32-unknown-unknown` and wrap with `wit-component` (see README.md).
//!
//! Without its default feature `bindings` the crate is only [`content`] and [`date`]: what a
//! plugin's `build.rs` needs to check its content files.

#[cfg(feature = "bindings")]
mod api;
pub mod content;
pub mod date;
#[cfg(feature = "bindings")]
pub mod form;
#[cfg(feature = "bindings")]
pub mod record;
#[cfg(feature = "bindings")]
pub mod summary;
#[cfg(feature = "bindings")]
pub use api::*;

/// The WIT package version this SDK implements.
pub const API_VERSION: &str = "1.3.0";
/// Major version of the API; the host accepts plugins whose API major equals its own.
pub const API_MAJOR: u32 = 1;

/// The sector ids the desk knows (design card: ten sectors).
pub const SECTOR_IDS: [&str; 10] = [
    "coal-mining",
    "non-coal-mines",
    "hazardous-chemicals",
    "fire",
    "roads",
    "waterways",
    "construction",
    "industrial-parks",
    "hazardous-waste",
    "dust-explosion",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_ids_are_unique_and_well_formed() {
        let mut ids = SECTOR_IDS.to_vec();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 10);
        for id in SECTOR_IDS {
            assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
        assert!(API_VERSION.starts_with(&format!("{API_MAJOR}.")));
    }
}
