//! Where a build spends its time: with `MEKONG_TIMINGS=1` in the environment, each phase of a
//! build or rebuild prints its duration to stderr. For profiling; the output is not stable.

use std::time::Instant;

/// Marks the end of each phase of one build.
pub struct Timings {
    enabled: bool,
    last: Instant,
    phases: Vec<(&'static str, u128)>,
}

impl Timings {
    pub fn start() -> Timings {
        Timings {
            enabled: std::env::var_os("MEKONG_TIMINGS").is_some_and(|v| v != "0"),
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    /// The phase called `name` ends now.
    pub fn mark(&mut self, name: &'static str) {
        if self.enabled {
            let now = Instant::now();
            self.phases
                .push((name, now.duration_since(self.last).as_micros()));
            self.last = now;
        }
    }
}

impl Drop for Timings {
    // Asked for by the environment variable, for whoever profiles: not part of any report.
    #[allow(clippy::print_stderr)]
    fn drop(&mut self) {
        if self.enabled && !self.phases.is_empty() {
            let line: Vec<String> = self
                .phases
                .iter()
                .map(|(name, micros)| format!("{name} {:.1}", *micros as f64 / 1000.0))
                .collect();
            eprintln!("timings (ms): {}", line.join(", "));
        }
    }
}
