//! Commentary told apart from reporting, so that its summary says whose argument it is.
//!
//! A newspaper prints opinion beside its news: editorials, signed columns, theory pieces. A
//! reader's summary of a report says what happened; of a commentary, what the writer argues, and
//! that the writer argues it: `文章认为，…` ("the article argues that…"), the convention the
//! hand-written references follow. An extractive summary of an editorial otherwise states its
//! argument as news.
//!
//! [`Commentary`] is a logistic regression on the two vectors the model method already has for
//! an article (its centroid and its headline's query vector), fitted by
//! `jianbao train-summarizer` ([`crate::train::summarizer::commentary`]) on the `kind` of
//! hand-annotated newspaper articles, its threshold chosen by cross-validation over them for a
//! precision that keeps the frame off reports. An article it judges commentary at or above
//! the threshold gets a summary that opens with [`LEAD_IN`] and fills the rest of the budget.
//! So does an article of a column the annotated articles know as commentary only
//! ([`Commentary::columns`]): a newspaper prints its editorials and signed opinion under the same
//! bracketed names day after day (`（快评）`, `（人民时评）`, `（钟声）`), and a name that has
//! only ever headed commentary says what the vectors leave in doubt.
//! Texts meant to get one sentence (posts, briefs: [`super::wanted_sentences`]) are never framed.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::fit::dot;
use crate::segment::{Article, Kind};

/// What a commentary's summary opens with.
pub const LEAD_IN: &str = "文章认为，";

/// Characters of [`LEAD_IN`].
pub const LEAD_IN_CHARS: usize = 5;

/// A budget smaller than this many characters past the lead-in leaves too little to frame.
const MIN_FRAMED_CHARS: usize = 20;

/// What the text says of itself beyond its vectors, in the order of the model's last weights:
/// it is signed by an author with an affiliation (`（作者为…教授）`, the mark of a signed
/// column or a theory piece: 84% of the annotated articles that have one are commentary), the
/// page lays it out as commentary (a column tag, `segment::Kind::Commentary`), and how many
/// questions it asks (up to five, over five).
pub const CUES: [&str; 3] = ["signed", "column", "questions"];

/// An author's note at the end of a signed piece.
static SIGNED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"作者(?:为|系|是|单位)").expect("author's note pattern"));

/// Characters at the end of an article where its author's note is looked for.
const SIGNED_TAIL_CHARS: usize = 300;

/// A column's name as a heading carries it, in brackets (`党旗是我们的底气（快评）`): 2 to 14
/// characters, none of them a bracket.
static COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(]([^（）()]{2,14})[）)]").expect("column name pattern"));

/// The bracketed names in `heading` that may be a column's (`快评`, `人民时评`).
pub fn columns(heading: &str) -> impl Iterator<Item = &str> {
    COLUMN.captures_iter(heading).filter_map(|c| c.get(1)).map(|m| m.as_str())
}

/// The article's [`CUES`].
pub fn cues(article: &Article) -> [f32; CUES.len()] {
    let body = article.paragraphs.join("\n");
    let n = body.chars().count();
    let tail: String = body.chars().skip(n.saturating_sub(SIGNED_TAIL_CHARS)).collect();
    let questions = body.matches(['？', '?']).count().min(5) as f32 / 5.0;
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    // The note may stand in the last paragraph or on a line of its own (read as a subhead, a
    // credit or a byline).
    let noted =
        article.subheads.iter().chain(&article.credits).chain(&article.byline.lines).any(|l| SIGNED.is_match(l));
    [flag(noted || SIGNED.is_match(&tail)), flag(article.kind == Kind::Commentary), questions]
}

/// Tells commentary from reporting by an article's vector and its headline's, and by its
/// [`CUES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commentary {
    /// Weights over the article's vector, then over the headline's vector (zeros where the
    /// article has no heading), then over the [`CUES`] (absent in a model fitted without them).
    pub weights: Vec<f32>,
    pub bias: f32,
    /// An article is framed where its probability of being commentary is at least this.
    pub threshold: f32,
    /// Columns ([`columns`]) that head only commentary among the annotated articles (and at
    /// least a few of them): an article under one is framed whatever its probability.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

