/* confab-json.h: type-checked reads of JSON from the network
 *
 * json-glib's getters raise a critical when a member has an unexpected
 * type, and criticals are fatal in tests. Messages from the server are
 * input, so the client reads them with these helpers, which return
 * "missing" for a member of the wrong type.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *confab_json_get_string  (JsonObject *object,
                                     const char *member);
gboolean    confab_json_get_int     (JsonObject *object,
                                     const char *member,
                                     gint64     *value);
gboolean    confab_json_get_boolean (JsonObject *object,
                                     const char *member,
                                     gboolean   *value);
JsonObject *confab_json_get_object  (JsonObject *object,
                                     const char *member);
JsonArray  *confab_json_get_array   (JsonObject *object,
                                     const char *member);

G_END_DECLS
