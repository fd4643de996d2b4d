"""How many recommendations a second the rules engine makes: ``python -m bench.bench_recommend``.

Generates ``n`` random, complete and valid answer sets from a fixed seed (so runs compare), then
times :func:`assessment.rules.recommend` over all of them. Answers are drawn so every level of
care turns up: each set picks how "severe" it is, and each ordered answer is raised above its
least severe value with that probability.

``run(n)`` returns the figures as a dict for a bench runner; ``main()`` prints them.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

SEED = 20261101
DEFAULT_N = 20_000


def _setup_django() -> None:
    from bench import env

    env.setup_django()


def random_answers(rng: random.Random) -> dict:
    """One complete, valid answer set."""
    from assessment.instruments import QUESTIONS

    severity = rng.choice((0.0, 0.05, 0.1, 0.2, 0.4))
    answers = {}
    for question in QUESTIONS:
        if question.ordered:
            raised = rng.random() < severity
            answers[question.id] = rng.choice(question.values) if raised else question.values[0]
        elif question.kind == "multi":
            answers[question.id] = rng.sample(question.values, rng.randint(0, len(question.values)))
        elif question.kind == "text":
            answers[question.id] = f"{rng.randint(0, 99999):05d}"
        else:
            answers[question.id] = rng.choice(question.values)
    return answers


def run(n: int = DEFAULT_N, seed: int = SEED) -> dict:
    """Time ``recommend()`` over ``n`` random answer sets; return the figures."""
    _setup_django()
    from assessment.rules import RULESET_VERSION, recommend

    rng = random.Random(seed)
    answer_sets = [random_answers(rng) for _ in range(n)]
    recommend(answer_sets[0])  # warm up (lazy imports, translation catalogues)

    levels: Counter[str] = Counter()
    start = time.perf_counter()
    for answers in answer_sets:
        levels[recommend(answers).level.value] += 1
    seconds = time.perf_counter() - start

    return {
        "benchmark": "recommend",
        "n": n,
        "seed": seed,
        "seconds": round(seconds, 4),
        "per_second": round(n / seconds, 1),
        "microseconds_each": round(seconds / n * 1e6, 1),
        "levels": dict(sorted(levels.items())),
        "ruleset_version": RULESET_VERSION,
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=DEFAULT_N, help="answer sets to time")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    figures = run(args.n, args.seed)
    print(
        f"recommend(): {figures['per_second']:,.0f} recommendations/s "
        f"({figures['microseconds_each']} µs each, n={figures['n']}, seed={figures['seed']})"
    )
    print("levels:", ", ".join(f"{level} {count}" for level, count in figures["levels"].items()))
    return figures


if __name__ == "__main__":
    main()
