#!/usr/bin/env python3
"""Writes a synthetic kitbag project for the fidelity benchmark.

20 sites x 4 rounds x 30 interviews x 16 items = 38,400 ratings, over an instrument of 16
items in 4 domains serving 5 principles. Everything is invented and deterministic (a fixed
seed), so two runs produce the same bytes.

usage: generate.py OUT_DIR
"""
import os
import random
import sys

out = sys.argv[1]
rng = random.Random(20261201)
sites, rounds, interviews, items = 20, 4, 30, 16


def write(path, text):
    path = os.path.join(out, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


for p in range(1, 6):
    write(f"Curriculum/principles/P{p}.md", f"---\nid: P{p}\ntitle: Principle {p}\n---\n\nSynthetic.\n")
write("Curriculum/competencies/C01.md", "---\nid: C01\ntitle: Competency\nprinciples: [P1, P2, P3, P4, P5]\n---\n\nSynthetic.\n")
write("Curriculum/modules/M01.md", "---\nid: M01\ntitle: Module\ncompetencies: [C01]\n---\n\nSynthetic.\n")
write("Curriculum/assessments/A01.md", "---\nid: A01\ntitle: Assessment\nmethod: observation\nmodules: [M01]\n---\n\nSynthetic.\n")
write("Curriculum/fidelity/instrument.md",
      "---\nname: Benchmark instrument\nscores: [0, 1, 2, 3, 4]\nlabels: [a, b, c, d, e]\n"
      "respondent-kinds: [participant, peer worker, coordinator]\n---\n\nSynthetic.\n")
domains = {1: "[P1]", 2: "[P2, P3]", 3: "[P4]", 4: "[P5, P4]"}
for d, ps in domains.items():
    write(f"Curriculum/fidelity/domains/D{d}.md", f"---\nid: D{d}\ntitle: Domain {d}\nprinciples: {ps}\n---\n\nSynthetic.\n")
body = "".join(f"\n## {s}\n\nLevel {s}.\n" for s in range(5))
for i in range(1, items + 1):
    write(f"Curriculum/fidelity/items/F{i:02}.md",
          f"---\nid: F{i:02}\ntitle: Question {i}?\ndomain: D{(i - 1) % 4 + 1}\n"
          f"respondents: [participant, peer worker, coordinator]\n---\n\nSynthetic.\n{body}")
for s in range(1, sites + 1):
    write(f"Handbook/sites/site{s:02}.md", f"---\nname: Site {s}\ntrust: Trust {s}\n---\n\nSynthetic.\n")

kinds = ["participant", "peer worker", "coordinator"]
lines = ["id,date,site,round,respondent-kind,respondent,item,rater,score,note"]
n = 0
for s in range(1, sites + 1):
    for r in range(1, rounds + 1):
        for k in range(interviews):
            for i in range(1, items + 1):
                n += 1
                lines.append(f"R{n:06},2026-0{r + 1}-15,site{s:02},{r},{kinds[k % 3]},x{k:02},F{i:02},rater-{k % 2},{rng.randint(0, 4)},")
write("Fidelity/ratings.csv", "\n".join(lines) + "\n")
print(f"{n} ratings")
