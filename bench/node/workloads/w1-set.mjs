// SPDX-License-Identifier: LGPL-2.1-or-later
//
// W1-set: N distinct keys ["todos", {page: i % 100, id: i}], each set to
// {id: i, title: "t<i>", done: false}; key and data are built in the timed
// loop, as on the Quarry side.

import { QueryClient } from '@tanstack/query-core'
import { now, secondsSince, timeRuns } from '../measure.mjs'

export async function run ({ n }, runs) {
  const timed = await timeRuns(runs, () => {
    const client = new QueryClient()
    client.mount()

    const start = now()
    for (let i = 0; i < n; i++)
      client.setQueryData(['todos', { page: i % 100, id: i }], { id: i, title: `t${i}`, done: false })
    const seconds = secondsSince(start)

    const entries = client.getQueryCache().getAll().length
    client.clear()
    client.unmount()
    return { seconds, entries }
  })

  const problems = timed.results
    .filter((result) => result.entries !== n)
    .map((result) => `${result.entries} entries in the cache, not ${n}`)
  return {
    figures: {
      seconds: timed.seconds,
      runs: timed.runs,
      n,
      per_op_us: timed.seconds * 1e6 / n,
    },
    problems,
  }
}
