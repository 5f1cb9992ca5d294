//! Whether a run of consecutive clauses cut from a sentence reads as a sentence of its own: it
//! opens where a reader has its subject ([`opens_well`]), stops where a sentence can
//! ([`stops_well`]), and says whole what it starts ([`reads_alone`]). Built on what each clause
//! says ([`super::clause`]).

use std::sync::LazyLock;

use regex::Regex;

use super::clause::*;
use crate::summarize::readable::{announces, is_cut_off, opens_pointing_back, refers_back, speaks_of_someone_unnamed};
use crate::text::{self, CLAUSE_BREAKS};

/// Whether `clauses[k]` carries on a purpose opened before it ([`opens_purpose`], then the next
/// items of its aim up to it, [`PURPOSE_AIM`]): it belongs to the setting, and no run opens
/// there.
fn continues_purpose(clauses: &[&str], k: usize) -> bool {
    PURPOSE_AIM.is_match(words_of(clauses[k]))
        && clauses[..k]
            .iter()
            .rev()
            .find(|clause| !PURPOSE_AIM.is_match(words_of(clause)))
            .is_some_and(|clause| opens_purpose(words_of(clause)))
}

/// Whether a clause after `clauses[..end]`, before the sentence or a semicolon ends the part,
/// sums them up ([`SUMS_UP`]).
fn summed_up_later(clauses: &[&str], end: usize) -> bool {
    let ends_part = |clause: &str| text::trim(clause).ends_with(['；', ';']);
    if ends_part(clauses[end - 1]) {
        return false;
    }
    for clause in &clauses[end..] {
        if SUMS_UP.is_match(text::trim(clause)) {
            return true;
        }
        if ends_part(clause) {
            return false;
        }
    }
    false
}

/// Whether the run of `clauses[first..end]` is cut from a question (the sentence ends in a
/// question mark after it) and holds a clause that asks ([`ASKS`]): `党风廉政建设有哪些新的规律。`,
/// `使用医用酒精消毒究竟会不会引起火灾。`, or is cut from an interview's question
/// ([`put_as_question`]). The question's other clauses may still make a run
/// (`剩下24人都是密切接触者，社区应该如何防控？`).
fn cut_from_question(clauses: &[&str], first: usize, end: usize) -> bool {
    end < clauses.len()
        && clauses.last().is_some_and(|last| ends_in_question(last))
        && (clauses[first..end].iter().any(|c| ASKS.is_match(words_of(c))) || put_as_question(clauses))
}

/// Whether a sentence is an interview's question (`问：我在多家银行重复预约，能顺利兑换纪念币
/// 吗？`): what its first clauses say is what the asker supposes, not what the text tells.
fn put_as_question(clauses: &[&str]) -> bool {
    clauses.first().is_some_and(|c| ["问：", "问:"].iter().any(|q| text::trim(c).starts_with(q)))
}

/// Whether `clauses`, a unit, only say when and where: when ([`WHEN_ONLY`]), then where
/// ([`PLACE_ONLY`]), and perhaps amid what ([`AMID`]): `2月15日上午9时，河北廊坊…平房门口，皑皑
/// 白雪间。`
fn only_when_and_where(clauses: &[&str]) -> bool {
    let Some((last, before)) = clauses.split_last() else { return false };
    let when = before.iter().take_while(|clause| WHEN_ONLY.is_match(words_of(clause))).count();
    let places = &before[when..];
    when > 0
        && places.iter().all(|clause| PLACE_ONLY.is_match(words_of(clause)))
        && (PLACE_ONLY.is_match(words_of(last)) || (!places.is_empty() && AMID.is_match(words_of(last))))
}

