import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeAnswer } from "../../src/answer";
import { answerCandidates, answerTypeOf, DEFAULT_READER, expectationOf, read, type Reading } from "../../src/read";
import { Retriever, type Retrieval } from "../../src/retrieve";
import type { CorpusIndex } from "../../src/store";
import { fold, syllables, tokenize } from "../../src/text/vietnamese";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";
import { buildTestIndex } from "../helpers/small-index";

/** Hand-made articles where the sentence that repeats the question is not the one that answers it. */
const ARTICLES = [
  testArticle({
    id: "haval",
    title: "Xe Trung Quốc bán chạy",
    publishedAt: "2020-02-10",
    body:
      "Theo thống kê, trong top 10 mẫu xe bán chạy nhất Trung Quốc năm 2019 có Haval H6, mẫu xe được nhiều gia đình chọn mua.\n" +
      "Haval H6 bán được gần 400.000 chiếc trong năm 2019, dẫn đầu phân khúc xe gầm cao.\n" +
      "Hãng cho biết mẫu xe mới sẽ ra mắt thị trường Đông Nam Á.",
  }),
  testArticle({
    id: "cau",
    title: "Khánh thành cầu Bạch Đằng",
    publishedAt: "2018-09-01",
    body:
      "Cầu Bạch Đằng nối Quảng Ninh với Hải Phòng là công trình giao thông trọng điểm của vùng duyên hải.\n" +
      "Cầu Bạch Đằng được khánh thành ngày 1/9/2018 sau ba năm thi công.\n" +
      "Công trình do Tập đoàn Đèo Cả làm chủ đầu tư.",
  }),
  testArticle({
    id: "ngua-van",
    title: "Vì sao ngựa vằn có sọc",
    publishedAt: "2019-06-01",
    body:
      "Bộ lông sọc đen trắng của ngựa vằn từ lâu khiến các nhà khoa học tò mò.\n" +
      "Nhờ luồng không khí đối lưu trên các sọc, bộ lông giúp ngựa vằn giảm được khoảng 70% lượng nhiệt hấp thụ.\n" +
      "Các sọc còn khiến ruồi trâu khó đáp xuống da của ngựa vằn.",
  }),
  testArticle({
    id: "hagl",
    title: "HA Gia Lai thắng trận thứ bảy liên tiếp",
    publishedAt: "2021-04-11",
    body:
      "Ở vòng 11 V-League, HA Gia Lai thắng Thanh Hóa nhờ bàn thắng chỉ ba phút sau giờ nghỉ. Đội bóng phố núi có 28 điểm, hơn đội nhì bảng năm điểm.\n" +
      "Trận đấu diễn ra trên sân Thanh Hóa trước hàng nghìn khán giả.\n" +
      "Sau khi thắng Thanh Hóa ở vòng 11, HA Gia Lai có 7 trận thắng liên tiếp.",
  }),
  testArticle({
    id: "bach-hau",
    title: "Gia Lai thêm ca bạch hầu",
    publishedAt: "2020-10-01",
    body:
      "Dù đã tiêm chủng mở rộng nhưng vẫn xuất hiện nhiều ca bạch hầu mới tại huyện Chư Păh (Gia Lai).\n" +
      "Ngày 1/10, Sở Y tế Gia Lai cho biết mới có thêm ca bạch hầu tại xã Ia Phí (huyện Chư Păh).",
  }),
  testArticle({
    id: "samsung",
    title: "Gia đình Samsung nộp thuế thừa kế",
    publishedAt: "2021-04-28",
    body:
      "Samsung là tập đoàn lớn nhất Hàn Quốc, có trụ sở tại thành phố Suwon.\n" +
      "Gia đình ông Lee sẽ nộp khoản thuế thừa kế cao nhất lịch sử Hàn Quốc.",
  }),
  testArticle({
    id: "sierra",
    title: "Chú chó Sierra bỏ nhà đi",
    publishedAt: "2020-05-02",
    body:
      "Bà Stephanie Herfel, chủ nhân của chú chó Sierra ở bang Wisconsin, cảm thấy khó hiểu. Từ khi về sống với bà năm 2011, Sierra chưa bao giờ hành xử như thế.\n" +
      "Bác sĩ thú y sau đó phát hiện Sierra bị ung thư buồng trứng.",
  }),
  testArticle({
    id: "laptop",
    title: "Laptop mỏng nhẹ màn hình OLED",
    publishedAt: "2021-04-20",
    body:
      "Mẫu laptop mới có màn hình OLED 13 inch, mỏng và nhẹ, pin dùng cả ngày.\n" +
      "Người dùng có thể chụp màn hình laptop bằng tổ hợp phím Windows, Shift và S.\n" +
      "Hãng cho biết cách bảo hành và sửa chữa vẫn như cũ.",
  }),
  testArticle({
    id: "gia-vang",
    title: "Giá vàng đầu tuần",
    publishedAt: "2021-04-26",
    body:
      "Sáng nay 26/4, giá vàng SJC theo giá thế giới giảm 1,9 USD.\n" +
      "Chốt phiên, giá vàng SJC ở mức 55,65 triệu đồng/lượng.",
  }),
  testArticle({
    id: "mai-ton",
    title: "Lốc cuốn mái tôn trường học",
    publishedAt: "2020-10-31",
    body: "Mái tôn dài hơn 100m, chiều ngang khoảng 5m của trường THPT Bình Phú bị lốc cuốn phăng chiều 31/10.",
  }),
  testArticle({
    id: "ha-tang",
    title: "Kế hoạch hạ tầng của Tổng thống Mỹ",
    publishedAt: "2021-04-01",
    body: "Tổng thống Joe Biden, tổng thống thứ 46 của Mỹ, công bố kế hoạch hạ tầng 2 nghìn tỷ USD, trong đó có 50 tỷ USD cho chip bán dẫn.",
  }),
  testArticle({
    id: "afc",
    title: "Lào có thành viên Ban chấp hành AFC",
    publishedAt: "2021-04-02",
    body:
      "Vào năm 2018, bà Kanya Keomany được bầu vào Ban chấp hành AFC.\n" +
      "Ông Bounthong Sayavong (SN 1975) là chủ tịch Liên đoàn bóng đá Lào từ năm 2019.\n" +
      "Liên đoàn mở các lớp bóng đá cho học sinh.",
  }),
  testArticle({
    id: "hoi-nghi",
    title: "Tổng kết cuối năm",
    publishedAt: "2021-01-05",
    body: "Anh Minh phát biểu trước hội nghị.\n\nTrời mưa to, nước sông dâng cao.",
  }),
  testArticle({
    id: "sinh-ba",
    title: "Ca sinh ba hiếm gặp",
    publishedAt: "2021-03-01",
    body:
      "Hai bé gái lần lượt chào đời trong niềm vui của bác sĩ và gia đình sản phụ. Sau khi lấy bánh nhau của sản phụ ra, bác sĩ phát hiện có bất thường. Cô bàng hoàng khi thấy chân của em bé thứ ba đang chìa ra ngoài.\n" +
      "Ngày 6/12, các bác sĩ đã mổ miễn phí cho cặp song sinh dính liền. Bố mẹ các cháu quá nghèo, không có khả năng trả chi phí.",
  }),
  testArticle({
    id: "cam-bao",
    title: "Cụ bà lạc quan",
    publishedAt: "2021-02-01",
    body: "Bà Cẩm Bào năm nay 90 tuổi.\n\"Tôi đã sống một cuộc đời rất hạnh phúc và viên mãn. Không quan trọng là mình sống được bao lâu\", bà Cẩm Bào chia sẻ.",
  }),
  testArticle({
    id: "ca-sau",
    title: "Cá sấu đi dạo cùng hai con vịt",
    publishedAt: "2021-04-20",
    body:
      "Đoạn video được quay trên sân golf ở Miami (Mỹ), con cá sấu dài 4,5 mét.\n" +
      "Nhìn thấy hai con vịt lạch bạch đi ngang qua, người quay video đã sợ hãi.",
  }),
  testArticle({
    id: "messi",
    title: "Messi chưa gia hạn với Barcelona",
    publishedAt: "2021-04-15",
    body:
      "Hợp đồng của Messi với Barcelona chỉ còn vỏn vẹn 2 tháng.\n" +
      "Cầu thủ người Argentina vẫn chưa quyết định gia hạn.",
  }),
  testArticle({
    id: "bn2792",
    title: "Thêm 10 ca mắc COVID-19 nhập cảnh",
    publishedAt: "2021-04-20",
    body:
      "Bộ Y tế cho biết 10 ca mắc mới được cách ly ngay sau khi nhập cảnh.\n" +
      "CA BỆNH 2792 (BN2792) ghi nhận tại tỉnh Hưng Yên: bệnh nhân nam, 20 tuổi, quốc tịch Ấn Độ, là chuyên gia.",
  }),
  testArticle({
    id: "banh-mi",
    title: "Lạ đời quán ăn bảo thủ",
    publishedAt: "2020-11-02",
    body:
      "Ấy vậy mà có một hàng bánh mì ở phố cổ Hà Nội vô cùng bảo thủ, suốt hơn 40 năm vẫn giữ hương vị bánh mì thời bao cấp.\n" +
      "Với giá chỉ 10.000 đồng, bánh mì phố cổ của chị Linh ai cũng ăn được.",
  }),
  testArticle({
    id: "sap-xep-truong",
    title: "Sắp xếp trường lớp",
    publishedAt: "2021-04-10",
    body: "Từ 2017 đến 2020, cả nước giảm 2.302 trường sau sắp xếp.\nCác địa phương tiếp tục rà soát mạng lưới trường lớp.",
  }),
  testArticle({
    id: "iphone",
    title: "Điện thoại cao cấp giảm giá",
    publishedAt: "2021-04-20",
    body: "Tại thị trường chính ngạch, iPhone 12 Pro Max vừa giảm giá xuống còn 29 triệu đồng.\nMẫu máy tính bảng 15 inch sẽ ra mắt năm sau.",
  }),
  testArticle({
    id: "shopee",
    title: "Sàn thương mại điện tử bán chạy",
    publishedAt: "2021-04-05",
    body: "Tại sự kiện Siêu Sale Nửa Đêm ngày 4/4 của Shopee, số sản phẩm bán ra tăng gấp 6 lần so với ngày thường.",
  }),
  testArticle({
    id: "tien-te",
    title: "Đồng tiền châu Á",
    publishedAt: "2021-03-02",
    body: "Đồng yên là đơn vị tiền tệ của Nhật Bản, do Ngân hàng Nhật Bản phát hành.\nĐơn vị tiền tệ của Thái Lan là đồng baht.",
  }),
  testArticle({
    id: "world-cup",
    title: "Siêu giải đấu châu Âu",
    publishedAt: "2021-04-20",
    body: "Các cầu thủ dự siêu giải đấu có thể bị cấm dự World Cup 2022 tại Qatar.\nĐội tuyển Pháp là đương kim vô địch World Cup sau chiến thắng năm 2018.",
  }),
  testArticle({
    id: "peru",
    title: "Vòng loại World Cup",
    publishedAt: "2021-03-03",
    body: "Đội tuyển Peru thắng Chile 2-0 trên sân nhà.\nPeru vươn lên thứ ba bảng xếp hạng.",
  }),
  testArticle({
    id: "bao",
    title: "Bão số 9 đổ bộ",
    publishedAt: "2020-10-28",
    body: "Chiều 28/10, cơn bão số 9 đổ bộ vào Quảng Ngãi với sức gió cấp 12.\nGió giật cấp 5 còn kéo dài ở vùng ven biển đến đêm.",
  }),
  testArticle({
    id: "tien-san-giat",
    title: "Tiền sản giật ở thai phụ",
    publishedAt: "2020-05-04",
    body:
      "Bác sĩ Đào Văn Cường, Bệnh viện Đa khoa Sơn Tây, cho biết tiền sản giật ở thai phụ dễ gây biến chứng.\n" +
      "Phụ nữ mang thai lần đầu, trên 40 tuổi hoặc béo phì dễ bị tiền sản giật hơn cả.",
  }),
  testArticle({
    id: "vac-xin",
    title: "Tiêm chủng",
    publishedAt: "2021-05-01",
    body: "Xin cảm ơn bạn đọc đã theo dõi chuyên mục tiêm chủng.\nTỉnh Lào Cai đã tiêm 12.000 liều vắc xin cho công nhân khu mỏ.",
  }),
  testArticle({
    id: "nanocovax",
    title: "Vắc xin Việt Nam",
    publishedAt: "2021-04-26",
    body:
      "Vắc xin Nanocovax do Công ty Nanogen phát triển.\n" +
      "Theo kế hoạch, nhóm nghiên cứu sẽ báo cáo kết quả vào tháng 5.\n" +
      "Vắc xin Nanocovax do Công ty Nanogen phát triển là vắc xin Covid-19 đầu tiên của Việt Nam bước vào thử nghiệm.",
  }),
  testArticle({
    id: "ha-noi-fc",
    title: "Bóng đá thủ đô",
    publishedAt: "2021-05-02",
    body:
      "Các cầu thủ tập luyện chăm chỉ trước trận gặp câu lạc bộ Hà Nội, nhiều cổ động viên tới sân xem.\n" +
      "HLV Park Choong Kyun chính thức dẫn dắt CLB Hà Nội từ tháng 5.",
  }),
  testArticle({
    id: "bertens",
    title: "Roland Garros 2020",
    publishedAt: "2020-10-01",
    body: "Trận đấu giữa Kiki Bertens và Sara Errani diễn ra vô cùng căng thẳng.\nTay vợt Kiki Bertens đã phải rời sân trên xe lăn sau trận.",
  }),
  testArticle({
    id: "co-dong-vien",
    title: "Sân Bukit Jalil ồn nhất khu vực",
    publishedAt: "2019-11-14",
    body: "Cổ động viên Malaysia đã tạo ra tiếng ồn với cường độ 117 dB trong trận gặp đội tuyển Lào.",
  }),
  testArticle({
    id: "bi-rain",
    title: "Bi Rain giàu cỡ nào",
    publishedAt: "2021-04-18",
    body: "Theo truyền thông Hàn Quốc, vợ chồng ca sĩ Bi Rain có khối tài sản lên đến 42 tỷ won.\nCá hồi Chile được rao bán với giá 170.000 đồng/kg ở chợ Bến Thành.",
  }),
  testArticle({
    id: "xang",
    title: "Giá xăng giảm nhẹ",
    publishedAt: "2021-04-12",
    body: "Sau điều chỉnh, xăng E5 RON 92 có giá 17.806 đồng/lít; RON 95 là 18.970 đồng/lít.",
  }),
  testArticle({
    id: "thoi-tiet",
    title: "Hà Nội nắng đẹp",
    publishedAt: "2021-04-21",
    body: "Thời tiết Hà Nội hôm nay nắng nhẹ, nhiệt độ cao nhất 30 độ C.\nNhiều gia đình đưa trẻ đi chơi công viên Thủ Lệ.",
  }),
  testArticle({
    id: "chau-phi",
    title: "Cây cầu treo dài nhất châu Phi",
    publishedAt: "2021-04-20",
    body: "Cầu Maputo Katembe, cây cầu treo dài nhất châu Phi, nằm ở Mozambique.\nDự án được khởi công năm 2014 và hoàn thành sau bốn năm.",
  }),
  ...SMALL_CORPUS,
];

