interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items added while a flush is pending or running are written together by the next
 * `flush` call (one transaction, one fsync, one pipeline), at most `maxBatch` at a time. Each
 * `add()` resolves when the flush that carried its item succeeded, and rejects if it failed.
 */
export class GroupCommit<T> {
  #pending: Pending<T>[] = [];
  #running: Promise<void> | undefined;
  readonly #flush: (items: readonly T[]) => Promise<void> | void;
  readonly #maxBatch: number;

  constructor(flush: (items: readonly T[]) => Promise<void> | void, maxBatch: number) {
    this.#flush = flush;
    this.#maxBatch = maxBatch;
  }

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#running ??= new Promise<void>((done) => setImmediate(done)).then(() => this.#drain());
    });
  }

  /** Resolves once everything added so far has been flushed (or failed). */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        let batch = this.#pending;
        if (batch.length > this.#maxBatch) {
          batch = this.#pending.slice(0, this.#maxBatch);
          this.#pending = this.#pending.slice(this.#maxBatch);
        } else {
          this.#pending = [];
        }
        try {
          await this.#flush(batch.map((p) => p.item));
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
