import type { RefusalCode } from "../admin";
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

  // Admin features (ADMIN_IDS only): /reindex, /add, uploads, /delete, /undelete, /feeds, /stats, /reload
  admin: {
    notAdmin: "Xin lỗi, chỉ quản trị viên của bot mới dùng được lệnh này.",
    refused: (sentence: string, detail: string) => `⛔ ${sentence}${detail ? `\n<i>${detail}</i>` : ""}`,
    failed: (reason: string) => `❌ Không thực hiện được: ${reason}`,
    refusals: {
      "not-admin": "Chỉ quản trị viên của bot mới làm được việc này.",
      scheme: "Chỉ nhận địa chỉ bắt đầu bằng http:// hoặc https://.",
      "private-address":
        "Địa chỉ này thuộc mạng nội bộ (loopback, mạng riêng hoặc link-local) nên bị từ chối. Chỉ khi thật sự cần, đặt FETCH_ALLOW_PRIVATE=true.",
      dns: "Không tìm thấy tên miền này.",
      timeout: "Trang phản hồi quá lâu, đã dừng tải.",
      "too-large": "Tệp hoặc trang quá lớn.",
      "not-html": "Địa chỉ này không trả về một trang HTML.",
      "http-status": "Trang trả về mã lỗi HTTP.",
      network: "Không kết nối được tới trang.",
      "bad-id": "Mã bài không hợp lệ.",
      "bad-type": "Định dạng tệp không được nhận: hãy gửi .txt, .md, .html, .json hoặc .jsonl.",
      "not-utf8": "Tệp không phải văn bản UTF-8: hãy lưu lại dưới dạng UTF-8 rồi gửi lại.",
      unparsable: "Không đọc được tệp này; kho bài không thay đổi.",
      empty: "Tệp không chứa bài viết nào.",
      "id-taken": "Mã bài này đã được một tệp khác dùng.",
      "not-found": "Không có bài nào mang mã này.",
      "shared-file": "Bài này nằm chung một tệp với các bài khác nên không xoá riêng được.",
      "not-in-trash": "Trong thùng rác không có bài nào mang mã này.",
      exists: "Đã có một tệp trùng tên trong kho bài.",
      "no-article": "Không tìm thấy bài viết trong trang (thiếu tiêu đề hoặc nội dung).",
      "not-a-feed": "Địa chỉ này không phải một nguồn RSS/Atom đọc được.",
      "no-such-feed": "Không có nguồn tin mang số này. Gõ /feeds để xem danh sách.",
      "mass-removal": "Lần lập lại chỉ mục này sẽ xoá hơn một nửa số bài khỏi chỉ mục nên chưa được làm; chưa có gì thay đổi.",
    } satisfies Record<RefusalCode, string>,
    confirmRemovals: "Nếu các bài đó đúng là đã bị gỡ khỏi kho bài, bấm nút dưới đây để lập lại toàn bộ chỉ mục và xoá chúng.",
    confirmRemovalsButton: "Xác nhận: lập lại toàn bộ, xoá các bài đó",
    uploadLimit: (size: string, max: string) => `Tệp nặng ${size}; giới hạn là ${max}.`,

    // /reindex
    reindexUsage: "Dùng <code>/reindex</code> (chỉ các bài thay đổi) hoặc <code>/reindex full</code> (làm lại toàn bộ).",
    reindexTitle: (full: boolean) => `<b>Đang lập lại chỉ mục</b> (${full ? "toàn bộ" : "các bài thay đổi"})`,
    phases: { waiting: "đang chờ", chunk: "cắt đoạn", embed: "tạo vector", index: "lập chỉ mục", save: "lưu" },
    progress: (phase: string, elapsed: string, articles: string, passages: string, speed: string, eta: string) =>
      `Giai đoạn: ${phase} · đã chạy ${elapsed}\nBài: ${articles} · đoạn: ${passages}\nTốc độ: ${speed} đoạn/giây · còn khoảng ${eta}`,
    progressDone: (full: boolean) => `<b>Đã lập lại chỉ mục</b> (${full ? "toàn bộ" : "các bài thay đổi"}) ✅`,
    progressFailed: (full: boolean) => `<b>Lập lại chỉ mục thất bại</b> (${full ? "toàn bộ" : "các bài thay đổi"}) ❌`,
    reindexDone: (took: string, added: number, updated: number, removed: number, unchanged: number) =>
      `✅ <b>Đã lập lại chỉ mục</b> trong ${took}: thêm ${added} · cập nhật ${updated} · xoá ${removed} · giữ nguyên ${unchanged}.`,
    reindexUnchanged: (took: string) => `✅ <b>Không có gì thay đổi</b> (kiểm tra trong ${took}): chỉ mục đang phục vụ được giữ nguyên.`,
    reindexTotals: (articles: number, passages: number, embedded: number) =>
      `Chỉ mục hiện có ${articles} bài, ${passages} đoạn; ${embedded} đoạn vừa được tạo vector.`,
    skipped: (n: number) => `Bỏ qua ${n} tệp hoặc bản ghi:`,
    moreSkipped: (n: number) => `… và ${n} mục khác (xem nhật ký).`,
    reindexFailed: (reason: string) => `❌ <b>Lập lại chỉ mục thất bại</b>: ${reason}\nChỉ mục cũ vẫn đang phục vụ; chưa có gì bị thay đổi.`,
    reindexBusy: (full: boolean, elapsed: string, phase: string, articles: string) =>
      `⏳ Đang có một lần lập lại chỉ mục (${full ? "toàn bộ" : "các bài thay đổi"}, đã chạy ${elapsed}): ${phase}, bài ${articles}. Hãy đợi nó xong.`,
    reindexQueued: "⏳ Đã có một lần lập lại chỉ mục đang chờ sau các thay đổi trước. Hãy đợi nó xong.",

    // /add, uploads, /delete, /undelete
    addUsage: "Dùng <code>/add https://…</code> với đường link của bài báo.",
    afterReindex: "⏳ Đang lập lại chỉ mục: việc này sẽ được làm ngay khi xong.",
    added: "✅ <b>Đã thêm bài</b>",
    updated: "✅ <b>Đã cập nhật bài</b>",
    restored: "✅ <b>Đã khôi phục bài</b>",
    idLine: (id: string, date: string) => `Mã: <code>${id}</code> · ${date}`,
    author: (name: string) => `Tác giả: ${name}`,
    uploaded: (source: string, updated: boolean, count: number) =>
      `✅ <b>Đã ${updated ? "cập nhật" : "lưu"} tệp</b> <code>${source}</code> và lập chỉ mục ${count} bài:`,
    moreArticles: (n: number) => `… và ${n} bài khác.`,
    deleteUsage: "Dùng <code>/delete mã-bài</code> (mã bài có trong <code>/source</code> và <code>/search</code>).",
    undeleteUsage: "Dùng <code>/undelete mã-bài</code> để khôi phục một bài đã xoá.",
    deleted: (id: string, title: string, trashed: string) =>
      `🗑 <b>Đã xoá bài</b> <code>${id}</code> «${title}» khỏi chỉ mục. Tệp được chuyển vào <code>${trashed}</code>; ` +
      `dùng <code>/undelete ${id}</code> để khôi phục.`,

    // /feeds
    feedsUsage: "Dùng <code>/feeds</code> (danh sách), <code>/feeds add https://…/rss</code> hoặc <code>/feeds remove số</code>.",
    feedsEmpty: "Chưa có nguồn RSS/Atom nào. Thêm bằng <code>/feeds add https://…/rss</code>.",
    feedsHeader: (n: number) => `<b>Nguồn RSS/Atom</b> (${n}), đọc định kỳ:`,
    feedPolled: (when: string, added: number) => `lần đọc cuối ${when}, thêm ${added} bài`,
    feedNeverPolled: "chưa đọc lần nào",
    feedError: (error: string) => `lỗi: ${error}`,
    feedAdded: (n: number, title: string, items: number) => `✅ <b>Đã thêm nguồn số ${n}</b>: ${title} (${items} mục). Bot sẽ đọc nguồn này định kỳ.`,
    feedExists: (n: number, title: string) => `Nguồn này đã có trong danh sách (số ${n}): ${title}.`,
    feedRemoved: (url: string) => `🗑 <b>Đã bỏ nguồn</b> ${url}. Các bài đã lấy từ nguồn này vẫn được giữ.`,

    // /stats, /reload
    stats: (lines: string[]) => `<b>Thống kê</b>\n${lines.join("\n")}`,
    statsIndex: (articles: number, passages: number, size: string) => `Bài: ${articles} · đoạn: ${passages} · chỉ mục trên đĩa: ${size}`,
    statsModel: (model: string, dense: string) => `Mô hình: <code>${model}</code> · tìm kiếm ngữ nghĩa: ${dense}`,
    statsBuilt: (builtAt: string) => `Chỉ mục xây dựng lúc: ${builtAt}`,
    statsLastIngest: (when: string, took: string, result: string) => `Lần lập chỉ mục gần nhất: ${when}, ${took}, ${result}`,
    statsNoIngest: "Lần lập chỉ mục gần nhất: chưa có từ khi bot khởi động",
    ingestOk: (added: number, updated: number, removed: number) => `thành công (thêm ${added} · cập nhật ${updated} · xoá ${removed})`,
    ingestFailed: (error: string) => `thất bại (${error})`,
    statsQuestions: (today: number, notFound: string) => `Câu hỏi hôm nay: ${today} · không tìm thấy câu trả lời: ${notFound}`,
    statsLatency: (p50: string, p95: string) => `Thời gian trả lời: p50 ${p50} · p95 ${p95}`,
    statsFeeds: (n: number) => `Nguồn RSS/Atom: ${n}`,
    statsReindex: (phase: string, articles: string) => `Đang lập lại chỉ mục: ${phase}, bài ${articles}`,
    reloaded: (articles: number, passages: number, builtAt: string) =>
      `✅ <b>Đã chuyển sang chỉ mục trên đĩa</b>: ${articles} bài, ${passages} đoạn (xây dựng lúc ${builtAt}).`,
    reloadSame: "Chỉ mục trên đĩa chính là chỉ mục đang phục vụ: không có gì để nạp.",
    reloadBusy: "⏳ Đang lập lại chỉ mục: kết quả sẽ tự được dùng khi xong.",
    reloadFailed: (reason: string) => `❌ <b>Không nạp được chỉ mục trên đĩa</b>: ${reason}\nChỉ mục cũ vẫn đang phục vụ.`,

    units: { bytes: "B", ms: "ms", s: "giây", min: "phút", h: "giờ" },
  },

  // setMyCommands descriptions
  commands: {
    start: "Giới thiệu và ví dụ câu hỏi",
    help: "Cách dùng",
    ask: "Đặt câu hỏi",
    search: "Các đoạn văn khớp nhất, kèm điểm (biên tập viên)",
    source: "Mở nguồn theo số hoặc mã bài",
    about: "Mô hình, chỉ mục, thời điểm cập nhật",
  },
  /** Admin commands: shown in the menus of admins' chats only. */
  adminCommands: {
    reindex: "Lập lại chỉ mục (thêm «full» để làm lại toàn bộ)",
    add: "Thêm bài từ một đường link",
    delete: "Xoá một bài khỏi chỉ mục (vào thùng rác)",
    undelete: "Khôi phục một bài đã xoá",
    feeds: "Nguồn RSS/Atom: xem, thêm, bỏ",
    stats: "Thống kê chỉ mục và câu hỏi",
    reload: "Nạp chỉ mục vừa xây bằng npm run ingest",
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

  admin: {
    notAdmin: "Sorry, only the bot's admins can use this command.",
    refused: (sentence: string, detail: string) => `⛔ ${sentence}${detail ? `\n<i>${detail}</i>` : ""}`,
    failed: (reason: string) => `❌ That did not work: ${reason}`,
    refusals: {
      "not-admin": "Only the bot's admins can do this.",
      scheme: "Only http:// and https:// addresses are accepted.",
      "private-address":
        "This address is on a loopback, private or link-local network and is refused. Set FETCH_ALLOW_PRIVATE=true only if you really need it.",
      dns: "This domain name could not be found.",
      timeout: "The page took too long to answer; the download was stopped.",
      "too-large": "The file or page is too large.",
      "not-html": "This address does not serve an HTML page.",
      "http-status": "The page answered with an HTTP error.",
      network: "Could not connect to the page.",
      "bad-id": "This is not a valid article id.",
      "bad-type": "This file type is not accepted: send .txt, .md, .html, .json or .jsonl.",
      "not-utf8": "The file is not UTF-8 text: save it as UTF-8 and send it again.",
      unparsable: "The file could not be read; the corpus is unchanged.",
      empty: "The file holds no article.",
      "id-taken": "This article id is already used by another file.",
      "not-found": "There is no article with this id.",
      "shared-file": "This article shares its file with other articles and cannot be deleted alone.",
      "not-in-trash": "There is no article with this id in the trash.",
      exists: "A file with this name is already in the corpus.",
      "no-article": "No article was found in the page (no title or no text).",
      "not-a-feed": "This address is not a readable RSS/Atom feed.",
      "no-such-feed": "There is no feed with this number. Type /feeds to see the list.",
      "mass-removal": "This re-index would remove more than half of the indexed articles, so it was not done; nothing was changed.",
    } satisfies Record<RefusalCode, string>,
    confirmRemovals: "If those articles really are gone from the corpus, press the button to rebuild the whole index without them.",
    confirmRemovalsButton: "Confirm: rebuild everything, remove them",
    uploadLimit: (size: string, max: string) => `The file is ${size}; the limit is ${max}.`,

    reindexUsage: "Use <code>/reindex</code> (changed articles only) or <code>/reindex full</code> (rebuild everything).",
    reindexTitle: (full: boolean) => `<b>Re-indexing</b> (${full ? "full rebuild" : "changed articles"})`,
    phases: { waiting: "waiting", chunk: "splitting passages", embed: "embedding", index: "indexing", save: "saving" },
    progress: (phase: string, elapsed: string, articles: string, passages: string, speed: string, eta: string) =>
      `Phase: ${phase} · running for ${elapsed}\nArticles: ${articles} · passages: ${passages}\nSpeed: ${speed} passages/s · about ${eta} left`,
    progressDone: (full: boolean) => `<b>Re-indexed</b> (${full ? "full rebuild" : "changed articles"}) ✅`,
    progressFailed: (full: boolean) => `<b>Re-index failed</b> (${full ? "full rebuild" : "changed articles"}) ❌`,
    reindexDone: (took: string, added: number, updated: number, removed: number, unchanged: number) =>
      `✅ <b>Re-indexed</b> in ${took}: added ${added} · updated ${updated} · removed ${removed} · unchanged ${unchanged}.`,
    reindexUnchanged: (took: string) => `✅ <b>Nothing changed</b> (checked in ${took}): the index in service stays.`,
    reindexTotals: (articles: number, passages: number, embedded: number) =>
      `The index now holds ${articles} articles, ${passages} passages; ${embedded} passages were embedded.`,
    skipped: (n: number) => `Skipped ${n} file(s) or record(s):`,
    moreSkipped: (n: number) => `… and ${n} more (see the log).`,
    reindexFailed: (reason: string) => `❌ <b>Re-index failed</b>: ${reason}\nThe previous index stays in service; nothing was changed.`,
    reindexBusy: (full: boolean, elapsed: string, phase: string, articles: string) =>
      `⏳ A re-index is already running (${full ? "full rebuild" : "changed articles"}, for ${elapsed}): ${phase}, articles ${articles}. Please wait for it to finish.`,
    reindexQueued: "⏳ A re-index is already waiting behind earlier changes. Please wait for it to finish.",

    addUsage: "Use <code>/add https://…</code> with the link of a news article.",
    afterReindex: "⏳ A re-index is running: this will be done as soon as it finishes.",
    added: "✅ <b>Article added</b>",
    updated: "✅ <b>Article updated</b>",
    restored: "✅ <b>Article restored</b>",
    idLine: (id: string, date: string) => `Id: <code>${id}</code> · ${date}`,
    author: (name: string) => `Author: ${name}`,
    uploaded: (source: string, updated: boolean, count: number) =>
      `✅ <b>File ${updated ? "updated" : "saved"}</b> as <code>${source}</code>, ${count} article(s) indexed:`,
    moreArticles: (n: number) => `… and ${n} more.`,
    deleteUsage: "Use <code>/delete article-id</code> (ids are shown by <code>/source</code> and <code>/search</code>).",
    undeleteUsage: "Use <code>/undelete article-id</code> to bring a deleted article back.",
    deleted: (id: string, title: string, trashed: string) =>
      `🗑 <b>Deleted</b> <code>${id}</code> “${title}” from the index. Its file moved to <code>${trashed}</code>; ` +
      `<code>/undelete ${id}</code> brings it back.`,

    feedsUsage: "Use <code>/feeds</code> (list), <code>/feeds add https://…/rss</code> or <code>/feeds remove number</code>.",
    feedsEmpty: "No RSS/Atom feeds yet. Add one with <code>/feeds add https://…/rss</code>.",
    feedsHeader: (n: number) => `<b>RSS/Atom feeds</b> (${n}), polled regularly:`,
    feedPolled: (when: string, added: number) => `last polled ${when}, ${added} article(s) added`,
    feedNeverPolled: "not polled yet",
    feedError: (error: string) => `error: ${error}`,
    feedAdded: (n: number, title: string, items: number) => `✅ <b>Feed ${n} added</b>: ${title} (${items} items). It will be polled regularly.`,
    feedExists: (n: number, title: string) => `This feed is already in the list (number ${n}): ${title}.`,
    feedRemoved: (url: string) => `🗑 <b>Feed removed</b>: ${url}. Articles already taken from it stay.`,

    stats: (lines: string[]) => `<b>Statistics</b>\n${lines.join("\n")}`,
    statsIndex: (articles: number, passages: number, size: string) => `Articles: ${articles} · passages: ${passages} · index on disk: ${size}`,
    statsModel: (model: string, dense: string) => `Model: <code>${model}</code> · dense retrieval: ${dense}`,
    statsBuilt: (builtAt: string) => `Index built at: ${builtAt}`,
    statsLastIngest: (when: string, took: string, result: string) => `Last ingest: ${when}, ${took}, ${result}`,
    statsNoIngest: "Last ingest: none since the bot started",
    ingestOk: (added: number, updated: number, removed: number) => `ok (added ${added} · updated ${updated} · removed ${removed})`,
    ingestFailed: (error: string) => `failed (${error})`,
    statsQuestions: (today: number, notFound: string) => `Questions today: ${today} · not found: ${notFound}`,
    statsLatency: (p50: string, p95: string) => `Answer latency: p50 ${p50} · p95 ${p95}`,
    statsFeeds: (n: number) => `RSS/Atom feeds: ${n}`,
    statsReindex: (phase: string, articles: string) => `Re-index running: ${phase}, articles ${articles}`,
    reloaded: (articles: number, passages: number, builtAt: string) =>
      `✅ <b>Switched to the index on disk</b>: ${articles} articles, ${passages} passages (built at ${builtAt}).`,
    reloadSame: "The index on disk is the one in service: nothing to load.",
    reloadBusy: "⏳ A re-index is running: its result is switched in when it is done.",
    reloadFailed: (reason: string) => `❌ <b>Could not load the index on disk</b>: ${reason}\nThe previous index stays in service.`,

    units: { bytes: "B", ms: "ms", s: "s", min: "min", h: "h" },
  },

  commands: {
    start: "Introduction and example questions",
    help: "How to use the bot",
    ask: "Ask a question",
    search: "Best matching passages with scores (staff)",
    source: "Open a source by number or article id",
    about: "Model, index, last update",
  },
  adminCommands: {
    reindex: "Re-index the corpus (add “full” to rebuild)",
    add: "Add an article from a link",
    delete: "Take an article out of the index (to the trash)",
    undelete: "Bring a deleted article back",
    feeds: "RSS/Atom feeds: list, add, remove",
    stats: "Index and question statistics",
    reload: "Load an index rebuilt by npm run ingest",
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
