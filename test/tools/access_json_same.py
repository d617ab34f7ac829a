#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Does damo (C)'s `report access --json` carry what damo 3.3's
`report access --json --raw_number` carries?  Usage: DAMO_PY_JSON C_JSON.

damo prints numbers as strings ("4,294,967,296" even under --raw_number,
access_bp "400.000000") and nr_accesses and age as objects; damo (C)
prints exact integers, nr_accesses and age as counts with
access_rate_percent and age_us beside them.  Every value of damo's must
be found, equal, in damo (C)'s, but those of NOT_CARRIED; exits 1 naming
the first that is not."""
import json
import sys


UNITS = {'ns': 1e-3, 'us': 1, 'ms': 1e3, 's': 1e6, 'm': 60e6, 'h': 3600e6,
         'd': 86400e6, 'B': 1, 'KiB': 1 << 10, 'MiB': 1 << 20,
         'GiB': 1 << 30, 'TiB': 1 << 40, 'PiB': 1 << 50, 'EiB': 1 << 60}


# What damo (C) does not keep of a record: the scheme's max_nr_snapshots
# (Linux 7.0) that damo echoes in each snapshot's stats.
NOT_CARRIED = {'max_nr_snapshots'}


class Approx:
    """A value damo printed in units (its JSON ignores --raw_number for
    ages and sz_filter_passed): equal within its last printed digit."""

    def __init__(self, value, slack):
        self.value, self.slack = value, slack

    def __eq__(self, other):
        return (isinstance(other, (int, float)) and
                abs(other - self.value) <= self.slack)

    def __repr__(self):
        return '%r (+-%r)' % (self.value, self.slack)


def num(v):
    if v is None or isinstance(v, (bool, int)):
        return v
    if isinstance(v, float):
        return int(v) if v == int(v) else v
    s = str(v).replace(',', '')
    try:
        return int(s)
    except ValueError:
        pass
    fields = s.split()
    if len(fields) % 2 == 0 and all(u in UNITS for u in fields[1::2]):
        total = slack = 0
        for n, u in zip(fields[::2], fields[1::2]):
            total += float(n) * UNITS[u]
            if '.' in n:
                slack = max(slack, 10 ** -len(n.split('.')[1]) * UNITS[u])
        return Approx(total, slack / 2 + 1e-6)
    f = float(s)
    return int(f) if f == int(f) else f


def region_view(r):
    """damo's region as damo (C) spells it."""
    return {
        'start': num(r['start']), 'end': num(r['end']),
        'nr_accesses': num(r['nr_accesses']['samples']),
        'access_rate_percent': num(r['nr_accesses']['percent']),
        'age': num(r['age']['aggr_intervals']),
        'age_us': num(r['age']['usec']),
        'probe_hits': [num(x) for x in r.get('probe_hits') or []],
        'sz_filter_passed': num(r['sz_filter_passed']),
    }


def same(want, got, path):
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return '%s: %r is not an object' % (path, got)
        for k, v in want.items():
            if k in NOT_CARRIED:
                continue
            if k not in got:
                return '%s: no key %r' % (path, k)
            err = same(v, got[k], '%s.%s' % (path, k))
            if err:
                return err
        return None
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return '%s: %r is not a list of %d' % (path, got, len(want))
        for i, (w, g) in enumerate(zip(want, got)):
            err = same(w, g, '%s[%d]' % (path, i))
            if err:
                return err
        return None
    if isinstance(want, str) and not isinstance(got, str):
        want = num(want)
    if not want == got:
        return '%s: damo %r, damo (C) %r' % (path, want, got)
    return None


def main():
    with open(sys.argv[1]) as f:
        want = json.load(f)
    with open(sys.argv[2]) as f:
        got = json.load(f)
    for rec in want:
        for snap in rec['snapshots']:
            snap['regions'] = [region_view(r) for r in snap['regions']]
    err = same(want, got, '')
    if err:
        print(err)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