impl Commentary {
    /// The probability that an article with these vectors and cues is commentary; 0 where the
    /// vectors are not the size it was fitted on.
    pub fn probability(&self, document: &[f32], headline: Option<&[f32]>, cues: &[f32; CUES.len()]) -> f32 {
        let d = document.len();
        let with_cues = self.weights.len() == 2 * d + CUES.len();
        if !(with_cues || self.weights.len() == 2 * d) || headline.is_some_and(|h| h.len() != d) {
            return 0.0;
        }
        let z = self.bias
            + dot(&self.weights[..d], document)
            + headline.map_or(0.0, |h| dot(&self.weights[d..2 * d], h))
            + if with_cues { dot(&self.weights[2 * d..], cues) } else { 0.0 };
        1.0 / (1.0 + (-z).exp())
    }

    /// Whether `heading` names one of the commentary [`Commentary::columns`].
    pub fn in_column(&self, heading: &str) -> bool {
        columns(heading).any(|c| self.columns.iter().any(|known| known == c))
    }

    /// Whether a summary of `max_chars` of an article with these vectors, cues and heading opens
    /// with [`LEAD_IN`].
    pub fn frames(
        &self,
        document: &[f32],
        headline: Option<&[f32]>,
        cues: &[f32; CUES.len()],
        heading: &str,
        max_chars: usize,
    ) -> bool {
        max_chars >= LEAD_IN_CHARS + MIN_FRAMED_CHARS
            && (self.in_column(heading) || self.probability(document, headline, cues) >= self.threshold)
    }
}

/// A commentary's sentence that tells rather than argues: what happened on a day (`当地时间1月8日，…`,
/// `2月，…`, `2017年伊始，…`, `去年，…`, `2月20日在北京举行的…开幕式，…`), what a drama, film or book shows
/// (`在系列剧第一部《回家》里，…`), what the writer or a reporter saw (`笔者去吉林桦甸市采访，…`, `我与中国结缘已有30多年`,
/// `作为外交官，我经常翻阅…`), what someone did (`一位农民工上车后，…`), what someone said (`中国乒协主席刘国梁表示，…`,
/// `习近平总书记强调，…`, `事后，沙先生说，…`, a quotation, `“您的后备箱没关好，我已帮您关好。”`), what a video, a finding or the
/// figures show (`视频里，…`, `经查，…`, `支付宝五福数据显示，…`). A commentary opens on such a peg and argues after
/// it; behind [`LEAD_IN`] it would read as the
/// writer's argument (`文章认为，视频里，1岁多的小朋友…`). `我们`, `我国` and the like argue.
static TELLS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:当地时间|近日|日前|前不久|不久前|前些天|前几天|前段时间|最近|昨天|前天|上周|上月|",
        r"(?:\d+|[一二三四五六七八九十]+)月(?:(?:\d+|[一二三四五六七八九十]+)日|[，,上中下初底])|\d{4}年(?:\d{1,2}月|伊始|初|底|末)|\d+日[上下晚早凌]|",
        r"去年|前年|又是[^。；]{1,30}(?:时节|季节|时候)|",
        r"在[^，。；]{0,12}(?:《[^》]{1,20}》|剧|电影|影片|纪录片|短片|节目|视频|直播|小说)[^，。；]{0,6}(?:里|中|上)[，,]|",
        r"笔者|记者|(?:作为[^，。；]{1,16}[，,])?我(?:[^们国省市区县军党方])|一(?:位|名)|“|",
        r"视频里|视频中|画面中|画面里|镜头里|镜头前|网上有|有网友|经查|据[^，。；]{1,16}(?:报道|统计|介绍|消息)|",
        r"[^，。；：“”]{0,16}(?:数据|统计|调查|报告)显示|",
        r"(?:[^，。；：“”]{1,6}[，,])?[^，。；：“”]{2,40}(?:表示|强调|指出|[^该是来话以么地]说|[喊说问答叹笑]道|称|坦言|直言|介绍|回忆|感慨|告诉记者)[，,：:])"
    ))
    .expect("telling sentence pattern")
});

/// Whether a commentary's `sentence` tells what happened or what someone said rather than
/// arguing ([`TELLS`]): a summary behind [`LEAD_IN`] does not open with it.
pub fn tells(sentence: &str) -> bool {
    TELLS.is_match(crate::text::trim(sentence))
}

