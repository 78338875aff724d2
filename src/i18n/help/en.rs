//! English help texts the doc comments on the clap structs lack or cannot give.

/// English texts the doc comments lack or cannot give (a global option per command).
pub const EN: &[(&str, &str)] = &[
    (
        "--term",
        "The TUI's assessed term (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "--policy",
        "The TUI's policy: a preset id or a policy file (default: the database's)",
    ),
    (
        "evaluate --term",
        "Term to evaluate (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "evaluate --policy",
        "Policy to evaluate with: a preset id or a policy file (default: the database's)",
    ),
    (
        "evaluate --format",
        "table (aligned), json (for scripts) or csv (for Excel)",
    ),
    (
        "export --term",
        "Term to export (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "export --policy",
        "Policy to evaluate with: a preset id or a policy file (default: the database's)",
    ),
    (
        "issue --term",
        "Term whose warnings are recorded (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "issue --policy",
        "Policy to evaluate with: a preset id or a policy file (default: the database's)",
    ),
    (
        "issue --date",
        "Issue date, obligations run from it (default: today): YYYY-MM-DD, or today, yesterday, +3d, -2d, mon … sun, 周一 … 周日",
    ),
    (
        "report --term",
        "Term whose warned students are followed (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "report --policy",
        "Policy to evaluate with: a preset id or a policy file (default: the database's)",
    ),
    ("report --format", "table (aligned) or json (for scripts)"),
    (
        "exempt add --term",
        "Term of the exemption (YYYY-YYYY-N, e.g. 2024-2025-2); required",
    ),
    ("exempt add STUDENT_ID", "The student's id (学号)"),
    (
        "exempt add --note",
        "Why, in words (kept with the exemption)",
    ),
    (
        "exempt add --until",
        "Last day of the exemption (default: the end of the term): YYYY-MM-DD, or today, +30d, +4w, fri, 周五 …",
    ),
    ("exempt list", "List the exemptions, with their ids"),
    (
        "exempt lift",
        "Lift an exemption: the student's follow-ups are due again",
    ),
    (
        "exempt lift ID",
        "The exemption's number, as `exempt list` shows it",
    ),
    (
        "import FILE",
        "The registrar's export: CSV or TSV (UTF-8, GBK or GB18030, detected), XLSX or XLS",
    ),
    ("log STUDENT_ID", "The student's id (学号)"),
    (
        "log --date",
        "When it happened (default: now): YYYY-MM-DD or YYYY-MM-DD HH:MM, or now, today, yesterday, -2d, and a time after a word (yesterday 16:00)",
    ),
    ("log --place", "Where it happened (学工办, 宿舍, phone …)"),
    (
        "log --next",
        "Next talk, scheduled as a once-off talk due that day: YYYY-MM-DD, or tomorrow, +7d, +1w, mon … sun, 周一 … 周日 (counted from the contact's day)",
    ),
    (
        "contacts STUDENT_ID",
        "Only this student's (default: everyone's)",
    ),
    ("contacts --format", "table (aligned) or json (for scripts)"),
    ("agenda --format", "table (aligned) or json (for scripts)"),
    (
        "policy show ID",
        "A preset id (hljjz, qzu, lut-life, hntou)",
    ),
    ("policy check FILE", "The policy file (TOML) to check"),
    (
        "policy use ID_OR_FILE",
        "A preset id, or a policy file (TOML)",
    ),
    ("term set TERM", "The term (YYYY-YYYY-N, e.g. 2024-2025-2)"),
    (
        "term set --start",
        "First day of the term: YYYY-MM-DD, or today, +3d, mon … sun, 周一 … 周日",
    ),
    (
        "term set --end",
        "Last day of the term: YYYY-MM-DD, or today, +3d, mon … sun, 周一 … 周日",
    ),
    (
        "--today",
        "Fixes \"today\" for the whole program (YYYY-MM-DD; also $YUJING_TODAY)",
    ),
    ("course restore STUDENT", "Student id (学号)"),
    ("course restore CODE", "Course code (课程代码)"),
    (
        "course list STUDENT",
        "Only this student's (default: everyone's)",
    ),
    ("coverage --format", "table (aligned) or json (for scripts)"),
    ("notices approve --class", "Only this class's drafts"),
    (
        "notices approve --student",
        "Only this student's draft (repeatable, or a comma list)",
    ),
    (
        "notices list --format",
        "table (aligned) or json (for scripts)",
    ),
    ("notices show STUDENT_ID", "Student id (学号)"),
    ("notices short COLLEGE", "The college (学院) as imported"),
    (
        "notices short SHORT",
        "Its short name in notice numbers (e.g. 生科)",
    ),
    (
        "notices days --deliver",
        "Days from approval until an undelivered notice is overdue (default 7)",
    ),
    (
        "notices days --receipt",
        "Days from approval until a missing parent receipt is overdue (default 14)",
    ),
    (
        "record CONTACT_ID",
        "The contact's id (as `log` and `contacts` print it)",
    ),
    ("record --out", "The .docx file to write"),
    ("plan STUDENT_ID", "Student id (学号)"),
    ("plan --out", "The .docx file to write"),
    ("confirm STUDENT_ID", "Student id (学号)"),
    (
        "template export DIR",
        "Folder to write the templates into (must exist)",
    ),
    ("template export --force", "Replace existing files"),
    (
        "template import DIR",
        "Folder holding the NAME.txt templates",
    ),
    ("user add LOGIN", "The account's login name on this server"),
    ("user add --name", "The person's name (as shown to others)"),
    ("user edit LOGIN", "The account's login name on this server"),
    ("user edit --name", "The person's name (as shown to others)"),
    (
        "user list --format",
        "table (aligned) or json (for scripts)",
    ),
    ("user remove LOGIN", "The account's login name"),
    ("audit --student", "Only lines about this student"),
    ("audit --user", "Only lines by this login"),
    ("audit --format", "table (aligned) or json (for scripts)"),
    (
        "exempt add --policy",
        "Policy to evaluate with (is the student warned?): a preset id or a policy file (default: the database's)",
    ),
    (
        "notices --term",
        "Term of the notices (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "notices --policy",
        "Policy whose notice rules and templates apply: a preset id or a policy file (default: the database's)",
    ),
    (
        "record --term",
        "Term the form is filled for (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "record --policy",
        "Policy whose talk record form is used: a preset id or a policy file (default: the database's)",
    ),
    (
        "plan --term",
        "Term of the warning the plan answers (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "plan --policy",
        "Policy whose study plan form is used: a preset id or a policy file (default: the database's)",
    ),
    (
        "confirm --term",
        "Term of the warning list entry (YYYY-YYYY-N, e.g. 2024-2025-2; default: the newest term with grades)",
    ),
    (
        "template --policy",
        "Policy whose templates are exported or replaced: a preset id or a policy file (default: the database's)",
    ),
];
