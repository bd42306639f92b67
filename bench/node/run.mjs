// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The TanStack side of the shared workloads (shared/bench/WORKLOADS.md and
// the contract in bench/README.md): W1-W6, S1 and S2 on
// @tanstack/query-core, the counterpart of bench/quarry-bench. W7 is
// w7-list-update.mjs; W8 has no TanStack side.
//
//   node --expose-gc run.mjs [--only W1-set,W4-fanout] [--runs N] [--quick]
//
// Prints one JSON line per workload on stdout, progress on stderr. Every
// timed workload runs once to warm up, then N times (5) with fresh state;
// `seconds` is the median. --quick divides the sizes by 10 and idles S1
// for 0.5 s (a smoke run), as quarry-bench --quick does.
// Exits 1 if a workload's invariant fails (after printing its line anyway),
// 2 on bad arguments.

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import './setup.mjs'
import * as w1 from './workloads/w1-set.mjs'
import * as w2 from './workloads/w2-get.mjs'
import * as w3 from './workloads/w3-invalidate-prefix.mjs'
import * as w4 from './workloads/w4-fanout.mjs'
import * as w5 from './workloads/w5-memory.mjs'
import * as w6 from './workloads/w6-dedup.mjs'
import * as s1 from './workloads/s1-idle-wakeups.mjs'
import * as s2 from './workloads/s2-invalidate-active.mjs'

const WORKLOADS = [
  ['W1-set', w1],
  ['W2-get', w2],
  ['W3-invalidate-prefix', w3],
  ['W4-fanout', w4],
  ['W5-memory', w5],
  ['W6-dedup', w6],
  ['S1-idle-wakeups', s1],
  ['S2-invalidate-active', s2],
]

const FULL = {
  n: 100000,
  invalidations: 100,
  observers: 10000,
  updates: 100,
  m: 1000,
  s1Queries: 100000,
  idleSeconds: 2,
  s2Queries: 1000,
}

const QUICK = {
  ...FULL,
  n: FULL.n / 10,
  observers: FULL.observers / 10,
  m: FULL.m / 10,
  s1Queries: FULL.s1Queries / 10,
  s2Queries: FULL.s2Queries / 10,
  idleSeconds: 0.5,
}

function usage (message) {
  process.stderr.write(`run.mjs: ${message}\n` +
    'usage: node --expose-gc run.mjs [--only ID[,ID...]] [--runs N] [--quick]\n' +
    `workloads: ${WORKLOADS.map(([id]) => id).join(' ')}\n`)
  process.exit(2)
}

function parseCommandLine () {
  let parsed
  try {
    parsed = parseArgs({
      options: {
        only: { type: 'string' },
        runs: { type: 'string', default: '5' },
        quick: { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    usage(error.message)
  }

  const runs = Number(parsed.runs)
  if (!Number.isInteger(runs) || runs < 1)
    usage(`--runs wants a positive integer, not "${parsed.runs}"`)

  let selected = WORKLOADS
  if (parsed.only !== undefined) {
    // "W1-set" or just "W1".
    const wanted = parsed.only.split(',').map((id) => id.trim()).filter(Boolean)
    for (const id of wanted) {
      if (!WORKLOADS.some(([known]) => known === id || known.split('-')[0] === id))
        usage(`no workload "${id}"`)
    }
    selected = WORKLOADS.filter(([known]) =>
      wanted.some((id) => known === id || known.split('-')[0] === id))
  }
  return { runs, sizes: parsed.quick ? QUICK : FULL, selected }
}

const queryCoreVersion = JSON.parse(readFileSync(
  new URL('./node_modules/@tanstack/query-core/package.json', import.meta.url), 'utf8')).version

const { runs, sizes, selected } = parseCommandLine()
let failed = false
for (const [id, workload] of selected) {
  process.stderr.write(`tanstack ${id}…\n`)
  const { figures, problems } = await workload.run(sizes, runs)
  console.log(JSON.stringify({
    workload: id,
    side: 'tanstack',
    ...figures,
    node: process.version,
    query_core: queryCoreVersion,
  }))
  for (const problem of problems) {
    process.stderr.write(`tanstack ${id}: ${problem}\n`)
    failed = true
  }
}
process.exitCode = failed ? 1 : 0
