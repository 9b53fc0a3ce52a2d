#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every lesson has a quiz, and every question has the answer the lesson's own runs show.

For each lesson: `lbsim quiz FILE --format json` exits 0 (a question none of whose choices
the run shows exits 3), in English and in Korean. A "click the node" question's node is
on the layout the window draws (the file as written: a variant's extra nodes are not);
a "click the header fields" question's right fields are among the packet's.

    quizzes.py LBSIM SOURCE_DIR
"""
import glob
import json
import os
import re
import subprocess
import sys

LBSIM, SOURCE = sys.argv[1], sys.argv[2]


def nodes_drawn(lesson):
    out = subprocess.run([LBSIM, "topology", lesson], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"^  (\S+) \(", out, re.M))


def main():
    lessons = sorted(glob.glob(os.path.join(SOURCE, "scenarios/lessons/*.yaml")))
    problems, questions, clicked_nodes, clicked_fields = 0, 0, 0, 0
    for lesson in lessons:
        name = os.path.basename(lesson)
        quizzes = {}
        for language in ("en", "ko"):
            run = subprocess.run([LBSIM, "quiz", lesson, "--format", "json", "--language", language], capture_output=True, text=True)
            if run.returncode != 0:
                print(f"{name}: lbsim quiz --language {language} exited {run.returncode}: {run.stderr.strip()}")
                problems += 1
                continue
            quizzes[language] = json.loads(run.stdout)
        if "en" not in quizzes:
            continue
        if not quizzes["en"]:
            print(f"{name}: no quiz")
            problems += 1
        drawn = nodes_drawn(lesson)
        for i, q in enumerate(quizzes["en"]):
            questions += 1
            where = f"{name}:{q['line']}"
            if q["click_node"]:
                clicked_nodes += 1
                if q["right"][0] not in drawn:
                    print(f"{where}: the node to click, {q['right'][0]}, is not on the layout the window draws")
                    problems += 1
            if q["click_fields"]:
                clicked_fields += 1
                if not q["right"] or not set(q["right"]) <= set(q["choices"]):
                    print(f"{where}: the fields to click {q['right']} are not among the packet's {q['choices']}")
                    problems += 1
            korean = quizzes.get("ko", [])
            if i < len(korean) and korean[i]["right"] != q["right"]:
                print(f"{where}: the Korean quiz's answer {korean[i]['right']} differs from {q['right']}")
                problems += 1
    if clicked_nodes == 0 or clicked_fields == 0:
        print(f"expected both kinds of click questions, found {clicked_nodes} node and {clicked_fields} field questions")
        problems += 1
    if problems:
        return 1
    print(f"{len(lessons)} lessons, {questions} questions ({clicked_nodes} click a node, {clicked_fields} click header fields): "
          "each answered by the lesson's own runs")
    return 0


sys.exit(main())
