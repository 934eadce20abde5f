//! Progress of long work (a build, an upload): counters the workers bump from any thread, and a
//! line on the terminal redrawn at most ten times a second once the work has taken a while.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the line is redrawn.
const REDRAW: Duration = Duration::from_millis(100);
/// Width of the bar in characters.
const BAR_WIDTH: u64 = 24;

/// A handle on one piece of work: what it is called, how many items it has, how many are done.
/// Cheap to bump from rayon workers; shows nothing unless made with `Progress::on_terminal`.
pub struct Progress {
    counts: Arc<Counts>,
    drawer: Mutex<Option<Drawer>>,
}

#[derive(Default)]
struct Counts {
    /// "Building", "Uploading": what the line starts with.
    label: Mutex<String>,
    /// What `changed` counts, e.g. "written" or "uploaded".
    changed_word: Mutex<String>,
    total: AtomicU64,
    done: AtomicU64,
    changed: AtomicU64,
    /// Set when the line was drawn at least once, so `finish` knows to clear it.
    drawn: AtomicBool,
}

struct Drawer {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.done())
            .field("total", &self.counts.total.load(Ordering::Relaxed))
            .finish()
    }
}

impl Progress {
    /// Counts without showing anything (output is not a terminal, or `--quiet`).
    pub fn hidden() -> Progress {
        Progress {
            counts: Arc::new(Counts::default()),
            drawer: Mutex::new(None),
        }
    }

    /// Draws the progress line on `out` (the terminal's stderr), starting only once the work
    /// has taken `after`, so a quick build prints nothing but its summary.
    pub fn drawing_to(label: &str, after: Duration, out: Box<dyn Write + Send>) -> Progress {
        let progress = Progress::hidden();
        progress.set_label(label);
        let counts = progress.counts.clone();
        let (stop, stopped) = mpsc::channel::<()>();
        let started = Instant::now();
        let thread = std::thread::spawn(move || {
            let mut out = out;
            // Redraw at every tick until `finish` asks (or the handle is dropped).
            loop {
                let finished = !matches!(stopped.recv_timeout(REDRAW), Err(RecvTimeoutError::Timeout));
                // The last state is drawn too (then erased at once), so a log of the terminal
                // shows the work complete.
                if started.elapsed() >= after {
                    // A terminal that went away is no reason to stop the work.
                    let _ = write!(out, "\r{}\x1b[K", counts.line());
                    counts.drawn.store(true, Ordering::Relaxed);
                }
                if finished {
                    break;
                }
                let _ = out.flush();
            }
            if counts.drawn.load(Ordering::Relaxed) {
                let _ = write!(out, "\r\x1b[K");
            }
            let _ = out.flush();
        });
        *progress.drawer.lock().unwrap_or_else(|e| e.into_inner()) = Some(Drawer { stop, thread });
        progress
    }

    /// On stderr when it is a terminal, else hidden.
    pub fn on_terminal(label: &str, after: Duration) -> Progress {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            Progress::drawing_to(label, after, Box::new(std::io::stderr()))
        } else {
            Progress::hidden()
        }
    }

    pub fn set_label(&self, label: &str) {
        *self.counts.label.lock().unwrap_or_else(|e| e.into_inner()) = label.to_owned();
    }

    /// Names what `inc_changed` counts ("written", "uploaded"); unnamed, it is not shown.
    pub fn set_changed_word(&self, word: &str) {
        *self.counts.changed_word.lock().unwrap_or_else(|e| e.into_inner()) = word.to_owned();
    }

    /// The number of items of the work; the bar fills as `inc` reaches it.
    pub fn set_total(&self, total: u64) {
        self.counts.total.store(total, Ordering::Relaxed);
    }

    pub fn inc(&self, items: u64) {
        self.counts.done.fetch_add(items, Ordering::Relaxed);
    }

    /// Counts items that changed something (a file written, a file uploaded).
    pub fn inc_changed(&self, items: u64) {
        self.counts.changed.fetch_add(items, Ordering::Relaxed);
    }

    pub fn done(&self) -> u64 {
        self.counts.done.load(Ordering::Relaxed)
    }

    /// Stops drawing and clears the line, so what is printed next starts on a clean line.
    pub fn finish(&self) {
        let drawer = self.drawer.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(drawer) = drawer {
            let _ = drawer.stop.send(());
            let _ = drawer.thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Counts {
    /// `Building [██████████··············] 1234/3000 (812 written)`, or `Building…` while the
    /// number of items is not known yet.
    fn line(&self) -> String {
        let label = self.label.lock().map(|l| l.clone()).unwrap_or_default();
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return format!("{label}…");
        }
        let done = self.done.load(Ordering::Relaxed).min(total);
        let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(0);
        let bar: String = (0..BAR_WIDTH)
            .map(|i| if i < filled { '█' } else { '·' })
            .collect();
        let word = self.changed_word.lock().map(|w| w.clone()).unwrap_or_default();
        let mut line = format!("{label} [{bar}] {done}/{total}");
        if !word.is_empty() {
            line.push_str(&format!(" ({} {word})", self.changed.load(Ordering::Relaxed)));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer the test can read after the drawer thread wrote to it.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_line_shows_counts_and_a_bar_filled_in_proportion() {
        let counts = Counts::default();
        *counts.label.lock().unwrap() = "Building".to_owned();
        *counts.changed_word.lock().unwrap() = "written".to_owned();
        counts.total.store(200, Ordering::Relaxed);
        counts.done.store(50, Ordering::Relaxed);
        counts.changed.store(7, Ordering::Relaxed);
        assert_eq!(
            counts.line(),
            format!(
                "Building [{}{}] 50/200 (7 written)",
                "█".repeat(6),
                "·".repeat(18)
            )
        );
    }

    #[test]
    fn quick_work_draws_nothing_and_slow_work_is_drawn_then_cleared() {
        let quick = Shared::default();
        let progress = Progress::drawing_to("Building", Duration::from_secs(60), Box::new(quick.clone()));
        progress.set_total(10);
        progress.inc(10);
        std::thread::sleep(Duration::from_millis(250));
        progress.finish();
        assert!(quick.0.lock().unwrap().is_empty());

        let slow = Shared::default();
        let progress = Progress::drawing_to("Building", Duration::ZERO, Box::new(slow.clone()));
        progress.set_total(10);
        progress.inc(3);
        std::thread::sleep(Duration::from_millis(250));
        progress.finish();
        let text = String::from_utf8(slow.0.lock().unwrap().clone()).unwrap();
        assert!(text.contains("Building ["), "{text:?}");
        assert!(text.contains("] 3/10"), "{text:?}");
        assert!(text.ends_with("\r\x1b[K"), "the line is cleared: {text:?}");

        // Work that ends between two redraws still shows its last state before it is erased.
        let at_once = Shared::default();
        let progress = Progress::drawing_to("Uploading", Duration::ZERO, Box::new(at_once.clone()));
        progress.set_changed_word("uploaded");
        progress.set_total(5);
        progress.inc(5);
        progress.inc_changed(2);
        progress.finish();
        let text = String::from_utf8(at_once.0.lock().unwrap().clone()).unwrap();
        assert!(text.ends_with("] 5/5 (2 uploaded)\x1b[K\r\x1b[K"), "{text:?}");
    }
}
