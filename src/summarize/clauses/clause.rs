//! One clause of a sentence, by its words: whether a sentence can stop after it ([`can_end`]),
//! whether it only frames what follows (when, on whose word), leaves open what the next clause
//! says, or says what a clause before it began. What a run of clauses makes of them is
//! [`super::alone`]'s.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::{self, CLAUSE_BREAKS};

/// A clause that cannot end a sentence: one that introduces what follows (`他说`, `数据显示`, `在他看来`,
/// `会议要求`, `每一名党员干部都应当意识到`), a time or purpose clause (`…之际`, `…以来`), a place the sentence goes on
/// to fill (`…靠近机场一隅`), one that stops on `而` (and on a joining word or whom someone meets before
/// who leads them: [`UNFINISHED`]), on the means of an action still to come (`目前贵州借助网络信息技术`,
/// `消防员顺着6米拉梯`, `靠着外出务工和采摘鲜竹笋`), on a walk through the place the sentence goes on to describe
/// (`走在…青石桥社区`; not `走在全国前列`), on whom an action still to come is for (`县委发文，对4名…实绩突出人员`, which
/// goes on `予以提拔重用`; `…政治工作部向人民解放军指战员、…民兵预备役人员`, which goes on `致以诚挚问候`), on whom someone leads or
/// gathers for what the sentence says next (`教导员许奎率领10名突击队队员`, `推广总站组织市县农技人员`), on a surprise whose
/// point comes next (`于翠没想到自己60多岁了，还能在家门口挣工资`), on the circumstance of an action still to come
/// (`专机在2架缅甸战机护航下`, `当室内有较大空间，并有开窗条件情况下`), on the height or angle from which someone goes on to act
/// (`习近平总书记从…全局和战略高度`, `…全会站在党和国家事业全局和战略高度`), on an item a list goes on to tell (`今年过年家里两件大事，头一件`),
/// on whom someone speaks for (`习近平总书记首先代表党中央和国务院`), on what someone or something is in a role
/// (`双周协商座谈会作为协商民主平台`; not what is taken as something, `把创新作为第一动力`), or on whom or when the
/// sentence goes on to speak of (`说起…主任付秀秀`, `回忆起2015年9月3日`), on the first sight of someone whose
/// doing comes next (`初见…教授、博导仲跻昆`), on the meeting at which what the sentence reports took place
/// (`…新气息：会上`) or the sky above which it happens (`…麦田上空`), on the case whose course comes next
/// (`…涉嫌受贿一案`), on what is left aside for what comes next (`除采用双防抖技术`, which goes on `还…`), on the
/// look whose finding comes next (`…运回了地坪乡，一清理`, `一听到广播`), on the means by which the sentence goes
/// on to say what was done (`…服务平台”通过打破部门壁垒`, `通过…这种方式`, `…科研团队通过大数据聚类分析`, `以…特困地区为对象`, `拿着…事实性证明`,
/// `…在改革定位上`; not `顺利通过验收`), on whose commission or invitation someone acts (`李干杰受国务院委托`, `应…邀请`),
/// on a finding still to come (`联合调查组经审查认定`), on the spirit in which what follows is done
/// (`以高度的责任感和使命感`, `…有关企业要以高度的责任感`), on what something was built on (`…是在原央视动画公司基础上`) or the site
/// where what follows happens (`…承建的苏丹上阿特巴拉大坝项目工地上`), on what is formed before it is named
/// (`形成了以最低生活保障…为主体`), on one who advises before the advice (`研究员张流波建议`; not `提出了100多条建议`), inside
/// a place or beyond one (`3日的人民大会堂宴会厅内`, `决定在海河医院以外`; not `降至2000例以内`, `畅销国内`), or on a list still
/// to come (`第二条  下列各项个人所得`), on how someone goes about what they do (`…都会开着面包车`, `携手当地同行`), on
/// what it is done as before (`和往年一样`), on the body or platform through which something is done
/// (`依托人民网…网络媒体平台`, `北京市政协通过…研究会`), on what something shows before what it shows (`…今昔变化充分证明`), on
/// a question the sentence goes on to say something of (`如何做好新能源汽车电池回收、置换等工作`, before `成为一道现实考题`;
/// `能不能砥砺志气、激发意气`, `提出问题是否聚焦`), on the first of several met in turn (`刘鹤…分别会见国际货币基金组织总裁格奥尔基耶娃`), on
/// a cause before its effect (`而今年受新冠肺炎疫情影响`; not what was `受到` as a predicate, nor `未受太多影响`), on a
/// copula before what it joins (`大家共同面对的问题是`, `值得一提的是`, `…工作总的要求是`), on partners before what is
/// done with them (`…都会联合毛里求斯政府、侨社等`; not `联合研发…`), on what is taken into account before what is
/// done (`…派出所结合辖区特点`; not `…结合自身特色开发文创产品`), on when a plan is for before the plan
/// (`新西兰计划在2020年中小学新学期`), on the setting of what it goes on to say (`是因为在…贸易保护主义抬头的背景下`), on a
/// cause added to others before their effect (`再加上频繁倒班和每天高强度工作`), on whom a reader is asked to hear
/// before what they tell (`我们一起听听五位社区党委书记`), on the weather someone acts in (`…队员冒着冷风细雨`), on the
/// focus of a cleft (`正是编剧…秉持着…的理念`), on a time singled out (`特别是临近春节`), on whom a warning is for
/// (`…消防救援局提醒公众`), or on a look before what is seen (`翻开看`).
static OPEN_ENDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:说|说道|表示|指出|认为|强调|介绍|称|坦言|直言|透露|宣布|写道|看来|显示|表明|发现|看到|注意到|获悉|了解到|提到|告诉记者|",
        r"意识到|认识到|体会到|感受到|深知|相信|坚信|确信|懂得|",
        r"时|之时|后|之后|以后|前|之前|以来|[年月天日周]来|期间|之际|过程中|当中|之中|中|里|之间|一隅|一角|门口|门前|脚下|深处|街头|",
        r"(?:会|仪式|典礼)上|上空|一案|^除了?[^夕，。；][^，。；]*|",
        r"^一(?:[看问听查算瞧摸量比试测]|清理|清点|打听|了解|询问|统计|调查|核实|检查|排查|对比|核算|盘点|走访|打量)(?:[到见][^，。；就便才]{0,10})?|",
        r"要求|提出|呼吁|号召|[^条项份点的出些化性]建议|提醒|来说|而言|而|",
        r"(?:提醒|告诫|呼吁|号召|建议)(?:广大)?(?:公众|市民|群众|游客|旅客|消费者|居民|网友|家长|大家)|",
        r"[^国对以之]内|在[^，。；]{1,24}(?:以外|之外|以内|之内)|^(?:第[一二三四五六七八九十百]+条\s*)?(?:下列|以下)[^，。；]{1,20}|",
        r"通过(?:就近|积极|大力|不断|开展|实施|建立|建设|发展|引进|推广|加强|组织|举办|利用|借助|采取|搭建|打造|设立|",
        r"打破|整合|完善|创新|强化|深化|推行|推进|引导|培育|探索|运用|实行|将|把|对|与|和|在|向)[^，。；]*|",
        r"通过[^，。；了]{1,30}(?:方式|途径|渠道|平台|形式|手段|措施|办法|机制|举措|模式|疗法|方法|技术|研究会|协会|学会|研究院|小组|",
        r"分析|研判|测算|比对|筛查|调研|排查)|(?:翻开|打开|展开|点开|拿起)一?看|",
        r"以[^，。；]{1,30}为(?:对象|抓手|载体|契机|突破口|切入点|着力点|落脚点|出发点|新?起点|依托|纽带|牵引|指引|遵循)|",
        r"(?:形成|构建|建立|建成|打造|探索|走出|开创)[了出]?以[^，。；]{1,60}为[^，。；]{1,4}|",
        r"(?:充分|有力|再次|进一步|足以)(?:证明|说明|表明)|^(?:如何|怎样|怎么样?|是否|能否|能不能|为何|为什么|要不要|该不该|会不会)[^，。；]*|[^，。；]*(?:是否|能否)[^，。；]*|",
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
        r"在[^，。；]{1,24}下|在[^，。；]{1,40}(?:背景|情况|形势|前提|条件|环境)下|(?:情况|情形|条件|前提)下|(?:从|站在|立足于?)[^，。；]{1,30}(?:高度|角度|层面|视角|维度|立场|方面)(?:出发|上|来看|看)?|",
        r"(?:的|问题|关键|原因|答案|结果|目的|核心|重点|难点|前提|好处|特点|意思|办法|理由|要求|任务|目标|思路|原则)是|",
        r"^再?加上[^，。；]+|(?:听听|听一听)[^，。；]{1,16}(?:书记|代表|专家|委员|们|者)|",
        r"(?:联合|会同|协同|联手)[^，。；了着过]{1,30}(?:等|部门|单位|机构|政府|企业|公司|组织|协会|学会)|",
        r"结合[^，。；了着过]{0,12}(?:特点|特色|实际|实情|情况|需求|优势|资源|条件|要求)|",
        r"(?:计划|打算|准备|拟|决定|预计|力争|争取)(?:于|在|到)[^，。；]{0,16}(?:年|月|日|学期|季度|前|后|底|初|旬|期间)|",
        r"牵头|(?:和|与|跟|同|像)(?:往年|往常|平常|平时|以往|过去|去年|往日)一样|",
        r"(?:借助|依托|凭借)[^，。；了着过]{1,30}(?:平台|优势|资源|渠道|载体|网络|技术|力量)|(?:^|[^未不没少免])受[^到，。；][^，。；]{0,20}(?:影响|冲击)|",
        r"代表(?:党中央|中共中央|中央|国务院|中央军委|政府|全国|全体|各族|本人|我们|我|公司|集团)[^，。；了着过]{0,16}|",
        r"^[^，。；把将以视]{1,12}作为[^，。；是了着过]{1,24}|^(?:说起|提起|谈起|讲起|说到|谈到|回忆起|回想起|想起)[^，。；]+|",
        r"^(?:初见|初识|初次见到|第一次见到)[^，。；了]{1,30}|",
        r"(?:开|骑|驾|推|扛|挑)着[^，。；了]{1,10}|携手[^，。；]{1,12}|(?:冒着|顶着)[^，。；了过]{1,12}|^(?:正是|正因为|正因)[^，。；]+|",
        r"^(?:特别是|尤其是)(?:临近[^，。；]{1,8}|[^，。；]{0,10}(?:期间|之际|前后|前夕))|",
        r"^(?:头一|第[一二三四五六七八九十]+|其[一二三四五])(?:件|个|条|点|项|次)?(?:事)?)$"
    ))
    .expect("open-ended clause pattern")
});

