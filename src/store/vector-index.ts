import hnswlib from "hnswlib-node";

export interface HnswParams {
  m: number;
  efConstruction: number;
  efSearch: number;
}

export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 200, efSearch: 96 };

export interface VectorHit {
  /** The chunk position (HNSW label). */
  id: number;
  /** Cosine distance, lower is better: 1 − cosine similarity. */
  distance: number;
}

/**
 * An HNSW graph (cosine) over chunk vectors, labelled by chunk position.
 *
 * Two things hnswlib does not do for us: it forgets efSearch when an index is read back
 * (so every constructor path sets it), and it never grows by itself (so capacity doubles
 * when full instead of growing one element at a time).
 */
export class VectorIndex {
  private constructor(
    private readonly graph: hnswlib.HierarchicalNSW,
    readonly dimensions: number,
    readonly params: HnswParams,
  ) {
    graph.setEf(params.efSearch);
  }

  static create(dimensions: number, params: HnswParams, capacity = 1024): VectorIndex {
    const graph = new hnswlib.HierarchicalNSW("cosine", dimensions);
    graph.initIndex({ maxElements: Math.max(16, capacity), m: params.m, efConstruction: params.efConstruction, randomSeed: 42 });
    return new VectorIndex(graph, dimensions, params);
  }

  static async read(file: string, dimensions: number, params: HnswParams): Promise<VectorIndex> {
    const graph = new hnswlib.HierarchicalNSW("cosine", dimensions);
    await graph.readIndex(file);
    return new VectorIndex(graph, dimensions, params);
  }

  get size(): number {
    return this.graph.getCurrentCount();
  }

  get capacity(): number {
    return this.graph.getMaxElements();
  }

  add(id: number, vector: Float32Array): void {
    if (vector.length !== this.dimensions) {
      throw new RangeError(`vector for ${id} has ${vector.length} dimensions, the index has ${this.dimensions}`);
    }
    if (this.size >= this.capacity) this.graph.resizeIndex(this.capacity * 2);
    this.graph.addPoint(Array.from(vector), id);
  }

  /** Makes room for `n` points in all (geometric growth is the caller's: `nextCapacity`). */
  reserve(n: number): void {
    if (n > this.capacity) this.graph.resizeIndex(n);
  }

  /**
   * Marks a point deleted (a tombstoned passage): it stays in the graph as a waypoint but is never
   * returned again. The graph is rebuilt without it at the next merge.
   */
  remove(id: number): void {
    this.graph.markDelete(id);
  }

  /** The `k` nearest chunks, nearest first; `filter` restricts the labels considered. */
  search(query: Float32Array, k: number, filter?: (id: number) => boolean): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n === 0) return [];
    const { neighbors, distances } = this.graph.searchKnn(Array.from(query), n, filter);
    return neighbors.map((id, i) => ({ id, distance: distances[i]! }));
  }

  setEfSearch(ef: number): void {
    this.graph.setEf(ef);
  }

  async write(file: string): Promise<void> {
    await this.graph.writeIndex(file);
  }
}