let index: CorpusIndex;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ index, cleanup } = await buildTestIndex(ARTICLES)));
afterAll(() => cleanup());

async function readQuestion(question: string): Promise<{ retrieval: Retrieval; reading: Reading }> {
  const retrieval = await new Retriever(index, null).retrieve(question);
  const reading = read(retrieval, index);
  return { retrieval, reading };
}

/** Whether the reader answers the question at all. */
const answers = async (question: string) => (await readQuestion(question)).reading.answerable;

const textOf = (reading: Reading, i = 0) => {
  const w = reading.windows[i]!;
  return w.article.body.slice(w.start, w.end);
};

/** The answer span the best window marks (bold in the front ends). */
const answerTextOf = (reading: Reading) => {
  const best = reading.windows[0]!;
  return best.article.body.slice(best.answer!.start, best.answer!.end);
};

describe("answer types", () => {
  it.each([
    ["Haval H6 bán được bao nhiêu chiếc?", "number"],
    ["Cầu Bạch Đằng khánh thành khi nào?", "date"],
    ["Học phí giữ nguyên, vậy từ năm học nào mới tăng?", "date"],
    ["cau bach dang khanh thanh nam nao", "date"],
    ["Tập đoàn nào làm chủ đầu tư?", null],
    ["Ai làm chủ đầu tư cầu Bạch Đằng?", "person"],
    ["Trường nằm ở quận nào?", "place"],
    ["Thuyền viên đi khai báo ở bệnh viện nào?", "place"],
    ["thuyen vien di khai bao o benh vien nao", "place"],
    ["Vì sao ngựa vằn có sọc?", "reason"],
    ["How many cars did Haval sell?", "number"],
    ["Máy lọc nước là gì?", null],
    // "không may" (unlucky) in an accented question is not "mấy"; typed without accents it may be.
    ["Bác sĩ khuyên gì nếu không may bị chấn thương cột sống?", null],
    ["cau thu phai thuc hien may buoc?", "number"],
    // "Việt Nam nào" is not "năm nào"; "tỷ lệ … nhóm nào" asks for the group, not a rate.
    ["Thủ tướng Việt Nam nào dự hội nghị?", null],
    ["Tỷ lệ dinh dưỡng trong trứng phù hợp với nhóm đối tượng nào?", null],
    ["Tỷ lệ cử tri đi bầu là bao nhiêu?", "number"],
    ["Các bệnh nào có số lượng ca mắc tăng gấp ba lần?", null],
    // "đi đầu" (to lead) and "ở đầu" (at the head) are no "đi đâu", "ở đâu"; typed without accents they may be.
    ["Bệnh viện là cơ sở đi đầu trong việc gì?", null],
    ["Vết thương ở đầu có nguy hiểm không?", null],
    ["benh vien o dau", "place"],
    // "từ năm mấy tuổi": an age.
    ["Khối u xuất hiện từ năm mấy tuổi?", "number"],
    // "khí nào", "lực nào" fold onto "khi nào", "lúc nào".
    ["Loại khí nào làm lửa bùng phát?", null],
    ["Chính quyền phân chia quyền lực nào?", null],
    // A kind of people is described, not named; "WHO" in a Vietnamese question is the organisation.
    ["Những ai dễ bị tiền sản giật?", null],
    ["Nhóm người nào dễ mắc sỏi mật?", null],
    ["Chương trình phục vụ những người nào?", null],
    ["Người nào phát hiện ra bệnh?", "person"],
    ["WHO đề cập bệnh gì?", null],
    ["Who discovered the disease?", "person"],
    // Why, as people say it: "nhờ đâu", "Sao … lại …" (not "Sao Hỏa").
    ["Sói xám sống sót qua Kỷ băng hà nhờ đâu?", "reason"],
    ["Sao món lẩu ở Phan Thiết lại gọi là lẩu thả?", "reason"],
    ["Sao Hỏa có nước không?", null],
  ])("%s → %s", (question, type) => {
    expect(answerTypeOf(question)).toBe(type);
  });

  it("takes back a 'mấy' that accent restoration read as 'máy', where a counter follows it", () => {
    // The restorer may read "may lan" as "máy lần"; "máy bay" and "máy giặt" stay machines.
    expect(expectationOf(["năm", "2020", "lọc", "ảo", "máy", "lần"], { typedUnaccented: true })?.type).toBe("number");
    expect(expectationOf(["máy", "lần"])?.type).toBeUndefined();
    expect(expectationOf(["máy", "bay", "cất", "cánh"], { typedUnaccented: true })).toBeNull();
    expect(expectationOf(["máy", "giặt", "chọn", "chế", "độ", "nào"], { typedUnaccented: true })).toBeNull();
  });

  it("does not read a Vietnamese cue typed without accents in an English question: 'may' is not 'mấy'", () => {
    expect(expectationOf(["what", "may", "cause", "the", "fire"], { english: true })).toBeNull();
    expect(expectationOf(["how", "many", "people", "may", "come"], { english: true })?.type).toBe("number");
    expect(expectationOf(["cau", "thu", "phai", "thuc", "hien", "may", "buoc"])?.type).toBe("number");
  });

  it("reads the unit of a question typed without accents from its letters, whatever accents were restored", () => {
    // "sau bao nhieu met", restored as "mệt" (tired): still metres.
    const restored = ["hồ", "có", "bao", "nhiêu", "mệt"];
    expect(expectationOf(restored, { typedUnaccented: true })?.units?.has("m")).toBe(true);
    expect(expectationOf(restored)?.units ?? null).toBeNull();
  });

  it("reads the unit a number must carry and the precision a date must have", () => {
    expect([...(expectationOf("Ông ấy bao nhiêu tuổi?")?.units ?? [])]).toEqual(["tuổi"]);
    expect(expectationOf("Tháp cao bao nhiêu?")?.units?.has("mét")).toBe(true);
    expect(expectationOf("Cầu khánh thành năm nào?")?.grain).toBe("year");
    expect(expectationOf("Cầu khánh thành khi nào?")?.grain).toBe("any");
  });

  const found = (question: string, text: string) => answerCandidates(expectationOf(question)!, text, new Set()).map((s) => text.slice(s.start, s.end));
  /** The descriptions of the person named `name` (folded syllables) that `text` gives, as for "<name> là ai?". */
  const who = (name: string[], text: string) =>
    answerCandidates({ ...expectationOf("Ai?")!, identity: name }, text, new Set(name)).map((s) => text.slice(s.start, s.end));

  it("reads the unit from what the question measures, a word or two before its cue: 'gió giật bao nhiêu', 'giá chỉ bao nhiêu'", () => {
    const storm = "Goni đổ bộ chưa đầy một tuần sau khi bão Molave làm 22 người chết. Bão có sức gió 215 km/h, gió giật 290 km/h.";
    expect(found("Siêu bão Goni có gió giật bao nhiêu?", storm)).toEqual(["215 km/h", "290 km/h"]);
    const bread = "Suốt hơn 40 năm, quán vẫn giữ hương vị bánh mì thời bao cấp, giá chỉ 10.000 đồng.";
    expect(found("Hàng bánh mì phố cổ giá chỉ bao nhiêu?", bread)).toEqual(["10.000 đồng"]);
    expect(found("Tháp cao khoảng bao nhiêu?", "Tháp 3 tầng cao khoảng 30 m.")).toEqual(["30 m"]);
    // Or after it: "bao nhiêu độ", "bao nhiêu ha".
    expect(found("Một số bé sốt cao đến bao nhiêu độ?", "Có 12 bé nhập viện, một số bé sốt trên 38 độ C.")).toEqual(["38 độ"]);
    expect(found("Rừng bị cháy bao nhiêu ha?", "Sau 3 ngày, 20 người dập tắt đám cháy thiêu rụi 15 ha rừng.")).toEqual(["15 ha"]);
  });

  it("reads money from the two words before the cue or that open the question: 'lợi nhuận bao nhiêu', 'Doanh thu … là bao nhiêu?'", () => {
    const results = "Năm 2020, công ty có 8 nhà máy, doanh thu đạt 59.636 tỷ đồng.";
    expect(found("Năm 2020 công ty có doanh thu bao nhiêu?", results)).toEqual(["59.636 tỷ đồng"]);
    expect(found("Công ty có lợi nhuận bao nhiêu?", "Công ty có 8 nhà máy, lợi nhuận 11.000 tỷ đồng.")).toEqual(["11.000 tỷ đồng"]);
    expect(found("Galaxy Note20 giảm giá còn bao nhiêu?", "Máy có 2 bản, giảm giá còn 21,99 triệu đồng.")).toEqual(["21,99 triệu đồng"]);
    expect(found("Công ty có bao nhiêu?", "Công ty có 8 nhà máy, lợi nhuận 11.000 tỷ đồng.")).toEqual(["8 nhà máy", "11.000 tỷ đồng"]);
    // Or from the first two words, what the question is about: "Doanh thu … là bao nhiêu?"
    expect(found("Doanh thu Vinamilk năm 2012 là bao nhiêu?", "Trong 8 năm liền, doanh thu đạt 27.338 tỷ đồng.")).toEqual(["27.338 tỷ đồng"]);
  });

  it("does not count with a share or an age: 'bao nhiêu ca mắc' is not answered by '30%', 'có mấy con' by '31 tuổi'", () => {
    expect(found("Năm 2019 có bao nhiêu ca mắc sởi?", "Số ca mắc sởi tăng 30%, lên 1.200 ca mắc.")).toEqual(["1.200 ca mắc"]);
    expect(found("Hoa hậu có mấy con?", "Hoa hậu Pushpika De Silva, 31 tuổi, đăng quang.")).toEqual([]);
    // Asked as a share or an age, they answer.
    expect(found("Bao nhiêu phần trăm ca mắc tăng?", "Số ca mắc sởi tăng 30%.")).toEqual(["30%"]);
    expect(found("Thuốc chống lại bao nhiêu loại nọc rắn?", "Thuốc chỉ tác dụng với 60% loại nọc rắn.")).toEqual(["60%"]);
    expect(found("Hoa hậu bao nhiêu tuổi?", "Hoa hậu Pushpika De Silva, 31 tuổi, đăng quang.")).toEqual(["31 tuổi"]);
  });

  it("does not count with another measure either: 'bao nhiêu chiếc' is not '39 phút', 'bao nhiêu dân' not '12 triệu USD', nor 'triệu phú' a million", () => {
    const phone = "Máy có pin 5.000 mAh, sạc đầy chỉ sau 39 phút, và đã bán được 2 triệu chiếc.";
    expect(found("Xiaomi bán được bao nhiêu chiếc Mi 11 Ultra?", phone)).toEqual(["2 triệu chiếc"]);
    expect(found("Xiaomi bán được bao nhiêu chiếc Mi 11 Ultra?", "Máy sạc đầy chỉ sau 39 phút.")).toEqual([]);
    expect(found("Tỉnh Wakayama có bao nhiêu dân?", "Ông tài trợ gần 12 triệu USD cho thành phố Tanabe ở tỉnh Wakayama.")).toEqual([]);
    expect(found("Kosuke Nozaki có mấy đời vợ?", "Triệu phú bất động sản Kosuke Nozaki qua đời.")).toEqual([]);
    // Counted in a measure, or asked as one, a measure answers.
    expect(found("Nhà máy vốn bao nhiêu tỷ đồng?", "Nhà máy có vốn 5.000 tỷ đồng.")).toEqual(["5.000 tỷ đồng"]);
    expect(found("khoi u nang bao nhieu ki lo", "Khối u nặng 5 kg.")).toEqual(["5 kg"]);
    expect(found("Sạc đầy mất bao nhiêu phút?", phone)).toEqual(["39 phút"]);
    expect(found("Có bao nhiêu người nhiễm?", "Đã có 2 triệu người nhiễm trong 5 năm.")).toEqual(["2 triệu người"]);
    // The unit is the word after the number: the "ngày" of a date after it is not.
    expect(found("Có bao nhiêu người tắm sông?", "25.000 người ngày 27/4 đã kéo về sông Hằng.")).toEqual(["25.000 người"]);
    // Nor money in any currency ("5.999 tệ"), a rate ("105 tạ/ha" for "bao nhiêu hộ"), a thing of another kind ("một con bạch tuộc" for "mấy quả tim"),
    // a half, or the bare number of a date: the "1" of "tháng 1".
    expect(found("Xã Cát Hải có bao nhiêu hộ trồng hành?", "Năng suất đạt 105 tạ/ha, có 300 hộ trồng.")).toEqual(["300 hộ trồng"]);
    expect(found("Bạch tuộc có mấy quả tim?", "Một con bạch tuộc đang ngủ say. Bạch tuộc có ba quả tim.")).toEqual(["ba quả tim"]);
    expect(found("Xiaomi bán được bao nhiêu chiếc?", "Máy có giá khởi điểm 5.999 tệ.")).toEqual([]);
    // "bao nhiêu 1 lít": the rate's "1" is not what is counted.
    expect(expectationOf("Giá xăng bao nhiêu 1 lít?")).toMatchObject({ noun: null, counted: [] });
    expect(found("Tỉnh Wakayama có bao nhiêu dân?", "Một nửa bất động sản đã được chia cho người vợ trẻ.")).toEqual([]);
    expect(found("Xiaomi bán được bao nhiêu chiếc?", "Sau khi ra mắt hồi tháng 1, Xiaomi trình làng bản Ultra.")).toEqual([]);
  });

  it("reads a name whole across an elided prefix: 'Jonjo O'Neill', not 'Jonjo O'", () => {
    const horse = "Michelle Mone đã gửi chú ngựa này tới cho vị huấn luyện viên nổi tiếng Jonjo O'Neill.";
    expect(found("Ai huấn luyện chú ngựa?", horse)).toEqual(["Jonjo O'Neill"]);
    expect(found("Ai ghi bàn?", "Tiền vệ N’Golo Kanté ghi bàn.")).toEqual(["N’Golo Kanté"]);
    // A possessive is no part of a name.
    expect(found("Ai ghi bàn?", "Cú sút của Harry Kane's đội bóng.")).toEqual(["Harry Kane"]);
  });

  it("reads a Western name whole, with its particles: 'Denis de Trobriand'", () => {
    expect(found("Đảo được đặt theo tên ai?", "Hòn đảo được đặt theo tên của Denis de Trobriand, một trung úy người Pháp.")).toEqual(["Denis de Trobriand"]);
    expect(found("Ai sáng tác bản giao hưởng?", "Bản giao hưởng do Ludwig van Beethoven viết, còn cô da trắng Lan hát.")).toEqual(["Ludwig van Beethoven"]);
  });

  it("does not take the question's own number for the answer, with another unit: '6 giờ' for '… dưới 6 tiếng … bao nhiêu?'", () => {
    const question = "Ngủ dưới 6 tiếng mỗi đêm tăng nguy cơ sa sút trí tuệ bao nhiêu?";
    const text = "Người ngủ 6 giờ hoặc ít hơn mỗi đêm có nguy cơ sa sút trí tuệ tăng 30%.";
    const terms = new Set(tokenize(question).map((t) => fold(t.term)));
    expect(answerCandidates(expectationOf(question)!, text, terms).map((s) => text.slice(s.start, s.end))).toEqual(["30%"]);
  });

  it("answers 'hồ thủy điện nào' with the lake so named", () => {
    expect(expectationOf("Gỗ lậu bị đốt ở hồ thủy điện nào?")?.units).toEqual(new Set(["hồ thuỷ điện"]));
    expect(found("Gỗ lậu bị đốt ở hồ thủy điện nào?", "Bên trong hồ thủy điện Sê San 4 ở Gia Lai, khói bốc lên.")).toEqual(["Sê San"]);
  });

  it("answers 'which hospital' with a hospital, not with the province beside it", () => {
    const text = "Ông quê ở Hà Nam, đến khai báo tại Bệnh viện Đa khoa Cẩm Phả.";
    expect(found("Ông đi khai báo ở bệnh viện nào?", text)).toEqual(["Bệnh viện Đa", "Cẩm Phả"]);
    expect(found("Ông đi khai báo ở bệnh viện nào?", "Ông quê ở Hà Nam.")).toEqual([]);
    expect(found("Bé được chuyển đến bệnh viện nào?", "Bé được chuyển đến Bệnh viện đa khoa tỉnh Phú Thọ.")).toEqual(["tỉnh Phú Thọ"]);
  });

  it("does not take a person's name for a place: 'bạn trai Nick Cannon', 'HLV Park Hang Seo'", () => {
    const text = "DJ Abby De La Rosa và bạn trai Nick Cannon vừa có con. HLV Park Hang Seo dự khán. Cô sinh ra ở Los Angeles.";
    expect(found("Abby De La Rosa quê ở đâu?", text)).toEqual(["DJ Abby De La Rosa", "ở Los Angeles"]);
    expect(found("Ông làm việc ở đâu?", "Ông Nguyễn Văn An làm việc tại Nhà Trắng.")).toEqual(["tại Nhà Trắng"]);
    // Nor a place's for a person's.
    expect(found("Công ty Vinatop do ai làm chủ?", "Công ty ở xã Sơn Lôi, huyện Bình Xuyên do ông Nguyễn Văn Ba làm chủ.")).toEqual(["ông Nguyễn Văn Ba"]);
    expect(found("Đảo được đặt theo tên ai?", "Đảo nằm ở khu vực Nam Thái Bình Dương, tại Papua New Guinea.")).toEqual([]);
    // A role before an institution is not before a person.
    expect(found("Ông là giám đốc ở đâu?", "Bác sĩ Trần Văn Khanh, Giám đốc Bệnh viện Quận 2, cho biết.")).toEqual(["Bệnh viện Quận"]);
    // Compared as written: the "bờ" of "bờ sông" is no "bố" (a name after an abbreviation is cut there, as before).
    expect(found("Con sông nào chạy qua Jacksonville?", "Jacksonville nằm trên bờ sông St. Johns.")).toEqual(["sông St"]);
  });

  it("reads quantities written in words, with their unit: 'một tiếng', 'ba người', 'ba mẫu xe'", () => {
    expect(found("Sau khi ăn bao lâu mới nên uống trà?", "Bạn nên chờ một tiếng sau khi ăn xong.")).toEqual(["một tiếng"]);
    expect(found("Keira còn cứu sống bao nhiêu người?", "Keira còn hiến tạng cứu sống ba người khác.")).toEqual(["ba người"]);
    expect(found("top 10 co may mau xe noi dia?", "Chỉ có ba mẫu xe nội địa.")).toEqual(["ba mẫu xe"]);
    // The noun the question counts is a unit too; ordinals; half.
    expect(found("Có bao nhiêu hoàng tử tham gia?", "Vụ ám sát có năm hoàng tử của phe đối thủ.")).toEqual(["năm hoàng tử"]);
    expect(found("Siêu đô thị đứng thứ mấy về dân số?", "Đó là siêu đô thị đông dân thứ ba ở Mỹ.")).toEqual(["thứ ba"]);
    expect(found("Bệnh dịch kéo dài bao lâu?", "Dịch kéo dài đến thế kỷ 19.")).toEqual(["thế kỷ 19"]);
    // Alone, "một", "ba" and "năm" are "a", "father" and "year".
    expect(found("Ông có bao nhiêu con?", "Ba kể rằng năm nay mưa nhiều hơn một chút.")).toEqual([]);
  });

  it("reads who someone is from the words around the name: a role before it, what follows 'là', an apposition", () => {
    expect(who(["vanessa", "kirby"], "Sở hữu vòng eo nhỏ nhưng nữ diễn viên Vanessa Kirby vẫn tự tin.")).toEqual(["nữ diễn viên Vanessa Kirby"]);
    expect(who(["chanathip"], "Báo Nhật đánh giá Chanathip là cầu thủ Đông Nam Á thành công nhất.")).toEqual(["Chanathip là cầu thủ Đông Nam Á thành công nhất"]);
    expect(who(["jason", "rabinowitz"], "Jason Rabinowitz, một blogger chuyên về hàng không, khẳng định điều đó.")).toEqual([
      "Jason Rabinowitz, một blogger chuyên về hàng không",
    ]);
    // Not a title alone, another subject's "là", nor words that only stand beside the name.
    expect(who(["kim"], "Ông Kim đến thăm nhà máy.")).toEqual([]);
    expect(who(["park"], "Mục tiêu của HLV Park là giành 6 điểm.")).toEqual(["HLV Park"]);
    // A role written in title case.
    expect(who(["nguyen", "phu", "trong"], "Ông chúc mừng Tổng Bí thư Nguyễn Phú Trọng được bầu lại.")).toEqual(["Tổng Bí thư Nguyễn Phú Trọng"]);
    expect(who(["vo", "van", "thuong"], "Đoàn do Phó Chủ tịch Võ Văn Thưởng dẫn đầu.")).toEqual(["Phó Chủ tịch Võ Văn Thưởng"]);
    expect(who(["kiki", "bertens"], "Trận đấu giữa Kiki Bertens và Sara Errani rất căng thẳng.")).toEqual([]);
  });

  it("takes no clause that goes on with something else for an apposition: '…, nhất là …', '…, và …'", () => {
    expect(who(["nguyen", "phu", "trong"], "Người dân quý mến Nguyễn Phú Trọng, nhất là những năm gần đây.")).toEqual([]);
    expect(who(["le", "van", "tam"], "Hàng xóm quý Lê Văn Tám, và cả xóm đến giúp.")).toEqual([]);
    expect(who(["jason", "rabinowitz"], "Jason Rabinowitz, một blogger chuyên về hàng không, khẳng định điều đó.")).toEqual([
      "Jason Rabinowitz, một blogger chuyên về hàng không",
    ]);
  });

  it("reads a reason in the clause before 'nên' (so), but not before the 'nên' of 'should'", () => {
    const text = "Thành phố đã dừng hoạt động phố đi bộ hồ Gươm nên người dân tập trung ở quảng trường. Bạn không nên ra đường lúc này.";
    expect(found("Vì sao người dân tập trung ở quảng trường?", text)).toEqual(["Thành phố đã dừng hoạt động phố đi bộ hồ Gươm"]);
    expect(found("Vì sao không ra đường?", "Bác sĩ khuyên người già không nên ra đường lúc này.")).toEqual([]);
    expect(found("Vì sao bệnh nhân không đi khám?", "Bác sĩ khuyên nam bệnh nhân nên đi khám sớm.")).toEqual([]);
  });

  it("reads a reason after 'vì', 'do', 'bởi', but not the consequence after 'vì vậy', 'do đó', nor 'thay vì'", () => {
    const question = "Vì sao người bệnh nhanh no?";
    expect(found(question, "Nhanh no có thể là do khối u trong dạ dày.")).toEqual(["do khối u trong dạ dày"]);
    expect(found(question, "Biến chứng có thể xảy ra, vì vậy bệnh nhân được theo dõi.")).toEqual([]);
    expect(found(question, "Do đó, người bệnh được theo dõi sát.")).toEqual([]);
    expect(found(question, "Thay vì che giấu, cậu bé kể cho cả lớp.")).toEqual([]);
  });

  it("reads 'bao nhiêu lâu' as 'bao lâu', decades as durations, an age as a time, and a share as new beside the question's number", () => {
    expect(found("Bệnh nhân trải qua phẫu thuật bao nhiêu lâu?", "Ca phẫu thuật kéo dài gần 2 giờ, có 5 bác sĩ tham gia.")).toEqual(["2 giờ"]);
    expect(found("Kim học luật mỗi tuần bao nhiêu tiếng?", "Chương trình học 4 năm, mỗi tuần tối thiểu 18 tiếng.")).toEqual(["18 tiếng"]);
    expect(found("Tàu ngầm cách Bali bao xa?", "Tàu có 53 người, cách Bali 23 hải lý.")).toEqual(["23 hải lý"]);
    expect(found("Công trình nghiên cứu diễn ra trong bao lâu?", "Công trình kéo dài suốt một thập kỷ với 12 chuyên gia.")).toEqual(["một thập kỷ"]);
    expect(found("Bé Dũng được tiêm vắc xin từ khi nào?", "Bé Dũng tiêm 2 mũi vắc xin từ 2-3 tháng tuổi.")).toEqual(["từ 2-3 tháng tuổi"]);
    expect(found("Bao nhiêu phần trăm bệnh nhân sống trên 5 năm?", "Dưới 5% bệnh nhân sống được trên 5 năm.")).toEqual(["5%"]);
  });

  it("reads a unit written before the number and long units: 'ở tuổi 39', '1600 năm ánh sáng'", () => {
    expect(found("Lê Khánh khoe ảnh bikini ở tuổi bao nhiêu?", "Lê Khánh khoe vóc dáng ở tuổi 39.")).toEqual(["tuổi 39"]);
    expect(found("Tinh vân cách Trái đất bao xa?", "Tinh vân nằm cách Trái đất khoảng 1600 năm ánh sáng.")).toEqual(["1600 năm ánh sáng"]);
  });

  it("answers 'khi nào' with a time of day or an occasion, but 'năm nào' only with a year", () => {
    expect(found("Không nên ăn bánh chưng vào thời điểm nào?", "Không ăn bánh chưng vào buổi tối.")).toEqual(["buổi tối"]);
    expect(found("Đau đầu xuất hiện khi nào?", "Đau đầu thường xuất hiện sau khi uống rượu bia, dù uống ít hay nhiều.")).toEqual([
      "sau khi uống rượu bia, dù uống ít hay nhiều",
    ]);
    expect(found("Cầu khánh thành năm nào?", "Cầu khánh thành sau khi hoàn tất thủ tục.")).toEqual([]);
    // An occasion the question itself names is not its answer.
    const folded = new Set(["đau", "đầu", "sau", "khi", "uống", "rượu", "xuất", "hiện", "nào"].map(fold));
    const echo = "Không phải ai cũng đau đầu sau khi uống rượu bia.";
    expect(answerCandidates(expectationOf("Đau đầu sau khi uống rượu xuất hiện khi nào?")!, echo, folded)).toEqual([]);
    expect(found("Truật Xích sinh năm nào?", "Cô sinh con trai tên là Truật Xích (1185-1226).")).toEqual(["(1185-1226)"]);
  });

  it("reads a date or a time only where the words make one: '15/18 tỉnh' is a share, '12 hằng năm' and '28/4 giờ địa phương' hold no hour", () => {
    expect(found("Quốc khánh của Lào là ngày nào?", "Dịch đã lây lan ra 15/18 tỉnh trên cả nước.")).toEqual([]);
    expect(found("Quốc khánh của Lào là ngày nào?", "Lào kỷ niệm Quốc khánh ngày 2/12 hằng năm.")).toEqual(["ngày 2/12"]);
    // Nor is the "12 h" of "12 hằng năm" a time of day.
    expect(found("Lễ bắt đầu lúc nào?", "Lễ bắt đầu lúc 9h30 và kết thúc vào 12 giờ 15 phút.")).toEqual(["9h30", "12 giờ 15 phút"]);
    // "giờ địa phương" is local time: the date is "ngày 28/4", with nothing after it.
    expect(found("Ông phát biểu vào ngày nào?", "Tối ngày 28/4 giờ địa phương, ông đã phát biểu.")).toEqual(["ngày 28/4"]);
  });

  it("finds dates written without a digit as in a sentence with digits (the patterns that need one are skipped without)", () => {
    const words = "Sáng nay, thứ hai đầu năm nay, hôm qua chủ nhật và thế kỷ XX";
    expect(found("Chuyện xảy ra khi nào?", words)).toEqual(["Sáng nay", "thứ hai", "đầu năm nay", "hôm qua", "chủ nhật", "thế kỷ XX"]);
    expect(found("Chuyện xảy ra khi nào?", `${words}, ngày 26/4/2021 lúc 9h30`)).toEqual([
      "Sáng nay", "thứ hai", "đầu năm nay", "hôm qua", "chủ nhật", "thế kỷ XX", "ngày 26/4/2021", "9h30",
    ]);
  });

  it("reads ranges and rates whole, and a bare number after an acronym as part of a name", () => {
    const petrol = "Giá xăng có thể tăng 200-300 đồng/lít. Mỗi lít xăng E5 RON 92 giảm 45 đồng; gió giật 290 km/h.";
    expect(found("Giá xăng tăng bao nhiêu?", petrol)).toEqual(["200-300 đồng/lít", "45 đồng", "290 km/h"]);
    expect(found("TP HCM có bao nhiêu ca?", "TP HCM 12 ca, Hà Nội 36 ca.")).toEqual(["12 ca", "36 ca"]);
    expect(found("Có bao nhiêu ca mắc?", "Thêm 12 ca mắc Covid-19, một ca tái nhiễm SARS-CoV-2.")).toEqual(["12 ca mắc", "một ca"]);
    expect(found("Có bao nhiêu đảng viên?", "Theo Nghị quyết 07-NQ/TU, huyện kết nạp 830 đảng viên.")).toEqual(["830 đảng viên"]);
  });

  it("does not take a name the question writes, behind a cue, for the answer: 'huyện Chư Păh'", () => {
    const text = "Bệnh nhân ở huyện Chư Păh được chuyển đến thành phố Pleiku.";
    const asked = new Set(syllables("Bệnh nhân ở Chư Păh được chuyển đến đâu?").map(fold));
    const spans = answerCandidates(expectationOf("Bệnh nhân ở Chư Păh được chuyển đến đâu?")!, text, asked);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["thành phố Pleiku"]);
  });

  it("does not take a number glued to one the question writes for the answer: 'Nghị định 91/2020' is a name", () => {
    const decree = "Nghị định 91/2020 có hiệu lực từ hôm nay, mức phạt tối đa lên đến 100 triệu đồng.";
    const asked = new Set(syllables("phạt tối đa bao nhiêu theo nghị định 91").map(fold));
    const spans = answerCandidates(expectationOf("Phạt tối đa bao nhiêu theo nghị định 91?")!, decree, asked);
    expect(spans.map((s) => decree.slice(s.start, s.end))).toEqual(["100 triệu đồng"]);
    // Nor a range from or to it: "(2012-2020)" says nothing of 2012.
    const brand = "Thương hiệu được chọn mua nhiều nhất trong 8 năm liền (2012-2020), doanh thu năm 2012 đạt 27.338 tỷ đồng.";
    const any = answerCandidates(expectationOf("Năm 2012 có bao nhiêu?")!, brand, new Set(["2012", "nam", "co", "bao", "nhieu"]));
    expect(any.map((s) => brand.slice(s.start, s.end))).toEqual(["8 năm", "27.338 tỷ đồng"]);
  });
});

