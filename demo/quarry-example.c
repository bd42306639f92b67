/* quarry-example.c: stale-while-revalidate in a terminal.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <quarry.h>

int
main (void)
{
  return 0;
}
