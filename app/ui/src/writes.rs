//! The desk's writes, off the UI thread: commands wait in a queue in the order they were
//! given and a job applies them one at a time through the session's [`Writer`] (which
//! flushes before it returns). The desk takes each result in a later frame ([`Writes::poll`])
//! and only then refreshes the model and says "已保存"; a frame never waits for a write.
//! Tests and the CLI wait ([`Writes::poll`] with `wait`).

use std::collections::VecDeque;

use anwei_core::Command;
use anwei_session::Writer;
use anwei_store::{Applied, StoreError};

use crate::action::Origin;
use crate::jobs::{Job, Jobs};

/// A command given to the store, not yet answered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pending {
    pub from: Origin,
    pub command: Command,
}

/// A command the writer answered: `Err` is the message shown ("未保存：…"); nothing was
/// saved then.
#[derive(Debug)]
pub(crate) struct Written {
    pub from: Origin,
    pub command: Command,
    pub result: Result<Applied, String>,
}

type Running = (Pending, Job<Result<Applied, StoreError>>);

/// The queue of writes and the one running.
pub(crate) struct Writes {
    jobs: Jobs,
    /// Applies the commands; also used to finish what is left when the desk is dropped.
    writer: Writer,
    queue: VecDeque<Pending>,
    running: Option<Running>,
}

impl std::fmt::Debug for Writes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writes")
            .field("queued", &self.queue.len())
            .field("running", &self.running.as_ref().map(|(p, _)| &p.command))
            .finish()
    }
}

impl Writes {
    pub fn new(jobs: Jobs, writer: Writer) -> Writes {
        Writes {
            jobs,
            writer,
            queue: VecDeque::new(),
            running: None,
        }
    }

    /// Writes through `writer` from now on (a write gate was set).
    pub fn set_writer(&mut self, writer: Writer) {
        self.writer = writer;
    }

    /// Queues `command` and starts it if no write runs. An equal command from the same
    /// panel that is still waiting or running is not queued again (a double click on
    /// "保存"): returns false then.
    pub fn submit(&mut self, from: Origin, command: Command) -> bool {
        let pending = Pending { from, command };
        let twice = self.running.as_ref().is_some_and(|(p, _)| *p == pending)
            || self.queue.contains(&pending);
        if twice {
            return false;
        }
        self.queue.push_back(pending);
        self.start_next();
        true
    }

    /// Starts the next queued write when none runs.
    fn start_next(&mut self) {
        if self.running.is_some() {
            return;
        }
        let Some(next) = self.queue.pop_front() else {
            return;
        };
        let writer = self.writer.clone();
        let command = next.command.clone();
        let job = self
            .jobs
            .spawn("anwei-write", move |_| Ok(writer.apply(&command)));
        self.running = Some((next, job));
    }

    /// The answer of the running write once it is there (`wait`: blocks until it is), and
    /// the next write started. `None` while it runs (or nothing is pending).
    pub fn poll(&mut self, wait: bool) -> Option<Written> {
        let (_, job) = self.running.as_mut()?;
        if wait {
            job.wait();
        }
        let answer = job.poll()?;
        let (pending, _) = self.running.take()?;
        self.start_next();
        let result = match answer {
            Ok(Ok(applied)) => Ok(applied),
            Ok(Err(e)) => Err(format!("未保存：{e}")),
            Err(e) => Err(format!("未保存：{e}")),
        };
        Some(Written {
            from: pending.from,
            command: pending.command,
            result,
        })
    }

    /// Commands given and not answered yet (the running one included).
    pub fn pending(&self) -> usize {
        self.queue.len() + usize::from(self.running.is_some())
    }

    /// The panels whose commands are pending.
    pub fn origins(&self) -> Vec<Origin> {
        let mut out: Vec<Origin> = self
            .running
            .iter()
            .map(|(p, _)| p.from)
            .chain(self.queue.iter().map(|p| p.from))
            .collect();
        out.dedup();
        out
    }

    /// What the status line says while writes are pending: "保存中…：<the running
    /// command>", and how many wait after it.
    pub fn saving_text(&self) -> Option<String> {
        let (running, _) = self.running.as_ref()?;
        let mut text = format!("保存中…：{}", running.command.describe());
        if !self.queue.is_empty() {
            text.push_str(&format!("（另有 {} 项等待保存）", self.queue.len()));
        }
        Some(text)
    }
}

impl Drop for Writes {
    /// Nothing given to the store is dropped: the running write is waited for and the
    /// queued ones are applied here (their results only logged: the desk is gone).
    fn drop(&mut self) {
        if let Some((pending, mut job)) = self.running.take() {
            job.wait();
            log_result(&pending.command, job.poll());
        }
        while let Some(pending) = self.queue.pop_front() {
            let result = self.writer.apply(&pending.command);
            log_result(&pending.command, Some(Ok(result)));
        }
    }
}

fn log_result(
    command: &Command,
    answer: Option<Result<Result<Applied, StoreError>, crate::jobs::JobError>>,
) {
    match answer {
        Some(Ok(Ok(_))) => {}
        Some(Ok(Err(e))) => tracing::error!("not saved when closing: {}: {e}", command.tag()),
        Some(Err(e)) => tracing::error!("not saved when closing: {}: {e}", command.tag()),
        None => tracing::error!("no answer when closing: {}", command.tag()),
    }
}
