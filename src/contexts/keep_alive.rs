//! When a tab renews its session: plain arithmetic, tested on the host.

/// How long to wait before trying again after a renewal got no verdict.
pub const RETRY_AFTER_FAILURE_MS: f64 = 30_000.0;

/// When to renew an access token that expires at `expires_ms`, seen at `now_ms`: a
/// quarter of its remaining life before it expires, at least one second and at most a
/// minute before (a 15-minute token is renewed at 14 minutes, a 20-second one at 15).
pub fn refresh_due_at(expires_ms: f64, now_ms: f64) -> f64 {
    let margin = ((expires_ms - now_ms) / 4.0).clamp(1_000.0, 60_000.0);
    expires_ms - margin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_renewed_before_it_expires() {
        let now = 1_000_000.0;
        assert_eq!(refresh_due_at(now + 900_000.0, now), now + 840_000.0);
        assert_eq!(refresh_due_at(now + 20_000.0, now), now + 15_000.0);
        assert_eq!(refresh_due_at(now + 2_000.0, now), now + 1_000.0);
        // Already expired: due at once (or in the past).
        assert!(refresh_due_at(now - 5_000.0, now) <= now);
    }
}
