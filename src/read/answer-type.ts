import type { Span } from "../domain/types";
import { detectLanguage } from "../retrieve/query";
import { eachMatch } from "../text/each-match";
import { isStopword } from "../text/stopwords";
import { fold, spellingKey, tokenize, type Token } from "../text/vietnamese";

/**
 * What a question asks for, read from its question words: "bao nhiêu" wants a quantity, "khi
 * nào" a date, "ở đâu" a place, "ai" a person or organisation, "vì sao" a reason. `null`: a
 * question of another kind ("là gì", "như thế nào"), answered by the sentence as a whole.
 */
export type AnswerType = "number" | "date" | "place" | "person" | "reason";

/**
 * What the answer must look like, beyond its type: "bao nhiêu tuổi" wants a number of years of
 * age, "cao bao nhiêu mét" a length, "năm nào" a year (a day and month do not answer it).
 */
export interface Expectation {
  type: AnswerType;
  /**
   * For a number: the unit words one of which must follow it; for a place, the kind asked by name
   * ("xã nào": a "xã …"); null when any number or place will do.
   */
  units: ReadonlySet<string> | null;
  /** For a date: a year, a day, a time of day, or any of them. */
  grain: "year" | "day" | "time" | "any";
  /**
   * What the answer names: for a number, what the question counts, a unit or a noun ("bao nhiêu
   * chiếc", "bao nhiêu điểm"); for a place, the local unit asked for ("xã nào"). An answer with it
   * is the better one ("28 điểm" over "ba phút", "xã Ia Phí" over "huyện Chư Păh").
   */
  noun: string | null;
  /**
   * For a number: the words after "bao nhiêu" in the question ("đảng viên"); where they follow the
   * number in the answer they are shown with it ("830 đảng viên").
   */
  counted: string[];
  /**
   * For "Chanathip là ai?": the folded syllables of the name the question asks about. Who someone
   * is, news tells by the words around the name ("tiền vệ Chanathip", "Chanathip là cầu thủ…",
   * "Chanathip, ngôi sao…"), not by another name.
   */
  identity?: string[];
  /**
   * The word the question asks the quantity or date of, right before its cue ("dài bao nhiêu",
   * "bán được bao nhiêu", "khánh thành khi nào"): of several candidates, the one beside it answers.
   */
  anchor?: string;
}

const LENGTH = ["m", "mét", "km", "cm", "mm", "hải lý", "năm ánh sáng", "metres", "meters", "kilometres", "kilometers", "miles", "feet", "light years"];
const MONEY = ["đồng", "usd", "vnd", "euro", "yên", "tệ", "won", "bảng", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "dollars", "million", "billion", "k", "đ"];
const DURATION = ["năm", "tháng", "tuần", "ngày", "giờ", "tiếng", "phút", "giây", "thế kỷ", "thập kỷ", "thập niên", "years", "months", "weeks", "days", "hours", "minutes", "seconds", "centuries"];
const SPEED = ["km/h", "km/giờ", "m/s", "hải lý/giờ", "mph", "knots"];
/** The word before "bao nhiêu" that says which unit the answer has ("cao bao nhiêu": a length; "gió giật bao nhiêu": a speed, not the "22 người" beside it). */
const UNIT_OF_QUESTION = new Map<string, string[]>([
  ["giật", SPEED],
  ["gió", SPEED],
  ["cao", LENGTH],
  ["dài", LENGTH],
  ["rộng", [...LENGTH, "ha", "hecta", "m2", "km2"]],
  ["sâu", LENGTH],
  ["xa", LENGTH],
  ["giá", MONEY],
  ["tiền", MONEY],
  ["lương", MONEY],
  ["phí", MONEY],
  ["học phí", MONEY],
  ["chi phí", MONEY],
  ["doanh thu", MONEY],
  ["lợi nhuận", MONEY],
  ["ngân sách", MONEY],
  ["thu nhập", MONEY],
  ["vốn", MONEY],
  ["nặng", ["kg", "g", "gam", "tấn", "tạ", "ký", "kilogram", "kilograms", "tons", "pounds"]],
  ["tuổi", ["tuổi", "years"]],
]);
/** Unit words that may follow "bao nhiêu"/"mấy" in a question and must then follow the number. */
const QUESTION_UNITS = new Map<string, string[]>([
  ["tuổi", ["tuổi"]],
  ["mét", ["m", "mét", "met"]],
  ["m", ["m", "mét"]],
  ["km", ["km", "ki lô mét"]],
  ["phần", ["%", "phần trăm"]],
  ["%", ["%"]],
  ["tiền", MONEY],
  ["đồng", MONEY],
  ["usd", MONEY],
  ["kg", ["kg", "ký", "kilogram"]],
  ["tấn", ["tấn"]],
  ["năm", ["năm"]],
  ["tháng", ["tháng"]],
  ["ngày", ["ngày"]],
  ["giờ", ["giờ", "tiếng", "h"]],
  ["tiếng", ["giờ", "tiếng", "h"]],
  ["phút", ["phút"]],
  ["độ", ["độ"]],
  ["ha", ["ha", "hecta", "héc ta"]],
  ["lít", ["lít"]],
]);

/** `QUESTION_UNITS` by their letters, for a question typed without accents. */
const FOLDED_QUESTION_UNITS = new Map([...QUESTION_UNITS].map(([unit, units]) => [fold(unit), units]));

/**
 * Cues, as folded syllable sequences, in the order they are tried: a date cue before a number
 * cue ("năm bao nhiêu" asks for a year), a reason cue first ("vì sao lại mất bao nhiêu…" is asked
 * about the why). Folded, so that a question typed without accents is read the same; the few
 * cues that fold onto other words are guarded in `cueAt`.
 */
const CUES: Array<[AnswerType, string[]]> = [
  ["reason", ["vi sao", "tai sao", "do dau", "vi dau", "nho dau", "sao lai", "nguyen nhan", "ly do", "why", "what caused", "what causes", "the reason"]],
  [
    "date",
    [
      "khi nao", "luc nao", "bao gio", "ngay nao", "nam nao", "nam hoc nao", "thang nao", "hom nao", "thoi gian nao", "thoi diem nao",
      "nam may", "thang may", "ngay may", "may gio", "nam bao nhieu", "ngay bao nhieu", "thang bao nhieu", "gio nao",
      "when", "what year", "which year", "what date", "what day", "what time", "what century", "how long ago",
    ],
  ],
  [
    "number",
    [
      "bao nhieu lau", "bao nhieu", "may", "bao lau", "bao xa", "bao cao", "so luong", "ty le", "ti le", "how many", "how much", "how long",
      "how old", "how far", "how big", "how large", "how tall", "what percentage", "what percent", "what proportion",
    ],
  ],
  [
    "place",
    [
      "o dau", "tai dau", "den dau", "di dau", "tu dau", "noi nao", "cho nao", "nuoc nao", "tinh nao", "thanh pho nao",
      "quoc gia nao", "dia diem nao", "khu vuc nao", "vung nao", "dau", "where", "which country",
      "what country", "which city", "what city", "what place", "which region", "which state",
    ],
  ],
  [
    "person",
    [
      "ai", "nguoi nao", "ong nao", "ba nao", "to chuc nao", "cong ty nao", "don vi nao", "co quan nao", "doi nao",
      "hang nao", "who", "whom", "whose", "which company", "which organization", "which organisation", "which team",
    ],
  ],
];

/**
 * Cues that fold onto ordinary words and count only when typed exactly or without any accent:
 * "mấy" (not "máy", machine), "ai" (not "ái"), "đâu" (not "đầu", head), "bao cao" as "bao cao"
 * (not "báo cáo", report).
 */
const EXACT_CUES = new Map([
  ["may", "mấy"],
  ["nam nao", "năm nào"],
  // "khí nào", "lực nào", "gió nào", "thắng nào" fold onto these.
  ["khi nao", "khi nào"],
  ["luc nao", "lúc nào"],
  ["gio nao", "giờ nào"],
  ["thang nao", "tháng nào"],
  ["ngay nao", "ngày nào"],
  ["nam may", "năm mấy"],
  ["nam bao nhieu", "năm bao nhiêu"],
  ["ai", "ai"],
  ["dau", "đâu"],
  // "đi đầu" (to lead), "ở đầu" (at the head): not "đi đâu", "ở đâu".
  ["o dau", "ở đâu"],
  ["tai dau", "tại đâu"],
  ["den dau", "đến đâu"],
  ["di dau", "đi đâu"],
  ["tu dau", "từ đâu"],
  ["bao cao", "bao cao"],
]);

