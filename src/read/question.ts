import { isQuestionWord, topicalOf, type AnalysedQuery } from "../retrieve";
import type { Vocabulary } from "../store";
import { variantOccurrences } from "../text/spelling-variants";
import { tokenizeRecent } from "../text/token-cache";
import { couldBeSyllable, fold, PAIR_JOINER, spaced, tokenize, type Token } from "../text/vietnamese";
import { isUnitWord } from "./answer-type";

/**
 * The question, analysed once for every window the reader scores: which of its syllables and pairs
 * weigh how much, and what an answering window must contain.
 */

export interface Constraint {
  /** A name: one syllable counts only where written with a capital ("Pháp", not the "pháp" of "giải pháp"). */
  name?: boolean;
  /** Keys (see `key`) of the syllables that must stand together, in order. */
  terms: string[];
  /** Factor when found elsewhere in the article / nowhere in it. */
  elsewhere: number;
  nowhere: number;
  /**
   * The date the number is part of, as the question writes it ("26/4/2021"): an article published
   * that day meets it by its date line, as a year is met by the article's year.
   */
  date?: { day: number | null; month: number; year: number | null };
  /**
   * Other ways the article may write the same terms: "2 con vịt" is "hai con vịt" in the text
   * (the number word with the syllable after it, so that any "hai" does not meet it).
   */
  alternatives?: string[][];
}

export interface Question {
  key: (syllable: string) => string;
  /** Topical syllable key → weight. */
  weights: Map<string, number>;
  total: number;
  /** Question pair key → weight. */
  pairs: Map<string, number>;
  /**
   * The pairs inside a word news spells several ways ("huấn luyện viên", read as "hlv"), each
   * kept as one pair of the word with itself: held by a window that holds the word, however it
   * spells it ("HLV" has no pair of its own). Pair key → the word's key.
   */
  wordPairs: Map<string, string>;
  pairTotal: number;
  constraints: Constraint[];
  /**
   * Syllables the question writes inside a phrase the corpus knows ("tổng thống"): in a window
   * without that phrase they count at `boundCredit` only, since "Tổng cục" and "hệ thống" are
   * other words. Syllable key → the phrase keys that bind it.
   */
  bound: Map<string, string[]>;
  /** Folded syllables of the question: answer spans made only of these are not answers. */
  folded: Set<string>;
  /**
   * Keys of which an answering window must write one, or null: the action a how-to question asks
   * about ("Cách chụp màn hình…": "chụp"; a window that never names it tells something else about
   * the topic), or the birth a "sinh năm nào" question asks the date of ("sinh", or "SN" as news
   * writes "Nguyễn Văn A (SN 1990)"): "in 2018 she was elected" gives no year of birth.
   */
  required: string[] | null;
  /**
   * Keys of its topical syllables that are not names nor numbers: what it asks about the people,
   * places and things it names ("Mozambique dùng đồng tiền gì": "dùng", "đồng", "tiền").
   */
  asked: Set<string>;
  /** Asked in English over Vietnamese articles: its word pairs are English words, which no window holds in order. */
  english: boolean;
  /**
   * Asks about what is planned or expected ("sẽ", "dự kiến", "mục tiêu đến năm 2030"): an article
   * may tell of a later year. Otherwise a year after an article's own is one it cannot tell of: an
   * article of April 2021 does not know who won the 2022 World Cup.
   */
  ahead: boolean;
}

/** A question's pair the corpus writes in at least this many passages is a phrase (see `Question.bound`). */
const MIN_PHRASE_DF = 3;
/** A constraint found nowhere in the article costs this much (a year, a number, a quoted phrase, a rare word). */
const HARD_MISS = 0.3;
/** A name found nowhere in the article: names are spelled many ways ("Thành Cát Tư Hãn"). */
const NAME_MISS = 0.6;
/** Any constraint found in the article but not in the window, its title or its date. */
const ELSEWHERE = 0.85;

/**
 * The question as the reader weighs it: its topical syllables and pairs with their weights, the
 * phrases that bind its syllables, and the constraints an answering window must meet.
 * `rareShare`: a topical syllable in at most this share of the corpus's passages is a constraint.
 */