describe("read", () => {
  it("puts the sentence with the number first for a how-many question, over one that repeats the question's words", async () => {
    const { reading } = await readQuestion("Xe Haval H6 của Trung Quốc năm 2019 bán được khoảng bao nhiêu chiếc?");
    expect(reading.type).toBe("number");
    expect(reading.answerable).toBe(true);
    expect(textOf(reading)).toContain("400.000 chiếc");
    expect(answerTextOf(reading)).toBe("400.000 chiếc");
  });

  it("puts the sentence with the date first for a when-question", async () => {
    const { reading } = await readQuestion("Cầu Bạch Đằng được khánh thành khi nào?");
    expect(reading.type).toBe("date");
    expect(answerTextOf(reading)).toContain("1/9/2018");
  });

  it("reads a foreign word of a question typed without accents as a name: 'peru' must stand where the answer does", async () => {
    expect(await answers("don vi tien te chinh thuc cua thai lan la gi")).toBe(true);
    // The same question with accents writes "Peru" with a capital, a name the articles never write.
    expect(await answers("Đơn vị tiền tệ chính thức của Peru là gì?")).toBe(false);
    expect(await answers("don vi tien te chinh thuc cua peru la gi")).toBe(false);
  });

  it("finds the percentage a how-much question asks for", async () => {
    const { reading } = await readQuestion("Bộ lông sọc đen trắng giúp ngựa vằn giảm được bao nhiêu phần trăm nhiệt?");
    expect(answerTextOf(reading)).toBe("70%");
    // Written with the sign, which is no word of the question: "bao nhiêu % nhiệt" still asks a share.
    const { reading: sign } = await readQuestion("Bộ lông sọc đen trắng giúp ngựa vằn giảm được bao nhiêu % nhiệt?");
    expect(answerTextOf(sign)).toBe("70%");
  });

  it("prefers the number of what the question counts: '28 điểm', not 'ba phút' beside the question's words", async () => {
    expect(expectationOf("HA Gia Lai có bao nhiêu điểm sau khi thắng Thanh Hóa?")?.noun).toBe("điểm");
    // "sau khi thắng …" is a clause, not part of what is counted ("28 điểm sau" is not the answer).
    expect(expectationOf("HA Gia Lai có bao nhiêu điểm sau khi thắng Thanh Hóa?")?.counted).toEqual(["điểm"]);
    // An English question's counted word is English: the Vietnamese answer does not write it.
    expect(expectationOf("How many diplomats did Russia expel?", { english: true })?.noun).toBeNull();
    const question = "HA Gia Lai có bao nhiêu điểm sau khi thắng Thanh Hóa ở vòng 11?";
    const { retrieval, reading } = await readQuestion(question);
    expect(answerTextOf(reading)).toBe("28 điểm");
    // Nor is "28 điểm" seconded by a quote with another number ("7 trận").
    const answer = composeAnswer(question, retrieval, reading);
    expect(answer.parts.map((p) => p.quote.text).join(" ")).not.toContain("7 trận");
  });

  it("answers 'which commune' with a commune, not with the district the question names", async () => {
    const { reading } = await readQuestion("Ca bạch hầu mới ở Chư Păh Gia Lai ở xã nào?");
    expect(reading.type).toBe("place");
    expect(answerTextOf(reading)).toBe("xã Ia Phí");
  });

  it("does not answer 'which mountain' with a passage that names no mountain", async () => {
    expect(expectationOf("Núi cao nhất Hàn Quốc là núi nào?")?.units).toEqual(new Set(["núi"]));
    expect(await answers("Núi cao nhất Hàn Quốc là núi nào?")).toBe(false);
  });

  it("shows a sentence that only restates an open question with the sentence after it, which answers", async () => {
    const { reading } = await readQuestion("Bà Stephanie khó hiểu về điều gì?");
    expect(reading.type).toBeNull();
    expect(textOf(reading)).toContain("chưa bao giờ hành xử như thế");
  });

  it("answers a how-to question only with a sentence that names its action", async () => {
    const shot = await readQuestion("Cách chụp màn hình laptop?");
    expect(shot.reading.answerable).toBe(true);
    expect(textOf(shot.reading)).toContain("tổ hợp phím");
    // Nothing in the corpus says how to repair one: a sentence about laptop screens is no answer.
    expect(await answers("Cách sửa màn hình laptop?")).toBe(false);
  });

  it("takes a date the question writes as met by an article of that day", async () => {
    const { reading } = await readQuestion("Giá vàng SJC ở Hà Nội chốt phiên 26/4/2021 bán ra bao nhiêu?");
    expect(answerTextOf(reading)).toBe("55,65 triệu đồng/lượng");
  });

  it("takes a month the question writes as met by an article published that month: 'tháng 4/2021'", async () => {
    for (const asked of ["tháng 4/2021", "tháng 4 năm 2021", "4/2021"]) {
      const { reading } = await readQuestion(`Hợp đồng của Messi với Barcelona còn bao lâu (${asked})?`);
      expect(reading.answerable).toBe(true);
      expect(answerTextOf(reading)).toBe("2 tháng");
    }
    expect(await answers("Hợp đồng của Messi với Barcelona còn bao lâu (tháng 9/2021)?")).toBe(false);
  });

  it("takes a small count written with digits as met by its number word: '2 con vịt' is 'hai con vịt'", async () => {
    const { reading } = await readQuestion("Cá sấu đi dạo cùng 2 con vịt được quay ở đâu?");
    expect(reading.answerable).toBe(true);
    expect(answerTextOf(reading)).toContain("Miami");
    // The word with what it counts: the article's "hai" is no "3 con", nor any other "hai".
    expect(await answers("Cá sấu đi dạo cùng 3 con vịt được quay ở đâu?")).toBe(false);
  });

  it("does not join a code with digits to the name before it: 'Covid BN2792' is a name and a case number, written apart", async () => {
    const { reading } = await readQuestion("Ca Covid BN2792 ở Hưng Yên có quốc tịch gì?");
    expect(textOf(reading)).toContain("quốc tịch Ấn Độ");
    // "COVID-19" in the title, "BN2792" and "Hưng Yên" in the sentence: every constraint is met.
    expect(reading.windows[0]!.constraints).toBe(1);
  });

  it("takes a number after a name as part of it: 'iPhone 15' is not met by 'iPhone 12' and a '15' elsewhere", async () => {
    const twelve = await readQuestion("iPhone 12 Pro Max giảm giá xuống còn bao nhiêu?");
    expect(twelve.reading.answerable).toBe(true);
    expect(answerTextOf(twelve.reading)).toBe("29 triệu đồng");
    expect(await answers("iPhone 15 Pro Max giảm giá xuống còn bao nhiêu?")).toBe(false);
    // A date after a name is a date: "Nửa Đêm 4/4" is met by "ngày 4/4".
    const sale = await readQuestion("Siêu Sale Nửa Đêm 4/4 của Shopee bán ra tăng gấp mấy lần?");
    expect(sale.reading.answerable).toBe(true);
    expect(answerTextOf(sale.reading)).toBe("6 lần");
  });

  it("takes a range of years as one constraint: '2017-2020' is met by 'từ 2017 đến 2020', not by each year apart", async () => {
    const { reading } = await readQuestion("Giai đoạn 2017-2020 cả nước giảm bao nhiêu trường sau sắp xếp?");
    expect(reading.answerable).toBe(true);
    expect(answerTextOf(reading)).toBe("2.302 trường");
    // "2020" stands in the sentence and "2021" is the article's year, but no sentence says "2020-2021".
    expect(await answers("Giai đoạn 2020-2021 cả nước giảm bao nhiêu trường sau sắp xếp?")).toBe(false);
  });

  it("answers a question that names its unit from a nearly as good window of the same article that holds one", async () => {
    const { retrieval, reading } = await readQuestion("Hàng bánh mì phố cổ Hà Nội giá chỉ bao nhiêu?");
    expect(reading.answerable).toBe(true);
    expect(answerTextOf(reading)).toBe("10.000 đồng");
    // The sentence that restates the question scores better, but "40 năm" is no price.
    const without = read(retrieval, index, { ...DEFAULT_READER, measuredFallback: 2 });
    expect(without.answerable).toBe(false);
    expect(textOf(without)).toContain("40 năm");
  });

  it("of several numbers, answers with the one beside what the question measures: 'dài hơn 100m', not '5m'", async () => {
    const { reading } = await readQuestion("Mái tôn trường THPT Bình Phú bị lốc cuốn dài bao nhiêu?");
    expect(answerTextOf(reading)).toBe("100m");
  });

  it("shows the counted words with the number: '830 đảng viên', not '830'", async () => {
    expect(expectationOf("Hữu Lũng kết nạp bao nhiêu đảng viên?")?.counted).toEqual(["đảng", "viên"]);
    const { reading } = await readQuestion("Hữu Lũng kết nạp bao nhiêu đảng viên?");
    expect(answerTextOf(reading)).toBe("830 đảng viên");
  });

  it("says not found when the year the question writes stands nowhere in the article", async () => {
    expect(await answers("Haval H6 bán được bao nhiêu chiếc năm 2031?")).toBe(false);
  });

  it("does not answer from an article what happened in a year after its own, unless the question asks what is planned", async () => {
    // An article of April 2021 that writes "World Cup 2022" cannot tell who won it, only where it will be.
    expect(await answers("Đội tuyển nào vô địch World Cup 2022 ở Qatar?")).toBe(false);
    expect(await answers("World Cup 2022 sẽ diễn ra ở nước nào?")).toBe(true);
  });

  it("answers when someone was born only with a birth: 'SN 1975', not the year she was elected", async () => {
    const born = await readQuestion("Ông Bounthong Sayavong sinh năm nào?");
    expect(born.reading.answerable).toBe(true);
    expect(answerTextOf(born.reading)).toBe("1975");
    expect(await answers("Bà Kanya Keomany sinh năm bao nhiêu?")).toBe(false);
  });

  it("takes 'thứ 50' as an ordinal: the 50th president is not answered by '50 tỷ USD'", async () => {
    const the46th = await readQuestion("Tổng thống thứ 46 của Mỹ là ai?");
    expect(the46th.reading.answerable).toBe(true);
    expect(answerTextOf(the46th.reading)).toContain("Joe Biden");
    expect(await answers("Tổng thống thứ 50 của Mỹ là ai?")).toBe(false);
  });

  it("takes 'bão số 9' as a designation: storm number 5 is not answered by the 'cấp 5' of another storm", async () => {
    const ninth = await readQuestion("Bão số 9 đổ bộ vào đâu?");
    expect(ninth.reading.answerable).toBe(true);
    expect(textOf(ninth.reading)).toContain("Quảng Ngãi");
    expect(await answers("Bão số 5 đổ bộ vào đâu?")).toBe(false);
  });

  it("answers who someone is with the sentence that says it, and 'who holds an office' with a name", async () => {
    const { reading } = await readQuestion("Kiki Bertens là ai?");
    expect(textOf(reading)).toMatch(/^Tay vợt Kiki Bertens/);
    expect(answerTextOf(reading)).toBe("Tay vợt Kiki Bertens");
    expect(expectationOf("Chủ tịch nước là ai?")?.type).toBe("person");
  });

  it("answers 'Who is <name>?' in English as 'là ai': with what the article says the person is, not another name beside", async () => {
    const { reading } = await readQuestion("Who is Kiki Bertens?");
    expect(reading.type).toBe("person");
    expect(answerTextOf(reading)).toBe("Tay vợt Kiki Bertens");
  });

  it("reads a word news spells another way as the question's: 'vaccine' is 'vắc xin', not the 'Xin' of 'Xin cảm ơn'", async () => {
    const { retrieval, reading } = await readQuestion("Lào Cai tiêm bao nhiêu liều vaccine cho công nhân?");
    expect(retrieval.hits[0]?.article.id).toBe("vac-xin");
    expect(reading.answerable).toBe(true);
    expect(answerTextOf(reading)).toBe("12.000 liều");
    const marked = reading.windows[0]!.matches.map((m) => reading.windows[0]!.article.body.slice(m.start, m.end));
    expect(marked.some((m) => m.endsWith("vắc xin"))).toBe(true);
  });

  it("reads an abbreviation as its words: 'HLV' is 'huấn luyện viên', 'CLB' is 'câu lạc bộ', whichever the question writes", async () => {
    for (const question of ["Huấn luyện viên của câu lạc bộ Hà Nội là ai?", "hlv clb ha noi la ai"]) {
      const { reading } = await readQuestion(question);
      expect(reading.answerable, question).toBe(true);
      expect(textOf(reading), question).toBe("HLV Park Choong Kyun chính thức dẫn dắt CLB Hà Nội từ tháng 5.");
    }
  });

  it("answers a question about a kind of people with the sentence that describes them, not the one that names an expert", async () => {
    const { reading } = await readQuestion("Những ai dễ bị tiền sản giật?");
    expect(textOf(reading)).toMatch(/^Phụ nữ mang thai lần đầu/);
  });

  it("takes a number glued to its unit as written apart too: '117dB' is '117 dB'", async () => {
    const { reading } = await readQuestion("Ai đã tạo ra tiếng ồn với cường độ 117dB?");
    expect(reading.answerable).toBe(true);
    expect(textOf(reading)).toContain("117 dB");
  });

  it("does not answer from loose syllables: a sentence holding none of the question's words in order needs more of them", async () => {
    // "Minh" and "phát" are half of "Ai phát minh ra đồng hồ?", but "Minh phát biểu" is not "phát minh".
    const { retrieval, reading } = await readQuestion("Ai phát minh ra đồng hồ?");
    expect(textOf(reading)).toBe("Anh Minh phát biểu trước hội nghị.");
    expect(read(retrieval, index, { ...DEFAULT_READER, unpairedSupport: 1 }).answerable).toBe(true);
    expect(reading.answerable).toBe(false);
    expect(await answers("Ai phát biểu trước hội nghị?")).toBe(true);
  });

  it("weighs a window holding only the question's names less: naming Mozambique says nothing of who built what there", async () => {
    const supportsOf = async (question: string) => {
      const { retrieval, reading } = await readQuestion(question);
      expect(textOf(reading)).toContain("Mozambique");
      return [reading.windows[0]!.support, read(retrieval, index, { ...DEFAULT_READER, namesOnlySupport: 1 }).windows[0]!.support] as const;
    };
    // Neither the sentence nor its title writes "công ty" or "thi công": only the names are held.
    const [namesOnly, without] = await supportsOf("Công ty nào thi công Maputo Katembe ở Mozambique?");
    expect(without).toBeGreaterThan(0);
    expect(namesOnly).toBeCloseTo(DEFAULT_READER.namesOnlySupport * without, 10);
    expect(DEFAULT_READER.namesOnlySupport).toBeLessThan(1);
    // What the sentence does say of them ("cầu treo", "dài nhất") is weighed in full.
    const [asked, same] = await supportsOf("Cây cầu treo nào ở Mozambique dài nhất châu Phi?");
    expect(asked).toBe(same);
    expect(asked).toBeGreaterThanOrEqual(DEFAULT_READER.minSupport);
  });

  it("does not ask an English question's words to stand in order in a Vietnamese window: its pairs are English words", async () => {
    const { retrieval } = await readQuestion("Where is Hai Phong?");
    expect(retrieval.query.language).toBe("en");
    const supportAt = (unpairedSupport: number) => read(retrieval, index, { ...DEFAULT_READER, unpairedSupport }).windows[0]!.support;
    expect(supportAt(0.5)).toBeGreaterThan(0);
    expect(supportAt(0.5)).toBe(supportAt(1));
  });

  it("of windows that score the same, shows the one that goes on past the sentence restating the question", async () => {
    const { reading } = await readQuestion("Sau khi lấy bánh nhau ra, bác sĩ phát hiện điều gì bất thường?");
    expect(textOf(reading)).toBe("Sau khi lấy bánh nhau của sản phụ ra, bác sĩ phát hiện có bất thường. Cô bàng hoàng khi thấy chân của em bé thứ ba đang chìa ra ngoài.");
    // The sentence before adds none of the question's words either: only its place tells them apart.
    const before = reading.windows.find((w) => w.article.body.slice(w.start, w.end).startsWith("Hai bé gái") && w.parts.length === 2)!;
    expect(before.score).toBe(reading.windows[0]!.score);
  });

  it("shows a sentence without the span its question's type asks for with the next one, which may hold it, when both score the same", async () => {
    const why = await readQuestion("Vì sao các bác sĩ mổ miễn phí cho cặp song sinh?");
    expect(textOf(why.reading)).toContain("quá nghèo");
  });

  it("does not cut a quotation: its first sentence is shown though it holds none of the question's words", async () => {
    const { reading } = await readQuestion("Bà Cẩm Bào chia sẻ điều gì?");
    expect(textOf(reading)).toBe('"Tôi đã sống một cuộc đời rất hạnh phúc và viên mãn. Không quan trọng là mình sống được bao lâu", bà Cẩm Bào chia sẻ.');
  });

  it("says not found when the number asked for, with its unit, is nowhere near the topic", async () => {
    expect(await answers("Cầu Bạch Đằng dài bao nhiêu mét?")).toBe(false);
  });

  it("answers a question about today or last night only from an article of those days, and names the latest older one that answers", async () => {
    const question = "Thời tiết Hà Nội hôm nay thế nào?";
    const retrieval = await new Retriever(index, null).retrieve(question);
    const sameDay = read({ ...retrieval, now: Date.parse("2021-04-21T15:00:00+07:00") }, index);
    expect(sameDay.answerable).toBe(true);
    expect(textOf(sameDay)).toContain("nắng nhẹ");
    expect(sameDay.outdated).toBeUndefined();
    const later = read({ ...retrieval, now: Date.parse("2026-12-02T08:00:00+07:00") }, index);
    expect(later.answerable).toBe(false);
    expect(later.outdated).toBe("2021-04-21");
    const answer = composeAnswer(question, retrieval, later);
    expect(answer).toMatchObject({ notFound: true, outdated: "2021-04-21" });
    expect(answer.text).toContain("2021-04-21");
    // The clock is today: typed without accents, the same; asked about that date, or about "hiện nay", the archive answers.
    expect(await answers("thoi tiet ha noi hom nay the nao")).toBe(false);
    expect(await answers("Thời tiết Hà Nội ngày 21/4 thế nào?")).toBe(true);
    expect(await answers("Thời tiết Hà Nội hiện nay thế nào?")).toBe(true);
    // No article of any day answers it: no date is named (the weather article does not tell a storm's landfall).
    const storm = await readQuestion("Bão số 5 hôm nay đổ bộ vào đâu?");
    expect(storm.reading.answerable).toBe(false);
    expect(storm.reading.outdated).toBeUndefined();
  });

  it("answers a rate only with a window that names what it is per: 'bao nhiêu won một giờ' is not a fortune of '42 tỷ won'", async () => {
    expect(await answers("Vợ chồng ca sĩ Bi Rain có tài sản bao nhiêu won?")).toBe(true);
    expect(await answers("Vợ chồng ca sĩ Bi Rain kiếm bao nhiêu won một giờ?")).toBe(false);
    const salmon = await readQuestion("Cá hồi Chile rao bán bao nhiêu 1 kg?");
    expect(salmon.reading.answerable).toBe(true);
    expect(answerTextOf(salmon.reading)).toBe("170.000 đồng/kg");
  });

  it("answers with the quantity after what the question asks about, not the one before it: 'RON 95 là 18.970 đồng/lít'", async () => {
    const { reading } = await readQuestion("Xăng RON 95 bao nhiêu tiền một lít?");
    expect(answerTextOf(reading)).toBe("18.970 đồng/lít");
  });

  it("ranks windows best first", async () => {
    for (const question of ["Haval H6 bán được bao nhiêu chiếc?", "Ai làm chủ đầu tư cầu Bạch Đằng?", "giá lúa An Giang"]) {
      const { reading } = await readQuestion(question);
      for (let i = 1; i < reading.windows.length; i++) expect(reading.windows[i]!.score).toBeLessThanOrEqual(reading.windows[i - 1]!.score);
    }
  });
});