/** First words of the English cues: in a Vietnamese question, "WHO" is the World Health Organization. */
const ENGLISH_OPENERS = new Set(["why", "what", "when", "which", "how", "where", "who", "whom", "whose", "the"]);

/** Folded words before "ai" or "người nào" that ask for a kind of people: "những ai", "các tổ chức nào", "nhóm người nào". */
const GROUP_WORDS = new Set(["nhung", "cac", "nhom"]);

/** Whether the person asked for at word `at` is a group, which an answer describes ("phụ nữ mang thai lần đầu") rather than names. */
function namesAGroup(folded: readonly string[], at: number): boolean {
  return GROUP_WORDS.has(folded[at - 1] ?? "");
}

/** Number cues that are nouns ("tỷ lệ", "số lượng"): a question may name them and ask something else. */
const NOUN_CUES = new Set(["so luong", "ty le", "ti le"]);
/** Question words that ask for something other than a quantity. */
const OTHER_ASKS = ["gi", "nao", "ra sao", "the nao", "nhu the nao"];

/**
 * Whether the question asks with another question word, and with no quantity cue ("Tỷ lệ … nhóm
 * nào?", "Các bệnh nào có số lượng ca mắc tăng gấp ba lần?").
 */
function asksOtherwise(folded: string[]): boolean {
  const all = ` ${folded.join(" ")} `;
  return OTHER_ASKS.some((ask) => all.includes(` ${ask} `)) && !/ (bao nhieu|may|bao lau) /.test(all);
}

/** "quận nào", "ca sĩ nào": the noun before "nào" says what kind of answer is wanted. */
const PLACE_NOUNS = new Set("quận,huyện,tỉnh,xã,phường,nước,thành phố,địa phương,khu,vùng,miền,núi,sông,biển,hồ,đảo,châu lục,bang,bệnh viện".split(","));
const TWO_SYLLABLE_PLACE_NOUNS = new Map([...PLACE_NOUNS].filter((noun) => noun.includes(" ")).map((noun) => [fold(noun), noun]));
/**
 * Kinds of place that news writes before the name every time ("xã Ia Phí", "phường 7", "núi Phú
 * Sĩ", "hồ Nhật Nguyệt"): "ở xã nào?" is answered by a "xã …", not by the "huyện Chư Păh" the
 * question names, and "núi nào?" by no mountain at all is not answered.
 */
const NAMED_KINDS = new Set(["xã", "phường", "quận", "huyện", "thị trấn", "thôn", "ấp", "núi", "sông", "hồ", "đảo", "vịnh", "thác", "đèo", "bệnh viện"]);
const PERSON_NOUNS = new Set("người,ông,bà,anh,chị,đội,công ty,hãng,tổ chức,cơ quan,đơn vị,ca sĩ,cầu thủ,diễn viên,bác sĩ,vận động viên,ngân hàng".split(","));

/**
 * The answer type a question asks for, or null. Takes the question, or its syllables in order
 * (accents restored, for a question typed without them).
 *
 * @example answerTypeOf("Haval H6 bán được bao nhiêu chiếc?") // "number"
 * @example answerTypeOf("vu chay xay ra khi nao") // "date"
 */
export function answerTypeOf(question: string): AnswerType | null {
  return expectationOf(question, { english: detectLanguage(question) === "en" })?.type ?? null;
}

/** Words that follow "mấy" and never "máy" or "may" ("mấy lần", not "máy bay"). */
const COUNTERS = new Set("lần người tuổi năm tháng tuần ngày giờ tiếng phút giây cái chiếc ca đứa triệu tỷ nghìn trăm km mét độ lượt vòng bàn điểm tầng loại bước".split(" "));

/**
 * What the answer to a question must look like (see `Expectation`), or null.
 *
 * `typedUnaccented`: the syllables are accents restored to a question typed without any, so a
 * restoration that missed a cue ("may lan" read as "máy lần") is taken back where a counter follows.
 *
 * `firstCue`: the question word that comes first decides, as in an English question, which asks
 * with its first words ("How old was Manning when he played?" asks for an age, "Who was the leader
 * when …" for a person). By default the cue types are tried in their order (a reason, a date, a
 * number, …), which suits a Vietnamese question, where the question word stands where the answer
 * would ("Vì sao … bao nhiêu …").
 *
 * `english`: the question is English, so a Vietnamese cue typed without accents is an English word
 * ("What may cause …" does not ask "mấy"). Only then do the English cues count: in a Vietnamese
 * question "WHO" is the World Health Organization.
 */
export function expectationOf(
  question: string | readonly string[],
  options: { typedUnaccented?: boolean; firstCue?: boolean; english?: boolean } = {},
): Expectation | null {
  const typed = typeof question === "string" ? tokenize(question).map((t) => t.term) : [...question];
  const folded = typed.map(fold);
  const unaccented = !options.english && typed.every((word, i) => word === folded[i]);
  if (options.typedUnaccented) {
    folded.forEach((word, i) => {
      if (word === "may" && COUNTERS.has(typed[i + 1] ?? "")) typed[i] = "mấy";
    });
  }
  // "Sao món lẩu ở Phan Thiết lại gọi là lẩu thả?": why, as people say it.
  if (!options.english && folded[0] === "sao" && folded.indexOf("lai") > 1) return { type: "reason", units: null, grain: "any", noun: null, counted: [] };
  let first: { type: AnswerType; cue: string; at: number } | null = null;
  for (const [type, cues] of CUES) {
    for (const cue of cues) {
      const at = cueAt(cue, typed, folded, unaccented);
      if (at < 0) continue;
      // "Tỷ lệ … phù hợp với nhóm nào?", "số lượng … ra sao?": the noun names the topic; the
      // question word after it says what is asked.
      if (NOUN_CUES.has(cue) && asksOtherwise(folded)) continue;
      // "WHO đề cập bệnh gì?": in a Vietnamese question an English question word is a name.
      if (!options.english && ENGLISH_OPENERS.has(cue.split(" ")[0]!)) continue;
      // "Những ai dễ bị tiền sản giật?", "nhóm người nào": a kind of people, described, not named.
      if (type === "person" && namesAGroup(folded, at)) continue;
      if (!options.firstCue) return expectationAt(type, cue, at, typed, options);
      if (!first || at < first.at) first = { type, cue, at };
    }
  }
  if (first) return expectationAt(first.type, first.cue, first.at, typed, options);
  // "quận nào", "ca sĩ nào", "which city": the noun asked about.
  for (let i = 1; i < typed.length; i++) {
    if (folded[i] !== "nao" || (typed[i] !== "nào" && typed[i] !== "nao")) continue;
    const noun = typed[i - 1]!;
    // Two syllables are read by their letters too ("benh vien nao"); one would be ambiguous ("ho": hồ, hộ, họ).
    const compound = i >= 2 ? (TWO_SYLLABLE_PLACE_NOUNS.get(fold(`${typed[i - 2]} ${noun}`)) ?? `${typed[i - 2]} ${noun}`) : "";
    // "hồ thủy điện nào": a kind of place and what it is, named together ("hồ thủy điện Sê San 4").
    const long = i >= 3 && NAMED_KINDS.has(typed[i - 3]!) ? typed.slice(i - 3, i).join(" ") : null;
    if (long) return { type: "place", units: new Set([long]), grain: "any", noun: long, counted: [] };
    if (PLACE_NOUNS.has(noun) || PLACE_NOUNS.has(compound)) {
      const kind = [compound, noun].find((n) => NAMED_KINDS.has(n));
      return { type: "place", units: kind ? new Set([kind]) : null, grain: "any", noun: kind ?? null, counted: [] };
    }
    if ((PERSON_NOUNS.has(noun) && !namesAGroup(folded, i - 1)) || (PERSON_NOUNS.has(compound) && !namesAGroup(folded, i - 2))) {
      return { type: "person", units: null, grain: "any", noun: null, counted: [] };
    }
  }
  return null;
}

