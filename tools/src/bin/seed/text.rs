//! Message text: short questions, long answers with code blocks, in English or Chinese.

use fastrand::Rng;

const EN_TOPICS: &[&str] = &[
    "a Rust borrow checker error",
    "SQLite write-ahead logging",
    "React state that resets on every render",
    "a slow PostgreSQL query",
    "Docker layer caching",
    "async cancellation in Tokio",
    "CSS grid versus flexbox",
    "a Python memory leak",
    "the difference between TCP and UDP",
    "unit tests for a REST client",
    "a regular expression for dates",
    "Git rebase conflicts",
    "Kubernetes readiness probes",
    "binary search on a sorted list",
    "TypeScript generics",
];

const EN_QUESTIONS: &[&str] = &[
    "How do I fix {}?",
    "Can you explain {} in simple terms?",
    "What is the best way to handle {} in production?",
    "I keep running into {}. Any ideas why?",
    "Write a short example that shows {}.",
    "Why does {} happen only on Windows?",
    "Compare two approaches to {} and tell me which one you would pick.",
];

const EN_SENTENCES: &[&str] = &[
    "The short answer is that the compiler cannot prove the reference outlives the value.",
    "In practice this shows up when two parts of the program hold on to the same data.",
    "A common fix is to move the work into its own function and return an owned value.",
    "You can confirm the diagnosis by adding a log line just before the call.",
    "This approach keeps the fast path simple and moves the rare cases out of the way.",
    "Measure first: the bottleneck is rarely where it seems to be.",
    "Note that the default configuration favours safety over throughput.",
    "If the data set is small, the simplest version is also the fastest one.",
    "Each request opens a connection, so the pool size limits how many run at once.",
    "The index lets the database skip most rows instead of reading the whole table.",
    "Keep the error message specific, so the user knows what to do next.",
    "Tests that use the real component catch the problems that mocks hide.",
    "When the input is untrusted, validate it before it reaches the storage layer.",
    "Here is a version that handles the empty case explicitly.",
    "The trade-off is a little more memory for far fewer round trips.",
];

const ZH_TOPICS: &[&str] = &[
    "Rust 的生命周期错误",
    "SQLite 的预写日志模式",
    "React 组件重复渲染",
    "数据库慢查询优化",
    "Docker 镜像体积太大",
    "异步任务的取消",
    "前端页面的响应式布局",
    "Python 内存泄漏",
    "TCP 和 UDP 的区别",
    "接口自动化测试",
    "正则表达式匹配日期",
    "Git 合并冲突",
    "如何写一份好的周报",
    "机器学习模型过拟合",
];

const ZH_QUESTIONS: &[&str] = &[
    "请问怎么解决{}？",
    "能不能用简单的话解释一下{}？",
    "在生产环境里处理{}有什么好办法？",
    "我一直遇到{}的问题，可能是什么原因？",
    "写一个关于{}的简短示例。",
    "请比较两种处理{}的方法，你会选哪一种？",
];

const ZH_SENTENCES: &[&str] = &[
    "简单来说，编译器无法证明这个引用比它指向的值活得更久。",
    "实际开发中，这通常出现在程序的两个部分同时持有同一份数据的时候。",
    "常见的做法是把这段逻辑拆成一个独立的函数，并返回一个拥有所有权的值。",
    "你可以在调用之前加一行日志，来确认问题到底出在哪里。",
    "这样做可以让常见路径保持简单，把少见的情况单独处理。",
    "先测量再优化：瓶颈往往不在你以为的地方。",
    "需要注意的是，默认配置更看重安全性而不是吞吐量。",
    "如果数据量不大，最简单的实现通常也是最快的。",
    "每个请求都会占用一个连接，所以连接池的大小决定了并发数。",
    "有了索引，数据库就可以跳过大部分行，而不必扫描整张表。",
    "错误信息要具体，让用户知道下一步该怎么做。",
    "使用真实组件的测试，能发现模拟对象掩盖的问题。",
    "当输入不可信时，在写入存储之前一定要先校验。",
    "下面这个版本显式地处理了空输入的情况。",
    "代价是多用一点内存，换来的是少得多的往返请求。",
];

const CODE_BLOCKS: &[(&str, &[&str])] = &[
    (
        "rust",
        &[
            "fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {",
            "    if a.len() >= b.len() { a } else { b }",
            "}",
            "let names: Vec<String> = rows.iter().map(|row| row.name.clone()).collect();",
            "let total: u64 = items.iter().map(|item| item.size).sum();",
            "tokio::spawn(async move { worker.run().await });",
        ],
    ),
    (
        "python",
        &[
            "def chunks(items, size):",
            "    for start in range(0, len(items), size):",
            "        yield items[start:start + size]",
            "with open(path, encoding=\"utf-8\") as handle:",
            "    data = json.load(handle)",
            "print(f\"{len(data)} records loaded\")",
        ],
    ),
    (
        "typescript",
        &[
            "export function groupBy<T, K extends string>(items: T[], key: (item: T) => K) {",
            "  const groups = {} as Record<K, T[]>;",
            "  for (const item of items) (groups[key(item)] ??= []).push(item);",
            "  return groups;",
            "}",
            "const [state, setState] = useState<string | null>(null);",
        ],
    ),
    (
        "sql",
        &[
            "CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC);",
            "SELECT customer_id, count(*) AS orders",
            "FROM orders",
            "WHERE created_at >= :since",
            "GROUP BY customer_id",
            "ORDER BY orders DESC LIMIT 20;",
        ],
    ),
];

/// Writes a question of 20–300 characters into `out`.
pub fn question(rng: &mut Rng, chinese: bool, out: &mut String) {
    out.clear();
    let (questions, topics) = if chinese {
        (ZH_QUESTIONS, ZH_TOPICS)
    } else {
        (EN_QUESTIONS, EN_TOPICS)
    };
    let template = questions[rng.usize(..questions.len())];
    out.push_str(&template.replace("{}", topics[rng.usize(..topics.len())]));
    // One question in three gives some context first.
    if rng.u8(..3) == 0 {
        out.push(if chinese { '\n' } else { ' ' });
        let count = rng.usize(1..3);
        sentences(rng, chinese, count, out);
    }
}

/// Writes an answer into `out`: paragraphs, often with code blocks, 150–3,000 characters.
pub fn answer(rng: &mut Rng, chinese: bool, out: &mut String) {
    out.clear();
    let paragraphs = rng.usize(1..4);
    for index in 0..paragraphs {
        if index > 0 {
            out.push_str("\n\n");
        }
        let count = rng.usize(2..5);
        sentences(rng, chinese, count, out);
        if rng.u8(..10) < 4 {
            out.push_str("\n\n");
            code_block(rng, out);
        }
    }
}

fn sentences(rng: &mut Rng, chinese: bool, count: usize, out: &mut String) {
    let pool = if chinese { ZH_SENTENCES } else { EN_SENTENCES };
    for index in 0..count {
        if index > 0 && !chinese {
            out.push(' ');
        }
        out.push_str(pool[rng.usize(..pool.len())]);
    }
}

fn code_block(rng: &mut Rng, out: &mut String) {
    let (language, lines) = CODE_BLOCKS[rng.usize(..CODE_BLOCKS.len())];
    out.push_str("```");
    out.push_str(language);
    out.push('\n');
    for _ in 0..rng.usize(3..16) {
        out.push_str(lines[rng.usize(..lines.len())]);
        out.push('\n');
    }
    out.push_str("```");
}

/// A conversation title from its first question.
pub fn title(question: &str) -> String {
    let line = question.lines().next().unwrap_or_default();
    match line.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}
