"""Time the job-posting matcher: `python bench/job_matching_benchmark.py [SKILLS] [CHARS]`.

A posting of CHARS characters (default 5,000, mixed English and Chinese, bullet lines) against
SKILLS generated skills (default 1,000) with 10 keywords each; the target is under 20 ms.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from careers.job_matching import build_index, match_posting  # noqa: E402  (pure module)

SYLLABLES = ["ka", "ro", "mi", "tel", "vo", "zen", "lum", "qua", "dex", "ny", "sor", "pi"]
HANZI = "数据模型训练推理部署优化集群调度检索生成评测量化算子并行通信存储监控平台工程"
FILLER = (
    "We are looking for an engineer who enjoys hard problems and works well with others. "
    "负责核心系统的设计与开发，与团队紧密合作，推动业务落地。 "
)


def generated_keywords(n_skills: int, rng: random.Random) -> dict[str, list[str]]:
    """n_skills skills with 10 keywords each: Latin tool names, phrases and Chinese terms."""
    keywords = {}
    for i in range(n_skills):
        words = []
        for k in range(10):
            if k < 4:
                words.append("".join(rng.choices(SYLLABLES, k=3)) + str(i))
            elif k < 7:
                words.append(f"{rng.choice(SYLLABLES)}-{rng.choice(SYLLABLES)} {i}-{k}")
            else:
                words.append("".join(rng.choices(HANZI, k=4)) + str(i) + str(k))
        keywords[f"skill-{i}"] = words
    return keywords


def generated_posting(keywords: dict[str, list[str]], chars: int, rng: random.Random) -> str:
    """A posting of about chars characters: filler lines with a keyword in one line of three."""
    all_words = [word for words in keywords.values() for word in words]
    lines = ["Requirements:"]
    while sum(len(line) + 1 for line in lines) < chars:
        line = "- " + FILLER[: rng.randint(40, len(FILLER))]
        if rng.random() < 0.4:
            line += f" {rng.choice(all_words)}, {rng.choice(all_words)}"
        if rng.random() < 0.1:
            line = "Nice to have:"
        lines.append(line)
    return "\n".join(lines)[:chars]


def main() -> None:
    n_skills = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    chars = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rng = random.Random(1)
    keywords = generated_keywords(n_skills, rng)
    started = time.perf_counter()
    index = build_index(keywords)
    build_ms = (time.perf_counter() - started) * 1000
    posting = generated_posting(keywords, chars, rng)
    times = []
    for _ in range(200):
        started = time.perf_counter()
        result = match_posting(posting, index)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"match_posting on a {len(posting):,}-character posting against {n_skills:,} skills "
        f"x 10 keywords ({index.size:,} keywords): {len(result.slugs)} skills found, "
        f"{len(result.spans)} phrases"
    )
    print(
        f"min {times[0]:.2f} ms, median {statistics.median(times):.2f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms "
        f"(index built once per content version in {build_ms:.1f} ms)"
    )


if __name__ == "__main__":
    main()
