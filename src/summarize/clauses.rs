//! Which clauses of an over-long sentence a summary keeps.
//!
//! A newspaper's best sentence is often longer than the budget. Cut after its last clause that
//! fits, it keeps the when and on whose word and loses what happened; the clauses a person keeps
//! are often further on. The trimmer scores every run of consecutive clauses that fits
//! ([`runs`]) on a few numbers ([`RUN_FEATURES`]): how much of the headline it holds and how much
//! of it is headline, how much of the article repeats its words, its length, where it starts
//! and ends in the sentence, figures and quotation. A linear model maps them to how much better
//! than the sentence's average run its character ROUGE-L F1 against a hand-written summary is
//! expected to be. `jianbao train-summarizer` fits it on the over-long sentences of the
//! hand-summarised newspaper articles ([`crate::train::summarizer::trimmer`]).
//!
//! On the annotated training articles whose best sentence is over the budget (15% of them,
//! 5-fold cross-validation), the learnt run scores 34.0–34.5 ROUGE-L against 32.2 for the cut.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::readable::{is_cut_off, points_back, speaks_of_someone_unnamed};
use super::words::{bigrams, holders, Bigram};
use crate::fit::argmax;
use crate::fit::ridge::Linear;
use crate::sentences::Sentence;
use crate::text::{self, char_len, CLAUSE_BREAKS};

/// The features of a run, in the order of the trimmer's weights.
pub const RUN_FEATURES: [&str; 11] = [
    "head_recall",
    "head_share",
    "shared_bigrams",
    "chars",
    "chars_squared",
    "opens_sentence",
    "closes_sentence",
    "start",
    "rest",
    "numbers",
    "quotation",
];

/// A run the trimmer may choose keeps at least this many characters.
pub const MIN_RUN_CHARS: usize = 12;

/// Runs offered per sentence at most, so that the work on a sentence of many short clauses is
/// bounded (a 256-character piece has a few dozen clauses).
const MAX_RUNS: usize = 512;

/// What ends a run that stops before its sentence does: the run is a sentence of its own.
pub const RUN_END: char = '。';

/// A clause that cannot end a sentence: one that introduces what follows (`他说`, `数据显示`,
/// `在他看来`, `会议要求`, `每一名党员干部都应当意识到`), a time or purpose clause (`…之际`,
/// `…以来`), a place the sentence goes on to fill (`…靠近机场一隅`), one that stops on `而` (and
/// on a joining word or whom someone meets before who leads them: [`UNFINISHED`]), on the means
/// of an action still to come (`目前贵州借助网络信息技术`, `消防员顺着6米拉梯`, `靠着外出务工和采摘鲜竹笋`), on a walk through the place the
/// sentence goes on to describe (`走在…青石桥社区`; not `走在全国前列`), on whom an action
/// still to come is for (`县委发文，对4名…实绩突出人员`, which goes on `予以提拔重用`;
/// `…政治工作部向人民解放军指战员、…民兵预备役人员`, which goes on `致以诚挚问候`), on whom
/// someone leads or gathers for what the sentence says next (`教导员许奎率领10名突击队队员`,
/// `推广总站组织市县农技人员`), on a surprise whose point comes next (`于翠没想到自己60多岁了，
/// 还能在家门口挣工资`), on the circumstance of an action still to come (`专机在2架缅甸战机
/// 护航下`, `当室内有较大空间，并有开窗条件情况下`), on the height or angle from which someone
/// goes on to act (`习近平总书记从…全局和战略高度`, `…全会站在党和国家事业全局和战略高度`), on an item
/// a list goes on to tell (`今年过年家里两件大事，头一件`), on whom someone
/// speaks for (`习近平总书记首先代表党中央和国务院`), on what someone or something is in a role
/// (`双周协商座谈会作为协商民主平台`; not what is taken as something, `把创新作为第一动力`), or on
/// whom or when the sentence goes on to speak of (`说起…主任付秀秀`, `回忆起2015年9月3日`), on
/// the first sight of someone whose doing comes next (`初见…教授、博导仲跻昆`), on the meeting
/// at which what the sentence reports took place (`…新气息：会上`) or the sky above which it
/// happens (`…麦田上空`),
/// on the case whose course comes next (`…涉嫌受贿一案`), on what is left aside for what comes
/// next (`除采用双防抖技术`, which goes on `还…`), on the look whose finding comes next
/// (`…运回了地坪乡，一清理`), on the means by which the sentence goes on to say what was done
/// (`…服务平台”通过打破部门壁垒`, `通过…这种方式`, `…科研团队通过大数据聚类分析`,
/// `以…特困地区为对象`, `拿着…事实性证明`, `…在改革
/// 定位上`; not `顺利通过验收`), on whose commission or invitation someone acts (`李干杰受国务院
/// 委托`, `应…邀请`), on a finding still to come (`联合调查组经审查认定`), on the spirit in
/// which what follows is done (`以高度的责任感和使命感`, `…有关企业要以高度的责任感`), on what
/// something was built on
/// (`…是在原央视动画公司基础上`) or the site where what follows happens
/// (`…承建的苏丹上阿特巴拉大坝项目工地上`), on what is formed before it is named
/// (`形成了以最低生活保障…为主体`), on one who advises before the advice (`研究员张流波建议`;
/// not `提出了100多条建议`), inside a place or beyond one (`3日的人民大会堂宴会厅内`,
/// `决定在海河医院以外`; not `降至2000例以内`, `畅销国内`), or on a list still to come
/// (`第二条  下列各项个人所得`), on how someone goes about what they do (`…都会开着面包车`,
/// `携手当地同行`), on what it is done as before (`和往年一样`), on the body or platform
/// through which something is done (`依托人民网…网络媒体平台`, `北京市政协通过…研究会`), on what
/// something shows before what it shows (`…今昔变化充分证明`), on a question the sentence goes
/// on to say something of (`如何做好新能源汽车电池回收、置换等工作`, before `成为一道现实考题`;
/// `能不能砥砺志气、激发意气`), on the first of several met in turn (`刘鹤…分别会见国际货币基金组织总裁格奥尔基耶娃`), on
/// a cause before its effect (`而今年受新冠肺炎疫情影响`; not what was `受到` as a predicate,
/// nor `未受太多影响`), on a copula before what it joins (`大家共同面对的问题是`, `值得一提的是`),
/// on partners before what is done with them (`…都会联合毛里求斯政府、侨社等`; not `联合研发…`),
/// on what is taken into account before what is done (`…派出所结合辖区特点`; not `…结合自身特色
/// 开发文创产品`), on when a plan is for before the plan (`新西兰计划在2020年中小学新学期`),
/// or on a look before what is seen (`翻开看`).
static OPEN_ENDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:说|说道|表示|指出|认为|强调|介绍|称|坦言|直言|透露|宣布|写道|看来|显示|表明|发现|看到|注意到|获悉|了解到|提到|告诉记者|",
        r"意识到|认识到|体会到|感受到|深知|相信|坚信|确信|懂得|",
        r"时|之时|后|之后|以后|前|之前|以来|[年月天日周]来|期间|之际|过程中|当中|之中|中|里|之间|一隅|一角|门口|门前|脚下|深处|街头|",
        r"(?:会|仪式|典礼)上|上空|一案|^除了?[^夕，。；][^，。；]*|",
        r"^一(?:[看问听查算瞧摸量比试测]|清理|清点|打听|了解|询问|统计|调查|核实|检查|排查|对比|核算|盘点|走访|打量)|",
        r"要求|提出|呼吁|号召|[^条项份点的出些化性]建议|提醒|来说|而言|而|",
        r"[^国对以之]内|在[^，。；]{1,24}(?:以外|之外|以内|之内)|^(?:第[一二三四五六七八九十百]+条\s*)?(?:下列|以下)[^，。；]{1,20}|",
        r"通过(?:就近|积极|大力|不断|开展|实施|建立|建设|发展|引进|推广|加强|组织|举办|利用|借助|采取|搭建|打造|设立|",
        r"打破|整合|完善|创新|强化|深化|推行|推进|引导|培育|探索|运用|实行|将|把|对|与|和|在|向)[^，。；]*|",
        r"通过[^，。；了]{1,30}(?:方式|途径|渠道|平台|形式|手段|措施|办法|机制|举措|模式|疗法|方法|技术|研究会|协会|学会|研究院|小组|",
        r"分析|研判|测算|比对|筛查|调研|排查)|(?:翻开|打开|展开|点开|拿起)一?看|",
        r"以[^，。；]{1,30}为(?:对象|抓手|载体|契机|突破口|切入点|着力点|落脚点|出发点|依托|纽带|牵引|指引|遵循)|",
        r"(?:形成|构建|建立|建成|打造|探索|走出|开创)[了出]?以[^，。；]{1,60}为[^，。；]{1,4}|",
        r"(?:充分|有力|再次|进一步|足以)(?:证明|说明|表明)|^(?:如何|怎样|怎么样?|是否|能否|能不能|为何|为什么|要不要|该不该|会不会)[^，。；]*|",
        r"分别(?:会见|会晤|看望|慰问|致电)[^，。；]+|",
        r"受[^，。；]{1,20}(?:委托|邀请|之邀|委派|指派|嘱托)|^应[^，。；]{1,24}(?:邀请|之邀)|",
        r"(?:^|[^已曾])经过?[^，。；]{0,10}(?:认定|查明|确认|核实|核查|鉴定)|",
        r"(?:^|[要应须需都将更])以[^，。；为来及后上下外前便免致往至][^，。；]{0,16}(?:责任感|使命感|紧迫感|精神|姿态|态度|干劲|劲头|作风|决心|担当|热情|勇气|状态)|",
        r"(?:顺着|沿着|借助|依托|凭借)[^，。；了着过]{1,10}|^(?:靠着|凭着|依靠|借着)[^，。；了着过]{1,20}|",
        r"^(?:拿着|带着|揣着|握着|捧着|提着|背着|怀着|抱着|顶着|冒着|迎着|踏着|伴着|趁着|望着|看着|听着)[^，。；了过]{1,30}|",
        r"在[^，。；]{1,16}(?:定位|层面|方面|问题|环节|领域|方向|思路|做法|安排|设计|机制|模式|基础|前提|框架)上|",
        r"的[^，。；的了着过]{2,24}(?:工地|现场|赛场|舞台|田间|田野|码头|工厂|车间)上|",
        r"^(?:走在|行走在|穿行在|漫步在?|徜徉在)[^，。；]{1,30}(?:社区|小区|村|村头|村里|街|街道|街头|路上|巷|胡同|镇|乡间|校园|园区|厂区|田间|田埂|广场|公园|山间|林间|江边|河畔|湖畔)|",
        r"(?:^(?:对|向|给)|^[^，。；]{2,40}[^，。；走面导转倾方意去动指偏志趋朝流投迈奔驶飞一]向)[^，。；了着过]{1,40}",
        r"(?:人员|同志|干部|个人|集体|单位|企业|党员|群众|官兵|军民|指战员|家属|军属|烈属|同胞|侨胞|人民|工作者)|",
        r"(?:率领|带领|领着)[^，。；了着过]{1,14}|",
        r"(?:组织|动员|发动|召集|号召|安排)[^，。；了着过]{0,12}(?:人员|干部|党员|群众|村民|居民|志愿者|专家|队员|职工|师生|学生)|",
        r"(?:没有?|未曾|不曾)(?:想到|料到)[^，。；]*|(?:想不到|没料到|谁知|不料|哪知)[^，。；]*|",
        r"在[^，。；]{1,24}下|(?:情况|情形|条件|前提)下|(?:从|站在|立足于?)[^，。；]{1,30}(?:高度|角度|层面|视角|维度|立场|方面)(?:出发|上|来看|看)?|",
        r"(?:的|问题|关键|原因|答案|结果|目的|核心|重点|难点|前提|好处|特点|意思|办法|理由)是|",
        r"(?:联合|会同|协同|联手)[^，。；了着过]{1,30}(?:等|部门|单位|机构|政府|企业|公司|组织|协会|学会)|",
        r"结合[^，。；了着过]{0,12}(?:特点|特色|实际|实情|情况|需求|优势|资源|条件|要求)|",
        r"(?:计划|打算|准备|拟|决定|预计|力争|争取)(?:于|在|到)[^，。；]{0,16}(?:年|月|日|学期|季度|前|后|底|初|旬|期间)|",
        r"牵头|(?:和|与|跟|同|像)(?:往年|往常|平常|平时|以往|过去|去年|往日)一样|",
        r"(?:借助|依托|凭借)[^，。；了着过]{1,30}(?:平台|优势|资源|渠道|载体|网络|技术|力量)|(?:^|[^未不没少免])受[^到，。；][^，。；]{0,20}(?:影响|冲击)|",
        r"代表(?:党中央|中共中央|中央|国务院|中央军委|政府|全国|全体|各族|本人|我们|我|公司|集团)[^，。；了着过]{0,16}|",
        r"^[^，。；把将以视]{1,12}作为[^，。；是了着过]{1,24}|^(?:说起|提起|谈起|讲起|说到|谈到|回忆起|回想起|想起)[^，。；]+|",
        r"^(?:初见|初识|初次见到|第一次见到)[^，。；了]{1,30}|",
        r"(?:开|骑|驾|推|扛|挑)着[^，。；了]{1,10}|携手[^，。；]{1,12}|",
        r"^(?:头一|第[一二三四五六七八九十]+|其[一二三四五])(?:件|个|条|点|项|次)?(?:事)?)$"
    ))
    .expect("open-ended clause pattern")
});

