/* quarry-keyed-json-private.h: JSON comparisons and JSON → GValue
 * conversion for the keyed list model and its items.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Structural equality of two JSON values, as json_node_equal(), but
 * quicker on the shapes list items have: pointers first, then the hashes
 * sealed objects and arrays keep, then the members of two objects side by
 * side when both have the same members in the same order. Either may be
 * NULL (a missing member), equal only to NULL. */
gboolean _quarry_keyed_json_equal (JsonNode *a,
                                   JsonNode *b);

/* Called for each member that differs between two objects: @old_member is
 * NULL for a member that appeared, @new_member NULL for one that went. */
typedef void (*QuarryMemberDiffFunc) (const char *name,
                                      JsonNode   *old_member,
                                      JsonNode   *new_member,
                                      gpointer    user_data);

/* Reports each member that differs between @old_node and @new_node (JSON
 * objects; anything else counts as an object without members): first
 * the members that went, in @old_node's order, then those of @new_node that
 * changed or came, in its order (so a property that a member that went and
 * a member that came both name ends up with the new member's value).
 * Returns how many were reported. */
guint _quarry_keyed_json_diff_members (JsonNode             *old_node,
                                       JsonNode             *new_node,
                                       QuarryMemberDiffFunc  func,
                                       gpointer              user_data);

/* Converts a JSON member into a value for @pspec (initialising @value):
 * strings, booleans and numbers into the fundamental types (clamped to
 * the property's range; an integer property takes only an integral number
 * that fits 64 bits, a float one clamps to the range of a float), enums
 * from a nick, a name or a number, flags from
 * a number, a "a|b" string or an array of nicks, string arrays into GStrv,
 * JSON into JsonNode, JsonObject and JsonArray properties, ISO 8601
 * strings into GDateTime, JSON into GVariant, and objects into GObject
 * properties through json_gobject_deserialize(). JSON null gives the
 * property's default. Returns FALSE, leaving @value unset, when the
 * member does not fit the property. */
gboolean _quarry_keyed_json_to_value (GParamSpec *pspec,
                                      JsonNode   *node,
                                      GValue     *value);

G_END_DECLS
