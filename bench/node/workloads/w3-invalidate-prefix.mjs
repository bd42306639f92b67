// SPDX-License-Identifier: LGPL-2.1-or-later
//
// W3-invalidate-prefix: N entries keyed ["p<i % 100>", i] with data and no
// observers (untimed), then 100 invalidations of the prefix ["p7"], each
// awaited. invalidateQueries matches keys by prefix (partialMatchKey) unless
// `exact` is set; with the default refetchType 'active' it then looks for
// active queries to refetch, and there are none.

import { QueryClient } from '@tanstack/query-core'
import { now, secondsSince, timeRuns } from '../measure.mjs'

export async function run ({ n, invalidations }, runs) {
  const timed = await timeRuns(runs, async () => {
    const client = new QueryClient()
    client.mount()
    for (let i = 0; i < n; i++)
      client.setQueryData([`p${i % 100}`, i], { id: i, title: `t${i}`, done: false })

    const start = now()
    for (let k = 0; k < invalidations; k++)
      await client.invalidateQueries({ queryKey: ['p7'] })
    const seconds = secondsSince(start)

    const queries = client.getQueryCache().getAll()
    const matched = client.getQueryCache().findAll({ queryKey: ['p7'] }).length
    const invalidated = queries.filter((query) => query.state.isInvalidated).length
    client.clear()
    client.unmount()
    return { seconds, matched, invalidated }
  })

  // The i < n with i % 100 == 7.
  const expected = n > 7 ? Math.floor((n - 8) / 100) + 1 : 0
  const problems = timed.results
    .filter((result) => result.matched !== expected || result.invalidated !== expected)
    .map((result) => `${result.matched} entries matched and ${result.invalidated} invalidated, not ${expected}`)
  return {
    figures: {
      seconds: timed.seconds,
      runs: timed.runs,
      n,
      invalidations,
      matched: timed.middle.matched,
      per_invalidation_us: timed.seconds * 1e6 / invalidations,
    },
    problems,
  }
}