/// A clause that only says when (`2019年`, `去年11月`, `今年以来`, `11日下午4时50分`,
/// `2014年至2018年`, `今年2月起`, `而时至今日`, `现如今`, `2019年11月的一天上午`, `回首2019年`) or how long
/// (`1000余天`, `两个多月`): the sentence goes on to say what happened then, and a run cannot
/// stop there (`…主任指出，2019年。`, `…建起了农民辣椒合作社，现如今。`).
static WHEN_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:而|但|可|却)?(?:回首|回望|回顾|展望)?(?:(?:\d+|[〇一二三四五六七八九十]+)(?:年|月|日|号|时|点|分|秒)|",
        r"(?:\d+|[〇一二三四五六七八九十百千两几]+)(?:余|多)?个?(?:年|月|天|周|星期|小时|分钟)(?:多|余)?|",
        r"的?(?:一天|某天|某日|那天|这天|那年|这年)|近日|日前|近期|目前|当前|如今|现如今|现在|而今|眼下|当下|此时|此刻|当时|那时|",
        r"后来|随后|此后|时至今日|至今|今年|去年|明年|前年|当天|当日|昨天|今天|上午|下午|中午|晚上|傍晚|深夜|夜里|早上|清晨|凌晨|",
        r"上旬|中旬|下旬|岁末|岁尾|年关|除夕|此前|前不久|不久前|春节|春运|元旦|国庆|清明|端午|中秋|五一|寒假|暑假|假期|节日|至|到|—)+",
        r"(?:以来|期间|底|初|末|前夕|起|许|左右)?$"
    ))
    .expect("time clause pattern")
});

/// A clause that ends on when the next one happens: a time opened by `到了` or `每到`
/// (`到了干旱季`, `每到冬天`), a date after a dash (`祭奠长眠的父亲许庆——1995年9月12日`), which
/// the dash hands to what the sentence says next, a period after a colon (`公告称：自1月1日至
/// 3月31日`), the time something took or was set aside (`总书记用3天时间`, `党员干部集中时间`,
/// `工作组组织专家，历时两年`: what was done in it comes next), a deadline whose goal comes
/// next (`力争到2021年底，…超过50%的库存采用标准化周转筐`), the time from which it holds
/// (`自2020年起`, `从去年开始`, `…的情报部门从上世纪70年代起`: what has held since comes
/// next), or each time something happens (`习近平总书记每次考察调研`,
/// `现在每逢年节`: what happens then comes next).
static WHEN_NEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:^(?:到了|一到|[^，。；]{0,4}(?:每到|每逢))[^，。；]{0,6}(?:季|季节|天|时|时候|期|节|年|月|晚|晚上|夜里|早上|清晨|冬|夏|春|秋)|",
        r"——(?:\d+|[〇一二三四五六七八九十]+)(?:年|月|日)[\d〇一二三四五六七八九十年月日号]*|",
        r"(?:^|[：:])(?:自|从)[\d〇一二三四五六七八九十年月日号]+(?:至|到)[\d〇一二三四五六七八九十年月日号]+|",
        r"(?:用了?|集中|抽出|挤出|腾出|花了?)[^，。；]{0,8}(?:时间|工夫)|(?:^|[^的])(?:历时|耗时|历经)[^，。；]{1,8}|",
        r"(?:力争|争取|计划|预计|确保|将|要)(?:到|至|于|在)?(?:\d+|[〇一二三四五六七八九十]+)年[^，。；]{0,3}|",
        r"^(?:自|从)[^，。；]{1,12}(?:起|开始)|(?:自|从)[^，。；自从]{1,12}起|每(?:次|当|回)[^，。；都也总就便]{1,16})$"
    ))
    .expect("next-time clause pattern")
});

/// A clause that ends on a noun after its modifier (`负责感控检查的护士吴亚玲`, `过年的母亲`,
/// `以春节为标志的新春佳节`, `所属的两艘测量船“远望3号”“远望7号”`, the noun's names in
/// quotation marks after it, or its gloss in brackets, `自主研发的高血压专利药玄宁（马来酸左旋
/// 氨氯地平）`; longer people, where nothing after the `的` reads as a verb's mark,
/// `驻守在附近的北部战区陆军某边防旅八岔边防连官兵们`; someone or something a count brings in,
/// `…时代色彩：一处穷乡僻壤`; a noun after a name in quotation marks, `…为重点的“不忘初心、
/// 牢记使命”主题教育`; people a role names, `党和国家领导人习近平、李克强…等`; a case,
/// `陕西省人民政府原副省长陈国强涉嫌受贿一案`; a work by its title, `江世银撰著的《…》一书`; a place or body after a long modifier,
/// `建村700多年的江西赣州市于都县梓山镇潭头村`, `新设立的千岛湖生态综合保护局`, where nothing
/// after the `的` reads as a verb or a move, `从…园丁村嫁到尧禄村`; an event by what held it,
/// `2月20日在北京举行的…开幕式`;
/// someone named by a role alone, `新华社西藏分社记者陈尚才`,
/// `…海港区的长城保护员孙志伟`; a work by whose it is,
/// `…代表提出的《关于为环卫工人解决早餐的建议》`; an event or work by who held or made it,
/// `由上海图书馆…联合主办的“…新春大展”`, `由…联合举办的…报告会`, where nothing after the `的`
/// reads as a verb; a term set beside what it is, `“生态移民”这个新词`; someone named by field,
/// name and title, `小麦育种专家王辉教授`; a name in quotation marks after its modifier,
/// `创办于2016年的“望岳优生活”`; things counted after whose they are, `包河区的522个居民小区`;
/// what is pointed at, `这场疫情防控阻击战`; a list of things, `健康检测监测、养老监护等新产品`,
/// `种种凛然意气、凌云志气、冲天豪气`)
/// and says nothing of it (no `是`, `有`): the subject of a predicate the sentence goes on to give
/// (`…，明显加快了…`), and a run cannot stop there.
static BARE_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:的[^的，。；、“”‘’《》\d了着过是有在将要把被让使给对向为从能会可已正不没也都还就再又]{1,12}(?:员|师|手|官)\p{Han}{2,3}|",
        r"的(?:(?:[“《][^“”《》]{1,16}[”》])?[^的，。；、“”‘’《》]{1,6}|[^的，。；、“”‘’《》\d了着过是有在将要把被让使给对向为从能会可已正不没也都还就再又]{6,20}(?:们|员|者|人|官兵|干部|群众|代表|专家|师生|职工|工人|农民|居民)|",
        r"[^的，。；、“”‘’《》\d了着过是有在将要把被让使给对向为从能会可已正不没也还就再又到进入往至去回来住居位]{6,20}",
        r"(?:村|镇|乡|县|市|区|省|街道|社区|小区|公司|集团|企业|医院|学校|大学|工厂|基地|园区|景区|中心|局|厅|委员会|办公室))|",
        r"的《[^《》]{1,40}》|",
        r"^[^，。；：的\d了着过是有在将要把被让使给对向为从能会可已正不没也都还就再又说]{2,30}(?:记者|书记|主任|院长|局长|部长|",
        r"县长|市长|乡长|镇长|村长|校长|经理|董事长|研究员|教授|医生|护士|队长|站长|所长|社长|厂长|主席|总裁|负责人|民警|",
        r"警长|支书)\p{Han}{2,3}|",
        r"(?:^|[：:])一(?:处|个|位|名|座|条|群|批|支|家|所|片|种)[^，。；：是有在了着过]{1,10}|",
        r"的[^的，。；、“”‘’《》（）]{1,10}（[^（）]{1,24}）|",
        r"(?:领导人|领导同志|负责人|代表|嘉宾)[^，。；]*、[^，。；]*等|",
        r"^[^，。；了过着]{2,30}一案|[》”](?:一书|一文|一剧|一片|一诗|一曲)|",
        r"^“[^“”]{1,16}”这(?:个|一|种|项|句|些)\p{Han}{1,4}|^[^，。；了着过是才能要会应可让使给把被]{2,30}的“[^“”]{1,12}”|",
        r"^[^，。；了着过是有在将]{0,20}的\d+(?:个|家|名|所|座|条|项|处)[^，。；的了着过]{1,10}|",
        r"^(?:这|那)(?:场|次|项|个|种|份|些|位|名|座|条|件|批|支)[^，。；了着过是有在将把被]{2,14}|",
        r"^(?:种种|诸如)[^，。；了着过是有在将把被让]{2,30}|",
        r"^[^，。；了着过是有在将把被让]{2,8}、[^，。；了着过是有在将把被让]{1,30}等\p{Han}{1,4}|",
        r"^[^，。；：的\d了着过是有在将要把被让使给对向为从能会可已正不没也都还就再又说访]{2,30}(?:专家|学者|作家|画家|工程师)",
        r"\p{Han}{2,3}(?:教授|院士|研究员|博士|老师|先生|女士)|",
        r"^(?:作为[^，。；]{1,30})?由[^，。；]{2,40}(?:主办|承办|协办|举办|组织|发起|出品|制作|编写|编制|出版|研发|设计|承建|打造|完成|承担|实施)的",
        r"[^，。；的将在于已正]{0,40}(?:[”》]|活动|展览|展|会|仪式|典礼|论坛|工程|项目|节)|",
        r"^[^，。；了着过]{0,20}(?:举行|举办|召开|开幕|闭幕)的[^，。；的了着过]{2,30}(?:开幕式|闭幕式|仪式|典礼|大会|会议|",
        r"论坛|峰会|年会|发布会|座谈会|晚会|展览|博览会|招待会|交流会|研讨会|比赛|大赛|活动))",
        r"(?:[“《][^“”《》]{1,12}[”》])*$"
    ))
    .expect("bare noun clause pattern")
});

/// What makes a clause that ends on a noun say something of it: a copula anywhere (not the `有`
/// of `有关`, `所有`), a verb that opens it and takes the noun as its object
/// (`坚持党的集中统一领导`, `努力做新时代的好战士`), or one of setting out, done, before it
/// (`《决定》系统概括了…13个方面的显著优势`).
static SAYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"是|(?:^|[^所])有(?:[^关]|$)|成为|像|叫|名为|属于|担任|出任|",
        r"(?:概括|总结|提出|明确|作出|阐明|阐述|揭示|指明|确立)了|^(?:要|要求|努力|积极|大力|不断|进一步|全面|切实|着力|",
        r"坚持|做|抓住|抓好|举办|举行|召开|加强|推进|推动|深化|建设|打造|提高|提升|实现|发挥|贯彻|落实|",
        r"完善|保持|构建|增强|坚定|弘扬|传承|守护|维护|保障|促进|支持|开展|开启|迎接|展现|展示|彰显|",
        r"发布|出台|印发|通过|启动|签署|参加|出席|看望|慰问|会见|走进|来到|回到|赶赴|奔赴|接到|收到)"
    ))
    .expect("copula pattern")
});

/// A clause that opens a condition or a concession the sentence answers later (`如果…`,
/// `只有…`, `虽然…`, `无论…`, `一有…`, or after a short subject, `德国若…`, `疫情一旦…`,
/// `《温儒敏谈读书》一经出版`; not
/// `若干`): it cannot be a run's last, and a run cannot leave it out either, since what follows
/// depends on it (`只有聚焦难题顽疾，才能…`).
static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:如果|假如|若|虽然|尽管|只有|只要|即使|即便|哪怕|无论|不论|不管|一旦|一有|每当|除非)|",
        r"^[^，。；宛恍仿置]{1,8}(?:若[^干]|如果|假如|倘若|一旦|一经)"
    ))
    .expect("condition clause pattern")
});

/// A clause that opens the setting of what the sentence says later (`随着…`, `为了…`,
/// `为促进…`, `因…`, `在…`, `从…到…`, `当…时`, `透过…`, `经国务院批准`, `经50余次研讨`, `现就…`,
/// `走进…`, `自开通…`; not `当前…`, `当地…`, `自主…`): it cannot be a run's last.
static SUBORDINATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        "^(?:{}|{ENTERING}|{})",
        concat!(
            r"现就|特就|随着|由于|因为|因[^此而地时人势]|截至|面对|作为|通过|透过|对于|关于|围绕|针对|",
            r"当[^前地天日年时然即下场初代]|从|自从|除了|经过|按照|根据|在|",
            r"自(?:\d|今年|去年|上年|本月|上月|开通|开展|启动|实施|成立|建立|推行|开始|开业|投用|投运|运行|上线|",
            r"疫情|春节|复工|[一二三四五六七八九十]+月)"
        ),
        r"经[^，。；]{1,12}(?:批准|同意|签批|研究决定|研讨|讨论|论证|修改|审议|努力|攻关|磋商|评审)$"
    ))
    .expect("subordinate clause pattern")
});

/// The verbs that take a reader into a place (`走进…苹果园，`, `行至…作坊，`): a setting
/// ([`SUBORDINATE`]) the clause after it completes ([`HELD_SETTING`]).
const ENTERING: &str = "走进|走入|步入|踏进|踏入|来到|行至";

/// What a purpose aims at, after the `为` that opens it (`为促进…`, `为更好地推动…`,
/// `为引导…`), or as the next item of one (`为更好地推动…，帮助零售企业提升…效率，`,
/// `为促进…，改善消费者用餐体验，`).
const AIMS: &str = concat!(
    r"帮助|推动|促进|加强|提升|提高|改善|满足|确保|保障|加快|增强|实现|推进|做好|解决|落实|贯彻|助力|",
    r"引导|鼓励|支持|方便|丰富|打造|营造|构建|完善|弘扬|传承|防止|避免|应对|迎接|庆祝|纪念|保护|提振|",
    r"激发|扩大|降低|减少|缓解|稳定|打赢|打好|培育|践行|树立|宣传|表彰|深入|全面|有效|切实|充分|进一步|更好|",
    r"激励|引领|有序|规范|维护|加大|推广|优化|强化|巩固|服务|保证|深化|发挥|加速|拓展|拓宽|释放|回应|决胜|夺取|",
    r"救|抢救|营救|掩护|保卫|备战|筹备|迎战|健全|压实|夯实|筑牢|补齐"
);

static PURPOSE_AIM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{AIMS})")).expect("purpose aim pattern"));

/// A clause that ends on its purpose, after whoever acts for it (`马喜国在一次办案中为保护战友`,
/// `家人为了支持我工作`, `他为营救被洪水围困的群众`): what they did for it comes in the next
/// clause (`…，壮烈牺牲。`), and a run cannot stop before it. Not what something is for
/// (`…是为了谋生`, `一切为了人民`), nor a `为` that is no purpose (`成为了…`, `较为完善`,
/// `被评为…`), nor a purpose the clause has already acted on (`…为掩护战友被炸伤`).
static PURPOSE_LEFT_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        concat!(
            r"(?:^|[^是为于切展成])为了[^，。；而了是被]{{1,12}}$|",
            r"[^是就都正也只为较更最颇甚极大广深尤以视作成认称评选定改变转分列]为(?:{})[^，。；而了是被]{{0,8}}$"
        ),
        AIMS
    ))
    .expect("purpose left open pattern")
});