/**
 * The expectation of a question whose cue `cue` of type `type` stands at word `at`. An English
 * question's counted noun is an English word, which a Vietnamese answer does not write: only its
 * units are looked for.
 */
function expectationAt(type: AnswerType, cue: string, at: number, typed: string[], options: { typedUnaccented?: boolean; english?: boolean }): Expectation {
  const english = options.english ?? false;
  const after = typed[at + cue.split(" ").length];
  // "từ năm mấy tuổi": an age, not a year.
  if (type === "date" && fold(after ?? "") === "tuoi") return { type: "number", units: new Set(["tuổi"]), grain: "any", noun: null, counted: [] };
  const counted = type === "number" ? countedAfter(typed, at + cue.split(" ").length) : [];
  return {
    type,
    units: type === "number" ? unitsAround(typed, at, cue.split(" ").length, options.typedUnaccented ?? false) : null,
    grain: type === "date" ? grainOf(cue) : "any",
    noun: type !== "number" ? null : after && UNITS.has(after) ? after : english ? null : (counted[0]?.toLowerCase() ?? null),
    counted,
    anchor: anchorBefore(typed, at),
  };
}

/**
 * Whether a question word is a function word. One typed without accents is judged folded
 * ("nguoi"); an accented one as written ("đảng" is not "đang").
 */
function isFunctionWord(word: string): boolean {
  return isStopword(word) || (fold(word) === word && isStopword(word, true));
}

/** The last word before the cue that is not a function word ("dài" in "dài bao nhiêu", "bán" in "bán được bao nhiêu"). */
function anchorBefore(typed: string[], at: number): string | undefined {
  for (let i = at - 1; i >= 0 && i >= at - 3; i--) {
    const word = typed[i]!;
    if (!isFunctionWord(word)) return word.toLowerCase();
  }
  return undefined;
}

/** Words that open a clause after what is counted: "bao nhiêu điểm sau khi thắng". */
const CLAUSE_OPENERS = new Set(["sau", "trước", "ngoài", "giữa", "để", "nếu", "so"]);

/** Up to two words after the cue that name what is counted ("đảng viên"), stopping at a function word. */
function countedAfter(typed: string[], from: number): string[] {
  const words: string[] = [];
  for (let i = from; i < typed.length && words.length < 2; i++) {
    const word = typed[i]!;
    // "bao nhiêu 1 lít", "bao nhiêu mỗi tháng": a rate's "per", not what is counted.
    if (isFunctionWord(word) || CLAUSE_OPENERS.has(word.toLowerCase()) || /\d/.test(word) || ["một", "mỗi"].includes(word.toLowerCase())) break;
    words.push(word);
  }
  return words;
}

/**
 * The position of `cue` in the question, or -1. A cue that folds onto an ordinary word counts
 * typed without accents only in a question typed without any (`unaccented`): "không may"
 * (unlucky) in an accented question is not "mấy".
 */
function cueAt(cue: string, typed: string[], folded: string[], unaccented: boolean): number {
  const words = cue.split(" ");
  const exact = EXACT_CUES.get(cue);
  for (let i = 0; i + words.length <= folded.length; i++) {
    if (!words.every((w, k) => folded[i + k] === w)) continue;
    if (!exact) return i;
    const written = typed.slice(i, i + words.length).join(" ");
    if (written === exact || (written === cue && unaccented)) return i;
  }
  return -1;
}

/**
 * Words between what a question measures and its cue ("giá chỉ bao nhiêu", "cao khoảng bao
 * nhiêu", "giảm giá còn bao nhiêu"). Not every function word: "chi phí cho bao nhiêu ca" counts cases, "sốt cao đến bao nhiêu
 * độ" asks degrees, and "trẻ dưới một tuổi là bao nhiêu" no age.
 */
const FILLERS = new Set(["chỉ", "khoảng", "lên", "tầm", "chừng", "còn", "xuống"]);

/** The units a number must carry: the word after "bao nhiêu" ("bao nhiêu tuổi") or before it ("cao bao nhiêu"). */
function unitsAround(typed: string[], at: number, length: number, typedUnaccented: boolean): ReadonlySet<string> | null {
  const cue = fold(typed.slice(at, at + length).join(" "));
  // "bao nhiêu lâu": "bao lâu", as people say it.
  if (cue === "bao lau" || cue === "bao nhieu lau" || cue === "how long") return new Set(DURATION);
  if (cue === "bao xa" || cue === "how far") return new Set(LENGTH);
  if (cue === "how old") return new Set(["tuổi", "years"]);
  const after = typed[at + length];
  // Units of measure are strict ("bao nhiêu tuổi" is not answered by "45 người"); a counted noun is
  // not ("bao nhiêu xe" is answered by "400.000 chiếc", "bao nhiêu người" by "200 ca").
  // Typed without accents, the unit is read from its letters: "bao nhieu met" is "mét", whatever
  // accents the restoration guessed ("mệt").
  const fromAfter = after ? (QUESTION_UNITS.get(after) ?? (typedUnaccented ? FOLDED_QUESTION_UNITS.get(fold(after)) : undefined)) : undefined;
  if (fromAfter) return new Set(fromAfter);
  // "giá chỉ bao nhiêu", "cao khoảng bao nhiêu": what is measured may stand a word or two before the cue.
  let before = at - 1;
  while (before >= 0 && at - before <= 2 && FILLERS.has(typed[before]!.toLowerCase())) before--;
  const fromBefore = before >= 0 ? measured(typed, before) : undefined;
  if (fromBefore) return new Set(fromBefore);
  // "Doanh thu Vinamilk năm 2012 là bao nhiêu?", "Học phí … là bao nhiêu?": what is measured is
  // what the question is about, when its first two words name an amount of money ("8 năm" is no
  // revenue).
  const subject = typed.slice(0, 2).join(" ").toLowerCase();
  return typed[before]?.toLowerCase() === "là" && UNIT_OF_QUESTION.get(subject) === MONEY ? new Set(MONEY) : null;
}

/** The units of what the word at `i` measures, with the word before it ("doanh thu") or alone ("giá"). */
function measured(typed: string[], i: number): string[] | undefined {
  const word = typed[i]?.toLowerCase();
  if (word === undefined) return undefined;
  return (i > 0 ? UNIT_OF_QUESTION.get(`${typed[i - 1]!.toLowerCase()} ${word}`) : undefined) ?? UNIT_OF_QUESTION.get(word);
}

function grainOf(cue: string): Expectation["grain"] {
  if (/^(nam nao|nam hoc nao|nam may|nam bao nhieu|what year|which year|what century)$/.test(cue)) return "year";
  if (/^(ngay nao|ngay may|ngay bao nhieu|hom nao|what date|what day)$/.test(cue)) return "day";
  if (/^(may gio|gio nao|what time)$/.test(cue)) return "time";
  return "any";
}

// ── Finding an answer of a type in a passage ──────────────────────────────────────────────────

/** Words that follow a number as its unit ("400.000 chiếc", "3,5 tỷ đồng", "70 %"). */
const UNITS = new Set(
  (
    "người chiếc cái con ca bệnh nhân học sinh đồng usd vnd euro triệu tỷ tỉ nghìn ngàn trăm chục km m cm mm kg g tấn tạ " +
    "tệ won yên bảng baht rupee ringgit lít ml ha hecta mét gam tuổi năm tháng tuần ngày giờ tiếng phút giây thập kỷ kỉ niên hải lý lí lần độ phần trăm căn hộ xe " +
    "ô tô tàu máy bay ngôi nhà dự án công ty doanh nghiệp trường lớp liều mũi viên hạt cây héc ta mw kw kwh percent mẫu bước lượt " +
    "people million billion thousand hundred dollars years months days hours minutes times kilometres kilometers miles " +
    "metres meters tons tonnes percent cases deaths"
  ).split(" "),
);

/** Words that multiply a number, of any unit ("2 triệu người", "12 triệu USD"). */
const MULTIPLIERS = new Set(["nghìn", "ngàn", "triệu", "tỷ", "tỉ", "million", "billion", "k"]);

