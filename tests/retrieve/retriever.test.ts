import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Article } from "../../src/domain/types";
import { analyseQuery, DEFAULT_SENTENCE_WEIGHT, detectLanguage, rankFusion, Retriever } from "../../src/retrieve";
import type { CorpusIndex } from "../../src/store";
import { stripDiacritics, stripEveryOtherWord } from "../../src/eval/run";
import { hashingEmbedder } from "../helpers/hashing-embedder";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";
import { buildTestIndex } from "../helpers/small-index";

let index: CorpusIndex;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ index, cleanup } = await buildTestIndex()));
afterAll(() => cleanup());

/** An index of the small corpus and `articles`, removed when the test finishes, passed or failed. */
async function indexWith(articles: Article[]): Promise<CorpusIndex> {
  const { index: local, cleanup } = await buildTestIndex([...articles, ...SMALL_CORPUS]);
  onTestFinished(cleanup);
  return local;
}

const top = async (question: string, options = {}) => (await new Retriever(index, null).retrieve(question, options)).hits[0]?.article.id;

describe("Retriever (lexical)", () => {
  it.each([
    ["Giá lúa ở An Giang là bao nhiêu?", "lua-gao"],
    ["Hữu Lũng kết nạp bao nhiêu đảng viên?", "huu-lung"],
    ["Ai là huấn luyện viên đội tuyển bóng đá nữ?", "bong-da"],
    ["sạt lở đất Lạng Sơn", "mua-lu"],
  ])("finds the article that answers %s", async (question, expected) => {
    expect(await top(question)).toBe(expected);
  });

  it.each(
    [
      "Giá lúa ở An Giang là bao nhiêu?",
      "Hữu Lũng kết nạp bao nhiêu đảng viên?",
      "Ai là huấn luyện viên đội tuyển bóng đá nữ?",
      "Chính quyền di dời bao nhiêu hộ dân?",
    ].flatMap((question) => [
      ["without diacritics", question, stripDiacritics(question)],
      ["with every other word without diacritics", question, stripEveryOtherWord(question)],
    ]),
  )("finds the same article for a question typed %s: %s", async (_, question, typed) => {
    expect(typed).not.toBe(question);
    const r = await new Retriever(index, null).retrieve(typed);
    expect(r.query.restored).toBe(true);
    expect(r.notFound).toBe(false);
    expect(r.hits[0]?.article.id).toBe(await top(question));
  });

  it("restores the words of an accented question typed without accents, and only those", () => {
    const q = analyseQuery("Huu Lũng kết nap bao nhiêu dang viên?", index.vocabulary);
    expect(q.unaccented).toBe(false);
    expect(q.restored).toBe(true);
    expect(q.syllables).toEqual(["hữu", "lũng", "kết", "nạp", "bao", "nhiêu", "đảng", "viên"]);
    // One syllable without diacritics is a word as written, not a slip: nothing is restored.
    const once = analyseQuery("Giá lúa ở An Giang tăng bao nhiêu?", index.vocabulary);
    expect(once.restored).toBe(false);
    expect(once.syllables).toContain("an");
  });

  it("reads a word typed in Telex with its marks left as letters: 'ddangr' is 'đảng'", () => {
    const q = analyseQuery("Hữu Lũng kết nạp bao nhiêu ddangr viên?", index.vocabulary);
    expect(q.syllables).toEqual(["hữu", "lũng", "kết", "nạp", "bao", "nhiêu", "đảng", "viên"]);
    // Out of order too, as typed fast.
    expect(analyseQuery("Hữu Lũng kết nạp bao nhiêu dadngr viên?", index.vocabulary).syllables).toContain("đảng");
    // Not in an English question: its words are English.
    expect(analyseQuery("How many dadngr members joined?", index.vocabulary).syllables).not.toContain("đảng");
  });

  it("restores accents from the corpus vocabulary", () => {
    const q = analyseQuery("huu lung ket nap dang vien", index.vocabulary);
    expect(q.unaccented).toBe(true);
    expect(q.syllables).toEqual(["hữu", "lũng", "kết", "nạp", "đảng", "viên"]);
    expect(q.pairs).toContain("hữu_lũng");
  });

  it.each(["Huu Lung lam gi de ket nap dang vien?", "Hữu Lũng lam gi de kết nạp đảng viên?", "doi tuyen nu gianh huy chuong gi"])(
    "takes question words the corpus never wrote for question words, not missing topics: %s",
    async (question) => {
      // The fixture corpus has no "làm" and no "gì", with or without accents.
      expect(index.vocabulary.knowsFolded("gi")).toBe(false);
      const r = await new Retriever(index, null).retrieve(question);
      expect(r.notFound).toBe(false);
      expect(["huu-lung", "bong-da"]).toContain(r.hits[0]?.article.id);
    },
  );

  it("spells question phrases as questions even where the corpus never asks one", () => {
    // The fixture corpus has "nhiều" but never "nhiêu", "ở" but never "đâu".
    const q = analyseQuery("huu lung ket nap bao nhieu dang vien, o dau", index.vocabulary);
    expect(q.syllables).toEqual(["hữu", "lũng", "kết", "nạp", "bao", "nhiêu", "đảng", "viên", "ở", "đâu"]);
  });

  it("keeps exact accents when the question has them", () => {
    const q = analyseQuery("Mưa lũ ở Lạng Sơn", index.vocabulary);
    expect(q.unaccented).toBe(false);
    expect(q.syllables).toEqual(["mưa", "lũ", "ở", "lạng", "sơn"]);
  });

  it("corrects a typo and a slip of accent from the corpus's own spellings", () => {
    const q = analyseQuery("Chíng quyền di dời bao nhiêu hộ dân, thiêt hại ra sao?", index.vocabulary);
    expect(q.syllables).toEqual(["chính", "quyền", "di", "dời", "bao", "nhiêu", "hộ", "dân", "thiệt", "hại", "ra", "sao"]);
    expect(q.pairs).toContain("chính_quyền");
    // A question word with an accent no word writes ("bao nhiệu") is that question word as the
    // corpus writes it (this small one has "nhiều" only), not a word the corpus never saw.
    const slip = analyseQuery("Chính quyền di dời bao nhiệu hộ dân?", index.vocabulary).syllables;
    expect(slip).toEqual(["chính", "quyền", "di", "dời", "bao", index.vocabulary.documentFrequency("nhiêu") > 0 ? "nhiêu" : "nhiều", "hộ", "dân"]);
  });

  it("weighs names and acronyms written with a capital inside the question once more", () => {
    const nameGroup = (question: string) => analyseQuery(question, index.vocabulary).termQueries.slice(2).map((q) => q.terms);
    expect(nameGroup("Bên cạnh việc kinh doanh, đam mê của Sa là gì?")).toEqual([["sa"]]);
    expect(nameGroup("Huyện Hữu Lũng kết nạp bao nhiêu đảng viên?")).toEqual([["hữu", "lũng", "hữu_lũng"]]);
    expect(nameGroup("Cơ chế của CRISPR là gì?")).toEqual([["crispr"]]);
    expect(nameGroup("huyện hữu lũng kết nạp bao nhiêu đảng viên?")).toEqual([]);
  });

  it("ranks first the article with one sentence that holds the question over one that spreads its words", async () => {
    const local = await indexWith([
      testArticle({
        id: "spread",
        title: "Chuyện của ông Nam",
        body: "Ông Nam bị ngã xe. Từ mái nhà, ông Nam nhìn ra sông. Mái nhà của ông Nam bị dột. Ông Nam bị ngã năm ngoái.",
      }),
      testArticle({
        id: "one-sentence",
        title: "Tai nạn lao động ở Hà Tĩnh",
        body:
          "Chiều qua, ông Nam bị ngã từ mái nhà khi đang sửa ăng-ten. Ông được đưa đi cấp cứu. " +
          "Ngành lao động tỉnh đang điều tra vụ việc. Năm nay, toàn tỉnh xảy ra mười hai vụ tai nạn tương tự.",
      }),
    ]);
    const question = "Ông Nam bị ngã từ mái nhà khi nào?";
    const first = async (sentenceWeight: number) =>
      (await new Retriever(local, null, { sentenceWeight }).retrieve(question)).hits[0]?.article.id;
    expect(await first(DEFAULT_SENTENCE_WEIGHT)).toBe("one-sentence");
    expect(await first(0)).toBe("spread"); // what passage and article BM25 alone would say
  });

  it("prefers the article a follow-up question follows, when that article covers the question", async () => {
    const local = await indexWith([
      testArticle({
        id: "nam-rung",
        title: "Ngộ độc nấm rừng ở Lào Cai",
        body: "Một bệnh nhân ở Lào Cai phải nhập viện sau khi ăn nấm rừng hái trên núi. Bệnh nhân bị nôn, đau bụng dữ dội.",
      }),
      testArticle({
        id: "dot-quy",
        title: "Cụ bà 80 tuổi được cứu sống",
        body: "Cụ bà ở Đà Nẵng bị đột quỵ khi đang tập thể dục buổi sáng. Bệnh nhân phải nhập viện cấp cứu ngay trong đêm.",
      }),
    ]);
    const retriever = new Retriever(local, null);
    const question = "Vì sao bệnh nhân phải nhập viện?";
    const first = async (followUp: string[], r = retriever) => (await r.retrieve(question, { followUp })).hits[0]?.article.id;
    const alone = await first([]);
    expect(["nam-rung", "dot-quy"]).toContain(alone);
    const other = alone === "nam-rung" ? "dot-quy" : "nam-rung";
    expect(await first([other])).toBe(other);
    expect(await first(["lua-gao", other])).toBe(other);
    // An article that does not cover the question is not pulled up; nor is anything with follow-ups off.
    expect(await first(["lua-gao"])).toBe(alone);
    expect(await first([other], new Retriever(local, null, { followUpBoost: 0 }))).toBe(alone);
    // A question on another topic, or one the corpus cannot answer, is judged on its own.
    expect((await retriever.retrieve("Giá lúa ở An Giang là bao nhiêu?", { followUp: [other] })).hits[0]?.article.id).toBe("lua-gao");
    expect((await retriever.retrieve("Công thức nấu phở bò Nam Định như thế nào?", { followUp: [other] })).notFound).toBe(true);
  });

  it("keeps a word the corpus has nothing near, so that the answer is not found", async () => {
    const r = await new Retriever(index, null).retrieve("Thủ đô của vương quốc Zorvania là gì?");
    expect(r.query.syllables).toContain("zorvania");
    expect(r.notFound).toBe(true);
  });

  it("says not found for a question the corpus cannot answer", async () => {
    const r = await new Retriever(index, null).retrieve("Công thức nấu phở bò Nam Định như thế nào?");
    expect(r.notFound).toBe(true);
    const answerable = await new Retriever(index, null).retrieve("Xuất khẩu gạo năm nay đạt bao nhiêu triệu tấn?");
    expect(answerable.notFound).toBe(false);
  });

  it("filters by date range and category", async () => {
    const retriever = new Retriever(index, null);
    const all = await retriever.retrieve("đội tuyển huyện lúa mưa");
    expect(new Set(all.hits.map((h) => h.article.id)).size).toBe(4);
    const since = await retriever.retrieve("đội tuyển huyện lúa mưa", { since: "2024-01-01" });
    expect(new Set(since.hits.map((h) => h.article.id))).toEqual(new Set(["huu-lung", "mua-lu"]));
    const until = await retriever.retrieve("đội tuyển huyện lúa mưa", { until: "2022-12-31" });
    expect(new Set(until.hits.map((h) => h.article.id))).toEqual(new Set(["bong-da"]));
    const category = await retriever.retrieve("đội tuyển huyện lúa mưa", { category: "kinh te" });
    expect(new Set(category.hits.map((h) => h.article.id))).toEqual(new Set(["lua-gao"]));
  });

  it("detects English questions", () => {
    expect(detectLanguage("How many party members did Huu Lung admit?")).toBe("en");
    expect(detectLanguage("huu lung ket nap bao nhieu dang vien")).toBe("vi");
    expect(detectLanguage("Giá lúa bao nhiêu?")).toBe("vi");
    expect(detectLanguage("Where is the flood in Lang Son?")).toBe("en");
  });

  it("detects an English question made mostly of names, or naming someone with a foreign accent", () => {
    // One function word in eight: the names are not counted, and "trains", "racehorse", "bank",
    // "lost", "collapse" cannot be Vietnamese syllables.
    expect(detectLanguage("Who trains Michelle Mone's racehorse Monbeg Genius?")).toBe("en");
    expect(detectLanguage("Which bank lost the most in the Archegos collapse?")).toBe("en");
    // ü and ö are no Vietnamese letters.
    expect(detectLanguage("When was Temüjin elected khan of the Mongols?")).toBe("en");
    expect(detectLanguage("What was the name of Temüjin's wife Börte's first son?")).toBe("en");
    // A Vietnamese name written with its accents is still a name.
    expect(detectLanguage("Who is Nguyễn Phú Trọng?")).toBe("en");
    expect(detectLanguage("Where is Hữu Lũng district?")).toBe("en");
  });

  it("keeps a Vietnamese question typed without accents Vietnamese, with English names and loanwords in it", () => {
    expect(detectLanguage("Doctor Who la loai Chua te gi?")).toBe("vi");
    expect(detectLanguage("ai huan luyen ngua cua Michelle Mone")).toBe("vi");
    expect(detectLanguage("cach xoa tai khoan facebook vinh vien tren iphone")).toBe("vi");
    expect(detectLanguage("Tổng thống Pháp là ai?")).toBe("vi");
    expect(detectLanguage("Nguyễn Phú Trọng là ai?")).toBe("vi");
    expect(detectLanguage("Hà Nội co bao nhieu quan")).toBe("vi");
  });

  it("does not take Vietnamese typed without accents for English because of to, do, an, the", () => {
    // chế độ ăn, to, thẻ, ổn: each is also an English word once the accents are gone.
    expect(detectLanguage("Che do an nao lam tang nguy co beo phi?")).toBe("vi");
    expect(detectLanguage("the bao hiem y te co on khong")).toBe("vi");
    expect(detectLanguage("to chuc nao an toan nhat")).toBe("vi");
  });
});