/// Whether `words`, a clause without its break, ends on a purpose someone acts for
/// ([`PURPOSE_LEFT_OPEN`]); not `以…为保障`, where `为` names what something serves as.
fn leaves_purpose_open(words: &str) -> bool {
    !words.starts_with('以') && PURPOSE_LEFT_OPEN.is_match(words)
}

/// Whether `words`, a clause without its break, opens a purpose (`为了…`, `为` and its aim,
/// [`PURPOSE_AIM`]): a setting ([`sets_the_scene`]), which the clauses after it may carry on
/// ([`continues_purpose`]).
fn opens_purpose(words: &str) -> bool {
    words.starts_with("为了") || words.strip_prefix('为').is_some_and(|aim| PURPOSE_AIM.is_match(aim))
}

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

/// A clause opened by `在` that goes on past its time or setting (`在延期开学期间严禁…提前到校`,
/// `在这种情况下各地加强了…`): the setting frames a predicate the clause itself holds, so it is
/// no subordinate part, and says something.
static SETTING_THEN_SAYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^在[^，；]*?(?:期间|之际|过程中|背景下|基础上|情况下|条件下|的时候|之时|之下|之中)[^，；]{4,}$")
        .expect("setting clause pattern")
});

/// A setting the clause after it completes, so that a run cannot leave it out: a starting
/// point without where it goes (`从一个资不抵债的肉联厂，蜕变为…`; `从今年起，` and
/// `从全局来看，` only frame), or the place a reader is taken into, whose sight comes next
/// (`走进…苹果园，顿时眼前一亮`).
static HELD_SETTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:(?:从|自从)[^到至起始以看说言]*$|{ENTERING})")).expect("held setting pattern")
});

/// Whether `words`, a clause without its break, sets the scene of what the sentence says later
/// ([`SUBORDINATE`] or a purpose, [`opens_purpose`], unless [`SETTING_THEN_SAYS`]), after a
/// connective that opens it (`但为了达到…验收标准`).
fn sets_the_scene(words: &str) -> bool {
    let words = CONNECTIVE.find(words).map_or(words, |m| &words[m.end()..]);
    (SUBORDINATE.is_match(words) || opens_purpose(words)) && !SETTING_THEN_SAYS.is_match(words)
}

/// A connective that opens a clause and ties it to the one before (`但`, `而`, `然而`).
static CONNECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:但是|但|而且|而|可是|却|然而|不过)").expect("connective pattern"));

/// Whether `words`, a clause without its break, opens a part the sentence completes later: a
/// condition ([`CONDITION`]) or a setting ([`sets_the_scene`]).
fn subordinate(words: &str) -> bool {
    CONDITION.is_match(words) || sets_the_scene(words)
}

/// A clause that closes a range (`从…摘帽，到减税降费总额超过2万亿元；`): what the range
/// holds is said after it, and a run cannot stop there.
static RANGE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:到|至)[^了今]").expect("range end pattern"));

/// A clause that carries on the one before it as its predicate (`…的环保节能技术，令人眼前一亮`,
/// `…道德规范，对解决…具有重要价值`, `排船，是…的俗称`, `一幅新品年画《诸事如意》，吸引了几位
/// 年轻人`, `…龙树画苑，就坐落在…东岸`, `我国马克思主义哲学文本研究，从一开始就与…紧密相连`,
/// `深化改革开放的重要战略机遇，将为经济发展再注强大势能`, `建设现代化经济体系，这是党中央…作出的
/// 重大决策部署`), or says what must or can be done of
/// it, with no subject of its own (`提升现代农业园区建设水平，应在关键领域发力`, `建设现代化经济体系，
/// 必须以新发展理念为指引`, `实施垃圾分类处理，不仅可以改善城乡环境`, `破解“谁来种地”等问题，既要
/// 种好梧桐树`, `使用在线办公软件进行远程办公，可以有效减少…`; not `应对`, `要求`, `需求`):
/// the clause before is its subject, and a run cannot stop there.
static CARRIES_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:是|正|令|让人|对|均|都是|这(?:也|就|既|正|更)?是|吸引|引来|引得|就|从一开始|一直|始终|历来|向来|从来|将为|将成为|",
        r"应当|应该|应[^对用急邀约声届聘征运]|必须|需要|需[^求]|要[^求点素害闻]|既(?:要|需|应|得)|不仅(?:可以|能|要|会|需要)|才能|可以|能够)"
    ))
    .expect("predicate clause pattern")
});

/// A clause that sums up every clause before it in its part of the sentence as what it speaks
/// of (`举办中国—东盟媒体交流年活动，进一步增进双方了解，…，这是双方的共同目标`): a run stops
/// nowhere before it, or it would leave that topic without what is said of it
/// (`举办中国—东盟媒体交流年活动。`).
static SUMS_UP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^这(?:也|就|既|正|更|才|无疑)?是").expect("summing-up pattern"));

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

/// A clause of a question that asks (`党风廉政建设有哪些新的规律，…需要注意哪些问题？`): cut from
/// its question and ended with a full stop, it would read as a statement. (In a statement, the
/// same words ask nothing: `重点讲授疫情期间如何进行远程授课`.)
static ASKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"哪|什么|如何|怎么|怎样|为何|为什么|多少|是否|能否|会不会|是不是|有没有|能不能|究竟|[吗呢]$")
        .expect("question pattern")
});

/// Whether `clause` (or a run, or a sentence) ends in a question mark, before closing quotes and
/// brackets: its own question or one it quotes.
pub fn ends_in_question(clause: &str) -> bool {
    text::trim(clause).trim_end_matches(text::is_closing).ends_with(['？', '?'])
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

/// A sentence's first clause that says what is about to happen to one the sentence names next
/// (`即将出战…系列赛，他依然保持…`): a run cannot stop there. Later in a sentence, `即将` says
/// it of the subject before it (`新郎桑杰卡…，学画唐卡6年，即将出师`).
static ABOUT_TO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^即将").expect("about-to clause pattern"));

/// A clause that says what something is taken as (`作为…`, `列为…`), after one that takes it
/// (`要把推动…服务大提升，作为…改革的当头炮`): the two are one predicate, and a run cannot stop
/// between them.
static TAKEN_AS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:作为|当作|当成|视为|列为|看作|看成)").expect("taken-as clause pattern"));

/// Whether `clause` is opened by [`TAKEN_AS`] and completes `before`, which takes something
/// (`把…`, `将…`).
fn completes(clause: &str, before: &str) -> bool {
    static TAKES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[^握手])把|将").expect("disposal pattern"));
    TAKEN_AS.is_match(text::trim(clause)) && TAKES.is_match(words_of(before))
}

/// A clause that only names a place (`新郑国际机场`, `北京中南海`, `天津站北2出站口`,
/// `深圳宝安国际机场安检通道处`, `北京八一大楼`, `…公司的干扰素产品因特芬生产线上`): after clauses
/// that only say when, it sets a scene (`2月21日6时20分，新郑国际机场。`) and says nothing of it.
static PLACE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^[^，。；：！？“”]{0,30}(?:处|门口|入口|通道|窗口|柜台|机场|车站|火车站|码头|港口|村|镇|乡|县|市|街道|社区|医院|工地|现场|广场|车间|",
        r"基地|大厅|路口|出站口|进站口|站台|候车室|候车厅|停车场|服务区|收费站|检查站|卡口|中南海|大会堂|",
        r"中心|景区|会场|会议室|展厅|博物馆|纪念馆|礼堂|校园|园区|厂区|病房|实验室|教室|食堂|超市|农场|果园|大棚|哨所|口岸|大楼|大厦|大院|生产线上|流水线上)$"
    ))
    .expect("place clause pattern")
});

/// A clause's words, without the break or sentence end after it.
fn words_of(clause: &str) -> &str {
    text::trim(text::trim(clause).trim_end_matches(|c| CLAUSE_BREAKS.contains(&c) || text::is_sentence_end(c)))
}

/// Whether `clauses`, a unit, only say when and where ([`WHEN_ONLY`], then [`PLACE_ONLY`]).
fn only_when_and_where(clauses: &[&str]) -> bool {
    clauses.split_last().is_some_and(|(last, before)| {
        !before.is_empty()
            && before.iter().all(|clause| WHEN_ONLY.is_match(words_of(clause)))
            && PLACE_ONLY.is_match(words_of(last))
    })
}

/// A clause that only frames what the sentence says: when (`今天下午，`, `前三季度，`, and every
/// clause that only says when, [`WHEN_ONLY`]), on whose word or by what arrangement
/// (`据新华社报道，`, `按照省委统一安排，`, `他表示，`, `细问原委，`), or under what condition
/// (`随着春节临近，`, `在疫情防控中，`). A run may open after such clauses; after any other, it
/// would open without its subject (`与企业职工面对面互动交流，…`), or leave out what the sentence
/// says: a clause that opens with a time and goes on (`去年全村旅游收入6500万元，`, `当前正是关键
/// 时期，`) says something, and frames nothing.
static FRAMING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:据|按照|根据|依据|截至|经过|正值|正逢|时值|适逢)|^(?:细问|细究|究其|追问|问起|问及)[^，。；]{0,6}$|",
        r"(?:[\d〇一二三四五六七八九十](?:日|月|年|分)|时|上午|下午|晚上|晚|凌晨|期间|以来|之际|季度|年度|获悉|",
        r"了解到|介绍|报道|消息|统计|",
        r"说|表示|指出|认为|强调|透露|显示|表明|发现|看到|看来|得知|才知|知道|听说)$"
    ))
    .expect("framing clause pattern")
});

/// A clause that ends on a date because it says when something was done (`我出生于1936年`,
/// `工程始建于1925年`) or is planned by someone it names (`贵州计划到2024年`, which goes on
/// `培养3.7万名养老专业人才`): a predicate, not a frame, though it ends as a frame does
/// (`于2019年，` and `力争到2021年底，` alone are frames).
static DONE_ON_A_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"[^，。；]于(?:\d+|[〇一二三四五六七八九十]+)(?:年|月|日)[\d〇一二三四五六七八九十年月日号]*$|",
        r"^[^，。；]{1,20}(?:计划|力争|争取|预计|确保|拟)(?:到|至|于|在)?(?:\d+|[〇一二三四五六七八九十]+)年[^，。；]{0,3}$"
    ))
    .expect("dated predicate pattern")
});

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
/// 五大特点——`, `随处可见这样的提示。`): the reader of a summary never gets it.
static POINTS_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:(?:这样|这么|以下|下面)[一两二三四五六七八九十几]+大?[个则件组条项点种位句段幅群方特]",
        r"[^，。；！？“”]{0,6}|",
        r"(?:可见|看到|看见|见到|听到|听见|写着|贴着|挂着|响起|传来|收到|发出)了?这样的[^，。；！？“”的]{1,6}|如下[^，。；！？“”]{0,6})[—…]*[。！：:]?$"
    ))
    .expect("announcing pattern")
});

/// Whether `unit` ends by announcing what comes next ([`POINTS_AHEAD`]).
fn points_ahead(unit: &str) -> bool {
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

/// How many of `sentence`'s first clauses only frame it ([`FRAMING`], [`WHEN_ONLY`], a
/// setting, [`sets_the_scene`], that is no [`HELD_SETTING`], or what carries on a purpose,
/// [`continues_purpose`]; never a [`CONDITION`]): a run may open at its start or after them, at
/// any clause up to this one (not one that carries on a purpose), and nowhere later.
pub fn opening_clauses(sentence: &str) -> usize {
    let clauses = text::clauses(sentence);
    (0..clauses.len())
        .take_while(|&k| {
            let words = words_of(clauses[k]);
            (FRAMING.is_match(words) && !DONE_ON_A_DATE.is_match(words))
                || WHEN_ONLY.is_match(words)
                || (sets_the_scene(words) && !HELD_SETTING.is_match(words))
                || continues_purpose(&clauses, k)
        })
        .count()
}

/// Whether `clauses` open by pointing back at text before them ([`points_back`]): the first, or
/// the first after the `framing` clauses that only say when or on whose word
/// (`在社区大院，这句话被重复了千万遍` points back as `这句话…` would); or speak of someone as
/// `他` or `她` before naming anyone ([`speaks_of_someone_unnamed`]: `即将出战…，他依然…`).
pub fn leans_back(clauses: &[&str], framing: usize) -> bool {
    clauses.iter().take(framing + 1).any(|clause| points_back(text::trim(clause)))
        || speaks_of_someone_unnamed(&clauses.concat())
}

/// Whether a sentence ending with `clause` ends on a colon, leading into what follows
/// (`我至亲至爱的人：`): it is no sentence of its own.
fn leads_into(clause: &str) -> bool {
    text::trim(clause).ends_with(['：', ':'])
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
fn stops_well(clauses: &[&str], end: usize) -> bool {
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

/// A clause that ends on where someone goes (`马茂6日下午前往天安门广场`, `来到…烈士陵园`), before
/// one that says what they did there ([`DOES_THERE`]): the visit is for that, and a run does not
/// stop between them.
static GOES_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:前往|来到|赶赴|奔赴|赶到)[^，。；]{1,16}$").expect("going-to pattern"));

/// What is done where someone went ([`GOES_TO`]): `向人民英雄纪念碑敬献花圈`, `看望慰问…`.
static DOES_THERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:向|为|看望|慰问|参加|出席|考察|调研|指导|检查|察看|瞻仰|参观|祭扫|凭吊)")
        .expect("done-there pattern")
});

