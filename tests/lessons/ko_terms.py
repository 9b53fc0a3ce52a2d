#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every Korean text says one word per concept, as docs/ko-glossary.md lists them.

The Korean texts: the lessons, the GUI's translations, the trace's message catalog and the
run summary's and report's words.
The glossary's tables end in a column of forms to avoid (backticked, matched literally):
"L7 계층" where a tier is meant, "2계층 구성" for a two-tier layout, a particle that does
not follow how L4 (엘포) and L7 (엘세븐) are read. Each Korean text must contain none of
them; the test also checks that the glossary lists some, so an empty column cannot pass.

    ko_terms.py SOURCE_DIR
"""
import glob
import os
import re
import sys

SOURCE = sys.argv[1]


def avoided_forms(glossary_text):
    forms = []
    for line in glossary_text.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = line.strip().strip("|").split("|")
        forms += re.findall(r"`([^`]+)`", cells[-1])
    return forms


def korean_texts():
    paths = glob.glob(os.path.join(SOURCE, "scenarios/lessons/*.ko.md"))
    paths += glob.glob(os.path.join(SOURCE, "docs/*.ko.md"))
    paths.append(os.path.join(SOURCE, "gui/translations/lbsim_ko.ts"))
    paths.append(os.path.join(SOURCE, "core/text/messages.cpp"))  # the trace's notes
    paths.append(os.path.join(SOURCE, "reports/words.cpp"))  # the run summary's and report's words
    return sorted(paths)


def main():
    glossary = open(os.path.join(SOURCE, "docs/ko-glossary.md"), encoding="utf-8").read()
    forms = avoided_forms(glossary)
    if len(forms) < 20 or "L7 계층" not in forms or "L7를" not in forms:
        print(f"docs/ko-glossary.md: expected the avoided forms in each table's last column, found {forms}")
        return 1
    problems = 0
    texts = korean_texts()
    for path in texts:
        for number, line in enumerate(open(path, encoding="utf-8"), start=1):
            if path.endswith(".ts") and "<source>" in line:
                continue  # the English side
            if path.endswith(".cpp") and not re.search("[\uac00-\ud7a3]", line):
                continue  # code and English messages
            for form in forms:
                column = line.find(form)
                if column >= 0:
                    print(f"{os.path.relpath(path, SOURCE)}:{number}:{column + 1}: '{form}' is a form docs/ko-glossary.md avoids")
                    problems += 1
    if problems:
        return 1
    print(f"{len(texts)} Korean texts follow the glossary's {len(forms)} avoided forms")
    return 0


sys.exit(main())
