/* quarry-types.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-version.h"

G_BEGIN_DECLS

/**
 * QUARRY_TIME_INFINITE:
 *
 * A duration that never elapses: data that never goes stale, an entry that is
 * never garbage-collected.
 */
#define QUARRY_TIME_INFINITE ((gint64) 9223372036854775807)

/**
 * QUARRY_STALE_TIME_STATIC:
 *
 * A stale time for data that is never stale, not even after an invalidation,
 * and that never refetches on mount, focus or reconnect (TanStack's
 * `staleTime: 'static'`).
 */
#define QUARRY_STALE_TIME_STATIC (-1)

/**
 * QUARRY_RETRY_DELAY_DEFAULT:
 *
 * The retry delay that selects the default exponential back-off:
 * `min (1000 × 2ⁿ, 30000)` milliseconds after the n-th failure (counting from 0).
 */
#define QUARRY_RETRY_DELAY_DEFAULT (-1)

/**
 * QUARRY_RETRY_INFINITE:
 *
 * A retry count that retries forever.
 */
#define QUARRY_RETRY_INFINITE (-1)

/**
 * QuarryStatus:
 * @QUARRY_STATUS_PENDING: there is no data yet
 * @QUARRY_STATUS_ERROR: the last fetch failed; data may still be present
 * @QUARRY_STATUS_SUCCESS: there is data
 *
 * What is known about a query's data.
 *
 * The status describes the data, while [enum@Quarry.FetchStatus] describes
 * the fetch function: a query can be `SUCCESS` and `FETCHING` at once while it
 * revalidates in the background.
 */
typedef enum
{
  QUARRY_STATUS_PENDING,
  QUARRY_STATUS_ERROR,
  QUARRY_STATUS_SUCCESS,
} QuarryStatus;

/**
 * QuarryFetchStatus:
 * @QUARRY_FETCH_STATUS_IDLE: no fetch is running
 * @QUARRY_FETCH_STATUS_FETCHING: the fetch function runs, or a retry waits for its delay
 * @QUARRY_FETCH_STATUS_PAUSED: a fetch wants to run but cannot: the client is
 *   offline, or a retry waits for the window to be focused
 *
 * What a query's fetch function is doing.
 */
typedef enum
{
  QUARRY_FETCH_STATUS_IDLE,
  QUARRY_FETCH_STATUS_FETCHING,
  QUARRY_FETCH_STATUS_PAUSED,
} QuarryFetchStatus;

/**
 * QuarryNetworkMode:
 * @QUARRY_NETWORK_MODE_ONLINE: fetches start only while the client is online;
 *   retries pause while it is offline
 * @QUARRY_NETWORK_MODE_ALWAYS: the network state is ignored
 * @QUARRY_NETWORK_MODE_OFFLINE_FIRST: the first attempt always runs; retries
 *   pause while the client is offline
 *
 * How fetches react to the client's [property@QueryClient:online] state.
 *
 * In every mode, retries wait while the client is not
 * [property@QueryClient:focused].
 */
typedef enum
{
  QUARRY_NETWORK_MODE_ONLINE,
  QUARRY_NETWORK_MODE_ALWAYS,
  QUARRY_NETWORK_MODE_OFFLINE_FIRST,
} QuarryNetworkMode;

/**
 * QuarryRefetchMode:
 * @QUARRY_REFETCH_MODE_NEVER: never refetch on this event
 * @QUARRY_REFETCH_MODE_IF_STALE: refetch when the data is stale
 * @QUARRY_REFETCH_MODE_ALWAYS: always refetch, unless the stale time is
 *   [const@Quarry.STALE_TIME_STATIC]
 *
 * Whether a query refetches when it is mounted, when the window gains focus
 * or when the client comes back online.
 */
typedef enum
{
  QUARRY_REFETCH_MODE_NEVER,
  QUARRY_REFETCH_MODE_IF_STALE,
  QUARRY_REFETCH_MODE_ALWAYS,
} QuarryRefetchMode;

/**
 * QuarryQueryType:
 * @QUARRY_QUERY_TYPE_ALL: every cache entry
 * @QUARRY_QUERY_TYPE_ACTIVE: entries observed by at least one enabled query
 * @QUARRY_QUERY_TYPE_INACTIVE: entries no enabled query observes
 *
 * Which cache entries a [class@QueryFilter] matches by activity.
 */
