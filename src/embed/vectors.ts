/** Cosine similarity of two vectors of one model (the vectors of some models are not normalised); 0 for a zero vector. */
export function cosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`vectors of ${x.length} and ${y.length} dimensions`);
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i]! * y[i]!;
    nx += x[i]! * x[i]!;
    ny += y[i]! * y[i]!;
  }
  return nx && ny ? dot / Math.sqrt(nx * ny) : 0;
}
