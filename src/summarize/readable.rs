//! What a reader sees at once in a summary, before judging what it says: an opinion frame
//! (`文章认为，`), a sentence cut off with `……`, an opening that points back at text the reader does not
//! have (`这`, `此外`, `但`, a `他` not yet named), two lines of the page fused into one sentence
//! (`…寄托之所最近，…`), the same thing said twice, a question where a summary should tell, a summary over
//! its budget.
//!
//! The model method's choices avoid these ([`points_back`] decides what may open a summary);
//! `eval` counts them for every method ([`Defects`]), beside ROUGE, which barely sees them.

use std::sync::LazyLock;

use regex::Regex;

use super::commentary::LEAD_IN;
use super::words::letters;
use crate::text::{self, char_len};

/// What a summary cut in the middle of a sentence ends with.
pub const CUT: &str = "……";

/// Words that open a clause by pointing back at what came before: a pronoun or determiner (`这`,
/// `此次`, `该`, `其`, `他们`), a connective (`同时`, `此外`, `事后`, `但`, `因此`, `并`, `也`, `又提出`), what it
/// means (`是说…`), the place named before (`当地开展…`, not `当地时间`), the day named before (`当天首次…`,
/// `同日…`), more of what came before (`还有…`), the first half of a pair whose subject came before
/// (`既讲清了…`), an example or a part of what was said (`比如`, `有的`), a comparison with it (`更重要的是`,
/// `与之相比`, `相比之下`, `类似这样`), a reference (`上述`, `与此项工作…`), an item of a list (`二是`, `第二，`), `那`
/// before anything (`那之后`, `那找油人`, `那雨打敲窗的感觉`), what came after it (`后来`, `终于`, `就这样`, `又走进第二家药店`),
/// a part of it singled out (`尤其是…`, `特别是…`), a reply to it (`不错，`, `是的，`), what holds only given
/// it (`唯如此`, `只有这样`), a way of doing it (`如此做慈善…`), the answer to a question asked before
/// (`当然是做老师！`), or a predicate whose subject the sentence before named (`拟放宽…`, `将对…开展普查`). A
/// summary that opens with one leaves the reader asking "what?". `其实` ("in fact"), `也许`
/// ("perhaps"), `他人` ("others"), `并购` ("a merger"), `又是一年`, `又有一些国家…` (a dispatch's news), `将近` and
/// names such as `那曲` or `那达慕` do not point back.
static POINTS_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        r"这|此(?:次|前|后|时|外|举|项|类)|该|其(?:[^实])|它|",
        r"他们|她们|它们|他(?:[^乡国人])|她|",
        r"那(?:[^曲坡拉达英])|",
        r"是(?:说|指)|当地(?:[^时])|当(?:天|日|晚)(?:[^，,])|还有|对此|为此|由此|据此|至此|自此|从此|届时|当时|彼时|事后|因此|因而|所以|于是|与此同时|同时|此外|另外|另一方面|除此之外|",
        r"既[^然要是，。；]\p{Han}?了|与之|与此|相比之下|相较之下|对比之下|类似(?:这|那|的|情况|现象|事件)|但|而|然而|不过|可是|可(?:就|却|还|又)|又(?:[^是到逢见一有]|一次)|当然|后来|终于|就这样|同日|同一天|不错[，,]|尤其|特别是|(?:唯|惟)(?:有|其)?如此|只有(?:这样|如此)|如此|是的[，,]|并(?:[^购列肩非])|且|而且|也(?:[^许门])|比如|例如|譬如|有的|更(?:重要|急迫|紧迫|关键|难得|可贵|可喜|令人|让人|值得)|同样|随后|(?:紧)?接着|先是|上述|以上|其中|原来|不仅如此|也同样|",
        // An item of a list whose lead-in the reader lacks (`二是…`, `一则是…`, `第二，…`).
        r"[一二三四五六七八九十]是|[一二]则|另一则|第[一二三四五六七八九十]+[，,、]|",
        // A predicate whose subject the sentence before named (`拟放宽…`, `将对…开展普查`).
        r"拟[^定稿人]|将(?:对|于)",
        r")"
    ))
    .expect("points-back pattern")
});

/// A place or thing named by pointing at it (`在这里`, `那儿`, `此地`, `这些答案`, `这个项目`,
/// `这一数据`, `这两条线路`, `从这本教科书中`, `远不止于此`, `记者就此专访`), or the answer to a
/// question asked before (`…交出的答案是：不到20天！`): in a sentence's
/// first clause, it points back at what was named before (`中共中央、国务院在这里举行…`,
/// `寻找这些答案的过程，…`), wherever it stands; `该…` within its first few characters
/// (`目前该镇`, not `应该`, nor the company the clause has just named in `乌克兰国际航空公司8日就
/// 该公司一架客机…`).
static POINTED_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"这里|这儿|这附近|这一带|那里|那儿|此地|此处|于此|就此|对此|为此|据此|由此|这样做|这么做|答案(?:是|：|:)|",
        r"这(?:些|个|种|类|项|次|位|名|座|条|件|本|部|份|张|家|所|段|场|批|篇|幅|番|股|样的|方面|[一两二三四五六七八九十几])|那(?:些|个|种|位|方面)|",
        r"^(?:[^，。；应]{0,6}[^，。；应])?该(?:镇|村|市|县|区|省|国|公司|企业|医院|学校|校|院|局|中心|项目|案)"
    ))
    .expect("pointed-at pattern")
});

/// What names the text before it in any clause (`集中解答了上述问题`, `正是立基于此`, `在此基础上`).
static REFERS_BACK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"上述|前述|于此|在此基础上").expect("back-reference pattern"));