typedef enum
{
  QUARRY_QUERY_TYPE_ALL,
  QUARRY_QUERY_TYPE_ACTIVE,
  QUARRY_QUERY_TYPE_INACTIVE,
} QuarryQueryType;

/**
 * QuarryRefetchType:
 * @QUARRY_REFETCH_TYPE_DEFAULT: the filter's [property@QueryFilter:query-type] if
 *   it was set, otherwise `ACTIVE`
 * @QUARRY_REFETCH_TYPE_ACTIVE: refetch the matched entries that are active
 * @QUARRY_REFETCH_TYPE_INACTIVE: refetch the matched entries that are inactive
 * @QUARRY_REFETCH_TYPE_ALL: refetch every matched entry
 * @QUARRY_REFETCH_TYPE_NONE: only mark the entries invalid
 *
 * Which invalidated entries [method@QueryClient.invalidate_queries] refetches.
 */
typedef enum
{
  QUARRY_REFETCH_TYPE_DEFAULT,
  QUARRY_REFETCH_TYPE_ACTIVE,
  QUARRY_REFETCH_TYPE_INACTIVE,
  QUARRY_REFETCH_TYPE_ALL,
  QUARRY_REFETCH_TYPE_NONE,
} QuarryRefetchType;

/**
 * QuarryStaleness:
 * @QUARRY_STALENESS_ANY: match stale and fresh entries
 * @QUARRY_STALENESS_STALE: match only stale entries
 * @QUARRY_STALENESS_FRESH: match only fresh entries
 *
 * Which entries a [class@QueryFilter] matches by staleness.
 *
 * An entry nobody observes is stale only when it has no data or was
 * invalidated: its age is not considered, as in TanStack Query.
 */
typedef enum
{
  QUARRY_STALENESS_ANY,
  QUARRY_STALENESS_STALE,
  QUARRY_STALENESS_FRESH,
} QuarryStaleness;

/**
 * QuarryConcurrency:
 * @QUARRY_CONCURRENCY_SWITCH: a new explicit trigger (a refetch, an
 *   invalidation) cancels the fetch in flight and starts over, as long as
 *   there is data; automatic triggers share the fetch in flight
 * @QUARRY_CONCURRENCY_EXHAUST: triggers that arrive while a fetch runs are
 *   coalesced into one trailing fetch after it
 *
 * What a query does with a trigger that arrives while its fetch is running.
 */
typedef enum
{
  QUARRY_CONCURRENCY_SWITCH,
  QUARRY_CONCURRENCY_EXHAUST,
} QuarryConcurrency;

/**
 * QuarryFetchDirection:
 * @QUARRY_FETCH_DIRECTION_NONE: a whole fetch: the first load or a refetch
 *   (of every page, for an infinite query)
 * @QUARRY_FETCH_DIRECTION_FORWARD: a page after the last one
 *   ([method@InfiniteQuery.fetch_next_page]), or a page of a whole fetch of
 *   an infinite query, which goes forward from the first page
 * @QUARRY_FETCH_DIRECTION_BACKWARD: a page before the first one
 *   ([method@InfiniteQuery.fetch_previous_page])
 *
 * Which way a fetch of an infinite query goes, as TanStack's
 * `fetchMeta.fetchMore.direction`.
 */
typedef enum
{
  QUARRY_FETCH_DIRECTION_NONE,
  QUARRY_FETCH_DIRECTION_FORWARD,
  QUARRY_FETCH_DIRECTION_BACKWARD,
} QuarryFetchDirection;

/**
 * QuarryQueryAction:
 * @QUARRY_QUERY_ACTION_FETCH: a fetch started
 * @QUARRY_QUERY_ACTION_SUCCESS: data arrived, from a fetch or written with
 *   [method@QueryClient.set_query_data]
 * @QUARRY_QUERY_ACTION_ERROR: a fetch failed for good
 * @QUARRY_QUERY_ACTION_FAILED: an attempt failed and will be retried
 * @QUARRY_QUERY_ACTION_PAUSE: the fetch paused (offline, or unfocused between retries)
 * @QUARRY_QUERY_ACTION_CONTINUE: a paused fetch continued
 * @QUARRY_QUERY_ACTION_INVALIDATE: the data was marked invalid
 * @QUARRY_QUERY_ACTION_SET_STATE: the state was replaced as a whole (a cancel
 *   that reverted, a reset)
 *
 * The transitions of a cache entry's state, as TanStack Query's reducer
 * actions.
 */
