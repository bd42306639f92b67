/* test-optimistic.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

static void
test_smoke (Fixture       *f,
            gconstpointer  data)
{
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/optimistic/smoke", Fixture, NULL, fixture_setup, test_smoke, fixture_teardown);

  return g_test_run ();
}