/**
 * Units that measure rather than count: money, time, length, weight, area, volume, speed,
 * temperature, shares and ages. A number in one of them is no count of people or things. Not the
 * multipliers ("triệu", "nghìn"), which count anything ("2 triệu người").
 */
const MEASURES = new Set(
  [
    ...MONEY.filter((unit) => !MULTIPLIERS.has(unit)),
    ...["đô", "$", "baht", "rupee", "ringgit", "nhân dân tệ"],
    ...["năm", "tháng", "tuần", "ngày", "giờ", "tiếng", "phút", "giây", "thế kỷ", "thập kỷ", "thập niên", "years", "months", "days", "hours", "minutes"],
    ...LENGTH,
    ...["kg", "g", "gam", "tấn", "tạ", "ký", "kí", "kilo", "ha", "hecta", "m2", "km2", "lít", "ml", "km/h", "độ", "%", "phần trăm", "nửa", "tuổi", "percent"],
  ].map((unit) => unit.toLowerCase()),
);

/** A unit of measure abbreviated in Latin letters after a number: "5.000 mAh", "67W", "12 GB", "6,7 inch". */
const ABBREVIATED_UNIT = /^ ?(?:[A-Z]{1,3}|[a-z]{0,2}[A-Z][a-z]{1,2}|inch|mah)(?![\p{L}\p{N}])/u;

/** Words that count things of one kind ("quả tim", "con bạch tuộc", "chiếc xe"). */
const CLASSIFIERS = new Set(["con", "chiếc", "cái", "quả", "trái", "ngôi", "tòa", "căn", "cuốn", "quyển", "tờ", "bức", "đôi", "cặp"]);

/** `MEASURES` by their letters: a question typed without accents names its unit so ("bao nhieu ki lo"). */
const FOLDED_MEASURES = new Set([...MEASURES].map(fold));

/** Whether a number's span carries a unit of measure (`MEASURES`): "39 phút", "12 triệu USD", "70%". */
function measures(span: string): boolean {
  const lower = span.toLowerCase();
  if (lower.includes("%")) return true;
  // The unit is the first word after the number and its multipliers: "12 triệu USD" is money,
  // "25.000 người ngày 27/4" people (the "ngày" is the date's).
  const words = (lower.match(/[\p{L}$]+(?:\/\p{L}+)?/gu) ?? []).filter((w, i, all) => !((NUMBER_WORDS.has(w) || UNIT_BOUND_NUMBER_WORDS.has(w)) && i < all.length - 1));
  const [unit, next] = words;
  return unit !== undefined && (MEASURES.has(unit) || MEASURES.has(unit.split("/")[0]!) || MEASURES.has(`${unit} ${next}`));
}

/** Folded words after "bao nhiêu" that ask for a share ("phần trăm", "tỷ lệ"), however the accents were restored. */
const SHARE_WORDS = new Set(["phan", "ty", "ti"]);

/** Whether a word is one a number is counted or measured in ("tuổi", "người", "km"). */
export function isUnitWord(word: string): boolean {
  return UNITS.has(word.toLowerCase());
}

/**
 * Number words that are a quantity only before a unit: "một năm", "ba người", "năm tuổi", "nửa
 * tháng", "vài ngày" (alone they are "a", "father", "year", "half", "a few").
 */
const UNIT_BOUND_NUMBER_WORDS = new Set(["một", "ba", "năm", "nửa", "vài", "mươi", "nhiều"]);

/** Number words that are quantities on their own ("hai người", "hàng trăm", "mười năm"). */
const NUMBER_WORDS = new Set(
  "hai bốn sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ tỉ chục rưỡi two three four five six seven eight nine ten hundred thousand million billion dozen".split(
    " ",
  ),
);

/**
 * The date patterns that cannot match a text without a digit (`\d` is [0-9], with the i and u
 * flags too): most sentences have none, and `dates` skips these there.
 */
const NEEDS_DIGIT = new Set<RegExp>();
const needsDigit = (pattern: RegExp) => (NEEDS_DIGIT.add(pattern), pattern);

const DATE_PATTERNS: RegExp[] = [
  // A day and a month that can be one: "15/18 tỉnh" is a share, not a date.
  needsDigit(/\b(?:0?[1-9]|[12]\d|3[01])\s*\/\s*(?:0?[1-9]|1[0-2])(?:\s*\/\s*\d{2,4})?\b/gu),
  needsDigit(/(?:ngày|hôm|đêm|sáng|trưa|chiều|tối)\s+(?:\d{1,2}|mồng\s+\d{1,2})(?:\s*(?:\/|tháng)\s*\d{1,2})?(?:\s*(?:\/|năm)\s*\d{4})?/giu),
  needsDigit(/tháng\s+\d{1,2}(?:\s*(?:\/|năm)\s*\d{4})?/giu),
  needsDigit(/(?:năm|từ|đến|vào|trong|cuối|đầu|giữa)\s+(?:1[0-9]|20)\d{2}\b/giu),
  needsDigit(/\b(?:1[5-9]|20)\d{2}\b/gu),
  // Years of a life or a reign, in brackets: "(1185-1226)".
  needsDigit(/\(\s*\d{3,4}\s*[-–]\s*\d{3,4}\s*\)/gu),
  // "9h30", "10 giờ 15 phút"; not the "12 h" of "12 hằng năm", nor the "4 giờ" of "ngày 28/4 giờ
  // địa phương".
  needsDigit(/(?<![\d/.,])\b\d{1,2}\s*(?:h|giờ)(?!\p{L})(?:\s*\d{1,2})?(?:\s*phút)?/giu),
  /(?:sáng|trưa|chiều|tối|đêm|rạng sáng)\s+(?:nay|qua|mai|hôm qua|hôm nay)/giu,
  /hôm\s+(?:nay|qua|kia)/giu,
  /(?:đầu|cuối|giữa)\s+(?:năm|tháng|tuần|thế kỷ)(?:\s+(?:nay|này|trước|sau|\d{1,4}))?/giu,
  /thế\s+kỷ\s+(?:[IVXLC]+|\d{1,2})/gu,
  /(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)/giu,
  /\b(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+\d{1,2})?(?:,?\s+\d{4})?/gu,
  needsDigit(/(?:những\s+)?năm\s+\d{2,4}/giu),
];

/** Words before a name that say it is a person ("ông Nguyễn Văn A", "bác sĩ Lan"). */
const PERSON_TITLES = new Set(
  "ông,bà,anh,chị,em,cô,chú,bác,cụ,thầy,chủ tịch,giám đốc,bác sĩ,bs,pgs,gs,ts,ths,ks,luật sư,nhà báo,nghệ sĩ,ca sĩ,tổng thống,thủ tướng,bộ trưởng,mr,mrs,ms,dr".split(","),
);
/** Words before a name that say it is a place ("tại Hà Nội", "huyện Hữu Lũng"). */
const PLACE_CUES = new Set(
  "tại,ở,thuộc,về,đến,tới,từ,tỉnh,huyện,xã,thị xã,thị trấn,thành phố,tp,quận,phường,thôn,bản,làng,nước,quốc gia,vùng,miền,bệnh viện,sông,núi,đảo,in,at,from,to,near".split(","),
);
/**
 * Words that open a reason ("vì", "do", "bởi", "nhờ", "nguyên nhân là", "because"). Not the
 * connectives that open a consequence ("vì vậy", "do đó", "nhờ thế": what follows is the effect),
 * nor "thay vì" (instead of) or a "vì sao" the text asks itself.
 */
const REASON_CUE =
  /(?<![\p{L}\p{N}])(?<!thay )(?:bởi vì|vì|do|bởi|nhờ|nguyên nhân (?:là|do)|lý do (?:là|do)|because|due to|since|as a result|để)(?![\p{L}\p{N}])(?! (?:vậy|thế|đó|sao)(?![\p{L}\p{N}]))/giu;

/**
 * Where, in `text`, the kind of answer the question asks for stands: the spans (offsets into
 * `text`) of numbers with their unit, dates, capitalised names, or reason clauses. Spans made only
 * of words the question itself wrote are left out: "năm 2019" is not the answer to "năm 2019 bán
 * được bao nhiêu xe?".
 */