/// A clause that only says when (`2019年`, `去年11月`, `今年以来`, `11日下午4时50分`,
/// `2014年至2018年`, `今年2月起`, `而时至今日`, `现如今`, `2019年11月的一天上午`, `回首2019年`) or how long
/// (`1000余天`, `两个多月`, `仅3天时间`): the sentence goes on to say what happened then, and a run cannot
/// stop there (`…主任指出，2019年。`, `…建起了农民辣椒合作社，现如今。`).
pub(super) static WHEN_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:而|但|可|却)?(?:回首|回望|回顾|展望)?(?:仅仅|仅|只有|短短|不到|整整)?(?:(?:\d+|[〇一二三四五六七八九十]+)(?:年|月|日|号|时|点|分|秒)|",
        r"(?:\d+|[〇一二三四五六七八九十百千两几]+)(?:余|多)?个?(?:年|月|天|周|星期|小时|分钟)(?:多|余)?|",
        r"的?(?:一天|某天|某日|那天|这天|那年|这年)|近日|日前|近期|目前|当前|如今|现如今|现在|而今|眼下|当下|此时|此刻|当时|那时|",
        r"后来|随后|此后|时至今日|至今|今年|去年|明年|前年|当天|当日|昨天|今天|上午|下午|中午|晚上|傍晚|深夜|夜里|夜间|早上|清晨|凌晨|",
        r"上旬|中旬|下旬|岁末|岁尾|年关|除夕|此前|前不久|不久前|春节|春运|元旦|国庆|清明|端午|中秋|五一|寒假|暑假|假期|节日|至|到|—)+",
        r"(?:以来|期间|底|初|末|前夕|起|许|左右|时间)?$"
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

/// A clause that ends on a noun after its modifier (`负责感控检查的护士吴亚玲`, `过年的母亲`, `以春节为标志的新春佳节`,
/// `所属的两艘测量船“远望3号”“远望7号”`, the noun's names in quotation marks after it, or its gloss in brackets,
/// `自主研发的高血压专利药玄宁（马来酸左旋氨氯地平）`; longer people, where nothing after the `的` reads as a verb's mark,
/// `驻守在附近的北部战区陆军某边防旅八岔边防连官兵们`; someone or something a count brings in, `…时代色彩：一处穷乡僻壤`; a noun after
/// a name in quotation marks, `…为重点的“不忘初心、牢记使命”主题教育`; people a role names, `党和国家领导人习近平、李克强…等`; a
/// case, `陕西省人民政府原副省长陈国强涉嫌受贿一案`; a work by its title, `江世银撰著的《…》一书`; a place or body after a long
/// modifier, `建村700多年的江西赣州市于都县梓山镇潭头村`, `新设立的千岛湖生态综合保护局`, where nothing after the `的` reads as a
/// verb or a move, `从…园丁村嫁到尧禄村`; an event by what held it, `2月20日在北京举行的…开幕式`; someone named by a
/// role alone, `新华社西藏分社记者陈尚才`, `…海港区的长城保护员孙志伟`; a work by whose it is, `…代表提出的《关于为环卫工人解决早餐的建议》`; an
/// event or work by who held or made it, `由上海图书馆…联合主办的“…新春大展”`, `由…联合举办的…报告会`, where nothing after
/// the `的` reads as a verb; a term set beside what it is, `“生态移民”这个新词`; someone named by field,
/// name and title, `小麦育种专家王辉教授`; a name in quotation marks after its modifier, `创办于2016年的“望岳优生活”`;
/// things counted after whose they are, `包河区的522个居民小区`; what is pointed at, `这场疫情防控阻击战`; a list of
/// things, `健康检测监测、养老监护等新产品`, `种种凛然意气、凌云志气、冲天豪气`) and says nothing of it (no `是`, `有`): the subject
/// of a predicate the sentence goes on to give (`…，明显加快了…`), and a run cannot stop there.
static BARE_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:的[^的，。；、“”‘’《》\d了着过是有在将要把被让使给对向为从能会可已正不没也都还就再又]{1,12}(?:员|师|手|官|户)\p{Han}{2,3}|",
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
        r"^(?:种种|诸如)[^，。；了着过是有在将把被让]{2,30}|的(?:一系列|各项|诸多)[^，。；了着过]{1,20}|",
        r"的[^，。；的]*、[^，。；的]*等(?:\d+|[一二三四五六七八九十]+)(?:个|家|名|所|项)[^，。；了着过]{1,6}|",
        r"^[^，。；了着过是有在将把被让]{2,8}、[^，。；了着过是有在将把被让]{1,30}等\p{Han}{1,4}|",
        r"^[^，。；：的\d了着过是有在将要把被让使给对向为从能会可已正不没也都还就再又说访]{2,30}(?:专家|学者|作家|画家|工程师)",
        r"\p{Han}{2,3}(?:教授|院士|研究员|博士|老师|先生|女士)|",
        r"^(?:作为[^，。；]{1,30})?由[^，。；]{2,40}(?:主办|承办|协办|举办|组织|发起|出品|制作|编写|编制|出版|研发|设计|承建|打造|完成|承担|实施|办理)的",
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
        r"是|(?:^|[^所])有(?:[^关限]|$)|成为|像|叫|名为|属于|担任|出任|",
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
pub(super) static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:如果|假如|若|虽然|尽管|只有|只要|即使|即便|哪怕|无论|不论|不管|一旦|一有|每当|除非)|",
        r"^[^，。；宛恍仿置]{1,8}(?:若[^干]|如果|假如|倘若|一旦|一经)"
    ))
    .expect("condition clause pattern")
});