typedef enum
{
  QUARRY_QUERY_ACTION_FETCH,
  QUARRY_QUERY_ACTION_SUCCESS,
  QUARRY_QUERY_ACTION_ERROR,
  QUARRY_QUERY_ACTION_FAILED,
  QUARRY_QUERY_ACTION_PAUSE,
  QUARRY_QUERY_ACTION_CONTINUE,
  QUARRY_QUERY_ACTION_INVALIDATE,
  QUARRY_QUERY_ACTION_SET_STATE,
} QuarryQueryAction;

/**
 * QuarryMutationStatus:
 * @QUARRY_MUTATION_STATUS_IDLE: the mutation has not run, or was reset
 * @QUARRY_MUTATION_STATUS_PENDING: the mutation runs: its function or its
 *   handlers are running, a retry waits for its delay, or it is paused
 * @QUARRY_MUTATION_STATUS_SUCCESS: the last run succeeded
 * @QUARRY_MUTATION_STATUS_ERROR: the last run failed
 *
 * Where a [class@Mutation] is in its lifecycle.
 */
typedef enum
{
  QUARRY_MUTATION_STATUS_IDLE,
  QUARRY_MUTATION_STATUS_PENDING,
  QUARRY_MUTATION_STATUS_SUCCESS,
  QUARRY_MUTATION_STATUS_ERROR,
} QuarryMutationStatus;

/**
 * QuarryMutationAction:
 * @QUARRY_MUTATION_ACTION_PENDING: a run started, or its context was set by
 *   [signal@Mutation::mutate]
 * @QUARRY_MUTATION_ACTION_SUCCESS: the run succeeded, after its handlers ran
 * @QUARRY_MUTATION_ACTION_ERROR: the run failed for good, after its handlers ran
 * @QUARRY_MUTATION_ACTION_FAILED: an attempt failed and will be retried
 * @QUARRY_MUTATION_ACTION_PAUSE: the run paused: offline, queued behind its
 *   scope, or unfocused between retries
 * @QUARRY_MUTATION_ACTION_CONTINUE: a paused run continued
 *
 * The transitions of a mutation run's state, as TanStack Query's mutation
 * reducer actions.
 */
typedef enum
{
  QUARRY_MUTATION_ACTION_PENDING,
  QUARRY_MUTATION_ACTION_SUCCESS,
  QUARRY_MUTATION_ACTION_ERROR,
  QUARRY_MUTATION_ACTION_FAILED,
  QUARRY_MUTATION_ACTION_PAUSE,
  QUARRY_MUTATION_ACTION_CONTINUE,
} QuarryMutationAction;

/**
 * QuarryOptimisticKind:
 * @QUARRY_OPTIMISTIC_SET: the whole data of a key is replaced (a singleton
 *   such as `["todos", 5]`)
 * @QUARRY_OPTIMISTIC_UPSERT: one member of a JSON collection is updated, or
 *   inserted when it is not there, by its id
 * @QUARRY_OPTIMISTIC_DELETE: one member of a JSON collection is deleted by
 *   its id
 *
 * The shapes of optimistic update Quarry applies and rolls back.
 *
 * A JSON collection is an array of objects with an id member, or an object
 * whose member names are the ids.
 */
typedef enum
{
  QUARRY_OPTIMISTIC_SET,
  QUARRY_OPTIMISTIC_UPSERT,
  QUARRY_OPTIMISTIC_DELETE,
} QuarryOptimisticKind;

/**
 * QuarryRetryFunc:
 * @failure_count: how many attempts failed before this one, from 0
 * @error: the error of the attempt that just failed
 * @user_data: the data given with the function
 *
 * Decides whether a failed attempt is retried.
 *
 * Returns: `TRUE` to retry
 */
typedef gboolean (*QuarryRetryFunc) (guint         failure_count,
                                     const GError *error,
                                     gpointer      user_data);

/**
 * QuarryRetryDelayFunc:
 * @failure_count: how many attempts failed before this one, from 0
 * @error: the error of the attempt that just failed
 * @user_data: the data given with the function
 *
 * Computes the delay before a retry.
 *
 * Returns: the delay, in milliseconds
 */
typedef gint64 (*QuarryRetryDelayFunc) (guint         failure_count,
                                        const GError *error,
                                        gpointer      user_data);

G_END_DECLS
