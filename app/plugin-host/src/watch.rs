//! Watches the plugins folder (notify 8 + notify-debouncer-full) and rescans on need.
//!
//! Events are hints: a package is (re)considered only after a close-after-write or a rename
//! into the folder (never on create or a partial write), and loaded only if it verifies.
//! `need_rescan` and watch errors trigger a full rescan; so does start-up.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RemoveKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{PluginError, Result};
use crate::host::PluginHost;
use crate::package::PACKAGE_EXT;

/// Debounce timeout.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Keeps the watch alive; drop it to stop watching.
pub struct PluginWatcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

fn is_package(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == PACKAGE_EXT)
}

/// Whether an event means a package file is complete (or gone).
fn completes_a_package(kind: &EventKind, paths: &[std::path::PathBuf]) -> bool {
    let relevant = matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(_))
            | EventKind::Remove(RemoveKind::File | RemoveKind::Any)
    );
    relevant && paths.iter().any(|p| is_package(p))
}

/// Starts watching `host`'s plugins folder. `on_change` runs (on the watcher's thread) after
/// a rescan that loaded something, e.g. to request a repaint.
pub fn watch(
    host: Arc<PluginHost>,
    on_change: impl Fn(&[String]) + Send + 'static,
) -> Result<PluginWatcher> {
    let dir = host.plugins_dir().to_path_buf();
    let h = Arc::clone(&host);
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |res: DebounceEventResult| {
        let rescan = match res {
            Ok(events) => events
                .iter()
                .any(|e| e.need_rescan() || completes_a_package(&e.kind, &e.paths)),
            Err(errors) => {
                for e in errors {
                    tracing::warn!("插件目录监视出错：{e}");
                }
                true
            }
        };
        if rescan {
            match h.rescan() {
                Ok(loaded) => on_change(&loaded),
                Err(e) => tracing::warn!("插件目录重新扫描失败：{e}"),
            }
        }
    })
    .map_err(|e| PluginError::Watch(e.to_string()))?;
    debouncer
        .watch(&dir, RecursiveMode::NonRecursive)
        .map_err(|e| PluginError::Watch(e.to_string()))?;
    // Anything dropped before the watch started.
    host.rescan()?;
    Ok(PluginWatcher {
        _debouncer: debouncer,
    })
}
