//! How long a failed job waits before its next attempt.

use std::time::Duration;

/// Exponential back-off with a ceiling: the first retry after `base`,
/// each next one twice as late, never later than `max`. Jitter (up to a
/// quarter) keeps many jobs that failed together — an exchange's API was
/// down — from all coming back in the same second.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// The wait after the first failure.
    pub base: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(10),
            max: Duration::from_secs(30 * 60),
        }
    }
}

impl Backoff {
    /// The wait after failed attempt number `attempt` (1 for the first),
    /// with `jitter` in [0, 1) choosing where in the last quarter it falls.
    pub fn wait(&self, attempt: i64, jitter: f64) -> Duration {
        let doublings = u32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let plain = self
            .base
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.max);
        let jitter = jitter.clamp(0.0, 0.999);
        plain.mul_f64(1.0 - 0.25 * jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_ceiling_and_jitter_only_shortens() {
        let b = Backoff {
            base: Duration::from_secs(10),
            max: Duration::from_secs(60),
        };
        assert_eq!(b.wait(1, 0.0), Duration::from_secs(10));
        assert_eq!(b.wait(2, 0.0), Duration::from_secs(20));
        assert_eq!(b.wait(3, 0.0), Duration::from_secs(40));
        assert_eq!(b.wait(4, 0.0), Duration::from_secs(60));
        assert_eq!(b.wait(1_000, 0.0), Duration::from_secs(60));
        assert_eq!(b.wait(0, 0.0), Duration::from_secs(10));
        let j = b.wait(2, 0.99);
        assert!(j < Duration::from_secs(20) && j >= Duration::from_secs(15));
    }
}
