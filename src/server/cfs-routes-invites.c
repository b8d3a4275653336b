/* cfs-routes-invites.c: invite links, invite codes, access to private
 * rooms and the web page that invite links fall back to.
 *
 * An invite link is confab://join/<host>[:port]/<room id>, with
 * ?invite=<code> for a private room. The code is a secret: it is stored
 * only as a SHA-256 hash, never logged, and the web page that shows it is
 * served with no-referrer and no-store. Request URLs are never logged by
 * this server, and libsoup logs nothing unless a SoupLogger is attached.
 */
#define G_LOG_DOMAIN "confab-http"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cfs-http.h"
#include "cfs-routes.h"
#include "confab-protocol.h"

typedef struct {
  CfsRequest *request;
  CfsInvite  *invite;     /* NULL for a public room */
  char       *code;
  char       *email;
} EmailJob;

/* Each user may send this many invite mails per hour, so that the
 * server's mail account cannot be used to flood inboxes.
 */
#define EMAIL_INVITES_PER_HOUR 20
#define EMAIL_WINDOW_S (60 * 60)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Counts one mail of the user against the hourly limit, or returns FALSE
 * with the seconds until the oldest counted one leaves the window.
 * NOTE: the counts live in memory, so a restart clears them.
 */
static gboolean
take_email_allowance (CfsRequest *request,
                      gint64     *retry_after_out)
{
  GHashTable *sends = request->server->email_sends;
  gint64 user_id = request->user->id;
  GArray *times = g_hash_table_lookup (sends, &user_id);
  gint64 now = now_seconds ();
  guint expired = 0;

  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (sends, g_memdup2 (&user_id, sizeof user_id), times);
    }

  while (expired < times->len && g_array_index (times, gint64, expired) <= now - EMAIL_WINDOW_S)
    expired++;
  g_array_remove_range (times, 0, expired);

  if (times->len >= EMAIL_INVITES_PER_HOUR)
    {
      *retry_after_out = g_array_index (times, gint64, 0) + EMAIL_WINDOW_S - now;
      return FALSE;
    }

  g_array_append_val (times, now);
  return TRUE;
}

static void
email_job_free (EmailJob *job)
{
  cfs_request_unpause (job->request);
  cfs_invite_free (job->invite);
  g_free (job->code);
  g_free (job->email);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmailJob, email_job_free)

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (time);

  return g_date_time_format_iso8601 (date);
}

/* Host names and IP literals only, so that a Host header cannot put markup
 * or another URL into a link.
 */
static gboolean
is_valid_authority (const char *text)
{
  if (text == NULL || text[0] == '\0' || strlen (text) > 255)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (".-:[]", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* Returns "host[:port]" of the server as users reach it, and in
 * @web_base_out its scheme, host and port: from `public_url` when set,
 * else from the request's Host header.
 */
static char *
get_server_authority (CfsRequest  *request,
                      char       **web_base_out)
{
  const CfsConfig *config = request->server->config;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *host = soup_message_headers_get_one (headers, "Host");

  if (config->public_url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (config->public_url, G_URI_FLAGS_NONE, NULL);
      const char *uri_host = g_uri_get_host (uri);
      gboolean ipv6 = strchr (uri_host, ':') != NULL;
      g_autofree char *authority = NULL;

      if (g_uri_get_port (uri) > 0)
        authority = g_strdup_printf ("%s%s%s:%d", ipv6 ? "[" : "", uri_host, ipv6 ? "]" : "",
                                     g_uri_get_port (uri));
      else
        authority = g_strdup_printf ("%s%s%s", ipv6 ? "[" : "", uri_host, ipv6 ? "]" : "");

      *web_base_out = g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), authority);
      return g_steal_pointer (&authority);
    }

  /* This server speaks plain HTTP. Behind a TLS proxy, public_url gives the
   * https address instead.
   */
  if (!is_valid_authority (host))
    host = strstr (request->server->url, "://") + 3;

  *web_base_out = g_strdup_printf ("http://%s", host);
  return g_strdup (host);
}

/* An invite code is 32 hex digits. Returns it in lower case, or NULL. */
static char *
normalize_code (const char *code)
{
  if (code == NULL || strlen (code) != CFS_INVITE_CODE_BYTES * 2)
    return NULL;

  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isxdigit (*p))
        return NULL;
    }

  return g_ascii_strdown (code, -1);
}

static char *
build_app_link (const char *authority,
                gint64      room_id,
                const char *code)
{
  if (code != NULL)
    return g_strdup_printf (CONFAB_LINK_SCHEME "://join/%s/%" G_GINT64_FORMAT "?invite=%s",
                            authority, room_id, code);

  return g_strdup_printf (CONFAB_LINK_SCHEME "://join/%s/%" G_GINT64_FORMAT, authority, room_id);
}

