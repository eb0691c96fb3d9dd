//! The one way the desk runs work off the UI thread (opening the plugin host, installs,
//! `validate`, `compute`, print layout, PDF save, backups): [`Jobs::spawn`] runs a closure on a thread
//! of its own and returns a [`Job`] that its owner polls each frame without blocking. The work
//! reports [`Progress`] and checks a cancel flag at its checkpoints ([`JobCtl::checkpoint`]).
//! A job that panics, or whose thread cannot start, finishes with [`JobError::Failed`]: its
//! owner always gets an answer. A finishing job wakes the window; while any job runs the desk
//! asks for a repaint soon ([`Jobs::running`]), so no frame ever sleeps or waits on one.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Why a job gave no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Cancelled by the user; the work stopped at a checkpoint.
    #[error("已取消")]
    Cancelled,
    /// The work panicked or its thread could not start (the details are in the log).
    #[error("{0}")]
    Failed(String),
}

/// How soon the window repaints after a job finished or reported progress.
pub const WAKE: Duration = Duration::from_millis(1);

/// The message of a job that ended without an answer.
const ABORTED: &str = "后台任务意外中止";

/// How far a job is: a fraction (when the work can tell) and what it is doing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// 0.0 – 1.0.
    pub fraction: Option<f32>,
    /// E.g. "排版".
    pub note: String,
}

#[derive(Default)]
struct Shared {
    running: AtomicUsize,
    /// Woken when a job finishes or reports progress (set by the first frame).
    repaint: Mutex<Option<egui::Context>>,
}

impl Shared {
    fn repaint(&self) -> MutexGuard<'_, Option<egui::Context>> {
        self.repaint.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks for a frame within [`WAKE`]: a timed repaint, like the one the desk asks for
    /// while jobs run, not an immediate one (a frame loop that settles when no immediate
    /// repaint is pending, as the test harness does, is not kept spinning by jobs).
    fn wake(&self) {
        if let Some(ctx) = self.repaint().as_ref() {
            ctx.request_repaint_after(WAKE);
        }
    }
}

/// Starts jobs and counts those running. Cheap to clone: clones share the count.
#[derive(Clone, Default)]
pub struct Jobs {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("running", &self.running())
            .finish()
    }
}

/// What the work sees of its job: the cancel flag and where to report progress.
pub struct JobCtl {
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Progress>>,
    shared: Arc<Shared>,
}

impl JobCtl {
    /// Whether the owner asked the job to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// `Err(Cancelled)` once the owner asked the job to stop: `ctl.checkpoint()?` between
    /// steps.
    pub fn checkpoint(&self) -> Result<(), JobError> {
        if self.cancelled() {
            Err(JobError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Reports how far the work is (shown while it runs).
    pub fn report(&self, fraction: Option<f32>, note: &str) {
        {
            let mut p = self.progress.lock().unwrap_or_else(|p| p.into_inner());
            p.fraction = fraction.map(|f| f.clamp(0.0, 1.0));
            note.clone_into(&mut p.note);
        }
        self.shared.wake();
    }
}

/// Counts a running job until its thread is done with it (also when the work panicked).
struct Running(Arc<Shared>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A job started by [`Jobs::spawn`]: poll it each frame; it answers exactly once.
pub struct Job<T> {
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Progress>>,
    rx: Option<Receiver<Result<T, JobError>>>,
    /// The answer, received but not yet taken.
    ready: Option<Result<T, JobError>>,
}

impl<T> std::fmt::Debug for Job<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("cancel", &self.cancel_requested())
            .field("progress", &self.progress())
            .field("answered", &self.ready.is_some())
            .finish()
    }
}

impl Jobs {
    pub fn new() -> Jobs {
        Jobs::default()
    }

    /// The window to wake when a job finishes or reports progress.
    pub fn repaint_with(&self, ctx: &egui::Context) {
        let mut slot = self.shared.repaint();
        if slot.is_none() {
            *slot = Some(ctx.clone());
        }
    }

    /// Jobs whose work has not returned yet.
    pub fn running(&self) -> usize {
        self.shared.running.load(Ordering::SeqCst)
    }

    /// Runs `work` on a new thread named `name`. Its `Err` (a cancel at a checkpoint, or a
    /// failure of its own) is the job's answer like its `Ok`; a panic answers
    /// [`JobError::Failed`].
    pub fn spawn<T, F>(&self, name: &str, work: F) -> Job<T>
    where
        T: Send + 'static,
        F: FnOnce(&JobCtl) -> Result<T, JobError> + Send + 'static,
    {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(Progress::default()));
        let ctl = JobCtl {
            cancel: Arc::clone(&cancel),
            progress: Arc::clone(&progress),
            shared: Arc::clone(&self.shared),
        };
        self.shared.running.fetch_add(1, Ordering::SeqCst);
        let running = Running(Arc::clone(&self.shared));
        let thread_name = name.to_owned();
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let answer = catch_unwind(AssertUnwindSafe(|| work(&ctl))).unwrap_or_else(|_| {
                    tracing::error!("job {thread_name} panicked");
                    Err(JobError::Failed(ABORTED.to_owned()))
                });
                // Not running any more before the answer is there: whoever received the
                // answer sees the count without this job.
                let shared = Arc::clone(&running.0);
                drop(running);
                // The owner may be gone (the desk was reopened): nobody to tell then.
                let _ = tx.send(answer);
                shared.wake();
            });
        match spawned {
            Ok(_) => Job {
                cancel,
                progress,
                rx: Some(rx),
                ready: None,
            },
            Err(e) => {
                tracing::error!("cannot start job {name}: {e}");
                Job {
                    cancel,
                    progress,
                    rx: None,
                    ready: Some(Err(JobError::Failed(format!("无法启动后台任务：{e}")))),
                }
            }
        }
    }
}