export function answerCandidates(
  expectation: Expectation | AnswerType,
  text: string,
  questionTerms: ReadonlySet<string>,
  tokens: Token[] = tokenize(text),
): Span[] {
  const { type, units, grain } = typeof expectation === "string" ? { type: expectation, units: null, grain: "any" as const } : expectation;
  // A span must say something the question does not; a clause (a reason, an occasion) at least
  // half new words: "sau khi uống rượu bia" does not answer "đau đầu sau khi uống rượu khi nào?".
  let spans: Span[];
  switch (type) {
    case "number": {
      const counted = typeof expectation === "string" ? [] : expectation.counted;
      spans = numbers(text, tokens, new Set(counted.map((w) => w.toLowerCase())));
      // Most sentences hold no number: their dates are never looked for.
      const inDates = spans.length > 0 ? dates(text) : [];
      // A number inside a date is part of it when written with "/", or bare: the "1" of "tháng 1".
      spans = spans.filter(
        (n) => !inDates.some((d) => d.start <= n.start && n.end <= d.end && (text.slice(d.start, d.end).includes("/") || /^\d+$/.test(text.slice(n.start, n.end)))),
      );
      if (units) spans = spans.filter((n) => hasUnit(text.slice(n.start, n.end), units));
      spans = spans.filter((n) => !gluedToQuestion(text, n, questionTerms));
      // "bao nhiêu ca mắc", "có mấy con": a share or an age counts nothing ("tăng 30%", "31 tuổi"),
      // unless it is a share of what is counted ("60% loại nọc độc" for "bao nhiêu loại").
      const noun = typeof expectation === "string" ? null : expectation.noun;
      const share = counted.some((w) => SHARE_WORDS.has(fold(w)));
      // The span with the word after it, where the counted noun would stand ("28 điểm").
      const withNext = (n: Span) => text.slice(n.start, n.end + (noun?.length ?? 0) + 1).toLowerCase();
      // "mấy quả tim" is not answered by "một con bạch tuộc": a classifier counts its own kind.
      if (!units && noun && CLASSIFIERS.has(noun)) {
        spans = spans.filter((n) => {
          const own = withNext(n);
          return own.includes(noun) || !(own.match(/\p{L}+/gu) ?? []).some((w) => CLASSIFIERS.has(w));
        });
      }
      // Nor does a measure of something else: "39 phút" is no number of phones sold ("bao nhiêu
      // chiếc"), "12 triệu USD" no number of people ("bao nhiêu dân"). Not when the noun is itself a
      // measure ("bao nhiêu tỷ đồng").
      if (!units && noun && !share && !FOLDED_MEASURES.has(fold(noun))) {
        spans = spans.filter((n) => !(measures(text.slice(n.start, n.end)) || ABBREVIATED_UNIT.test(text.slice(n.end, n.end + 8))) || withNext(n).includes(noun));
      }
      break;
    }
    case "date":
      spans = dates(text).filter((d) => hasGrain(text.slice(d.start, d.end), grain));
      // "Khi nào cần dùng nẹp?", "uống trà lúc nào?": "when" is also a time of day, an age or an occasion.
      if (grain === "any") spans = [...spans, ...occasions(text).filter((span) => isFreshClause(tokens, questionTerms, span))].sort((a, b) => a.start - b.start);
      break;
    case "place":
      spans = names(text, tokens, PLACE_CUES).filter((span) => !namesPerson(text, tokens, span));
      if (units) spans = spans.filter((span) => ofKind(text, span, units));
      break;
    case "person":
      spans =
        typeof expectation !== "string" && expectation.identity
          ? descriptions(text, tokens, expectation.identity)
          : names(text, tokens, PERSON_TITLES).filter((span) => !afterPlaceKind(text, tokens, span));
      break;
    case "reason":
      spans = reasons(text).filter((span) => isFreshClause(tokens, questionTerms, span));
      break;
  }
  // A name the question itself writes, with a cue before it ("huyện Chư Păh" for a question about
  // Chư Păh), names nothing new.
  const named = (type === "place" || type === "person") && !(typeof expectation !== "string" && expectation.identity);
  // A quantity is not new for a new unit: "6 giờ" for "ngủ dưới 6 tiếng … tăng bao nhiêu?", the
  // "đợt 1" of "… đợt 1 có bao nhiêu người?". A share is new though its number is the question's:
  // "dưới 5%" for "… sống trên 5 năm?".
  const fresh = (span: Span) =>
    type === "number" && text.slice(span.start, span.end).includes("%")
      ? true
      : newWords(tokens, questionTerms, span).unseen > 0 && !(type === "number" && givenNumber(tokens, questionTerms, span));
  return spans.filter((span) => fresh(span) && !(named && ownName(text, tokens, questionTerms, span)));
}

// The helpers of `answerCandidates` are functions of the module, not closures made per call: it
// runs on every sentence read, and every closure made cost an `Object.defineProperty` (tsx keeps
// function names).

/** The tokens of a span, and how many of them (and what share) the question does not write. */
function newWords(tokens: Token[], questionTerms: ReadonlySet<string>, span: Span): { unseen: number; share: number } {
  const inside = tokens.filter((t) => t.start >= span.start && t.end <= span.end);
  const unseen = inside.filter((t) => !questionTerms.has(fold(t.term))).length;
  return { unseen, share: unseen / Math.max(1, inside.length) };
}

/** Whether a number's span counts with the question's own numbers only ("6 giờ" for a question that writes "6 tiếng"). */
function givenNumber(tokens: Token[], questionTerms: ReadonlySet<string>, span: Span): boolean {
  const numbers = tokens.filter((t) => t.start >= span.start && t.end <= span.end && /\d/.test(t.term));
  return numbers.length > 0 && numbers.every((t) => questionTerms.has(t.term));
}

/** A clause with at least half its words new. */
function isFreshClause(tokens: Token[], questionTerms: ReadonlySet<string>, span: Span): boolean {
  const { unseen, share } = newWords(tokens, questionTerms, span);
  return unseen > 0 && share >= 0.5;
}

/** Whether every capitalised word of a span is one the question writes. */
function ownName(text: string, tokens: Token[], questionTerms: ReadonlySet<string>, span: Span): boolean {
  return tokens.filter((t) => t.start >= span.start && t.end <= span.end && /^\p{Lu}/u.test(text.slice(t.start, t.end))).every((t) => questionTerms.has(fold(t.term)));
}

/**
 * Whether a number is glued by "/" or "-" to a number the question writes: "Nghị định 91/2020"
 * for a question about "nghị định 91" is its name, and "2020" is not what it asks.
 */
function gluedToQuestion(text: string, span: Span, questionTerms: ReadonlySet<string>): boolean {
  const before = /(\d+)[/-]$/u.exec(text.slice(Math.max(0, span.start - 12), span.start))?.[1];
  const after = /^[/-](\d+)/u.exec(text.slice(span.end, span.end + 12))?.[1];
  // A range from or to it: "8 năm liền (2012-2020)" says nothing of "năm 2012".
  const range = /^(\d+)\s?[-–]\s?(\d+)/u.exec(text.slice(span.start, span.end));
  return [before, after, range?.[1], range?.[2]].some((number) => number !== undefined && questionTerms.has(number));
}

/** Whether a place is of one of the kinds asked: "xã Ia Phí", or "Nhật Nguyệt" after "hồ". */
function ofKind(text: string, span: Span, kinds: ReadonlySet<string>): boolean {
  // Compared in one spelling: the question's "thuỷ" is the article's "thủy".
  const keyed = (s: string) => s.toLowerCase().replace(/\p{L}+/gu, spellingKey);
  const own = keyed(text.slice(span.start, span.end));
  return [...kinds].some((kind) => {
    // "Bệnh viện đa khoa tỉnh Phú Thọ": an institution's kind may stand a few words before the name.
    const gap = DESCRIBED_KINDS.has(kind) ? "(?:\\s+\\p{L}+){0,3}" : "";
    const before = keyed(text.slice(Math.max(0, span.start - kind.length - (gap ? 30 : 3)), span.start));
    return own.startsWith(`${kind} `) || new RegExp(`(?:^|\\s)${kind}${gap}\\s+$`, "iu").test(before);
  });
}

