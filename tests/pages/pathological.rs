//! Pages as OCR and exports really produce them, at their worst: one sentence of clauses that
//! never ends, a line without punctuation, a page of one-character lines or of nothing but
//! headlines, brackets that never close, mixed scripts, and UTF-16 with lone surrogates.
//! Shared by the pathological-input tests and the bench that times them.

/// One generated page: a file name and its bytes.
pub struct Page {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// Common characters to build text from.
const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

/// A small deterministic generator (xorshift), so that every run reads the same pages.
struct Chars {
    han: Vec<char>,
    state: u64,
}

impl Chars {
    fn new(seed: u64) -> Chars {
        Chars { han: HAN.chars().collect(), state: seed.max(1) }
    }

    fn below(&mut self, n: usize) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (self.state % n as u64) as usize
    }

    /// `n` characters of Chinese text without punctuation.
    fn run(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                let at = self.below(self.han.len());
                self.han[at]
            })
            .collect()
    }

    /// A clause of 4 to 12 characters.
    fn clause(&mut self) -> String {
        let n = 4 + self.below(9);
        self.run(n)
    }
}

/// One sentence of clauses (commas, never a full stop) of about `bytes` bytes under a headline.
fn clauses_of_bytes(chars: &mut Chars, bytes: usize) -> String {
    let mut page = String::from("长句测试\n\n\u{3000}\u{3000}");
    while page.len() < bytes {
        page.push_str(&chars.clause());
        page.push('，');
    }
    page.push('\n');
    page
}

/// The pathological pages; `huge` adds the 31 MB one.
pub fn pages(huge: bool) -> Vec<Page> {
    let mut chars = Chars::new(0x5eed);
    let mut pages = Vec::new();
    if huge {
        let bytes = clauses_of_bytes(&mut chars, 31 << 20).into_bytes();
        pages.push(Page { name: "clauses-31mb.txt", bytes });
    }
    let clauses: Vec<String> = (0..20_000).map(|_| chars.clause()).collect();
    let page = format!("分句测试\n\n\u{3000}\u{3000}{}\n", clauses.join("，"));
    pages.push(Page { name: "clauses-20000.txt", bytes: page.into_bytes() });
    let page = format!("无标点\n\n\u{3000}\u{3000}{}\n", chars.run(350_000));
    pages.push(Page { name: "line-1mb.txt", bytes: page.into_bytes() });
    let lines: String = (0..100_000).map(|_| format!("{}\n", chars.run(1))).collect();
    pages.push(Page { name: "lines-100000.txt", bytes: lines.into_bytes() });
    let headlines: String = (0..10_000)
        .map(|_| {
            let n = 6 + chars.below(11);
            format!("{}\n", chars.run(n))
        })
        .collect();
    pages.push(Page { name: "headlines-10000.txt", bytes: headlines.into_bytes() });
    let nested = format!(
        "嵌套括号\n\n\u{3000}\u{3000}{}内容。{}\n\u{3000}\u{3000}{}{}\n",
        "“（《【「".repeat(5_000),
        "」】》）”".repeat(5_000),
        "（".repeat(20_000),
        "文字，".repeat(100)
    );
    pages.push(Page { name: "nested.txt", bytes: nested.into_bytes() });
    let mixed: String = (0..3_000)
        .map(|_| {
            format!(
                "{} Hello мир ١٢٣ 😀👍🏽 e\u{301}\u{302}\u{303} \u{915}\u{94d}\u{937} 👨\u{200d}👩\u{200d}👧\u{200d}👦。",
                chars.run(5)
            )
        })
        .collect();
    pages.push(Page { name: "mixed.txt", bytes: format!("混合文字\n\n\u{3000}\u{3000}{mixed}\n").into_bytes() });
    let text = format!("代理对测试\n\n\u{3000}\u{3000}{}\n", "今天天气很好，我们去公园。".repeat(400));
    let mut units: Vec<u16> = text.encode_utf16().collect();
    // Lone surrogates, high and low, one in 500 code units.
    for (k, at) in (100..units.len()).step_by(500).enumerate() {
        units[at] = if k % 2 == 0 { 0xD800 } else { 0xDC00 };
    }
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    pages.push(Page { name: "utf16-surrogates.txt", bytes });
    pages
}
