//! Plugin work off the UI thread: record validation while the user types, and target values
//! computed from a form's records. Each runs on its own worker thread fed by a channel; the
//! desk sends at most one job of a kind at a time (the newest waiting request replaces older
//! ones) and takes the results in its per-frame poll, so a frame never waits on a plugin.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use anwei_core::{FieldIssue, FormRecord, TargetValue, Value};
use anwei_plugin_host::PluginHost;
use anwei_store::RecordReader;
use chrono::NaiveDate;

/// How long a form's records must stay unchanged before its targets are recomputed (a burst
/// of saves is computed once).
pub const COMPUTE_DEBOUNCE: Duration = Duration::from_millis(300);

/// A worker thread running `work` on each job it receives, in order.
struct Worker<J, R> {
    jobs: Sender<J>,
    results: Receiver<R>,
    in_flight: usize,
}

impl<J: Send + 'static, R: Send + 'static> Worker<J, R> {
    fn spawn(name: &str, work: impl Fn(J) -> R + Send + 'static) -> Option<Worker<J, R>> {
        let (jobs, job_rx) = channel::<J>();
        let (result_tx, results) = channel::<R>();
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // Ends when the desk drops its sender.
                while let Ok(job) = job_rx.recv() {
                    if result_tx.send(work(job)).is_err() {
                        break;
                    }
                }
            });
        match spawned {
            Ok(_) => Some(Worker {
                jobs,
                results,
                in_flight: 0,
            }),
            Err(e) => {
                tracing::error!("cannot start worker {name}: {e}");
                None
            }
        }
    }

    fn send(&mut self, job: J) -> bool {
        if self.jobs.send(job).is_ok() {
            self.in_flight += 1;
            true
        } else {
            false
        }
    }

    /// Finished results, without waiting.
    fn take(&mut self) -> Vec<R> {
        let out: Vec<R> = self.results.try_iter().collect();
        self.in_flight = self.in_flight.saturating_sub(out.len());
        out
    }

    /// Waits for every job sent so far (tests, the CLI).
    fn wait(&mut self) -> Vec<R> {
        let mut out = Vec::new();
        while self.in_flight > 0 {
            match self.results.recv() {
                Ok(r) => {
                    out.push(r);
                    self.in_flight -= 1;
                }
                Err(_) => {
                    self.in_flight = 0;
                }
            }
        }
        out
    }
}

// ----- validation ------------------------------------------------------------------------

struct ValidateJob {
    host: Arc<PluginHost>,
    ticket: (u64, u64),
    form: String,
    values: BTreeMap<String, Value>,
    today: NaiveDate,
}

/// A finished validation: the editor session and request it answers, and the plugin's issues
/// (or why there are none).
pub(crate) struct Validated {
    pub session: u64,
    pub issues: Result<Vec<FieldIssue>, String>,
}

fn validate(job: ValidateJob) -> ((u64, u64), Result<Vec<FieldIssue>, String>) {
    let result = anwei_session::records::plugin_check(&job.host, &job.form, &job.values, job.today)
        .map_err(|e| e.to_string());
    (job.ticket, result)
}

type ValidateResult = ((u64, u64), Result<Vec<FieldIssue>, String>);

/// Validation of the record being edited by its plugin.
pub(crate) struct Validator {
    worker: Option<Worker<ValidateJob, ValidateResult>>,
    /// The newest request (editor session, request number); older answers are dropped.
    latest: (u64, u64),
    /// A request waiting for the one in flight to finish.
    waiting: Option<ValidateJob>,
    next: u64,
}

impl Validator {
    pub fn new() -> Validator {
        Validator {
            worker: None,
            latest: (0, 0),
            waiting: None,
            next: 0,
        }
    }

    /// Asks for the issues of `values` of `form` (`SECTOR/FORM`), for editor `session`.
    pub fn request(
        &mut self,
        host: Arc<PluginHost>,
        session: u64,
        form: &str,
        values: BTreeMap<String, Value>,
        today: NaiveDate,
    ) {
        self.next += 1;
        self.latest = (session, self.next);
        let job = ValidateJob {
            host,
            ticket: self.latest,
            form: form.to_owned(),
            values,
            today,
        };
        if self.worker.is_none() {
            self.worker = Worker::spawn("anwei-validate", validate);
        }
        match &mut self.worker {
            Some(w) if w.in_flight == 0 => {
                w.send(job);
            }
            Some(_) => self.waiting = Some(job),
            None => {}
        }
    }

    pub fn busy(&self) -> bool {
        self.waiting.is_some() || self.worker.as_ref().is_some_and(|w| w.in_flight > 0)
    }

