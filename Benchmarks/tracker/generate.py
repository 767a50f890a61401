#!/usr/bin/env python3
"""Writes a synthetic kitbag project for the ledger benchmark.

25,000 workers x 40 required items (30 modules, 10 assessments) = 1,000,000 ledger rows,
plus a curriculum of 5 principles and 10 competencies. Everything is invented and
deterministic (a fixed seed), so two runs produce the same bytes.

usage: generate.py OUT_DIR [WORKERS]
"""
import os
import random
import sys

out = sys.argv[1]
workers = int(sys.argv[2]) if len(sys.argv) > 2 else 25_000
modules, assessments = 30, 10
rng = random.Random(20261121)


def write(path, text):
    path = os.path.join(out, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


write("Curriculum/framework.md", "---\ntitle: Benchmark framework\n---\n\nSynthetic.\n")
write("Curriculum/pathway.md", "---\ntitle: Benchmark pathway\nattendance: 0.8\n---\n\nSynthetic.\n")
for p in range(1, 6):
    write(f"Curriculum/principles/P{p}.md", f"---\nid: P{p}\ntitle: Principle {p}\n---\n\nSynthetic.\n")
for c in range(1, 11):
    write(f"Curriculum/competencies/C{c:02}.md",
          f"---\nid: C{c:02}\ntitle: Competency {c}\nprinciples: [P{(c - 1) % 5 + 1}, P{c % 5 + 1}]\n---\n\nSynthetic.\n")
for m in range(1, modules + 1):
    valid = "valid-for-months: 12\n" if m % 10 == 0 else ""
    write(f"Curriculum/modules/M{m:02}.md",
          f"---\nid: M{m:02}\ntitle: Module {m}\ncompetencies: [C{(m - 1) % 10 + 1:02}]\n{valid}---\n\nSynthetic.\n")
for a in range(1, assessments + 1):
    write(f"Curriculum/assessments/A{a:02}.md",
          f"---\nid: A{a:02}\ntitle: Assessment {a}\nmethod: observation\nmodules: [M{a:02}]\nattempts: 3\n---\n\nSynthetic.\n")

cohort = "Cohorts/bench"
write(f"{cohort}/cohort.md", "---\nid: bench\nname: Benchmark cohort\nsite: Nowhere\ncoordinator: Nobody\nstart: 2025-01-06\n---\n")
roster = ["id,name,site,status,joined"]
for w in range(1, workers + 1):
    status = "withdrawn" if w % 97 == 0 else "reserve" if w % 31 == 0 else "active"
    roster.append(f"W{w:05},Worker {w},Site {w % 7},{status},2025-01-06")
write(f"{cohort}/roster.csv", "\n".join(roster) + "\n")

items = [f"M{m:02}" for m in range(1, modules + 1)] + [f"A{a:02}" for a in range(1, assessments + 1)]
path = os.path.join(out, cohort, "records.csv")
n = 0
with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("id,date,worker,item,event,by,note\n")
    for w in range(1, workers + 1):
        lines = []
        for k, item in enumerate(items):
            n += 1
            day = 6 + k // 2
            month = 1 + (k * 7 + w) % 10
            date = f"2025-{month:02}-{day:02}"
            if item[0] == "M":
                event = "absent" if rng.random() < 0.03 else "attended"
            else:
                event = "failed" if rng.random() < 0.05 else "passed"
            note = '"needs a quiet room, ""please"""' if rng.random() < 0.01 else ""
            lines.append(f"R{n:07},{date},W{w:05},{item},{event},Trainer {k % 5},{note}\n")
        f.write("".join(lines))
print(f"wrote {n} ledger rows for {workers} workers under {out}")