/// The first halves of correlative pairs and what completes each: `不仅…而且/也/还…`,
/// `既要…又/也…`, `小到…大到…`, `一方面…另一方面…`, `虽然/尽管…但/却/仍…`, `只有…才…`,
/// `只要…就…`, `无论…都…`, `越是…越…`, `一手抓…一手抓…`, `一边…一边…`, `看似…实则…`,
/// `与其…不如…`, `之所以…是因为…`, `能否（能不能）…关键在于（影响）…`. A unit
/// that holds the first half and not the second stops halfway (`…不仅需要出台政策。`, `…小到一针
/// 一线。`, `只有聚焦难题，打好组合拳。`, `《流浪地球》看似异军突起。`): the sentence, or the next,
/// says the rest.
static CORRELATIVES: LazyLock<[(Regex, Regex); 15]> = LazyLock::new(|| {
    let pattern = |p: &str| Regex::new(p).expect("correlative pattern");
    [
        (pattern(r"不仅|不但|不只|不光|不单"), pattern(r"而且|并且|还|也|更|又|同时|甚至|亦|乃至")),
        (pattern(r"既[^然往]"), pattern(r"又|也|还|更|同时|亦")),
        (pattern(r"小到|小至"), pattern(r"大到|大至")),
        (pattern(r"(?:^|[，；：、])一方面"), pattern(r"另一方面")),
        (pattern(r"虽然|虽|尽管"), pattern(r"但|却|仍|还|也|可|不过|然而|依然|依旧|犹")),
        (pattern(r"(?:^|[，；：、])(?:只有|唯有)"), pattern(r"才")),
        (pattern(r"(?:^|[，；：、])只要"), pattern(r"就|便|都|即可|总")),
        (pattern(r"(?:^|[，；：、])(?:无论|不论|不管)"), pattern(r"都|也|均|总|始终|一律|全")),
        (pattern(r"越是"), pattern(r"越")),
        (pattern(r"一手(?:抓|握|托|牵|拿|提)"), pattern(r"一手|另一手|两手")),
        (pattern(r"一边"), pattern(r"一边")),
        (pattern(r"看似|乍看|表面上"), pattern(r"实则|其实|实际上|事实上|但|却|然而|不过")),
        (pattern(r"与其"), pattern(r"不如|毋宁|宁可|倒不如")),
        (pattern(r"之所以"), pattern(r"是因为|是由于|在于|原因")),
        (pattern(r"能否|能不能"), pattern(r"关键|取决|在于|决定|影响|考验|检验|事关|关系|是")),
    ]
});

/// Whether `unit` holds the first half of a correlative pair without what completes it after
/// it ([`CORRELATIVES`]).
fn half_correlative(unit: &str) -> bool {
    CORRELATIVES.iter().any(|(first, second)| first.find(unit).is_some_and(|m| !second.is_match(&unit[m.end()..])))
}

/// A sentence that ends on who spoke and how, with no quotation of its own (`一名居民焦急地问。`,
/// `他笑着说。`, `…所长刘罡眼含泪水说。`): it answers a quotation before it that the reader does
/// not have. A speaker is someone (`他`, `村民`, `记者`, `负责同志`) or the way they speak
/// (`焦急地`, `笑着`, `一边`); anyone `说`: `疑问`, `访问`, and `小说`, `据说`, `学说`, `演说`
/// and the like end sentences of their own. A speaker who only `介绍` or `表示`, with nothing
/// said, answers in the same way, as does anyone who only ponders or urges (`…村民郭启叶琢磨。`,
/// `心想`, `嘀咕`, `叮嘱`).
static ANSWERS_QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:(?:地|着|边|这样|如是|他|她|们|人|者|员|长|民|生|友|士|志|记|任)",
        r"(?:问|问道|答|答道|回答|介绍|表示|指出|透露|强调)|[^小传听据学演游解]说|说道|",
        r"喊道|叹道|笑道|感叹道|感慨道|琢磨|心想|寻思|嘀咕|念叨|叮嘱|嘱咐|追问|反问)[。！]?$"
    ))
    .expect("speaker pattern")
});

/// A sentence that announces what comes next (`有这样两则案例。`, `情况如下：`, `获奖项目有以下
/// 五大特点——`, `随处可见这样的提示。`, `记者看见这样一幕。`), or ends on someone's words or
/// thoughts that the next sentences give (`…总书记这样深情回望。`, `武汉市民这样相互鼓励。`,
/// `…在朋友圈里写下这句话。`): the reader of a summary never gets them.
static POINTS_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:(?:这样|这么|以下|下面)[一两二三四五六七八九十几]+大?[个则件组条项点种位句段幅群方特幕番封张]",
        r"[^，。；！？“”]{0,6}|",
        r"(?:可见|看到|看见|见到|听到|听见|写着|贴着|挂着|响起|传来|收到|发出)了?这样的[^，。；！？“”的]{1,6}|如下[^，。；！？“”]{0,6}|",
        r"这样(?:深情|动情|激动|感慨|自豪)?地?(?:说|写道|回望|回忆|鼓励|相互鼓励|互相鼓励|形容|评价|描述|总结|叮嘱|嘱咐|感慨|感叹)|",
        r"(?:写下|说出|留下|喊出|发出)了?这(?:句|段|番|样一句)话)[—…]*[。！：:]?$"
    ))
    .expect("announcing pattern")
});