/// A clause that opens the setting of what the sentence says later (`随着…`, `为了…`, `为促进…`, `因…`,
/// `在…`, `从…到…`, `当…时`, `透过…`, `经国务院批准`, `经50余次研讨`, `现就…`, `走进…`, `自开通…`, `参照…运行模式`; not `当前…`,
/// `当地…`, `自主…`): it cannot be a run's last.
static SUBORDINATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        "^(?:{}|{ENTERING}|{})",
        concat!(
            r"现就|特就|随着|由于|因为|因[^此而地时人势]|截至|面对|作为|通过|透过|对于|关于|围绕|针对|",
            r"当[^前地天日年时然即下场初代]|从|自从|除了|经过|按照|参照|依照|比照|遵照|根据|在|",
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
    r"救|抢救|营救|掩护|保卫|备战|筹备|迎战|健全|压实|夯实|筑牢|补齐|阻断|遏制|阻止|切断|预防|杜绝"
);

pub(super) static PURPOSE_AIM: LazyLock<Regex> =
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
pub(super) fn opens_purpose(words: &str) -> bool {
    words.starts_with("为了") || words.strip_prefix('为').is_some_and(|aim| PURPOSE_AIM.is_match(aim))
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
pub(super) static HELD_SETTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:(?:从|自从)[^到至起始以看说言]*$|{ENTERING})")).expect("held setting pattern")
});

