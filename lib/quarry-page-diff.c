/* quarry-page-diff.c: which pages of new infinite data were there before.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-infinite-models-private.h"
#include "quarry-value-private.h"

static gboolean
pages_equal (QuarryInfiniteData *a,
             guint               i,
             QuarryInfiniteData *b,
             guint               j)
{
  const GValue *pa = quarry_infinite_data_get_page_param (a, i);
  const GValue *pb = quarry_infinite_data_get_page_param (b, j);

  if ((pa == NULL) != (pb == NULL))
    return FALSE;
  if (pa != NULL && !_quarry_value_equal (pa, pb))
    return FALSE;
  return _quarry_value_equal (quarry_infinite_data_get_page (a, i),
                              quarry_infinite_data_get_page (b, j));
}

void
_quarry_page_diff (QuarryInfiniteData *old_data,
                   QuarryInfiniteData *new_data,
                   gint               *match)
{
  guint n = old_data != NULL ? quarry_infinite_data_get_n_pages (old_data) : 0;
  guint m = new_data != NULL ? quarry_infinite_data_get_n_pages (new_data) : 0;
  guint prefix = 0, suffix = 0;
  g_autofree guint *lengths = NULL;
  g_autofree gboolean *equal = NULL;
  guint rows, cols;

  for (guint j = 0; j < m; j++)
    match[j] = -1;

  /* The common cases (append, prepend, one page changed) are settled by
   * the common prefix and suffix; the rest is a small LCS table. */
  while (prefix < n && prefix < m && pages_equal (old_data, prefix, new_data, prefix))
    {
      match[prefix] = prefix;
      prefix++;
    }
  while (suffix < n - prefix && suffix < m - prefix &&
         pages_equal (old_data, n - 1 - suffix, new_data, m - 1 - suffix))
    {
      match[m - 1 - suffix] = n - 1 - suffix;
      suffix++;
    }

  rows = n - prefix - suffix;
  cols = m - prefix - suffix;
  if (rows == 0 || cols == 0)
    return;

  /* lengths[i][j]: LCS of old[i..] and new[j..], over the middle part. */
  lengths = g_new0 (guint, (gsize) (rows + 1) * (cols + 1));
  equal = g_new0 (gboolean, (gsize) rows * cols);
#define L(i, j) lengths[(gsize) (i) * (cols + 1) + (j)]
#define E(i, j) equal[(gsize) (i) * cols + (j)]
  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      E (i, j) = pages_equal (old_data, prefix + i, new_data, prefix + j);

  for (gint i = rows - 1; i >= 0; i--)
    for (gint j = cols - 1; j >= 0; j--)
      L (i, j) = E (i, j) ? L (i + 1, j + 1) + 1 : MAX (L (i + 1, j), L (i, j + 1));

  for (guint i = 0, j = 0; i < rows && j < cols;)
    {
      if (E (i, j))
        {
          match[prefix + j] = prefix + i;
          i++, j++;
        }
      else if (L (i + 1, j) >= L (i, j + 1))
        i++;
      else
        j++;
    }
#undef L
#undef E
}

GArray *
_quarry_page_runs (QuarryInfiniteData *old_data,
                   QuarryInfiniteData *new_data)
{
  guint n = old_data != NULL ? quarry_infinite_data_get_n_pages (old_data) : 0;
  guint m = new_data != NULL ? quarry_infinite_data_get_n_pages (new_data) : 0;
  g_autofree gint *match = g_new (gint, MAX (m, 1));
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (QuarryPageRun));
  guint i = 0, start = 0;

  _quarry_page_diff (old_data, new_data, match);

  for (guint j = 0; j <= m; j++)
    {
      guint target;

      if (j < m && match[j] < 0)
        continue;

      target = j < m ? (guint) match[j] : n;
      if (target > i || j > start)
        {
          QuarryPageRun run = { i, target - i, start, j - start };

          g_array_append_val (runs, run);
        }
      i = target + 1;
      start = j + 1;
    }

  return runs;
}