/// Whether `unit` ends by announcing what comes next ([`POINTS_AHEAD`]).
pub(super) fn points_ahead(unit: &str) -> bool {
    POINTS_AHEAD.is_match(text::trim(unit))
}

/// Whether `unit` only says who spoke a quotation it does not hold ([`ANSWERS_QUOTE`]); a
/// spokesman who `答记者问` answers questions the sentence names.
fn answers_quote(unit: &str) -> bool {
    let words = text::trim(unit);
    !words.contains(['“', '"', '「', '：'])
        && ANSWERS_QUOTE.is_match(words)
        && !words.trim_end_matches(['。', '！']).ends_with("答记者问")
}

/// A clause that says what something is (`这是疫情防控期间`): however it ends, it frames nothing.
static SAYS_WHAT_IT_IS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:这|那|此|也|都|就|正|便)?是[^否]").expect("copula opening pattern"));

/// Whether `words`, a clause, opens on a copula and ends as a frame does (`这是疫情防控期间`):
/// what it says something is comes in the next clause, which cannot open a run without it.
fn copula_framed(words: &str) -> bool {
    SAYS_WHAT_IT_IS.is_match(words) && FRAMING.is_match(words)
}

/// How many of `sentence`'s first clauses only frame it ([`FRAMING`], unless it says what
/// something is, [`SAYS_WHAT_IT_IS`], [`WHEN_ONLY`], a
/// setting, [`sets_the_scene`], that is no [`HELD_SETTING`], or what carries on a purpose,
/// [`continues_purpose`]; never a [`CONDITION`]): a run may open at its start or after them, at
/// any clause up to this one (not one that carries on a purpose), and nowhere later.
pub fn opening_clauses(sentence: &str) -> usize {
    let clauses = text::clauses(sentence);
    (0..clauses.len())
        .take_while(|&k| {
            let words = words_of(clauses[k]);
            (FRAMING.is_match(words) && !DONE_ON_A_DATE.is_match(words) && !copula_framed(words))
                || WHEN_ONLY.is_match(words)
                || (sets_the_scene(words) && !HELD_SETTING.is_match(words))
                || continues_purpose(&clauses, k)
        })
        .count()
}

/// Whether `clauses` open by pointing back at text before them ([`opens_pointing_back`]): the
/// first, or the first after the `framing` clauses that only say when or on whose word
/// (`在社区大院，这句话被重复了千万遍` points back as `这句话…` would); or speak of someone as `他` or `她` before
/// naming anyone ([`speaks_of_someone_unnamed`]: `即将出战…，他依然…`).
pub fn leans_back(clauses: &[&str], framing: usize) -> bool {
    clauses.iter().take(framing + 1).any(|clause| opens_pointing_back(text::trim(clause)))
        || speaks_of_someone_unnamed(&clauses.concat())
}

/// The clause that ends with `clauses[end - 1]`, with the clauses before it that a quotation
/// or bracket it closes began in: the commas of `根据党中央关于“加大资金投入，保障好…”的精神，`
/// are the quotation's, and the clause is opened by `根据`.
fn whole_clause(clauses: &[&str], end: usize) -> String {
    clauses[whole_clause_start(clauses, end)..end].concat()
}

/// Where [`whole_clause`] starts.
fn whole_clause_start(clauses: &[&str], end: usize) -> usize {
    let mut start = end - 1;
    while start > 0 && !balanced(&clauses[start..end].concat()) {
        start -= 1;
    }
    start
}

/// Whether `clauses[..end]` is a quotation that opens its sentence (`“我们坚持以正风肃纪反腐…各项
/// 制度”，`), where the sentence goes on: what follows says who spoke it or what it means
/// (`…，在…全会上，习近平总书记…具有重大指导意义。`), and the quotation alone is neither.
fn opening_quotation(clauses: &[&str], end: usize) -> bool {
    end < clauses.len()
        && whole_clause_start(clauses, end) == 0
        && text::trim(clauses[0]).starts_with(['“', '「'])
        && words_of(clauses[end - 1]).ends_with(['”', '」'])
}

