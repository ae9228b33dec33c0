"""Extract the seed documents' questions and answers into tests/fixtures/seed_answers.json.

The grader's quality tests grade these answers; the banks themselves never copy them.
Usage: python tools/extract_seed_answers.py ../shared/seeds
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def doc_000(text: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    parts = re.split(r"^Q(\d+|4o)\.\s*", text, flags=re.M)
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        n = 40 if number == "4o" else int(number)
        question, _, answer = body.partition("\n")
        answer = re.sub(r"^\s*Ans\s*-\s*", "", answer.strip())
        out[f"000 Q{n}"] = {"question": question.strip(), "answer": " ".join(answer.split())}
    return out


def doc_003(text: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    lines = text.splitlines()
    current: str | None = None
    expected = 1
    for line in lines:
        m = re.match(r"^(\d+)\.\s+(.*)$", line)
        if expected == 1 and line.startswith("- ") and line.rstrip().endswith("?"):
            current, expected = "003 #1", 2
            out[current] = {"question": line[2:].strip(), "answer": ""}
            continue
        if m and int(m.group(1)) == expected:
            current, expected = f"003 #{expected}", expected + 1
            out[current] = {"question": m.group(2).strip(), "answer": ""}
            continue
        if current:
            out[current]["answer"] += " " + line.strip().removeprefix("Answer:").strip()
    for item in out.values():
        item["answer"] = " ".join(item["answer"].split())
    return out


def main() -> None:
    seeds = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds")
    data = {
        **doc_000((seeds / "000_c54549c83c6343f4.txt").read_text(encoding="utf-8")),
        **doc_003((seeds / "003_469848eb798988e6.txt").read_text(encoding="utf-8")),
    }
    target = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seed_answers.json"
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(data)} seed questions -> {target}")


if __name__ == "__main__":
    main()
