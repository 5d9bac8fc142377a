// Failed password attempts, per user and per client address (E10): after too many failures in a window, further
// attempts are refused before any password is hashed, until the window ends. In memory, bounded, per process.

const WINDOW_MS = 60_000;
const MAX_PER_USER = 5;
const MAX_PER_ADDRESS = 50;
const MAX_ENTRIES = 10_000;

class Counter {
  constructor(limit) {
    this.limit = limit;
    this.entries = new Map(); // key -> { count, until }
  }

  /** Seconds to wait before the next attempt for `key`, or 0. */
  wait(key, now) {
    const e = this.entries.get(key);
    if (e === undefined || e.until <= now) return 0;
    return e.count >= this.limit ? Math.ceil((e.until - now) / 1000) : 0;
  }

  add(key, now) {
    let e = this.entries.get(key);
    if (e === undefined || e.until <= now) {
      if (this.entries.size >= MAX_ENTRIES) this.evict(now);
      e = { count: 0, until: now + WINDOW_MS };
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    e.count++;
  }

  evict(now) {
    for (const [key, e] of this.entries) if (e.until <= now) this.entries.delete(key);
    // Still full: drop the oldest windows (Map order is insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < MAX_ENTRIES) break;
      this.entries.delete(key);
    }
  }
}

export function createAttemptLimiter({ now = Date.now } = {}) {
  const users = new Counter(MAX_PER_USER);
  const addresses = new Counter(MAX_PER_ADDRESS);
  return {
    /** Seconds to wait, or 0 when an attempt may proceed. */
    blocked(username, address) {
      const t = now();
      return Math.max(users.wait(username, t), addresses.wait(address, t));
    },
    failed(username, address) {
      const t = now();
      users.add(username, t);
      addresses.add(address, t);
    },
    succeeded(username) {
      users.entries.delete(username);
    },
  };
}
