// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Timing and medians for run.mjs, as bench-util does on the Quarry side:
// one warm-up run, then the timed runs, each with fresh state and after a
// full garbage collection.

import { setTimeout as sleep } from 'node:timers/promises'
import { gc } from './setup.mjs'

export function now () {
  return process.hrtime.bigint()
}

export function secondsSince (start) {
  return Number(process.hrtime.bigint() - start) / 1e9
}

export function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

// Runs @once (which returns an object with `seconds`) once to warm up, then
// @runs times. Returns the timed results and the one whose seconds are the
// median (the lower middle one for an even count), for its other figures.
export async function timeRuns (runs, once) {
  await once()
  const results = []
  for (let r = 0; r < runs; r++) {
    gc()
    results.push(await once())
  }
  const sorted = [...results].sort((a, b) => a.seconds - b.seconds)
  return {
    results,
    middle: sorted[Math.floor((sorted.length - 1) / 2)],
    seconds: median(results.map((result) => result.seconds)),
    runs: results.map((result) => result.seconds),
  }
}

// @promise, or a rejection after @seconds: a workload that never completes
// fails instead of hanging the run.
export async function within (seconds, what, promise) {
  const controller = new AbortController()
  const timeout = sleep(seconds * 1000, null, { signal: controller.signal, ref: false })
    .then(() => { throw new Error(`${what} did not complete within ${seconds} s`) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    controller.abort()
    timeout.catch(() => {})
  }
}
