//! Plugin work off the UI thread, as jobs ([`crate::jobs`]): record validation while the
//! user types, and target values computed from a form's records. At most one job of a kind
//! runs at a time (the newest waiting request replaces older ones; forms are computed one
//! after the other); the desk takes the answers in its per-frame poll, so a frame never waits
//! on a plugin.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anwei_core::{Classification, FieldIssue, TargetValue, Value};
use anwei_plugin_host::PluginHost;
use anwei_store::RecordReader;
use chrono::NaiveDate;

use crate::jobs::{Job, Jobs};

/// How long a form's records must stay unchanged before its targets are recomputed (a burst
/// of saves is computed once).
pub const COMPUTE_DEBOUNCE: Duration = Duration::from_millis(300);

// ----- validation ------------------------------------------------------------------------

struct ValidateJob {
    host: Arc<PluginHost>,
    ticket: (u64, u64),
    form: String,
    values: BTreeMap<String, Value>,
    today: NaiveDate,
}

/// A finished validation: the editor session and request it answers, and the plugin's issues
/// and rule results (or why there are none).
pub(crate) struct Validated {
    pub session: u64,
    pub issues: Result<Vec<FieldIssue>, String>,
    pub classes: Vec<Classification>,
}

/// The plugin's issues and rule results, or why there are none.
type Issues = Result<(Vec<FieldIssue>, Vec<Classification>), String>;

fn validate(job: ValidateJob) -> Issues {
    let issues = anwei_session::records::plugin_check(&job.host, &job.form, &job.values, job.today)
        .map_err(|e| e.to_string())?;
    let classes =
        anwei_session::records::plugin_classify(&job.host, &job.form, &job.values, job.today)
            .map_err(|e| e.to_string())?;
    Ok((issues, classes))
}

/// Validation of the record being edited by its plugin.
pub(crate) struct Validator {
    jobs: Jobs,
    /// The request being checked, by its ticket.
    running: Option<((u64, u64), Job<Issues>)>,
    /// The newest request (editor session, request number); older answers are dropped.
    latest: (u64, u64),
    /// A request waiting for the one running to finish.
    waiting: Option<ValidateJob>,
    next: u64,
}