/// Whether `text`, after the clauses `before` it in its sentence (none for a whole sentence),
/// refers to what was said before it ([`REFERS_BACK`]) and nothing before the reference holds
/// what it could refer to: no list or colon (`…宣布：应埃及、吉布提…外长邀请，王毅将对上述国家
/// 进行正式访问` refers to its own list), nor the noun the reference names (`据对…6.0万家企业
/// 调查，2018年，上述企业实现营业收入…`).
pub fn refers_back(before: &[&str], text: &str) -> bool {
    REFERS_BACK.find(text).is_some_and(|m| {
        let earlier = || before.iter().copied().chain([&text[..m.start()]]);
        let named: String = text[m.end()..].chars().take(2).collect();
        let names_what_came = named.chars().count() == 2
            && named.chars().all(text::is_han)
            && earlier().any(|piece| piece.contains(&named));
        !earlier().any(|piece| piece.contains(['：', ':', '、'])) && !names_what_came
    })
}

/// Whether `sentence` opens with a word that points back at text before it ([`POINTS_BACK`]),
/// names something in its first clause only by pointing at it ([`POINTED_AT`]), or refers to the
/// text before it anywhere ([`refers_back`]).
pub fn points_back(sentence: &str) -> bool {
    opens_pointing_back(sentence) || refers_back(&[], text::trim(sentence))
}

/// [`points_back`] by how `sentence` opens alone: a clause cut from its sentence may refer to
/// what the clauses before it said, and only the whole sentence tells.
pub fn opens_pointing_back(sentence: &str) -> bool {
    let opening = text::trim(sentence).trim_start_matches(['“', '"', '「', '‘']);
    let first_clause =
        opening.split(|c| text::CLAUSE_BREAKS.contains(&c) || text::is_sentence_end(c)).next().unwrap_or(opening);
    POINTS_BACK.is_match(opening)
        || POINTED_AT.is_match(first_clause)
        || speaks_of_someone_unnamed(opening)
        || names_a_picture(opening)
}

/// A caption that only names what the picture shows (`图为参加实弹射击考核的女兵。`,
/// `图为首届进博会举办场地——国家会展中心（上海）。`): a thing, not a deed.
static NAMES_A_PICTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^图为(?:[^。！？]*的[^的，。；、！？]{1,10}|[^。！？]*——[^。！？]*)[。！]?$").expect("caption pattern")
});

/// Whether `sentence` is a caption that only names what its picture shows ([`NAMES_A_PICTURE`]):
/// it points at a picture the summary's reader does not have. A caption that tells a deed
/// (`图为村民在参加打糍粑比赛。`) is shown without its `图为`.
pub fn names_a_picture(sentence: &str) -> bool {
    NAMES_A_PICTURE.is_match(text::trim(sentence))
}

/// What opens a sentence that only announces what comes after it (`以下是4位…患者写的日记。`).
static ANNOUNCES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:以下|下面)(?:是|为|请看)").expect("announcement pattern"));

/// Whether `sentence` only announces what the text goes on to give ([`ANNOUNCES`]): a summary's
/// reader does not have it.
pub fn announces(sentence: &str) -> bool {
    ANNOUNCES.is_match(text::trim(sentence))
}

/// Whether `sentence` is someone's words and nothing else (`“多养母牛，可以靠牦牛奶挣钱。”`,
/// `“埃及人民与中国朋友在一起！”`): who said them is told in another sentence, and a summary that
/// gives them alone gives words with no one to say them.
pub fn only_quoted(sentence: &str) -> bool {
    let words = text::trim(sentence);
    words.starts_with(['“', '「']) && !text::outside_quotations(words).any(|(_, c)| c.is_alphanumeric())
}

/// Whether `sentence` is half of someone speaking: their words alone ([`only_quoted`]) or who
/// spoke alone ([`only_speaker`]). The other half is in another sentence, and a summary that
/// gives this one gives words with no one to say them, or a speaker with no words.
pub fn half_of_speech(sentence: &str) -> bool {
    only_quoted(sentence) || only_speaker(sentence)
}

/// Whether `sentence` only says who spoke (`…研究员在接受本报记者专访时表示。`, `日前，一位负责人
/// 说。`): it ends on a verb of speaking and quotes nothing, so what was said is in another
/// sentence, and a summary that gives it alone gives a speaker with no words.
pub fn only_speaker(sentence: &str) -> bool {
    let words = text::trim(sentence);
    !quotes_words(words) && text::ends_on_speech_verb(words)
}

/// Whether `text` quotes someone's words: a quotation with a clause break or sentence end in
/// it, or one longer than a name (`“回乡证”`, `“一带一路”` are names), or a quotation mark
/// whose partner lies outside `text`.
fn quotes_words(text: &str) -> bool {
    // Inside a quotation: its characters so far, and whether a break or an end was among them.
    let mut inside: Option<(usize, bool)> = None;
    for c in text.chars() {
        inside = match (c, inside) {
            ('“' | '「', None) => Some((0, false)),
            ('”' | '」', Some((chars, broken))) if broken || chars > NAME_CHARS => return true,
            ('”' | '」', Some(_)) => None,
            ('”' | '」', None) => return true,
            (c, Some((chars, broken))) => {
                Some((chars + 1, broken || text::CLAUSE_BREAKS.contains(&c) || text::is_sentence_end(c)))
            }
            (_, None) => None,
        };
    }
    inside.is_some()
}

/// A quotation of at most this many characters without a break in it may be a name.
const NAME_CHARS: usize = 12;