export function analyseQuestion(query: AnalysedQuery, vocabulary: Vocabulary, rareShare: number, bodies: readonly string[] = []): Question {
  const key = query.restored ? fold : (s: string) => s;
  // A word news spells several ways ("vắc xin", "vaccine") is looked for as its group's first
  // spelling, as the reader writes every article's (`canonicalKeys`): `as` renames the syllables
  // the question spells it with, and a pair inside the spelling is no pair.
  const renamed = new Map<string, string>();
  for (const { start, end, canonical } of variantOccurrences(query.sequence.map(key), key)) {
    for (let i = start; i < end; i++) renamed.set(key(query.sequence[i]!), canonical);
  }
  const as = (k: string) => renamed.get(k) ?? k;
  const pairAs = (pair: string): string | null => {
    const [a, b] = pair.split(PAIR_JOINER) as [string, string];
    return renamed.has(a) && renamed.has(b) && as(a) === as(b) ? null : `${as(a)}${PAIR_JOINER}${as(b)}`;
  };
  const topical = topicalOf(query, vocabulary);
  const weights = new Map<string, number>();
  for (const [s, w] of topical.weights) weights.set(as(key(s)), (weights.get(as(key(s))) ?? 0) + w);
  const pairs = new Map<string, number>();
  const wordPairs = new Map<string, string>();
  for (const pair of query.pairs) {
    const [a, b] = pair.split(PAIR_JOINER) as [string, string];
    if (isQuestionWord(a, vocabulary) && isQuestionWord(b, vocabulary)) continue;
    const weight = 0.5 * (vocabulary.idf(a) + vocabulary.idf(b));
    const keyed = pairAs(key(pair));
    if (keyed !== null) {
      pairs.set(keyed, weight);
      continue;
    }
    // Inside one word's spelling: the word's pairs weigh together as one.
    const word = as(key(a));
    const wordPair = `${word}${PAIR_JOINER}${word}`;
    wordPairs.set(wordPair, word);
    pairs.set(wordPair, (pairs.get(wordPair) ?? 0) + weight);
  }
  let pairTotal = 0;
  for (const w of pairs.values()) pairTotal += w;
  const bound = new Map<string, string[]>();
  for (const pair of query.pairs) {
    const [a, b] = pair.split(PAIR_JOINER) as [string, string];
    const keyed = pairAs(key(pair));
    if (isQuestionWord(a, vocabulary) || isQuestionWord(b, vocabulary) || vocabulary.pairFrequency(a, b) < MIN_PHRASE_DF || keyed === null) continue;
    for (const s of [a, b]) bound.set(as(key(s)), [...(bound.get(as(key(s))) ?? []), keyed]);
  }

  const constraints: Constraint[] = [];
  const text = query.text;
  const tokens = tokenize(text);
  // Numbers and years as written ("2019", "H6", "70%"), and the dates they make up ("26/4/2021",
  // "tháng 4/2021").
  const dates = datesOf(text);
  // "thứ 50": the number with its "thứ", since any "50" does not answer for the 50th.
  const ranks = ordinals(query.sequence, tokens, text);
  for (const [at, number] of ranks) {
    const terms = [key(query.sequence[at]!), key(query.sequence[number]!)];
    // "Nghị định số 100" is also written "Nghị định 100/2019/NĐ-CP".
    const named = terms[0] === key("số") && at > 0 ? [[key(query.sequence[at - 1]!), terms[1]!]] : undefined;
    constraints.push({ terms, elsewhere: ELSEWHERE, nowhere: HARD_MISS, ...(named && { alternatives: named }) });
  }
  // "iPhone 15": the number with its name, since "iPhone 12 … 15 triệu đồng" is another phone.
  const models = modelNumbers(tokens, text);
  for (const phrase of models) constraints.push({ terms: phrase.map((i) => key(query.sequence[i] ?? tokens[i]!.term)), elsewhere: ELSEWHERE, nowhere: HARD_MISS });
  const ranges = yearRanges(tokens, text);
  for (const [from, to] of ranges) {
    const [first, last] = [key(tokens[from]!.term), key(tokens[to]!.term)];
    const alternatives = ["đến", "tới"].map((word) => [first, key(word), last]);
    constraints.push({ terms: [first, last], elsewhere: ELSEWHERE, nowhere: HARD_MISS, alternatives });
  }
  // A number in one of those phrases is constrained with it, not alone; the "1" of a rate ("bao
  // nhiêu 1 kg") is the rate's, which `required` asks for.
  const foldedSequence = query.sequence.map(fold);
  const rate = rateAsked(query.sequence, foldedSequence);
  const inPhrase = new Set([...ranks, ...models, ...ranges].flat());
  if (rate) inPhrase.add(rate.at);
  for (const [i, token] of tokens.entries()) {
    if (!/\d/.test(token.term) || inPhrase.has(i)) continue;
    const date = dates.find((d) => d.start <= token.start && token.end <= d.end)?.date;
    // "2 con vịt": news writes small counts in words, "hai con vịt".
    const word = date || !/^\d+$/.test(token.term) ? undefined : NUMBER_WORDS[Number(token.term)];
    const next = tokens[i + 1];
    // "117dB" is also written "117 dB".
    const glued = /^(\d+(?:[.,]\d+)*)(\p{L}+)$/u.exec(token.term);
    const alternatives = glued
      ? [[key(glued[1]!), key(glued[2]!)]]
      : word && next && !/\d/.test(next.term) && spaced(text, token, next)
        ? [[key(word), key(query.sequence[i + 1] ?? next.term)]]
        : undefined;
    constraints.push({ terms: [key(token.term)], elsewhere: ELSEWHERE, nowhere: HARD_MISS, ...(date && { date }), ...(alternatives && { alternatives }) });
  }
  // Quoted phrases: "…", “…”.
  for (const m of text.matchAll(/["“«]([^"”»]{2,80})["”»]/gu)) {
    const terms = tokenize(m[1]!).map((t) => key(t.term));
    if (terms.length > 0) constraints.push({ terms, elsewhere: ELSEWHERE, nowhere: HARD_MISS });
  }
  // Names: capitalised runs after the first word ("Haval", "Emmanuel Macron"). An English question
  // over Vietnamese articles writes its names its own way ("Genghis Khan", "Thành Cát Tư Hãn"), and
  // its words are rare in the corpus because they are English: only its numbers constrain.
  const english = query.language === "en";
  const capitalised = english ? [] : capitalisedRuns(text, tokens);
  const taken = new Set(capitalised.flat());
  const lowerCase = english || !query.restored ? [] : capitalisedInArticles(tokens, query.sequence, bodies).filter((run) => !run.some((t) => taken.has(t)));
  for (const run of [...capitalised, ...lowerCase]) {
    const terms = run.map((t) => key(query.sequence[tokens.indexOf(t)] ?? t.term));
    constraints.push({ terms, elsewhere: ELSEWHERE, nowhere: NAME_MISS, name: true });
  }
  // Words the corpus almost never writes: the question is about something it does not cover.
  const rare = Math.floor(rareShare * vocabulary.documents);
  for (const s of english ? [] : topical.weights.keys()) {
    if (/\d/.test(s) || vocabulary.documentFrequency(s) > rare) continue;
    if (constraints.some((c) => c.terms.includes(key(s)))) continue;
    constraints.push({ terms: [key(s)], elsewhere: ELSEWHERE, nowhere: HARD_MISS });
  }
  for (const c of constraints) {
    c.terms = withoutRepeats(c.terms.map(as));
    if (c.alternatives) c.alternatives = c.alternatives.map((terms) => withoutRepeats(terms.map(as)));
  }
  const named = new Set(constraints.flatMap((c) => (c.name ? c.terms : [])));
  return {
    asked: new Set([...weights.keys()].filter((k) => !named.has(k) && !/\d/.test(k))),
    key,
    weights,
    total: topical.total,
    pairs,
    wordPairs,
    pairTotal,
    constraints,
    bound,
    folded: new Set([...foldedSequence, ...[...renamed.values()].map(fold)]),
    required: requiredWords(query.sequence, foldedSequence, key) ?? rate?.per.map(key) ?? null,
    english,
    ahead: AHEAD.test(foldedSequence.join(" ")),
  };
}

/**
 * Words that ask about one day near the asker's ("hôm nay", "tối nay", "tối qua", "today", "last
 * night"), folded: the weather, a price, a score or a lottery draw of that day. An article of
 * another day does not tell it, however well its words match. Not "hiện nay" or "năm nay", which
 * an article's date answers "as of".
 */
const ONE_DAY = /(?:^| )(?:hom nay|sang nay|trua nay|chieu nay|toi nay|dem nay|hom qua|dem qua|toi qua|today|tonight|yesterday|last night|this morning|this afternoon|this evening)(?= |$)/;

/** Whether a question asks about the day it is asked or the day before (`ONE_DAY`). */
export function asksAboutDay(sequence: readonly string[]): boolean {
  return ONE_DAY.test(sequence.map(fold).join(" "));
}

/** Words that look ahead, folded: "sẽ", "dự kiến", "kế hoạch", "mục tiêu", "đến năm", "tầm nhìn", "will", "plan". */
const AHEAD = /(?:^| )(?:se|du kien|ke hoach|muc tieu|den nam|toi nam|tam nhin|phan dau|du bao|du dinh|will|plan|plans|planned|expected|forecast)(?= |$)/;

/** Words after "cách" that make it something other than "how to": "cách gì", "cách ly", "cách đây". */
const NOT_HOW_TO = new Set(["gi", "nao", "ly", "day", "mang", "nhau", "thuc"]);

/** "làm sao để", "làm thế nào để", "how do I", folded: the word after asks how to do it. */
const HOW_TO_CUES = [
  ["lam", "sao", "de"],
  ["lam", "the", "nao", "de"],
  // English, asking for steps: "How do I factory reset an iPhone?" A Vietnamese article does not
  // write the English action, so over Vietnamese articles such a question is answered only where a
  // sentence writes that word itself ("How do I register on VNeID?"), which the reader checks as
  // for "cách …".
  ...["i", "you", "we"].flatMap((who) => ["do", "can", "should"].map((verb) => ["how", verb, who])),
  ["how", "to"],
];

/** Terms without a term repeated next to itself: "vắc xin" read as one word is one term. */
function withoutRepeats(terms: string[]): string[] {
  return terms.filter((term, i) => i === 0 || term !== terms[i - 1]);
}

/** What an answering window must write (see `Question.required`), but for a rate's unit. */
function requiredWords(sequence: readonly string[], folded: readonly string[], key: (s: string) => string): string[] | null {
  const action = howToAction(sequence, folded, key);
  if (action !== null) return [action];
  return asksBirth(folded) ? [key("sinh"), key("sn")] : null;
}

/** Folded quantity cues a rate may follow: "bao nhiêu won một giờ", "mấy lần một ngày". */
const RATE_CUES = [["bao", "nhieu"], ["may"], ["bao", "lau"]];
/** What a rate is per (folded), and how news writes it: "một giờ", "/h", "mỗi tiếng". */
const RATE_UNITS = new Map<string, string[]>([
  ["gio", ["giờ", "h", "tiếng"]],
  ["tieng", ["giờ", "h", "tiếng"]],
  ["ngay", ["ngày"]],
  ["tuan", ["tuần"]],
  ["thang", ["tháng"]],
  ["nam", ["năm"]],
  ["lan", ["lần"]],
  ["nguoi", ["người"]],
  ["kg", ["kg", "ký", "kilogram"]],
  ["ky", ["kg", "ký"]],
  ["lit", ["lít"]],
  ["met", ["m3", "khối", "m2", "mét"]],
  ["m3", ["m3", "khối"]],
  ["m2", ["m2"]],
  ["km", ["km"]],
  ["ve", ["vé"]],
  ["suat", ["suất"]],
]);

/**
 * The unit a question asks a rate per, as the words an answering window writes it with: "bao
 * nhiêu won một giờ", "giá bao nhiêu một mét khối", "tưới mấy lần một ngày", "bao nhiêu 1 kg"
 * ("một" or "1" right after the cue or the unit it counts in), or "mỗi ngày" anywhere after the
 * cue. A sentence that never names the hour does not tell a wage per hour: "42 tỷ won" of someone's
 * fortune is not it. Not "bao nhiêu kg sau hơn một tháng", a duration. `at`: the position of
 * "một", "1" or "mỗi"; `per`: the words; null when none.
 */
function rateAsked(sequence: readonly string[], folded: readonly string[]): { at: number; per: string[] } | null {
  const cue = RATE_CUES.map((words) => ({ words, at: folded.findIndex((_, i) => words.every((w, k) => folded[i + k] === w)) })).find((c) => c.at >= 0);
  if (!cue || (cue.words[0] === "may" && sequence[cue.at]?.toLowerCase() !== "mấy" && sequence[cue.at] !== "may")) return null;
  const after = cue.at + cue.words.length;
  for (let i = after; i + 1 < folded.length; i++) {
    const word = sequence[i]!.toLowerCase();
    const each = word === "mỗi" || ((word === "một" || word === "1") && i <= after + 1);
    const unit = RATE_UNITS.get(folded[i + 1]!);
    if (each && unit) return { at: i, per: unit };
  }
  return null;
}

/** "sinh" that is no birth: "giáng sinh", "vệ sinh", "học sinh", "hy sinh" (died), "phát sinh"… */
const NOT_BIRTH = new Set(["giang", "ve", "hoc", "hy", "phat", "ky", "san", "tai", "hoi", "nay", "sac"]);

/** "sinh năm nào", "sinh ngày", "sinh vào", "sinh ra năm", "năm sinh" (in the folded words): a question about a birth's date. */
function asksBirth(folded: readonly string[]): boolean {
  return folded.some((word, i) => {
    if (word !== "sinh" || NOT_BIRTH.has(folded[i - 1] ?? "")) return false;
    const next = folded[i + 1] === "ra" ? folded[i + 2] : folded[i + 1];
    return folded[i - 1] === "nam" || ["nam", "ngay", "vao", "thang"].includes(next ?? "");
  });
}

/** The verb of "Cách X …?" / "làm sao để X" / "làm thế nào để X" (found in the folded words), or null. */
function howToAction(sequence: readonly string[], folded: readonly string[], key: (s: string) => string): string | null {
  if (folded[0] === "cach" && folded[1] && !NOT_HOW_TO.has(folded[1])) return key(sequence[1]!);
  for (const cue of HOW_TO_CUES) {
    const at = folded.findIndex((_, i) => cue.every((word, k) => folded[i + k] === word));
    if (at >= 0 && sequence[at + cue.length]) return key(sequence[at + cue.length]!);
  }
  return null;
}

/**
 * Ordinals and designations written with digits ("thứ 50", "bão số 5"), as the positions of "thứ"
 * or "số" and its number: "the 50th president" is not answered by "50 billion dollars", nor storm
 * number 5 by a "cấp 5" in an article about another storm. (Superlatives, "dài nhất", were tried as
 * constraints too and cost answerable questions: ViNewsQA and XQuAD paraphrase them, see README.)
 */
function ordinals(sequence: readonly string[], tokens: readonly Token[], text: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (let i = 1; i < sequence.length; i++) {
    const spaced = /^[^\S\n]+$/.test(text.slice(tokens[i - 1]!.end, tokens[i]!.start));
    if (!spaced || !/^\d+$/.test(sequence[i]!)) continue;
    const designated = sequence[i - 1] === "số" && !COUNTING_SỐ.has(sequence[i - 2]?.toLowerCase() ?? "");
    if (sequence[i - 1] === "thứ" || designated) found.push([i - 1, i]);
  }
  return found;
}

/** Words that make "số" a count or a measure ("dân số 100 triệu", "tỷ số 2-1", "trong số 83"), not a designation. */
const COUNTING_SỐ = new Set(["dân", "tổng", "con", "tỷ", "tỉ", "hệ", "điểm", "chỉ", "đa", "thiểu", "trong", "cơ", "vô"]);

/**
 * Numbers that are part of a name ("iPhone 15", "Boeing 737", "Quận 7", "Landmark 81"), as the
 * positions of the name's last word and the number: a number of one to three digits right after a
 * capitalised word (the question's first word only with a capital inside it, "iPhone"), not a
 * count of something ("Hùng 45 tuổi") nor the start of a date or a decimal ("Nửa Đêm 4/4").
 */
function modelNumbers(tokens: readonly Token[], text: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (let i = 1; i < tokens.length; i++) {
    const [name, number, next] = [tokens[i - 1]!, tokens[i]!, tokens[i + 1]];
    if (!/^\d{1,3}$/.test(number.term) || /\d/.test(name.term) || !spaced(text, name, number)) continue;
    // "Siêu Sale Nửa Đêm 4/4": a date.
    if (/^[/.,-]\d/.test(text.slice(number.end, number.end + 2))) continue;
    const written = text.slice(name.start, name.end);
    if (!(i - 1 > 0 ? /\p{Lu}/u : /^.+\p{Lu}/u).test(written)) continue;
    if (next && spaced(text, number, next) && isUnitWord(next.term)) continue;
    found.push([i - 1, i]);
  }
  return found;
}

/**
 * Year ranges the question writes ("mùa 2021-2022", "giai đoạn 2017-2020"), as the positions of
 * their two years: a range is one constraint, met by the range ("2017-2020", "2000 đến 2005"), not
 * by either year alone. "Đội nào vô địch Champions League mùa 2021-2022?" is not answered by an
 * article of 2021 that writes "2022" somewhere.
 */
function yearRanges(tokens: readonly Token[], text: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [a, b] = [tokens[i]!, tokens[i + 1]!];
    if (/^\d{4}$/.test(a.term) && /^\d{4}$/.test(b.term) && /^\s*[-–]\s*$/u.test(text.slice(a.end, b.start))) found.push([i, i + 1]);
  }
  return found;
}

