/**
 * Telex, the way most Vietnamese type: a syllable is typed as its base letters, a letter after a
 * vowel for its shape ("aa" â, "aw" ă, "ee" ê, "oo" ô, "ow" ơ, "uw" ư, "dd" đ) and a letter for its
 * tone ("s" sắc, "f" huyền, "r" hỏi, "x" ngã, "j" nặng). Typed fast, the letters come out of order
 * or the marks are left as letters when the keyboard is off: "sahcj" is "sạch", "pahst" is "phát",
 * "gnuy" is "nguy". Such a word has the same letters as the Telex typing of the syllable meant.
 */

/** Shape marks (combining, after NFD) and the letters Telex types them with after the vowel. */
const SHAPE_MARKS: Readonly<Record<string, (vowel: string) => string>> = {
  "\u0302": (vowel) => vowel + vowel, // â ê ô: "aa", "ee", "oo"
  "\u0306": (vowel) => `${vowel}w`, // ă: "aw"
  "\u031b": (vowel) => `${vowel}w`, // ơ ư: "ow", "uw"
};
const TONES: Readonly<Record<string, string>> = { "\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j" };
const TONE_LETTERS = "sfrxj";

/** The letters of a syllable's Telex typing, sorted ("sạch" → "achjs"): the same whatever order they were typed in. */
export function telexLetters(syllable: string): string {
  let letters = "";
  for (const char of syllable.toLowerCase().normalize("NFC")) {
    if (char === "đ") {
      letters += "dd";
      continue;
    }
    const [base, ...marks] = char.normalize("NFD");
    let shaped = base!;
    let tone = "";
    for (const mark of marks) {
      const shape = SHAPE_MARKS[mark];
      if (shape) shaped = shape(base!);
      else tone += TONES[mark] ?? "";
    }
    letters += shaped + tone;
  }
  return sortLetters(letters);
}

/** The letters of a word, sorted. */
export function sortLetters(word: string): string {
  return [...word].sort().join("");
}

/**
 * Whether a word may be a syllable typed in Telex with its marks left as letters: 4 to 10 plain
 * letters, one of them a mark ("w", "f", "j", "x", "z", or an "s" or "r" after the first letter,
 * where no syllable writes them). "Shiba", "Inu" and "Kirby" are names, not Telex.
 */
export function looksTelex(word: string): boolean {
  return /^[a-z]{4,10}$/.test(word) && (/[wfjxz]/.test(word) || /^.+[sr]/.test(word));
}

/**
 * The accent-folded syllables a word typed in Telex, in any letter order, may stand for: its
 * letters less one tone letter (or none) and less its shape marks ("w", one of a doubled vowel or
 * "d"), in every order (`looksTelex` words only).
 */
export function* telexFoldedReadings(word: string): Generator<string> {
  const typed = word.toLowerCase();
  if (!looksTelex(typed)) return;
  const seen = new Set<string>();
  const tones = ["", ...new Set([...typed].filter((c) => TONE_LETTERS.includes(c)))];
  for (const tone of tones) {
    let rest = tone ? typed.replace(tone, "") : typed;
    rest = rest.replaceAll("w", "");
    for (const base of withoutShapeDoubles(rest)) {
      const key = sortLetters(base);
      // Syllables of up to six letters ("nguyên", "trường"; the seven of "nghiêng" are rare): each
      // more letter multiplies the orders to try, 720 at six, 5,040 at seven.
      if (base.length > 6 || seen.has(key)) continue;
      seen.add(key);
      yield* permutations(base);
    }
  }
}

/** The word, and the word with one letter of each doubled "a", "e", "o", "d" taken off (a shape mark). */
function withoutShapeDoubles(word: string): string[] {
  let forms = [word];
  for (const letter of "aeod") {
    forms = forms.flatMap((form) => ([...form].filter((c) => c === letter).length >= 2 ? [form, form.replace(letter, "")] : [form]));
  }
  return forms;
}

/** Every distinct order of a word's letters. */
function* permutations(word: string): Generator<string> {
  const letters = [...word].sort();
  const used = new Array<boolean>(letters.length).fill(false);
  const out: string[] = [];
  function* walk(): Generator<string> {
    if (out.length === letters.length) {
      yield out.join("");
      return;
    }
    for (let i = 0; i < letters.length; i++) {
      if (used[i] || (i > 0 && letters[i] === letters[i - 1] && !used[i - 1])) continue;
      used[i] = true;
      out.push(letters[i]!);
      yield* walk();
      out.pop();
      used[i] = false;
    }
  }
  yield* walk();
}
