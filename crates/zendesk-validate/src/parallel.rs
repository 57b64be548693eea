//! Work spread over threads, answers kept in input order, memory bounded:
//! what lets JSON Lines and folders use every core while the report reads
//! as if one thread had written it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

static JOBS: AtomicUsize = AtomicUsize::new(0);

/// How many threads to use when not told: what [`set_default_jobs`] set,
/// else every core.
pub fn default_jobs() -> usize {
    match JOBS.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        jobs => jobs,
    }
}

/// Caps the threads of every parallel check in this process (a big
/// document's included); 0 is every core again.
pub fn set_default_jobs(jobs: usize) {
    JOBS.store(jobs, Ordering::Relaxed);
}

/// Runs `work` on every item of `inputs` on `jobs` threads and hands each
/// answer to `output` in the order of `inputs`. The caller's thread reads
/// `inputs`; at most `4 * jobs` items are between being read and being
/// handed out at any time, so memory stays flat whatever the input's size.
/// With one job, everything runs on the caller's thread.
pub fn ordered_map<I, O, W, F>(jobs: usize, inputs: impl Iterator<Item = I>, work: W, mut output: F)
where
    I: Send,
    O: Send,
    W: Fn(I) -> O + Sync,
    F: FnMut(O) + Send,
{
    if jobs <= 1 {
        for item in inputs {
            output(work(item));
        }
        return;
    }
    let window = 4 * jobs;
    std::thread::scope(|scope| {
        let (work_sender, work_receiver) = sync_channel::<(usize, I)>(window);
        let work_receiver = Arc::new(Mutex::new(work_receiver));
        let (done_sender, done_receiver) = sync_channel::<(usize, O)>(window);
        // A token per item in flight: the reader waits for one before it
        // reads on, the writer gives one back per item it hands out.
        let (token_sender, token_receiver) = sync_channel::<()>(window);
        for _ in 0..window {
            let _ = token_sender.send(());
        }
        for _ in 0..jobs {
            let work_receiver = Arc::clone(&work_receiver);
            let done_sender = done_sender.clone();
            let work = &work;
            scope.spawn(move || {
                while let Some((index, item)) = next_item(&work_receiver) {
                    if done_sender.send((index, work(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_sender);
        let output = &mut output;
        let writer = scope.spawn(move || {
            let mut waiting = BTreeMap::new();
            let mut next = 0;
            for (index, answer) in done_receiver {
                waiting.insert(index, answer);
                while let Some(answer) = waiting.remove(&next) {
                    output(answer);
                    next += 1;
                    let _ = token_sender.send(());
                }
            }
        });
        for (index, item) in inputs.enumerate() {
            if token_receiver.recv().is_err() || work_sender.send((index, item)).is_err() {
                break;
            }
        }
        drop(work_sender);
        // A panic in `output` surfaces here, on the caller's thread.
        if let Err(panic) = writer.join() {
            std::panic::resume_unwind(panic);
        }
    });
}

fn next_item<I>(receiver: &Mutex<Receiver<(usize, I)>>) -> Option<(usize, I)> {
    receiver
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .recv()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_come_in_input_order_whatever_order_the_work_ends_in() {
        for jobs in [1, 2, 3, 8] {
            let mut answers = Vec::new();
            ordered_map(
                jobs,
                0..500u64,
                |n| {
                    // Earlier items take longer, so they end out of order.
                    if n % 7 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    n * 2
                },
                |answer| answers.push(answer),
            );
            assert_eq!(
                answers,
                (0..500).map(|n| n * 2).collect::<Vec<_>>(),
                "{jobs} jobs"
            );
        }
    }

    #[test]
    fn no_more_than_the_window_is_in_flight() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let read = AtomicUsize::new(0);
        let written = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let inputs = (0..2000).inspect(|_| {
            let in_flight =
                read.fetch_add(1, Ordering::SeqCst) + 1 - written.load(Ordering::SeqCst);
            most.fetch_max(in_flight, Ordering::SeqCst);
        });
        ordered_map(
            2,
            inputs,
            |n: i32| n,
            |_| {
                written.fetch_add(1, Ordering::SeqCst);
            },
        );
        assert_eq!(written.load(Ordering::SeqCst), 2000);
        assert!(
            most.load(Ordering::SeqCst) <= 8 + 1,
            "{}",
            most.load(Ordering::SeqCst)
        );
    }
}
