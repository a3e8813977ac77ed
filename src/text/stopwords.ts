import { fold, spellingKey } from "./vietnamese";

/**
 * Question words and function words: they say how something is asked, not what about.
 * They still count in BM25 (idf keeps them cheap) but not in coverage, the share of a
 * question that the best article must contain for an answer to be given.
 */
const VIETNAMESE = `
ai gì nào đâu sao mấy bao nhiêu giờ khi lúc nơi thế vì tại hay hoặc không chưa có là được bị
của và với cho các những một này đó kia ấy thì mà nên rằng ở trong trên dưới tới đến từ theo về
như cũng đã đang sẽ còn rất nhất lại ra vào làm người việc điều năm ngày bạn tôi hãy xin cho biết
`;
const ENGLISH = `
the a an of to in on at by for from with about into over is are was were be been being do does did
what who whom whose which when where why how many much and or not no this that these those it its
there their they he she his her you your i me my we our can could should would will shall may might
tell please
`;

const WORDS = new Set([...VIETNAMESE.split(/\s+/), ...ENGLISH.split(/\s+/)].filter(Boolean).map(spellingKey));
const FOLDED = new Set([...WORDS].map(fold));

/** True for a syllable that carries no topic (accent-insensitive for unaccented input). */
export function isStopword(syllable: string, unaccented = false): boolean {
  return unaccented ? FOLDED.has(fold(syllable)) : WORDS.has(syllable);
}
