//! The data folder: the one description of its layout. Every folder and fixed name in it is
//! built by a method of [`DataDir`]; the files inside `plugins/` and `plugins/cache/` are
//! named by the plugin host (after their sector or hash), and a restore's staging folder
//! holds its own `db/` and `evidence/`.
//!
//! | path | what | owner |
//! | --- | --- | --- |
//! | `anwei.lock` | exclusive lock: one process per data folder | `app/store` |
//! | `anwei.state` | state record: the newest audit id, a witness against a silently emptied database | store |
//! | `db/` | the sled database | store |
//! | `db/anwei.state` | the state record's copy beside the database | store |
//! | `evidence/<entry>/<name>` | copies of the evidence files of progress entry `<entry>` | store |
//! | `backups/auto-<time>.anwei-backup` | rotating automatic backups | store |
//! | `backups/before-restore-<time>.anwei-backup` | the data a restore replaced | store |
//! | `restore-<time>.tmp/` | staging folder of a restore under way (removed after) | store |
//! | `db.damaged-<time>/` | a database that did not open, set aside (its evidence beside it) | store |
//! | `plugins/<sector>.anwpkg` | installed plugin packages (also dropped in by hand) | `app/plugin-host` |
//! | `plugins/state.json` | enabled/disabled, fault log, versions seen | plugin-host |
//! | `plugins/cache/` | compiled plugin code and its HMAC tags | plugin-host (path set by `app/session`) |
//! | `plugins/synced` | digest of the plugin host's inputs and the sector plans the last clean sync left in the store: while it matches, printing does not start the host | `app/session` |
//! | `plugins/root.pub`, `plugins/trust.json` | wave-1 root key and trust list, moved into the store once | `app/session` |
//! | `.anwei-tmp-*` (any folder) | remains of a write that was killed ([`crate::TEMP_PREFIX`]) | written by [`crate::write_atomic`]; the store removes them at open from the data folder, `db/`, `backups/`, `evidence/`, `plugins/` and `plugins/cache/` |
//!
//! Outside the data folder: `code-cache.key` (the per-user key of the compiled-code cache)
//! in the user's configuration folder (`app/session`); documents and packages the user
//! saves go wherever the user says.

use std::path::{Path, PathBuf};

/// File name of the lock file in the data folder.
pub const LOCK_FILE: &str = "anwei.lock";
/// File name of the state record, in the data folder and (its copy) in `db/`.
pub const STATE_FILE: &str = "anwei.state";
/// File name extension of backups.
pub const BACKUP_EXTENSION: &str = "anwei-backup";
/// Name prefix of automatic backups in `backups/`.
pub const AUTO_BACKUP_PREFIX: &str = "auto-";
/// Name prefix of the backup a restore makes of the data it replaces.
pub const BEFORE_RESTORE_PREFIX: &str = "before-restore-";
/// Name prefix and suffix of a restore's staging folder.
pub const RESTORE_STAGING_PREFIX: &str = "restore-";
pub const RESTORE_STAGING_SUFFIX: &str = ".tmp";
/// Name prefix of a database set aside.
pub const DAMAGED_DB_PREFIX: &str = "db.damaged-";

