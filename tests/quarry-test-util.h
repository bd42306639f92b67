/* quarry-test-util.h: fixtures and fetch functions shared by the C tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry.h>

G_BEGIN_DECLS

/* A client on a manual clock, online and focused, following no network. */
typedef struct
{
  QuarryClock *clock;
  QuarryQueryClient *client;
} Fixture;

void fixture_setup    (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);

/* A fetch function under the test's control: it records each call and keeps
 * the context, so the test completes it when it wants, in any order. */
typedef struct
{
  guint calls;
  GPtrArray *pending;   /* QuarryFetchContext, in call order */
  GPtrArray *keys;      /* QuarryKey of each call */
} Fetcher;

Fetcher            *fetcher_new          (void);
void                fetcher_free         (Fetcher *fetcher);
void                fetcher_func         (QuarryFetchContext *context, gpointer user_data);
QuarryFetchContext *fetcher_take         (Fetcher *fetcher, guint index);
void                fetcher_resolve_int  (Fetcher *fetcher, guint index, gint64 value);
void                fetcher_resolve_json (Fetcher *fetcher, guint index, const char *json);
void                fetcher_reject       (Fetcher *fetcher, guint index, const char *message);

/* A mutation function under the test's control: it records each call with
 * its variables and keeps the context, so the test completes runs when it
 * wants, in any order. */
typedef struct
{
  guint calls;
  GPtrArray *pending;     /* QuarryFetchContext, in call order */
  GPtrArray *variables;   /* the JSON text of each call's variables, or "null" */
} Mutator;

Mutator *mutator_new          (void);
void     mutator_free         (Mutator *mutator);
void     mutator_func         (QuarryFetchContext *context, const GValue *variables, gpointer user_data);
void     mutator_resolve_json (Mutator *mutator, guint index, const char *json);
void     mutator_reject       (Mutator *mutator, guint index, const char *message);

/* A fetch function that answers at once: the JSON text in user_data, or an
 * error when it starts with "!". Counts its calls in a static counter. */
void  instant_fetch       (QuarryFetchContext *context, gpointer user_data);
guint instant_fetch_calls (void);
void  instant_fetch_reset (void);

/* A query of the fixture's client on @key_json (or no key), fetching with
 * @fetcher. */
QuarryQuery *make_query (Fixture *f, const char *key_json, Fetcher *fetcher);

/* A GAsyncReadyCallback that stores a reference on the result in the
 * GAsyncResult ** given as user data. */
void store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* A "notify" handler counting notifications per property name in the
 * GHashTable (const char * → count) given as user data. */
void  count_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data);
guint count_of        (GHashTable *counts, const char *name);

QuarryKey *key_new       (const char *json);
GValue    *value_new_int (gint64 v);
gint64     value_get_int (const GValue *value);
char      *value_to_json (const GValue *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetcher, fetcher_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mutator, mutator_free)

G_END_DECLS
