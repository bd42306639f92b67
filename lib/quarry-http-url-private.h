/* quarry-http-url-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where the values of a path template come from. */
typedef struct
{
  JsonObject *variables;       /* a mutation's variables, searched first */
  JsonNode *key;               /* the key as a JSON array: its objects, {0}… */
  const GValue *page_param;    /* {pageParam} */
  gboolean mutation;           /* leftovers come from the variables only */
} QuarryHttpUrlSource;

char *_quarry_http_build_url (const char                 *base_uri,
                              const char                 *path_template,
                              const QuarryHttpUrlSource  *source,
                              gboolean                    leftovers_in_query,
                              GHashTable                **used,
                              GError                    **error);

JsonObject *_quarry_http_leftovers   (const QuarryHttpUrlSource *source,
                                     GHashTable                *used);
JsonNode   *_quarry_http_value_to_json (const GValue          *value);

G_END_DECLS
