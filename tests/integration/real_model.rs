//! The real default model, fetched by the product's own code on first use and cached: its
//! vectors must carry meaning. Paraphrases score above unrelated sentences, each query finds
//! its passage, and the e5 prompts change the vectors.

use jianbao::model::source::{self, FetchOptions, ModelSpec, DEFAULT_MODEL};
use jianbao::model::{CandleEncoder, Encoder, Intent, LoadOptions, WeightFormat};

/// The default model, loaded once for all tests of this module.
pub fn default_model() -> &'static CandleEncoder {
    static MODEL: std::sync::OnceLock<CandleEncoder> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| load_default(LoadOptions::default()))
}

/// The default model with its built-in tuned layers, as `--tuned` runs it.
pub fn tuned_default_model() -> &'static CandleEncoder {
    static MODEL: std::sync::OnceLock<CandleEncoder> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| load_default(LoadOptions::tuned_model()))
}

fn load_default(options: LoadOptions) -> CandleEncoder {
    let spec: ModelSpec = DEFAULT_MODEL.parse().unwrap();
    let opts = FetchOptions {
        offline: false,
        wheels: std::env::var_os("JIANBAO_WHEELS").map(Into::into),
        progress: true,
        force: false,
    };
    let dir = source::resolve(&spec, &opts).expect("the default model is fetched and imported");
    CandleEncoder::load(&dir, &options).expect("the default model loads")
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// (sentence, paraphrase, unrelated sentence)
const TRIPLES: [(&str, &str, &str); 6] = [
    (
        "青岛首单创新创业公司债券成功发行，规模5亿元",
        "青岛发行了第一单创新创业公司债，金额五亿元",
        "市民在社区广场晨练时摔倒，摄像头自动通知物业",
    ),
    (
        "今天下午省委宣讲团到企业宣讲党的二十大精神",
        "省委宣讲团成员今天下午深入企业宣讲二十大精神",
        "市乒乓球锦标赛在体育馆开幕",
    ),
    (
        "全市老旧小区已基本实现智慧安防设施全覆盖",
        "智慧安防设施已经覆盖了全市几乎所有老旧小区",
        "两国领导人在首都举行会谈",
    ),
    ("亚运会各项筹办工作正在有序推进", "亚运会的筹备工作进展顺利", "今年前三季度全区固定资产投资增长15%"),
    ("春运期间铁路客流迎来高峰", "春运到来，火车站旅客数量大幅增加", "科学家发现了一种新的深海鱼类"),
    ("农业农村厅公布平安农机示范单位名单", "省里发布了平安农机示范单位的名单", "这部电影在春节档票房领先"),
];

#[test]
fn paraphrases_score_above_unrelated_sentences() {
    let model = default_model();
    for (a, p, u) in TRIPLES {
        let v = model.embed(&[a, p, u], Intent::Passage).unwrap();
        let (para, unrelated) = (dot(&v[0], &v[1]), dot(&v[0], &v[2]));
        assert!(para > unrelated + 0.05, "{a}: paraphrase {para:.3} vs unrelated {unrelated:.3}");
        assert!(para > 0.85, "{a}: a paraphrase should be close, got {para:.3}");
    }
}

#[test]
fn each_query_finds_its_passage() {
    let model = default_model();
    let passages = [
        "青岛财通集团在深圳成功发行青岛首单创新创业公司债券，债券规模为5亿元，票面利率3.50%。",
        "青岛市成功创建全省首批“平安农机”示范市，全省仅有青岛和威海两市入选。",
        "李沧区将智慧化改造与老年友好型社区建设相结合，老人48小时没有刷卡记录，社工就会上门。",
        "全国乒乓球锦标赛在深圳举行，多名主力队员参赛。",
        "两国领导人在首都举行会谈，就双边关系交换意见。",
        "春节快到了，各地举办剪纸、写春联等迎新春活动。",
    ];
    let queries = [
        ("公司债券 利率", 0),
        ("农机 安全 示范", 1),
        ("智慧社区 养老", 2),
        ("乒乓球 比赛", 3),
        ("元首 会谈 外交", 4),
        ("过年 民俗 春联", 5),
    ];
    let p = model.embed(&passages, Intent::Passage).unwrap();
    let q = model.embed(&queries.map(|(q, _)| q), Intent::Query).unwrap();
    for ((query, expected), qv) in queries.iter().zip(&q) {
        let scores: Vec<f32> = p.iter().map(|pv| dot(qv, pv)).collect();
        let best = (0..scores.len()).max_by(|&i, &j| scores[i].total_cmp(&scores[j])).unwrap();
        assert_eq!(best, *expected, "{query}: scores {scores:?}");
    }
}

#[test]
fn prompts_follow_the_intent() {
    let model = default_model();
    let text = ["青岛首单创新创业公司债券发行"];
    let as_query = model.embed(&text, Intent::Query).unwrap();
    let as_passage = model.embed(&text, Intent::Passage).unwrap();
    let same = dot(&as_query[0], &as_passage[0]);
    assert!(same < 0.995, "query: and passage: must give different vectors (cosine {same})");
    assert!(same > 0.8, "but the same meaning (cosine {same})");
}

#[test]
fn int8_weights_keep_the_f32_vectors() {
    // Every sentence of the example page, as passages and as queries: the int8 layers must
    // point the vectors where f32 does (the summaries and the section head read them).
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/qingdao-daily-2022-11-15.txt"))
        .expect("the example page");
    let articles = jianbao::segment::split(&page);
    let sentences: Vec<&str> = articles
        .iter()
        .flat_map(|a| a.paragraphs.iter().flat_map(|p| jianbao::text::sentences(p)).collect::<Vec<_>>())
        .collect();
    assert!(sentences.len() > 50);
    let exact = load_default(LoadOptions { weights: WeightFormat::F32, ..Default::default() });
    let int8 = load_default(LoadOptions { weights: WeightFormat::Int8, ..Default::default() });
    for intent in [Intent::Passage, Intent::Query] {
        let (a, b) = (exact.embed(&sentences, intent).unwrap(), int8.embed(&sentences, intent).unwrap());
        let worst = a.iter().zip(&b).map(|(x, y)| dot(x, y)).fold(f32::INFINITY, f32::min);
        assert!(worst >= 0.995, "{intent:?}: int8 against f32, smallest cosine {worst}");
        assert!(a.iter().zip(&b).any(|(x, y)| x != y), "int8 must not be f32 under another name");
    }
}

/// A column piece (`（快评）`), written for this test: the built-in summary model frames it as
/// the article's argument on e5-small's vectors.
const COLUMN: &str = concat!(
    "文明城市要从细处着手（快评）\n\n",
    "\u{3000}\u{3000}创建文明城市，不能只盯着大工程、大场面。在我们看来，真正决定一座城市文明程度的，",
    "往往是街角的一盏路灯、楼道里的一块告示牌。\n",
    "\u{3000}\u{3000}细处见真章。如果只重视迎检时的突击整治，检查一过便恢复原样，群众自然不会买账。\n",
    "\u{3000}\u{3000}我们认为，文明创建应当回到居民的日常生活中去，让每一处改变都经得起时间检验。\n",
    "\u{3000}\u{3000}说到底，城市是人民的城市，文明创建的成效，最终要由群众来评判。\n",
);

#[test]
fn the_built_in_summary_model_frames_commentary_on_its_own_encoders_vectors_only() {
    use jianbao::model::source::adapter::{Adapter, AdapterManifest};
    use jianbao::summarize::{Budget, Method, Summarizer};
    let article = jianbao::segment::single(COLUMN, None).expect("an article");
    let summarizer = Summarizer::new(Method::Model, Budget::default());
    let plain = default_model();
    let summary =
        |encoder: &CandleEncoder| summarizer.summarize(Some(encoder), &[&article]).expect("summarised").remove(0).text;
    let framed = summary(plain);
    assert!(framed.starts_with("文章认为，"), "{framed}");

    // The same vectors under another encoder's id (an adapter that holds the top layer's own
    // weights): the commentary model does not read them, and nothing is framed.
    let manifest = AdapterManifest::new(plain.id(), vec![11], serde_json::Value::Null);
    let own = plain.layer_weights(11).expect("the top layer").into_iter().collect();
    let options = LoadOptions { adapter: Some(Adapter::new(manifest, own)), ..LoadOptions::default() };
    let relabelled = load_default(options);
    assert_ne!(relabelled.id(), plain.id());
    let unframed = summary(&relabelled);
    assert!(!unframed.starts_with("文章认为，") && !unframed.is_empty(), "{unframed}");
}

#[test]
fn the_tuned_default_model_runs_with_its_tuned_layers_and_their_head_and_summary_model() {
    use jianbao::label::head::Head;
    use jianbao::model::source::adapter::Adapter;
    use jianbao::summarize::learnt::SummaryModel;
    let (plain, tuned) = (default_model(), tuned_default_model());
    let adapter = Adapter::builtin();
    assert_eq!(tuned.id(), adapter.tuned_id(plain.id()));
    // The built-in head and summary model follow the encoder they were made for.
    assert_eq!(Head::builtin_for(tuned.id()).manifest.encoder, tuned.id());
    assert_eq!(Head::builtin_for(plain.id()).manifest.encoder, plain.id());
    assert_eq!(SummaryModel::builtin_for(tuned.id()).encoder, tuned.id());
    assert_eq!(SummaryModel::builtin_for(plain.id()).encoder, plain.id());
    // And the stages `digest` runs take the summary model for their encoder.
    let labeller = jianbao::label::Labeller::Head(Box::new(Head::builtin_for(tuned.id())));
    let stages = jianbao::stages::Stages::digest(tuned, &labeller);
    assert_eq!(stages.summarizer.as_ref().map(|s| s.model.encoder.as_str()), Some(tuned.id()));
    // The tuned layers move the vectors, and int8 keeps the f32 ones.
    let texts = ["青岛首单创新创业公司债券发行", "省委宣讲团成员在青岛宣讲党的二十大精神"];
    let (a, b) = (plain.embed(&texts, Intent::Query).unwrap(), tuned.embed(&texts, Intent::Query).unwrap());
    assert!(a.iter().zip(&b).all(|(x, y)| dot(x, y) < 0.99), "the tuned layers changed nothing");
    let f32 =
        load_default(LoadOptions { weights: WeightFormat::F32, adapter: Some(adapter), ..LoadOptions::default() });
    let c = f32.embed(&texts, Intent::Query).unwrap();
    assert!(b.iter().zip(&c).all(|(x, y)| dot(x, y) > 0.995));
}
