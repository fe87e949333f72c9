// One byte budget shared by every request a receiver is reading or decoding, so memory is bounded
// for the receiver as a whole and not only per request: a request takes a lease, grows it as its
// body arrives (and again for the inflated size of a gzipped body), and gives it back once answered.
// A lease that cannot grow means the receiver is busy: the caller answers 503 with Retry-After.

export class InFlightBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Bytes currently held by leases. */
  get inFlight(): number {
    return this.used;
  }

  /** Bytes a lease could still grow by. */
  get available(): number {
    return Math.max(0, this.limit - this.used);
  }

  lease(): BudgetLease {
    return new BudgetLease(this, (delta) => this.adjust(delta));
  }

  private adjust(delta: number): boolean {
    if (delta > 0 && this.used + delta > this.limit) return false;
    this.used += delta;
    return true;
  }
}

export class BudgetLease {
  private heldBytes = 0;
  private released = false;

  constructor(
    readonly budget: InFlightBudget,
    private readonly adjust: (delta: number) => boolean,
  ) {}

  get held(): number {
    return this.heldBytes;
  }

  /** Holds `bytes` in total (more or fewer than now); false, holding what it held, when the budget
   *  has no room for the growth. */
  resize(bytes: number): boolean {
    if (this.released) return false;
    if (!this.adjust(bytes - this.heldBytes)) return false;
    this.heldBytes = bytes;
    return true;
  }

  /** Grows to at least `bytes`; never shrinks. */
  ensure(bytes: number): boolean {
    return bytes <= this.heldBytes || this.resize(bytes);
  }

  /** Gives everything back; later calls do nothing. */
  release(): void {
    if (this.released) return;
    this.adjust(-this.heldBytes);
    this.heldBytes = 0;
    this.released = true;
  }
}
