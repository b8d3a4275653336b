/* cfs-routes.c: the REST API's route table and dispatcher.
 *
 * One SoupServer handler takes every path, and the table below maps a
 * method and a path pattern to a handler. Unknown paths get 404, and known
 * paths with another method get 405 with Allow. Authentication and body
 * parsing happen here, in one place, before any handler runs.
 */
#define G_LOG_DOMAIN "confab-http"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "cfs-http.h"
#include "cfs-routes.h"
#include "confab-protocol.h"

typedef enum {
  ROUTE_PUBLIC = 0,
  ROUTE_AUTH = 1 << 0,           /* needs a session */
  ROUTE_BODY = 1 << 1,           /* takes a JSON object */
  ROUTE_BODY_OPTIONAL = 1 << 2,  /* takes a JSON object or an empty body */
} RouteFlags;

typedef struct {
  const char  *method;
  const char  *pattern;          /* "{id}" segments match positive integers, "{code}" any
                                  * segment of up to 64 bytes */
  RouteFlags   flags;
  void       (*handler) (CfsRequest *request);
} Route;

static void handle_healthz (CfsRequest *request);
static void handle_metrics (CfsRequest *request);
static void handle_messages (CfsRequest *request);
static void handle_history (CfsRequest *request);

static const Route routes[] = {
  { "GET", "/healthz", ROUTE_PUBLIC, handle_healthz },
  { "GET", "/metrics", ROUTE_PUBLIC, handle_metrics },
  { "GET", "/api/v1/server", ROUTE_PUBLIC, cfs_routes_get_server_info },

  { "POST", "/api/v1/auth/register", ROUTE_BODY, cfs_routes_register },
  { "POST", "/api/v1/auth/login", ROUTE_BODY, cfs_routes_login },
  { "POST", "/api/v1/auth/logout", ROUTE_AUTH, cfs_routes_logout },
  { "POST", "/api/v1/auth/logout-all", ROUTE_AUTH, cfs_routes_logout_all },
  { "GET", "/api/v1/me", ROUTE_AUTH, cfs_routes_get_me },
  { "GET", "/api/v1/me/rooms", ROUTE_AUTH, cfs_routes_list_hosted_rooms },
  { "PATCH", "/api/v1/me", ROUTE_AUTH | ROUTE_BODY, cfs_routes_update_me },
  { "POST", "/api/v1/me/password", ROUTE_AUTH | ROUTE_BODY, cfs_routes_change_password },
  { "POST", "/api/v1/users", ROUTE_AUTH | ROUTE_BODY, cfs_routes_create_user },
  { "GET", "/api/v1/users", ROUTE_AUTH, cfs_routes_list_users },
  { "PATCH", "/api/v1/users/{id}", ROUTE_AUTH | ROUTE_BODY, cfs_routes_update_user },

  { "GET", "/api/v1/rooms", ROUTE_AUTH, cfs_routes_list_rooms },
  { "POST", "/api/v1/rooms", ROUTE_AUTH | ROUTE_BODY, cfs_routes_create_room },
  { "GET", "/api/v1/rooms/{id}", ROUTE_AUTH, cfs_routes_get_room },
  { "PATCH", "/api/v1/rooms/{id}", ROUTE_AUTH | ROUTE_BODY, cfs_routes_update_room },
  { "DELETE", "/api/v1/rooms/{id}", ROUTE_AUTH, cfs_routes_delete_room },
  { "POST", "/api/v1/rooms/{id}/token", ROUTE_AUTH, cfs_routes_create_token },
  { "GET", "/api/v1/rooms/{id}/moderators", ROUTE_AUTH, cfs_routes_list_moderators },
  { "PUT", "/api/v1/rooms/{id}/moderators/{id}", ROUTE_AUTH, cfs_routes_grant_moderator },
  { "DELETE", "/api/v1/rooms/{id}/moderators/{id}", ROUTE_AUTH, cfs_routes_revoke_moderator },
  { "GET", "/api/v1/rooms/{id}/bans", ROUTE_AUTH, cfs_routes_list_bans },
  { "PUT", "/api/v1/rooms/{id}/bans/{id}", ROUTE_AUTH | ROUTE_BODY_OPTIONAL, cfs_routes_ban_user },
  { "DELETE", "/api/v1/rooms/{id}/bans/{id}", ROUTE_AUTH, cfs_routes_unban_user },

  { "POST", "/api/v1/rooms/{id}/invites", ROUTE_AUTH | ROUTE_BODY_OPTIONAL, cfs_routes_create_invite },
  { "GET", "/api/v1/rooms/{id}/invites", ROUTE_AUTH, cfs_routes_list_invites },
  { "DELETE", "/api/v1/rooms/{id}/invites/{id}", ROUTE_AUTH, cfs_routes_delete_invite },
  { "GET", "/api/v1/rooms/{id}/access", ROUTE_AUTH, cfs_routes_list_access },
  { "DELETE", "/api/v1/rooms/{id}/access/{id}", ROUTE_AUTH, cfs_routes_revoke_access },
  { "POST", "/api/v1/invites/{code}/accept", ROUTE_AUTH | ROUTE_BODY_OPTIONAL, cfs_routes_accept_invite },
  { "GET", "/join/{id}", ROUTE_PUBLIC, cfs_routes_get_join_page },

  /* Served by the hub, which owns chat and meeting history. */
  { "GET", "/api/v1/rooms/{id}/messages", ROUTE_AUTH, handle_messages },
  { "GET", "/api/v1/rooms/{id}/history", ROUTE_AUTH, handle_history },
};