/// Whether `words`, a clause without its break, sets the scene of what the sentence says later
/// ([`SUBORDINATE`] or a purpose, [`opens_purpose`], unless [`SETTING_THEN_SAYS`]), after a
/// connective that opens it (`但为了达到…验收标准`).
pub(super) fn sets_the_scene(words: &str) -> bool {
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
pub(super) static RANGE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:到|至)[^了今]").expect("range end pattern"));

/// A clause that carries on the one before it as its predicate (`…的环保节能技术，令人眼前一亮`,
/// `…道德规范，对解决…具有重要价值`, `排船，是…的俗称`, `一幅新品年画《诸事如意》，吸引了几位
/// 年轻人`, `…龙树画苑，就坐落在…东岸`, `我国马克思主义哲学文本研究，从一开始就与…紧密相连`,
/// `深化改革开放的重要战略机遇，将为经济发展再注强大势能`, `建设现代化经济体系，这是党中央…作出的
/// 重大决策部署`), or says what must or can be done of
/// it, with no subject of its own (`提升现代农业园区建设水平，应在关键领域发力`, `建设现代化经济体系，
/// 必须以新发展理念为指引`, `实施垃圾分类处理，不仅可以改善城乡环境`, `破解“谁来种地”等问题，既要
/// 种好梧桐树`, `使用在线办公软件进行远程办公，可以有效减少…`; not `应对`, `要求`, `需求`):
/// the clause before is its subject, and a run cannot stop there.
pub(super) static CARRIES_ON: LazyLock<Regex> = LazyLock::new(|| {
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
pub(super) static SUMS_UP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^这(?:也|就|既|正|更|才|无疑)?是").expect("summing-up pattern"));

/// A clause of a question that asks (`党风廉政建设有哪些新的规律，…需要注意哪些问题？`): cut from
/// its question and ended with a full stop, it would read as a statement. (In a statement, the
/// same words ask nothing: `重点讲授疫情期间如何进行远程授课`.)
pub(super) static ASKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"哪|什么|如何|怎么|怎样|为何|为什么|多少|是否|能否|会不会|是不是|有没有|能不能|究竟|[吗呢]$")
        .expect("question pattern")
});

