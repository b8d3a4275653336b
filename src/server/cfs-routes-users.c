/* cfs-routes-users.c: site administration of accounts.
 *
 * Site admins list every account and disable, enable, promote or demote
 * them. Disabling ends the account's sessions at once: its REST requests
 * get 401 and its WebSockets close with CONFAB_CLOSE_SESSION_ENDED.
 */
#define G_LOG_DOMAIN "confab-auth"

#include "config.h"

#include "cfs-http.h"
#include "cfs-routes.h"
#include "confab-protocol.h"

static gboolean
check_admin (CfsRequest *request)
{
  if (request->user->is_admin)
    return TRUE;

  cfs_http_send_error (request->msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_FORBIDDEN,
                       "Only site admins can list and change accounts.");
  return FALSE;
}

/* The user object of the admin routes: the public fields plus `disabled`
 * and `created_at`.
 */
static void
add_admin_user_json (JsonBuilder   *builder,
                     const CfsUser *user)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, user->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, user->email);
  json_builder_set_member_name (builder, "avatar_url");
  if (user->avatar_url != NULL)
    json_builder_add_string_value (builder, user->avatar_url);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "is_admin");
  json_builder_add_boolean_value (builder, user->is_admin);
  json_builder_set_member_name (builder, "disabled");
  json_builder_add_boolean_value (builder, user->disabled);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, user->created_at);
  json_builder_end_object (builder);
}

/* Parses query parameter @name as an integer from @min to @max, or sends
 * 400 naming it.
 */
static gboolean
get_query_int (CfsRequest  *request,
               GHashTable  *query,
               const char  *name,
               gint64       min,
               gint64       max,
               gint64       default_value,
               gint64      *value_out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  *value_out = default_value;
  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_signed (text, 10, min, max, value_out, NULL))
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_BAD_REQUEST, CONFAB_ERR_INVALID_FIELD,
                           "Query parameter “%s” must be an integer from %" G_GINT64_FORMAT
                           " to %" G_GINT64_FORMAT ".", name, min, max);
      return FALSE;
    }

  return TRUE;
}

/* Serves GET /api/v1/users?after=<id>&limit=<n>: accounts by id. */
void
cfs_routes_list_users (CfsRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  const char *query_text;
  gint64 after;
  gint64 limit;

  if (!check_admin (request))
    return;

  query_text = g_uri_get_query (soup_server_message_get_uri (request->msg));
  if (query_text != NULL)
    query = soup_form_decode (query_text);

  if (!get_query_int (request, query, "after", 0, G_MAXINT64, 0, &after) ||
      !get_query_int (request, query, "limit", 1, CONFAB_USERS_PAGE_MAX, CONFAB_USERS_PAGE_DEFAULT,
                      &limit))
    return;

  /* One more than the page tells whether another page follows. */
  users = cfs_store_list_users (request->server->store, after, limit + 1, &error);
  if (users == NULL)
    {
      cfs_http_send_internal_error (request->msg, "list the users", error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len && i < limit; i++)
    add_admin_user_json (builder, g_ptr_array_index (users, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "next_after");
  if (users->len > limit)
    json_builder_add_int_value (builder, ((CfsUser *) g_ptr_array_index (users, limit - 1))->id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

/* Serves PATCH /api/v1/users/{id} with any of {"disabled", "is_admin"}. */
void
cfs_routes_update_user (CfsRequest *request)
{
  CfsStore *store = request->server->store;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(CfsUser) target = NULL;
  g_autoptr(CfsUser) updated = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_disabled = FALSE;
  gboolean disabled = FALSE;
  gboolean has_admin = FALSE;
  gboolean is_admin = FALSE;

  if (!check_admin (request))
    return;

  if (!cfs_http_get_bool_field (request->body, "disabled", &has_disabled, &disabled, &error) ||
      !cfs_http_get_bool_field (request->body, "is_admin", &has_admin, &is_admin, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  target = cfs_store_get_user (store, request->ids[0], &error);
  if (target == NULL)
    {
      if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
        cfs_http_send_error (request->msg, SOUP_STATUS_NOT_FOUND, CONFAB_ERR_NOT_FOUND,
                             "User %" G_GINT64_FORMAT " does not exist; GET /api/v1/users lists "
                             "the accounts.", request->ids[0]);
      else
        cfs_http_send_internal_error (request->msg, "read the user", error);
      return;
    }

  /* An admin who disables or demotes themselves could leave the server
   * without any admin, which only the command line can repair.
   */
  if (target->id == request->user->id && ((has_disabled && disabled) || (has_admin && !is_admin)))
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_BAD_REQUEST, CONFAB_ERR_INVALID_FIELD,
                           "You cannot disable your own account or remove your own site admin "
                           "role; ask another site admin to do it.");
      return;
    }

  if ((has_disabled && !cfs_store_set_disabled (store, target->id, disabled, &error)) ||
      (has_admin && !cfs_store_set_admin (store, target->id, is_admin, &error)) ||
      (updated = cfs_store_get_user (store, target->id, &error)) == NULL)
    {
      cfs_http_send_internal_error (request->msg, "change the account", error);
      return;
    }

  if (has_disabled && disabled)
    cfs_hub_end_sessions (request->server->hub, target->id, NULL, CONFAB_SESSION_END_DISABLED);

  if (has_disabled && disabled != target->disabled)
    g_message ("Site admin %" G_GINT64_FORMAT " %s user %" G_GINT64_FORMAT,
               request->user->id, disabled ? "disabled" : "enabled", target->id);
  if (has_admin && is_admin != target->is_admin)
    g_message ("Site admin %" G_GINT64_FORMAT " %s site admin for user %" G_GINT64_FORMAT,
               request->user->id, is_admin ? "granted" : "revoked", target->id);

  add_admin_user_json (builder, updated);
  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}
