/** An entry, linked from the least recently used (`RecentCache.oldest`) to the most. */
interface Entry<K, V> {
  key: K;
  value: V;
  weight: number;
  newer: Entry<K, V> | null;
  older: Entry<K, V> | null;
}

/**
 * A map that keeps only its most recently used entries, up to `capacity` in total weight (by
 * default each entry weighs 1: a count): the least recently used are dropped when a new one would
 * pass the bound.
 *
 * The entries are a doubly linked list in order of use, found through a `Map`: a use moves one entry
 * to the end and a drop takes the first, each in constant time. (The first version moved an entry by
 * deleting and setting it again in the `Map` and dropped the first one its iteration gave: the
 * deleted slots a `Map` keeps until it rehashes made each drop skip thousands of them once the
 * postings cache held tens of thousands of small blocks, a fifth of an ask's time.)
 */
export class RecentCache<K, V> {
  private readonly entries = new Map<K, Entry<K, V>>();
  private oldest: Entry<K, V> | null = null;
  private newest: Entry<K, V> | null = null;
  private total = 0;

  constructor(
    readonly capacity: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** The value, marked as recently used; undefined when unknown or dropped. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry !== this.newest) {
      this.unlink(entry);
      this.append(entry);
    }
    return entry.value;
  }

  /**
   * Keeps the value as the most recent, dropping the least recent beyond the capacity. A value
   * heavier than the whole capacity is not kept: it would push out everything else.
   */
  set(key: K, value: V): void {
    const weight = this.weigh(value);
    this.delete(key);
    if (weight > this.capacity) return;
    const entry: Entry<K, V> = { key, value, weight, newer: null, older: null };
    this.entries.set(key, entry);
    this.append(entry);
    this.total += weight;
    while (this.total > this.capacity && this.oldest !== null) this.delete(this.oldest.key);
  }

  /** The value kept for `key`, or `make()`'s, kept from now on. */
  remember(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) this.set(key, (value = make()));
    return value;
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
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.unlink(entry);
    this.total -= entry.weight;
  }

  private append(entry: Entry<K, V>): void {
    entry.older = this.newest;
    entry.newer = null;
    if (this.newest) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
  }

  private unlink(entry: Entry<K, V>): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.newer = entry.older = null;
  }
}