static char *
build_web_link (const char *web_base,
                gint64      room_id,
                const char *code)
{
  if (code != NULL)
    return g_strdup_printf ("%s/join/%" G_GINT64_FORMAT "?invite=%s", web_base, room_id, code);

  return g_strdup_printf ("%s/join/%" G_GINT64_FORMAT, web_base, room_id);
}

static void
add_nullable_int (JsonBuilder *builder,
                  const char  *name,
                  gint64       value,
                  gboolean     present)
{
  json_builder_set_member_name (builder, name);
  if (present)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Responds 201 with the invite: the code and links, or for a public room
 * the links alone.
 */
static void
send_invite (CfsRequest      *request,
             const CfsInvite *invite,
             const char      *code,
             const char      *emailed_to)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *web_base = NULL;
  g_autofree char *authority = get_server_authority (request, &web_base);
  g_autofree char *app_link = build_app_link (authority, request->ids[0], code);
  g_autofree char *web_link = build_web_link (web_base, request->ids[0], code);

  json_builder_begin_object (builder);
  add_nullable_int (builder, "id", invite != NULL ? invite->id : 0, invite != NULL);
  json_builder_set_member_name (builder, "room_id");
  json_builder_add_int_value (builder, request->ids[0]);
  add_nullable_string (builder, "code", code);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, app_link);
  json_builder_set_member_name (builder, "web_url");
  json_builder_add_string_value (builder, web_link);
  add_nullable_int (builder, "expires_at", invite != NULL ? invite->expires_at : 0, invite != NULL);
  add_nullable_int (builder, "max_uses", invite != NULL ? invite->max_uses : 0, invite != NULL);
  add_nullable_string (builder, "emailed_to", emailed_to);
  json_builder_end_object (builder);

  cfs_http_forbid_caching (request->msg);
  cfs_http_send_builder (request->msg, SOUP_STATUS_CREATED, builder);
}

static char *
build_email_body (CfsRequest      *request,
                  const CfsRoom   *room,
                  const CfsInvite *invite,
                  const char      *code)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *web_base = NULL;
  g_autofree char *authority = get_server_authority (request, &web_base);
  g_autofree char *app_link = build_app_link (authority, room->id, code);
  g_autofree char *web_link = build_web_link (web_base, room->id, code);

  g_string_append_printf (body, _("%s invites you to the room “%s” on Confab.\n\n"),
                          request->user->name, room->name);
  g_string_append_printf (body, _("Open this link in Confab to join:\n%s\n\n"), app_link);
  g_string_append_printf (body, _("If the link does not open Confab, this page explains what to do:\n%s\n"),
                          web_link);

  if (invite != NULL)
    {
      g_autofree char *expiry = format_time (invite->expires_at);

      if (invite->max_uses == 1)
        g_string_append_printf (body, _("\nThe invite works once and expires at %s.\n"), expiry);
      else
        g_string_append_printf (body,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "\nThe invite works %u time and expires at %s.\n",
                                             "\nThe invite works %u times and expires at %s.\n",
                                             invite->max_uses),
                                invite->max_uses, expiry);
    }

  return g_string_free (g_steal_pointer (&body), FALSE);
}

static void
email_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EmailJob) job = user_data;
  CfsRequest *request = job->request;
  g_autoptr(GError) error = NULL;

  if (!cfs_smtp_client_send_finish (CFS_SMTP_CLIENT (source), result, &error))
    {
      g_autoptr(GError) delete_error = NULL;

      g_warning ("Failed to email an invite to room %" G_GINT64_FORMAT " for user %" G_GINT64_FORMAT
                 ": %s", request->ids[0], request->user->id, error->message);

      /* The code never reached anyone, so it must not stay usable. */
      if (job->invite != NULL &&
          !cfs_store_delete_invite (request->server->store, request->ids[0], job->invite->id,
                                    &delete_error))
        g_warning ("Failed to delete invite %" G_GINT64_FORMAT ": %s",
                   job->invite->id, delete_error->message);

      cfs_http_send_error (request->msg, SOUP_STATUS_BAD_GATEWAY, CONFAB_ERR_EMAIL_FAILED,
                           "The invite could not be sent to %s: %s. Check the address, or copy "
                           "the invite link and send it yourself.", job->email, error->message);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " emailed an invite to room %" G_GINT64_FORMAT,
             request->user->id, request->ids[0]);
  send_invite (request, job->invite, job->code, job->email);
}

