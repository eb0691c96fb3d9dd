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
/// Key: form ("coal-mining/mine-register"), 0x00, record id (u64 big-endian). Value:
/// FormRecord JSON. (v3)
pub const RECORDS: &str = "records";
/// Key: record id (u64 big-endian). Value: form. (v3)
pub const RECORD_INDEX: &str = "record_index";
/// Key: target id, 0x00, measurement id (u64 big-endian). Value: Measurement JSON. (v3)
pub const MEASUREMENTS: &str = "measurements";

/// Key: form. Value: the form's field names (postcard list): a stored record names a field
/// by its number in this list, which only grows. (v5)
pub const RECORD_FIELDS: &str = "record_fields";
/// Key: form. Value: the register's revision (u64 big-endian): the id of the audit record
/// of the newest change to one of the form's records. (v5)
pub const REGISTERS: &str = "registers";
/// Key: form. Value: the target values last computed from the form's register, with the
/// revision, date and plugin code they were computed for (JSON). Derived data: not backed
/// up, never audited. (v5)
pub const TARGET_CACHE: &str = "target_cache";

/// Key: form. Value: how many records the form has, deleted ones included (u64 big-endian),
/// kept by every change that adds records; key [`COUNTS_BUILT`] says the tree is complete.
/// Derived data: not backed up, built from `record_index` when missing (after a restore, or
/// coming from v5). (v6)
pub const RECORD_COUNTS: &str = "record_counts";
/// The key of [`RECORD_COUNTS`] present once the counts are complete (no form is empty).
pub const COUNTS_BUILT: &[u8] = b"";

/// Key: [`notice_key`]. Value: the PDF of the issued 督办通知书 of that number, as issued
/// (its SHA-256 is in the notice's record). (v6)
pub const NOTICE_FILES: &str = "notice_files";

/// Key: submission id (u64 big-endian). Value: a unit's submission of a report (JSON). (v7)
pub const SUBMISSIONS: &str = "submissions";

/// Key: [`sup_key`] (kind tag, then id u64 big-endian). Value: a row of the supervision
/// registers — 督办事项, 通报, 约谈, accidents, 考核 deductions (JSON). (v8)
pub const SUPERVISION: &str = "supervision";

/// The key of supervision row `id` of `kind`.
pub fn sup_key(kind: anwei_core::supervision::SupKind, id: u64) -> [u8; 9] {
    let mut k = [0u8; 9];
    k[0] = kind.tag();
    k[1..].copy_from_slice(&id.to_be_bytes());
    k
}

/// All trees a backup carries, in order.
pub const ALL_TREES: [&str; 20] = [
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
    NOTICE_FILES,
    TARGETS,
    SECTORS,
    RECORDS,
    RECORD_INDEX,
    MEASUREMENTS,
    REGISTERS,
    RECORD_FIELDS,
    SUBMISSIONS,
    SUPERVISION,
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

/// `scope`, 0x00, `id` big-endian: the key layout of progress entries (scope = task id),
/// records (scope = form) and measurements (scope = target id).
pub fn scoped_key(scope: &str, id: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(scope.len() + 9);
    k.extend_from_slice(scope.as_bytes());
    k.push(0);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

pub fn scope_prefix(scope: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(scope.len() + 1);
    k.extend_from_slice(scope.as_bytes());
    k.push(0);
    k
}
