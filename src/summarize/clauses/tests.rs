//! Runs cut from real newspaper sentences: where they may open and stop, and what they keep.

use super::alone::*;
use super::clause::*;
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
    let praise = "泰国总理巴育表示，高度赞赏中国在疫情防控方面付出的不懈努力，相信中国一定能打赢疫情防控阻击战。";
    assert!(texts(praise).iter().all(|t| !t.starts_with("高度赞赏")), "{:?}", texts(praise));
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
        "仅3天时间，",
        "能不能砥砺志气、激发意气，",
        "种种凛然意气、凌云志气、冲天豪气，",
        "一听到广播，",
        "提出问题是否聚焦、反映情况是否准确，",
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
        "这本书通俗易懂，一看就懂，",
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
        ("宋涛7日在北京会见由国民议会议员、法中友好小组主席，亚洲事务负责人陈文雄率领的法国青年议员团。", "小组主席。"),
        ("刘鹤在美国华盛顿分别会见国际货币基金组织总裁格奥尔基耶娃，世界银行行长马尔帕斯。", "格奥尔基耶娃。"),
    ] {
        assert!(texts(s).iter().all(|t| !t.ends_with(stop)), "{:?}", texts(s));
    }
    let whether = texts("能否把决策部署落实落细，把防控工作做实做好，关键在于抓落实。");
    assert!(whether.iter().all(|t| !t.starts_with("能否") || t.ends_with("抓落实。")), "{whether:?}");
    assert!(whole_reads_alone("能否发现和使用好“李云龙式”干部，是一个地方为干事者撑腰的重要标尺。"));
    // A condition answered within the run, or by the sentence's end, is whole.
    let answered = "只要肯干就能致富，村里的年轻人都回来了，办起了合作社。";
    assert!(texts(answered).iter().any(|t| t == "只要肯干就能致富，村里的年轻人都回来了。"), "{:?}", texts(answered));
    assert!(whole_reads_alone("如果变公路运输为铁路运输，每1亿吨货物运输1公里，大约能减排7500吨二氧化碳。"));
    // No run opens on the second half of a phrase, on what is where cut from the place, on
    // the verse after `这正是`, or on a modal without its subject.
    for (s, start) in [
        ("宋涛7日在北京会见由国民议会议员、法中友好小组主席，亚洲事务负责人陈文雄率领的法国青年议员团。", "亚洲事务"),
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
    assert!(texts(purpose).iter().all(|t| !t.starts_with("帮助") && !t.ends_with("效率。")), "{:?}", texts(purpose));
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
        (
            "“我们修建的三座大坝成为新纸币的背景图了！”三峡中水电承建的大坝项目工地上，这一消息迅速传遍了每个角落。",
            "工地上",
        ),
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
        // Words or a scene the next sentences give.
        "在今年的春节团拜会上，习近平总书记这样深情回望。",
        "朋友圈里，武汉市民这样相互鼓励。",
        "傍晚时分，在小区门口，记者看见这样一幕。",
        "结束了一天的志愿工作，肖皓源在朋友圈里写下这句话。",
    ] {
        assert!(!whole_reads_alone(ahead), "{ahead}");
    }
    assert!(!points_ahead("老周就是这样的人。") && !points_ahead("只有这样做，才能赢得群众的信任。"));
    assert!(!points_ahead("老周是这样说的。") && whole_reads_alone("老周是这样说的，也是这样做的。"));
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
        assert!(all.iter().all(|t| !t.ends_with("年。") && !t.ends_with("月。") && !t.ends_with("记者。")), "{all:?}");
        assert!(all.contains(&when.to_owned()), "{all:?}");
    }
    assert!(can_end("他们在2019年，") && !can_end("2019年，") && !can_end("今年以来，"));
    // A clause is judged by how its last sentence goes on, where a quotation holds several.
    assert!(!can_end("是中国历史性的万里长征结束的那一年。1949年，") && can_end("这是我们的责任。我们会坚持下去，"));
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

