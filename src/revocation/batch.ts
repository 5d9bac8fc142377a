import { isJotError } from '../errors.js';

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items added while a flush is pending or running are written together by the next
 * `flush` call (one transaction, one fsync, one pipeline), at most `maxBatch` at a time. Each
 * `add()` resolves when the flush that carried its item succeeded, and rejects if it failed.
 *
 * One bad item never fails the others: when a batch of several fails with an error that `isolate` says is about
 * its content (not an outage), each item is flushed again alone, so every valid item is written (and published)
 * and only the bad one rejects. Stores check every entry before it is added, so this is the second line.
 */
export class GroupCommit<T> {
  #pending: Pending<T>[] = [];
  #running: Promise<void> | undefined;
  readonly #flush: (items: readonly T[]) => Promise<void> | void;
  readonly #maxBatch: number;
  readonly #isolate: (e: unknown) => boolean;

  constructor(
    flush: (items: readonly T[]) => Promise<void> | void,
    maxBatch: number,
    isolate: (e: unknown) => boolean = (e) => isJotError(e, 'ERR_INVALID_OPTION'),
  ) {
    this.#flush = flush;
    this.#maxBatch = maxBatch;
    this.#isolate = isolate;
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

  /** Flushes each item of a refused batch on its own. */
  async #alone(batch: readonly Pending<T>[]): Promise<void> {
    for (const p of batch) {
      try {
        await this.#flush([p.item]);
        p.resolve();
      } catch (e) {
        p.reject(e);
      }
    }
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
          if (batch.length > 1 && this.#isolate(e)) await this.#alone(batch);
          else for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
