import { describe, expect, it } from "vitest";
import {
  isAuthorLine,
  isCaptionLike,
  isTeaserOf,
  shapePlainText,
  stripDateline,
  titleFromText,
} from "../../src/ingest/plain";

describe("plain-text heuristics", () => {
  it("tells captions from sentences", () => {
    expect(isCaptionLike("Một buổi sinh hoạt Đảng ở Đảng bộ thị trấn huyện Hữu Lũng")).toBe(true);
    expect(isCaptionLike("Thủ tướng phát biểu tại hội nghị (Ảnh: Tiến Tuấn).")).toBe(true);
    expect(isCaptionLike("Giống lúa mới cho năng suất cao. Ảnh: Nông nghiệp Việt Nam")).toBe(true);
    expect(isCaptionLike("Giá lúa tăng mạnh trong tuần qua.")).toBe(false);
    expect(isCaptionLike("Ông Tiến cho biết:")).toBe(false);
    expect(isCaptionLike("“Chúng tôi sẽ cố gắng”")).toBe(false);
    expect(isCaptionLike("—")).toBe(false);
    expect(isCaptionLike(`${"rất dài ".repeat(30)}không có dấu chấm`)).toBe(false);
  });

  it("recognises a by-line", () => {
    expect(isAuthorLine("Bảo Vy")).toBe(true);
    expect(isAuthorLine("Theo Người lao động")).toBe(true);
    expect(isAuthorLine("Giá lúa tăng.")).toBe(false);
    expect(isAuthorLine("Năm 2024 có bảy mươi hai ngày mưa")).toBe(false);
    expect(isAuthorLine("bảo vy")).toBe(false);
  });

  it("detects a teaser by prefix, ignoring whitespace and the trailing dots", () => {
    const rest = "Câu mở đầu của bài.\nChú thích ảnh\nĐoạn tiếp theo rất dài.";
    expect(isTeaserOf("Câu mở đầu của bài.Chú thích ảnhĐoạn tiếp...", rest)).toBe(true);
    expect(isTeaserOf("Câu mở đầu của bài.Chú thích ảnhĐoạn tiếp…", rest)).toBe(true);
    expect(isTeaserOf("Câu mở đầu của bài.Chú thích ảnhĐoạn khác...", rest)).toBe(false);
    expect(isTeaserOf("Câu mở đầu của bài.", rest)).toBe(false);
  });

  it("strips a dateline tag glued to the first word only", () => {
    expect(stripDateline("LSO-Từ năm 2006 đến nay")).toBe("Từ năm 2006 đến nay");
    expect(stripDateline("TTO – Sáng nay")).toBe("Sáng nay");
    expect(stripDateline("Covid-19 vẫn diễn biến phức tạp")).toBe("Covid-19 vẫn diễn biến phức tạp");
    expect(stripDateline("UBND-HĐND")).toBe("UBND-HĐND");
  });

  it("derives a title from the first sentence, cut at a word boundary", () => {
    expect(titleFromText("Giá vàng tăng mạnh. Người dân đổ xô đi mua.")).toBe("Giá vàng tăng mạnh");
    expect(titleFromText("Vì sao giá vàng tăng? Chuyên gia giải thích.")).toBe("Vì sao giá vàng tăng?");
    expect(titleFromText("Tại TP. Hồ Chí Minh, giá vàng tăng. Sau đó giảm.")).toBe("Tại TP. Hồ Chí Minh, giá vàng tăng");
    const long = titleFromText(
      "Năm 2020, Vinamilk đã vượt qua các thương hiệu trong và ngoài nước khác để dẫn đầu bảng xếp hạng thương hiệu mạnh nhất.",
    );
    expect(long).toBe("Năm 2020, Vinamilk đã vượt qua các thương hiệu trong và ngoài nước khác để dẫn đầu bảng…");
    expect(long.length).toBeLessThanOrEqual(90);
    expect(titleFromText("Một".repeat(40))).toBe(`${"Một".repeat(40).slice(0, 89)}…`);
  });

  it("shapes lines: teaser, title repeat, by-line, captions, dateline", () => {
    const shaped = shapePlainText(
      [
        "LSO-Câu mở đầu của bài báo này.Ảnh người dân ra đồngĐoạn...",
        "Tiêu đề bài",
        "LSO-Câu mở đầu của bài báo này.",
        "Ảnh người dân ra đồng",
        "Đoạn hai kể tiếp câu chuyện.",
        "Minh An",
      ],
      { title: "Tiêu đề bài" },
    );
    expect(shaped).toEqual({
      title: "Tiêu đề bài",
      author: "Minh An",
      paragraphs: ["Câu mở đầu của bài báo này.", "Đoạn hai kể tiếp câu chuyện."],
      captions: ["Ảnh người dân ra đồng"],
    });
  });

  it("never empties the body: caption-like lines stay when nothing else is left", () => {
    expect(shapePlainText(["Một dòng ngắn", "Hai dòng ngắn"])).toMatchObject({
      paragraphs: ["Một dòng ngắn"],
      author: "Hai dòng ngắn",
      captions: [],
    });
  });

  it("re-joins hard-wrapped lines", () => {
    expect(shapePlainText(["Thư viện mở cửa buổi tối để học sinh", "và người lao động đến đọc sách."]).paragraphs).toEqual([
      "Thư viện mở cửa buổi tối để học sinh và người lao động đến đọc sách.",
    ]);
  });
});
