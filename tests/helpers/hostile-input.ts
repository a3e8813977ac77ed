/** Inputs from issue 12's attacks, shared by the tests and `bench/hostile.bench.ts`. */

/** An HTML page nested `depth` <div>s deep (2,500: 187 s in Readability before the depth limit). */
export function deepPage(depth: number): string {
  return `<html><head><title>Sâu</title></head><body>${"<div>".repeat(depth)}<p>Một câu văn.</p>${"</div>".repeat(depth)}</body></html>`;
}

/**
 * A page within the nesting limit that Readability still needs long for: `chains` chains of 120
 * nested <div>s (200 chains, 0.6 MB: 17 s in process). Only a time budget stops it.
 */
export function slowPage(chains: number): string {
  const chain = `${"<div>".repeat(120)}<p>Một câu văn trong trang, đủ dài để được chấm điểm.</p>${"</div>".repeat(120)}`;
  return `<html><head><title>Chậm</title></head><body>${chain.repeat(chains)}</body></html>`;
}