/// What someone does or says, said without who (`明确提出…`, `主持召开…`, `赞赏并支持…`,
/// `非常感谢…`,
/// `对…工作作出全面部署`, `对中国人民积极抗击疫情表示支持`, `代表习近平总书记和党中央看望…`,
/// a verb and what it did, `危害了村民健康`, `既讲清了…`; what is where, `安葬着…遗骨`, cut from
/// `在…赭山上，`): a clause that opens so after a frame that held its
/// subject (`习近平总书记在参加审议时，明确提出…`, `埃塞俄比亚总统表示，赞赏…`, `…书记王沪宁22日
/// 上午，代表…`, `由于山寨食品…难以有保障，危害了…`, `…接受本报记者采访时，对…表示支持`) has lost
/// it.
static PREDICATE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:明确提出|提出|强调|指出|主持|出席|会见|看望|慰问|考察|视察|发表|作出|签署|宣布|来到|走进|",
        r"赞赏|赞扬|感谢|祝贺|欢迎|坚信|相信|愿意|愿同|愿与|愿为|希望|勉励|代表(?:习近平|党中央|中共中央|国务院|中央军委)|",
        r"(?:非常|十分|特别|衷心|由衷|真诚|诚挚)地?(?:感谢|赞赏|赞扬|祝贺|欢迎|期待|希望|高兴|钦佩|敬佩)|",
        r"对[^，。；]{1,30}(?:作出|做出|进行|开展|给予|提出)(?:了)?(?:全面|具体|专门|系统)?(?:部署|安排|要求|批示|指示)|",
        r"对[^，。；]{1,30}(?:表示|表达|致以)|向[^，。；]{1,30}(?:敬献|献上|致以|转达|通报|颁发|授予)|可(?:于|在|以|通过|按|凭|参照|根据)|",
        r"(?:安葬|坐落|悬挂|收藏|矗立|陈列|摆放|生活|居住|长眠|伫立|耸立|屹立|珍藏|保存|存放|镌刻|铭刻|停放|住|挂|摆|放|写|刻|印|贴|躺|停)着|",
        r"(?:既[^然要是，。；]|又|也)?\p{Han}{2}了[^解，。；])"
    ))
    .expect("predicate opening pattern")
});

/// A demand (`要坚持问题导向`, `必须…`, `应当…`; not `要求`, `要闻`, `要素`, `要么`, `要是`):
/// cut from after the clause that says who makes it (`韩正强调，`), a run would open on
/// a demand no one makes.
static DEMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:要[^求闻素点害紧么是不冲塞职件员务地犯案领]|必须|务必|应当|应该)").expect("demand pattern")
});

/// A clause that ends on someone speaking (`韩正强调`, `会议指出`, `他表示`): what follows is
/// what they said, and theirs.
static SPEAKS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:说|表示|指出|认为|强调|要求|提出|希望|指示|部署)$").expect("speaker pattern"));

/// A clause that says what follows from a condition the clause before it sets (`列车运行就会不够平稳`,
/// `老百姓的舒服度就好一点`, `才能赢得信任`, `则是…下半篇文章`): a run cut from the sentence neither opens on it, having
/// left the condition behind (`当钢轨廓形偏离目标廓形时，`), nor stops before it, on the condition alone
/// (`我们不舒服一点、不自在一点。`).
static CONSEQUENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[^，。；]{0,12}(?:就|便|才)(?:会|能|可以|可|要|将|好|更|越|不)|则)").expect("consequence pattern")
});

/// A place in a ranking (`位列第132位`, `排名第三`): without the list it is a place in, which a
/// frame cut from the sentence named (`在…“中国企业500强”榜单上，`), it says nothing.
static RANK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"位列|名列|位居|跃居|排名(?:第|前|跃升|上升|提升|升至)|排在第|排第|居第|列第").expect("rank pattern")
});

/// Whether `sentence` opens on a demand ([`DEMAND`]: `要统筹做好…`, `必须坚持…`): the clause
/// that says who makes it is in a sentence before.
pub fn opens_on_demand(sentence: &str) -> bool {
    text::clauses(sentence).first().is_some_and(|clause| DEMAND.is_match(words_of(clause)))
}

/// Whether `words`, a clause without its break, opens someone's words: a quotation that runs to
/// its end or past it (`“到了奥运年，`), not a name in quotation marks (`“十三五”规划明确的…`).
fn opens_quotation(words: &str) -> bool {
    let inner = words.strip_suffix(['”', '」']).unwrap_or(words);
    words.starts_with(['“', '「']) && !inner.contains(['”', '」'])
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
/// a demand whose speaker it left behind ([`DEMAND`] after [`SPEAKS`]), on a line of the verse
/// a cartoon's caption closes with (`这正是：垃圾围城亟破题，无废城市露端倪。`), or, after the
/// `opening` clauses that frame the sentence, on one that finishes the clause before it
/// ([`left_unfinished`]). It depends on `first` alone, so [`runs`] asks it once for each clause.
fn opens_well(clauses: &[&str], first: usize, opening: usize) -> bool {
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
            || clauses[..first].iter().any(|clause| words_of(clause).ends_with("这正是")))
}

/// Whether the run of `clauses[first..end]` of a sentence (of which `opening` first clauses only
/// frame it), shown as `shown`, reads alone: it `opens` well ([`opens_well`]) and `stops` well
/// ([`stops_well`]), says more than the frame, cut from its sentence (`为了进一步落实…，健全…责任制。` is a
/// purpose and no deed), closes the quotations and brackets it opens and none it does not,
/// completes the pairs it opens, and neither answers a quotation it lacks, announces what follows,
/// only says when and where ([`only_when_and_where`], with the clauses before it: `深圳宝安国际机场安检通道处。`
/// cut from after `2019年11月的一天上午，`), points back ([`leans_back`]), nor asks without its question
/// mark ([`cut_from_question`]), nor trails off as the page's own sentence may (`资金支持、金融扶持、税费优惠……`:
/// [`is_cut_off`]), nor ends on a caption's `…在比赛中` ([`AT_AN_EVENT_ONLY`]), nor leaves a condition
/// unanswered ([`leaves_condition_unanswered`]).
fn reads_alone(
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
        && !only_when_and_where(&clauses[first..end])
        && !(first > 0 && only_when_and_where(&clauses[..end]))
        && !leans_back(&clauses[first..end], opening.saturating_sub(first))
        && !cut_from_question(clauses, first, end)
        && !is_cut_off(shown)
        && !AT_AN_EVENT_ONLY.is_match(words_of(clauses[end - 1]))
        && !leaves_condition_unanswered(clauses, first, end)
}

/// What answers a condition or a concession ([`CONDITION`]): `…就…`, `…则…`, `…会…`, `…应…`,
/// `…才…`, `…但…`, `…都…`, in a clause after it.
static ANSWERS_CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"就|便|则|那么|会|能|将|应|要|可以|才|必|需|须|为宜|但|却|仍|都|也|还").expect("answer pattern")
});

/// A clause that goes on with the items of a condition (`既生长四方花木，又能产南北水果` after
/// `如果在中国找一个县，`): it answers nothing.
static CONDITION_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:既|又|或者|或是|或|以及|并且|而且|和|且)").expect("condition item pattern"));

/// Whether what a clause says answers a condition or concession before it
/// ([`ANSWERS_CONDITION`]), and is no item of the condition itself ([`CONDITION_ITEM`]).
fn answers_condition(words: &str) -> bool {
    !CONDITION_ITEM.is_match(words) && ANSWERS_CONDITION.is_match(words)
}

/// Whether the run of `clauses[first..end]`, cut before its sentence's end, holds a condition
/// ([`CONDITION`]) and no answer to it: none in the condition's own clause after its opening
/// word, nor in a clause after it ([`answers_condition`]): `如果在中国找一个县，既生长四方花木，
/// 又能产南北水果。` stops before `好像不大可能`, `如果孩子体温持续不降…，精神状态差。` before
/// `应及时就医`.
fn leaves_condition_unanswered(clauses: &[&str], first: usize, end: usize) -> bool {
    end < clauses.len()
        && (first..end).any(|k| {
            let words = words_of(clauses[k]);
            CONDITION.find(words).is_some_and(|condition| {
                !ANSWERS_CONDITION.is_match(&words[condition.end()..])
                    && !clauses[k + 1..end].iter().any(|clause| answers_condition(words_of(clause)))
            })
        })
}

/// For each of `clauses`, whether a condition before it ([`CONDITION`]) is still unanswered
/// where it opens ([`answers_condition`]): a run that opens there has left the condition
/// behind (`又能产南北水果，好像不大可能。`). One pass over the sentence, so that [`runs`] asks
/// it once.
fn conditions_open(clauses: &[&str]) -> Vec<bool> {
    let mut open = false;
    clauses
        .iter()
        .map(|clause| {
            let before = open;
            let words = words_of(clause);
            if answers_condition(words) {
                open = false;
            }
            if let Some(condition) = CONDITION.find(words) {
                open |= !ANSWERS_CONDITION.is_match(&words[condition.end()..]);
            }
            before
        })
        .collect()
}

/// A clause that only says who is at what (`中国选手杨滨瑜（右）在比赛中`, `…孙智博在甲组男子500米
/// 预赛中`): a photograph's caption, which the picture completes, and which tells no deed; the
/// sentence after it does (`当日，…杨滨瑜以30分的成绩夺得金牌。`).
static AT_AN_EVENT_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^，。；在]{1,30}在[^，。；]{0,20}(?:比赛|预赛|决赛|半决赛|复赛|资格赛|训练|演出|表演|排练)中$")
        .expect("caption pattern")
});

/// Whether `sentence` whole reads alone as a summary's unit, by the rules its runs keep
/// ([`runs`]).
pub fn whole_reads_alone(sentence: &str) -> bool {
    let clauses = text::clauses(sentence);
    let end = clauses.len();
    end > 0
        && reads_alone(&clauses, 0, end, opening_clauses(sentence), &ended(sentence), true, stops_well(&clauses, end))
}

/// Whether a run may stop after `clause` (with its break) as a sentence of its own: the break is
/// a comma or semicolon, not a colon that leads into what follows, and the clause neither
/// introduces nor subordinates, nor only says when ([`WHEN_ONLY`], [`WHEN_NEXT`]), nor is a
/// subject awaiting its predicate ([`BARE_NOUN`] unless [`SAYS`]), nor one acting for a purpose
/// that the next clause says what they did for ([`PURPOSE_LEFT_OPEN`]).
pub fn can_end(clause: &str) -> bool {
    let bare = text::trim(clause);
    let Some(stop) = bare.chars().last() else { return false };
    let words = after_inner_end(text::trim(bare.trim_end_matches(CLAUSE_BREAKS)));
    matches!(stop, '，' | '；' | ',' | ';')
        && !OPEN_ENDED.is_match(words)
        && !UNFINISHED.is_match(words)
        && !subordinate(words)
        && !WHEN_ONLY.is_match(words)
        && !WHEN_NEXT.is_match(words)
        && !RANGE_END.is_match(words)
        && (!BARE_NOUN.is_match(words) || SAYS.is_match(words))
        && !leaves_purpose_open(words)
        && !leads_past_dash(words)
}

/// A clause that ends halfway through what the next one finishes: on a word that joins it to
/// what follows (`…的`, `…和`, `…把`), or on whom someone meets before who leads them
/// (`会见由国民议会议员、法中友好小组主席`). No run stops there ([`can_end`]), nor opens after it
/// ([`left_unfinished`]).
static UNFINISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[的和与及或并把将向从在为]|(?:会见|会晤|接见|欢迎|接待|迎接)由[^，。；]+)$")
        .expect("unfinished clause pattern")
});

/// Whether `clause` (with its break) ends halfway through what the next clause finishes
/// ([`UNFINISHED`]): a run that opens on the next one has lost its start.
fn left_unfinished(clause: &str) -> bool {
    UNFINISHED.is_match(words_of(clause))
}

/// Characters after a clause's last dash that [`leads_past_dash`] takes for the opening of
/// what the clauses after it say.
const AFTER_DASH_CHARS: usize = 5;

/// Whether `words`, a clause without its break, ends on a dash and the first few words of what
/// it leads into (`走出了这样一位革命英雄——战争年代`, before `他毅然参加革命，…`): the clauses
/// after it say the rest, and a run that stops there stops on a fragment.
fn leads_past_dash(words: &str) -> bool {
    words.rsplit_once("——").is_some_and(|(before, after)| {
        !before.is_empty() && (1..=AFTER_DASH_CHARS).contains(&text::char_len(text::trim(after)))
    })
}

/// What a clause says after the last sentence end inside it, where a quotation holds more than
/// one sentence (`是中国…结束的那一年。1949年` of `“我出生于1936年，是…那一年。1949年，…”`): how
/// the clause ends is how that last sentence goes on.
fn after_inner_end(words: &str) -> &str {
    match words.rfind(text::is_sentence_end) {
        Some(at) => {
            let tail = text::trim(words[at..].trim_start_matches(|c| text::is_sentence_end(c) || text::is_closing(c)));
            if tail.is_empty() {
                words
            } else {
                tail
            }
        }
        None => words,
    }
}

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

/// A run of consecutive clauses of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The run as a summary shows it: a sentence of its own, ending in [`RUN_END`] where its
    /// sentence goes on (or ends on a clause break).
    pub text: String,
    /// Characters of the run itself, without a [`RUN_END`] it was given.
    pub chars: usize,
    /// Its first clause, the clause after its last, and the sentence's number of clauses.
    pub first: usize,
    pub end: usize,
    pub of: usize,
}

impl Run {
    /// Whether the run stops before its sentence does.
    pub fn is_cut(&self) -> bool {
        self.end < self.of
    }

    /// The run's own words: without the [`RUN_END`] it was given where it is cut.
    pub fn words(&self) -> &str {
        if self.is_cut() {
            self.text.strip_suffix(RUN_END).unwrap_or(&self.text)
        } else {
            &self.text
        }
    }
}