#[test]
fn runs_say_what_their_setting_leads_to() {
    let texts = |s: &str| -> Vec<String> { runs(s, 80, 6, usize::MAX).into_iter().map(|r| r.text).collect() };
    // A scene, a subject or a cause is no sentence without what the sentence says of it.
    for (sentence, fragment) in [
        ("2019年底，重庆黔江区石家镇茶溪村的建档立卡贫困户杨森，搬到了离城区5分钟公交车程的易地扶贫搬迁安置点。", "杨森。"),
        ("2月15日上午9时，河北廊坊永丰道居安里平房门口，皑皑白雪间，几名坚守疫情防控一线的“红马甲”格外显眼。", "白雪间。"),
        ("2月6日，肯尼亚首都内罗毕马萨雷贫民窟，当地10所学校的上千名中小学生举着亲手绘制的祝福标语，齐聚广场。", "贫民窟。"),
        (
            "习近平主席三年前的演讲之所以重要，是因为在世界经济深刻调整、单边主义和贸易保护主义抬头的背景下，习近平主席向世界展示了中国对开放型世界经济的坚定支持。",
            "背景下。",
        ),
        ("做好2020年“三农”工作总的要求是，坚持以习近平新时代中国特色社会主义思想为指导。", "要求是。"),
        ("虽然做了重重防护，但持续密切接触感染病患，再加上频繁倒班和每天高强度工作，她的身体吃不消了。", "高强度工作。"),
        ("我们一起听听五位社区党委书记，讲述他们这段日子的战“疫”故事。", "党委书记。"),
        ("李克强在贺电中说，愿同苏丹政府携手努力，以两国建交60周年为新起点，推动中苏关系不断发展。", "新起点。"),
        ("日前，郴州山地救援队队员冒着冷风细雨，利用专业工具降落到近百米深的悬崖谷底，将垃圾清理干净。", "冷风细雨。"),
        ("正是编剧李宝群、潘乃奇秉持着“从生活中打捞剧本”的理念，跳出了扶贫戏、工匠戏的窠臼。", "的理念。"),
        ("冬季风干物燥，用火用电用气增多，特别是临近春节，燃放烟花爆竹将带来更多火灾风险。", "临近春节。"),
        ("中央气象台预计，受冷暖空气共同影响，5日夜间至7日，华北将有大范围雨雪天气。", "至7日。"),
        ("党的十九届四中全会《决定》提出的一系列制度、体制、机制，都是长期探索的结果。", "机制。"),
        ("由文化和旅游部牵头办理的重点督办建议“推动中国传统工艺振兴”，有效提升了社会各界的认识。", "振兴”。"),
        ("与此项工作密切相关的生态环境部、国家发改委等15个部门，将联合开展督查。", "15个部门。"),
        ("应急管理部消防救援局提醒公众，冬季风干物燥，做好火灾防范刻不容缓。", "提醒公众。"),
        ("军队增派2600名医护人员支援武汉，参照武汉火神山医院运行模式，承担确诊患者医疗救治任务。", "运行模式。"),
        ("A4纸的厚度只有0.1毫米，而太原钢铁（集团）有限公司研发的“手撕钢”，厚度只有0.02毫米。", "“手撕钢”。"),
    ] {
        let all = texts(sentence);
        assert!(!all.is_empty() && all.iter().all(|t| !t.ends_with(fragment)), "{sentence}: {all:?}");
    }
    // A run that refers to what its sentence said before it has lost that.
    let asked = "28日，国家卫健委召开新闻发布会，集中解答了上述问题。";
    assert!(texts(asked).iter().all(|t| !t.contains("上述")), "{:?}", texts(asked));
    assert!(texts(asked).contains(&"28日，国家卫健委召开新闻发布会。".to_owned()), "{:?}", texts(asked));
    // A purpose is carried on by each aim after it, and a run does not stop on one.
    let purpose = "经国务院批准，为加强疫情防控工作，有效减少人员聚集，阻断疫情传播，延长2020年春节假期至2月2日。";
    let all = texts(purpose);
    assert!(all.iter().all(|t| !t.ends_with("疫情传播。")) && all.iter().any(|t| t.starts_with("延长")), "{all:?}");
    // A clause that says what something is frames nothing, however it ends; a run that opens
    // on its copula has lost what it speaks of.
    let today = "经历七十载砥砺奋进，今日之中国，正站在实现“两个一百年”奋斗目标的历史交汇点上。";
    assert!(texts(today).iter().all(|t| !t.starts_with("正站在")), "{:?}", texts(today));
    let raised = "由文化和旅游部牵头办理的重点督办建议“推动中国传统工艺振兴”，有效提升了社会各界的认识。";
    assert!(texts(raised).iter().all(|t| !t.starts_with("有效提升")), "{:?}", texts(raised));
    let gift = "日前，第七届红樱桃“冬日针爱”志愿行动走进重庆市巫溪县通城镇，为山区的孩子们送去爱心织物。";
    assert!(texts(gift).iter().all(|t| !t.starts_with("为山区")), "{:?}", texts(gift));
    let market = "1月12日，是辽宁省大连市甘井子区营城子每周一次的大集日子，当地人纷纷来到集市上。";
    assert!(texts(market).iter().all(|t| !t.starts_with("是")), "{:?}", texts(market));
    let shown = "这是疫情防控期间，“长安号”中欧班列一次货物快速查验装列的过程。";
    assert_eq!(opening_clauses(shown), 0);
    assert!(texts(shown).iter().all(|t| !t.starts_with("“长安号”")), "{:?}", texts(shown));
}