/// What follows a `我` that speaks for a place or a body, not a person (`我们`, `我国`, `我省`,
/// `我军`, `我院`, `我方`).
const SPEAKS_FOR_A_BODY: &str = "们国省市区县州镇乡村军院校方党厂局馆所部行司团队台刊报会";

/// Where `sentence` first speaks of a person as `他` or `她` outside a quotation: not `其他`,
/// `吉他`, nor `他们`, `他人`, `他乡`, `他国`, `他山`, `他者`, `他日`, `他方`, `他物`, where the
/// character names no one already spoken of; or as `我`, the writer or a speaker whose words the
/// summary gives without quotation marks (`文章认为，我被派任…`), not `我们`, `我国`, `我省`,
/// `我军`, `我院`, `我方`, …, which speak for a place or a body, nor `自我`, `忘我`, `小我`; or as
/// `你` or `您`, whom a letter or the writer speaks to (`…你和夫人领导的基金会慷慨解囊`), not
/// `迷你`, nor the `你` and `我` of `你追我赶`, `你一言我一语`. The byte offset.
fn personal_pronoun(sentence: &str) -> Option<usize> {
    let next = |at: usize, c: char| sentence[at + c.len_utf8()..].chars().next();
    let compound = |at: usize, c: char| match c {
        '我' => {
            matches!(sentence[..at].chars().next_back(), Some('自' | '忘' | '无' | '本' | '唯' | '小' | '大' | '舍'))
                || next(at, c).is_some_and(|n| SPEAKS_FOR_A_BODY.contains(n))
                || sentence[..at].chars().rev().take(3).any(|p| p == '你')
        }
        // `你追我赶`, `你一言我一语`, `迷你`: no one spoken to (nor speaking, the `我` after).
        '你' => sentence[..at].ends_with('迷') || sentence[at + c.len_utf8()..].chars().take(3).any(|n| n == '我'),
        '您' => false,
        _ => {
            matches!(sentence[..at].chars().next_back(), Some('其' | '吉'))
                || matches!(next(at, c), Some('们' | '人' | '乡' | '国' | '山' | '者' | '日' | '方' | '物'))
        }
    };
    text::outside_quotations(sentence)
        .find(|&(at, c)| matches!(c, '他' | '她' | '我' | '你' | '您') && !compound(at, c))
        .map(|(at, _)| at)
}

/// Whether `sentence` speaks of someone as `他`, `她`, `我` or `你` ([`personal_pronoun`]) before
/// naming anyone: no word before the pronoun is a person's name to jieba's tagger (`nr`, `nrt`,
/// `nrfg`); or of people as `他们` or `她们` with no word for people before ([`plural_pronoun`]). A
/// feature that opens on its subject unnamed (`40多年来，他先后前往全国各地勘探`, `看到她在朋友圈里发的照片`) names them
/// later, in text a summary's reader does not have; `罗浩就出门了，开始他一天的工作` names him first. Whom an
/// opening clause compares them with is someone else (`与普通跑步者不同，他们都是两人同行`).
pub fn speaks_of_someone_unnamed(sentence: &str) -> bool {
    // Whether no word between an opening comparison and byte `at` names someone, by its tag
    // and word.
    let unnamed = |at: usize, names: &dyn Fn(&str, &str) -> bool| {
        let from = COMPARED.find(&sentence[..at]).map_or(0, |m| m.end());
        !text::jieba().tag(&sentence[from..at], true).iter().any(|w| names(w.word, w.tag))
    };
    personal_pronoun(sentence).is_some_and(|at| unnamed(at, &|_, tag| tag.starts_with("nr")))
        || plural_pronoun(sentence)
            .is_some_and(|at| unnamed(at, &|word, tag| tag.starts_with("nr") || word.ends_with(PEOPLE)))
}

/// An opening clause that compares what follows with something else (`与普通跑步者不同，`,
/// `和去年相比，`, `比起城里人，`).
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:与|和|跟|同)[^，。；]{1,30}(?:不同|相比|相较|一样|相似|类似|相反)|(?:比起|较之|相比于)[^，。；]{1,30})[，,]")
        .expect("comparison pattern")
});

/// How a word for people ends (`村民们`, `民警`, `医护人员`, `志愿者`, `干部`): one before `他们`
/// may be whom they are.
const PEOPLE: [char; 16] =
    ['们', '员', '者', '人', '民', '生', '师', '长', '兵', '工', '众', '警', '部', '家', '手', '友'];

/// Where `sentence` first speaks of people as `他们` or `她们` outside a quotation. The byte
/// offset. A word for people before it may be whom they are (`村民们…，他们…`); with none,
/// they are people the text named before (`急难险重，他们挺身而出`, `物资转运，他们风雨无阻`).
fn plural_pronoun(sentence: &str) -> Option<usize> {
    text::outside_quotations(sentence)
        .find(|&(at, c)| matches!(c, '他' | '她') && sentence[at + c.len_utf8()..].starts_with('们'))
        .map(|(at, _)| at)
}

/// Whether `summary` opens with the commentary frame.
pub fn is_framed(summary: &str) -> bool {
    summary.starts_with(LEAD_IN)
}

/// Whether `summary` stops in the middle of a sentence (ends with `……` or `…`), or on the dash
/// that leads into what the page lists after it (`…取得了多方面成效——`, shown as a sentence
/// `…成效——。`).
pub fn is_cut_off(summary: &str) -> bool {
    let end = text::trim(summary).trim_end_matches(text::is_closing);
    end.ends_with('…') || end.trim_end_matches('。').ends_with('—')
}

/// Whether `summary` asks where it should tell: one of its sentences, outside a quotation, ends
/// in a question mark (`方舱医院内部保障如何，患者生活怎么样？`). A quoted question (`领导问：
/// “你能去吗？”`) is someone's words, and tells what was asked.
pub fn asks(summary: &str) -> bool {
    text::outside_quotations(summary).any(|(_, c)| matches!(c, '？' | '?'))
}

