import type { Language } from "../domain/types";

/**
 * Every sentence the bot says, in Vietnamese (the default) and English.
 *
 * Values are Telegram HTML fragments: arguments passed in must already be escaped
 * (see `escapeHtml` in `./format`). Functions take numbers or escaped strings only.
 */
const VI = {
  // Conversation
  error: "Xin lỗi, đã có lỗi khi trả lời. Vui lòng thử lại sau ít phút.",
  rateLimited: "Bạn gửi hơi nhanh. Vui lòng đợi một chút rồi hỏi tiếp.",
  notAllowed: "Xin lỗi, bot này chỉ dành cho những người dùng đã được cho phép.",
  expired: "Nút này đã hết hạn (dữ liệu đã được cập nhật). Vui lòng hỏi lại.",
  askUsage: "Hãy viết câu hỏi sau lệnh, ví dụ: <code>/ask Giá lúa hôm nay bao nhiêu?</code>",
  searchUsage: "Hãy viết từ khoá sau lệnh, ví dụ: <code>/search giá lúa An Giang</code>",
  sourceUsage: "Dùng <code>/source 1</code> (số nguồn trong câu trả lời gần nhất) hoặc <code>/source mã-bài</code>.",
  noSuchSource: (arg: string) => `Không tìm thấy nguồn «${arg}». Dùng số nguồn trong câu trả lời gần nhất hoặc mã bài.`,
  textOnly: "Hãy gửi câu hỏi bằng chữ. Gõ /help để xem hướng dẫn.",
  unknownCommand: "Lệnh không rõ. Gõ /help để xem các lệnh.",
  mentionEmpty: "Bạn muốn hỏi gì? Hãy viết câu hỏi sau khi nhắc đến tôi.",
  noResults: "Không có đoạn văn nào khớp.",

  // Answer and views
  sources: "Nguồn",
  noDate: "không rõ ngày",
  moreResults: "Thêm kết quả ▶",
  back: "◀ Quay lại",
  morePage: (page: number, pages: number) => `Kết quả khác (trang ${page}/${pages})`,
  nearest: "Các bài gần nhất:",
  author: "Tác giả",
  openArticle: "Đọc bài gốc",
  searchHeader: (query: string) => `Tìm kiếm: ${query}`,
  scores: (fused: string, lexical: string, dense: string) => `điểm ${fused} · từ khoá ${lexical} · ngữ nghĩa ${dense}`,

  // /start, /help, /about
  start: (articles: number, range: string, examples: string) =>
    `Xin chào! Tôi trả lời câu hỏi bằng cách trích nguyên văn các câu trong <b>${articles}</b> bài viết của toà soạn${range}, ` +
    `kèm nguồn được đánh số.\n\nCứ gửi câu hỏi (có dấu hay không dấu đều được).${examples}\n\nGõ /help để xem thêm.`,
  dateRange: (first: string, last: string) => ` (từ ${first} đến ${last})`,
  examples: "Ví dụ, hỏi về các bài gần đây:",
  help:
    "<b>Cách dùng</b>\n" +
    "• Trong chat riêng: gửi câu hỏi bất kỳ.\n" +
    "• Trong nhóm: dùng <code>/ask câu hỏi</code>, nhắc đến tôi, hoặc trả lời tin nhắn của tôi.\n" +
    "• Ở bất kỳ chat nào: gõ <code>@{bot} câu hỏi</code> để chèn một trích dẫn.\n" +
    "• Nút dưới câu trả lời: mở nguồn, xem thêm kết quả, quay lại.\n\n" +
    "<b>Lệnh</b>\n" +
    "/ask — đặt câu hỏi\n" +
    "/search — các đoạn văn khớp nhất, kèm điểm và vị trí (cho biên tập viên)\n" +
    "/source — mở nguồn theo số hoặc mã bài\n" +
    "/about — mô hình, chỉ mục, thời điểm cập nhật",
  about: (model: string, dense: string, builtAt: string, articles: number, passages: number) =>
    `<b>Thông tin</b>\nMô hình: <code>${model}</code>\nTìm kiếm ngữ nghĩa: ${dense}\n` +
    `Chỉ mục xây dựng lúc: ${builtAt}\nSố bài: ${articles} · số đoạn: ${passages}`,
  denseOn: "bật",
  denseOff: (reason: string) => `tắt (${reason})`,

  // setMyCommands descriptions
  commands: {
    start: "Giới thiệu và ví dụ câu hỏi",
    help: "Cách dùng",
    ask: "Đặt câu hỏi",
    search: "Các đoạn văn khớp nhất, kèm điểm (biên tập viên)",
    source: "Mở nguồn theo số hoặc mã bài",
    about: "Mô hình, chỉ mục, thời điểm cập nhật",
  },
};