impl Validator {
    pub fn new(jobs: Jobs) -> Validator {
        Validator {
            jobs,
            running: None,
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
        if self.running.is_some() {
            self.waiting = Some(job);
        } else {
            self.start(job);
        }
    }

    fn start(&mut self, job: ValidateJob) {
        let ticket = job.ticket;
        let running = self
            .jobs
            .spawn("anwei-validate", move |_| Ok(validate(job)));
        self.running = Some((ticket, running));
    }

    pub fn busy(&self) -> bool {
        self.waiting.is_some() || self.running.is_some()
    }

    /// Answers to the newest request, if it has come (`wait`: block until it has).
    pub fn poll(&mut self, wait: bool) -> Vec<Validated> {
        let mut out = Vec::new();
        loop {
            let Some((ticket, job)) = &mut self.running else {
                return out;
            };
            if wait {
                job.wait();
            }
            let ticket = *ticket;
            let Some(answer) = job.poll() else {
                return out;
            };
            self.running = None;
            if ticket == self.latest {
                let answer = answer.unwrap_or_else(|e| Err(e.to_string()));
                let (issues, classes) = match answer {
                    Ok((issues, classes)) => (Ok(issues), classes),
                    Err(e) => (Err(e), Vec::new()),
                };
                out.push(Validated {
                    session: ticket.0,
                    issues,
                    classes,
                });
            }
            if let Some(next) = self.waiting.take() {
                self.start(next);
                if wait {
                    continue;
                }
            }
            return out;
        }
    }
}

// ----- target values ---------------------------------------------------------------------

struct ComputeJob {
    host: Arc<PluginHost>,
    form: String,
    reader: RecordReader,
    as_of: NaiveDate,
}

/// Target values computed from one form's records.
pub(crate) struct ComputeDone {
    pub form: String,
    pub as_of: NaiveDate,
    pub values: Result<Vec<TargetValue>, String>,
    pub elapsed: Duration,
}

/// The form's values: kept ones when its register has not changed, else computed from the
/// register read on the worker one record at a time.
fn compute(job: ComputeJob) -> ComputeDone {
    let start = Instant::now();
    let values =
        anwei_session::targets::compute_form_cached(&job.host, &job.reader, &job.form, job.as_of)
            .map(|(values, _)| values)
            .map_err(|e| e.to_string());
    ComputeDone {
        form: job.form,
        as_of: job.as_of,
        values,
        elapsed: start.elapsed(),
    }
}

/// Recomputing target values per form, debounced, one form at a time.
pub(crate) struct Computes {
    jobs: Jobs,
    /// Forms whose records (or the as-of date) changed, with when.
    dirty: HashMap<String, Instant>,
    /// Computations waiting for the one running.
    queue: VecDeque<ComputeJob>,
    /// The form being computed, as of its date.
    running: Option<(String, NaiveDate, Job<ComputeDone>)>,
    /// Forms queued or running.
    in_flight: HashSet<String>,
    /// Computations started so far (tests check that one change recomputes one form).
    pub sent: u64,
}

impl Computes {
    pub fn new(jobs: Jobs) -> Computes {
        Computes {
            jobs,
            dirty: HashMap::new(),
            queue: VecDeque::new(),
            running: None,
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

    /// Whether a computation is queued or running (marked forms not counted).
    pub fn running(&self) -> bool {
        !self.in_flight.is_empty()
    }

    pub fn busy(&self) -> bool {
        !self.dirty.is_empty() || !self.in_flight.is_empty()
    }

    /// Forms whose values are stale: marked, queued or running.
    pub fn pending(&self) -> impl Iterator<Item = &str> {
        self.dirty
            .keys()
            .chain(self.in_flight.iter())
            .map(String::as_str)
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

    /// Starts computing `form`'s values from `records` (after the form computing now).
    pub fn start(
        &mut self,
        host: Arc<PluginHost>,
        form: &str,
        reader: RecordReader,
        as_of: NaiveDate,
    ) {
        self.in_flight.insert(form.to_owned());
        self.sent += 1;
        self.queue.push_back(ComputeJob {
            host,
            form: form.to_owned(),
            reader,
            as_of,
        });
        self.next();
    }

    /// Starts the next queued computation when none is running.
    fn next(&mut self) {
        if self.running.is_some() {
            return;
        }
        if let Some(job) = self.queue.pop_front() {
            let (form, as_of) = (job.form.clone(), job.as_of);
            let running = self.jobs.spawn("anwei-compute", move |_| Ok(compute(job)));
            self.running = Some((form, as_of, running));
        }
    }

    /// Finished computations (`wait`: block until all started ones are done).
    pub fn poll(&mut self, wait: bool) -> Vec<ComputeDone> {
        let mut done = Vec::new();
        loop {
            let Some((_, _, job)) = &mut self.running else {
                return done;
            };
            if wait {
                job.wait();
            }
            let Some(answer) = job.poll() else {
                return done;
            };
            let Some((form, as_of, _)) = self.running.take() else {
                return done;
            };
            self.in_flight.remove(&form);
            done.push(answer.unwrap_or_else(|e| ComputeDone {
                form,
                as_of,
                values: Err(e.to_string()),
                elapsed: Duration::ZERO,
            }));
            self.next();
        }
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

// ----- rule results of ledger rows -------------------------------------------------------

/// Rule results for records of one form, from one request.
pub(crate) struct Classified {
    pub form: String,
    pub today: NaiveDate,
    /// Per record (id, revision); a record the plugin could not classify is left out (and
    /// `error` says why).
    pub results: Vec<((u64, u32), Vec<Classification>)>,
    pub error: Option<String>,
}

/// The sector rules applied to the ledger rows shown, one request at a time, in order.
pub(crate) struct Classifier {
    jobs: Jobs,
    running: Vec<Job<Classified>>,
}

impl Classifier {
    pub fn new(jobs: Jobs) -> Classifier {
        Classifier {
            jobs,
            running: Vec::new(),
        }
    }

    /// Asks for the rule results of `records` of `form` (`SECTOR/FORM`) on `today`.
    pub fn request(
        &mut self,
        host: Arc<PluginHost>,
        form: String,
        records: Vec<anwei_core::FormRecord>,
        today: NaiveDate,
    ) {
        let job = self.jobs.spawn("anwei-classify", move |_| {
            let (sector, form_id) = form.split_once('/').unwrap_or((form.as_str(), ""));
            let day = today.format("%Y-%m-%d").to_string();
            let mut results = Vec::with_capacity(records.len());
            let mut error = None;
            for r in &records {
                match host.classify(sector, form_id, r, &day) {
                    Ok(c) => results.push(((r.id, r.revision), c)),
                    Err(e) => {
                        error = Some(e.to_string());
                        break;
                    }
                }
            }
            Ok(Classified {
                form: form.clone(),
                today,
                results,
                error,
            })
        });
        self.running.push(job);
    }

    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// The answers that have come (`wait`: block until all have).
    pub fn poll(&mut self, wait: bool) -> Vec<Classified> {
        let mut out = Vec::new();
        self.running.retain_mut(|job| {
            if wait {
                job.wait();
            }
            match job.poll() {
                Some(Ok(c)) => {
                    out.push(c);
                    false
                }
                Some(Err(e)) => {
                    tracing::warn!("规则判定未完成：{e}");
                    false
                }
                None => true,
            }
        });
        out
    }
}
