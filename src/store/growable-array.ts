type TypedArray = Int32Array | Uint32Array | Float32Array | Float64Array;
type TypedArrayKind<T extends TypedArray> = new (length: number) => T;

/** Elements per block: 64 Ki (256 KiB of 32-bit numbers). */
const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;

/**
 * A typed array that grows a block at a time: nothing is copied when it grows (a doubling array
 * holds its old and new storage at once, 3× its contents, at each growth), and at most one block
 * is unused. What the index builders append their postings to (millions of numbers: a JS array
 * of them costs 8-16 bytes each and an object header per list).
 *
 * @example
 *   const ids = new GrowableArray(Int32Array);
 *   ids.push(7);
 *   ids.at(0); // → 7
 */
export class GrowableArray<T extends TypedArray> {
  private readonly blocks: T[] = [];
  private last: T;
  /** Elements pushed. */
  length = 0;

  constructor(private readonly Kind: TypedArrayKind<T>) {
    this.last = new Kind(0);
  }

  push(value: number): void {
    const i = this.length & MASK;
    if (i === 0) this.blocks.push((this.last = new this.Kind(BLOCK)));
    this.last[i] = value;
    this.length++;
  }

  /** Element i (0 ≤ i < length). */
  at(i: number): number {
    return this.blocks[i >>> BLOCK_BITS]![i & MASK]!;
  }

  set(i: number, value: number): void {
    this.blocks[i >>> BLOCK_BITS]![i & MASK] = value;
  }

  /** The block holding element i (a view of all of it: only the elements below `length` are set). */
  blockAt(i: number): T {
    return this.blocks[i >>> BLOCK_BITS]!;
  }

  /** Empties the array, releasing its blocks. */
  clear(): void {
    this.blocks.length = 0;
    this.last = new this.Kind(0);
    this.length = 0;
  }

  /** Calls `each` with every block's filled part and the index of its first element, in order. */
  forEachBlock(each: (values: T, first: number) => void): void {
    this.blocks.forEach((block, b) => {
      const first = b << BLOCK_BITS;
      each(first + BLOCK <= this.length ? block : (block.subarray(0, this.length - first) as T), first);
    });
  }
}
