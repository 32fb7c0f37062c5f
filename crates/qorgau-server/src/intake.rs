//! Group commit for signal intake.
//!
//! On SQLite every transaction ends in a sync and only one writer runs at a
//! time, so reports arriving together on several connections mostly wait:
//! for the lock (in the busy handler's sleeps) and for each other's syncs.
//! Here one task owns intake writes: it takes whatever reports are queued
//! (up to [`BATCH`]), stores them in one transaction with one sync, and only
//! then answers each — so an accepted report is a stored report, as before,
//! and a burst costs one sync per batch instead of one per report
//! (bench/response.sh measures it). Related signals and cases are looked up
//! by each request afterwards, outside the writer.

use std::sync::OnceLock;

use qorgau_store::{Report, Store, StoreError, Taken};
use tokio::sync::{mpsc, oneshot};

/// Most reports in one transaction: large enough to absorb a burst, small
/// enough that the first report of a batch does not wait long.
pub const BATCH: usize = 256;

struct Job {
    report: Report,
    reply: oneshot::Sender<Result<Taken, StoreError>>,
}

/// The queue in front of the intake writer, started on first use (inside
/// the server's runtime).
#[derive(Default)]
pub struct IntakeQueue {
    sender: OnceLock<mpsc::Sender<Job>>,
}

impl IntakeQueue {
    /// Stores one report through the writer and waits until it is committed.
    pub async fn take(&self, store: &Store, report: Report) -> Result<Taken, StoreError> {
        let sender = self.sender.get_or_init(|| {
            let (tx, rx) = mpsc::channel(BATCH * 8);
            tokio::spawn(writer(store.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        if sender.send(Job { report, reply }).await.is_err() {
            return Err(StoreError::Conflict("the intake writer has stopped".into()));
        }
        answer
            .await
            .unwrap_or_else(|_| Err(StoreError::Conflict("the intake writer has stopped".into())))
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let reports: Vec<Report> = jobs.iter().map(|j| j.report.clone()).collect();
        match store.take_signals(&reports).await {
            Ok(taken) => {
                for (job, t) in jobs.into_iter().zip(taken) {
                    let _ = job.reply.send(Ok(t));
                }
            }
            // Nothing of the batch is stored: take them one by one, so a
            // report that fails fails alone.
            Err(_) if jobs.len() > 1 => {
                for job in jobs {
                    let r = store.take_signals(std::slice::from_ref(&job.report)).await;
                    let r = r.and_then(|v| {
                        v.into_iter()
                            .next()
                            .ok_or_else(|| StoreError::Conflict("a report was not stored".into()))
                    });
                    let _ = job.reply.send(r);
                }
            }
            Err(e) => {
                if let Some(job) = jobs.pop() {
                    let _ = job.reply.send(Err(e));
                }
            }
        }
    }
}
