/**
 * Failed-login limiting: after `maxFailures` failures for one username (from anywhere) or
 * one client within the window, further attempts are refused until the window passes.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Seconds until another attempt is allowed, or 0. */
  retryAfter(username: string, client: string): number {
    let wait = 0;
    for (const key of [`u:${username}`, `c:${client}`]) {
      const times = this.recent(key);
      if (times.length >= this.maxFailures)
        wait = Math.max(wait, Math.ceil(((times[0] ?? 0) + this.windowMs - this.now()) / 1000));
    }
    return wait;
  }

  recordFailure(username: string, client: string): void {
    for (const key of [`u:${username}`, `c:${client}`])
      this.failures.set(key, [...this.recent(key), this.now()]);
  }

  recordSuccess(username: string): void {
    this.failures.delete(`u:${username}`);
  }
}
