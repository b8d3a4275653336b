/* confab-json.c: type-checked reads of JSON from the network */
#include "config.h"

#include "confab-json.h"

static JsonNode *
get_value_node (JsonObject *object,
                const char *member,
                GType       value_type)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != value_type)
    return NULL;

  return node;
}

/**
 * confab_json_get_string:
 *
 * Returns: (transfer none) (nullable): the string value of @member, or
 *   %NULL when it is missing, null or not a string
 */
const char *
confab_json_get_string (JsonObject *object,
                        const char *member)
{
  JsonNode *node = get_value_node (object, member, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

/**
 * confab_json_get_int:
 *
 * Returns: whether @member is an integer; only then is @value set
 */
gboolean
confab_json_get_int (JsonObject *object,
                     const char *member,
                     gint64     *value)
{
  JsonNode *node = get_value_node (object, member, G_TYPE_INT64);

  if (node == NULL)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

/**
 * confab_json_get_boolean:
 *
 * Returns: whether @member is a boolean; only then is @value set
 */
gboolean
confab_json_get_boolean (JsonObject *object,
                         const char *member,
                         gboolean   *value)
{
  JsonNode *node = get_value_node (object, member, G_TYPE_BOOLEAN);

  if (node == NULL)
    return FALSE;

  *value = json_node_get_boolean (node);
  return TRUE;
}

/**
 * confab_json_get_object:
 *
 * Returns: (transfer none) (nullable): the object value of @member
 */
JsonObject *
confab_json_get_object (JsonObject *object,
                        const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

/**
 * confab_json_get_array:
 *
 * Returns: (transfer none) (nullable): the array value of @member
 */
JsonArray *
confab_json_get_array (JsonObject *object,
                       const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}
