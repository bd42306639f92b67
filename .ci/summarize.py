#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Count test results from meson testlog JSON files.

Usage: summarize.py LOG.json [LOG.json ...]

Each argument is one phase of tests/run (for example build/meson-logs/testlog.json or
build/meson-logs/testlog-valgrind.json). A log holds one JSON object per line, one per
test, with the fields meson 1.0.1 writes: name, stdout, result, starttime, duration,
returncode, env, command, and stderr when not empty. There is no protocol field, so:

- a pytest run is recognised by its summary line ("3 passed, 1 failed in 0.2s") and
  counted from it;
- a TAP run (GTest prints TAP) is recognised by its plan or ok lines and counted per
  subtest ("ok", "ok ... # SKIP", "not ok", "not ok ... # TODO" = skipped); a run that
  failed without a "not ok" line (crash, Bail out!, valgrind or sanitizer error,
  timeout) counts one more failure;
- anything else, or a run in which nothing was counted, counts once, by its result.

A missing or empty log means the phase did not run, and counts as one failure.
Prints one line per phase, then "N passed, N failed[, N skipped]" as the last line,
and exits 1 if anything failed.
"""

import json
import os
import re
import sys

BAD = {'FAIL', 'ERROR', 'TIMEOUT', 'INTERRUPT', 'UNEXPECTEDPASS'}
GOOD = {'OK', 'EXPECTEDFAIL'}

TAP_LINE = re.compile(r'^(not )?ok\b(.*)$', re.M)
TAP_PLAN = re.compile(r'^\d+\.\.\d+', re.M)
DIRECTIVE = re.compile(r'#\s*(SKIP|TODO)\b', re.I)
PYTEST_SUMMARY = re.compile(r'^=*\s*((?:\d+ [a-z]+(?:, )?)+) in [\d.]+s\b', re.M)
PYTEST_KINDS = {
    'passed': 'passed', 'xfailed': 'passed', 'xpassed': 'passed',
    'failed': 'failed', 'error': 'failed', 'errors': 'failed',
    'skipped': 'skipped',
}


def phase_name(path):
    """build/meson-logs/testlog-valgrind.json -> 'build (valgrind)'."""
    builddir = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(path))))
    base = os.path.splitext(os.path.basename(path))[0]
    setup = base[len('testlog-'):] if base.startswith('testlog-') else ''
    return f'{builddir} ({setup})' if setup else builddir


def count_pytest(stdout):
    matches = PYTEST_SUMMARY.findall(stdout)
    if not matches:
        return None
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    for part in matches[-1].split(', '):
        number, kind = part.split(' ', 1)
        if kind in PYTEST_KINDS:
            counts[PYTEST_KINDS[kind]] += int(number)
    return counts


def count_tap(stdout):
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    for not_ok, rest in TAP_LINE.findall(stdout):
        directive = DIRECTIVE.search(rest)
        if directive and (directive.group(1).upper() == 'SKIP' or not_ok):
            counts['skipped'] += 1  # "ok # SKIP", or an expected "not ok # TODO"
        elif not_ok:
            counts['failed'] += 1
        else:
            counts['passed'] += 1
    return counts


def count_record(record):
    result = record.get('result', 'ERROR')
    stdout = record.get('stdout') or ''
    counts = None
    if 'python' in record.get('name', '') or PYTEST_SUMMARY.search(stdout):
        counts = count_pytest(stdout)
    if counts is None and (TAP_PLAN.search(stdout) or TAP_LINE.search(stdout)):
        counts = count_tap(stdout)
    if counts is None or sum(counts.values()) == 0:
        counts = {'passed': 0, 'failed': 0, 'skipped': 0}
        key = 'passed' if result in GOOD else 'skipped' if result == 'SKIP' else 'failed'
        counts[key] = 1
    elif result in BAD and counts['failed'] == 0:
        counts['failed'] = 1  # crashed, timed out, or failed after its last subtest
    return counts


def summarize(path):
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    failures = []
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            records = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return counts | {'failed': 1}, [f'did not run: no {path}']
    except (OSError, ValueError) as e:
        return counts | {'failed': 1}, [f'unreadable log: {e}']
    if not records:
        return counts | {'failed': 1}, ['no tests were recorded']
    for record in records:
        for key, value in count_record(record).items():
            counts[key] += value
        if record.get('result') in BAD:
            failures.append(f"{record.get('name')}: {record.get('result')}")
    return counts, failures


def line(counts):
    text = f"{counts['passed']} passed, {counts['failed']} failed"
    return text + (f", {counts['skipped']} skipped" if counts['skipped'] else '')


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        print('0 passed, 1 failed')
        return 1
    total = {'passed': 0, 'failed': 0, 'skipped': 0}
    for path in paths:
        counts, failures = summarize(path)
        print(f"{phase_name(path)}: {counts['passed']} passed, {counts['failed']} failed, "
              f"{counts['skipped']} skipped")
        for failure in failures:
            print(f'  {failure}')
        for key in total:
            total[key] += counts[key]
    print(line(total))
    return 1 if total['failed'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