/* Reads the optional fields of POST /rooms/{id}/invites. */
static gboolean
read_invite_fields (JsonObject  *body,
                    gint64      *ttl_out,
                    gint64      *max_uses_out,
                    const char **email_out,
                    GError     **error)
{
  gboolean present;

  if (!cfs_http_get_int_field (body, "expires_in", CONFAB_INVITE_TTL_MIN, CONFAB_INVITE_TTL_MAX,
                               &present, ttl_out, error))
    return FALSE;
  if (!present)
    *ttl_out = CONFAB_INVITE_TTL_DEFAULT;

  if (!cfs_http_get_int_field (body, "max_uses", 1, CONFAB_INVITE_MAX_USES_MAX,
                               &present, max_uses_out, error))
    return FALSE;
  if (!present)
    *max_uses_out = CONFAB_INVITE_MAX_USES_DEFAULT;

  if (!cfs_http_get_string_field (body, "email", FALSE, 1, CONFAB_EMAIL_MAX, email_out, error))
    return FALSE;

  /* Angle brackets and commas would add recipients or break the envelope. */
  if (*email_out != NULL &&
      (!cfs_routes_check_email (*email_out, "email", error) || strpbrk (*email_out, "<>,;\"") != NULL))
    {
      g_clear_error (error);
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “email” must be one email address like name@example.org, without "
                   "a display name, at most %d bytes.", CONFAB_EMAIL_MAX);
      return FALSE;
    }

  return TRUE;
}

/* Serves POST /api/v1/rooms/{id}/invites (hosts). */
void
cfs_routes_create_invite (CfsRequest *request)
{
  CfsServer *server = request->server;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(CfsInvite) invite = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  const char *email = NULL;
  gint64 ttl = 0;
  gint64 max_uses = 0;
  gint64 retry_after = 0;
  EmailJob *job;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;

  if (room == NULL || !cfs_routes_check_host (request, room))
    return;

  if (!read_invite_fields (request->body, &ttl, &max_uses, &email, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  if (email != NULL && server->smtp == NULL)
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, CONFAB_ERR_EMAIL_INVITES_OFF,
                           "This server does not send email invites: its admin sets up [smtp] "
                           "and public_url in the config. Copy the invite link instead.");
      return;
    }

  if (email != NULL && !take_email_allowance (request, &retry_after))
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                    "Retry-After", seconds);
      cfs_http_send_error (request->msg, CFS_HTTP_STATUS_TOO_MANY_REQUESTS,
                           CONFAB_ERR_RATE_LIMITED,
                           "You sent %d email invites within an hour; try again in %s seconds, "
                           "or copy the invite link instead.", EMAIL_INVITES_PER_HOUR, seconds);
      return;
    }

  /* Anyone who sees a public room may join it, so its link needs no code. */
  if (room->is_private)
    {
      invite = cfs_store_create_invite (server->store, room->id, request->user->id,
                                        now_seconds () + ttl, max_uses, email, &code, &error);
      if (invite == NULL)
        {
          cfs_http_send_internal_error (request->msg, "create the invite", error);
          return;
        }

      g_message ("User %" G_GINT64_FORMAT " created invite %" G_GINT64_FORMAT " to room %"
                 G_GINT64_FORMAT " (%u uses, expires %" G_GINT64_FORMAT ")", request->user->id,
                 invite->id, room->id, invite->max_uses, invite->expires_at);
    }

  if (email == NULL)
    {
      send_invite (request, invite, code, NULL);
      return;
    }

  subject = g_strdup_printf (_("Invitation to “%s” on Confab"), room->name);
  body = build_email_body (request, room, invite, code);

  job = g_new0 (EmailJob, 1);
  cfs_request_pause (request);
  job->request = request;
  job->invite = g_steal_pointer (&invite);
  job->code = g_steal_pointer (&code);
  job->email = g_strdup (email);
  cfs_smtp_client_send_async (server->smtp, email, subject, body, NULL, email_sent_cb, job);
}

/* Serves GET /api/v1/rooms/{id}/invites (hosts): the invites that still
 * work, without their codes, which the server does not keep.
 */
