#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that damo (C) takes every option of damo 3.3 under the same words.

Usage: check_damo_options.py DAMO TABLE EXCEPTIONS

TABLE is damo's option table (test/fixtures/damo-options/damo-3.3.tsv,
made by damo_option_table.py).  Each command path of it must exist:
"DAMO PATH... --help" exits 0.  For each command path with options, runs
"DAMO PATH... --list-all-opts" (the list of every spelling the command's
parser takes, with whether it takes a value) and checks each pair: every
spelling of damo's option is taken, and a damo flag is a flag here and a
damo option with a value takes one here.

EXCEPTIONS lists the pairs known not to be taken yet, one a line:
"COMMAND PATH<TAB>SPELLINGS<TAB>REASON" (the first two columns as in
TABLE; SPELLINGS "-" for a missing command).  A pair that is not taken and not listed fails; so does a listed
pair that is in fact taken (remove its line), a listed pair that is not
in TABLE, and a command path that does not exist.

Prints the share of the pairs taken; exits 1 on any failure.
"""
import subprocess
import sys


def read_tsv(path, ncols):
    rows = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            cols = line.split('\t')
            if len(cols) != ncols:
                sys.exit('%s:%d: %d tab-separated columns expected, not %d'
                         % (path, lineno, ncols, len(cols)))
            rows.append((lineno, cols))
    return rows


def run(damo, path, opt):
    cmd = [damo] + (path.split() if path else []) + [opt]
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60)


def options_of(damo, path):
    """{spelling: arity} of a command path, or None if it has no parser."""
    p = run(damo, path, '--list-all-opts')
    if p.returncode != 0:
        return None, p.stderr.strip()
    opts = {}
    for line in p.stdout.splitlines():
        name, _, arity = line.partition('\t')
        if arity not in ('flag', 'value'):
            return None, 'unexpected --list-all-opts line %r' % line
        opts.setdefault(name, arity)
    return opts, None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    damo, table_path, exc_path = sys.argv[1:]
    table = read_tsv(table_path, 3)
    exceptions = {}
    failures = []
    for lineno, (path, spellings, reason) in read_tsv(exc_path, 3):
        if not reason.strip():
            failures.append('%s:%d: no reason given' % (exc_path, lineno))
        exceptions[(path, spellings)] = lineno

    commands = [(l, c) for l, c in table if c[2] == 'command']
    table = [(l, c) for l, c in table if c[2] != 'command']
    nr_cmds = 0
    in_table = set()
    for lineno, (path, dash, _) in commands:
        key = (path, dash)
        in_table.add(key)
        p = run(damo, path, '--help')
        ok = p.returncode == 0 and p.stdout.strip()
        nr_cmds += 1 if ok else 0
        if ok and key in exceptions:
            failures.append('%s:%d: "damo %s" exists now: remove the '
                            'exception' % (exc_path, exceptions[key], path))
        elif not ok and key not in exceptions:
            failures.append('command "damo %s" missing: %s' %
                            (path, p.stderr.strip()))

    parsers = {}
    paths = []
    for _, (path, _, _) in table:
        if path not in parsers:
            paths.append(path)
            parsers[path] = options_of(damo, path)

    taken = 0
    for lineno, (path, spellings, arity) in table:
        key = (path, spellings)
        in_table.add(key)
        opts, err = parsers[path]
        why = []
        if opts is None:
            why.append('"damo %s --list-all-opts" failed: %s' % (path, err))
            opts = {}
        for s in spellings.split(',') if not why else []:
            if s not in opts:
                why.append('%s not taken' % s)
            elif opts[s] != arity:
                why.append('%s is a %s here, damo\'s takes %s' %
                           (s, opts[s], 'a value' if arity == 'value'
                            else 'no value'))
        if not why:
            taken += 1
            if key in exceptions:
                failures.append('%s:%d: "damo %s %s" is taken now: remove '
                                'the exception' %
                                (exc_path, exceptions[key], path, spellings))
        elif key not in exceptions:
            failures.append('damo %s %s: %s' % (path, spellings,
                                                '; '.join(why)))
    for key, lineno in exceptions.items():
        if key not in in_table:
            failures.append('%s:%d: "%s %s" is not in %s' %
                            (exc_path, lineno, key[0], key[1], table_path))

    total = len(table)
    print('%d of %d damo command/option pairs taken (%.1f %%); '
          '%d of %d command paths exist'
          % (taken, total, 100.0 * taken / max(total, 1), nr_cmds, len(commands)))
    for f in failures:
        print('FAIL: ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