/// Whether `clause` (or a run, or a sentence) ends in a question mark, before closing quotes and
/// brackets: its own question or one it quotes.
pub fn ends_in_question(clause: &str) -> bool {
    text::trim(clause).trim_end_matches(text::is_closing).ends_with(['？', '?'])
}

/// A sentence's first clause that says what is about to happen to one the sentence names next
/// (`即将出战…系列赛，他依然保持…`): a run cannot stop there. Later in a sentence, `即将` says
/// it of the subject before it (`新郎桑杰卡…，学画唐卡6年，即将出师`).
pub(super) static ABOUT_TO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^即将").expect("about-to clause pattern"));

/// A clause that says what something is taken as (`作为…`, `列为…`), after one that takes it
/// (`要把推动…服务大提升，作为…改革的当头炮`): the two are one predicate, and a run cannot stop
/// between them.
static TAKEN_AS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:作为|当作|当成|视为|列为|看作|看成)").expect("taken-as clause pattern"));

/// Whether `clause` is opened by [`TAKEN_AS`] and completes `before`, which takes something
/// (`把…`, `将…`).
pub(super) fn completes(clause: &str, before: &str) -> bool {
    static TAKES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[^握手])把|将").expect("disposal pattern"));
    TAKEN_AS.is_match(text::trim(clause)) && TAKES.is_match(words_of(before))
}