/// The desk's data folder (`--data`, or the user's data folder by default).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataDir(PathBuf);

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir(root.into())
    }

    /// The data folder itself.
    pub fn root(&self) -> &Path {
        &self.0
    }

    /// `anwei.lock`.
    pub fn lock_file(&self) -> PathBuf {
        self.0.join(LOCK_FILE)
    }

    /// `anwei.state`.
    pub fn state_file(&self) -> PathBuf {
        self.0.join(STATE_FILE)
    }

    /// `db/`.
    pub fn db(&self) -> PathBuf {
        self.0.join("db")
    }

    /// `db/anwei.state`.
    pub fn db_state_file(&self) -> PathBuf {
        self.db().join(STATE_FILE)
    }

    /// `evidence/`.
    pub fn evidence(&self) -> PathBuf {
        self.0.join("evidence")
    }

    /// `evidence/<entry>/`: the evidence files of progress entry `entry`.
    pub fn evidence_of(&self, entry: u64) -> PathBuf {
        self.evidence().join(entry.to_string())
    }

    /// `evidence/<stored>`, `stored` as evidence records name a file (`<entry>/<name>`).
    pub fn evidence_file(&self, stored: &str) -> PathBuf {
        self.evidence().join(stored)
    }

    /// `backups/`.
    pub fn backups(&self) -> PathBuf {
        self.0.join("backups")
    }

    /// `backups/auto-<stamp>.anwei-backup`.
    pub fn auto_backup(&self, stamp: &str) -> PathBuf {
        self.backups()
            .join(format!("{AUTO_BACKUP_PREFIX}{stamp}.{BACKUP_EXTENSION}"))
    }

    /// `backups/before-restore-<stamp>.anwei-backup`.
    pub fn before_restore_backup(&self, stamp: &str) -> PathBuf {
        self.backups()
            .join(format!("{BEFORE_RESTORE_PREFIX}{stamp}.{BACKUP_EXTENSION}"))
    }

    /// `restore-<stamp>.tmp/`.
    pub fn restore_staging(&self, stamp: &str) -> PathBuf {
        self.0.join(format!(
            "{RESTORE_STAGING_PREFIX}{stamp}{RESTORE_STAGING_SUFFIX}"
        ))
    }

    /// `db.damaged-<stamp>/`.
    pub fn damaged_db(&self, stamp: &str) -> PathBuf {
        self.0.join(format!("{DAMAGED_DB_PREFIX}{stamp}"))
    }

    /// `plugins/`.
    pub fn plugins(&self) -> PathBuf {
        self.0.join("plugins")
    }

    /// `plugins/state.json`.
    pub fn plugin_state(&self) -> PathBuf {
        self.plugins().join("state.json")
    }

    /// `plugins/cache/`.
    pub fn plugin_cache(&self) -> PathBuf {
        self.plugins().join("cache")
    }

    /// `plugins/synced`.
    pub fn plugin_sync_stamp(&self) -> PathBuf {
        self.plugins().join("synced")
    }

    /// `plugins/root.pub` (wave 1).
    pub fn legacy_root_key(&self) -> PathBuf {
        self.plugins().join("root.pub")
    }

    /// `plugins/trust.json` (wave 1).
    pub fn legacy_trust_list(&self) -> PathBuf {
        self.plugins().join("trust.json")
    }
}

impl AsRef<Path> for DataDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl From<PathBuf> for DataDir {
    fn from(root: PathBuf) -> DataDir {
        DataDir(root)
    }
}

impl From<&Path> for DataDir {
    fn from(root: &Path) -> DataDir {
        DataDir(root.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout as the files on disk are named (tests elsewhere and users' folders rely on
    /// these exact names).
    #[test]
    fn paths_are_the_documented_ones() {
        let d = DataDir::new("/data");
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(d.root(), Path::new("/data"));
        assert_eq!(d.lock_file(), p("/data/anwei.lock"));
        assert_eq!(d.state_file(), p("/data/anwei.state"));
        assert_eq!(d.db(), p("/data/db"));
        assert_eq!(d.db_state_file(), p("/data/db/anwei.state"));
        assert_eq!(d.evidence(), p("/data/evidence"));
        assert_eq!(d.evidence_of(12), p("/data/evidence/12"));
        assert_eq!(
            d.evidence_file("12/照片.jpg"),
            p("/data/evidence/12/照片.jpg")
        );
        assert_eq!(d.backups(), p("/data/backups"));
        assert_eq!(
            d.auto_backup("20260315-101010.123"),
            p("/data/backups/auto-20260315-101010.123.anwei-backup")
        );
        assert_eq!(
            d.before_restore_backup("T"),
            p("/data/backups/before-restore-T.anwei-backup")
        );
        assert_eq!(d.restore_staging("T"), p("/data/restore-T.tmp"));
        assert_eq!(d.damaged_db("T"), p("/data/db.damaged-T"));
        assert_eq!(d.plugins(), p("/data/plugins"));
        assert_eq!(d.plugin_state(), p("/data/plugins/state.json"));
        assert_eq!(d.plugin_sync_stamp(), p("/data/plugins/synced"));
        assert_eq!(d.plugin_cache(), p("/data/plugins/cache"));
        assert_eq!(d.legacy_root_key(), p("/data/plugins/root.pub"));
        assert_eq!(d.legacy_trust_list(), p("/data/plugins/trust.json"));
    }
}
