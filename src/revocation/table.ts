/** A subject's cut-off and how long it is kept. */
export interface Cutoff {
  cutoff: number;
  expiresAt: number;
}

/**
 * The in-memory state shared by `memoryStore` and the Redis store's local cache: `Map`s, so a
 * `jti` such as `__proto__` is an ordinary key. Writes only ever raise an expiry or a cut-off.
 */
export class RevocationTable {
  readonly jtis = new Map<string, number>();
  readonly subjects = new Map<string, Cutoff>();
  /** Revoked signing keys: `kid` to expiry. */
  readonly kids = new Map<string, number>();

  get size(): number {
    return this.jtis.size + this.subjects.size + this.kids.size;
  }

  addKid(kid: string, expiresAt: number): void {
    const current = this.kids.get(kid);
    if (current === undefined || current < expiresAt) this.kids.set(kid, expiresAt);
  }

  hasKid(kid: string, now: number): boolean {
    const expiresAt = this.kids.get(kid);
    if (expiresAt === undefined) return false;
    if (expiresAt >= now) return true;
    this.kids.delete(kid);
    return false;
  }

  /** Would storing this key add an entry (rather than update one)? */
  isNew(kind: 'jti' | 'sub', key: string): boolean {
    return kind === 'jti' ? !this.jtis.has(key) : !this.subjects.has(key);
  }

  addJti(jti: string, expiresAt: number): void {
    const current = this.jtis.get(jti);
    if (current === undefined || current < expiresAt) this.jtis.set(jti, expiresAt);
  }

  hasJti(jti: string, now: number): boolean {
    const expiresAt = this.jtis.get(jti);
    if (expiresAt === undefined) return false;
    if (expiresAt >= now) return true;
    this.jtis.delete(jti);
    return false;
  }

  /** {@link hasJti} reading the clock only when an entry exists (an absent `jti` is absent at any time). */
  hasJtiAt(jti: string, clock: () => number): boolean {
    const expiresAt = this.jtis.get(jti);
    if (expiresAt === undefined) return false;
    if (expiresAt >= clock()) return true;
    this.jtis.delete(jti);
    return false;
  }

  setSubject(sub: string, cutoff: number, expiresAt: number): Cutoff {
    const current = this.subjects.get(sub);
    const next =
      current === undefined
        ? { cutoff, expiresAt }
        : { cutoff: Math.max(current.cutoff, cutoff), expiresAt: Math.max(current.expiresAt, expiresAt) };
    this.subjects.set(sub, next);
    return next;
  }

  getSubject(sub: string, now: number): number | undefined {
    const entry = this.subjects.get(sub);
    if (entry === undefined) return undefined;
    if (entry.expiresAt >= now) return entry.cutoff;
    this.subjects.delete(sub);
    return undefined;
  }

  /** {@link getSubject} reading the clock only when an entry exists. */
  getSubjectAt(sub: string, clock: () => number): number | undefined {
    const entry = this.subjects.get(sub);
    if (entry === undefined) return undefined;
    if (entry.expiresAt >= clock()) return entry.cutoff;
    this.subjects.delete(sub);
    return undefined;
  }

  /** Drops entries that expired before `now`. */
  purge(now: number): void {
    for (const [jti, expiresAt] of this.jtis) if (expiresAt < now) this.jtis.delete(jti);
    for (const [sub, entry] of this.subjects) if (entry.expiresAt < now) this.subjects.delete(sub);
    for (const [kid, expiresAt] of this.kids) if (expiresAt < now) this.kids.delete(kid);
  }
}
