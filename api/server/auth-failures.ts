/**
 * Failed authentications counted per client address in fixed windows: once an address has failed
 * `max` times in a window, its further requests to authenticated routes answer 429 until the
 * window ends, whatever token they carry (so tokens cannot be guessed at full speed). Successful
 * requests are not counted here; their budget is the per-token rate limit.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until this address may try again, or 0 when it may try now. */
  blockedFor(address: string): number {
    const w = this.windows.get(address);
    if (!w) return 0;
    const left = w.start + this.windowMs - this.now();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return w.failures >= this.max ? left : 0;
  }

  fail(address: string): void {
    const t = this.now();
    let w = this.windows.get(address);
    if (!w || t - w.start >= this.windowMs) {
      // many addresses: drop the expired windows first, so the map stays bounded by live ones
      if (this.windows.size >= 10_000)
        for (const [a, x] of this.windows) if (t - x.start >= this.windowMs) this.windows.delete(a);
      w = { start: t, failures: 0 };
      this.windows.set(address, w);
    }
    w.failures++;
  }
}
