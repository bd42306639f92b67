#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Prints the table of a benchmark run: the JSON lines bench/run collected
# (one per workload and side, and a first {"meta": …} line) as a GitHub
# (Markdown) table with TanStack's figure, Quarry's, their ratio, the target
# of shared/bench/WORKLOADS.md and whether it was met, then the machine, the
# footnotes and the missed targets.
#
#   /usr/bin/python3 bench/table.py LINES.jsonl
#
# The ratio is TanStack's figure over Quarry's (seconds, bytes): bigger is
# better for Quarry. Standard library only.

import datetime
import json
import math
import os
import sys

ORDER = [
    'W1-set', 'W2-get', 'W3-invalidate-prefix', 'W4-fanout', 'W5-memory',
    'W6-dedup', 'W7-list-update', 'W8-http-json', 'S1-idle-wakeups',
    'S2-invalidate-active',
]

# workload: (what one operation is, how many there are)
PER_OP = {
    'W1-set': ('set', lambda line: line.get('n')),
    'W2-get': ('get', lambda line: line.get('n')),
    'W3-invalidate-prefix': ('invalidation', lambda line: line.get('invalidations')),
    'W4-fanout': ('notification', lambda line: _product(line.get('observers'), line.get('updates'))),
    'W7-list-update': ('update', lambda line: _w7_updates(line)),
}

# workload: (target text, minimal ratio)
RATIO_TARGETS = {
    'W1-set': ('≥ 10×', 10),
    'W2-get': ('≥ 10×', 10),
    'W3-invalidate-prefix': ('≥ 100×', 100),
    'W4-fanout': ('≥ 10×', 10),
    'W5-memory': ('≤ ⅓ bytes', 3),
    'W7-list-update': ('≥ 10×', 10),
}

STALL_TARGET_MS = 16


def _product(a, b):
    return a * b if a is not None and b is not None else None


def _w7_updates(line):
    # The W7 programs print per_update_ms next to seconds (100 updates).
    seconds, per_update_ms = line.get('seconds'), line.get('per_update_ms')
    if seconds and per_update_ms:
        return round(seconds * 1000 / per_update_ms)
    return 100


def significant(value, digits=3):
    """@value with @digits significant digits, never in exponent form."""
    if value == 0:
        return '0'
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f'{value:.{decimals}f}'
    # Rounding may have carried into one more digit (999.6 → 1000).
    if decimals and len(text.replace('-', '').replace('.', '').lstrip('0')) > digits:
        text = f'{value:.{decimals - 1}f}'
    return text


def duration(seconds):
    if seconds is None:
        return '—'
    if seconds >= 1:
        return f'{significant(seconds)} s'
    if seconds >= 1e-3:
        return f'{significant(seconds * 1e3)} ms'
    if seconds >= 1e-6:
        return f'{significant(seconds * 1e6)} µs'
    return f'{significant(seconds * 1e9)} ns'


def ratio_text(ratio):
    if ratio is None:
        return '—'
    if ratio >= 100:
        return f'{ratio:.0f}×'
    if ratio >= 10:
        return f'{ratio:.1f}×'
    return f'{ratio:.2f}×'


def ratio_of(tanstack, quarry):
    if tanstack is None or quarry is None or quarry <= 0:
        return None
    return tanstack / quarry


def count(value):
    return '—' if value is None else f'{value:,}'.replace(',', ' ')


def read_lines(path):
    meta = {}
    figures = {}
    with open(path, encoding='utf-8') as f:
        for number, text in enumerate(f, 1):
            text = text.strip()
            if not text:
                continue
            try:
                line = json.loads(text)
            except json.JSONDecodeError as error:
                raise SystemExit(f'table.py: {path}:{number}: not JSON ({error.msg}): {text[:80]}')
            if not isinstance(line, dict):
                raise SystemExit(f'table.py: {path}:{number}: not a JSON object')
            if 'meta' in line:
                meta = line['meta']
                continue
            workload, side = line.get('workload'), line.get('side')
            if workload is None or side not in ('quarry', 'tanstack'):
                raise SystemExit(f'table.py: {path}:{number}: no "workload" or no "side" quarry/tanstack')
            figures[(workload, side)] = line
    return meta, figures