/// The runs of at most `max_clauses` consecutive clauses of `sentence` (split after `，；：`)
/// that fit in `max_chars` (their [`RUN_END`] counted), of at least `min_chars` characters with
/// a Chinese character, that can be read alone: a run cut from its sentence stops where a
/// sentence can ([`can_end`]) and not before a clause that carries it on ([`CARRIES_ON`]), and
/// opens where it can ([`opens_well`]: no `亚洲事务负责人陈文雄率领的法国青年议员团。` cut from
/// after `会见由…法中友好小组主席，`); a
/// sentence ending on a colon is no run ([`leads_into`]); every run closes the quotations and
/// brackets it opens (and closes none it does not); and no run opens with a word that points
/// back, nor does its first clause after those that frame it ([`leans_back`]). At most
/// [`MAX_RUNS`] of them, in order of their first clause, then of their length.
pub fn runs(sentence: &str, max_chars: usize, min_chars: usize, max_clauses: usize) -> Vec<Run> {
    let clauses = text::clauses(sentence);
    let of = clauses.len();
    let opening = opening_clauses(sentence);
    let stops: Vec<bool> = (1..=of).map(|end| stops_well(&clauses, end)).collect();
    let open_conditions = conditions_open(&clauses);
    let mut out = Vec::new();
    for (first, &condition_open) in open_conditions.iter().enumerate() {
        let opens = opens_well(&clauses, first, opening) && !condition_open;
        let mut run = String::new();
        for end in first + 1..=first.saturating_add(max_clauses).min(of) {
            run.push_str(clauses[end - 1]);
            let shown = text::trim(run.trim_end_matches(CLAUSE_BREAKS));
            let chars = char_len(shown);
            // A run ends as a sentence: one cut from its sentence, or a sentence that ends on a
            // clause break (`；`), a letter or a character, is given a full stop.
            let unended = !text::ends_sentence(shown);
            if chars + usize::from(unended) > max_chars {
                break;
            }
            if chars < min_chars
                || !shown.chars().any(text::is_han)
                || !reads_alone(&clauses, first, end, opening, shown, opens, stops[end - 1])
            {
                continue;
            }
            let text = if unended { format!("{shown}{RUN_END}") } else { shown.to_owned() };
            out.push(Run { text, chars, first, end, of });
            if out.len() == MAX_RUNS {
                return out;
            }
        }
    }
    out
}

/// What a run's features are computed from: the bigrams of the article's headline, and how
/// many of its sentences hold each bigram.
pub struct Lexicon {
    head: HashSet<Bigram>,
    holders: HashMap<Bigram, u32>,
}

impl Lexicon {
    pub fn new(heading: &str, sentences: &[Sentence]) -> Lexicon {
        Lexicon { head: bigrams(heading).into_iter().collect(), holders: holders(sentences) }
    }

    /// How `text` uses the article's words: the share of the headline's bigrams it holds, the
    /// share of its bigrams that are the headline's, and how many of the article's other
    /// sentences hold its bigrams on average (its own sentence is one holder), over ten.
    pub fn words(&self, text: &str) -> [f32; 3] {
        let own = bigrams(text);
        let n = own.len().max(1) as f32;
        let distinct: HashSet<&Bigram> = own.iter().collect();
        let recall = self.head.iter().filter(|b| distinct.contains(b)).count() as f32 / self.head.len().max(1) as f32;
        let share = own.iter().filter(|b| self.head.contains(b)).count() as f32 / n;
        let shared = own.iter().map(|b| self.holders.get(b).map_or(0, |h| h.saturating_sub(1)) as f32).sum::<f32>() / n;
        [recall, share, shared / 10.0]
    }

    /// The features of `run`, in the order of [`RUN_FEATURES`].
    pub fn features(&self, run: &Run) -> [f32; RUN_FEATURES.len()] {
        let [recall, share, shared] = self.words(&run.text);
        let chars = run.chars as f32 / 100.0;
        let of = run.of.max(1) as f32;
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        [
            recall,
            share,
            shared,
            chars,
            chars * chars,
            flag(run.first == 0),
            flag(run.end == run.of),
            run.first as f32 / of,
            (run.of - run.end) as f32 / of,
            flag(run.text.chars().any(|c| c.is_ascii_digit())),
            flag(run.text.contains(['“', '"', '「'])),
        ]
    }
}