/** The count each number word stands for, as news writes small counts ("hai con vịt"). */
const NUMBER_WORDS: Readonly<Record<number, string>> = { 1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười" };

type DateSpan = { start: number; end: number; date: NonNullable<Constraint["date"]> };

/**
 * The dates a question writes, where its numbers stand: a day and month ("26/4", "26/4/2021"), and
 * a month ("tháng 4", "tháng 4/2021", "tháng 4 năm 2021", "4/2021"), which an article published
 * in that month meets by its date line ("Hợp đồng của Messi còn bao lâu (tháng 4/2021)?").
 */
function datesOf(text: string): DateSpan[] {
  const dates: DateSpan[] = [];
  for (const m of text.matchAll(/(?<![\d/])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?(?![\d/])/gu)) {
    dates.push({ start: m.index, end: m.index + m[0].length, date: { day: Number(m[1]), month: Number(m[2]), year: m[3] ? Number(m[3]) : null } });
  }
  const months = [
    ...text.matchAll(/(?<!\p{L})(?:tháng|thang)\s+(\d{1,2})(?:\s*\/\s*(\d{4})|\s+(?:năm|nam)\s+(\d{4}))?(?![\d/])/giu),
    ...text.matchAll(/(?<![\d/])(\d{1,2})\/(\d{4})(?![\d/])/gu),
  ];
  for (const m of months) {
    const month = Number(m[1]);
    const year = m[2] ?? m[3];
    const at = m.index + m[0].indexOf(m[1]!);
    if (month < 1 || month > 12 || dates.some((d) => d.start <= at && at < d.end)) continue;
    dates.push({ start: at, end: at + m[1]!.length, date: { day: null, month, year: year ? Number(year) : null } });
  }
  return dates;
}

/** A word the best articles write with a capital at least this share of the times they write it is a name. */
const NAME_SHARE = 0.8;
/** And at least this many times: once may be the start of a sentence. */
const NAME_MIN_COUNT = 2;

/**
 * The foreign names of a question typed without accents, which writes them in lower case too ("don
 * vi tien te cua peru"): runs of words, not the first (as for capitals), that no Vietnamese
 * syllable spells and the best articles (`bodies`) write with a capital nearly every time
 * ("koeman", "vietcombank"; not "virus") or never ("peru"). Vietnamese words are left alone: the
 * articles capitalise "Nghị định 91/2020" and "sao Hỏa", which the question may not mean as names.
 */
function capitalisedInArticles(tokens: Token[], sequence: readonly string[], bodies: readonly string[]): Token[][] {
  // As corrected: "chococlate" is looked for as "chocolate".
  const word = (i: number) => fold(sequence[i] ?? tokens[i]!.term);
  const wanted = new Map<string, { capital: number; all: number }>();
  tokens.forEach((token, i) => {
    if (i > 0 && !/\d/.test(token.term) && !couldBeSyllable(word(i))) wanted.set(word(i), { capital: 0, all: 0 });
  });
  if (wanted.size === 0) return [];
  // The reader tokenizes these bodies next: `tokenizeRecent` keeps their tokens for it.
  for (const body of bodies) {
    for (const { term, start } of tokenizeRecent(body)) {
      const count = wanted.get(fold(term));
      if (!count) continue;
      count.all++;
      if (/\p{Lu}/u.test(body[start]!)) count.capital++;
    }
  }
  const isName = (i: number) => {
    const count = wanted.get(word(i));
    return count !== undefined && (count.all === 0 || (count.all >= NAME_MIN_COUNT && count.capital >= NAME_SHARE * count.all));
  };
  const runs: Token[][] = [];
  for (const [i, token] of tokens.entries()) {
    if (!isName(i)) continue;
    const run = runs.at(-1);
    if (run && tokens.indexOf(run.at(-1)!) === i - 1) run.push(token);
    else runs.push([token]);
  }
  return runs;
}

/** Runs of capitalised syllables after the question's first word: names and acronyms. */
function capitalisedRuns(text: string, tokens: Token[]): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  tokens.forEach((token, i) => {
    // A code with digits is a number constraint of its own: "Covid BN2792" is a name and a case
    // number, which the article writes apart ("(BN2792)").
    const capital = i > 0 && /^\p{Lu}/u.test(text.slice(token.start, token.end)) && !/\d/.test(token.term);
    const joined = run.length > 0 && spaced(text, run.at(-1)!, token);
    if (capital && (run.length === 0 || joined)) run.push(token);
    else {
      if (run.length > 0) runs.push(run);
      run = capital ? [token] : [];
    }
  });
  if (run.length > 0) runs.push(run);
  return runs;
}