class Row:
    def __init__(self, workload):
        self.workload = workload
        self.tanstack = '—'
        self.quarry = '—'
        self.ratio = None
        self.target = '—'
        self.met = None          # None: no target; True/False
        self.problems = []       # broken invariants, sizes that differ

    def cells(self):
        if self.met is None:
            met = '—' if not self.problems else '**no**'
        else:
            met = 'yes' if self.met and not self.problems else '**no**'
        return [self.workload, self.tanstack, self.quarry, ratio_text(self.ratio), self.target, met]


def timed_cell(line, workload):
    if line is None:
        return '—'
    seconds = line.get('seconds')
    text = duration(seconds)
    if workload in PER_OP and seconds is not None:
        what, operations = PER_OP[workload]
        n = operations(line)
        if n:
            text += f' ({duration(seconds / n)}/{what})'
    return text


def same_sizes(row, tanstack, quarry, names):
    if tanstack is None or quarry is None:
        return
    for name in names:
        if name in tanstack and name in quarry and tanstack[name] != quarry[name]:
            row.problems.append(f'{name} differs: TanStack {count(tanstack[name])}, Quarry {count(quarry[name])}')


def expect(row, side, line, name, wanted):
    if line is None or wanted is None:
        return
    got = line.get(name)
    if got != wanted:
        row.problems.append(f'{side} {name} = {count(got)}, not {count(wanted)}')


def make_row(workload, tanstack, quarry):
    row = Row(workload)

    if workload == 'W5-memory':
        for side, line in (('tanstack', tanstack), ('quarry', quarry)):
            if line is not None and line.get('bytes_per_entry') is not None:
                setattr(row, side, f'{count(round(line["bytes_per_entry"]))} B/entry')
        row.ratio = ratio_of(tanstack and tanstack.get('bytes_per_entry'),
                             quarry and quarry.get('bytes_per_entry'))
        same_sizes(row, tanstack, quarry, ['n'])
    elif workload == 'W8-http-json':
        if quarry is not None:
            stalls = [value for name, value in quarry.items()
                      if name.endswith('max_stall_ms') and isinstance(value, (int, float))]
            stall = max(stalls) if stalls else None
            size = quarry.get('bytes')
            row.quarry = (f'{significant(stall)} ms max stall' if stall is not None else '—')
            if quarry.get('seconds') is not None:
                row.quarry += f' ({duration(quarry["seconds"])}'
                row.quarry += f' for {significant(size / 1e6, 2)} MB)' if size else ')'
            row.target = f'≤ {STALL_TARGET_MS} ms stall'
            row.met = stall is not None and stall <= STALL_TARGET_MS
    elif workload == 'S1-idle-wakeups':
        for side, line in (('tanstack', tanstack), ('quarry', quarry)):
            if line is not None and line.get('wakeups_per_second') is not None:
                setattr(row, side, f'{significant(line["wakeups_per_second"], 2)} wake-ups/s')
        row.ratio = ratio_of(tanstack and tanstack.get('wakeups_per_second'),
                             quarry and quarry.get('wakeups_per_second'))
        same_sizes(row, tanstack, quarry, ['queries'])
    else:
        row.tanstack = timed_cell(tanstack, workload)
        row.quarry = timed_cell(quarry, workload)
        row.ratio = ratio_of(tanstack and tanstack.get('seconds'), quarry and quarry.get('seconds'))

    if workload in RATIO_TARGETS:
        row.target, minimum = RATIO_TARGETS[workload]
        # Without both sides there is no ratio: the missing line is the miss.
        row.met = row.ratio >= minimum if row.ratio is not None else None

    # The invariants, on each side that ran.
    sides = (('TanStack', tanstack), ('Quarry', quarry))
    for side, line in sides:
        if line is None and not (workload == 'W8-http-json' and side == 'TanStack'):
            row.problems.append(f'no {side} line')
    if workload in ('W1-set', 'W2-get'):
        same_sizes(row, tanstack, quarry, ['n'])
    if workload == 'W2-get':
        for side, line in sides:
            expect(row, side, line, 'hits', line and line.get('n'))
    if workload == 'W3-invalidate-prefix':
        same_sizes(row, tanstack, quarry, ['n', 'invalidations', 'matched'])
    if workload == 'W4-fanout':
        same_sizes(row, tanstack, quarry, ['observers', 'updates'])
        for side, line in sides:
            expect(row, side, line, 'notifications',
                   line and _product(line.get('observers'), line.get('updates')))
    if workload == 'W6-dedup':
        same_sizes(row, tanstack, quarry, ['m'])
        row.target = '1 fetch'
        row.met = quarry is not None and quarry.get('fetcher_calls') == 1
        for side, line in sides:
            if line is not None and line.get('fetcher_calls') is not None:
                calls = line['fetcher_calls']
                text = f'{calls} fetch' if calls == 1 else f'{count(calls)} fetches'
                setattr(row, side.lower(), getattr(row, side.lower()) + f', {text}')
        expect(row, 'TanStack', tanstack, 'fetcher_calls', 1)
    if workload == 'S2-invalidate-active':
        same_sizes(row, tanstack, quarry, ['queries'])
        for side, line in sides:
            expect(row, side, line, 'notifications', line and line.get('queries'))
            expect(row, side, line, 'fetcher_calls', line and line.get('queries'))
    return row


