import { tokenize } from "./vietnamese";

/**
 * Words news spells several ways: a loanword in its own spelling or in Vietnamese syllables
 * ("vaccine", "vắc xin", "vắc-xin", "vắcxin"; "virus", "vi rút"). A reader types one, the article
 * writes another: the question's word stands for all of them, in retrieval (`variantTerms`) and
 * when the reader looks for the question's words in a sentence (`canonicalKeys`).
 *
 * Each group's first spelling is the one the others are read as.
 */
const GROUPS: string[][] = [
  ["vaccine", "vắc xin", "vắcxin", "vacxin", "vắc-xin"],
  ["virus", "vi rút", "virút", "vi-rút"],
  // Abbreviations news writes as often as the words ("HLV Park Hang-seo", "huấn luyện viên Park").
  ["hlv", "huấn luyện viên"],
  ["clb", "câu lạc bộ"],
  ["vđv", "vận động viên"],
  ["ubnd", "ủy ban nhân dân", "uỷ ban nhân dân"],
  ["hđnd", "hội đồng nhân dân"],
  ["thpt", "trung học phổ thông"],
  ["thcs", "trung học cơ sở"],
  ["csgt", "cảnh sát giao thông"],
  ["đh", "đại học"],
  ["tp", "thành phố"],
];

/** Each group's spellings as the tokenizer's syllables ("vắc-xin" → ["vắc", "xin"]). */
const VARIANTS: string[][][] = GROUPS.map((group) => dedupe(group.map((written) => tokenize(written).map((t) => t.term))));

function dedupe(spellings: string[][]): string[][] {
  const seen = new Set<string>();
  return spellings.filter((syllables) => !seen.has(syllables.join(" ")) && seen.add(syllables.join(" ")));
}

/** Where one of the spellings stands in a sequence of keys: [start, end) and its group's first spelling (keyed). */
export interface VariantOccurrence {
  start: number;
  end: number;
  canonical: string;
}

/**
 * The spellings of the groups found in `keys` (syllables already passed through `key`: the
 * question's or the article's, folded for a question typed without accents), in the order they
 * stand; where two spellings start alike, the group's earlier one.
 */
export function variantOccurrences(keys: readonly string[], key: (s: string) => string = (s) => s): VariantOccurrence[] {
  // The spellings passed through `key` once a call, not once a syllable: the reader runs this over
  // every body it reads, and most syllables start no spelling at all.
  const keyed = VARIANTS.map((group) => ({ canonical: key(group[0]!.join(" ")), spellings: group.map((syllables) => syllables.map(key)) }));
  const starts = new Set(keyed.flatMap((group) => group.spellings.map((syllables) => syllables[0]!)));
  const found: VariantOccurrence[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (!starts.has(keys[i]!)) continue;
    for (const { canonical, spellings } of keyed) {
      const spelling = spellings.find((syllables) => syllables.every((s, k) => keys[i + k] === s));
      if (!spelling) continue;
      found.push({ start: i, end: i + spelling.length, canonical });
      i += spelling.length - 1;
      break;
    }
  }
  return found;
}

/**
 * `keys` with every spelling of a group written as its first: "tiêm vắc xin" → "tiêm vaccine
 * vaccine" (each syllable of the spelling becomes the word, so positions stay those of the text).
 *
 * @example canonicalKeys(["tiêm", "vắc", "xin"]) // → ["tiêm", "vaccine", "vaccine"]
 */
export function canonicalKeys(keys: readonly string[], key: (s: string) => string = (s) => s): string[] {
  const occurrences = variantOccurrences(keys, key);
  if (occurrences.length === 0) return keys as string[];
  const out = [...keys];
  for (const { start, end, canonical } of occurrences) out.fill(canonical, start, end);
  return out;
}

/**
 * The other spellings of the groups a question's syllables write, as syllables and syllable pairs
 * (joined by `joiner`), for retrieval: "vaccine" also searches "vắc", "xin" and "vắc_xin".
 */
export function variantTerms(syllables: readonly string[], joiner: string): string[] {
  const terms = new Set<string>();
  for (const { start, end } of variantOccurrences(syllables)) {
    const written = syllables.slice(start, end).join(" ");
    const group = VARIANTS.find((g) => g.some((s) => s.join(" ") === written))!;
    for (const spelling of group) {
      if (spelling.join(" ") === written) continue;
      spelling.forEach((s, k) => {
        terms.add(s);
        if (k > 0) terms.add(`${spelling[k - 1]}${joiner}${s}`);
      });
    }
  }
  return [...terms];
}