/// The input [`Commentary`] reads: the article's vector, then the headline's (zeros without
/// one), then the cues.
pub fn input(document: &[f32], headline: Option<&[f32]>, cues: &[f32; CUES.len()]) -> Vec<f32> {
    let mut x = document.to_vec();
    match headline {
        Some(h) => x.extend_from_slice(h),
        None => x.resize(2 * document.len(), 0.0),
    }
    x.extend_from_slice(cues);
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_piece_and_its_questions_are_cues() {
        let page = "让改革红利惠及更多群众\n\n\u{3000}\u{3000}改革为了什么？改革为了谁？这是必须回答好的问题。\n\u{3000}\u{3000}（作者为中国人民大学教授）\n";
        let article = crate::segment::single(page, None).expect("an article");
        let [signed, _, questions] = cues(&article);
        assert_eq!(signed, 1.0);
        assert!((questions - 0.4).abs() < 1e-6, "{questions}");
        let report =
            crate::segment::single("市里召开会议\n\n\u{3000}\u{3000}本报讯 市里召开会议部署供暖工作。\n", None)
                .expect("an article");
        assert_eq!(cues(&report)[0], 0.0);
    }

    #[test]
    fn a_column_is_the_bracketed_name_of_a_heading() {
        let names: Vec<&str> = columns("党旗是我们的底气（快评） 全国上下(人民时评)（上）").collect();
        assert_eq!(names, ["快评", "人民时评"], "one character is no column: `（上）`");
        let model =
            Commentary {
                weights: vec![0.0; 2 + CUES.len()], bias: -9.0, threshold: 0.9, columns: vec!["快评".into()]
            };
        let none = [0.0; CUES.len()];
        assert!(model.frames(&[1.0], Some(&[1.0]), &none, "党旗是我们的底气（快评）", 80));
        assert!(!model.frames(&[1.0], Some(&[1.0]), &none, "快评：党旗是我们的底气", 80), "named outside brackets");
        assert!(!model.frames(&[1.0], Some(&[1.0]), &none, "党旗是我们的底气（新春走基层）", 80));
        assert!(!model.frames(&[1.0], Some(&[1.0]), &none, "党旗是我们的底气（快评）", 24), "too small a budget");
    }

    #[test]
    fn a_peg_that_tells_is_told_from_an_argument() {
        for told in [
            "当地时间1月8日，在瑞士洛桑举行的国际奥委会执委会会议上传来消息：武术成为青奥会正式比赛项目。",
            "笔者去吉林桦甸市采访，碰到一件暖心事儿。",
            "我与中国结缘已有30多年。",
            "作为外交官，我经常翻阅世界历史书籍。",
            "一位农民工上车后，将袋子铺地。",
            "视频里，1岁多的小朋友摇摇摆摆在路上走着。",
            "中国乒协主席刘国梁表示，“到了奥运年，大家都忘记了过年的感觉。”",
            "经查，张新甫在其妻已出现症状的情况下仍为其父亲违规操办寿宴。",
            "支付宝五福数据显示，今年参与集五福的人数同比增长40%。",
            "2月，中国女篮就要踏上奥运资格赛的征程。",
            "2月20日在北京举行的2019年中国—东盟媒体交流年开幕式，聚合着关切期盼的目光。",
            "在系列剧第一部《回家》里，3个家庭、两代人因生活环境变迁产生种种矛盾。",
            "“您的后备箱没关好，我已帮您关好。请下车后及时检查您的车门及车窗。”",
            "事后，沙先生说，自己是一位父亲，也是医务工作者。",
            "习近平主席在世界经济论坛2017年年会开幕式上的主旨演讲中指出，困扰世界的很多问题，并不是经济全球化造成的。",
            "沙先生马上摇下车窗喊道：“上我车吧，赶紧上来！”",
            "2017年伊始，习近平主席来到瑞士。",
            "去年，全国铁路发送旅客35.7亿人次。",
            "又是“草木蔓发，春山可望”的时节。",
        ] {
            assert!(tells(told), "{told}");
        }
        for argued in [
            "只有在细节上多下功夫，做慈善才能起到更好效果。",
            "我们要以发展的眼光看待教育。",
            "我国制度优势是打赢疫情防控阻击战的根本保证。",
            "武术入青奥，是武术多年来国际推广持续发展、水到渠成的结果。",
            "说到底，为基层减负要靠作风转变。",
            "应该说，这是一次深刻的变革。",
            "在全面建成小康社会的征程上，我们要一个都不能少。",
        ] {
            assert!(!tells(argued), "{argued}");
        }
    }

    #[test]
    fn the_lead_in_is_counted_right() {
        assert_eq!(LEAD_IN.chars().count(), LEAD_IN_CHARS);
    }
}