def footnotes(figures):
    notes = []
    quarry_w7 = figures.get(('W7-list-update', 'quarry'))
    if quarry_w7 is not None:
        updates = _w7_updates(quarry_w7)
        if quarry_w7.get('seconds_fresh') is not None:
            notes.append('W7, Quarry, copies handed to the cache unshared (an application\'s own '
                         f'`set_query_data()`): {duration(quarry_w7["seconds_fresh"])} '
                         f'({duration(quarry_w7["seconds_fresh"] / updates)}/update) on the main thread.')
        if quarry_w7.get('share_seconds') is not None:
            notes.append('W7, Quarry, structural sharing in the HTTP layer\'s worker thread: '
                         f'{duration(quarry_w7["share_seconds"])} '
                         f'({duration(quarry_w7["share_seconds"] / updates)}/update), off the main thread.')
        if quarry_w7.get('item_type') is not None:
            notes.append(f'W7, Quarry, list items: {quarry_w7["item_type"]}; '
                         f'`items-changed` emissions {count(quarry_w7.get("items_changed_emissions"))}, '
                         f'item notifications {count(quarry_w7.get("notifications"))}.')
    tanstack_w7 = figures.get(('W7-list-update', 'tanstack'))
    if tanstack_w7 is not None and tanstack_w7.get('items_reported') is not None:
        notes.append(f'W7, TanStack: {count(tanstack_w7.get("notifications"))} observer notifications, '
                     f'{count(tanstack_w7["items_reported"])} objects replaced by structural sharing.')

    quarry_w5 = figures.get(('W5-memory', 'quarry'))
    if quarry_w5 is not None and all(quarry_w5.get(name) is not None
                                     for name in ('key_bytes', 'data_bytes', 'entry_bytes')):
        notes.append(f'W5, Quarry ({quarry_w5.get("method", "?")}): '
                     f'key {round(quarry_w5["key_bytes"])} B + data {round(quarry_w5["data_bytes"])} B '
                     f'+ entry {round(quarry_w5["entry_bytes"])} B.')
    tanstack_w5 = figures.get(('W5-memory', 'tanstack'))
    if tanstack_w5 is not None and tanstack_w5.get('server_bytes_per_entry') is not None:
        notes.append(f'W5, TanStack ({tanstack_w5.get("method", "?")}): '
                     f'{count(tanstack_w5["server_bytes_per_entry"])} B/entry without the gc timers '
                     '(query-core\'s server mode).')

    s1 = [(side, figures.get(('S1-idle-wakeups', side))) for side in ('tanstack', 'quarry')]
    parts = []
    for side, line in s1:
        if line is None:
            continue
        what = 'TanStack: timer callbacks' if side == 'tanstack' else 'Quarry: main-loop wake-ups'
        part = f'{what} {count(line.get("wakeups"))} in {significant(line.get("idle_seconds") or 0, 2)} s'
        if line.get('setup_seconds') is not None:
            part += f', {duration(line["setup_seconds"])} to set up {count(line.get("queries"))} queries'
        if line.get('os_wakeups') is not None:
            part += f', main-thread context switches: {count(line["os_wakeups"])}'
        if line.get('timers') is not None:
            part += f', {count(line["timers"])} armed timers'
        parts.append(part)
    if parts:
        notes.append('S1, ' + '; '.join(parts) + '.')
    return notes