/** Kinds whose name news writes after a description: "Bệnh viện đa khoa tỉnh Phú Thọ", "Bệnh viện Nhi Trung ương". */
const DESCRIBED_KINDS = new Set(["bệnh viện"]);

/** Whether a number's span carries one of the units ("45 tuổi", "324 m", "70%"). */
function hasUnit(span: string, units: ReadonlySet<string>): boolean {
  const lower = span.toLowerCase();
  if (units.has("%") && lower.includes("%")) return true;
  const words = lower.match(/[\p{L}%]+/gu) ?? [];
  return words.some((w) => units.has(w)) || [...units].some((u) => /[\s/]/u.test(u) && lower.includes(u));
}

/** Whether a date expression is as precise as asked: a year for "năm nào", a day for "ngày nào". */
function hasGrain(span: string, grain: Expectation["grain"]): boolean {
  switch (grain) {
    case "year":
      return /\b(?:1[0-9]|20)\d{2}\b|thế\s+kỷ/iu.test(span);
    case "day":
      return /\d{1,2}\s*\/\s*\d{1,2}|ngày\s+\d|hôm|thứ|chủ\s+nhật|January|February|March|April|May|June|July|August|September|October|November|December/iu.test(span);
    case "time":
      return /\d\s*(?:h|giờ)|sáng|trưa|chiều|tối|đêm/iu.test(span);
    default:
      return true;
  }
}

/**
 * Numbers (with digits, or number words) followed by up to three unit words, and ordinals ("thứ
 * ba"). `counted`: the words the question counts ("bao nhiêu hoàng tử"), units too here.
 */
function numbers(text: string, tokens: Token[], counted: ReadonlySet<string> = new Set()): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const digits = /\d/.test(token.term);
    // Lower-cased once: most tokens are neither digits nor number words, and this is all they cost.
    const lower = digits ? "" : token.term.toLowerCase();
    const bound = !digits && UNIT_BOUND_NUMBER_WORDS.has(lower);
    if (!digits && !bound && !NUMBER_WORDS.has(lower)) continue;
    // "triệu phú", "tỷ phú": a millionaire, not a million.
    if (!digits && tokens[i + 1]?.term.toLowerCase() === "phú") continue;
    if (bound && !unitFollows(text, tokens, i, counted)) continue;
    // "năm 2019" is a date, not a quantity; "H6" is a name.
    if (digits && /^(?:1[5-9]|20)\d{2}$/.test(token.term) && /năm\s*$/iu.test(text.slice(Math.max(0, token.start - 6), token.start))) continue;
    if (digits && /\p{L}/u.test(token.term) && !/^\d+(?:[.,]\d+)*(?:%|k|m|km|kg|ha|h)?$/u.test(token.term)) continue;
    // "Covid-19", "MH-17", "Nghị quyết 07-NQ/TU": a number hyphened to a word is part of its name.
    if (digits && (/\p{L}-$/u.test(text.slice(Math.max(0, token.start - 2), token.start)) || /^-\p{L}/u.test(text.slice(token.end, token.end + 2)))) continue;
    // "RON 92", "U23 2022": a bare number after an acronym is part of a name ("USD 100" is money,
    // "TP HCM 12 ca" a count: it has its unit).
    const previous = tokens[i - 1];
    const afterAcronym = digits && !!previous && /^[^\S\n]$/.test(text.slice(previous.end, token.start)) && /^\p{Lu}{2,}\d*$/u.test(text.slice(previous.start, previous.end)) && !UNITS.has(previous.term);
    let end = token.end;
    if (text[end] === "%") end++;
    let k = i + 1;
    // A range: "200-300 đồng", "55,1 - 55,65 triệu đồng".
    const next = tokens[k];
    if (digits && next && /\d/.test(next.term) && /^\s?[-–]\s?$/.test(text.slice(end, next.start))) {
      end = next.end;
      k++;
    }
    // "một nửa": a half, the word with it.
    const half = (word: string) => k === i + 1 && lower === "một" && word === "nửa";
    // "25.000 người ngày 27/4": the "ngày" opens a date, it is no unit.
    const opensDate = (at: number) => /^(?:ngày|tháng|năm)$/iu.test(tokens[at]!.term) && /^\d/.test(tokens[at + 1]?.term ?? "") && k > i + 1;
    while (
      k < tokens.length &&
      !opensDate(k) &&
      k <= i + 3 &&
      /^[^\S\n]*$/.test(text.slice(tokens[k - 1]!.end, tokens[k]!.start)) &&
      (isUnit(tokens[k]!.term.toLowerCase(), counted) || NUMBER_WORDS.has(tokens[k]!.term) || half(tokens[k]!.term.toLowerCase()))
    ) {
      end = tokens[k]!.end;
      k++;
    }
    // A rate: "đồng/lít", "km/h".
    const per = /^\/(\p{Ll}{1,6})(?![\p{L}\p{N}])/u.exec(text.slice(end));
    if (end > token.end && per) end += per[0].length;
    if (text.slice(end).startsWith(" %") || text[end] === "%") end = text.indexOf("%", end) + 1;
    if (afterAcronym && end === token.end) continue;
    else if (/năm$/iu.test(text.slice(token.start, end)) && /^ ánh sáng/iu.test(text.slice(end))) end += " ánh sáng".length;
    // "ở tuổi 39", "tuần thứ 36", "thế kỷ 19", "thứ ba": the unit or the ordinal written before the number.
    const before = /(?:tuổi|thế kỷ|(?:(?:tuần|tháng|ngày|năm|lần) )?thứ)\s+$/iu.exec(text.slice(Math.max(0, token.start - 12), token.start));
    spans.push({ start: before ? token.start - before[0].length : token.start, end });
    i = k - 1;
  }
  return spans;
}

/** A unit word, or a word the question counts. */
function isUnit(word: string, counted: ReadonlySet<string>): boolean {
  return UNITS.has(word) || counted.has(word);
}

/** Whether a unit word (or another number word and then one) follows token `i`: "một năm", "hai mươi người". */
function unitFollows(text: string, tokens: Token[], i: number, counted: ReadonlySet<string>): boolean {
  // "thứ ba": an ordinal.
  if (/thứ\s+$/iu.test(text.slice(Math.max(0, tokens[i]!.start - 5), tokens[i]!.start))) return true;
  for (let k = i + 1; k < tokens.length && k <= i + 2; k++) {
    if (!/^[^\S\n]+$/.test(text.slice(tokens[k - 1]!.end, tokens[k]!.start))) return false;
    const word = tokens[k]!.term.toLowerCase();
    // "một nửa": half, a quantity on its own.
    if (isUnit(word, counted) || (word === "nửa" && tokens[i]!.term.toLowerCase() === "một")) return true;
    if (!NUMBER_WORDS.has(word) && !UNIT_BOUND_NUMBER_WORDS.has(word)) return false;
  }
  return false;
}

/** Date and time expressions, longest first where they overlap. */
function dates(text: string): Span[] {
  const found: Span[] = [];
  const digits = /[0-9]/.test(text);
  for (const pattern of DATE_PATTERNS) {
    if (!digits && NEEDS_DIGIT.has(pattern)) continue;
    eachMatch(text, pattern, (start, length) => found.push({ start, end: start + length }));
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  for (const span of found) {
    const last = kept.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else kept.push({ ...span });
  }
  return kept;
}

/**
 * Capitalised runs ("Nguyễn Văn An", "Hữu Lũng", "WHO"): a run of two or more capitalised
 * syllables, an acronym, or one capitalised syllable after a cue word ("ông Sa", "tại Huế"). The
 * first word of the text is a name only after a cue: every sentence starts with a capital.
 * A cue word just before the run is taken in ("huyện Hữu Lũng", "bác sĩ Lan").
 */
function names(text: string, tokens: Token[], cues: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!capitalised(text, tokens[i]!)) continue;
    let k = i;
    for (;;) {
      if (k + 1 < tokens.length && capitalised(text, tokens[k + 1]!) && (joined(text, tokens[k]!, tokens[k + 1]!) || elided(text, tokens[k]!, tokens[k + 1]!))) k++;
      // "Denis de Trobriand", "Ludwig van Beethoven": a particle inside the name.
      else if (k + 2 < tokens.length && NAME_PARTICLES.has(tokens[k + 1]!.term) && capitalised(text, tokens[k + 2]!) && joined(text, tokens[k]!, tokens[k + 1]!) && joined(text, tokens[k + 1]!, tokens[k + 2]!)) k += 2;
      else break;
    }
    const first = tokens[i]!;
    const word = text.slice(first.start, first.end);
    const acronym = k === i && /^\p{Lu}{2,}\d*$/u.test(word);
    const sentenceStart = opensSentence(text, tokens, i);
    const cueBefore = previousCue(text, tokens, i, cues);
    const long = k > i && !(sentenceStart && k === i + 1 && !cueBefore);
    if (long || acronym || cueBefore) spans.push({ start: cueBefore?.start ?? first.start, end: tokens[k]!.end });
    i = k;
  }
  return spans;
}

