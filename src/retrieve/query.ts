import type { Language } from "../domain/types";
import type { TermQuery, Vocabulary } from "../store";
import { variantTerms } from "../text/spelling-variants";
import { isStopword } from "../text/stopwords";
import { couldBeSyllable, fold, hasDiacritics, nfc, PAIR_JOINER, spaced, syllablePairs, tokenize } from "../text/vietnamese";

/** A question, analysed once for every retrieval and highlighting step that follows. */
export interface AnalysedQuery {
  text: string;
  language: Language;
  /** Typed without any diacritic: accents were restored from the index's vocabulary. */
  unaccented: boolean;
  /**
   * Some spellings are guesses: the question was typed wholly or partly without accents and they
   * were restored. "Not found" and quoting then compare syllables accent-insensitively.
   */
  restored: boolean;
  /** Syllables to match exactly (restored where the question was typed without accents). */
  syllables: string[];
  /** The question's syllables in the order written (spelled as `syllables`, repeats kept). */
  sequence: string[];
  pairs: string[];
  /** BM25 term groups for the lexical index. */
  termQueries: TermQuery[];
}

/**
 * Weight of the accent-folded twin of each term. For an accented question it is a fallback; for an
 * unaccented one it outweighs the restored spellings, which are a guess (measured with
 * eval/tune.ts --unaccented: 0.5 → 4 took vinewsqa-dev recall@1 from 0.674 to 0.691; with today's
 * bigram restoration, 1 / 2 / 4 → 0.759 / 0.759 / 0.762).
 */
const FOLDED_BOOST_ACCENTED = 0.25;
const FOLDED_BOOST_UNACCENTED = 4;
/**
 * A question with diacritics is taken as partly typed without them when at least this many of its
 * syllables look unaccented (`Vocabulary.looksUnaccented`). One is not enough: "u nang", "bệnh da"
 * are written so. Measured on vinewsqa-dev with every other word stripped of its diacritics
 * (eval/tune.ts --mixed): recall@1 0.694 and "not found" 0.90 without this, 0.751 and 0.021 with
 * it, 0.767 and 0.022 with the folded twins weighed as for an unaccented question; as written,
 * 0.778 → 0.777. With 1 instead of 2, 1.4 % of the syllables that accented dev questions write
 * without diacritics were respelled, against 0.4 %.
 */
const MIN_SLIPS = 2;
/**
 * Extra weight of a name or acronym in the question: it is what tells one article from the others
 * ("Thi đã làm gì?" is about a person, not an exam). Measured with eval/tune.ts, recall@1
 * vinewsqa-dev / xquad-vi: 0 → 0.760 / 0.934, 1 → 0.763 / 0.937, 2 → 0.764 / 0.938, 4 → 0.764 / 0.936.
 */
const NAME_BOOST = 2;

/**
 * Frequent English function words that cannot be Vietnamese syllables typed without accents.
 * "the", "a", "an", "to", "in", "do", "on", "at", "it", "can", "that" are left out: they are also
 * thẻ, à, ăn, to, in, độ, ổn, át, ít, cần, thật ("Che do an nao lam tang can?" is Vietnamese).
 */
const ENGLISH_WORDS = new Set(
  ("of is are was were been has have had will would could should what who whom whose when where which why how " +
    "did does many much and or for with by from this these those there their they his her your about after before into").split(" "),
);

/**
 * English when the words that are not names (capitalised after the first word) hold no letter
 * only Vietnamese writes, at least one English function word, and enough English: function words
 * and words that cannot be Vietnamese syllables ("bank", "collapse": `couldBeSyllable`), against
 * those words. Names are left out: "Who is Nguyễn Phú Trọng?" is English, and so is "Who trains Michelle Mone's
 * racehorse Monbeg Genius?" though half its words are names; a Vietnamese question typed without
 * accents that names "Michelle Mone" has no English function word. A lower-case loanword
 * ("facebook", "video") alone does not make a question English: it needs a function word too.
 */
export function detectLanguage(text: string): Language {
  const words = text.match(/\p{L}+/gu) ?? [];
  let functionWords = 0;
  let foreign = 0;
  let counted = 0;
  let vietnamese = false;
  words.forEach((word, i) => {
    if (i > 0 && /^\p{Lu}/u.test(word)) return;
    if (VIETNAMESE_LETTER.test(word)) vietnamese = true;
    const lower = word.toLowerCase();
    if (ENGLISH_WORDS.has(lower)) functionWords++;
    else if (!couldBeSyllable(lower)) foreign++;
    counted++;
  });
  return !vietnamese && functionWords >= 1 && (functionWords + foreign) / Math.max(1, counted) >= ENGLISH_SHARE ? "en" : "vi";
}