static void
clear_request (CfsRequest *request)
{
  g_clear_object (&request->server);
  g_clear_object (&request->msg);
  g_clear_pointer (&request->user, cfs_user_free);
  g_clear_pointer (&request->token_hash, g_free);
  g_clear_pointer (&request->body, json_object_unref);
  g_clear_pointer (&request->code, g_free);
}

CfsRequest *
cfs_request_ref (CfsRequest *request)
{
  return g_rc_box_acquire (request);
}

void
cfs_request_unref (CfsRequest *request)
{
  g_rc_box_release_full (request, (GDestroyNotify) clear_request);
}

/* Keeps the message open after the handler returns, until
 * cfs_request_unpause(); the request holds a reference meanwhile.
 */
void
cfs_request_pause (CfsRequest *request)
{
  cfs_request_ref (request);
  soup_server_message_pause (request->msg);
}

void
cfs_request_unpause (CfsRequest *request)
{
  soup_server_message_unpause (request->msg);
  cfs_request_unref (request);
}

static gboolean
parse_id (const char *text,
          gint64     *id_out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;

  *id_out = value;
  return TRUE;
}

static gboolean
match_pattern (const char   *pattern,
               char        **segments,
               gint64       *ids,
               const char  **code_out)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  guint n_ids = 0;
  guint i;

  for (i = 0; parts[i] != NULL && segments[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], "{id}"))
        {
          if (!parse_id (segments[i], &ids[n_ids++]))
            return FALSE;
        }
      else if (g_str_equal (parts[i], "{code}"))
        {
          if (segments[i][0] == '\0' || strlen (segments[i]) > 64)
            return FALSE;
          *code_out = segments[i];
        }
      else if (!g_str_equal (parts[i], segments[i]))
        {
          return FALSE;
        }
    }

  return parts[i] == NULL && segments[i] == NULL;
}

static void
send_method_not_allowed (SoupServerMessage *msg,
                         GString           *allowed)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Allow", allowed->str);
  cfs_http_send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, CONFAB_ERR_METHOD_NOT_ALLOWED,
                       "Method %s is not allowed on %s; use %s.",
                       soup_server_message_get_method (msg),
                       g_uri_get_path (soup_server_message_get_uri (msg)), allowed->str);
}

