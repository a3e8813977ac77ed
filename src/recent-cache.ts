/**
 * A map that keeps only its most recently used entries, up to `capacity` in total weight (by
 * default each entry weighs 1: a count): the least recently used are dropped when a new one would
 * pass the bound. A `Map` keeps insertion order, so moving an entry to the end on use makes the
 * first one the least recent.
 */
export class RecentCache<K, V> {
  private readonly entries = new Map<K, V>();
  private total = 0;

  constructor(
    readonly capacity: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** The value, marked as recently used; undefined when unknown or dropped. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /**
   * Keeps the value as the most recent, dropping the least recent beyond the capacity. A value
   * heavier than the whole capacity is not kept: it would push out everything else.
   */
  set(key: K, value: V): void {
    const weight = this.weigh(value);
    this.delete(key);
    if (weight > this.capacity) return;
    this.entries.set(key, value);
    this.total += weight;
    for (const [oldest, old] of this.entries) {
      if (this.total <= this.capacity) break;
      this.entries.delete(oldest);
      this.total -= this.weigh(old);
    }
  }

  /** The value kept for `key`, or `make()`'s, kept from now on. */
  remember(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) this.set(key, (value = make()));
    return value;
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Entries kept. */
  get size(): number {
    return this.entries.size;
  }

  /** Their total weight. */
  get weight(): number {
    return this.total;
  }

  private delete(key: K): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.total -= this.weigh(old);
  }
}
