import { createHash } from "node:crypto";
import type { Article } from "../../src/domain/types";
import { nfc } from "../../src/text/vietnamese";

/** A hand-made article for unit tests of the stages after loading. */
export function testArticle(fields: Pick<Article, "id" | "title" | "body"> & Partial<Article>): Article {
  const article: Article = {
    publishedAt: null,
    author: null,
    url: null,
    category: null,
    captions: [],
    source: `${fields.id}.txt`,
    contentHash: "",
    ...fields,
    title: nfc(fields.title),
    body: nfc(fields.body),
  };
  article.contentHash = createHash("sha256").update(JSON.stringify({ ...article, source: "", contentHash: "" })).digest("hex");
  return article;
}

/** A small corpus about distinct topics, used across retrieval and answer tests. */
export const SMALL_CORPUS: Article[] = [
  testArticle({
    id: "huu-lung",
    title: "Nâng cao năng lực lãnh đạo của tổ chức cơ sở đảng ở Hữu Lũng",
    publishedAt: "2024-03-01",
    author: "Bảo Vy",
    category: "Chính trị",
    body:
      "Từ năm 2006 đến nay, huyện Hữu Lũng có bước phát triển khá toàn diện về kinh tế, văn hoá, xã hội.\n" +
      "Giai đoạn 2006-2010, Trung tâm Bồi dưỡng chính trị huyện đã mở 31 lớp bồi dưỡng, kết nạp mới được gần 830 đảng viên. " +
      "Hiện Hữu Lũng không còn thôn bản, khu phố trắng đảng viên.\n" +
      "Đảng bộ huyện liên tục được công nhận là Đảng bộ trong sạch, vững mạnh.",
  }),
  testArticle({
    id: "lua-gao",
    title: "Giá lúa gạo tăng mạnh ở đồng bằng sông Cửu Long",
    publishedAt: "2023-08-15",
    url: "https://example.vn/gia-lua-gao",
    category: "Kinh tế",
    body:
      "Giá lúa tại An Giang đã tăng lên 8.000 đồng mỗi ký, mức cao nhất trong mười năm.\n" +
      "Nông dân phấn khởi vì vụ hè thu được mùa được giá. Thương lái đến tận ruộng để thu mua.\n" +
      "Theo Hiệp hội Lương thực, xuất khẩu gạo năm nay có thể đạt 8 triệu tấn.",
  }),
  testArticle({
    id: "bong-da",
    title: "Đội tuyển bóng đá nữ giành huy chương vàng SEA Games",
    publishedAt: "2022-05-21",
    category: "Thể thao",
    body:
      "Tối qua, đội tuyển bóng đá nữ Việt Nam đánh bại Thái Lan với tỷ số 1-0 trong trận chung kết.\n" +
      "Huấn luyện viên Mai Đức Chung cho biết các cầu thủ đã thi đấu với tinh thần quyết tâm cao.\n" +
      "Đây là lần thứ tám đội tuyển nữ giành huy chương vàng tại SEA Games.",
  }),
  testArticle({
    id: "mua-lu",
    title: "Mưa lũ gây sạt lở đất ở Lạng Sơn",
    publishedAt: "2024-07-10",
    category: "Xã hội",
    body:
      "Mưa lớn kéo dài nhiều ngày đã gây sạt lở đất tại nhiều xã của tỉnh Lạng Sơn.\n" +
      "Chính quyền địa phương đã di dời hơn 200 hộ dân đến nơi an toàn. Lực lượng cứu hộ túc trực suốt đêm.\n" +
      "Thiệt hại ban đầu ước tính khoảng 15 tỷ đồng.",
  }),
];
