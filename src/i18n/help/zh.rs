//! The Chinese help: the `about` of every command and the `help` of every option.

/// Chinese `about` of every command and `help` of every option.
pub const ZH: &[(&str, &str)] = &[
    ("", "学业预警 — 辅导员用的学业预警工具"),
    (
        "--db",
        "数据库文件（默认：$YUJING_DB，否则数据目录下的 yujing.db）",
    ),
    ("--lang", "界面语言（默认：跟随系统语言设置）"),
    (
        "--today",
        "把“今天”固定为某一天（YYYY-MM-DD；也可用 $YUJING_TODAY）",
    ),
    (
        "--term",
        "界面评估的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "--policy",
        "界面使用的预警政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    (
        "--theme",
        "配色（default、light、high-contrast、ansi16、mono，或配置目录里的主题文件）",
    ),
    (
        "import",
        "导入教务系统导出的文件（任意中文编码的 CSV、TSV、XLSX）",
    ),
    (
        "import KIND",
        "文件内容：students 名单、grades 成绩、absences 旷课、fitness 体测、flags 标记",
    ),
    (
        "import FILE",
        "教务导出的文件：CSV 或 TSV（UTF-8、GBK、GB18030 自动识别）、XLSX 或 XLS",
    ),
    (
        "import --encoding",
        "文件编码（utf-8、gbk、gb18030 …）；不写则自动识别",
    ),
    ("import --sheet", "XLSX 工作表名（默认：第一个工作表）"),
    ("import --dry-run", "只报告会有哪些变化，什么也不写"),
    (
        "import --skip-bad",
        "导入正确的行并列出错误的行（默认：有任何错误行就什么也不写）",
    ),
    ("evaluate", "评估某学期每个学生的预警等级（只读）"),
    (
        "evaluate --term",
        "评估的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "evaluate --policy",
        "评估用的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    (
        "evaluate --format",
        "table（对齐的表格）、json（给脚本）或 csv（给 Excel）",
    ),
    ("evaluate --all", "仅表格：未预警的学生也列出"),
    (
        "export",
        "把该学期的预警名单、不及格课程和联系记录写成 Excel 工作簿",
    ),
    ("export FILE", "要写的工作簿（.xlsx）"),
    ("export --all", "未预警的学生也列出"),
    (
        "export --term",
        "导出的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "export --policy",
        "评估用的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    ("policy", "列出、查看、检查和选用预警政策"),
    ("policy list", "内置政策和数据库当前的政策"),
    (
        "policy show",
        "以 TOML 打印一个政策（可保存、修改，再作为文件使用）",
    ),
    (
        "policy show ID",
        "内置政策编号（hljjz、qzu、lut-life、hntou）",
    ),
    ("policy check", "检查政策文件；错误会指出行号"),
    ("policy check FILE", "要检查的政策文件（TOML）"),
    (
        "policy use",
        "把内置政策或政策文件设为数据库的政策（保存一份文本）",
    ),
    ("policy use ID_OR_FILE", "内置政策编号，或政策文件（TOML）"),
    (
        "demo",
        "用自带的演示数据建一个新的演示数据库并打开（在数据目录里；或在 --db 指定的新文件、以前的演示数据库里；从不使用 $YUJING_DB）",
    ),
    ("demo --no-open", "只建数据库并打印它的位置，不打开"),
    ("demo --demo-policy", "演示数据库使用的政策（默认：hljjz）"),
    ("log", "记录一次联系（谈话、联系家长、送达通知书 …）"),
    ("log STUDENT_ID", "学生的学号"),
    (
        "log --kind",
        "类型：talk 谈话、parent-contact 联系家长、notice-delivered 送达通知书、receipt-returned 收回回执、study-plan 学习计划、tutoring 学业辅导、other 其他",
    ),
    (
        "log --date",
        "发生时间（默认：现在）：YYYY-MM-DD 或 YYYY-MM-DD HH:MM，或 now、today、昨天、-2d，词后可加时间（昨天 16:00）",
    ),
    ("log --with", "对象：student 学生、parent 家长或 both 两者"),
    (
        "log --channel",
        "方式：face-to-face 面谈、phone 电话、wechat 微信、sms 短信、e-mail 邮件、home-visit 家访、letter 信件",
    ),
    (
        "log --role",
        "身份：class-teacher 班主任、counsellor 辅导员、league-secretary 团委书记、deputy-secretary 副书记、helper 帮扶联系人、psych 心理咨询师、leader 学院领导",
    ),
    ("log --note", "谈话内容（摘要）"),
    ("log --place", "地点（学工办、宿舍、电话 …）"),
    ("log --situation", "学生的情况与态度"),
    ("log --actions", "约定的措施"),
    (
        "log --next",
        "下次谈话日期，安排一次当天到期的谈话：YYYY-MM-DD，或 tomorrow、+7d、+1w、mon … sun、周一 … 周日（从这次联系的日期算起）",
    ),
    (
        "log --corrects",
        "更正编号为 ID 的联系记录：旧版本保留并标为已更正",
    ),
    ("schedule", "添加、列出和取消跟进日程"),
    (
        "schedule add",
        "添加一个日程并说明添加了什么（--format json：输出编号）",
    ),
    ("schedule add STUDENT_ID", "学生的学号"),
    (
        "schedule add --kind",
        "要做的事：talk 谈话、parent-contact 联系家长、notice-delivered 送达通知书、receipt-returned 收回回执、study-plan 学习计划、tutoring 学业辅导、other 其他",
    ),
    (
        "schedule add --every",
        "频次，中英文均可：每周/weekly、每月/monthly、每N天/days:N、每学期至少K次/term:K、N天内一次/once:N（--from 之后 N 天内一次）",
    ),
    (
        "schedule add --from",
        "开始日期：YYYY-MM-DD，或 today、tomorrow、+3d、+1w、mon … sun、周一 … 周日",
    ),
    (
        "schedule add --until",
        "结束日期（默认：不结束）：YYYY-MM-DD，或 today、+30d、+4w、fri、周五 …",
    ),
    (
        "schedule add --role",
        "由谁执行：class-teacher 班主任、counsellor 辅导员、league-secretary 团委书记、deputy-secretary 副书记、helper 帮扶联系人、psych 心理咨询师、leader 学院领导",
    ),
    ("schedule add --note", "用途说明"),
    (
        "schedule add --format",
        "table：一句话说明添加了什么；json：{\"schedule_id\", \"student_id\"}",
    ),
    ("schedule list", "列出生效中的日程（某个学生的，或全部）"),
    ("schedule list STUDENT_ID", "只看这个学生的（默认：全部）"),
    (
        "schedule cancel",
        "取消一个日程（仍保存在数据库里，标为已取消）",
    ),
    (
        "schedule cancel ID",
        "日程编号，即 schedule list 显示的编号",
    ),
    ("contacts", "联系记录，最新的在前"),
    ("contacts STUDENT_ID", "只看这个学生的（默认：全部）"),
    ("contacts --format", "table（对齐的表格）或 json（给脚本）"),
    ("contacts --history", "也列出已更正记录的旧版本"),
    ("agenda", "逾期、今天到期和本周到期的跟进"),
    ("agenda --format", "table（对齐的表格）或 json（给脚本）"),
    ("term", "学期起止日期"),
    ("term set", "记录一个学期的第一天和最后一天"),
    ("term set TERM", "学期（YYYY-YYYY-N，如 2024-2025-2）"),
    (
        "term set --start",
        "学期第一天：YYYY-MM-DD，或 today、+3d、mon … sun、周一 … 周日",
    ),
    (
        "term set --end",
        "学期最后一天：YYYY-MM-DD，或 today、+3d、mon … sun、周一 … 周日",
    ),
    (
        "term list",
        "正在使用的学期日期（已记录的，或标明为默认的）",
    ),
    ("issue", "记录该学期的预警，并建立相应的跟进任务"),
    (
        "issue --term",
        "要记录预警的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "issue --policy",
        "评估用的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    (
        "issue --date",
        "下发日期，跟进任务从这天算起（默认：今天）：YYYY-MM-DD，或 today、昨天、+3d、-2d、周一 … 周日",
    ),
    ("issue --yes", "预警与上次下发不同时，不再询问直接重新下发"),
    ("exempt", "为预警学生办理某学期的免于跟进，列出和撤销"),
    ("exempt add", "为学生办理某学期的免于跟进（须写 --term）"),
    ("exempt add STUDENT_ID", "学生的学号"),
    (
        "exempt add --term",
        "免于跟进的学期（YYYY-YYYY-N，如 2024-2025-2）；必填",
    ),
    (
        "exempt add --reason",
        "原因：leave 休学、exchange 交换、transfer 转专业（课程替代）、other 其他",
    ),
    ("exempt add --note", "文字说明（与免于跟进一起保存）"),
    (
        "exempt add --until",
        "免于跟进的最后一天（默认：学期末）：YYYY-MM-DD，或 today、+30d、+4w、fri、周五 …",
    ),
    ("exempt list", "列出免于跟进的学生及编号"),
    ("exempt lift", "撤销免于跟进：该学生的跟进任务重新计算到期"),
    (
        "exempt lift ID",
        "免于跟进的编号，即 exempt list 显示的编号",
    ),
    (
        "report",
        "学期末报告：--term 学期被预警的学生中，哪些已解除预警",
    ),
    (
        "report --term",
        "跟踪其预警学生的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "report --policy",
        "评估用的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    (
        "report --against",
        "与之比较的较晚学期（默认：T 之后有成绩的最新学期）",
    ),
    ("report --format", "table（对齐的表格）或 json（给脚本）"),
    (
        "evaluate --verbose",
        "仅表格：每个学生下面列出每条原因（用规定原文）和每门课的各次成绩（高等数学 4学分：2023-2024-1 正考 40，补考 缺考；2024-2025-1 重修 50）",
    ),
    ("nature", "导入的课程性质，以及学校对未知性质的归类"),
    (
        "nature list",
        "成绩中出现的每种课程性质、它的归类和有多少行成绩",
    ),
    (
        "nature map",
        "记录某个课程性质算作哪一类（对使用本数据库的所有人生效）",
    ),
    ("nature map VALUE", "教务系统写的原文（如 专业核心课）"),
    (
        "nature map CLASS",
        "required 必修、elective 选修、general 通识/公共选修，或 none 不计",
    ),
    (
        "course",
        "手工认定未通过的课程为通过（须写原因）、撤销认定、列出认定",
    ),
    ("course clear", "把一门未通过的课程算作通过，并写明原因"),
    ("course clear STUDENT", "学生的学号"),
    ("course clear CODE", "课程代码"),
    (
        "course clear --reason",
        "原因（如 培养方案调整，以 B000999 替代）",
    ),
    ("course restore", "撤销认定：这门课恢复原来的算法"),
    ("course restore STUDENT", "学生的学号"),
    ("course restore CODE", "课程代码"),
    ("course list", "所有认定，包括已撤销的"),
    ("course list STUDENT", "只看这个学生的（默认：全部）"),
    (
        "evaluate --compare",
        "假设分析：列出按第二个政策（预设编号或文件）等级不同的学生",
    ),
    (
        "export workbook",
        "把预警学生、其不及格课程和联系记录导出为 .xlsx 工作簿",
    ),
    ("export workbook --out", "要写入的工作簿（.xlsx）"),
    ("export workbook --force", "文件已存在时替换"),
    ("export workbook --all", "也列出未预警的学生"),
    (
        "export summary",
        "学业预警学生汇总表：每班一张表，另有全院一张",
    ),
    (
        "export summary --out",
        "要写入的文件：.xlsx（每班一张表及全院一张）或 .csv（全院）",
    ),
    (
        "export summary --tier",
        "只要这一预警级别（编号或中英文名称）",
    ),
    ("export summary --class", "只要这个班级"),
    ("export summary --force", "文件已存在时替换"),
    (
        "log --notice",
        "送达通知书或收回回执所对应的通知编号（默认：该生最近批准的通知）",
    ),
    ("contacts --student", "只看这些学生（可重复，或用逗号分隔）"),
    (
        "issue --force",
        "发布比已发布的最新学期更早的学期（有意重发历史）",
    ),
    (
        "issue withdraw",
        "撤回错误发布的预警（需 --term）：预警留在历史中并标记为已撤回，未完成的跟进义务结束",
    ),
    (
        "issue withdraw --student",
        "只撤回这些学生（可重复，或用逗号分隔）；默认：该学期所有学生",
    ),
    ("issue withdraw --reason", "撤回原因（随预警保存）"),
    ("issue withdraw --yes", "不询问直接撤回（没有终端时必须加）"),
    ("report --out", "写入此文件而不是终端（xlsx 格式必须指定）"),
    ("report --force", "文件已存在时替换"),
    (
        "coverage",
        "每月谈话覆盖率：按辅导员和班主任统计，标出未达要求者",
    ),
    ("coverage --month", "月份（YYYY-MM；默认：本月）"),
    (
        "coverage --format",
        "table（对齐的表格）或 json（供脚本使用）",
    ),
    (
        "coverage --required",
        "本次使用的每月谈话覆盖要求比例（如 10%）",
    ),
    (
        "coverage --set-required",
        "把要求比例存入数据库（如 10%）后退出",
    ),
    ("notices", "预警通知书：批准草稿、列出、打印为 DOCX"),
    (
        "notices --out",
        "存放已批准通知书的文件夹：每人一个 学号-姓名-级别.docx（或用 --merge 每班一个）",
    ),
    (
        "notices --merge",
        "每班一个 班级.docx，便于打印，而不是每人一个文件",
    ),
    ("notices --class", "只要这个班级"),
    ("notices --student", "只要这个学生"),
    ("notices --force", "替换已有文件"),
    ("notices approve", "批准草稿：编号，并开始送达和回执的计时"),
    ("notices approve --class", "只批准这个班级的草稿"),
    (
        "notices approve --student",
        "只批准这个学生的草稿（可重复，或用逗号分隔）",
    ),
    ("notices list", "本学期每份通知书及其状态"),
    (
        "notices list --format",
        "table（对齐的表格）或 json（供脚本使用）",
    ),
    ("notices show", "以纯文本显示某学生的通知书（批准前为草稿）"),
    ("notices show STUDENT_ID", "学号"),
    (
        "notices short",
        "设置学院在通知编号中的简称（默认：学院名称的前两个字）",
    ),
    ("notices short COLLEGE", "导入时的学院名称"),
    ("notices short SHORT", "通知编号中的简称（如 生科）"),
    (
        "notices days",
        "批准后多少天未送达、未收回家长回执即为逾期（本政策）",
    ),
    (
        "notices days --deliver",
        "批准后未送达即逾期的天数（默认 7）",
    ),
    (
        "notices days --receipt",
        "批准后未收回家长回执即逾期的天数（默认 14）",
    ),
    ("record", "把一条谈话记录按预设的谈话记录表导出（DOCX）"),
    (
        "record CONTACT_ID",
        "联系记录编号（log 和 contacts 显示的编号）",
    ),
    ("record --out", "要写入的 .docx 文件"),
    ("record --force", "替换已有文件"),
    ("plan", "预警学生的学习计划表，已预填（DOCX）"),
    ("plan STUDENT_ID", "学号"),
    ("plan --out", "要写入的 .docx 文件"),
    ("plan --force", "替换已有文件"),
    ("confirm", "学生确认预警名单中的本人条目（公布前）"),
    ("confirm STUDENT_ID", "学号"),
    ("template", "导出、导入学校自己的文书模板"),
    (
        "template export",
        "把在用的模板（学校的，否则预设的）写成 名称.txt 文件",
    ),
    ("template export DIR", "写入模板的文件夹（须已存在）"),
    (
        "template export --preset",
        "改为导出某个预设的内置模板（作为自定义政策的起点）",
    ),
    ("template export --force", "替换已有文件"),
    (
        "template import",
        "把 DIR 中的 名称.txt 文件存为本数据库的模板（替换以前的）",
    ),
    ("template import DIR", "存放 名称.txt 模板的文件夹"),
    ("admin", "设置多人共用的数据库；升级数据库结构"),
    (
        "admin init",
        "创建（或转换）一个组共用的数据库：文件夹设 setgid 且组可写，数据库为 0660",
    ),
    (
        "admin init --group",
        "共用数据库的用户组（先用 groupadd 创建）",
    ),
    (
        "admin upgrade",
        "把数据库结构升级到本版 yujing（只读命令从不升级）",
    ),
    ("backup", "在别人继续工作时写出数据库的一致副本"),
    ("backup FILE", "要写入的副本（从不覆盖；权限 0600）"),
    ("restore", "用备份替换数据库（当前内容保存在旁边）"),
    ("restore FILE", "由 yujing backup 写出的备份"),
    ("restore --yes", "不询问直接替换数据库"),
    (
        "check",
        "检查数据库：完整性、外键、结构版本（有损坏时退出码为 1）",
    ),
    ("--as", "以另一用户的身份查看（仅管理员；记入审计）"),
    (
        "log --confidential",
        "保密：只有该生的辅导员、心理老师和管理员能看到内容；从不导出",
    ),
    ("user", "共用数据库的用户：添加、修改、列出、删除（管理员）"),
    (
        "user add",
        "添加用户：user add 登录名 --name 姓名 --role 角色[,角色] [--class 班级] …",
    ),
    ("user add LOGIN", "此服务器上的登录名"),
    ("user add --name", "姓名（给其他人看的）"),
    (
        "user add --role",
        "admin、registrar、leader、counsellor、class-teacher、helper、psych（逗号分隔）",
    ),
    (
        "user add --class",
        "辅导员或班主任负责的班级（可重复，或用逗号分隔）",
    ),
    (
        "user add --student",
        "帮扶联系人负责的学生（可重复，或用逗号分隔）",
    ),
    (
        "user add --college",
        "学院领导负责的学院（可重复，或用逗号分隔）",
    ),
    (
        "user edit",
        "修改用户的姓名、角色或分工（给出的选项替换原值）",
    ),
    ("user edit LOGIN", "此服务器上的登录名"),
    ("user edit --name", "姓名（给其他人看的）"),
    (
        "user edit --role",
        "admin、registrar、leader、counsellor、class-teacher、helper、psych（逗号分隔）",
    ),
    (
        "user edit --class",
        "辅导员或班主任负责的班级（可重复，或用逗号分隔）",
    ),
    (
        "user edit --student",
        "帮扶联系人负责的学生（可重复，或用逗号分隔）",
    ),
    (
        "user edit --college",
        "学院领导负责的学院（可重复，或用逗号分隔）",
    ),
    ("user list", "所有用户及其角色和分工"),
    (
        "user list --format",
        "table（对齐的表格）或 json（供脚本使用）",
    ),
    ("user remove", "删除用户（其以往的联系记录和审计记录保留）"),
    ("user remove LOGIN", "登录名"),
    ("audit", "审计记录：谁在何时改了什么（管理员、学院领导）"),
    ("audit --student", "只看与该学生有关的记录"),
    ("audit --user", "只看该登录名的操作"),
    ("audit --since", "此日期（YYYY-MM-DD）及之后的记录"),
    ("audit --format", "table（对齐的表格）或 json（供脚本使用）"),
    ("archive", "把已毕业年级设为只读，且仅管理员可见"),
    (
        "archive --cohort",
        "年级（与学生名单的年级列一致，如 2019）",
    ),
    ("archive --yes", "不询问直接执行（没有终端时必须加）"),
    ("purge", "保存期满后删除已归档年级的个人数据"),
    ("purge --cohort", "年级（与学生名单的年级列一致，如 2019）"),
    ("purge --yes", "不询问直接执行（没有终端时必须加）"),
    (
        "exempt add --policy",
        "判断是否预警所用的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    (
        "exempt add --format",
        "table：一句话说明办理了什么；json：{\"exemption_id\", \"student_id\", \"term\"}",
    ),
    (
        "log --format",
        "table：一句话说明记录了什么；json：{\"contact_id\", \"student_id\", …}",
    ),
    (
        "issue --format",
        "table：用文字说明下发了什么；json：一个对象，含各项数目，以及按变化编号列出的学生和新预警编号（预览改写到标准错误）",
    ),
    (
        "notices --term",
        "通知书所属的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "notices --policy",
        "使用其通知书规则和模板的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    (
        "record --term",
        "表格所填的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "record --policy",
        "使用其谈话记录表的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    (
        "plan --term",
        "学习计划所对应预警的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "plan --policy",
        "使用其学习计划表的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
    (
        "confirm --term",
        "预警名单条目所属的学期（YYYY-YYYY-N，如 2024-2025-2；默认：有成绩的最新学期）",
    ),
    (
        "template --policy",
        "导出或替换其模板的政策：内置政策编号或政策文件（默认：数据库当前的政策）",
    ),
];
