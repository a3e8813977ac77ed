import type { Language } from "../domain/types";

/** User-facing sentences of the answer layer, in Vietnamese (default) and English. */
const STRINGS = {
  vi: {
    notFound: "Không tìm thấy câu trả lời cho câu hỏi này trong kho bài viết.",
    nearest: "Các bài gần nhất:",
    sources: "Nguồn",
    noDate: "không rõ ngày",
    asOf: (date: string) => `Theo bài viết mới nhất có câu trả lời, ngày ${date}:`,
    outdated: (date: string) => `Chưa có bài viết nào trong hai ngày qua trả lời câu hỏi này. Bài gần nhất có câu trả lời đăng ngày ${date}.`,
  },
  en: {
    notFound: "No answer to this question was found in the articles.",
    nearest: "Nearest articles:",
    sources: "Sources",
    noDate: "undated",
    asOf: (date: string) => `As of ${date}, the newest article with an answer:`,
    outdated: (date: string) => `No article of the last two days answers this question. The latest one that does was published on ${date}.`,
  },
} as const;

export type AnswerStrings = (typeof STRINGS)[Language];

export function strings(language: Language): AnswerStrings {
  return STRINGS[language];
}
