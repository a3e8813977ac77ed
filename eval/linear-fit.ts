/**
 * Small linear models for the probes of `eval/` (is there signal left in these features?): fitted by
 * Adam on standardised features with a little L2, returned over the raw features.
 */

/** One choice among candidates: a row of features each, and which of them are right. */
export interface Choice {
  rows: number[][];
  gold: boolean[];
}

/**
 * Softmax over each choice's candidates, the right ones together against the rest (−log of their
 * summed probability). Choices without a right candidate, or with one candidate, teach nothing and
 * are left out. Returns one weight per feature (a constant cannot change an order: none is fitted).
 */
export function fitSoftmax(choices: Choice[], steps = 400): number[] {
  const usable = choices.filter((c) => c.gold.some(Boolean) && c.rows.length > 1);
  const { scaled, unscale } = standardise(usable.flatMap((c) => c.rows));
  let k = 0;
  const scaledChoices = usable.map((c) => ({ gold: c.gold, rows: c.rows.map(() => scaled[k++]!) }));
  const w = adam(scaled[0]!.length, steps, (w, grad) => {
    for (const c of scaledChoices) {
      const scores = c.rows.map((r) => dot(w, r));
      const max = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - max));
      const sum = exp.reduce((a, b) => a + b, 0);
      const goldSum = exp.reduce((a, e, i) => a + (c.gold[i] ? e : 0), 0);
      // d/dz of −log(Σ gold p) = p − [gold] · p / Σ gold p.
      c.rows.forEach((r, i) => {
        const g = (exp[i]! / sum - (c.gold[i] ? exp[i]! / goldSum : 0)) / scaledChoices.length;
        for (let j = 0; j < r.length; j++) grad[j]! += g * r[j]!;
      });
    }
  });
  return unscale(w).weights;
}

/** A logistic model: P(label 1 | row), the two labels weighted equally whatever their counts. */
export interface Logistic {
  weights: number[];
  bias: number;
}

export function fitLogistic(cases: Array<{ row: number[]; label: number }>, steps = 600): Logistic {
  const { scaled, unscale } = standardise(cases.map((c) => c.row));
  const positives = cases.filter((c) => c.label === 1).length;
  const weightOf = (label: number) => (label === 1 ? 0.5 / positives : 0.5 / (cases.length - positives));
  const d = scaled[0]!.length;
  // The bias is the last weight (its feature is a constant 1).
  const w = adam(d + 1, steps, (w, grad) => {
    cases.forEach((c, k) => {
      const x = scaled[k]!;
      const g = (1 / (1 + Math.exp(-(dot(x, w) + w[d]!))) - c.label) * weightOf(c.label);
      for (let j = 0; j < d; j++) grad[j]! += g * x[j]!;
      grad[d]! += g;
    });
  }, d);
  return unscale(w.slice(0, d), w[d]!);
}

export function probability(model: Logistic, row: number[]): number {
  return 1 / (1 + Math.exp(-(dot(model.weights, row) + model.bias)));
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Rows scaled to mean 0 and deviation 1 per feature, and how to carry weights fitted on them back to raw rows. */
function standardise(rows: number[][]): { scaled: number[][]; unscale: (w: number[], bias?: number) => Logistic } {
  const d = rows[0]!.length;
  const mean = Array.from({ length: d }, (_, i) => rows.reduce((s, r) => s + r[i]!, 0) / rows.length);
  const sd = Array.from({ length: d }, (_, i) => Math.sqrt(rows.reduce((s, r) => s + (r[i]! - mean[i]!) ** 2, 0) / rows.length) || 1);
  return {
    scaled: rows.map((r) => r.map((x, i) => (x - mean[i]!) / sd[i]!)),
    unscale: (w, bias = 0) => ({ weights: w.map((x, i) => x / sd[i]!), bias: bias - w.reduce((s, x, i) => s + (x * mean[i]!) / sd[i]!, 0) }),
  };
}

/**
 * Adam over `d` weights for `steps` full-batch steps; `accumulate` adds the loss's gradient at `w`
 * to `grad`, which starts as the L2 term's (1e-3 × w, for the first `penalised` weights).
 */
function adam(d: number, steps: number, accumulate: (w: number[], grad: number[]) => void, penalised = d): number[] {
  const w = new Array<number>(d).fill(0);
  const m = new Array<number>(d).fill(0);
  const v = new Array<number>(d).fill(0);
  for (let step = 1; step <= steps; step++) {
    const grad = w.map((x, i) => (i < penalised ? 1e-3 * x : 0));
    accumulate(w, grad);
    for (let i = 0; i < d; i++) {
      m[i] = 0.9 * m[i]! + 0.1 * grad[i]!;
      v[i] = 0.999 * v[i]! + 0.001 * grad[i]! ** 2;
      w[i]! -= (0.05 * (m[i]! / (1 - 0.9 ** step))) / (Math.sqrt(v[i]! / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  return w;
}
