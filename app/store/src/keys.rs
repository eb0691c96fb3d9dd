//! Tree names and key layouts (schema version 2).

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

/// All trees a backup carries, in order.
pub const ALL_TREES: [&str; 9] = [
    META,
    CAMPAIGNS,
    PLANS,
    TASKS,
    UNITS,
    PROGRESS,
    PROGRESS_INDEX,
    AUDIT,
    SETTINGS,
];

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