static void
run_route (CfsServer         *server,
           SoupServerMessage *msg,
           const Route       *route,
           const gint64      *ids,
           const char        *code)
{
  g_autoptr(CfsRequest) request = g_rc_box_new0 (CfsRequest);
  g_autoptr(GError) error = NULL;

  request->server = g_object_ref (server);
  request->msg = g_object_ref (msg);
  request->ids[0] = ids[0];
  request->ids[1] = ids[1];
  request->code = g_strdup (code);

  if (route->flags & ROUTE_AUTH)
    {
      request->user = cfs_http_authenticate (msg, server->store, &request->token_hash);
      if (request->user == NULL)
        return;
    }

  if (route->flags & (ROUTE_BODY | ROUTE_BODY_OPTIONAL))
    {
      request->body = cfs_http_read_json_object (msg, route->flags & ROUTE_BODY_OPTIONAL, &error);
      if (request->body == NULL)
        {
          cfs_http_send_gerror (msg, error);
          return;
        }
    }

  route->handler (request);
}

static void
handle_healthz (CfsRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

/* A reverse proxy on the same machine connects from loopback, so a request
 * that carries a forwarding header came from somewhere else, whether or not
 * the proxy is listed in trusted_proxies.
 */
static gboolean
is_proxied (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  return soup_message_headers_get_list (headers, "X-Forwarded-For") != NULL ||
         soup_message_headers_get_list (headers, "Forwarded") != NULL ||
         soup_message_headers_get_one (headers, "X-Real-IP") != NULL;
}

static gboolean
is_metrics_client (CfsRequest *request)
{
  const char *expected = request->server->config->metrics_token;
  const char *token = cfs_http_get_bearer_token (request->msg);

  if (cfs_http_is_loopback (request->msg) && !is_proxied (request->msg))
    return TRUE;

  return expected != NULL && token != NULL && strlen (token) == strlen (expected) &&
         sodium_memcmp (token, expected, strlen (expected)) == 0;
}

static void
handle_metrics (CfsRequest *request)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!is_metrics_client (request))
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_FORBIDDEN,
                           "Metrics are served to loopback clients that are not behind a proxy, "
                           "or with the metrics token from the server's config as a bearer token.");
      return;
    }

  cfs_hub_append_metrics (request->server->hub, text);

  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "text/plain; version=0.0.4",
                                    SOUP_MEMORY_COPY, text->str, text->len);
}

static void
handle_messages (CfsRequest *request)
{
  cfs_hub_handle_messages (request->server->hub, request->msg, request->user, request->ids[0]);
}

static void
handle_history (CfsRequest *request)
{
  cfs_hub_handle_history (request->server->hub, request->msg, request->user, request->ids[0]);
}

/**
 * cfs_routes_check_headers:
 *
 * Responds with 413 before the body is read when Content-Length is over
 * %CONFAB_REST_MAX_BODY, so an oversized upload is never buffered.
 * Chunked bodies get 411 instead, because libsoup 3.2 would buffer them
 * whole before any handler could count their bytes.
 */
void
cfs_routes_check_headers (CfsServer         *server,
                          SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      cfs_http_send_error (msg, SOUP_STATUS_LENGTH_REQUIRED, CONFAB_ERR_LENGTH_REQUIRED,
                           "Chunked request bodies are not accepted; send the body with "
                           "Content-Length, at most %d bytes.", CONFAB_REST_MAX_BODY);
      return;
    }

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;

  length = soup_message_headers_get_content_length (headers);
  if (length <= CONFAB_REST_MAX_BODY)
    return;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  cfs_http_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, CONFAB_ERR_BODY_TOO_LARGE,
                       "The request body is %" G_GOFFSET_FORMAT " bytes, over the limit of %d bytes.",
                       length, CONFAB_REST_MAX_BODY);
}

void
cfs_routes_handle (CfsServer         *server,
                   SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  g_autoptr(GString) allowed = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      gint64 ids[2] = { 0, 0 };
      const char *code = NULL;

      if (!match_pattern (routes[i].pattern, segments, ids, &code))
        continue;

      if (g_str_equal (routes[i].method, method))
        {
          run_route (server, msg, &routes[i], ids, code);
          return;
        }

      if (allowed->len > 0)
        g_string_append (allowed, ", ");
      g_string_append (allowed, routes[i].method);
    }

  if (allowed->len > 0)
    {
      send_method_not_allowed (msg, allowed);
      return;
    }

  cfs_http_send_error (msg, SOUP_STATUS_NOT_FOUND, CONFAB_ERR_NOT_FOUND,
                       "No such endpoint: %s %s. The API is described in docs/protocol.md.",
                       method, path);
}
