//! The repo's sector plugins compiled into the desk's binary as defaults.
//!
//! `build.rs` builds `plugins/*` for `wasm32-unknown-unknown` (separate target dir
//! `target/plugins-wasm`) and wraps each module into a zero-import component. With the
//! `fixtures` feature the test plugins of `app/plugin-host/tests/fixtures/` (hostile ones, and one
//! built against API 1.0.0) are built too (tests only).

include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// Built-in sector plugins (component bytes), without test fixtures.
pub fn builtins() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUILT
        .iter()
        .filter(|(_, _, fixture, _)| !fixture)
        .map(|(name, bytes, _, _)| (*name, *bytes))
}

/// The folder of the built-ins' description snapshots (`<name>.json`): what each built-in
/// describes itself as, with the digest of the sources it was built from
/// ([`SOURCES_SHA256`]). The desk opens a built-in from its snapshot when this build was
/// made from those sources, and compiles it later; `anwei-plugin-host`'s test
/// `builtin_descriptions` checks (and, with `ANWEI_BLESS=1`, writes) them.
pub const DESCRIPTIONS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/descriptions");

/// The description snapshot of built-in `name` this build was made with (JSON), if any.
pub fn description(name: &str) -> Option<&'static str> {
    BUILT
        .iter()
        .find(|(n, _, fixture, _)| !*fixture && *n == name)
        .and_then(|(_, _, _, snapshot)| *snapshot)
}

/// A test fixture by name ("hostile", "hostile-v2", "hostile-bad-describe", "hostile-api2",
/// "api-1-0" …).
pub fn fixture(name: &str) -> Option<&'static [u8]> {
    BUILT
        .iter()
        .find(|(n, _, fixture, _)| *fixture && *n == name)
        .map(|(_, b, _, _)| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coal_is_built_in_as_a_component() {
        let (_, bytes) = builtins().find(|(n, _)| *n == "coal-mining").unwrap();
        // component-model preamble: magic, version 0x0d, layer 1
        assert_eq!(&bytes[..4], b"\0asm");
        assert_eq!(&bytes[4..8], &[0x0d, 0x00, 0x01, 0x00]);
    }
}
