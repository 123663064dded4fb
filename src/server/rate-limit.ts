/**
 * Failed-authentication limiting: after `max` failures for one key (a client address, or one presented
 * credential) within `windowMs`, further FAILURES for that key are answered 429 (with Retry-After)
 * instead of 401 until the window ends — a token cannot be guessed anyway (256-bit secrets), but a flood
 * of bad tokens should not cost the server or fill its log. A valid credential is never refused: the
 * limit is consulted only once a credential has been found wrong, so 25 `<img src=/login?token=x>` on a
 * web page, or a neighbour on the same NAT address, cannot lock out the gate or the officer. The table
 * is bounded: the oldest keys are forgotten first.
 */
export interface FailureLimiterOptions {
  max?: number;
  windowMs?: number;
  /** Most addresses remembered. */
  capacity?: number;
  now?: () => number;
}

export class FailureLimiter {
  private readonly max: number;
  private readonly windowMs: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly seen = new Map<string, { start: number; failures: number }>();

  constructor(options: FailureLimiterOptions = {}) {
    this.max = options.max ?? 20;
    this.windowMs = options.windowMs ?? 60_000;
    this.capacity = options.capacity ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the address may try again, or 0 when it may try now. */
  blockedFor(address: string): number {
    const s = this.seen.get(address);
    if (!s) return 0;
    const left = s.start + this.windowMs - this.now();
    if (left <= 0) {
      this.seen.delete(address);
      return 0;
    }
    return s.failures >= this.max ? Math.ceil(left / 1000) : 0;
  }

  fail(address: string): void {
    const now = this.now();
    let s = this.seen.get(address);
    if (!s || s.start + this.windowMs <= now) {
      this.seen.delete(address);
      if (this.seen.size >= this.capacity) this.seen.delete(this.seen.keys().next().value!);
      s = { start: now, failures: 0 };
      this.seen.set(address, s);
    }
    s.failures++;
  }
}