describe("the answer shown", () => {
  const vocabularyWords = [...new Set(ARTICLES.flatMap((a) => syllables(`${a.title} ${a.body}`)))];
  const question = fc
    .tuple(
      fc.array(fc.constantFrom(...vocabularyWords), { minLength: 1, maxLength: 7 }),
      fc.constantFrom("", "bao nhiêu?", "khi nào?", "ở đâu?", "là ai?", "vì sao?", "là gì?"),
    )
    .map(([words, ask]) => `${words.join(" ")} ${ask}`.trim());

  it("starts with the best window, quotes verbatim, marks the answer inside its quote, never shows a near-duplicate twice (property)", async () => {
    await fc.assert(
      fc.asyncProperty(question, async (q) => {
        const { retrieval, reading } = await readQuestion(q);
        const answer = composeAnswer(q, retrieval, reading);
        if (answer.notFound) return;
        const best = reading.windows[0]!;
        expect(answer.parts[0]!.quote).toMatchObject({ start: best.start, end: best.end });
        expect(answer.parts[0]!.articleId).toBe(best.article.id);
        const words = answer.parts.map((p) => new Set(p.quote.text.toLowerCase().split(/\s+/)));
        answer.parts.forEach((part, i) => {
          const article = index.article(part.articleId)!;
          expect(article.body.slice(part.quote.start, part.quote.end)).toBe(part.quote.text);
          if (part.answerSpan) {
            expect(part.answerSpan.start).toBeGreaterThanOrEqual(part.quote.start);
            expect(part.answerSpan.end).toBeLessThanOrEqual(part.quote.end);
          }
          for (const m of part.matches) expect(m.start >= part.quote.start && m.end <= part.quote.end).toBe(true);
          for (let j = 0; j < i; j++) {
            const shared = [...words[i]!].filter((w) => words[j]!.has(w)).length;
            expect(shared / Math.min(words[i]!.size, words[j]!.size)).toBeLessThan(1);
          }
        });
      }),
      { numRuns: 120 },
    );
  });

  it("does not quote a sentence again inside a longer one: an article that repeats its lead shows it once", async () => {
    const question = "Vắc xin Nanocovax do công ty phát triển?";
    const { retrieval, reading } = await readQuestion(question);
    const answer = composeAnswer(question, retrieval, reading);
    const texts = answer.parts.map((p) => p.quote.text);
    expect(texts.length).toBeGreaterThan(0);
    for (const [i, a] of texts.entries()) for (const [j, b] of texts.entries()) if (i !== j) expect(b.replace(/\.$/, "").includes(a.replace(/\.$/, ""))).toBe(false);
  });

  it("answers a factual question with one source and one quote holding the answer", async () => {
    const { retrieval, reading } = await readQuestion("Haval H6 bán được bao nhiêu chiếc?");
    const answer = composeAnswer("Haval H6 bán được bao nhiêu chiếc?", retrieval, reading);
    expect(answer.citations).toHaveLength(1);
    expect(answer.parts[0]!.quote.text).toContain("400.000 chiếc");
    const span = answer.parts[0]!.answerSpan!;
    expect(index.article("haval")!.body.slice(span.start, span.end)).toBe("400.000 chiếc");
    // The question's words are marked as whole words: "Haval H6", not a syllable inside another word.
    const marked = answer.parts[0]!.matches.map((m) => index.article("haval")!.body.slice(m.start, m.end));
    expect(marked.some((m) => m.startsWith("Haval H6"))).toBe(true);
    expect(marked.every((m) => /^[\p{L}\p{N}]/u.test(m) && /[\p{L}\p{N}]$/u.test(m))).toBe(true);
  });
});
