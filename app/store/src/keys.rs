//! Tree names and key layouts (schema version 3).

pub const META: &str = "meta";
pub const CAMPAIGNS: &str = "campaigns";
pub const PLANS: &str = "plans";
pub const TASKS: &str = "tasks";
pub const UNITS: &str = "units";
/// Key: task id, 0x00, entry id (u64 big-endian). Value: ProgressEntry JSON.
pub const PROGRESS: &str = "progress";
/// Key: entry id (u64 big-endian). Value: task id.
pub const PROGRESS_INDEX: &str = "progress_index";
/// Key: audit id (u64 big-endian, increasing). Value: AuditRecord JSON.
pub const AUDIT: &str = "audit";
pub const SETTINGS: &str = "settings";
/// Key: year (i32 big-endian, sign bit flipped) + number (u32 big-endian). Value: NoticeRecord JSON.
pub const NOTICES: &str = "notices";
/// Key: target id ("coal-mining/mine-count"). Value: Target JSON. (v3)
pub const TARGETS: &str = "targets";
/// Key: sector id. Value: SectorRecord JSON — which plugin version the sector plan came from. (v3)
pub const SECTORS: &str = "sectors";

/// All trees a backup carries, in order.
pub const ALL_TREES: [&str; 12] = [
    META,
    CAMPAIGNS,
    PLANS,
    TASKS,
    UNITS,
    PROGRESS,
    PROGRESS_INDEX,
    AUDIT,
    SETTINGS,
    NOTICES,
    TARGETS,
    SECTORS,
];

pub fn notice_key(year: i32, number: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&((year as u32) ^ 0x8000_0000).to_be_bytes());
    k[4..].copy_from_slice(&number.to_be_bytes());
    k
}

pub fn notice_year_prefix(year: i32) -> [u8; 4] {
    ((year as u32) ^ 0x8000_0000).to_be_bytes()
}

pub const SCHEMA_VERSION_KEY: &[u8] = b"schema_version";

pub fn progress_key(task: &str, entry: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(task.len() + 9);
    k.extend_from_slice(task.as_bytes());
    k.push(0);
    k.extend_from_slice(&entry.to_be_bytes());
    k
}

pub fn progress_prefix(task: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(task.len() + 1);
    k.extend_from_slice(task.as_bytes());
    k.push(0);
    k
}