void
cfs_routes_list_invites (CfsRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(GPtrArray) invites = NULL;
  g_autoptr(GError) error = NULL;

  if (room == NULL || !cfs_routes_check_host (request, room))
    return;

  invites = cfs_store_list_invites (request->server->store, room->id, &error);
  if (invites == NULL)
    {
      cfs_http_send_internal_error (request->msg, "list the invites", error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "invites");
  json_builder_begin_array (builder);
  for (guint i = 0; i < invites->len; i++)
    {
      CfsInvite *invite = g_ptr_array_index (invites, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, invite->id);
      cfs_routes_add_user_ref (builder, "created_by", invite->by_user_id, invite->by_name);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_int_value (builder, invite->created_at);
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_int_value (builder, invite->expires_at);
      json_builder_set_member_name (builder, "max_uses");
      json_builder_add_int_value (builder, invite->max_uses);
      json_builder_set_member_name (builder, "uses");
      json_builder_add_int_value (builder, invite->uses);
      add_nullable_string (builder, "email", invite->email);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

/* Serves DELETE /api/v1/rooms/{id}/invites/{invite_id} (hosts). */
void
cfs_routes_delete_invite (CfsRequest *request)
{
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(GError) error = NULL;

  if (room == NULL || !cfs_routes_check_host (request, room))
    return;

  if (!cfs_store_delete_invite (request->server->store, room->id, request->ids[1], &error))
    {
      if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
        cfs_http_send_error (request->msg, SOUP_STATUS_NOT_FOUND, CONFAB_ERR_NOT_FOUND,
                             "Room %" G_GINT64_FORMAT " has no invite %" G_GINT64_FORMAT
                             "; GET its invites to see the ones that still work.",
                             room->id, request->ids[1]);
      else
        cfs_http_send_internal_error (request->msg, "delete the invite", error);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " deleted invite %" G_GINT64_FORMAT " of room %" G_GINT64_FORMAT,
             request->user->id, request->ids[1], room->id);
  cfs_http_send_no_content (request->msg);
}

/* Checks that the invite can be used now, else responds with the reason. */
static gboolean
check_invite_usable (CfsRequest      *request,
                     const CfsInvite *invite)
{
  if (invite->expires_at <= now_seconds ())
    {
      g_autofree char *expiry = format_time (invite->expires_at);

      cfs_http_send_error (request->msg, SOUP_STATUS_GONE, CONFAB_ERR_INVITE_EXPIRED,
                           "This invite to room %" G_GINT64_FORMAT " expired at %s; ask a host "
                           "of the room for a new one.", invite->room_id, expiry);
      return FALSE;
    }

  if (invite->uses >= invite->max_uses)
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_GONE, CONFAB_ERR_INVITE_USED,
                           "This invite to room %" G_GINT64_FORMAT " was already used (%u of %u "
                           "uses); ask a host of the room for a new one.",
                           invite->room_id, invite->uses, invite->max_uses);
      return FALSE;
    }

  return TRUE;
}

/* Serves POST /api/v1/invites/{code}/accept with an optional
 * {"room_id": n}, the room of the link, which must be the invite's.
 */
void
cfs_routes_accept_invite (CfsRequest *request)
{
  CfsServer *server = request->server;
  g_autoptr(CfsInvite) invite = NULL;
  g_autoptr(CfsRoom) room = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = normalize_code (request->code);
  gboolean has_room_id = FALSE;
  gint64 room_id = 0;
  gboolean used = FALSE;

  if (!cfs_http_get_int_field (request->body, "room_id", 1, G_MAXINT64, &has_room_id, &room_id, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  if (code != NULL)
    invite = cfs_store_find_invite (server->store, code, &error);
  if (invite == NULL)
    {
      if (code == NULL || g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
        cfs_http_send_error (request->msg, SOUP_STATUS_NOT_FOUND, CONFAB_ERR_NOT_FOUND,
                             "This invite code is not valid: check that the whole link was copied, "
                             "or ask a host of the room for a new invite.");
      else
        cfs_http_send_internal_error (request->msg, "look up the invite", error);
      return;
    }

  if (has_room_id && room_id != invite->room_id)
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_CONFLICT, CONFAB_ERR_INVITE_WRONG_ROOM,
                           "This invite code is for another room than room %" G_GINT64_FORMAT
                           ": open the invite link exactly as you received it.", room_id);
      return;
    }

  room = cfs_store_get_room (server->store, invite->room_id, &error);
  if (room == NULL)
    {
      cfs_http_send_internal_error (request->msg, "read the room", error);
      return;
    }

  /* A user who can already see the room keeps the invite's uses for others. */
  if (!cfs_store_can_see_room (server->store, room, request->user->id))
    {
      if (!check_invite_usable (request, invite))
        return;

      if (!cfs_store_accept_invite (server->store, invite->id, request->user->id, &used, &error))
        {
          cfs_http_send_internal_error (request->msg, "accept the invite", error);
          return;
        }

      /* Another process (such as a second server on the same database)
       * may have used the last use since the check above.
       */
      if (!used)
        {
          cfs_http_send_error (request->msg, SOUP_STATUS_GONE, CONFAB_ERR_INVITE_USED,
                               "This invite to room %" G_GINT64_FORMAT " was just used up; ask a "
                               "host of the room for a new one.", invite->room_id);
          return;
        }

      g_message ("User %" G_GINT64_FORMAT " accepted invite %" G_GINT64_FORMAT " to room %"
                 G_GINT64_FORMAT, request->user->id, invite->id, room->id);

      /* The user's lobby now gets the room's updates, this one first. */
      cfs_hub_room_changed (server->hub, room->id);
    }

  cfs_routes_add_room_json (builder, request, room);
  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

/* Serves GET /api/v1/rooms/{id}/access (hosts): who joined by invite. */
void
cfs_routes_list_access (CfsRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  if (room == NULL || !cfs_routes_check_host (request, room))
    return;

  list = cfs_store_list_access (request->server->store, room->id, &error);
  if (list == NULL)
    {
      cfs_http_send_internal_error (request->msg, "list the room's access", error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access");
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      CfsAccess *access = g_ptr_array_index (list, i);

      json_builder_begin_object (builder);
      cfs_routes_add_user_ref (builder, "user", access->user_id, access->user_name);
      cfs_routes_add_user_ref (builder, "invited_by", access->by_user_id, access->by_name);
      json_builder_set_member_name (builder, "granted_at");
      json_builder_add_int_value (builder, access->granted_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

/* Serves DELETE /api/v1/rooms/{id}/access/{user_id} (hosts). */
void
cfs_routes_revoke_access (CfsRequest *request)
{
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(GError) error = NULL;

  if (room == NULL || !cfs_routes_check_host (request, room))
    return;

  if (!cfs_store_revoke_access (request->server->store, room->id, request->ids[1], &error))
    {
      cfs_http_send_internal_error (request->msg, "revoke the access", error);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " revoked the access of user %" G_GINT64_FORMAT
             " to room %" G_GINT64_FORMAT, request->user->id, request->ids[1], room->id);
  if (room->is_private)
    cfs_hub_room_hidden (request->server->hub, room->id);
  cfs_http_send_no_content (request->msg);
}

/* Serves GET /join/{id}[?invite=<code>]: a page for browsers that opened
 * an invite link's web address, saying how to open it in Confab. It names
 * no room, so that it tells nothing to someone without an account.
 */
void
cfs_routes_get_join_page (CfsRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
  const char *query_text = g_uri_get_query (soup_server_message_get_uri (request->msg));
  g_autoptr(GHashTable) query = query_text != NULL ? soup_form_decode (query_text) : NULL;
  g_autofree char *code = normalize_code (query != NULL ? g_hash_table_lookup (query, "invite") : NULL);
  g_autofree char *web_base = NULL;
  g_autofree char *authority = get_server_authority (request, &web_base);
  g_autofree char *link = build_app_link (authority, request->ids[0], code);
  g_autofree char *link_html = g_markup_escape_text (link, -1);
  g_autofree char *authority_html = g_markup_escape_text (authority, -1);
  g_autoptr(GString) page = g_string_new (NULL);

  g_string_append (page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"referrer\" content=\"no-referrer\">\n");
  g_string_append_printf (page, "<title>%s</title>\n", _("Join a meeting in Confab"));
  g_string_append (page, "<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;"
                   "padding:0 1em;line-height:1.5}code{word-break:break-all}</style>\n"
                   "</head>\n<body>\n");
  g_string_append_printf (page, "<h1>%s</h1>\n", _("Join a meeting in Confab"));
  g_string_append_printf (page, "<p>%s</p>\n",
                          _("You were invited to a room on a Confab server. Rooms open in the "
                            "Confab desktop app."));
  g_string_append_printf (page, "<p><a href=\"%s\">%s</a></p>\n", link_html, _("Open in Confab"));
  g_string_append_printf (page, "<p>%s</p>\n<p><code>%s</code></p>\n",
                          _("If nothing happens, install Confab, then open the link again, or "
                            "copy this link and paste it into Confab:"),
                          link_html);
  g_string_append (page, "<p>");
  g_string_append_printf (page, _("Sign in to the server %s with your account; a private room "
                                  "asks for the invite in the link once."), authority_html);
  g_string_append (page, "</p>\n");
  if (code != NULL)
    g_string_append_printf (page, "<p>%s</p>\n",
                            _("Keep this link to yourself: the invite in it works only a limited "
                              "number of times."));
  g_string_append (page, "</body>\n</html>\n");

  /* The page contains the invite code: keep it out of caches and out of the
   * Referer of the next request.
   */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'");
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page->str, page->len);
}