/// A clause that only names a place (`新郑国际机场`, `北京中南海`, `天津站北2出站口`,
/// `深圳宝安国际机场安检通道处`, `北京八一大楼`, `…公司的干扰素产品因特芬生产线上`, `肯尼亚首都
/// 内罗毕马萨雷贫民窟`): after clauses that only say when, it sets a scene (`2月21日6时20分，
/// 新郑国际机场。`) and says nothing of it.
pub(super) static PLACE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^[^，。；：！？“”]{0,30}(?:处|门口|入口|通道|窗口|柜台|机场|车站|火车站|码头|港口|村|镇|乡|县|市|街道|社区|医院|工地|现场|广场|车间|",
        r"基地|大厅|路口|出站口|进站口|站台|候车室|候车厅|停车场|服务区|收费站|检查站|卡口|中南海|大会堂|",
        r"中心|景区|会场|会议室|展厅|博物馆|纪念馆|礼堂|校园|园区|厂区|病房|实验室|教室|食堂|超市|农场|果园|大棚|哨所|口岸|大楼|大厦|大院|生产线上|流水线上|",
        r"贫民窟|胡同|平房|营区|营地|田间|地头|河畔|江畔|湖畔)$"
    ))
    .expect("place clause pattern")
});

/// A clause's words, without the break or sentence end after it.
pub(super) fn words_of(clause: &str) -> &str {
    text::trim(text::trim(clause).trim_end_matches(|c| CLAUSE_BREAKS.contains(&c) || text::is_sentence_end(c)))
}

/// A clause that only frames what the sentence says: when (`今天下午，`, `前三季度，`, and every
/// clause that only says when, [`WHEN_ONLY`]), on whose word or by what arrangement
/// (`据新华社报道，`, `按照省委统一安排，`, `他表示，`, `细问原委，`), or under what condition
/// (`随着春节临近，`, `在疫情防控中，`). A run may open after such clauses; after any other, it
/// would open without its subject (`与企业职工面对面互动交流，…`), or leave out what the sentence
/// says: a clause that opens with a time and goes on (`去年全村旅游收入6500万元，`, `当前正是关键
/// 时期，`) says something, and frames nothing.
pub(super) static FRAMING: LazyLock<Regex> = LazyLock::new(|| {
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
pub(super) static DONE_ON_A_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"[^，。；]于(?:\d+|[〇一二三四五六七八九十]+)(?:年|月|日)[\d〇一二三四五六七八九十年月日号]*$|",
        r"^[^，。；]{1,20}(?:计划|力争|争取|预计|确保|拟)(?:到|至|于|在)?(?:\d+|[〇一二三四五六七八九十]+)年[^，。；]{0,3}$"
    ))
    .expect("dated predicate pattern")
});

/// Whether a sentence ending with `clause` ends on a colon, leading into what follows
/// (`我至亲至爱的人：`): it is no sentence of its own.
pub(super) fn leads_into(clause: &str) -> bool {
    text::trim(clause).ends_with(['：', ':'])
}

/// A clause that ends on where someone goes (`马茂6日下午前往天安门广场`, `来到…烈士陵园`), before
/// one that says what they did there ([`DOES_THERE`]): the visit is for that, and a run does not
/// stop between them.
pub(super) static GOES_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:前往|来到|赶赴|奔赴|赶到)[^，。；]{1,16}$").expect("going-to pattern"));