export type UiStrings = typeof VI;

const EN: UiStrings = {
  error: "Sorry, something went wrong while answering. Please try again in a few minutes.",
  rateLimited: "You are sending messages a little fast. Please wait a moment before asking again.",
  notAllowed: "Sorry, this bot is only available to approved users.",
  expired: "This button has expired (the articles were updated). Please ask again.",
  askUsage: "Write your question after the command, e.g. <code>/ask What is the price of rice?</code>",
  searchUsage: "Write the keywords after the command, e.g. <code>/search rice price An Giang</code>",
  sourceUsage: "Use <code>/source 1</code> (a source number of the last answer) or <code>/source article-id</code>.",
  noSuchSource: (arg: string) => `No source “${arg}”. Use a source number of the last answer or an article id.`,
  textOnly: "Please send your question as text. Type /help for instructions.",
  unknownCommand: "Unknown command. Type /help to see the commands.",
  mentionEmpty: "What would you like to ask? Write the question after mentioning me.",
  noResults: "No passage matches.",

  sources: "Sources",
  noDate: "undated",
  moreResults: "More results ▶",
  back: "◀ Back",
  morePage: (page: number, pages: number) => `More results (page ${page}/${pages})`,
  nearest: "Nearest articles:",
  author: "Author",
  openArticle: "Read the article",
  searchHeader: (query: string) => `Search: ${query}`,
  scores: (fused: string, lexical: string, dense: string) => `score ${fused} · lexical ${lexical} · dense ${dense}`,

  start: (articles: number, range: string, examples: string) =>
    `Hello! I answer questions by quoting sentences verbatim from the newsroom's <b>${articles}</b> articles${range}, ` +
    `with numbered sources.\n\nJust send a question (in Vietnamese, with or without accents, or in English).${examples}\n\nType /help for more.`,
  dateRange: (first: string, last: string) => ` (from ${first} to ${last})`,
  examples: "For example, ask about recent articles:",
  help:
    "<b>How to use</b>\n" +
    "• In a private chat: send any question.\n" +
    "• In a group: use <code>/ask question</code>, mention me, or reply to one of my messages.\n" +
    "• In any chat: type <code>@{bot} question</code> to insert a quote.\n" +
    "• Buttons under an answer: open a source, see more results, go back.\n\n" +
    "<b>Commands</b>\n" +
    "/ask — ask a question\n" +
    "/search — best matching passages with scores and positions (for staff)\n" +
    "/source — open a source by number or article id\n" +
    "/about — model, index, last update",
  about: (model: string, dense: string, builtAt: string, articles: number, passages: number) =>
    `<b>About</b>\nModel: <code>${model}</code>\nDense retrieval: ${dense}\n` +
    `Index built at: ${builtAt}\nArticles: ${articles} · passages: ${passages}`,
  denseOn: "on",
  denseOff: (reason: string) => `off (${reason})`,

  commands: {
    start: "Introduction and example questions",
    help: "How to use the bot",
    ask: "Ask a question",
    search: "Best matching passages with scores (staff)",
    source: "Open a source by number or article id",
    about: "Model, index, last update",
  },
};

const STRINGS: Record<Language, UiStrings> = { vi: VI, en: EN };

export function uiStrings(language: Language): UiStrings {
  return STRINGS[language];
}

/** English for users whose Telegram client is in English; Vietnamese for everyone else. */
export function languageOf(languageCode: string | undefined): Language {
  return languageCode?.toLowerCase().startsWith("en") ? "en" : "vi";
}
