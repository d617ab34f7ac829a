#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that a guide's kernel-tier recipes are what the scenarios run.

    recipe_lines.py SRC_DIR [DOC]

DOC (default SRC_DIR/docs/use-cases.md) marks each recipe as

    <!-- recipe: NAME (PATH runs these lines) -->
    ```sh
    damo ... \\
        ...
    ```
    <!-- end recipe -->

For each recipe whose PATH is a kernel-tier scenario (test/kernel/...),
every 'damo' command of the block (continuation lines joined, blanks
squeezed) must be a command the scenario runs through show or run_cmd.
The scenarios may add '--cpu-budget 50%' (qemu's emulation makes the
embedded monitor's samples dearer; the guide leaves the default).  Prints
one line per recipe checked, and each command missing; exit 1 if any is,
or if no kernel-tier recipe has a damo command.
"""
import re
import sys

MARK = re.compile(r'<!-- recipe: (\S+) \((\S+) runs these lines\) -->')
RUNNER = re.compile(r'^\s*(?:show|run_cmd)\s+\S+\s+(damo\s.*)$')
TCG_ONLY = ' --cpu-budget 50%'


def joined(lines):
    """Lines with trailing-backslash continuations joined, blanks squeezed."""
    out, cur = [], ''
    for line in lines:
        if line.rstrip().endswith('\\'):
            cur += line.rstrip()[:-1] + ' '
            continue
        out.append(' '.join((cur + line).split()))
        cur = ''
    if cur:
        out.append(' '.join(cur.split()))
    return out


def recipes(doc):
    """(name, path, damo commands) of each recipe block of doc."""
    lines = open(doc, encoding='utf-8').read().splitlines()
    i = 0
    while i < len(lines):
        m = MARK.search(lines[i])
        i += 1
        if not m:
            continue
        block = []
        while i < len(lines) and '<!-- end recipe -->' not in lines[i]:
            if not lines[i].startswith('```'):
                block.append(lines[i])
            i += 1
        cmds = [c for c in joined(block) if c.startswith('damo ')]
        yield m.group(1), m.group(2), cmds


def scenario_commands(path):
    cmds = set()
    for line in joined(open(path, encoding='utf-8').read().splitlines()):
        m = RUNNER.match(line)
        if m:
            cmds.add(m.group(1).replace(TCG_ONLY, ''))
    return cmds


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 64
    src = sys.argv[1]
    doc = sys.argv[2] if len(sys.argv) == 3 else src + '/docs/use-cases.md'
    bad, checked = 0, 0
    for name, path, cmds in recipes(doc):
        if not path.startswith('test/kernel/'):
            continue
        runs = scenario_commands(src + '/' + path)
        missing = [c for c in cmds if c not in runs]
        print(f'{name}: {len(cmds) - len(missing)} of {len(cmds)} damo '
              f'commands run by {path}')
        for c in missing:
            print(f'  not run: {c}')
        bad += len(missing)
        checked += len(cmds)
    if not checked:
        print(f'{doc}: no kernel-tier recipe with a damo command')
        return 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