/** A letter only Vietnamese writes (a tone mark, ă â ê ô ơ ư, đ): "Temüjin" or "Börte" in an English question is not one. */
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/iu;

/** The share of English words (of those not names) that makes a question with a function word English. */
const ENGLISH_SHARE = 0.3;

/**
 * Turns a question into term groups:
 * - typed with accents: its exact syllables and pairs, plus their folded twins at low weight
 *   (so a word typed without accents inside an accented question still counts);
 * - typed without accents: accents restored from the corpus's own vocabulary (so "huu lung"
 *   searches "hữu lũng" and not every "hưu"/"lùng"), plus the folded twins;
 * - typed partly without accents (at least MIN_SLIPS words the corpus nearly always accents):
 *   those words restored in the context of the others, and the folded twins weighed as above.
 */
export function analyseQuery(question: string, vocabulary: Vocabulary): AnalysedQuery {
  const text = nfc(question).trim();
  const language = detectLanguage(text);
  const tokens = tokenize(text);
  const unaccented = language === "vi" && tokens.length > 0 && !hasDiacritics(text);

  // Accented, but with some words typed without ("Bệnh nhân bi sốt do nguyen nhân gì?"): those are
  // restored in the context of the accented ones; words common as written ("do") are kept.
  const mixed = language === "vi" && !unaccented && tokens.filter((t) => vocabulary.looksUnaccented(t.term)).length >= MIN_SLIPS;
  const typed = unaccented
    ? restoreAccents(text, vocabulary, tokens)
    : mixed
      ? restoreAccents(text, vocabulary, tokens, (s) => !vocabulary.looksUnaccented(s))
      : tokens.map((t) => t.term);
  const syllables = correctUnknown(typed, vocabulary, language === "vi");
  const pairs = syllablePairs(text, tokens, syllables);
  const foldedTerms = [...new Set([...syllables, ...pairs].map(fold))];
  const exact = [...new Set([...syllables, ...pairs])];
  const names = namesOf(text, tokens, syllables, pairs);
  // "vaccine" also searches "vắc xin", "vắcxin"…: the spellings news uses for the same word.
  const variants = variantTerms(syllables, PAIR_JOINER).filter((term) => !exact.includes(term));
  return {
    text,
    language,
    unaccented,
    restored: unaccented || mixed,
    syllables: [...new Set(syllables)],
    sequence: syllables,
    pairs: [...new Set(pairs)],
    termQueries: [
      { terms: exact, folded: false, boost: 1 },
      { terms: foldedTerms, folded: true, boost: unaccented || mixed ? FOLDED_BOOST_UNACCENTED : FOLDED_BOOST_ACCENTED },
      ...(names.length > 0 ? [{ terms: unaccented ? [...new Set(names.map(fold))] : names, folded: unaccented, boost: NAME_BOOST }] : []),
      ...(variants.length > 0 ? [{ terms: variants, folded: false, boost: 1 }] : []),
    ],
  };
}

/**
 * A question or function word of an analysed question: it says how something is asked, not what
 * about. Restored spellings are judged as spelled, so that "che do an" keeps chế độ (not the English
 * "do"). A syllable typed without diacritics that the corpus has no spelling for could not be
 * restored and is judged folded: "lam gi" is "làm gì" even where the corpus never wrote either.
 */
export function isQuestionWord(syllable: string, vocabulary: Vocabulary): boolean {
  return isStopword(syllable) || (syllable === fold(syllable) && !vocabulary.knowsFolded(syllable) && isStopword(syllable, true));
}

/**
 * The syllables (and pairs of them) written with a capital inside the question: names and acronyms
 * ("Hữu Lũng", "Sa", "CRISPR"). The first word is left out: every sentence starts with a capital.
 */
function namesOf(text: string, tokens: ReturnType<typeof tokenize>, syllables: string[], pairs: string[]): string[] {
  const names = new Set(tokens.flatMap((t, i) => (i > 0 && /^\p{Lu}/u.test(text.slice(t.start, t.end)) ? [syllables[i]!] : [])));
  const namePairs = pairs.filter((pair) => pair.split(PAIR_JOINER).every((s) => names.has(s)));
  return [...names, ...namePairs];
}