/// Whether a run of a sentence's `clauses` may stop after `clauses[end - 1]`: where the
/// sentence goes on, after a clause that can end one ([`can_end`], asked of the whole clause a
/// closing quotation belongs to, [`whole_clause`]) that carries on no purpose
/// ([`continues_purpose`]), and not before a clause that carries it on ([`CARRIES_ON`]), says
/// what follows from it ([`CONSEQUENCE`]) or
/// completes what it takes ([`TAKEN_AS`]), nor on a first clause that is [`ABOUT_TO`], nor on
/// the first item of what a colon leads into (`…已全面行动：线下保障，织密…；线上优先，…`,
/// `…做了3个介绍：吃水问题，…`), nor on a quotation before the clause that says who spoke it
/// (`“家庭是人生的第一个课堂…”，习近平总书记这样强调。`) or on one that opens the sentence
/// ([`opening_quotation`]), nor before a clause that sums up the clauses before it
/// ([`summed_up_later`]), nor on where someone went before what they did there ([`GOES_TO`]); where
/// it closes the sentence, not on a colon ([`leads_into`]), and on a semicolon only after a
/// clause that can end one (`从…，到减税降费总额超过2万亿元；` is part of a longer sentence).
/// It depends on `end` alone, so [`runs`] asks it once for each clause.
pub(super) fn stops_well(clauses: &[&str], end: usize) -> bool {
    match clauses.get(end) {
        None if text::trim(clauses[end - 1]).ends_with(['；', ';']) => can_end(&whole_clause(clauses, end)),
        None => !leads_into(clauses[end - 1]),
        Some(next) => {
            can_end(&whole_clause(clauses, end))
                && !continues_purpose(clauses, end - 1)
                && !CARRIES_ON.is_match(text::trim(next))
                && !CONSEQUENCE.is_match(text::trim(next))
                && !completes(next, clauses[end - 1])
                && (end > 1 || !ABOUT_TO.is_match(words_of(clauses[0])))
                && !(end > 1 && leads_into(clauses[end - 2]))
                && !(words_of(clauses[end - 1]).ends_with(['”', '」']) && answers_quote(words_of(next)))
                && !opening_quotation(clauses, end)
                && !summed_up_later(clauses, end)
                && !(GOES_TO.is_match(words_of(clauses[end - 1])) && DOES_THERE.is_match(words_of(next)))
        }
    }
}

/// Whether a run may open at `clauses[first]`: at its sentence's start, or, cut from it, not on
/// a predicate whose subject it left behind ([`PREDICATE_FIRST`]), on a consequence whose
/// condition it left behind ([`CONSEQUENCE`]), on what carries on a purpose
/// ([`continues_purpose`]), on what completes a clause it left behind ([`TAKEN_AS`]), on a
/// place in a ranking whose list it left behind ([`RANK`]), on the end of a range whose start
/// it left behind ([`RANGE_END`]: `到服务旅客的铁路人，…` cut from `从希望工程的代言人，…`), on a
/// quotation whose speaker it left behind (`“复工备案272人…”` cut from `董云岳对记者说：“…”`,
/// `“到了奥运年…”` from `刘国梁表示，“…”`), or
/// on one of a group it left behind (`…施工队是其中的“夜行者”` cut from `在…的人群中，`), on
/// a demand whose speaker it left behind ([`DEMAND`] after [`SPEAKS`]), on what a copula it left
/// behind says something is ([`copula_framed`]), on a line of the verse
/// a cartoon's caption closes with (`这正是：垃圾围城亟破题，无废城市露端倪。`), or, after the
/// `opening` clauses that frame the sentence, on one that finishes the clause before it
/// ([`left_unfinished`]). It depends on `first` alone, so [`runs`] asks it once for each clause.
pub(super) fn opens_well(clauses: &[&str], first: usize, opening: usize) -> bool {
    let words = words_of(clauses[first]);
    first == 0
        || !((first > opening && left_unfinished(&whole_clause(clauses, first)))
            || PREDICATE_FIRST.is_match(words)
            || CONSEQUENCE.is_match(words)
            || RANK.is_match(words)
            || RANGE_END.is_match(words)
            || words.contains("其中")
            || (opens_quotation(words)
                && (leads_into(clauses[first - 1]) || FRAMING.is_match(words_of(clauses[first - 1]))))
            || continues_purpose(clauses, first)
            || completes(words, clauses[first - 1])
            || (DEMAND.is_match(words) && SPEAKS.is_match(words_of(clauses[first - 1])))
            || copula_framed(words_of(clauses[first - 1]))
            || clauses[..first].iter().any(|clause| words_of(clause).ends_with("这正是")))
}