impl<T> Job<T> {
    /// Asks the work to stop at its next checkpoint.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn cancel_requested(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// What the work last reported.
    pub fn progress(&self) -> Progress {
        self.progress
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn receive(&mut self) {
        if self.ready.is_some() {
            return;
        }
        let Some(rx) = &self.rx else {
            return;
        };
        match rx.try_recv() {
            Ok(answer) => self.ready = Some(answer),
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                self.ready = Some(Err(JobError::Failed(ABORTED.to_owned())));
            }
        }
        self.rx = None;
    }

    /// The answer, once the work has returned (never blocks). Answers once; `None` before
    /// and after.
    pub fn poll(&mut self) -> Option<Result<T, JobError>> {
        self.receive();
        self.ready.take()
    }

    /// Whether the answer is there (it is kept for [`Job::poll`]).
    pub fn is_finished(&mut self) -> bool {
        self.receive();
        self.ready.is_some() || self.rx.is_none()
    }

    /// Blocks until the work has returned; the answer is kept for [`Job::poll`]. For tests
    /// and the command line: a frame never waits.
    pub fn wait(&mut self) {
        if self.ready.is_some() {
            return;
        }
        if let Some(rx) = self.rx.take() {
            self.ready = Some(
                rx.recv()
                    .unwrap_or_else(|_| Err(JobError::Failed(ABORTED.to_owned()))),
            );
        }
    }
}

/// Takes the answer of the job in `slot` once it is there, leaving the slot empty.
pub fn take_answer<T>(slot: &mut Option<Job<T>>) -> Option<Result<T, JobError>> {
    let answer = slot.as_mut()?.poll()?;
    *slot = None;
    Some(answer)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::mpsc::sync_channel;

    use super::*;

    #[test]
    fn progress_is_reported_while_the_job_runs_and_the_answer_comes_once() {
        let jobs = Jobs::new();
        let (go_tx, go) = sync_channel::<()>(0);
        let (reported_tx, reported) = sync_channel::<()>(0);
        let mut job = jobs.spawn("test-progress", move |ctl| {
            ctl.report(Some(0.5), "一半");
            reported_tx.send(()).unwrap();
            go.recv().unwrap();
            Ok(42)
        });
        reported.recv().unwrap();
        assert_eq!(
            job.progress(),
            Progress {
                fraction: Some(0.5),
                note: "一半".to_owned()
            }
        );
        assert_eq!(jobs.running(), 1);
        // Polling a running job does not wait for it.
        assert_eq!(job.poll(), None);
        assert!(!job.is_finished());
        go_tx.send(()).unwrap();
        job.wait();
        assert_eq!(jobs.running(), 0);
        assert_eq!(job.poll(), Some(Ok(42)));
        assert_eq!(job.poll(), None, "answers once");
    }

    #[test]
    fn a_cancelled_job_stops_at_its_next_checkpoint() {
        let jobs = Jobs::new();
        let (started_tx, started) = sync_channel::<()>(1);
        let steps = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&steps);
        let mut slot = Some(jobs.spawn("test-cancel", move |ctl| {
            started_tx.send(()).unwrap();
            // Would run for a very long time without the cancel.
            for _ in 0..1_000_000 {
                ctl.checkpoint()?;
                counted.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(1));
            }
            Ok(())
        }));
        started.recv().unwrap();
        let job = slot.as_mut().unwrap();
        job.cancel();
        assert!(job.cancel_requested());
        job.wait();
        assert_eq!(take_answer(&mut slot), Some(Err(JobError::Cancelled)));
        assert!(slot.is_none());
        assert!(steps.load(Ordering::SeqCst) < 1_000_000);
        assert_eq!(jobs.running(), 0);
    }

    #[test]
    fn a_panicking_or_failing_job_answers_with_an_error_and_nothing_hangs() {
        let jobs = Jobs::new();
        let mut panics: Job<u32> = jobs.spawn("test-panic", |_| panic!("boom"));
        panics.wait();
        let answer = panics.poll().unwrap();
        assert_eq!(answer, Err(JobError::Failed(ABORTED.to_owned())));
        assert_eq!(answer.unwrap_err().to_string(), "后台任务意外中止");

        let mut fails: Job<u32> = jobs.spawn("test-fail", |_| {
            Err(JobError::Failed("读取失败".to_owned()))
        });
        fails.wait();
        assert_eq!(
            fails.poll(),
            Some(Err(JobError::Failed("读取失败".to_owned())))
        );
        assert_eq!(jobs.running(), 0);
    }

    #[test]
    fn clones_share_the_count_of_running_jobs() {
        let jobs = Jobs::new();
        let other = jobs.clone();
        let (go_tx, go) = sync_channel::<()>(0);
        let mut job = other.spawn("test-count", move |_| {
            go.recv().unwrap();
            Ok(())
        });
        assert_eq!(jobs.running(), 1);
        go_tx.send(()).unwrap();
        job.wait();
        assert_eq!(jobs.running(), 0);
        assert_eq!(job.poll(), Some(Ok(())));
    }
}
