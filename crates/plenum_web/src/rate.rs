//! Rate limits: a fixed window per key (an address, a login name, an account), in memory.
//! One instance runs on one machine, so memory is the right place; a restart forgets.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::Config;
use crate::error::WebError;

#[derive(Debug)]
pub struct Limiter {
    allowed: u32,
    window: Duration,
    seen: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    pub fn new(allowed: u32, window: Duration) -> Limiter {
        Limiter { allowed, window, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts one attempt for `key`; refuses when the window's allowance is used up.
    pub fn hit(&self, key: &str) -> Result<(), WebError> {
        let now = Instant::now();
        let mut seen = self.seen.lock().map_err(|_| WebError::internal("rate limiter lock"))?;
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = seen.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        if entry.1 > self.allowed { Err(WebError::too_many()) } else { Ok(()) }
    }
}

/// The application's limiters.
#[derive(Debug)]
pub struct Limits {
    pub login_by_login: Limiter,
    pub login_by_ip: Limiter,
    pub signup_by_ip: Limiter,
    pub votes_by_account: Limiter,
}

impl Limits {
    pub fn new(config: &Config) -> Limits {
        Limits {
            login_by_login: Limiter::new(config.login_attempts_per_login, config.login_window),
            login_by_ip: Limiter::new(config.login_attempts_per_ip, config.login_window),
            signup_by_ip: Limiter::new(config.signups_per_ip, config.signup_window),
            votes_by_account: Limiter::new(config.votes_per_account_per_minute, Duration::from_secs(60)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_per_key() {
        let limiter = Limiter::new(2, Duration::from_secs(60));
        assert!(limiter.hit("a").is_ok());
        assert!(limiter.hit("a").is_ok());
        assert!(limiter.hit("a").is_err());
        assert!(limiter.hit("b").is_ok());
    }
}
