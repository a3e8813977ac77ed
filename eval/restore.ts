/**
 * Accent restoration on its own: every question of a QA set is stripped of its diacritics and
 * restored from a built index's vocabulary, then compared with the question as written.
 *   npx tsx eval/restore.ts --index DIR --qa FILE [--errors 20]
 * Prints the share of syllables restored exactly (those whose folded form the corpus knows; others
 * cannot be restored), the same for topical syllables (question words left out), the share of
 * questions restored whole, and the commonest confusions.
 */
import { parseArgs } from "node:util";
import { readQaFile, stripDiacritics } from "../src/eval/run";
import { restoreAccents } from "../src/retrieve";
import { loadIndex } from "../src/store";
import { isStopword } from "../src/text/stopwords";
import { fold, tokenize } from "../src/text/vietnamese";

const { values } = parseArgs({
  options: { index: { type: "string" }, qa: { type: "string" }, errors: { type: "string", default: "20" } },
});
if (!values.index || !values.qa) throw new Error("usage: npx tsx eval/restore.ts --index DIR --qa FILE [--errors N]");

const { vocabulary } = await loadIndex(values.index, { model: null });
const items = await readQaFile(values.qa);
const tally = { syllables: 0, right: 0, topical: 0, topicalRight: 0, wholeQuestions: 0 };
const confusions = new Map<string, number>();
for (const item of items) {
  const written = tokenize(item.question).map((t) => t.term);
  const restored = restoreAccents(stripDiacritics(item.question), vocabulary);
  let whole = true;
  written.forEach((syllable, i) => {
    if (!vocabulary.knowsFolded(fold(syllable))) return;
    const right = restored[i] === syllable;
    tally.syllables++;
    if (right) tally.right++;
    if (!isStopword(syllable)) {
      tally.topical++;
      if (right) tally.topicalRight++;
    }
    if (!right) {
      whole = false;
      const key = `${syllable} → ${restored[i]}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
  });
  if (whole) tally.wholeQuestions++;
}

const share = (n: number, of: number) => (of === 0 ? "-" : (n / of).toFixed(4));
console.log(
  `syllables ${share(tally.right, tally.syllables)} (${tally.syllables}), topical ${share(tally.topicalRight, tally.topical)}, ` +
    `whole questions ${share(tally.wholeQuestions, items.length)} (${items.length})`,
);
const top = [...confusions].sort((a, b) => b[1] - a[1]).slice(0, Number(values.errors));
if (top.length > 0) console.log(`commonest confusions: ${top.map(([k, n]) => `${k} ×${n}`).join(", ")}`);
