// SPDX-License-Identifier: LGPL-2.1-or-later
//
// W2-get: after W1's sets (untimed), each key built afresh and its data read
// back with getQueryData; every read must hit.

import { QueryClient } from '@tanstack/query-core'
import { now, secondsSince, timeRuns } from '../measure.mjs'

export async function run ({ n }, runs) {
  const timed = await timeRuns(runs, () => {
    const client = new QueryClient()
    client.mount()
    for (let i = 0; i < n; i++)
      client.setQueryData(['todos', { page: i % 100, id: i }], { id: i, title: `t${i}`, done: false })

    let hits = 0
    const start = now()
    for (let i = 0; i < n; i++) {
      if (client.getQueryData(['todos', { page: i % 100, id: i }]) !== undefined)
        hits++
    }
    const seconds = secondsSince(start)

    client.clear()
    client.unmount()
    return { seconds, hits }
  })

  const problems = timed.results
    .filter((result) => result.hits !== n)
    .map((result) => `${result.hits} hits, not ${n}`)
  return {
    figures: {
      seconds: timed.seconds,
      runs: timed.runs,
      n,
      hits: timed.middle.hits,
      per_op_us: timed.seconds * 1e6 / n,
    },
    problems,
  }
}
