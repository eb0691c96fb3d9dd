//! Backups as jobs: the automatic backup of the start (begun after the first frame) and the
//! backups the user asks for run on a worker ([`anwei_store::BackupJob`]), one at a time (a
//! second waits for the first), with a progress line for the status bar. The desk waits for
//! a running one before it closes or replaces the store (the job holds the folder's lock).

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use anwei_store::{BackupInfo, Store};

use crate::jobs::{Job, JobError, Jobs};

/// A backup that finished, with what the status line says about it (`None`: nothing, an
/// automatic backup that went well).
pub(crate) struct Finished {
    pub message: Option<Result<String, String>>,
}

/// Which backup.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Auto,
    To(PathBuf),
}

/// The desk's backups.
pub(crate) struct Backups {
    jobs: Jobs,
    running: Option<(Kind, Job<BackupInfo>)>,
    /// Waiting for the one running.
    queued: Option<Kind>,
    /// The automatic backup is due and not begun yet.
    auto_due: bool,
    /// Tests: the next backup waits until the sender is dropped.
    hold: Option<Receiver<()>>,
}

impl Backups {
    /// `auto_due`: an automatic backup is to be made ([`Backups::start_due`]).
    pub fn new(jobs: Jobs, auto_due: bool) -> Backups {
        Backups {
            jobs,
            running: None,
            queued: None,
            auto_due,
            hold: None,
        }
    }

    /// Begins the automatic backup if it is due (called after a frame was drawn). An error is
    /// the status line's.
    pub fn start_due(&mut self, store: &Store) -> Option<String> {
        if !self.auto_due {
            return None;
        }
        self.auto_due = false;
        self.start(store, Kind::Auto).err()
    }

    /// Begins a backup to `dest`, or queues it behind the one running. Returns the status
    /// line.
    pub fn backup_to(&mut self, store: &Store, dest: PathBuf) -> Result<String, String> {
        let shown = dest.display().to_string();
        if self.running.is_some() {
            if self.queued.is_some() {
                return Err("已有备份在等待，请等它们完成后再备份".to_owned());
            }
            self.queued = Some(Kind::To(dest));
            return Ok(format!("当前备份完成后将备份到 {shown}"));
        }
        self.start(store, Kind::To(dest))?;
        Ok(format!("正在备份到 {shown} …"))
    }

    fn start(&mut self, store: &Store, kind: Kind) -> Result<(), String> {
        let failed = |e: &dyn std::fmt::Display| match &kind {
            Kind::Auto => format!("自动备份失败：{e}"),
            Kind::To(_) => format!("备份失败：{e}"),
        };
        let backup = store.backup_job().map_err(|e| failed(&e))?;
        let hold = self.hold.take();
        let what = kind.clone();
        let job = self.jobs.spawn("backup", move |ctl| {
            if let Some(hold) = hold {
                // Released when the sender is dropped.
                let _ = hold.recv();
            }
            let note = match &what {
                Kind::Auto => "自动备份",
                Kind::To(_) => "备份",
            };
            let report = |p: anwei_store::BackupProgress| ctl.report(Some(p.fraction()), note);
            let result = match &what {
                Kind::Auto => backup.run_auto(&report),
                Kind::To(dest) => backup.run(dest, &report),
            };
            result.map_err(|e| JobError::Failed(e.to_string()))
        });
        self.running = Some((kind, job));
        Ok(())
    }

    /// Whether a backup runs (or waits to).
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// The progress line while a backup runs: "正在自动备份… 35%".
    pub fn line(&self) -> Option<String> {
        let (kind, job) = self.running.as_ref()?;
        let what = match kind {
            Kind::Auto => "正在自动备份…",
            Kind::To(_) => "正在备份…",
        };
        Some(match job.progress().fraction {
            Some(f) => format!("{what} {:.0}%", f * 100.0),
            None => what.to_owned(),
        })
    }

    /// Takes the answer of the running backup if it is there (never blocks), and begins the
    /// queued one.
    pub fn poll(&mut self, store: &Store) -> Option<Finished> {
        let (_, job) = self.running.as_mut()?;
        let answer = job.poll()?;
        Some(self.finish(answer, store))
    }

    /// Waits for the running backup and the queued one (tests; before the store closes).
    pub fn wait(&mut self, store: &Store) -> Vec<Finished> {
        let mut out = Vec::new();
        while let Some((_, job)) = self.running.as_mut() {
            job.wait();
            let Some(answer) = job.poll() else {
                break;
            };
            out.push(self.finish(answer, store));
        }
        out
    }

    fn finish(&mut self, answer: Result<BackupInfo, JobError>, store: &Store) -> Finished {
        let Some((kind, _)) = self.running.take() else {
            return Finished { message: None };
        };
        let message = match (kind, answer) {
            (Kind::Auto, Ok(_)) => None,
            (Kind::Auto, Err(e)) => {
                tracing::error!("automatic backup failed: {e}");
                Some(Err(format!("自动备份失败：{e}")))
            }
            (Kind::To(_), Ok(info)) => Some(Ok(format!("已备份到 {}", info.path.display()))),
            (Kind::To(_), Err(e)) => Some(Err(format!("备份失败：{e}"))),
        };
        if let Some(next) = self.queued.take()
            && let Err(e) = self.start(store, next)
        {
            let joined = match message {
                Some(Ok(m) | Err(m)) => format!("{m}；{e}"),
                None => e,
            };
            return Finished {
                message: Some(Err(joined)),
            };
        }
        Finished { message }
    }

    /// Makes the next backup wait until the returned sender is dropped (tests: to look at
    /// the window while a backup runs).
    pub fn hold_next(&mut self) -> Sender<()> {
        let (tx, rx) = channel();
        self.hold = Some(rx);
        tx
    }
}

impl Drop for Backups {
    /// A desk closing waits for its running backup: the job holds the data folder's lock,
    /// which whoever opens the folder next needs.
    fn drop(&mut self) {
        if let Some((_, job)) = &mut self.running {
            job.wait();
        }
    }
}
