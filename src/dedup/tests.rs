//! The detector on newspaper-shaped text written for these tests.

use super::*;

const HEADLINE: &str = "青山县建成万亩高标准农田";

/// A report in five paragraphs (written for this test, not taken from any paper).
const BODY: [&str; 5] = [
    "本报青山3月12日电（记者李明）春耕时节，青山县东部平原上，一台台播种机往来穿梭，新修的机耕路纵横交错，灌溉渠里清水潺潺。今年以来，该县整合涉农资金一亿二千万元，新建高标准农田一万二千亩，覆盖十八个行政村，惠及农户六千余户。",
    "“过去地块零碎，机器进不来，浇一次地要排好几天队。”种粮大户王建国站在田埂上说，土地平整以后，他承包的三百亩小麦全部用上了喷灌，每亩节约用水四十立方米，人工成本下降了三成，去年亩产提高到一千一百斤。",
    "县农业农村局负责人介绍，高标准农田建设坚持先规划后建设，统筹推进土地平整、土壤改良、灌溉排水、田间道路和农田防护林网建设，建成一片、验收一片、管护一片。项目区同步安装了土壤墒情监测站和虫情测报灯，农户用手机就能查看地里的温度和湿度。",
    "为了让农田建得好、管得住，该县建立了县乡村三级管护责任制，每个项目区都有专职管护员，管护经费列入财政预算。对于施工质量，县里邀请种粮农户担任义务监督员，发现问题及时整改，群众满意度达到百分之九十六以上。",
    "下一步，青山县将继续推进高标准农田改造提升，力争到明年底累计建成五万亩，并探索发展订单农业和社会化服务，让更多农民在家门口稳定增收，为保障粮食安全贡献力量。",
];

fn article(headline: &str, paragraphs: &[&str]) -> String {
    let body: Vec<String> = paragraphs.iter().map(|p| format!("\u{3000}\u{3000}{p}")).collect();
    format!("{headline}\n\n{}\n", body.join("\n"))
}

fn original() -> String {
    article(HEADLINE, &BODY)
}

/// The two days of one meeting: the same body, names and place, different business.
const MEETING: [&str; 2] = [
    "青山县人大常委会举行第十二次会议\n\n\u{3000}\u{3000}本报讯（记者赵红）青山县第十七届人民代表大会常务委员会第十二次会议3月20日在县城开幕，县人大常委会主任周正主持会议。会议听取了县人民政府关于二〇二三年国民经济和社会发展计划执行情况的报告，听取了县财政局关于本级预算执行情况的报告。\n\u{3000}\u{3000}组成人员认为，过去一年全县经济运行总体平稳，民生支出占财政支出的比重保持在八成左右，同时指出部分乡镇债务负担较重，建议加强预算绩效管理，严控一般性支出。会议还审议了县城市容环境卫生管理办法草案，组成人员就垃圾分类、占道经营等问题提出修改意见。\n",
    "青山县人大常委会第十二次会议闭幕\n\n\u{3000}\u{3000}本报讯（记者赵红）青山县第十七届人民代表大会常务委员会第十二次会议3月21日在县城闭幕，县人大常委会主任周正主持闭幕会。会议表决通过了关于批准二〇二三年县本级决算的决议和县城市容环境卫生管理办法，表决通过了有关人事任免事项。\n\u{3000}\u{3000}周正在讲话中强调，要把学习贯彻会议精神与做好当前各项工作结合起来，紧盯春季农业生产、安全生产和信访稳定，加强对新法规实施情况的跟踪监督，确保法规落地见效。会后，县人大常委会组织组成人员开展了宪法宣誓仪式，新任命的三名局长向宪法宣誓。\n",
];

fn detector() -> Detector {
    Detector::new(Settings::default())
}

/// Whether `copy`, read after the original, is found to be its copy.
fn copy_of_original(copy: &str) -> Option<Duplicate> {
    let mut d = detector();
    assert_eq!(d.check("original", &original(), None), None);
    d.check("copy", copy, None)
}

fn assert_copy(copy: &str, what: &str) {
    let found = copy_of_original(copy).unwrap_or_else(|| panic!("{what}: not found"));
    assert_eq!(found.of, "original", "{what}");
}

#[test]
fn a_reparagraphed_copy_is_a_copy() {
    // One paragraph of all, then split again elsewhere, with other indentation.
    let joined = BODY.concat();
    let (left, right) = joined.split_at(joined.find("县农业农村局").expect("a sentence to split at"));
    assert_copy(&format!("{HEADLINE}\n  {left}\n\n  {right}"), "re-paragraphed");
}

#[test]
fn a_copy_under_another_headline_is_a_copy() {
    assert_copy(&article("小块田变成大块田 一亩地省下四十方水", &BODY), "retitled");
}