describe("Retriever (hybrid)", () => {
  it("fuses dense and lexical candidates and reports cosine similarities", async () => {
    const embedder = hashingEmbedder();
    const built = await buildTestIndex(undefined, embedder);
    try {
      const retriever = new Retriever(built.index, embedder);
      expect(retriever.denseOn).toBe(true);
      const r = await retriever.retrieve("Giá lúa ở An Giang là bao nhiêu?");
      expect(r.hits[0]!.article.id).toBe("lua-gao");
      expect(r.hits[0]!.dense).toBeGreaterThan(0);
      expect(r.bestDense).not.toBeNull();
      for (const hit of r.hits) expect(hit.score).toBeLessThanOrEqual(1);
      const scores = r.hits.map((h) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    } finally {
      await built.cleanup();
    }
  });

  it("compares every candidate with the question, not only the nearest the vector search returned", async () => {
    const embedder = hashingEmbedder();
    // Seventy passages nearer the question than the one that answers it: the vector search
    // returns sixty, and the answer is found by its rare word alone.
    const near = Array.from({ length: 70 }, (_, i) =>
      testArticle({ id: `gia-lua-${i}`, title: `Bản tin số ${i}`, body: `Giá lúa hôm nay ở An Giang là bao nhiêu, bà con hỏi lần thứ ${i}.` }),
    );
    const answer = testArticle({
      id: "zorvania",
      title: "Nông sản",
      body: "Thương lái Zorvania thu mua với mức 7.000 đồng mỗi ký, cao hơn vụ trước, theo hợp tác xã Thoại Sơn.",
    });
    const built = await buildTestIndex([...near, answer], embedder);
    try {
      const question = "Giá lúa Zorvania là bao nhiêu?";
      const query = await embedder.embedQuery(question);
      const nearest = built.index.searchVector(query, 60);
      const position = built.index.chunkPositionsOf("zorvania")[0]!;
      expect(nearest.some((hit) => hit.id === position)).toBe(false);
      const r = await new Retriever(built.index, embedder).retrieve(question);
      const hit = r.hits.find((h) => h.article.id === "zorvania")!;
      expect(hit).toBeDefined();
      expect(hit.dense).toBeCloseTo(built.index.cosineTo(query, position)!, 6);
      expect(hit.dense).toBeGreaterThan(0);
    } finally {
      await built.cleanup();
    }
  });

  it("fuses by rank when asked, over the same candidates on both sides", async () => {
    const embedder = hashingEmbedder();
    const built = await buildTestIndex(undefined, embedder);
    try {
      const question = "Giá lúa ở An Giang là bao nhiêu?";
      const byScore = await new Retriever(built.index, embedder, { fusion: { lexical: 0.7, article: 0 }, sentenceWeight: 0 }).retrieve(question);
      const r = await new Retriever(built.index, embedder, { fusion: { lexical: 0.7, article: 0, rank: 60 }, sentenceWeight: 0 }).retrieve(question);
      expect(r.hits[0]!.article.id).toBe(byScore.hits[0]!.article.id);
      // First by BM25 and near the first by similarity: by rank close to 1 (61 × (0.7 / 61 + 0.3 /
      // (60 + its rank))), by score 0.7 + 0.3 × its cosine.
      expect(r.hits[0]!.score).toBeGreaterThan(0.99);
      expect(r.hits[0]!.score).toBeLessThanOrEqual(1);
      expect(byScore.hits[0]!.score).toBeCloseTo(0.7 + 0.3 * byScore.hits[0]!.dense!, 9);
      expect(byScore.hits[0]!.score).toBeLessThan(0.99);
      for (const hit of r.hits) expect(hit.dense).not.toBeNull();
    } finally {
      await built.cleanup();
    }
  });
});

describe("rankFusion", () => {
  it("scores lexical / (k + BM25 rank) + (1 − lexical) / (k + similarity rank), scaled so that first on both is 1", () => {
    const candidates = new Map<number, { lexical: number; dense: number | null }>([
      [7, { lexical: 1, dense: 0.9 }],
      [3, { lexical: 0.5, dense: null }],
      [5, { lexical: 0, dense: 0.95 }],
    ]);
    const fused = rankFusion(candidates, 0.7, 10);
    // 7: BM25 rank 1, similarity rank 2; 3: 2 and 3 (none ranks last); 5: 3 and 1.
    expect(fused.get(7)).toBeCloseTo(11 * (0.7 / 11 + 0.3 / 12), 12);
    expect(fused.get(3)).toBeCloseTo(11 * (0.7 / 12 + 0.3 / 13), 12);
    expect(fused.get(5)).toBeCloseTo(11 * (0.7 / 13 + 0.3 / 11), 12);
    expect(rankFusion(new Map([[1, { lexical: 1, dense: 1 }]]), 0.7, 60).get(1)).toBeCloseTo(1, 12);
  });
});