/// Whether the run of `clauses[first..end]` of a sentence (of which `opening` first clauses only
/// frame it), shown as `shown`, reads alone: it `opens` well ([`opens_well`]) and `stops` well
/// ([`stops_well`]), says more than the frame, cut from its sentence (`为了进一步落实…，健全…责任制。` is a
/// purpose and no deed), closes the quotations and brackets it opens and none it does not,
/// completes the pairs it opens, and neither answers a quotation it lacks, announces what follows
/// ([`points_ahead`], [`announces`]),
/// only says when and where ([`only_when_and_where`], with the clauses before it: `深圳宝安国际机场安检通道处。`
/// cut from after `2019年11月的一天上午，`), points back ([`leans_back`]), nor refers to what came
/// before its sentence in a clause it keeps ([`refers_back`], asked with the clauses it drops
/// before it, which may hold what it refers to: `…宣布：应埃及…外长邀请，王毅将
/// 对上述国家进行正式访问。`), nor asks without its question
/// mark ([`cut_from_question`]), nor trails off as the page's own sentence may (`资金支持、金融扶持、税费优惠……`:
/// [`is_cut_off`]), nor ends on a caption's `…在比赛中` ([`AT_AN_EVENT_ONLY`]), nor leaves a condition
/// unanswered ([`leaves_condition_unanswered`]).
pub(super) fn reads_alone(
    clauses: &[&str],
    first: usize,
    end: usize,
    opening: usize,
    shown: &str,
    opens: bool,
    stops: bool,
) -> bool {
    opens
        && stops
        && (end > opening || end == clauses.len())
        && balanced(shown)
        && !half_correlative(shown)
        && !answers_quote(shown)
        && !points_ahead(shown)
        && !announces(shown)
        && !only_when_and_where(&clauses[first..end])
        && !(first > 0 && only_when_and_where(&clauses[..end]))
        && !leans_back(&clauses[first..end], opening.saturating_sub(first))
        && !refers_back(&clauses[..first], shown)
        && !cut_from_question(clauses, first, end)
        && !is_cut_off(shown)
        && !AT_AN_EVENT_ONLY.is_match(words_of(clauses[end - 1]))
        && !leaves_condition_unanswered(clauses, first, end)
}

/// Whether the run of `clauses[first..end]`, cut before its sentence's end, holds a condition
/// ([`CONDITION`]) and no answer to it: none in the condition's own clause after its opening
/// word, nor in a clause after it ([`answers_condition`]): `如果在中国找一个县，既生长四方花木，
/// 又能产南北水果。` stops before `好像不大可能`, `如果孩子体温持续不降…，精神状态差。` before
/// `应及时就医`.
fn leaves_condition_unanswered(clauses: &[&str], first: usize, end: usize) -> bool {
    end < clauses.len()
        && (first..end).any(|k| {
            opens_condition(words_of(clauses[k]))
                && !clauses[k + 1..end].iter().any(|clause| answers_condition(words_of(clause)))
        })
}

/// For each of `clauses`, whether a condition before it ([`CONDITION`]) is still unanswered
/// where it opens ([`answers_condition`]): a run that opens there has left the condition
/// behind (`又能产南北水果，好像不大可能。`). One pass over the sentence, so that [`runs`] asks
/// it once.
pub(super) fn conditions_open(clauses: &[&str]) -> Vec<bool> {
    let mut open = false;
    clauses
        .iter()
        .map(|clause| {
            let before = open;
            let words = words_of(clause);
            if answers_condition(words) {
                open = false;
            }
            open |= opens_condition(words);
            before
        })
        .collect()
}

/// Whether `sentence` whole reads alone as a summary's unit, by the rules its runs keep
/// ([`runs`](super::runs)).
pub fn whole_reads_alone(sentence: &str) -> bool {
    let clauses = text::clauses(sentence);
    let end = clauses.len();
    end > 0
        && reads_alone(&clauses, 0, end, opening_clauses(sentence), &ended(sentence), true, stops_well(&clauses, end))
}

/// What ends a run that stops before its sentence does: the run is a sentence of its own.
pub const RUN_END: char = '。';

/// `text` as a sentence of its own: a trailing clause break (`；`, `，`) gives way to a
/// [`RUN_END`], and text that ends on a letter, digit or character gets one.
pub fn ended(text: &str) -> String {
    let shown = text::trim(text.trim_end_matches(CLAUSE_BREAKS));
    if text::ends_sentence(shown) {
        shown.to_owned()
    } else {
        format!("{shown}{RUN_END}")
    }
}

/// Whether every quotation mark and bracket `text` opens it also closes, so that a run cut
/// from a sentence does not leave one open.
pub fn balanced(text: &str) -> bool {
    [('“', '”'), ('（', '）'), ('《', '》'), ('(', ')'), ('「', '」')]
        .iter()
        .all(|&(open, close)| text.matches(open).count() == text.matches(close).count())
}