/// What is done where someone went ([`GOES_TO`]): `向人民英雄纪念碑敬献花圈`, `看望慰问…`.
pub(super) static DOES_THERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:向|为|看望|慰问|参加|出席|考察|调研|指导|检查|察看|瞻仰|参观|祭扫|凭吊)")
        .expect("done-there pattern")
});

/// What someone does, says or is, said without who (`是…营城子每周一次的大集日子`, `正站在…交汇点上`, `明确提出…`, `主持召开…`,
/// `赞赏并支持…`, `非常感谢…`, `对…工作作出全面部署`, `对中国人民积极抗击疫情表示支持`, `代表习近平总书记和党中央看望…`, a verb and what it did,
/// `危害了村民健康`, `既讲清了…`; what is where, `安葬着…遗骨`, cut from `在…赭山上，`): a clause that opens so after a
/// frame that held its subject (`习近平总书记在参加审议时，明确提出…`, `埃塞俄比亚总统表示，赞赏…`, `…书记王沪宁22日上午，代表…`,
/// `由于山寨食品…难以有保障，危害了…`, `…接受本报记者采访时，对…表示支持`) has lost it.
pub(super) static PREDICATE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:是[^否的]|正(?:站在|处在|处于|走在|迈向)|为[^，。；]{1,20}(?:送去|送来|送上|带来|捐赠|献上)|明确提出|提出|强调|指出|主持|出席|会见|看望|慰问|考察|视察|发表|作出|签署|宣布|来到|走进|",
        r"(?:高度|充分|积极)?(?:赞赏|赞扬|评价|肯定)|感谢|祝贺|欢迎|坚信|相信|愿意|愿同|愿与|愿为|希望|勉励|代表(?:习近平|党中央|中共中央|国务院|中央军委)|",
        r"(?:非常|十分|特别|衷心|由衷|真诚|诚挚)地?(?:感谢|赞赏|赞扬|祝贺|欢迎|期待|希望|高兴|钦佩|敬佩)|",
        r"对[^，。；]{1,30}(?:作出|做出|进行|开展|给予|提出)(?:了)?(?:全面|具体|专门|系统)?(?:部署|安排|要求|批示|指示)|",
        r"对[^，。；]{1,30}(?:表示|表达|致以)|向[^，。；]{1,30}(?:敬献|献上|致以|转达|通报|颁发|授予)|可(?:于|在|以|通过|按|凭|参照|根据)|",
        r"(?:安葬|坐落|悬挂|收藏|矗立|陈列|摆放|生活|居住|长眠|伫立|耸立|屹立|珍藏|保存|存放|镌刻|铭刻|停放|住|挂|摆|放|写|刻|印|贴|躺|停)着|",
        r"(?:既[^然要是，。；]|又|也|有效|切实|不断|大大|明显|显著|极大地?)?\p{Han}{2}了[^解，。；])"
    ))
    .expect("predicate opening pattern")
});

/// A demand (`要坚持问题导向`, `必须…`, `应当…`; not `要求`, `要闻`, `要素`, `要么`, `要是`):
/// cut from after the clause that says who makes it (`韩正强调，`), a run would open on
/// a demand no one makes.
pub(super) static DEMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:要[^求闻素点害紧么是不冲塞职件员务地犯案领]|必须|务必|应当|应该)").expect("demand pattern")
});

/// A clause that ends on someone speaking (`韩正强调`, `会议指出`, `他表示`): what follows is
/// what they said, and theirs.
pub(super) static SPEAKS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:说|表示|指出|认为|强调|要求|提出|希望|指示|部署)$").expect("speaker pattern"));

/// A clause that says what follows from a condition the clause before it sets (`列车运行就会不够平稳`,
/// `老百姓的舒服度就好一点`, `才能赢得信任`, `则是…下半篇文章`): a run cut from the sentence neither opens on it, having
/// left the condition behind (`当钢轨廓形偏离目标廓形时，`), nor stops before it, on the condition alone
/// (`我们不舒服一点、不自在一点。`).
pub(super) static CONSEQUENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[^，。；]{0,12}(?:就|便|才)(?:会|能|可以|可|要|将|好|更|越|不)|则)").expect("consequence pattern")
});