/**
 * Words that say what someone is, in the words before a name ("tay vợt Kiki Bertens", "ngôi sao
 * truyền hình thực tế Zara McDermott"), folded: any of them, one or two syllables.
 */
export const ROLE_WORDS = new Set(
  (
    "ong,ba,anh,chi,em,co,chu,bac,cu,thay,nha,chu tich,giam doc,bac si,giao su,tien si,thac si,ky su,luat su,nha bao,nghe si,ca si,nhac si," +
    "tong thong,thu tuong,bo truong,thu truong,bi thu,dai su,nghi si,thuong nghi si,nha vua,nu hoang,hoang tu,cong chua,tuong,si quan," +
    "cau thu,tien ve,tien dao,hau ve,thu mon,thu thanh,tay vot,tay dua,vo si,van dong vien,tuyen thu,danh thu,hlv,huan luyen vien," +
    "dien vien,dao dien,nguoi mau,ngoi sao,nguoi dep,hoa hau,a hau,my nhan,rapper,youtuber,blogger,streamer,tiktoker,mc," +
    "ty phu,doanh nhan,nha sang lap,ceo,chuyen gia,nha khoa hoc,nha nghien cuu,nha van,nha tho,hoa si,kien truc su,phi hanh gia," +
    "giao vien,hieu truong,hoc sinh,sinh vien,nu sinh,nam sinh,benh nhan,dieu duong,y ta,canh sat,diep vien,phat ngon vien"
  ).split(","),
);

/** Words before a name that make it someone's, as written ("bờ sông" is no "bố"): "bạn trai Nick Cannon", "vợ Tan Cheng Hoe". */
const KIN = new Set(["bạn trai", "bạn gái", "vợ", "chồng", "con trai", "con gái", "bố", "mẹ", "cha", "ông xã", "bà xã", "người yêu"]);
/** Words that open the name of an institution or a place, folded: "Bệnh viện Quận 2", "UBND tỉnh", "Sở Y tế". */
const INSTITUTIONS = new Set(
  "benh vien,truong,cong ty,tap doan,ngan hang,so,bo,ubnd,hdnd,vien,trung tam,dai hoc,hoc vien,quan,huyen,tinh,xa,phuong,thanh pho,tp,cuc,tong cuc,chi cuc,ban,hoi,quy,doi,clb".split(","),
);

/** Role words that are also ordinary words or places before a name: "nhà Trắng", "tướng". */
const NOT_ONLY_ROLES = new Set(["nha", "tuong", "hoc sinh", "sinh vien"]);

/** Kinds of place news writes before a place's name, and "ở", "tại": "huyện Bình Xuyên", "khu vực Nam Thái Bình Dương" are no one. */
const PLACE_KINDS = new Set(
  ["tỉnh", "huyện", "xã", "thị xã", "thị trấn", "thành phố", "tp", "quận", "phường", "thôn", "bản", "làng", "ấp", "nước", "quốc gia", "vùng", "miền", "khu vực", "châu", "sông", "núi", "đảo", "hồ", "đường", "phố", "ở", "tại"],
);

/** The position of the first token of a span (−1 when none starts in or after it). */
function firstTokenOf(tokens: Token[], span: Span): number {
  return tokens.findIndex((t) => t.start >= span.start);
}

/** Whether a name found as a person's stands right after a kind of place ("huyện Bình Xuyên"). */
function afterPlaceKind(text: string, tokens: Token[], span: Span): boolean {
  const i = firstTokenOf(tokens, span);
  return i >= 0 && previousCue(text, tokens, i, PLACE_KINDS) !== null;
}

/**
 * Words (one or two, as tokens write them) that say a name is a person's: a title or a role, or
 * a kin word. Titles of address are matched as written ("cô", not "có").
 */
const PERSON_BEFORE = {
  has(written: string): boolean {
    const folded = fold(written);
    return PERSON_TITLES.has(written) || KIN.has(written) || (ROLE_WORDS.has(folded) && !HONORIFICS.has(folded) && !NOT_ONLY_ROLES.has(folded));
  },
};

/**
 * Whether a name found as a place is a person's: it opens with a title or a role ("HLV Park Hang
 * Seo", "Ông Nguyễn Văn A"), or one stands right before it ("bạn trai Nick Cannon", "diễn viên
 * Andra Day").
 */
function namesPerson(text: string, tokens: Token[], span: Span): boolean {
  const i = firstTokenOf(tokens, span);
  if (i < 0) return false;
  const first = tokens[i]!;
  const second = tokens[i + 1];
  const opening = second && joined(text, first, second) ? `${first.term} ${second.term}` : null;
  if (PERSON_BEFORE.has(first.term) || (opening !== null && PERSON_BEFORE.has(opening))) return true;
  // "Giám đốc Bệnh viện Quận 2": a role before an institution is not before a person.
  if (INSTITUTIONS.has(fold(first.term)) || (second && INSTITUTIONS.has(fold(`${first.term} ${second.term}`)))) return false;
  return previousCue(text, tokens, i, PERSON_BEFORE) !== null;
}

/** Titles of address, which say nothing of what someone is ("ông", "chị"). */
const HONORIFICS = new Set(["ong", "ba", "anh", "chi", "em", "co", "chu", "bac", "cu", "thay"]);

/** Words before a role that belong to it: "nữ diễn viên", "cựu HLV", "Tổng Bí thư", "Phó Chủ tịch". */
const ROLE_MODIFIERS = new Set(["nu", "nam", "cuu", "tan", "co", "danh", "sieu", "tong", "pho"]);

/** Words that end a description before a name: "giữa Kiki Bertens và …" describes no one. */
const NOT_DESCRIBING = new Set(["giua", "va", "voi", "cua", "cho", "boi", "hay", "hoac", "thay", "nhu", "la"]);

/**
 * Where `text` says who the person named `subject` (folded syllables) is: the words before the
 * name in its clause when they hold a role ("Tay vợt Kiki Bertens"), what follows "<name> là"
 * ("Chanathip là cầu thủ Đông Nam Á thành công nhất …"), or an apposition ("Jason Rabinowitz, một
 * blogger chuyên về hàng không,"). Each span takes the name in.
 */