/**
 * The syllables of a text typed wholly or partly without accents, accented from the corpus's
 * vocabulary (syllables typed with diacritics, and those `keep` names, stay as typed). Each run of
 * syllables between punctuation is restored separately (a comma breaks a phrase).
 *
 * @example restoreAccents("huu lung, lang son", vocabulary) // → ["hữu", "lũng", "lạng", "sơn"]
 */
export function restoreAccents(
  text: string,
  vocabulary: Vocabulary,
  tokens = tokenize(text),
  keep?: (syllable: string) => boolean,
): string[] {
  const restored: string[] = [];
  let run: string[] = [];
  const flush = () => restored.push(...vocabulary.restore(withQuestionPhrases(run), keep));
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    if (previous && !spaced(text, previous, token)) {
      flush();
      run = [];
    }
    run.push(token.term);
  });
  flush();
  return restored;
}

/**
 * Question phrases, folded → accented. They are spelled for restoration before anything else: a
 * newsroom corpus rarely asks questions, so its own pairs may say "bao nhiều" or "ở đầu"; fixed,
 * they also give context to their neighbours.
 */
const QUESTION_PHRASES = new Map(
  ["bao nhiêu", "bao giờ", "bao lâu", "thế nào", "khi nào", "lúc nào", "ở đâu", "tại sao", "vì sao", "là gì", "cái gì", "làm sao"].map(
    (phrase) => [fold(phrase), phrase.split(" ") as [string, string]],
  ),
);

/** The syllables with each question phrase typed wholly without accents ("bao nhieu") spelled out. */
function withQuestionPhrases(syllables: string[]): string[] {
  const out = [...syllables];
  for (let i = 1; i < out.length; i++) {
    // A plain syllable is its own folded form; a phrase with any accent typed is left as typed.
    const phrase = QUESTION_PHRASES.get(`${out[i - 1]} ${out[i]}`);
    if (phrase) [out[i - 1], out[i]] = phrase;
  }
  return out;
}

/**
 * A syllable the corpus has never seen is more often a typo or a slip of accent than a new word
 * ("điễn ra", "chococlate", "CRISR"): it becomes the corpus's nearest spelling, accented in context,
 * or, in a Vietnamese question, the syllable its letters type in Telex ("sahcj" → "sạch").
 * A word with nothing near it ("Zorvania") stays as typed, so that "not found" can still tell that
 * the corpus never saw it.
 */
function correctUnknown(syllables: string[], vocabulary: Vocabulary, vietnamese: boolean): string[] {
  // Question words are never "corrected": a small corpus may lack "nhiêu" and has "nhiều". One
  // typed with an accent no word writes is a slip of the keys, though ("bao nhiệu"): its letters
  // say which, restored in context as any unknown syllable is.
  const unknown = syllables.map((s) => vocabulary.documentFrequency(s) === 0 && (!isStopword(s, true) || (vietnamese && !isStopword(s))));
  if (!unknown.includes(true)) return syllables;
  // "sahcj", "pahst": typed in Telex with the marks left as letters, out of order; the letters say
  // which syllable, tone included.
  const telex = syllables.map((s, i) => (unknown[i] && vietnamese ? vocabulary.telexNearest(s) : null));
  const folded = syllables.map((s, i) => {
    const f = fold(telex[i] ?? s);
    return !unknown[i] || vocabulary.knowsFolded(f) ? f : (vocabulary.nearest(f) ?? f);
  });
  const restored = vocabulary.restore(folded);
  return syllables.map((s, i) => telex[i] ?? (unknown[i] && vocabulary.documentFrequency(restored[i]!) > 0 ? restored[i]! : s));
}

/** The question's topical syllables with their idf: what coverage and the reader weigh. */
export interface Topical {
  weights: Map<string, number>;
  total: number;
}

/**
 * The question's topical syllables (all of them when every one is a question word), each with its
 * idf.
 */
export function topicalOf(query: AnalysedQuery, vocabulary: Vocabulary): Topical {
  const topical = query.syllables.filter((s) => !isQuestionWord(s, vocabulary));
  const weights = new Map((topical.length > 0 ? topical : query.syllables).map((s) => [s, vocabulary.idf(s)]));
  let total = 0;
  for (const weight of weights.values()) total += weight;
  return { weights, total };
}