def machine_line(meta, figures):
    cpu = meta.get('cpu')
    if cpu is None:
        try:
            with open('/proc/cpuinfo') as f:
                cpu = next((line.split(':', 1)[1].strip() for line in f
                            if line.startswith('model name')), None)
        except OSError:
            pass
    cores = meta.get('cores') or os.cpu_count()
    node = meta.get('node')
    query_core = meta.get('query_core')
    for (workload, side), line in figures.items():
        if side == 'tanstack':
            node = node or line.get('node')
            query_core = query_core or line.get('query_core')
    date = meta.get('date') or datetime.datetime.now().astimezone().isoformat(timespec='seconds')

    parts = [f'{cpu or "unknown CPU"}, {cores} cores']
    parts.append(f'Node {node or "?"}, @tanstack/query-core {query_core or "?"}')
    compiler = meta.get('compiler')
    parts.append(f'{compiler or "C compiler ?"} ({meta.get("buildtype", "release")} build)')
    if meta.get('commit'):
        parts.append(f'Quarry {meta["commit"]}')
    if meta.get('quick'):
        parts.append('**--quick: a tenth of the sizes**')
    if meta.get('runs'):
        runs = meta['runs']
        parts.append(f'median of {runs} run{"s" if runs != 1 else ""}')
    parts.append(date)
    return 'Machine: ' + '; '.join(parts) + '.'


def markdown_table(rows):
    header = ['workload', 'TanStack', 'Quarry', 'ratio', 'target', 'met']
    table = [header] + [row.cells() for row in rows]
    widths = [max(len(cells[i]) for cells in table) for i in range(len(header))]
    numeric = [False, True, True, True, False, False]

    def render(cells):
        padded = [cell.rjust(width) if right else cell.ljust(width)
                  for cell, width, right in zip(cells, widths, numeric)]
        return '| ' + ' | '.join(padded) + ' |'

    rule = '| ' + ' | '.join(('-' * (w - 1) + ':') if right else '-' * w
                             for w, right in zip(widths, numeric)) + ' |'
    return '\n'.join([render(header), rule] + [render(cells) for cells in table[1:]])


def main(argv):
    if len(argv) != 2 or argv[1] in ('-h', '--help'):
        print('usage: table.py LINES.jsonl', file=sys.stderr)
        return 2
    meta, figures = read_lines(argv[1])
    workloads = [w for w in ORDER if (w, 'quarry') in figures or (w, 'tanstack') in figures]
    workloads += sorted({w for w, _ in figures} - set(ORDER))
    if not workloads:
        print(f'table.py: {argv[1]} holds no workload', file=sys.stderr)
        return 1

    rows = [make_row(w, figures.get((w, 'tanstack')), figures.get((w, 'quarry'))) for w in workloads]

    print(markdown_table(rows))
    print()
    print(machine_line(meta, figures))
    notes = footnotes(figures)
    if notes:
        print()
        for note in notes:
            print(f'- {note}')

    missed = []
    for row in rows:
        if row.met is False:
            missed.append(f'{row.workload}: {ratio_text(row.ratio) if row.ratio is not None else row.quarry}'
                          f', target {row.target}')
        for problem in row.problems:
            missed.append(f'{row.workload}: {problem}')
    print()
    if missed:
        print('Missed:')
        for miss in missed:
            print(f'- {miss}')
    else:
        print('Every target met.')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
