#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write damo's option table: every command path, option and arity.

Usage: damo_option_table.py DAMO_SRC_DIR > test/fixtures/damo-options/damo-3.3.tsv

Imports damo's modules from DAMO_SRC_DIR and walks the argparse parsers
its main() builds; no damo command is run.  One line a (command path,
option) pair, tab-separated:

    COMMAND PATH    SPELLINGS (comma-separated)    ARITY

ARITY is "flag" (takes no value) or "value" (takes one or more words).
Each command path also has one "PATH<TAB>-<TAB>command" line, options or
not.  Lines starting with '#' are comments; argparse's -h/--help is left
out.
"""
import argparse
import os
import sys


def arity(action):
    if action.nargs == 0:
        return 'flag'
    return 'value'


def walk(parser, path, out):
    subs = []
    if path:
        out.append((' '.join(path), '-', 'command'))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            subs.append(action)
        elif action.option_strings and \
                not isinstance(action, argparse._HelpAction):
            out.append((' '.join(path), ','.join(action.option_strings),
                        arity(action)))
    for action in subs:
        seen = set()
        for name, child in action.choices.items():
            if id(child) in seen:   # an alias of a word already walked
                continue
            seen.add(id(child))
            walk(child, path + [name], out)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = os.path.abspath(sys.argv[1])
    sys.path.insert(0, src)
    sys.argv = ['damo']
    import damo
    import damo_version
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers(dest='command')
    for subcmd in damo.subcmds:
        subcmd.add_parser(subparsers)
    rows = walk(parser, [], [])
    print('# damo %s option table, made by test/tools/damo_option_table.py'
          % damo_version.__version__)
    print('# command path\tspellings\tarity')
    for row in rows:
        print('\t'.join(row))


if __name__ == '__main__':
    main()