#[test]
fn a_copy_cut_to_seventy_percent_is_a_copy() {
    let cut = article(HEADLINE, &BODY[..3]);
    let share = shingles::normalise(&cut).len() as f32 / shingles::normalise(&original()).len() as f32;
    assert!((0.6..0.75).contains(&share), "the cut keeps {share}");
    assert_copy(&cut, "cut");
}

#[test]
fn a_copy_with_one_character_in_a_hundred_changed_is_a_copy() {
    let mut chars: Vec<char> = original().chars().collect();
    let han: Vec<usize> = (0..chars.len()).filter(|&i| crate::text::is_han(chars[i])).collect();
    for &i in han.iter().step_by(100) {
        chars[i] = if chars[i] == '的' { '地' } else { '的' };
    }
    assert_copy(&chars.into_iter().collect::<String>(), "noisy");
}

#[test]
fn a_copy_under_another_papers_dateline_is_a_copy() {
    let moved = BODY[0].replace("本报青山3月12日电（记者李明）", "新华社青山3月12日电　");
    let mut body = BODY;
    body[0] = &moved;
    assert_copy(&article(HEADLINE, &body), "dateline");
}

#[test]
fn two_days_of_one_meeting_are_two_stories() {
    let mut d = detector();
    assert_eq!(d.check("day 1", MEETING[0], None), None);
    assert_eq!(d.check("day 2", MEETING[1], None), None);
    assert_eq!(d.stories(), 2);
}

#[test]
fn a_different_story_on_the_same_subject_is_not_a_copy() {
    let other = article(
        "青山县农田水利建设进度过半",
        &[
            "本报青山5月8日电（记者李明）记者从青山县水利局获悉，今年全县安排农田水利项目二十三个，目前已完工十二个，完成投资七千八百万元，新增和恢复灌溉面积四万亩。",
            "在西部丘陵区，施工队正在加紧修建提灌站和蓄水池。县水利局负责人说，丘陵区缺水是制约粮食生产的老问题，今年将新建小型提灌站十五座，解决两万亩旱地的浇水难题，并对老化渠道进行防渗改造。",
        ],
    );
    assert_eq!(copy_of_original(&other), None);
}

#[test]
fn a_copy_names_the_first_occurrence_along_a_chain() {
    let mut d = detector();
    assert_eq!(d.check("monday", &original(), None), None);
    let retitled = article("小块田变成大块田", &BODY);
    assert_eq!(d.check("tuesday", &retitled, None).map(|f| f.of), Some("monday".to_owned()));
    let cut = article("小块田变成大块田", &BODY[..4]);
    assert_eq!(d.check("wednesday", &cut, None).map(|f| f.of), Some("monday".to_owned()));
    assert_eq!(d.stories(), 1, "copies are not indexed");
    assert_eq!(d.check("thursday", MEETING[0], None), None);
    assert_eq!(d.stories(), 2);
}

#[test]
fn vectors_that_disagree_veto_a_copy() {
    let (x, y) = ([1.0f32, 0.0], [0.0f32, 1.0]);
    let mut d = detector();
    assert_eq!(d.check("a", &original(), Some(&x)), None);
    assert_eq!(d.check("b", &original(), Some(&y)), None, "orthogonal vectors");
    assert!(d.check("c", &original(), Some(&x)).is_some(), "the same vector");
    assert!(d.check("d", &original(), None).is_some(), "no vector: shingles alone");
}

#[test]
fn forgotten_stories_are_new_again() {
    let mut d = detector();
    assert_eq!(d.check("old", &original(), None), None);
    assert_eq!(d.check("meeting", MEETING[0], None), None);
    assert_eq!(d.forget_before(1), 1);
    assert_eq!(d.stories(), 1);
    assert_eq!(d.check("again", &original(), None), None, "the original was forgotten");
    assert_eq!(d.check("meeting again", MEETING[0], None).map(|f| f.of), Some("meeting".to_owned()));
    assert_eq!(d.sequence(), 4);
}

#[test]
fn empty_text_is_neither_a_copy_nor_indexed() {
    let mut d = detector();
    assert_eq!(d.check("blank", " 。\n", None), None);
    assert_eq!(d.check("blank again", " 。\n", None), None);
    assert_eq!(d.stories(), 0);
}

#[test]
fn overlap_counts_by_hand() {
    let o = Overlap::of(&[1, 3, 5, 7], &[3, 7, 9]);
    assert_eq!(o, Overlap { a: 4, b: 3, both: 2 });
    assert!((o.containment() - 2.0 / 3.0).abs() < 1e-6);
    assert_eq!(Overlap::of(&[], &[]).containment(), 0.0);
}