/// Whether `summary`, past its commentary frame, opens with a word that points back.
pub fn dangles(summary: &str) -> bool {
    points_back(summary.strip_prefix(LEAD_IN).unwrap_or(summary))
}

/// Characters either side of a line break that [`fuses_lines`] looks for.
const SEAM_CHARS: usize = 4;

/// A line shorter than this that stands between blank lines is a line of its own (a deck, a
/// name line), not a paragraph an export broke: those fill the export's line width.
const SHORT_LINE_CHARS: usize = 30;

/// The places where `source` has a line that ends without punctuation followed by a new paragraph
/// (an indented line, or one after a blank line where the line before is short): a deck, a
/// standfirst, a pull quote, a name line. A paragraph an export broke mid-sentence, blank line or
/// not, continues unindented. Each is the line's last characters and the next paragraph's first (at
/// most [`SEAM_CHARS`] each): joined, they are what a summary that fused the two lines holds.
pub fn seams(source: &str) -> Vec<String> {
    let lines = text::lines(source);
    let mut out = Vec::new();
    let mut previous: Option<&str> = None;
    let mut blank = false;
    for line in &lines {
        let content = text::trim(line.raw);
        if content.is_empty() {
            blank = true;
            continue;
        }
        if let Some(before) = previous {
            let new_paragraph = text::indent_width(line.raw) > 0 || (blank && char_len(before) < SHORT_LINE_CHARS);
            let bare = crate::sentences::ends_bare(before);
            if new_paragraph && bare {
                let n = char_len(before);
                let tail: String = before.chars().skip(n.saturating_sub(SEAM_CHARS)).collect();
                out.push(format!("{tail}{}", text::prefix(content, SEAM_CHARS)));
            }
        }
        previous = Some(content);
        blank = false;
    }
    out
}

/// Whether `summary` runs a line of `source` that ends without punctuation into the next
/// paragraph ([`seams`]). Characters that one line of `source` also holds whole are no proof:
/// a headline broken over two lines (`…机关处理` / `检举控告…`) is often repeated whole in the body,
/// and a summary may take it from there.
pub fn fuses_lines(summary: &str, source: &str) -> bool {
    seams(source).iter().any(|seam| {
        summary.contains(seam.as_str()) && !text::lines(source).iter().any(|line| line.raw.contains(seam.as_str()))
    })
}

/// How much of the shorter of two units the longer repeats, at or above which a summary says
/// the same thing twice (`培养3.7万名养老专业人才。贵州省民政厅将培养3.7万名养老专业人才。`).
/// Two sentences of one story share names and figures; on the validation articles' summaries,
/// pairs that only share those stay below 0.75, and those at 0.75 or more repeat.
pub const REPEAT_SHARE: f32 = 0.75;

/// A clause of at least this many letters, digits and characters, said again whole in another
/// unit, says the same thing twice however different the rest is (`人社部…新闻发布会显示，
/// 2019年就业形势总体稳定。2019年就业形势总体稳定，全年城镇新增就业1352万人。`); so do two
/// clauses that end on as many of the same, one deed said of two subjects (`公安机关破获多起
/// 非法网络支付案。各地警方陆续破获多起非法网络支付案。`). Shorter ones are names and figures two
/// sentences of one story share (`新冠肺炎疫情`).
pub const REPEATED_CLAUSE_CHARS: usize = 10;

/// How a clause that only says who speaks or when and under what it happens ends
/// (`国家卫健委新闻发言人米锋表示`, `新冠肺炎疫情发生以来`, `在党中央坚强领导下`): two sentences may
/// each open on the same speaker or frame and say different things.
const FRAMES: [&str; 20] = [
    "表示",
    "指出",
    "强调",
    "说",
    "认为",
    "介绍",
    "称",
    "透露",
    "宣布",
    "显示",
    "获悉",
    "了解到",
    "以来",
    "期间",
    "之际",
    "时",
    "后",
    "中",
    "上",
    "下",
];

/// Whether one of `a` and `b` repeats the other: the longest common subsequence of their
/// letters, digits and characters holds at least [`REPEAT_SHARE`] of the shorter's, or one
/// says a clause of the other again whole, or a clause of each ends alike
/// ([`REPEATED_CLAUSE_CHARS`]). A first clause that only dates a unit is left out of the share
/// ([`undated`]), and units that each name someone or somewhere the other does not share
/// their words by their form alone ([`name_apart`]).
pub fn repeats(a: &str, b: &str) -> bool {
    let (a_letters, b_letters) = (letters(a), letters(b));
    let (a_clauses, b_clauses) = (telling_clauses(a), telling_clauses(b));
    if says_a_clause_again(&a_clauses, &b_letters)
        || says_a_clause_again(&b_clauses, &a_letters)
        || end_alike(&a_clauses, &b_clauses)
    {
        return true;
    }
    let (a_chars, b_chars): (Vec<char>, Vec<char>) =
        (letters(undated(a)).chars().collect(), letters(undated(b)).chars().collect());
    let (short, long) = if a_chars.len() <= b_chars.len() { (a_chars, b_chars) } else { (b_chars, a_chars) };
    if short.is_empty() {
        return false;
    }
    let mut previous = vec![0u32; long.len() + 1];
    let mut current = vec![0u32; long.len() + 1];
    for &x in &short {
        for (j, &y) in long.iter().enumerate() {
            current[j + 1] = if x == y { previous[j] + 1 } else { previous[j + 1].max(current[j]) };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[long.len()] as f32 >= REPEAT_SHARE * short.len() as f32 && !name_apart(a, b)
}

/// Whether each of `a` and `b` names a place or someone the other does not (jieba's `ns`, `nr`
/// and `nrt` words of two or more characters): two calls of one minister, to two countries,
/// share nearly every word and are two pieces of news (`王毅同泰国外长敦通电话。…王毅同坦桑尼亚
/// 外长卡布迪通电话。`).
fn name_apart(a: &str, b: &str) -> bool {
    let names = |unit: &str| -> Vec<String> {
        text::jieba()
            .tag(unit, true)
            .into_iter()
            .filter(|w| matches!(w.tag, "ns" | "nr" | "nrt") && w.word.chars().count() >= 2)
            .map(|w| w.word.to_owned())
            .collect()
    };
    let (a_names, b_names) = (names(a), names(b));
    a_names.iter().any(|n| !b.contains(n.as_str())) && b_names.iter().any(|n| !a.contains(n.as_str()))
}

/// A first clause that only dates what the sentence says (`2019年4月，`, `今年2月，`).
static DATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+年|今年|去年)?(?:\d+月)?(?:\d+日)?(?:以来|底|初|末|上旬|中旬|下旬)?[，,]")
        .expect("dating clause pattern")
});