/// The run of `sentence` within `max_chars` that `trimmer` (a linear model over
/// [`RUN_FEATURES`]) scores best; `None` where no run fits.
pub fn best(trimmer: &Linear, lexicon: &Lexicon, sentence: &str, max_chars: usize) -> Option<Run> {
    let opening = opening_clauses(sentence);
    let mut fitting: Vec<Run> =
        runs(sentence, max_chars, MIN_RUN_CHARS, usize::MAX).into_iter().filter(|run| run.first <= opening).collect();
    let scores: Vec<f32> = fitting.iter().map(|run| trimmer.score(&lexicon.features(run))).collect();
    argmax(&scores).map(|k| fitting.swap_remove(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_the_clause_runs_that_fit() {
        let s = "据新华社报道，昨天下午，市政府召开常务会议，部署冬季供暖工作，会议由市长主持。";
        let all: Vec<String> = runs(s, 80, MIN_RUN_CHARS, usize::MAX).into_iter().map(|r| r.text).collect();
        assert!(all.contains(&"市政府召开常务会议，部署冬季供暖工作。".to_owned()), "{all:?}");
        assert!(all.contains(&"部署冬季供暖工作，会议由市长主持。".to_owned()), "{all:?}");
        assert!(all.contains(&s.to_owned()), "the whole sentence, where it fits");
        // Too short alone: `昨天下午`, `会议由市长主持`.
        assert!(!all.iter().any(|t| t.starts_with("昨天下午。") || t == "会议由市长主持。"), "{all:?}");
        // A run never stops on a clause that leads into the rest: `据新华社报道。` is no sentence.
        assert!(!all.iter().any(|t| t.ends_with("报道。") || t.ends_with("下午。")), "{all:?}");
        let tight = runs(s, 20, MIN_RUN_CHARS, usize::MAX);
        assert!(!tight.is_empty() && tight.iter().all(|r| char_len(&r.text) <= 20), "{tight:?}");
        assert!(runs("没有分句的一句话。", 5, 1, usize::MAX).is_empty());
        // At most three clauses at a time.
        assert!(runs(s, 80, 1, 3).iter().all(|r| r.end - r.first <= 3));
    }

    #[test]
    fn runs_read_alone() {
        let texts = |s: &str| -> Vec<String> { runs(s, 80, 6, usize::MAX).into_iter().map(|r| r.text).collect() };
        // A pointing word after the clauses that frame it points back as one at the start does.
        let pointing = "在医治病患的一线、在保障供应的后方，这句话被重复了千千万万遍，无数党员坚守初心使命。";
        assert!(leans_back(&text::clauses(pointing), opening_clauses(pointing)));
        assert!(
            texts(pointing).iter().all(|t| !t.starts_with("在医治") && !t.starts_with("这句话")),
            "{:?}",
            texts(pointing)
        );
        assert!(texts(pointing).contains(&"无数党员坚守初心使命。".to_owned()));
        // A condition, or a starting point without where it goes, is not left out: what
        // follows depends on it. A time, a source or a cause is.
        for (held, rest) in [
            ("只有聚焦难题顽疾，打好“组合拳”，才能让教师安心从教。", "打好"),
            ("如果不及时采取措施，疫情将进一步扩散。", "疫情将"),
            ("从一个资不抵债的内陆小城肉联厂，蜕变为跨国公司。", "蜕变为"),
        ] {
            assert_eq!(opening_clauses(held), 0, "{held}");
            let opening: Vec<Run> = runs(held, 80, 6, usize::MAX).into_iter().filter(|r| r.first == 0).collect();
            assert!(!opening.is_empty() && opening.iter().all(|r| !r.text.starts_with(rest)), "{opening:?}");
        }
        // Nor does a run stop between a condition and what answers it.
        let answered = texts("只有聚焦难题顽疾，打好“组合拳”，才能让教师安心从教。");
        assert!(answered.iter().all(|t| !t.starts_with("只有") || !t.ends_with("组合拳”。")), "{answered:?}");
        for framed in ["从今年起，全市中小学推行课后服务。", "由于历史原因，9个行政村没有开通公交车。"]
        {
            assert_eq!(opening_clauses(framed), 1, "{framed}");
        }
        // A clause that opens with a time or a figure frames only where it says nothing else.
        assert_eq!(opening_clauses("2019年初，3名干警中弹，英勇牺牲。"), 1);
        assert_eq!(opening_clauses("1月16日11时02分，我国成功发射卫星。"), 1);
        assert_eq!(opening_clauses("今年2月起，北京市再取消21项证明。"), 1);
        assert_eq!(opening_clauses("近日，记者从市教育局获悉，全市新建学校30所。"), 2);
        // A clause that says when something was done is no frame; `于…`, alone, is one.
        assert_eq!(opening_clauses("“我出生于1936年，是中国历史性的万里长征结束的那一年。”"), 0);
        assert_eq!(opening_clauses("该公司成立于2010年3月，是全国首家民营银行。"), 0);
        assert_eq!(opening_clauses("于2019年，全市新建学校30所。"), 1);
        assert_eq!(opening_clauses("贵州计划到2024年，培养3.7万名养老专业人才。"), 0);
        assert_eq!(opening_clauses("力争到2021年，全省超过50%的库存采用标准化周转筐。"), 1);
        let met = "记者见到她时，这个从未来过湖北的姑娘，正在重症病房穿梭。";
        assert_eq!(opening_clauses(met), 1);
        assert!(leans_back(&text::clauses(met), 1));
        // `正值…` frames as a time does.
        let peak = "正值春运返程高峰，因这两条输电线路是重要供电线路，线路断落后电力不足。";
        assert!(FRAMING.is_match("正值春运返程高峰") && leans_back(&text::clauses(peak), 1));
        for said in [
            "今年是全面建成小康社会目标实现之年，是全面打赢脱贫攻坚战收官之年。",
            "去年全村旅游收入6500万元，村民人均收入3万元。",
            "9天内旗下公司纷纷加入捐赠行列，累计捐赠7.4亿元款物。",
            "当前正是疫情防控的关键时期，更需要基层干部发挥作用。",
        ] {
            assert_eq!(opening_clauses(said), 0, "{said}");
        }
        assert!(!can_end("11日下午4时50分，") && !can_end("2014年至2018年，"));
        assert!(!can_end("全国科普日举办14年来，") && can_end("春天来了，"));
        assert!(!can_end("自2020年起，") && !can_end("从去年开始，") && can_end("新学期从9月1日开始，"));
        assert!(!can_end("媒体披露，两国的情报部门从上世纪70年代起，"));
        // `有关` is no copula: the clause names something and says nothing of it.
        assert!(!can_end("本报刊登过的知名人士有关“一带一路”倡议的精彩观点，"));
        assert!(can_end("这里有全国最大的蓝莓园，"));
        // What a body held or made, and then what became of it, is said.
        assert!(can_end("由中国国家话剧院和希腊国家剧院联合制作的话剧《阿伽门农》将于2月20日首演，"));
        assert!(can_end("由人民网联合中国红十字基金会共同发起的“关爱母婴健康”公益活动正式启动，"));
        assert!(!can_end("由人民网联合中国红十字基金会共同发起的“关爱母婴健康”公益活动，"));
        // Nor on a dash and the first words of what it leads into.
        assert!(!can_end("大山深处走出了这样一位革命英雄——战争年代，"));
        assert!(can_end("他们的事迹一直在这片山乡——云南边陲广为传颂，") && can_end("——这是他的心愿，"));
        // A run cut after a frame that held its subject does not open on the predicate.
        let who = "习近平总书记在参加审议时，明确提出“三严三实”的要求，强调领导干部要树立好的作风。";
        let cut: Vec<Run> = runs(who, 80, 6, usize::MAX).into_iter().filter(|r| r.first > 0).collect();
        assert!(cut.iter().all(|r| !r.text.starts_with("明确提出")), "{cut:?}");
        assert!(runs(who, 80, 6, usize::MAX).iter().any(|r| r.first == 0));
        // Nor on what a speaker did, without the speaker, nor on the end of a range.
        let speaker = "埃塞俄比亚总统萨赫勒—沃克表示，赞赏并坚定支持中方为防控疫情所作庄严承诺和超常努力。";
        assert!(texts(speaker).iter().all(|t| !t.starts_with("赞赏")), "{:?}", texts(speaker));
        let laid = "基里巴斯总统马茂6日下午前往天安门广场，向人民英雄纪念碑敬献花圈。";
        assert_eq!(texts(laid), vec![laid.to_owned()]);
        // Going somewhere to do something else, or staying unmoved, is said whole.
        let went = "付正强和工友前往大山深处去检修铁路通信电缆，每天都要清理超限树木。";
        assert!(texts(went).iter().any(|t| t.ends_with("通信电缆。")), "{:?}", texts(went));
        assert!(can_end("但中国国家田径队的竞走队员未受太多影响，"));
        // What a copula, a means, a partner or a look leads into is in the next clause.
        for clause in [
            "当下，大家共同面对的问题是，",
            "值得一提的是，",
            "总体来说，各地区各部门和有关企业要以高度的责任感和使命感，",
            "每逢春节，中国驻毛里求斯大使馆都会联合毛里求斯政府、侨社等，",
            "浙江大学公共卫生学院科研团队通过大数据聚类分析，",
            "座位上放着一本《工作安排》，翻开看，",
            "派出所结合辖区特点，",
            "新西兰计划在2020年中小学新学期，",
            "能不能砥砺志气、激发意气，",
            "种种凛然意气、凌云志气、冲天豪气，",
        ] {
            assert!(!can_end(clause), "{clause}");
        }
        for clause in [
            "两国企业将联合研发新型疫苗，",
            "这是一个值得研究的问题，",
            "税务部门是实施宏观经济政策和服务微观经济运行的重要结合点，",
            "颐和园、天坛、北海公园等结合自身特色开发文创产品，",
            "国际社会应团结合作来共同应对疫情，",
            "新西兰计划在2020年开设气候变化课程，",
        ] {
            assert!(can_end(clause), "{clause}");
        }
        let purpose = "为了进一步落实食品安全党政同责要求，强化属地管理责任，健全食品安全工作责任制，制定本规定。";
        assert!(texts(purpose).iter().all(|t| t.ends_with("制定本规定。")), "{:?}", texts(purpose));
        for (s, stop) in [
            ("地理常识，如果在中国找一个县，既生长四方花木，又能产南北水果，好像不大可能。", "南北水果。"),
            ("如果孩子体温持续不降，或者咳嗽明显加重，精神状态差，应及时就医。", "精神状态差。"),
            ("原隆村和海国宝家的今昔变化充分证明，搬得出只是上半篇文章。", "充分证明。"),
            ("家国情怀之所以成为我们中国人浓烈的精神底色，是因为家与国血脉相连。", "精神底色。"),
            ("创办于2016年的“望岳优生活”，曾是街道的信息发布平台。", "优生活”。"),
            ("目前，包河区的522个居民小区，已全部纳入网格化管理。", "居民小区。"),
            ("疫情就是命令，防控就是责任，这场疫情防控阻击战，我们一定要打赢。", "阻击战。"),
            ("借助新的信息技术手段，健康检测监测、养老监护等新产品，走进了千家万户。", "新产品。"),
            ("浙江杭州市西溪医院主要通过中医药疗法，帮助患者改善症状。", "中医药疗法。"),
            ("如果说搬得出是上半篇文章，那么确保稳得住、能致富，则是下半篇文章。", "能致富。"),
            ("退役电池累计约为25吉瓦时，如何做好电池回收、置换等工作，成为一道现实考题。", "等工作。"),
            (
                "宋涛7日在北京会见由国民议会议员、法中友好小组主席，亚洲事务负责人陈文雄率领的法国青年议员团。",
                "小组主席。",
            ),
            ("刘鹤在美国华盛顿分别会见国际货币基金组织总裁格奥尔基耶娃，世界银行行长马尔帕斯。", "格奥尔基耶娃。"),
        ] {
            assert!(texts(s).iter().all(|t| !t.ends_with(stop)), "{:?}", texts(s));
        }
        let whether = texts("能否把决策部署落实落细，把防控工作做实做好，关键在于抓落实。");
        assert!(whether.iter().all(|t| !t.starts_with("能否") || t.ends_with("抓落实。")), "{whether:?}");
        assert!(whole_reads_alone("能否发现和使用好“李云龙式”干部，是一个地方为干事者撑腰的重要标尺。"));
        // A condition answered within the run, or by the sentence's end, is whole.
        let answered = "只要肯干就能致富，村里的年轻人都回来了，办起了合作社。";
        assert!(
            texts(answered).iter().any(|t| t == "只要肯干就能致富，村里的年轻人都回来了。"),
            "{:?}",
            texts(answered)
        );
        assert!(whole_reads_alone("如果变公路运输为铁路运输，每1亿吨货物运输1公里，大约能减排7500吨二氧化碳。"));
        // No run opens on the second half of a phrase, on what is where cut from the place, on
        // the verse after `这正是`, or on a modal without its subject.
        for (s, start) in [
            (
                "宋涛7日在北京会见由国民议会议员、法中友好小组主席，亚洲事务负责人陈文雄率领的法国青年议员团。",
                "亚洲事务",
            ),
            ("在安徽芜湖市风景优美的赭山上，安葬着中国远征军名将戴安澜将军的遗骨。", "安葬着"),
            ("这正是：垃圾围城亟破题，无废城市露端倪。绿色发展必由路，人人有责齐发力。", "无废城市"),
            ("但对于从两处取得工资薪金所得的纳税人，可于2019年6月30日前，参照原有规定办理相关事宜。", "可于"),
        ] {
            assert!(texts(s).iter().all(|t| !t.starts_with(start)), "{:?}", texts(s));
        }
        // A caption tells who is at what, and no deed.
        assert!(!whole_reads_alone("当地时间1月16日，中国选手杨滨瑜（右）在比赛中。"));
        assert!(!whole_reads_alone("黑龙江省牡丹江市选手孙智博在甲组男子500米预赛中。"));
        assert!(whole_reads_alone("在女子500米比赛中，杨滨瑜以41秒25的成绩位列第四。"));
        let planned = "黄委召开专题会议，对黄河下游春灌供水工作作出全面部署，加大小浪底水库下泄流量。";
        assert!(texts(planned).iter().all(|t| !t.starts_with("对黄河")), "{:?}", texts(planned));
        let taken = "会议明确，要把推动杭州东站服务大提升，作为“最多跑一次”改革的当头炮。";
        assert!(texts(taken).iter().all(|t| !t.starts_with("作为")), "{:?}", texts(taken));
        let soon = "新郎桑杰卡，来自同仁县保安镇麻巴村，学画唐卡6年，即将出师，去年工资领了近6万元。";
        assert!(texts(soon).iter().any(|t| t.ends_with("即将出师。")), "{:?}", texts(soon));
        let range = "从340个左右贫困县将摘帽，到减税降费总额超过2万亿元，我们收获了累累硕果。";
        assert!(texts(range).iter().all(|t| !t.ends_with("2万亿元。")), "{:?}", texts(range));
        assert!(!whole_reads_alone("从340个左右贫困县将摘帽，到减税降费总额超过2万亿元；"));
        assert!(!whole_reads_alone("现就推进基层整合审批服务执法力量，提出如下实施意见。"));
        let about = "根据党中央的部署要求，现就推进基层整合审批服务执法力量，提出如下实施意见。";
        assert!(texts(about).iter().all(|t| !t.ends_with("执法力量。")), "{:?}", texts(about));
        // Nor on the next item of a purpose, which is part of the setting.
        let purpose = "为更好地推动标准化行动，帮助零售企业提升流通效率，中国连锁经营协会日前发布《实施指引》。";
        assert_eq!(opening_clauses(purpose), 2);
        assert!(!can_end("为引导广大群众深入了解疫情防控有关法律知识，"));
        assert!(!can_end("为备战2022年卡塔尔世界杯亚洲区预选赛40强赛下一阶段比赛，"));
        assert!(
            texts(purpose).iter().all(|t| !t.starts_with("帮助") && !t.ends_with("效率。")),
            "{:?}",
            texts(purpose)
        );
        assert!(texts(purpose).contains(&"中国连锁经营协会日前发布《实施指引》。".to_owned()), "{:?}", texts(purpose));
        // Nor leaves out the place a reader is taken into.
        let entering = "走进西村的标准化苹果园，顿时眼前一亮，棚里的电脑屏幕上，苹果的生长情况一目了然。";
        assert_eq!(opening_clauses(entering), 0);
        // Nor on a place in a ranking whose list it left out.
        let ranked = "在不久前发布的2019“中国企业500强”榜单上，盛虹集团位列第132位，十年间排名跃升361位。";
        assert_eq!(opening_clauses(ranked), 1);
        assert!(texts(ranked).iter().all(|t| t.starts_with("在不久前")), "{:?}", texts(ranked));
        // Nor on a long subject, a deadline before its goal, the place a reader is taken to, whom
        // someone leads, a surprise, or how and how long, before what the sentence says of them.
        for (s, stop) in [
            ("驻守在附近的北部战区陆军某边防旅八岔边防连官兵们，每天与冰雪为伴，守卫着祖国领土。", "官兵们。"),
            ("供应链企业统一采用标准化周转筐，力争到2021年底，超过50%的库存采用标准化周转筐。", "年底。"),
            ("走进山西省运城市临猗县西村的标准化苹果园，顿时眼前一亮，棚里的电脑屏幕上一目了然。", "苹果园。"),
            ("2月13日下午1时许，教导员许奎率领10名突击队队员，列队进入方舱医院污染区。", "队员。"),
            ("种了大半辈子地，于翠没想到自己60多岁了，还能在自家门口挣工资。", "60多岁了。"),
            ("河北省农业技术推广总站组织市县农技人员，通过微信群开展技术指导。", "农技人员。"),
            ("国家主席习近平乘坐的专机在2架缅甸战机护航下，抵达内比都国际机场。", "护航下。"),
            ("家庭使用医用酒精消毒，当室内有较大空间，并有开窗条件情况下，可以擦拭消毒。", "情况下。"),
            ("工作组组织相关领域专家，历时两年，经50余次研讨，制定了《人胚胎干细胞》标准。", "两年。"),
            ("工作组组织相关领域专家，历时两年，经50余次研讨，制定了《人胚胎干细胞》标准。", "研讨。"),
            ("《天渠》具有很强的时代色彩：一处穷乡僻壤，在支部书记的带领下，修成了一条天渠。", "僻壤。"),
            ("《通知》明确，为贯彻落实《改革方案》，自2020年起，在一些地方和企业开展改革试点。", "年起。"),
            ("会议明确，要把推动杭州东站服务大提升，作为“最多跑一次”改革的当头炮。", "大提升。"),
            ("即将出战14日开幕的冠军游泳系列赛（深圳站），他依然保持“劳模”作风。", "（深圳站）。"),
            ("总结大会上，习近平总书记从全局和战略高度，充分肯定了主题教育取得的成效。", "战略高度。"),
            ("面带微笑，习近平总书记首先代表党中央和国务院，向全国各族人民致以新春祝福。", "国务院。"),
            ("我国马克思主义哲学文本研究，从一开始就与我国经济发展和社会进步紧密相连。", "文本研究。"),
            ("踏上新征程，深化改革开放的重要战略机遇，将为经济发展长河再注强大势能。", "战略机遇。"),
            ("委员们就感受到了新气息：会上，一位全国政协副主席代表全国政协作主题发言。", "会上。"),
            ("这一系列双模手机主打5G视频，除采用双防抖技术，还在“剪”“看”“传”等环节上精益求精。", "双防抖技术。"),
            ("2月23日上午10时，江苏淮安市淮阴区高家堰镇湖滨村麦田上空，三架植保无人机嗡嗡飞翔。", "麦田上空。"),
            ("全国人民代表大会原内务司法委员会副主任委员、中共陕西省委原书记赵正永涉嫌受贿一案，由国家监察委员会调查终结，经最高人民检察院指定，交由天津市人民检察院第一分院审查起诉。", "一案。"),
            ("历时3天3夜，他们从贵州一直打捞到广西，将捞回的构件运回了地坪乡，一清理，28根大木构居然一根都没有少，73%的风雨桥构件回到了原地。", "一清理。"),
            ("深化制度理论研究，需要从历史观、系统观、价值观等方面，把制度发展看作一个自然的历史过程。", "等方面。"),
            ("2月22日，中央政法委牵头，最高人民检察院、公安部等参加的联合调查组进驻。", "牵头。"),
            ("更尕南杰难忘：2004年，“生态移民”这个新词，曾让唐古拉山牧民面临艰难选择。", "新词。"),
            ("作为重点活动，由上海图书馆、上海博物馆等联合主办的“石鼓文善本新春大展”，日前在上海开展。", "大展”。"),
            ("由中央宣传部、退役军人事务部联合举办的2019年度“最美退役军人”首场先进事迹报告会，10日在京举行。", "报告会。"),
            ("由华南理工大学牵头完成、荣获一等奖的“制浆造纸行业清洁生产关键技术”项目，攻克了难题。", "项目。"),
            ("西北农林科技大学小麦育种专家王辉教授，为了实现“让乡亲们不再饿肚子”的愿望，培育出良种。", "王辉教授。"),
            ("在家里经过短暂调休后的胡晓春，一个人又回到山上，和往年一样，这个春节继续守护迎客松。", "和往年一样。"),
            ("基里巴斯总统马茂6日下午前往天安门广场，向人民英雄纪念碑敬献花圈。", "天安门广场。"),
            ("2016年开始，北京市政协通过北京市人民政协理论与实践研究会，组织专家开展研究。", "研究会。"),
            ("黑龙江省政府办公厅依托人民网《地方领导留言板》以及省内主流媒体网络媒体平台，征集意见建议。", "媒体平台。"),
            ("往年春节期间正是店里生意最好的时候，而今年受新冠肺炎疫情影响，生意不大好。", "疫情影响。"),
        ] {
            assert!(texts(s).iter().all(|t| !t.ends_with(stop)), "{:?}", texts(s));
        }
        // A clause opened by a setting that goes on to say something is no frame.
        let setting = "在延期开学期间严禁中小学组织学生提前到校，严禁组织线下教学，违者将被追责。";
        assert_eq!(opening_clauses(setting), 0);
        assert!(can_end("在延期开学期间严禁中小学组织学生提前到校，") && !can_end("在疫情防控期间，"));
        // A quotation closed without a sentence end is no end: the cut run gets its full stop.
        let quoted = "是长春站派出所一名“新人”，负责候车室的巡逻工作。";
        assert!(texts(quoted).contains(&"是长春站派出所一名“新人”。".to_owned()), "{:?}", texts(quoted));
        // A run closes no quotation it did not open, nor leaves one open.
        let tail = "作为武汉荣誉市民，我坚定地支持中国抗击疫情。”他说，中美两国要携手打赢这场战役。";
        assert!(texts(tail).iter().all(|t| t.matches('”').count() == t.matches('“').count()), "{:?}", texts(tail));
        // Nor stops on a place, a starting point or what happens in something: the sentence
        // says what there later.
        let placed = "在广西田东县祥周镇陇造村，村民们正忙着收割甘蔗，2019年进入欧洲的移民和难民中，多数来自叙利亚。";
        let all = texts(placed);
        assert!(all.iter().all(|t| !t.ends_with("陇造村。") && !t.ends_with("难民中。")), "{all:?}");
        assert!(all.contains(&"在广西田东县祥周镇陇造村，村民们正忙着收割甘蔗。".to_owned()), "{all:?}");
        // Nor before the predicate of what it holds, nor on a colon that leads into the rest.
        let subject = "杭州街头绿色建筑的环保节能技术，令人眼前一亮，市民纷纷称赞。";
        assert!(texts(subject).iter().all(|t| t != "杭州街头绿色建筑的环保节能技术。"), "{:?}", texts(subject));
        assert!(!whole_reads_alone("2月21日6时20分，新郑国际机场。"));
        assert!(!whole_reads_alone("2019年岁末，北京中南海。"));
        assert!(!whole_reads_alone("2016年9月13日，北京八一大楼。"));
        assert!(!whole_reads_alone("2月21日，沈阳三生制药股份有限公司的干扰素产品因特芬生产线上。"));
        // A verb before what is named, or before a list, says something of it.
        assert!(can_end("才能培养造就师德高尚、业务精湛、结构合理、充满活力的“大国良师”，"));
        assert!(can_end("孙春兰来到方舱医院，查看移动P3实验室检测工作、患者治疗管理等情况，"));
        assert!(whole_reads_alone("2019年初，全市新建学校30所。"));
        assert!(!whole_reads_alone("2月18日上午，天津站北2出站口。"));
        let placed = "青海省黄南藏族自治州同仁县龙树画苑，就坐落在这条黄河支流的东岸。";
        assert!(texts(placed).iter().all(|t| !t.ends_with("画苑。")), "{:?}", texts(placed));
        let drawing = "行至年画作坊，一幅贺岁生肖主题新品年画《诸事如意》，吸引了几位年轻人驻足欣赏。";
        assert!(texts(drawing).iter().all(|t| !t.ends_with("》。")), "{:?}", texts(drawing));
        // What `这是` sums up is not cut from it, however many clauses it spans; after a
        // semicolon, a new part starts.
        let summed = "举办中国—东盟媒体交流年活动，进一步增进双方了解，促进民心相通，这是双方的共同目标。";
        assert!(texts(summed).iter().all(|t| t.ends_with("共同目标。")), "{:?}", texts(summed));
        let parted = "两国签署了合作协议；举办媒体交流年活动，增进双方了解，这是双方的共同目标。";
        assert!(texts(parted).iter().any(|t| t == "两国签署了合作协议。"), "{:?}", texts(parted));
        assert!(texts("我至亲至爱的家人和战友们：").is_empty());
    }

    #[test]
    fn runs_keep_a_subject_with_its_predicate() {
        let texts = |s: &str| -> Vec<String> { runs(s, 80, 6, usize::MAX).into_iter().map(|r| r.text).collect() };
        // Someone named by a role, a body or place after a long modifier, and something done by
        // a means, are subjects whose predicate comes next.
        let named = "新华社西藏分社记者陈尚才，还清楚记得一年多前那通电话。";
        assert!(texts(named).iter().all(|t| !t.ends_with("陈尚才。")), "{:?}", texts(named));
        for subject in [
            "新华社西藏分社记者陈尚才，",
            "武汉市东湖高新区花山街道杏园社区党委书记许正文，",
            "建村700多年的江西赣州市于都县梓山镇潭头村，",
            "“朝阳区国际人才一站式服务平台”通过打破部门壁垒，",
            "张江海一家通过就近将鲜竹笋卖给竹笋加工厂，",
            "村里通过合作社这种方式，",
        ] {
            assert!(!can_end(subject), "{subject}");
        }
        for said in [
            "节目聚焦派出所民警日常工作，",
            "24岁的钟兰英从相邻的园丁村嫁到尧禄村，",
            "该项目顺利通过验收，",
            "会议审议通过了《决定》，",
            "国务院印发若干意见，",
            "代表们提出了100多条建议，",
            "全国单日新增确诊病例首次降至2000例以内，",
            "产品畅销国内，",
        ] {
            assert!(can_end(said), "{said}");
        }
        // Nor on a place, a time, a condition or a purpose what follows completes, nor on a
        // speaker without what was said.
        for open in [
            "3日的人民大会堂宴会厅内，",
            "天津市疫情防控指挥部决定在海河医院以外，",
            "现在每逢年节，",
            "德国若出于政治考量将华为排除在5G建设之外，",
            "为激励和引领广大青少年以中国女排为榜样，",
            "为有序推进疫情防控工作、保障受疫情影响地区的正常运行，",
            "中国疾控中心消毒学首席专家、研究员张流波建议，",
            "下列各项个人所得，",
            "第二条  下列各项个人所得，",
        ] {
            assert!(!can_end(open), "{open}");
        }
        assert!(!whole_reads_alone("2019年11月12日，湖南省人大会议中心。"));
        assert!(whole_reads_alone("2019年11月12日，湖南省人大会议中心举行立法座谈会。"));
        // Nor on a means, a work named by its title, or what is done of a topic said next.
        for open in [
            "透过刚刚落下帷幕的成就展，",
            "10多年来，清华大学以国家扶贫开发工作重点县为对象，",
            "江世银撰著的《当代中国金融审计研究》一书，",
        ] {
            assert!(!can_end(open), "{open}");
        }
        assert!(can_end("游客以年轻人为主，"));
        assert!(!can_end("形成了以最低生活保障、临时救助为主体，"));
        for open in [
            "全国旅客列车平均速度为每小时43公里，而时至今日，",
            "拿着新冠肺炎疫情不可抗力事实性证明，",
            "“强基计划”在改革定位上，",
            "2月10日，河北省秦皇岛市海港区的长城保护员孙志伟，",
        ] {
            let last = open.trim_end_matches('，').rsplit('，').next().unwrap_or_default();
            assert!(!can_end(&format!("{last}，")), "{open}");
        }
        assert!(can_end("他们坚守在岗位上，"), "a place one stays at");
        let listed = "对于居住环境的担心，镇党委副书记陈革胜重点做了3个介绍：吃水问题，道路问题，垃圾处理问题。";
        assert!(texts(listed).iter().all(|t| !t.ends_with("吃水问题。")), "{:?}", texts(listed));
        // Nor after the first item of anything a colon leads into, counted or not.
        let acted = "邮储银行北京分行已全面行动：线下保障，织密物理网点“防疫网”；线上优先，打造全天候金融“服务区”。";
        assert!(texts(acted).iter().all(|t| !t.ends_with("线下保障。")), "{:?}", texts(acted));
        assert!(texts(acted).contains(&"邮储银行北京分行已全面行动：线下保障，织密物理网点“防疫网”。".to_owned()));
        // A quotation keeps who said it, before it or after.
        for quoted in [
            "公司董事长董云岳对记者说：“复工备案272人，目前已全部到岗。”",
            "中国乒协主席刘国梁表示，“到了奥运年，大家都忘记了过年的感觉。”",
        ] {
            assert!(texts(quoted).iter().all(|t| !t.starts_with('“')), "{:?}", texts(quoted));
        }
        let named = "截至2019年底，“十三五”规划明确的9项约束性指标，7项已提前完成目标任务。";
        assert!(texts(named).iter().any(|t| t.starts_with("“十三五”")), "{:?}", texts(named));
        let answered = "“家庭是人生的第一个课堂，父母是孩子的第一任老师”，习近平总书记这样强调。";
        assert_eq!(texts(answered), [answered]);
        // Nor on a time or a span of it, an event by what held it, or on whose commission
        // someone acts: the sentence goes on to say what happened.
        for (open, not_after) in [
            ("10年前，大山深处建起了农民辣椒合作社，现如今，“花孖辣椒”让每家每户增收一两千元。", "现如今"),
            ("自2016年6月23日英国公投“脱欧”以来，1000余天，历经两次大选，“脱欧”终于成为现实。", "1000余天"),
            ("2月20日在北京举行的2019年中国—东盟媒体交流年开幕式，聚合着关切期盼的目光。", "开幕式"),
            ("2月26日，生态环境部部长李干杰受国务院委托，报告了国务院关于执法检查报告的研究处理情况。", "委托"),
            // Nor on a quotation that opens the sentence, a site or a basis: what follows says
            // what they mean.
            ("“我们坚持以正风肃纪反腐凝聚党心军心民心，健全各项制度”，在全会上，习近平总书记明确提出要求。", "制度”"),
            ("“我们修建的三座大坝成为新纸币的背景图了！”三峡中水电承建的大坝项目工地上，这一消息迅速传遍了每个角落。", "工地上"),
            ("央视动漫集团是在原央视动画公司基础上，汇聚总台相关资源成立的。", "基础上"),
        ] {
            let all = texts(open);
            assert!(all.iter().all(|t| !t.ends_with(&format!("{not_after}。"))), "{all:?}");
        }
        // Nor, cut from its sentence, on a predicate whose subject or condition it left behind.
        for (held, rest) in [
            ("由于山寨食品在质量上难以有保障，危害了村民健康，整治农村山寨食品已经刻不容缓。", "危害了"),
            ("当钢轨廓形偏离目标廓形时，列车运行就会不够平稳且噪音增大。", "列车运行"),
            ("《决定》全面总结了制度建设的经验，既讲清了制度的显著优势，又指明了转化为治理效能的途径。", "既讲清了"),
        ] {
            assert!(texts(held).iter().all(|t| !t.starts_with(rest)), "{:?}", texts(held));
        }
        let seen = "“青春若逝去，或许继承者会来！”初见北京大学教授仲跻昆，他就朗诵起自己翻译的诗歌。";
        assert!(texts(seen).iter().all(|t| !t.ends_with("仲跻昆。")), "{:?}", texts(seen));
        let backed = "埃及《消息晚报》总编辑贾迈勒·侯赛因日前接受本报记者采访时，对中国人民积极抗击疫情表示支持。";
        assert!(texts(backed).iter().all(|t| !t.starts_with("对中国")), "{:?}", texts(backed));
        let stands = "党的十九届四中全会站在党和国家事业全局和战略高度，对坚持和完善中国特色社会主义制度作出部署。";
        let counted = "今年过年家里两件大事，头一件，2015年被确定为建档立卡贫困户的老吴脱了贫。";
        let condition = "习近平总书记强调，我们不舒服一点、不自在一点，老百姓的舒服度就好一点。";
        for (open, not_after) in [(stands, "高度"), (counted, "头一件"), (condition, "不自在一点")] {
            assert!(texts(open).iter().all(|t| !t.ends_with(&format!("{not_after}。"))), "{:?}", texts(open));
        }
        let asked = "细问原委，这与巧换赛道、开辟市场新空间大有关系。";
        assert_eq!(opening_clauses(asked), 1);
        assert!(texts(asked).is_empty(), "{:?}", texts(asked));
        let among = "在为高铁安全运行而默默奉献的人群中，武汉大机段的高铁打磨施工队是其中的“夜行者”。";
        assert!(texts(among).iter().all(|t| !t.starts_with("武汉")), "{:?}", texts(among));
        let aimed = "虽然只有800米的长度，但为了达到高铁钢轨打磨验收标准，打磨车每行驶一趟只能打磨出20米。";
        assert!(texts(aimed).iter().all(|t| !t.ends_with("验收标准。")), "{:?}", texts(aimed));
        let scene = "2019年11月的一天上午，深圳宝安国际机场安检通道处，一位36岁男性旅客突然心脏骤停晕倒。";
        assert!(!texts(scene).iter().any(|t| t.ends_with("通道处。")), "{:?}", texts(scene));
        let sent = "中共中央政治局常委王沪宁22日上午，代表习近平总书记和党中央看望文化教育界知名人士。";
        assert!(texts(sent).iter().all(|t| !t.starts_with("代表")), "{:?}", texts(sent));
        let thanked = "当地教育部长表示，非常感谢中国援建现代化学校，这将有力推动当地教育的发展。";
        assert!(texts(thanked).iter().all(|t| !t.starts_with("非常")), "{:?}", texts(thanked));
        let topic = "破解“谁来种地”“谁来兴村”等问题，既要种好梧桐树引进人才，也应搭好大舞台留住人才。";
        assert!(texts(topic).iter().all(|t| !t.ends_with("等问题。")), "{:?}", texts(topic));
        for topic in [
            "提升现代农业园区建设水平，应在关键领域发力，激活各类农业经营主体。",
            "建设现代化经济体系，必须以新发展理念为指引。",
            "实施垃圾分类处理和资源化利用，不仅可以改善城乡环境，还可以减少资源浪费。",
            "使用在线办公软件进行远程办公，可以有效减少人们之间的直接接触。",
        ] {
            let cut = topic.split('，').next().unwrap_or_default();
            assert!(texts(topic).iter().all(|t| !t.starts_with(&format!("{cut}。"))), "{:?}", texts(topic));
        }
        let ranged = "从希望工程的代言人，到服务旅客的铁路人，胡善辉的成长轨迹，生动地书写了感恩奉献的人生故事。";
        assert!(texts(ranged).iter().all(|t| !t.starts_with("到服务")), "{:?}", texts(ranged));
        let coped = "各地积极行动起来，应对疫情带来的挑战。";
        assert!(texts(coped).contains(&"各地积极行动起来。".to_owned()), "{:?}", texts(coped));
    }

    #[test]
    fn runs_complete_what_they_open() {
        let texts = |s: &str| -> Vec<String> { runs(s, 80, 6, usize::MAX).into_iter().map(|r| r.text).collect() };
        // Half of a correlative pair is no sentence: the other half is said later.
        let seeming = "《流浪地球》看似异军突起，实则厚积薄发。";
        assert!(texts(seeming).iter().all(|t| !t.ends_with("异军突起。")), "{:?}", texts(seeming));
        let rather = "一些人与其说是对经济全球化感到担忧，不如说是对新技术感到焦虑。";
        assert!(texts(rather).iter().all(|t| !t.ends_with("感到担忧。")), "{:?}", texts(rather));
        let pair = "增强金融服务实体经济的能力，不仅需要出台政策、提升服务水平，更要改进作风。";
        let all = texts(pair);
        assert!(all.iter().all(|t| !t.ends_with("提升服务水平。")), "{all:?}");
        assert!(all.contains(&pair.to_owned()), "{all:?}");
        assert!(!whole_reads_alone("增强金融服务实体经济的能力，不仅需要出台政策、提升服务水平等举措。"));
        let range = "车站推出二十项便民服务，只要旅客有需求，小到一针一线，大到行李托运，都能帮忙解决。";
        assert!(texts(range).iter().all(|t| !t.ends_with("一针一线。")), "{:?}", texts(range));
        let both = "新时代纪检监察干部既要敢于担当，又要善于担当。";
        assert!(texts(both).iter().all(|t| !t.ends_with("敢于担当。")), "{:?}", texts(both));
        assert!(!whole_reads_alone("改革开放精神，既继承和体现了伟大民族精神。"));
        assert!(whole_reads_alone("既然来了，就要把工作做好。"));
        let hands = "近来，体育产业一手抓疫情防控，一手抓企业经营，努力实现产业平稳有序发展。";
        assert!(texts(hands).iter().all(|t| !t.ends_with("疫情防控。")), "{:?}", texts(hands));
        let more = "疫情防控越是到最吃劲的时候，越要坚持依法防控。";
        assert!(texts(more).iter().all(|t| !t.ends_with("的时候。")), "{:?}", texts(more));
        assert!(texts(more).contains(&more.to_owned()));
        let either = "无论是SARS冠状病毒引起的肺炎、流感肺炎，还是新冠肺炎，都是病毒惹的祸。";
        assert!(texts(either).iter().all(|t| !t.ends_with("新冠肺炎。")), "{:?}", texts(either));
        let traits = "“燃”作为一种审美特质，既具有流行文化的共通属性，又有青年文化的鲜明个性。";
        let all = texts(traits);
        assert!(all.iter().all(|t| !t.ends_with("共通属性。")) && all.contains(&traits.to_owned()), "{all:?}");
        assert!(!can_end("对所有年龄段的人群而言，") && !can_end("经国务院批准，") && can_end("经济稳中向好，"));
        // A clause's commas inside a quotation are the quotation's: `根据…“…，…”的精神` is one
        // clause, opened by 根据.
        let quoted = "根据省委关于“加大投入，保障需要”的部署，各级财政已安排专项资金9亿元。";
        let all = texts(quoted);
        assert!(all.iter().all(|t| !t.ends_with("的部署。")) && all.contains(&quoted.to_owned()), "{all:?}");
        let cause = "消防车无法及时抵达，因消防通道被违停车辆占用，延误了救援。";
        assert!(texts(cause).iter().all(|t| !t.ends_with("占用。")), "{:?}", texts(cause));
        assert!(can_end("因地制宜发展特色产业，") && !can_end("因道路结冰，"));
        let condition = "社区志愿者每天出门巡逻，无论刮风还是下雨，他们都准时到岗。";
        assert!(texts(condition).iter().all(|t| !t.ends_with("下雨。")), "{:?}", texts(condition));
        let despite = "刘永定虽已退休10年，但仍然十分忙碌，每周都去实验室。";
        assert!(texts(despite).iter().all(|t| !t.ends_with("退休10年。")), "{:?}", texts(despite));
        assert!(!whole_reads_alone("今年75岁的刘永定虽已从事藻类研究40年。"));
        // A sentence that announces what follows is no summary of it.
        for ahead in [
            "文章列举了这样两则案例。",
            "有这么一群热心人。",
            "具体情况如下：",
            "获奖项目有以下五大特点——",
            "随处可见这样的提示。",
        ] {
            assert!(!whole_reads_alone(ahead), "{ahead}");
        }
        assert!(!points_ahead("老周就是这样的人。"));
        // A condition opened by `一有` is completed by what follows; after `一问才知`, `她` points
        // back as at a sentence's start.
        let on_call = "他要24小时待命，一有群众求助，就立即赶到现场。";
        assert!(texts(on_call).iter().all(|t| !t.ends_with("求助。")), "{:?}", texts(on_call));
        assert!(!whole_reads_alone("一问才知，她是老人的女儿。"));
        // `红一方面军` opens no pair.
        assert!(whole_reads_alone("83年前，红一方面军准备东渡黄河入晋抗日。"));
        // A sentence that only says who asked or spoke answers a quotation the reader lacks.
        assert!(!whole_reads_alone("河南洛阳的一名居民焦急地问。"));
        assert!(!whole_reads_alone("一位村民笑着说。"));
        assert!(!whole_reads_alone("71岁的王明德一边拿刮刀打磨扇骨，一边介绍。"));
        assert!(!whole_reads_alone("71岁的王明德一边拿刮刀打磨扇骨。"));
        assert!(!whole_reads_alone("前线指挥部有关负责同志介绍。"));
        assert!(!whole_reads_alone("吉林铁路公安处吉林北车站派出所所长刘罡眼含泪水说。"));
        let told = "“老刘，对不住了！”吉林北车站派出所所长刘罡眼含泪水说。";
        assert!(texts(told).iter().all(|t| t.starts_with('“')), "{:?}", texts(told));
        // A purpose, or a speaker's requirement, is completed by what follows.
        let purpose = "为促进中美经贸关系健康稳定发展，已加征关税的商品，加征税率调整为2.5%。";
        assert!(texts(purpose).iter().all(|t| !t.ends_with("稳定发展。")), "{:?}", texts(purpose));
        // A demand keeps who makes it, and so does an encouragement; a manner, a means, how
        // someone goes about it, and a purpose someone acts for are completed by what follows.
        for (sentence, opening) in [
            ("韩正主持召开会议并讲话，他强调，要坚持问题导向，聚焦重点工作。", "要"),
            ("郭声琨出席会议并讲话，勉励广大司法行政干警忠诚履职。", "勉励"),
        ] {
            assert!(texts(sentence).iter().all(|t| !t.starts_with(opening)), "{:?}", texts(sentence));
        }
        for (sentence, ending) in [
            ("有天晚上，自己竟莫名地梦见了武陵溪，隐约之间，听到有人叫了一声。", "之间。"),
            ("农家书屋通过深化改革，提升了服务效能。", "深化改革。"),
            ("55岁的吴可国每天晚上都会开着面包车，给防控点的工作人员煮宵夜。", "面包车。"),
            ("3万余名驰援湖北的医务人员，携手当地同行，同时间赛跑。", "同行。"),
            ("1994年，马喜国在一次办案中为保护战友，壮烈牺牲。", "战友。"),
        ] {
            assert!(texts(sentence).iter().all(|t| !t.ends_with(ending)), "{:?}", texts(sentence));
        }
        assert!(!can_end("自开通外出务工人员绿色专线，"));
        assert!(!whole_reads_alone("河北阳原县大田洼村村民郭启叶琢磨。"));
        assert!(!can_end("家人为了支持我工作，"));
        assert!(!can_end("他为营救被洪水围困的群众，"));
        for done in
            ["塑封主要是为了保护书的品相，", "城市面貌大为改善，", "这些文创店成为了公园新景点，", "以创新管理为保障，"]
        {
            assert!(can_end(done), "{done}");
        }
        let required = "会议充分肯定了去年的工作，关于2020年工作，会议要求，坚持稳中求进。";
        assert!(texts(required).iter().all(|t| !t.ends_with("会议要求。")), "{:?}", texts(required));
        // Nor on when something happened, before the sentence says what.
        for when in [
            "要努力开创新时代政法事业新局面，习近平总书记指出，2019年，政法战线取得新成效。",
            "合作社负责人告诉记者，去年11月，村里建起了蔬菜大棚。",
            "石门村地处深山，1984年，村里通了公路。",
        ] {
            let all = texts(when);
            assert!(
                all.iter().all(|t| !t.ends_with("年。") && !t.ends_with("月。") && !t.ends_with("记者。")),
                "{all:?}"
            );
            assert!(all.contains(&when.to_owned()), "{all:?}");
        }
        assert!(can_end("他们在2019年，") && !can_end("2019年，") && !can_end("今年以来，"));
        // A clause is judged by how its last sentence goes on, where a quotation holds several.
        assert!(
            !can_end("是中国历史性的万里长征结束的那一年。1949年，") && can_end("这是我们的责任。我们会坚持下去，")
        );
        assert!(can_end("他们喊出“我们会坚持下去。”，"));
        let quoted = "“我生于北方，是中国历史性的万里长征结束的那一年。1949年，中华人民共和国成立时，我在哪里？”";
        assert!(texts(quoted).iter().all(|t| !t.ends_with("1949年。")), "{:?}", texts(quoted));
        assert!(!can_end("2019年春节假期，") && !can_end("国庆期间，"));
        for next in [
            "渔村只靠一口浅井吃水，到了枯水期，渔民要划船去岛外挑水。",
            "老人守护着烈士墓——1987年5月3日，他的战友牺牲在这里。",
        ] {
            let all = texts(next);
            assert!(all.iter().all(|t| !t.ends_with("枯水期。") && !t.ends_with("3日。")), "{all:?}");
        }
        assert!(!can_end("每到冬天，") && can_end("他们到了北京，") && can_end("我们每到一处都受到欢迎，"));
        assert!(!can_end("习近平总书记每次考察调研，") && can_end("他每次都准时到岗，"));
        assert!(!can_end("通知称：自2021年3月1日至5月31日，") && can_end("展览自3月1日开幕，"));
        assert!(!can_end("工作组用两周时间，") && can_end("新流程节省了大量时间，"));
        assert!(!can_end("双周协商座谈会作为协商民主平台，") && !can_end("作为一名老党员，"));
        assert!(can_end("我们把创新作为第一动力，") && can_end("他作为代表发了言，"));
        // Nor is a role a frame to leave out: it holds the subject.
        let role = "“燃”作为一种审美特质，既具有流行文化的共通属性，又有青年文化的鲜明个性。";
        assert_eq!(opening_clauses(role), 0);
        assert!(!can_end("主题教育中，广大党员干部集中时间，") && can_end("重点监管食品卫生、经营交易行为等，"));
        assert!(!can_end("目前贵州借助网络信息技术，") && !can_end("10余位消防员顺着6米拉梯，"));
        assert!(!can_end("靠着外出务工和采摘鲜竹笋，") && can_end("他家靠着这份收入脱了贫，"));
        assert!(!can_end("联合调查组经审查认定，") && !can_end("相关事实经核实，") && can_end("身份已经确认，"));
        assert!(!can_end("以高度的责任感和使命感，") && can_end("以饱满的精神状态迎接新年，"));
        assert!(!can_end("回忆起2015年9月3日，") && !can_end("《温儒敏谈读书》一经出版，"));
        assert!(!can_end("新设立的千岛湖生态综合保护局，") && can_end("淳安县新设立了千岛湖生态综合保护局，"));
        assert!(!can_end("海州代表团李东红代表提出的《关于为环卫工人解决早餐的建议》，"));
        assert!(can_end("国务院办公厅印发《关于有效发挥政府性融资担保基金作用的指导意见》，"));
        assert!(can_end("党的十九届四中全会《决定》系统概括了我国国家制度和国家治理体系13个方面的显著优势，"));
        assert!(!can_end("对4名在疫情防控一线实绩突出人员，") && can_end("对4名突出人员予以表彰，"));
        assert!(can_end("向中国人民祝贺农历新年，") && can_end("我出生在农村，"));
        assert!(!can_end("中央军委政治工作部向人民解放军指战员、武警部队官兵、民兵预备役人员，"));
        assert!(!can_end("向全国双拥模范城（县）党委政府、驻军领导机关和广大军民，"));
        assert!(can_end("全国双拥工作领导小组向广大官兵致以问候，") && can_end("产品走向各地企业，"));
        assert!(can_end("学校面向社会招聘教师和工作人员，") && !can_end("回首2019年，"));
        assert!(!can_end("走在成都市锦江区春熙路青石桥社区，") && can_end("走在全国前列，"));
        assert!(!can_end("记者看到，") && can_end("游客看到了大熊猫，"));
        assert!(!can_end("每一名党员干部都应当意识到，") && can_end("他们意识到了问题，"));
        let asked = "新形势下，党风廉政建设有哪些新的规律，一体推进“三不”需要注意哪些问题？";
        assert!(texts(asked).iter().all(|t| !t.ends_with("规律。")), "{:?}", texts(asked));
        let told = "教育厅开展远程培训，重点讲授疫情期间如何进行远程授课，受到教师欢迎。";
        assert!(texts(told).iter().any(|t| t.ends_with("远程授课。")), "{:?}", texts(told));
        // Nor does a run cut from a question hold what it asks, wherever it stops.
        let fire = "不少家庭使用医用酒精进行居家消毒，使用75%的医用酒精消毒究竟会不会引起火灾，应该如何正确使用？";
        assert!(texts(fire).iter().all(|t| !t.contains("火灾") || t.ends_with('？')), "{:?}", texts(fire));
        assert!(texts(fire).contains(&"不少家庭使用医用酒精进行居家消毒。".to_owned()), "{:?}", texts(fire));
        let board = "如何准确把握新三板定位，补齐资本市场服务中小企业的短板，新三板改革要重点解决哪些问题？";
        assert!(texts(board).iter().all(|t| !t.contains("定位") || t.ends_with('？')), "{:?}", texts(board));
        // Nor is an interview's question cut into what it supposes.
        let interview = "问：我在多家银行重复预约，能顺利兑换纪念币吗？";
        assert!(texts(interview).iter().all(|t| t.ends_with('？')), "{:?}", texts(interview));
        assert!(can_end("依托丰富的红色文化资源和绿色生态资源发展乡村旅游，"));
        // Nor on a subject before its predicate: a noun after its modifier that the clause says
        // nothing of.
        for subject in [
            "在火神山医院重症医学二科，负责感控准备检查的护士吴亚玲，明显加快了准备防护物资的速度。",
            "从中华传统文化的语境出发，以春节为标志的新春佳节，可谓一年之中最为重要的节日。",
            "在安置房整治项目现场，身为社区党委书记的她，为了项目的推进走街串户。",
            "20日下午，测控部所属的两艘测量船“远望3号”“远望7号”，完成任务后返回母港。",
            "日前，石药集团自主研发的高血压专利药玄宁（马来酸左旋氨氯地平），通过了上市申请。",
            "从2019年6月起，一场以领导干部为重点的“不忘初心、牢记使命”主题教育，在全党自上而下展开。",
            "党和国家领导人习近平、李克强、栗战书、汪洋等，同首都观众一起观看演出。",
            "陕西省人民政府原副省长陈国强涉嫌受贿一案，由国家监委调查终结，移送检察机关审查起诉。",
            "说起筠泉社区的党委书记付秀秀，居民们都竖起大拇指。",
        ] {
            let all = texts(subject);
            assert!(
                all.iter().all(|t| !t.ends_with("吴亚玲。")
                    && !t.ends_with("佳节。")
                    && !t.ends_with("的她。")
                    && !t.ends_with("7号”。")
                    && !t.ends_with("）。")
                    && !t.ends_with("主题教育。")
                    && !t.ends_with("汪洋等。")
                    && !t.ends_with("一案。")
                    && !t.ends_with("付秀秀。")),
                "{all:?}"
            );
        }
        // What says something of its noun ends a sentence: a copula, or a verb that takes it.
        for said in ["杨润身就是电影《白毛女》的编剧之一，", "坚持党的集中统一领导，", "努力做新时代的好战士，"]
        {
            assert!(can_end(said), "{said}");
        }
        for alone in [
            "代表们就有关问题提出了疑问。",
            "总统对中国进行国事访问。",
            "作家创作了一部长篇小说。",
            "孙中山提出了三民主义学说。",
            "“我们会坚持下去。”老党员王建国说。",
            "外交部发言人就有关问题答记者问。",
        ] {
            assert!(whole_reads_alone(alone), "{alone}");
        }
        // A sentence the page lets trail off is no summary's unit, whole or in part.
        let trailing = "资金支持、金融扶持、税费优惠、社会保障、稳岗就业……";
        assert!(!whole_reads_alone(trailing));
        assert!(whole_reads_alone("北京市文化改革和发展领导小组办公室发布28项措施。"));
        // Nor does a run stop on the place the sentence goes on to fill.
        let scene = "冬日，自然保护区管理站靠近银川河东机场一隅，几名工作人员正在巡护林地。";
        assert!(texts(scene).iter().all(|t| !t.ends_with("一隅。")), "{:?}", texts(scene));
    }
}