    /// Answers to the newest request, if it has come (`wait`: block until it has).
    pub fn poll(&mut self, wait: bool) -> Vec<Validated> {
        let mut out = Vec::new();
        loop {
            let Some(w) = &mut self.worker else {
                return out;
            };
            let done = if wait { w.wait() } else { w.take() };
            for (ticket, issues) in done {
                if ticket == self.latest {
                    out.push(Validated {
                        session: ticket.0,
                        issues,
                    });
                }
            }
            if w.in_flight == 0
                && let Some(job) = self.waiting.take()
            {
                w.send(job);
                if wait {
                    continue;
                }
            }
            return out;
        }
    }
}

// ----- target values ---------------------------------------------------------------------

/// Where a computation takes its records from.
pub(crate) enum RecordSource {
    /// The open ledger's records (already in memory).
    Shared(Vec<Arc<FormRecord>>),
    /// Read from the store on the worker (a form that is not open).
    Store(RecordReader),
}

struct ComputeJob {
    host: Arc<PluginHost>,
    form: String,
    records: RecordSource,
    as_of: NaiveDate,
}

/// Target values computed from one form's records.
pub(crate) struct ComputeDone {
    pub form: String,
    pub as_of: NaiveDate,
    pub values: Result<Vec<TargetValue>, String>,
    pub elapsed: Duration,
}

fn compute(job: ComputeJob) -> ComputeDone {
    let start = Instant::now();
    let values = match &job.records {
        RecordSource::Shared(records) => {
            anwei_session::targets::compute_form(&job.host, &job.form, records, job.as_of)
                .map_err(|e| e.to_string())
        }
        RecordSource::Store(reader) => match reader.records(&job.form) {
            Ok(records) => {
                anwei_session::targets::compute_form(&job.host, &job.form, &records, job.as_of)
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(format!("台账读取失败：{e}")),
        },
    };
    ComputeDone {
        form: job.form,
        as_of: job.as_of,
        values,
        elapsed: start.elapsed(),
    }
}

/// Recomputing target values per form, debounced, one form at a time.
pub(crate) struct Computes {
    worker: Option<Worker<ComputeJob, ComputeDone>>,
    /// Forms whose records (or the as-of date) changed, with when.
    dirty: HashMap<String, Instant>,
    in_flight: HashSet<String>,
    /// Jobs sent so far (tests check that one change recomputes one form).
    pub sent: u64,
}

impl Computes {
    pub fn new() -> Computes {
        Computes {
            worker: None,
            dirty: HashMap::new(),
            in_flight: HashSet::new(),
            sent: 0,
        }
    }

    /// Marks a form's values stale; `now`: without waiting for the debounce.
    pub fn mark(&mut self, form: &str, now: bool) {
        let at = if now {
            Instant::now()
                .checked_sub(COMPUTE_DEBOUNCE)
                .unwrap_or_else(Instant::now)
        } else {
            Instant::now()
        };
        self.dirty.insert(form.to_owned(), at);
    }

    pub fn busy(&self) -> bool {
        !self.dirty.is_empty() || !self.in_flight.is_empty()
    }

    /// Forms due for a recompute (debounce passed, not already computing); `all`: every
    /// marked form, whatever its debounce. They are taken off the marked list.
    pub fn due(&mut self, all: bool) -> Vec<String> {
        let now = Instant::now();
        let mut due: Vec<String> = self
            .dirty
            .iter()
            .filter(|(form, at)| {
                !self.in_flight.contains(*form)
                    && (all || now.duration_since(**at) >= COMPUTE_DEBOUNCE)
            })
            .map(|(f, _)| f.clone())
            .collect();
        due.sort();
        for f in &due {
            self.dirty.remove(f);
        }
        due
    }

    /// Starts computing `form`'s values from `records` on the worker.
    pub fn start(
        &mut self,
        host: Arc<PluginHost>,
        form: &str,
        records: RecordSource,
        as_of: NaiveDate,
    ) {
        if self.worker.is_none() {
            self.worker = Worker::spawn("anwei-compute", compute);
        }
        if let Some(w) = &mut self.worker
            && w.send(ComputeJob {
                host,
                form: form.to_owned(),
                records,
                as_of,
            })
        {
            self.in_flight.insert(form.to_owned());
            self.sent += 1;
        }
    }

    /// Finished computations (`wait`: block until all sent ones are done).
    pub fn poll(&mut self, wait: bool) -> Vec<ComputeDone> {
        let Some(w) = &mut self.worker else {
            return Vec::new();
        };
        let done = if wait { w.wait() } else { w.take() };
        for d in &done {
            self.in_flight.remove(&d.form);
        }
        done
    }

    /// The time the next marked form falls due (for a repaint request).
    pub fn next_due_in(&self) -> Option<Duration> {
        let now = Instant::now();
        self.dirty
            .values()
            .map(|at| COMPUTE_DEBOUNCE.saturating_sub(now.duration_since(*at)))
            .min()
    }
}