/// A place in a ranking (`位列第132位`, `排名第三`): without the list it is a place in, which a
/// frame cut from the sentence named (`在…“中国企业500强”榜单上，`), it says nothing.
pub(super) static RANK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"位列|名列|位居|跃居|排名(?:第|前|跃升|上升|提升|升至)|排在第|排第|居第|列第").expect("rank pattern")
});

/// Whether `sentence` opens on a demand ([`DEMAND`]: `要统筹做好…`, `必须坚持…`): the clause
/// that says who makes it is in a sentence before.
pub fn opens_on_demand(sentence: &str) -> bool {
    text::clauses(sentence).first().is_some_and(|clause| DEMAND.is_match(words_of(clause)))
}

/// `pieces` of a summary, in article order, with those that open on a demand
/// ([`opens_on_demand`]: `要深化…`) after those that do not, which say who makes it
/// (`…举行第十三次集体学习。要深化…`); each group keeps its order. `text` gives a piece's words.
pub fn demands_last<'a, T>(pieces: &mut [T], text: impl Fn(&T) -> &'a str) {
    pieces.sort_by_key(|piece| opens_on_demand(text(piece)));
}

/// Whether `words`, a clause without its break, opens someone's words: a quotation that runs to
/// its end or past it (`“到了奥运年，`), not a name in quotation marks (`“十三五”规划明确的…`).
pub(super) fn opens_quotation(words: &str) -> bool {
    let inner = words.strip_suffix(['”', '」']).unwrap_or(words);
    words.starts_with(['“', '「']) && !inner.contains(['”', '」'])
}

/// What answers a condition or a concession ([`CONDITION`]): `…就…`, `…则…`, `…会…`, `…应…`,
/// `…才…`, `…但…`, `…都…`, in a clause after it.
pub(super) static ANSWERS_CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"就|便|则|那么|会|能|将|应|要|可以|才|必|需|须|为宜|但|却|仍|都|也|还").expect("answer pattern")
});

/// A clause that goes on with the items of a condition (`既生长四方花木，又能产南北水果` after
/// `如果在中国找一个县，`): it answers nothing.
static CONDITION_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:既|又|或者|或是|或|以及|并且|而且|和|且)").expect("condition item pattern"));

/// Whether `words`, a clause without its break, opens a condition ([`CONDITION`]) that the rest
/// of the clause does not answer ([`ANSWERS_CONDITION`]): a clause after it must.
pub(super) fn opens_condition(words: &str) -> bool {
    CONDITION.find(words).is_some_and(|condition| !ANSWERS_CONDITION.is_match(&words[condition.end()..]))
}

/// Whether what a clause says answers a condition or concession before it
/// ([`ANSWERS_CONDITION`]), and is no item of the condition itself ([`CONDITION_ITEM`]).
pub(super) fn answers_condition(words: &str) -> bool {
    !CONDITION_ITEM.is_match(words) && ANSWERS_CONDITION.is_match(words)
}

/// A clause that only says amid what a scene is set (`皑皑白雪间`): after a place, it sets the
/// scene further (`…平房门口，皑皑白雪间，几名…“红马甲”格外显眼`).
pub(super) static AMID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^，。；是有了着过在]{2,6}间$").expect("amid pattern"));

/// A clause that only says who is at what (`中国选手杨滨瑜（右）在比赛中`, `…孙智博在甲组男子500米
/// 预赛中`): a photograph's caption, which the picture completes, and which tells no deed; the
/// sentence after it does (`当日，…杨滨瑜以30分的成绩夺得金牌。`).
pub(super) static AT_AN_EVENT_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^，。；在]{1,30}在[^，。；]{0,20}(?:比赛|预赛|决赛|半决赛|复赛|资格赛|训练|演出|表演|排练)中$")
        .expect("caption pattern")
});

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
pub(super) fn left_unfinished(clause: &str) -> bool {
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