function descriptions(text: string, tokens: Token[], subject: readonly string[]): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i + subject.length <= tokens.length; i++) {
    if (!subject.every((s, k) => fold(tokens[i + k]!.term) === s)) continue;
    const last = i + subject.length - 1;
    // Before: the lower-case words of its clause (a capital only to open the sentence).
    let from = i;
    while (from > 0 && i - from < 6 && /^[^\S\n]+$/.test(text.slice(tokens[from - 1]!.end, tokens[from]!.start))) {
      const word = fold(tokens[from - 1]!.term);
      // A role is often written in title case: "Tổng Bí thư", "Bộ trưởng".
      const titled = ROLE_WORDS.has(word) || ROLE_MODIFIERS.has(word) || ROLE_WORDS.has(`${word} ${fold(tokens[from]!.term)}`);
      if (NOT_DESCRIBING.has(word) || (capitalised(text, tokens[from - 1]!) && !opensSentence(text, tokens, from - 1) && !titled)) break;
      from--;
    }
    const before = tokens.slice(from, i).map((t) => fold(t.term));
    // From the role nearest the name on ("khiêm tốn nhưng nữ diễn viên Vanessa Kirby": "nữ diễn
    // viên Vanessa Kirby"; "Ông chúc mừng Tổng Bí thư Nguyễn Phú Trọng": "Tổng Bí thư …"), a
    // two-word role before a one-word one ("thủ tướng", not its "tướng").
    let at = -1;
    for (let k = before.length - 1; k >= 0 && at < 0; k--) {
      if (k > 0 && ROLE_WORDS.has(`${before[k - 1]} ${before[k]}`)) at = k - 1;
      else if (ROLE_WORDS.has(before[k]!)) at = k;
    }
    // "Ông Kim Nhật Thành" says no more than the name.
    const role = at >= 0 && !(before.length - at === 1 && HONORIFICS.has(before[at]!));
    if (role && at > 0 && ROLE_MODIFIERS.has(before[at - 1]!)) at--;
    if (role) spans.push({ start: tokens[from + at]!.start, end: tokens[last]!.end });
    // After: "<name> là …" or "<name>, …," to the end of the clause; not a clause that goes on
    // with something else ("… Nguyễn Phú Trọng, nhất là những đổi thay …", "…, và …").
    const after = text.slice(tokens[last]!.end);
    // Not where the name is a complement: "mục tiêu của HLV Park Hang Seo là giành 6 điểm".
    const complement = from > 0 && NOT_DESCRIBING.has(fold(tokens[from - 1]!.term));
    const told = complement ? null : /^(?:\s+sinh năm \d{4},?)?(?:\s+(?:từng |hiện |vốn )?là\s+|,\s+(?=\p{Ll})(?!(?:nhất là|đặc biệt|và|nhưng|song|còn|rồi|thì|mà|trong|khi|sau|trước|cho|để|với|vì|do|nên|cũng|đã|sẽ|đang)\s))([^.;!?\n,]{6,120})/u.exec(after);
    if (told) spans.push({ start: tokens[i]!.start, end: tokens[last]!.end + told[0].length });
  }
  return spans;
}

/** Whether token `i` opens a sentence (the text's first, or after ".", "!", "?", "…" or ":"): its capital says nothing. */
function opensSentence(text: string, tokens: Token[], i: number): boolean {
  return i === 0 || /[.!?…:]["”')\]]*\s*$/u.test(text.slice(Math.max(0, tokens[i]!.start - 4), tokens[i]!.start));
}

/** The cue word (one or two syllables) right before token `i`, if any. */
function previousCue(text: string, tokens: Token[], i: number, cues: Pick<ReadonlySet<string>, "has">): Span | null {
  const one = tokens[i - 1];
  const two = tokens[i - 2];
  if (one && two && spacedBefore(text, two, one) && spacedBefore(text, one, tokens[i]!) && cues.has(`${two.term} ${one.term}`)) return { start: two.start, end: one.end };
  if (one && spacedBefore(text, one, tokens[i]!) && cues.has(one.term)) return { start: one.start, end: one.end };
  return null;
}

/** Lower-case words inside Western names: "Denis de Trobriand", "Vincent van Gogh", "Osama bin Laden". */
const NAME_PARTICLES = new Set(["de", "van", "von", "der", "den", "del", "della", "dos", "das", "da", "di", "du", "la", "le", "bin", "ibn", "al"]);

/** Whether a token is written with a capital. */
function capitalised(text: string, t: Token): boolean {
  return /^\p{Lu}/u.test(text.slice(t.start, t.end));
}

/** Whether only spaces (no line break) or one hyphen stand between two tokens of a name. */
function joined(text: string, a: Token, b: Token): boolean {
  return /^[^\S\n]+$|^-$/.test(text.slice(a.end, b.start));
}

/** An elided prefix of a name, an apostrophe apart: the "O" of "O'Neill", the "D" of "D'Angelo", the "N" of "N'Golo". */
function elided(text: string, a: Token, b: Token): boolean {
  return a.end - a.start === 1 && /^['’]$/.test(text.slice(a.end, b.start));
}

/** Whether only spaces (no line break) stand between two tokens. */
function spacedBefore(text: string, a: Token | undefined, b: Token): boolean {
  return !!a && /^[^\S\n]+$/.test(text.slice(a.end, b.start));
}

/** Times of day and ages: "vào ban đêm", "buổi sáng", "lúc 16 tuổi", "từ 2-3 tháng tuổi". */
const TIME_OF_DAY =
  /(?<![\p{L}\p{N}])(?:ban (?:ngày|đêm)|buổi (?:sáng|trưa|chiều|tối)|sáng sớm|nửa đêm|đêm khuya|giờ cao điểm|(?:lúc|khi|năm|từ) \d{1,3}(?:\s?[-–]\s?\d{1,3})? (?:tháng |tuần )?tuổi|(?:ở|lúc) tuổi \d{1,3}|in the (?:morning|afternoon|evening)|at night)(?![\p{L}\p{N}])/giu;
/** Words that open an occasion clause ("sau khi ăn", "nếu để lâu", "before dinner"). */
const OCCASION_CUE =
  /(?<![\p{L}\p{N}])(?:sau khi|trước khi|ngay khi|mỗi khi|trong khi|từ khi|khi|nếu|after|before|once|whenever|when|if)(?![\p{L}\p{N}])/giu;

/** Times of day, ages and occasion clauses (to the end of their clause): answers to "khi nào" that are not dates. */
function occasions(text: string): Span[] {
  const spans: Span[] = [];
  eachMatch(text, TIME_OF_DAY, (start, length) => spans.push({ start, end: start + length }));
  return [...spans, ...clauses(text, OCCASION_CUE)];
}

/** From each cue word to the end of its clause. */
function clauses(text: string, cue: RegExp): Span[] {
  const spans: Span[] = [];
  eachMatch(text, cue, (start, length) => {
    if (spans.length > 0 && start < spans.at(-1)!.end) return;
    const rest = text.slice(start);
    const stop = rest.search(/[.;!?\n]|,\s+(?:nhưng|song|tuy)/u);
    const end = start + (stop < 0 ? rest.length : stop);
    if (end - start > length + 2) spans.push({ start, end });
  });
  return spans;
}

/** A reason clause: from a cue word ("vì", "do", "because") to the end of its clause, or the clause a "nên" follows. */
function reasons(text: string): Span[] {
  const spans = clauses(text, REASON_CUE);
  eachMatch(text, CONSEQUENCE_CUE, (start) => {
    const before = text.slice(0, start);
    const from = Math.max(before.search(/[^.;:!?\n,]*$/u), 0);
    const clause = text.slice(from, start).trim();
    const words = clause.split(/\s+/u);
    if (words.length < 4 || NOT_CONSEQUENCE.has(words.at(-1)!.toLowerCase()) || ADVICE.test(clause)) return;
    const at = from + text.slice(from, start).indexOf(clause);
    if (!spans.some((s) => s.start < at + clause.length && at < s.end)) spans.push({ start: at, end: at + clause.length });
  });
  return spans.sort((a, b) => a.start - b.start);
}

/** "… nên …", "… cho nên …": what comes before is the reason ("Thành phố đã dừng phố đi bộ nên người dân…"). */
const CONSEQUENCE_CUE = /(?<![\p{L}\p{N}])(?:cho )?nên(?![\p{L}\p{N}])/giu;
/** Verbs after which a "nên" is advice ("Bác sĩ khuyên nam bệnh nhân nên …"), not a consequence. */
const ADVICE = /(?<![\p{L}])(?:khuyên|khuyến cáo|khuyến nghị|đề nghị|yêu cầu|nhắc|dặn|cho rằng|nghĩ)(?![\p{L}])/iu;
/** Words before a "nên" that make it "should" ("không nên", "bạn nên"), not "so". */
const NOT_CONSEQUENCE = new Set(["không", "cũng", "vẫn", "thì", "bạn", "ta", "mình", "chúng", "cần", "rất", "càng", "chẳng", "chưa", "đâu", "có", "người", "họ", "em", "anh", "chị", "tôi", "ai", "mẹ", "bố", "trẻ", "gì", "nào"]);