/// `unit` without a first clause that only dates it ([`DATED`]): the same news said twice, once
/// with its date (`…两县已实现脱贫摘帽，…。2019年4月，…两县实现脱贫摘帽。`), repeats.
fn undated(unit: &str) -> &str {
    let unit = text::trim(unit);
    match DATED.find(unit) {
        Some(m) if m.len() > 3 => &unit[m.end()..],
        _ => unit,
    }
}

/// The letters, digits and characters of each clause of `unit` that is long enough to say
/// something twice ([`REPEATED_CLAUSE_CHARS`]) and says more than who speaks or when
/// ([`FRAMES`]).
fn telling_clauses(unit: &str) -> Vec<String> {
    unit.split(|c| text::CLAUSE_BREAKS.contains(&c) || text::is_sentence_end(c))
        .map(letters)
        .filter(|clause| {
            clause.chars().count() >= REPEATED_CLAUSE_CHARS && !FRAMES.iter().any(|frame| clause.ends_with(frame))
        })
        .collect()
}

/// Whether one of `clauses` ([`telling_clauses`]) is said again whole in `other` (another
/// text's letters, digits and characters).
fn says_a_clause_again(clauses: &[String], other: &str) -> bool {
    clauses.iter().any(|clause| other.contains(clause.as_str()))
}

/// Whether a clause of `a` and one of `b` ([`telling_clauses`]) end on the same
/// [`REPEATED_CLAUSE_CHARS`] letters, digits and characters or more: the same deed, said of two
/// subjects.
fn end_alike(a: &[String], b: &[String]) -> bool {
    let shared_end = |x: &str, y: &str| x.chars().rev().zip(y.chars().rev()).take_while(|(p, q)| p == q).count();
    a.iter().any(|x| b.iter().any(|y| shared_end(x, y) >= REPEATED_CLAUSE_CHARS))
}

/// Whether two of the sentences of `summary` (past its commentary frame) repeat each other
/// ([`repeats`]).
pub fn says_twice(summary: &str) -> bool {
    let sentences: Vec<&str> = sentences_of(summary).collect();
    sentences.iter().enumerate().any(|(i, a)| sentences[i + 1..].iter().any(|b| repeats(a, b)))
}

/// The sentences of `summary` past its commentary frame, split at every sentence end.
fn sentences_of(summary: &str) -> impl Iterator<Item = &str> {
    let body = summary.strip_prefix(LEAD_IN).unwrap_or(summary);
    body.split_inclusive(['。', '！', '？']).filter(|s| !text::trim(s).is_empty())
}

/// The defects of one summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Defects {
    /// Opens with the commentary frame on an article whose kind is known not to be commentary.
    pub frame_on_non_commentary: bool,
    pub cut_off: bool,
    pub dangling: bool,
    pub fused: bool,
    /// Says the same thing twice ([`says_twice`]).
    pub repeated: bool,
    /// Asks a question of its own ([`asks`]).
    pub asks: bool,
    /// Has a sentence that only says who spoke ([`only_speaker`]).
    pub speaker_only: bool,
    pub over_budget: bool,
}

impl Defects {
    /// The defects of `summary` of `source` under a budget of `max_chars`; `commentary` says
    /// whether the article is commentary, where that is known.
    pub fn of(summary: &str, source: &str, max_chars: usize, commentary: Option<bool>) -> Defects {
        Defects {
            frame_on_non_commentary: commentary == Some(false) && is_framed(summary),
            cut_off: is_cut_off(summary),
            dangling: dangles(summary),
            fused: fuses_lines(summary, source),
            repeated: says_twice(summary),
            asks: asks(summary),
            speaker_only: sentences_of(summary).any(only_speaker),
            over_budget: char_len(summary) > max_chars,
        }
    }

