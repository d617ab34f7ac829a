#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build directory trees from an observed DAMON sysfs listing.

Usage: sysfs_tree.py SPEC OUTDIR

SPEC is one of test/fixtures/sysfs/*.txt: "./path = value|" lines
(relative to admin/kdamonds/0, '|' marking a newline), optionally followed
by "=== TRACE ===" (event names) and "=== MODULES ===" sections.  Writes
OUTDIR/sysfs/kdamonds/{nr_kdamonds,0/...}, OUTDIR/tracing/events/damon/<ev>/
and OUTDIR/module/<name>/parameters/<param> (all parameters read "N" or 0).
"""
import os
import sys


def main():
    spec, out = sys.argv[1], sys.argv[2]
    kd = os.path.join(out, 'sysfs', 'kdamonds')
    os.makedirs(os.path.join(kd, '0'), exist_ok=True)
    with open(os.path.join(kd, 'nr_kdamonds'), 'w') as f:
        f.write('1\n')
    section = 'tree'
    module = None
    os.makedirs(os.path.join(out, 'tracing', 'events', 'damon'), exist_ok=True)
    os.makedirs(os.path.join(out, 'module'), exist_ok=True)
    for line in open(spec):
        line = line.rstrip('\n')
        if line.startswith('=== TRACE'):
            section = 'trace'
            continue
        if line.startswith('=== MODULES'):
            section = 'modules'
            continue
        if line.startswith('#') or line.startswith('==='):
            continue
        if section == 'tree' and line.startswith('./'):
            path, _, value = line.partition(' = ')
            dst = os.path.join(kd, '0', path[2:])
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, 'w') as f:
                f.write(value.replace('|', '\n'))
        elif section == 'trace' and line.startswith('name: '):
            os.makedirs(os.path.join(out, 'tracing', 'events', 'damon',
                                     line[6:]), exist_ok=True)
        elif section == 'modules':
            if line.startswith('/sys/module/'):
                module = line[len('/sys/module/'):]
            elif module and line.strip():
                pdir = os.path.join(out, 'module', module, 'parameters')
                os.makedirs(pdir, exist_ok=True)
                for p in line.split():
                    with open(os.path.join(pdir, p), 'w') as f:
                        f.write('N\n' if p == 'enabled' else '0\n')
                module = None


if __name__ == '__main__':
    main()
