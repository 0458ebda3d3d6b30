/**
 * The nonces of this replica's recent deliveries, so that a captured delivery replayed within the
 * timestamp window is refused. A delivery outside the window is refused for its timestamp, so a
 * nonce is kept only until its delivery's timestamp leaves the window: memory is bounded by the
 * delivery rate times the window.
 *
 * Per replica, in memory: a replay sent to another replica passes here, and is harmless there,
 * because the remediation keeps the eventIDs it has seen and acts once per event (src/workflows/
 * definitions.ts, moovChangedSignal), and a triage start joins the running one (USE_EXISTING).
 *
 * A nonce is reserved while its delivery is handled (a concurrent copy is refused), spent when
 * the delivery was acknowledged, and released when it was not (Moov's retry must not be refused).
 */
export class NonceCache {
  readonly #entries = new Map<string, { expiresAt: number; spent: boolean }>();
  #nextPruneAt = 0;

  constructor(
    private readonly now: () => number = Date.now,
    /** How often expired entries are swept out, at most. */
    private readonly pruneEveryMs = 1_000,
  ) {}

  /** false: the nonce is held by a delivery being handled, or was spent, within its window. */
  reserve(key: string, expiresAt: number): boolean {
    const now = this.now();
    this.#prune(now);
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > now) return false;
    this.#entries.set(key, { expiresAt, spent: false });
    return true;
  }

  /** The delivery was acknowledged: its nonce stays refused until it expires. */
  spend(key: string): void {
    const entry = this.#entries.get(key);
    if (entry) entry.spent = true;
  }

  /** The delivery was not acknowledged: the nonce may come again (Moov retries). */
  release(key: string): void {
    if (this.#entries.get(key)?.spent === false) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #prune(now: number): void {
    if (now < this.#nextPruneAt) return;
    this.#nextPruneAt = now + this.pruneEveryMs;
    // An expired nonce can only come with its expired timestamp, which is refused before the nonce is looked at.
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