    /// Whether a reader sees any of them.
    pub fn any(&self) -> bool {
        self.frame_on_non_commentary
            || self.cut_off
            || self.dangling
            || self.fused
            || self.repeated
            || self.asks
            || self.speaker_only
            || self.over_budget
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_spoken_of_before_being_named_points_back() {
        for s in [
            "40多年来，他先后前往全国各地勘探，探寻“地球宝藏”。",
            "2月6日早晨，看到她在朋友圈里发的照片，身边堆着十三个大纸箱。",
            "冒着海湾的严寒大雪，他高标准完成了工程任务。",
            "在项目现场，身为社区党委书记的她，为了项目的推进走街串户。",
            // Who said it, the reader of the summary cannot tell.
            "“我们会坚持下去。”他说。",
            "急难险重，他们挺身而出；重点区域，他们日夜值守。",
            "物资转运，他们风雨无阻。",
            // Whom an opening clause compares them with is not who they are.
            "与普通跑步者不同，他们都是两人同行。",
            "和去年的志愿者相比，她更熟悉社区。",
            // The writer, or a speaker given without quotation marks.
            "文章认为，我被派任驻蒙古国大使已有三年。",
            "我当时就在现场聆听。",
            // Someone spoken to: a letter's addressee, the reader.
            "在中国抗击新冠肺炎疫情的关键时刻，你和夫人领导的基金会慷慨解囊。",
            "别来良久，您远在蒙古国的孩子，正怀着无比激动的心情。",
        ] {
            assert!(speaks_of_someone_unnamed(s) && points_back(s), "{s}");
        }
        for s in [
            "我国将继续扩大开放。",
            "我们要坚定信心。",
            "我省已建成高标准农田3000万亩。",
            "坚持全面从严治党，要勇于自我革命。",
            "张伟说，我会坚持到底。",
            "每天早上6点钟，罗浩就出门了，开始他一天的工作。",
            "信送到了武汉协和医院西院医生王维慈的手上，看到信的一刹那，她热泪盈眶。",
            "记者专访北京大学医学部党委书记刘玉村，听他讲述医学部如何培养人才。",
            "其他地区将陆续恢复开放。",
            "南川区人社局安排两辆客车，专程送他们前往台州返岗复工。",
            "“越了解中国，越觉得她是善良的天使”——英国纪录片导演柯文思屡屡将镜头对准中国。",
            "不少游客选择在他乡过年。",
            "村民们忙着采摘，他们说今年收成好。",
            "与往年不同，村民们今年种上了蓝莓，他们说收成好。",
            "村民们你一言我一语，议论开来。",
            "各地你追我赶，掀起春耕热潮。",
            "这款迷你机器人能爬楼梯。",
            "“你帮我家的老房子做了翻新。”村民张玉领说。",
        ] {
            assert!(!speaks_of_someone_unnamed(s), "{s}");
        }
        // A summary that names the person in its first sentence may go on with the pronoun.
        assert!(!dangles("窦铁成1979年到中铁一局。冒着严寒大雪，他高标准完成了工程任务。"));
        assert!(dangles("冒着严寒大雪，他高标准完成了工程任务。窦铁成1979年到中铁一局。"));
    }

    #[test]
    fn openings_that_point_back_are_told_from_those_that_do_not() {
        for s in [
            "这是青岛市智慧社区建设的一个缩影。",
            "此次会议明确了下一步工作。",
            "该项目总投资5亿元。",
            "其中，农村居民增长较快。",
            "他们在一线坚守了40天。",
            "同时，要加强监管。",
            "此外，还将新建3所学校。",
            "但这并不意味着放松。",
            "因此，必须坚持问题导向。",
            "上述措施自3月1日起施行。",
            "二是对进口的防疫物资免征关税。",
            "一则是，新区规划经过多次论证。",
            "第二，要压实责任。",
            "“这是我们的责任。”他说。",
            "并抵达文昌航天发射场，船队完成了运输任务。",
            "至此，4艘在役测量船全部凯旋。",
            "原来，这些箱子里装满了医用物资。",
            "又提出要推动京津冀协同发展。",
            "既讲清了制度的显著优势，又指明了转化为治理效能的主要途径。",
            "也为了实现“停课不停学”的目标，贵州开通线上学习平台。",
            "比如北京出台“夜间13条”，进一步繁荣夜间经济。",
            "是说阿拉山口每年有二百多个风天。",
            "当地开展“新市民大联欢”活动。",
            "还有网帖称，上游地区实施人工增雪。",
            "当天首次“触及”到了福岛第一核电站2号机组内部的核残渣。",
            "有的服务农民工，开通高铁专列。",
            "更急迫的是缺水，村民饮水就靠一口咸水井。",
            "寻找这些答案的过程，也是观察体育产业发展的过程。",
            "中共中央、国务院在这里举行2019年春节团拜会。",
            "双周协商座谈会的变化远不止于此。",
            "“这里是我的第二故乡。”",
            "这一数据引人关注。",
            "因这两条输电线路是重要供电线路，线路断落。",
            "记者就此专访了安徽省委书记李锦斌。",
            "可就在一年前，同一个院子，上演的却是一场完全不和谐的景象。",
            "与之相比，正面描写中国工人的文艺作品却不多。",
            "相比之下，东部地区增速放缓。",
            "从这本教科书中，探寻生命的意义。",
            "目前该镇已经劝散红白喜事30多场。",
            "那找油人是东方地球物理公司大庆物探一公司2289地震队的勇士。",
            "那之后，李淑勤名声大噪，开启了粤剧花旦之路。",
            "事后，沙先生说，自己是一位父亲。",
            "先是在莫斯科中山大学学习，1927年转入伏龙芝军事学院深造。",
            "紧接着，第二批医疗队出发。",
            "不仅如此，当地还开通了心理热线。",
            "正因为我们党始终坚持这样做，才能够在危难之际绝处逢生。",
            // An answer to a question the reader lacks.
            "当然是做老师！",
            "新兴际华集团交出的答案是：不到20天！",
            "又走进第二家药店，一问价格。",
            "后来有了有形的博物馆。",
            "终于等到机会去拜会夏尔西里。",
            "就这样，马云翁搬进了侄子家居住。",
            "不错，有一些大棚蔬菜确实使用植物激素。",
            "尤其是保护区的核心区，保护措施更是要系统严密。",
            "特别是近年来，两国关系实现跨越式发展。",
            "唯如此，才能让科研更有生命力。",
            "只有这样，才能做到前后贯通、整体把握。",
            "是的，做科研应当将目光聚焦于国家需要。",
            // A predicate whose subject was named before.
            "拟放宽证券公司投资权益类证券风险资本准备计算比例。",
            "将对历史风貌建筑开展普查、认定、建档和挂牌等工作。",
            // The day, or the text, named before.
            "同日治愈出院的，还有武昌医院和武汉肺科医院的8名患者。",
            "如此做慈善，其实并不易。",
            "谁在这方面做得好，谁就掌握了话语权和主动权。",
            "与此项工作密切相关的生态环境部、国家发改委等15个部门。",
            "图为参加实弹射击考核的女兵。",
            "图为首届中国国际进口博览会举办场地——国家会展中心（上海）。",
            "校园里的这股家风，正是南浔区开展“最美家风+”活动的一个缩影。",
            "28日，国家卫健委召开新闻发布会，集中解答了上述问题。",
            "实施“强基计划”，正是立基于此，逐步构建形成新机制。",
        ] {
            assert!(points_back(s), "{s}");
        }
        // What refers to a list, a colon or a noun before it in its own sentence refers to that.
        for s in [
            "据对全国规模以上文化及相关产业6.0万家企业调查，2018年，上述企业实现营业收入89257亿元。",
            "实体院线的反应，源于对线上文艺挤压线下文艺的担忧。",
            "外交部发言人耿爽2日宣布：应埃及外交部长舒凯里邀请，王毅将对上述国家进行正式访问。",
            "会议审议通过了《条例》、《办法》，并在此基础上部署了下一步工作。",
        ] {
            assert!(!points_back(s), "{s}");
        }
        for s in [
            "青岛财通集团日前发行青岛首单创新创业公司债券。",
            "其实，读书是一种生活方式。",
            "他人的评价不必太在意。",
            "那曲市海拔4500米。",
            "那达慕大会在锡林郭勒开幕。",
            "同比增长12%。",
            "第二届进博会在上海开幕。",
            "并购重组市场持续活跃。",
            "也许，这就是答案。",
            "更多的村民用上了自来水。",
            "大家来到广场，在这里合影留念。",
            "可持续发展是根本之策。",
            "我们应该区分不同情况。",
            "既要真招实招防疫，也要真金白银为企业减负。",
            "乌克兰国际航空公司8日就该公司一架客机在伊朗坠机举行新闻发布会。",
            "又是一年春草绿。",
            "又有一些国家政要通过各种方式，高度评价中方所做努力。",
            "将军岭下，村民们种上了果树。",
            "将近200名志愿者参加了活动。",
            "拟定的方案已上报。",
            "不错的开局让人振奋。",
        ] {
            assert!(!points_back(s), "{s}");
        }
        assert!(dangles("文章认为，这是一次深刻变革。"));
        assert!(!dangles("文章认为，改革必须坚持问题导向。"));
    }

    #[test]
    fn words_alone_are_told_from_words_someone_is_said_to_speak() {
        for alone in ["“多养母牛，可以靠牦牛奶挣钱。”", "“埃及人民与中国朋友在一起！”“相信中国必能战胜疫情。”"]
        {
            assert!(only_quoted(alone), "{alone}");
        }
        for said in ["“这是我们的责任。”他说。", "他说：“这是我们的责任。”", "“双减”政策落地一年。"]
        {
            assert!(!only_quoted(said), "{said}");
        }
    }

    #[test]
    fn a_speaker_alone_is_told_from_a_speaker_with_words() {
        for alone in [
            "某研究中心研究员在接受本报记者专访时表示。",
            "日前，一位负责人说。",
            "老人由衷感叹。",
            "1月30日上午，正在用“回乡证”取票的沈女士感慨地说。",
        ] {
            assert!(only_speaker(alone), "{alone}");
        }
        for said in [
            "“这是我们的责任。”他说。",
            "”研究员表示。",
            "他说，这是我们的责任。",
            "研究员表示，合作还会深化。",
            "村里新修了一条路。",
        ] {
            assert!(!only_speaker(said), "{said}");
        }
        let speaker = "研究员在接受本报记者专访时表示。";
        assert!(Defects::of(speaker, speaker, 80, None).speaker_only);
        let said = "“开放带来了进步。”研究员在接受本报记者专访时表示。";
        assert!(!Defects::of(said, said, 80, None).any());
    }

    #[test]
    fn a_summary_that_says_the_same_thing_twice_repeats() {
        assert!(repeats(
            "人社部2019年第四季度新闻发布会显示，2019年就业形势总体稳定。",
            "2019年就业形势总体稳定，全年城镇新增就业1352万人，连续7年超过1300万。"
        ));
        assert!(!repeats("新冠肺炎疫情发生以来，全市累计排查2万人。", "全市新冠肺炎疫情防控形势向好，新增病例清零。"));
        assert!(!repeats(
            "国家卫健委新闻发言人米锋表示，全国疫情形势总体向好。",
            "国家卫健委新闻发言人米锋表示，要继续做好重点地区防控。"
        ));
        assert!(!repeats("新冠肺炎疫情发生以来，全市累计排查2万人。", "新冠肺炎疫情发生以来，各地医疗队驰援武汉。"));
        assert!(says_twice("培养3.7万名养老专业人才。贵州省民政厅将培养3.7万名养老专业人才。"));
        assert!(says_twice("文章认为，消费扶贫，一头连着贫困地区。消费扶贫，一头连着贫困地区。"));
        assert!(says_twice("21世纪初，新兴市场国家和发展中国家群体性崛起。新兴市场国家和发展中国家加速发展。"));
        assert!(says_twice("公安机关破获多起非法网络支付案。各地警方陆续破获多起非法网络支付案。"));
        // A date does not make the same news new.
        assert!(says_twice(
            "丹江口市和秭归县已实现脱贫摘帽，当地继续壮大产业。2019年4月，丹江口市和秭归县实现脱贫摘帽。"
        ));
        assert!(!says_twice(
            "2月4日，国务委员兼外长王毅应约同泰国外长敦通电话。国务委员兼外长王毅应约同坦桑尼亚外长卡布迪通电话。"
        ));
        // Clauses that share only a short ending, or the name they open on, say two things.
        assert!(!says_twice("2月4日，王毅同泰国外长敦通电话。2月5日，王毅同坦桑尼亚外长卡布迪通电话。"));
        assert!(!says_twice("国家地下水监测工程近日圆满收官。国家地下水监测工程建设启动于2015年6月。"));
        // Two sentences of one story share its names and figures, and say two things.
        assert!(!says_twice(
            "国家航天局2月15日召开新闻发布会，发布嫦娥四号着陆区域月球地理实体命名。月球地理实体命名有什么意义？"
        ));
        assert!(!says_twice("中老铁路全线最长隧道贯通。隧道正洞全长9384米，由中铁二局承建。"));
        assert!(!says_twice("一句话。"));
        assert!(Defects::of("培养3.7万名养老专业人才。民政厅将培养3.7万名养老专业人才。", "", 80, None).any());
    }

    #[test]
    fn a_summary_asks_where_a_sentence_of_its_own_is_a_question() {
        assert!(asks("武汉已建成16家方舱医院。方舱医院内部保障如何，患者生活怎么样？"));
        assert!(asks("乡村治理如何添动力？浚县织起一张直通农户的大网。"));
        assert!(!asks("领导找他谈话：“援疆前方指挥部需要一位农业技术人员，你能去吗？”“我能去！”"));
        assert!(!asks("武汉已建成16家方舱医院。"));
        assert!(Defects::of("龙潭水乡将如何规划？", "", 80, None).any());
    }

    #[test]
    fn a_cut_sentence_is_one_that_ends_in_an_ellipsis() {
        assert!(is_cut_off("市政府召开常务会议，部署冬季供暖工作……"));
        assert!(is_cut_off("他说：“我们会继续努力……”"));
        assert!(!is_cut_off("市政府召开常务会议，部署冬季供暖工作。"));
        assert!(is_cut_off("服务“一带一路”建设近3年来，取得了多方面成效——。"));
        assert!(!is_cut_off("S84项目——沙特最大的三维地震勘探项目顺利开工。"));
    }

    #[test]
    fn a_line_without_punctuation_before_a_new_paragraph_is_a_seam() {
        let source = "让心灵有所寄托\n\n\u{3000}\u{3000}读书，让心灵也就有了寄托之所\n\n\u{3000}\u{3000}最近，在老家的岳母打来电话。\n\u{3000}\u{3000}她说，今年的收成不错，\n粮食都已入库。";
        let found = seams(source);
        assert!(found.contains(&"寄托之所最近，在".to_owned()), "{found:?}");
        assert!(fuses_lines("读书，让心灵也就有了寄托之所最近，在老家的岳母打来电话。", source));
        assert!(!fuses_lines("最近，在老家的岳母打来电话。", source));
        // A line broken after a comma, continued without an indent, is one sentence; so is a
        // long line an export broke mid-word, whatever blank line it put after it.
        assert!(!found.iter().any(|s| s.contains("不错，粮食")), "{found:?}");
        let broken = "营商环境是发展的生命线，作风则是营商环境的“主动脉”。市北区以“作风能力提升年”活动为抓手，深化“放管\n\n服”改革，上线68项“一事全办”主题服务场景。";
        assert!(seams(broken).is_empty(), "{:?}", seams(broken));
        // A line that closes a quotation without a sentence end of its own is bare too.
        let quoted = "\u{3000}\u{3000}来往的旅客也亲切地叫它‘大白’\n\u{3000}\u{3000}还录了视频发到网上。\n\u{3000}\u{3000}“我们在一起。”\n\u{3000}\u{3000}他说。";
        assert_eq!(seams(quoted), ["‘大白’还录了视"]);
        let defects = Defects::of("读书，让心灵也就有了寄托之所最近，在老家的岳母打来电话。", source, 80, Some(false));
        assert!(defects.fused && !defects.cut_off && !defects.frame_on_non_commentary && defects.any());
        // A title broken over two paragraphs and written whole elsewhere: a summary that takes
        // the whole one fuses nothing.
        let repeated = "近日，中办印发了《纪检监察机关处理检举控告工作规则》。\n\n\u{3000}\u{3000}纪检监察机关处理\n\n\u{3000}\u{3000}检举控告工作规则\n";
        assert_eq!(seams(repeated), ["机关处理检举控告"]);
        assert!(!fuses_lines("中办印发了《纪检监察机关处理检举控告工作规则》。", repeated));
        let broken_only = "纪检监察机关处理\n\n\u{3000}\u{3000}检举控告工作规则，今天发布。";
        assert!(fuses_lines("纪检监察机关处理检举控告工作规则，今天发布。", broken_only));
        let framed = Defects::of("文章认为，读书让心灵有所寄托。", source, 10, Some(false));
        assert!(framed.frame_on_non_commentary && framed.over_budget);
        assert!(!Defects::of("文章认为，读书让心灵有所寄托。", source, 80, Some(true)).any());
    }
}
