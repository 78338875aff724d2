//! Word lists: people's names, places, colleges, majors and course names. Every character
//! here must be encodable in GBK (the GBK writers refuse anything else), so the lists keep to
//! common characters.

use super::rng::Rng;

/// Common surnames, the most frequent first (listed twice to weight them up).
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "王", "李", "张", "刘", "陈", "徐",
    "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯",
    "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡",
    "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛",
    "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万",
];

/// Characters used in students' given names.
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "华", "玉", "萍", "红", "玲", "燕", "彬", "鑫", "宇", "浩", "然",
    "欣", "怡", "佳", "琪", "子", "轩", "梓", "涵", "晨", "雨", "思", "博", "文", "嘉", "俊", "瑶",
    "婷", "雪", "鹏", "飞", "昊", "天", "诺", "泽", "凯", "一", "睿", "航", "宁", "晓", "悦", "颖",
    "帆", "蕾", "倩", "阳", "乐", "安", "志", "翔", "琳", "淼", "旭",
];

/// Characters typical of the parents' generation.
const PARENT_GIVEN: &[&str] = &[
    "建国", "建华", "国强", "志明", "秀兰", "淑芬", "红梅", "卫东", "海燕", "春花", "桂英", "永刚",
    "丽华", "文军", "爱民", "玉兰", "德胜", "长青", "美华", "振华", "金凤", "立新",
];

const PLACES: &[&str] = &[
    "浙江省衢州市柯城区",
    "甘肃省兰州市七里河区",
    "海南省三亚市吉阳区",
    "黑龙江省哈尔滨市南岗区",
    "河南省郑州市金水区",
    "四川省成都市武侯区",
    "山东省济南市历下区",
    "湖南省长沙市岳麓区",
    "广东省广州市天河区",
    "江苏省南京市鼓楼区",
    "安徽省合肥市蜀山区",
    "江西省赣州市章贡区",
];

const STREETS: &[&str] = &[
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "胜利街",
    "和平路",
    "文化路",
    "新华街",
];

/// A student name: surname plus one or two given-name characters.
pub(crate) fn person(rng: &mut Rng) -> String {
    let mut s = String::from(*rng.pick(SURNAMES));
    s.push_str(rng.pick::<&str>(GIVEN));
    if rng.chance(0.6) {
        s.push_str(rng.pick::<&str>(GIVEN));
    }
    s
}

/// A parent of a student with the given name: same surname (the usual case), older style.
pub(crate) fn parent_of(student: &str, rng: &mut Rng) -> String {
    let surname: String = student.chars().take(1).collect();
    format!("{surname}{}", *rng.pick(PARENT_GIVEN))
}

/// `某老师`, `某辅导员` …: how staff appear in the registrar's rosters.
pub(crate) fn staff(rng: &mut Rng, title: &str) -> String {
    format!("{}{title}", rng.pick(SURNAMES))
}

/// A mainland mobile number; `prefix` keeps students' and parents' numbers apart.
pub(crate) fn phone(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}{:08}", rng.below(100_000_000))
}

pub(crate) fn address(rng: &mut Rng) -> String {
    format!(
        "{}{}{}号",
        rng.pick(PLACES),
        rng.pick(STREETS),
        rng.range(1, 388)
    )
}

/// One major with what only its students take.
pub(crate) struct Major {
    pub college: &'static str,
    pub name: &'static str,
    /// Class names are `{short}{yy}{nn}`, e.g. 生物2301.
    pub short: &'static str,
    pub required: &'static [&'static str],
    pub electives: &'static [&'static str],
}

pub(crate) const MAJORS: &[Major] = &[
    Major {
        college: "生命科学与工程学院",
        name: "生物工程",
        short: "生物",
        required: &[
            "无机化学",
            "有机化学",
            "生物化学",
            "微生物学",
            "细胞生物学",
            "分子生物学",
            "遗传学",
            "发酵工程",
            "生物工程设备",
            "基因工程",
        ],
        electives: &[
            "生物信息学",
            "酶工程",
            "生物制药",
            "仪器分析",
            "生物统计学",
            "免疫学",
        ],
    },
    Major {
        college: "生命科学与工程学院",
        name: "食品科学与工程",
        short: "食品",
        required: &[
            "无机化学",
            "有机化学",
            "食品化学",
            "食品微生物学",
            "食品工程原理",
            "食品营养学",
            "食品工艺学",
            "食品分析",
            "食品安全学",
            "食品机械与设备",
        ],
        electives: &[
            "食品添加剂",
            "功能性食品",
            "粮油加工学",
            "乳品工艺学",
            "食品感官评价",
            "食品包装学",
        ],
    },
    Major {
        college: "计算机与通信学院",
        name: "计算机科学与技术",
        short: "计科",
        required: &[
            "程序设计基础",
            "离散数学",
            "数据结构",
            "计算机组成原理",
            "操作系统",
            "计算机网络",
            "数据库原理",
            "编译原理",
            "软件工程",
            "算法设计与分析",
        ],
        electives: &[
            "Python程序设计",
            "机器学习",
            "Web开发技术",
            "移动应用开发",
            "云计算技术",
            "信息安全",
        ],
    },
    Major {
        college: "计算机与通信学院",
        name: "通信工程",
        short: "通信",
        required: &[
            "电路分析",
            "模拟电子技术",
            "数字电子技术",
            "信号与系统",
            "通信原理",
            "数字信号处理",
            "电磁场与电磁波",
            "移动通信",
            "光纤通信",
            "微机原理与接口技术",
        ],
        electives: &[
            "嵌入式系统",
            "无线传感网络",
            "现代交换技术",
            "射频电路",
            "通信网络安全",
            "天线技术",
        ],
    },
];

/// Required exam courses every major takes (公共必修), interleaved with the major's own.
pub(crate) const COMMON_REQUIRED: &[&str] = &[
    "高等数学",
    "大学英语",
    "线性代数",
    "大学物理",
    "概率论与数理统计",
    "马克思主义基本原理",
    "中国近现代史纲要",
    "毛泽东思想和中国特色社会主义理论体系概论",
];

/// Required coursework (考查) courses.
pub(crate) const COMMON_COURSEWORK: &[&str] = &[
    "思想道德与法治",
    "形势与政策",
    "体育",
    "军事理论",
    "大学生安全教育",
    "劳动教育",
    "大学计算机基础",
    "大学生职业发展与就业指导",
];

/// General electives (通识选修课 / 公选课).
pub(crate) const GENERAL_ELECTIVES: &[&str] = &[
    "大学生心理健康教育",
    "中国传统文化概论",
    "艺术鉴赏",
    "创新创业基础",
    "影视欣赏",
    "书法艺术",
    "音乐欣赏",
    "环境与可持续发展",
    "人工智能导论",
    "演讲与口才",
    "经济学原理",
    "科技写作",
];

/// Practical courses (实践).
pub(crate) const PRACTICALS: &[&str] = &[
    "军事训练",
    "认识实习",
    "金工实习",
    "课程设计",
    "社会实践",
    "专业综合实验",
    "生产实习",
    "毕业实习",
];

/// The fixed student of the demo, so that searching by pinyin initials (`wqb`) shows a hit.
pub(crate) const DEMO_FIXED_NAME: &str = "王清白";
