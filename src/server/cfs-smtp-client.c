/* cfs-smtp-client.c: a small SMTP client (RFC 5321) for invite mail.
 *
 * Each message is one SMTP session on a worker thread (GTask), written with
 * blocking GIO calls and a socket timeout. The session runs EHLO, then
 * STARTTLS (RFC 3207) with GTlsClientConnection and a second EHLO, then
 * AUTH PLAIN (RFC 4616) when a username is set, then MAIL FROM, RCPT TO,
 * DATA and QUIT. The password is never sent over a connection without TLS,
 * except to a loopback server.
 *
 * The settings are copied at creation and never change, so the worker
 * threads read them without locks.
 */
#define G_LOG_DOMAIN "confab-smtp"

#include "config.h"

#include <string.h>

#include "cfs-smtp-client.h"

#define SMTP_TIMEOUT_S 30
#define MAX_REPLY_LINES 100

struct _CfsSmtpClient
{
  GObject       parent_instance;

  char         *host;
  guint16       port;
  gboolean      starttls;
  char         *username;      /* nullable */
  char         *password;      /* nullable; never logged */
  char         *from;          /* the From header, such as "Confab <confab@example.org>" */
  char         *from_address;  /* the envelope sender, such as confab@example.org */
  GTlsDatabase *tls_database;  /* nullable: the system's CAs */
};

typedef struct {
  char *to;
  char *message;
} SendJob;

/* One SMTP session on the worker thread. */
typedef struct {
  CfsSmtpClient    *client;
  GIOStream        *stream;     /* the TCP or, after STARTTLS, the TLS stream */
  GDataInputStream *input;
  GCancellable     *cancellable;
  gboolean          tls;
  GStrv             extensions; /* from the last EHLO reply, upper case */
} Session;

G_DEFINE_FINAL_TYPE (CfsSmtpClient, cfs_smtp_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (cfs-smtp-error-quark, cfs_smtp_error)

static void
send_job_free (SendJob *job)
{
  g_free (job->to);
  g_free (job->message);
  g_free (job);
}

static void
session_clear (Session *session)
{
  g_clear_object (&session->input);
  if (session->stream != NULL)
    g_io_stream_close (session->stream, NULL, NULL);
  g_clear_object (&session->stream);
  g_clear_pointer (&session->extensions, g_strfreev);
}

static void
use_stream (Session   *session,
            GIOStream *stream)
{
  g_clear_object (&session->input);
  g_set_object (&session->stream, stream);

  session->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_data_input_stream_set_newline_type (session->input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (session->input), FALSE);
}

/* Reads one reply, all of its lines, and checks that its code is in the
 * class @expected_class (2 for 2xx, 3 for 3xx). @what names the command
 * for the error message.
 */
static gboolean
read_reply (Session     *session,
            int          expected_class,
            const char  *what,
            GStrv       *lines_out,
            GError     **error)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_autofree char *last = NULL;

  for (guint n = 0; n < MAX_REPLY_LINES; n++)
    {
      gsize length = 0;
      g_autofree char *line = g_data_input_stream_read_line (session->input, &length,
                                                             session->cancellable, error);

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, CFS_SMTP_ERROR, CFS_SMTP_ERROR_PROTOCOL,
                         "The SMTP server %s closed the connection after %s",
                         session->client->host, what);
          return FALSE;
        }

      if (length < 3 || !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) ||
          !g_ascii_isdigit (line[2]) || (length > 3 && line[3] != ' ' && line[3] != '-'))
        {
          g_set_error (error, CFS_SMTP_ERROR, CFS_SMTP_ERROR_PROTOCOL,
                       "The server %s:%u does not speak SMTP: it answered %s with “%.60s”",
                       session->client->host, session->client->port, what, line);
          return FALSE;
        }

      g_strv_builder_add (lines, length > 4 ? line + 4 : "");

      if (length == 3 || line[3] == ' ')
        {
          if (line[0] - '0' != expected_class)
            {
              g_set_error (error, CFS_SMTP_ERROR, CFS_SMTP_ERROR_PROTOCOL,
                           "The SMTP server %s rejected %s: %s",
                           session->client->host, what, line);
              return FALSE;
            }

          if (lines_out != NULL)
            *lines_out = g_strv_builder_end (lines);
          return TRUE;
        }
    }

  g_set_error (error, CFS_SMTP_ERROR, CFS_SMTP_ERROR_PROTOCOL,
               "The SMTP server %s answered %s with more than %d lines",
               session->client->host, what, MAX_REPLY_LINES);
  return FALSE;
}

static gboolean
write_text (Session     *session,
            const char  *text,
            GError     **error)
{
  GOutputStream *output = g_io_stream_get_output_stream (session->stream);

  return g_output_stream_write_all (output, text, strlen (text), NULL, session->cancellable, error) &&
         g_output_stream_flush (output, session->cancellable, error);
}

/* Sends one command line and reads its reply. @what names the command in
 * errors, so that a password in @line never reaches a message.
 */
static gboolean
run_command (Session     *session,
             const char  *line,
             const char  *what,
             int          expected_class,
             GStrv       *lines_out,
             GError     **error)
{
  g_autofree char *text = g_strconcat (line, "\r\n", NULL);

  if (!write_text (session, text, error))
    {
      g_prefix_error (error, "Failed to send %s to the SMTP server %s: ", what, session->client->host);
      return FALSE;
    }

  return read_reply (session, expected_class, what, lines_out, error);
}

static gboolean
say_hello (Session  *session,
           GError  **error)
{
  g_autofree char *ehlo = g_strdup_printf ("EHLO %s", g_get_host_name ());
  g_auto(GStrv) lines = NULL;

  if (!run_command (session, ehlo, "EHLO", 2, &lines, error))
    return FALSE;

  /* The first line greets; each later one names an extension. */
  g_clear_pointer (&session->extensions, g_strfreev);
  session->extensions = g_new0 (char *, g_strv_length (lines) + 1);
  for (guint i = 1; lines[i] != NULL; i++)
    session->extensions[i - 1] = g_ascii_strup (lines[i], -1);

  return TRUE;
}

static gboolean
has_extension (Session    *session,
               const char *name)
{
  gsize length = strlen (name);

  for (guint i = 0; session->extensions[i] != NULL; i++)
    {
      const char *extension = session->extensions[i];

      if (strncmp (extension, name, length) == 0 &&
          (extension[length] == '\0' || extension[length] == ' '))
        return TRUE;
    }

  return FALSE;
}

static gboolean
start_tls (Session  *session,
           GError  **error)
{
  CfsSmtpClient *client = session->client;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (client->host, client->port);
  g_autoptr(GIOStream) tls = NULL;

  if (!has_extension (session, "STARTTLS"))
    {
      g_set_error (error, CFS_SMTP_ERROR, CFS_SMTP_ERROR_SETTINGS,
                   "The SMTP server %s does not offer STARTTLS; set “starttls = false” in "
                   "group [smtp] only if the path to it is protected otherwise", client->host);
      return FALSE;
    }

  if (!run_command (session, "STARTTLS", "STARTTLS", 2, NULL, error))
    return FALSE;

  tls = g_tls_client_connection_new (session->stream, identity, error);
  if (tls == NULL)
    return FALSE;

  if (client->tls_database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), client->tls_database);

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), session->cancellable, error))
    {
      g_prefix_error (error, "TLS with the SMTP server %s failed (for a private CA, set "
                      "“ca_file” in group [smtp]): ", client->host);
      return FALSE;
    }

  use_stream (session, tls);
  session->tls = TRUE;

  return say_hello (session, error);
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  if (address != NULL)
    return g_inet_address_get_is_loopback (address);

  return g_ascii_strcasecmp (host, "localhost") == 0;
}

static gboolean
authenticate (Session  *session,
              GError  **error)
{
  CfsSmtpClient *client = session->client;
  g_autofree char *credentials = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *command = NULL;
  gsize user_length;
  gsize password_length;
  gboolean ok;

  if (!session->tls && !is_loopback_host (client->host))
    {
      g_set_error (error, CFS_SMTP_ERROR, CFS_SMTP_ERROR_SETTINGS,
                   "Refusing to send the SMTP password to %s without TLS: set “starttls = true” "
                   "in group [smtp]", client->host);
      return FALSE;
    }

  /* AUTH PLAIN: base64 of "\0username\0password". */
  user_length = strlen (client->username);
  password_length = strlen (client->password);
  credentials = g_malloc0 (user_length + password_length + 2);
  memcpy (credentials + 1, client->username, user_length);
  memcpy (credentials + 2 + user_length, client->password, password_length);
  encoded = g_base64_encode ((const guchar *) credentials, user_length + password_length + 2);
  command = g_strconcat ("AUTH PLAIN ", encoded, NULL);

  ok = run_command (session, command, "AUTH PLAIN", 2, NULL, error);

  memset (credentials, 0, user_length + password_length + 2);
  memset (encoded, 0, strlen (encoded));
  memset (command, 0, strlen (command));

  return ok;
}

static gboolean
send_message (Session     *session,
              SendJob     *job,
              GError     **error)
{
  CfsSmtpClient *client = session->client;
  g_autofree char *mail_from = g_strdup_printf ("MAIL FROM:<%s>", client->from_address);
  g_autofree char *rcpt_to = g_strdup_printf ("RCPT TO:<%s>", job->to);
  g_autofree char *data = g_strconcat (job->message, "\r\n.\r\n", NULL);

  if (!run_command (session, mail_from, "MAIL FROM", 2, NULL, error) ||
      !run_command (session, rcpt_to, "the recipient", 2, NULL, error) ||
      !run_command (session, "DATA", "DATA", 3, NULL, error))
    return FALSE;

  /* The body is base64, whose lines never start with ".", so the message
   * needs no dot-stuffing.
   */
  if (!write_text (session, data, error))
    {
      g_prefix_error (error, "Failed to send the message to the SMTP server %s: ", client->host);
      return FALSE;
    }

  return read_reply (session, 2, "the message", NULL, error);
}

static void
send_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CfsSmtpClient *self = source_object;
  SendJob *job = task_data;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  Session session = { .client = self, .cancellable = cancellable };

  g_socket_client_set_timeout (socket_client, SMTP_TIMEOUT_S);
  connection = g_socket_client_connect_to_host (socket_client, self->host, self->port,
                                                cancellable, &error);
  if (connection == NULL)
    {
      g_prefix_error (&error, "Failed to connect to the SMTP server %s port %u: ",
                      self->host, self->port);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  use_stream (&session, G_IO_STREAM (connection));

  if (read_reply (&session, 2, "the connection", NULL, &error) &&
      say_hello (&session, &error) &&
      (!self->starttls || start_tls (&session, &error)) &&
      (self->username == NULL || authenticate (&session, &error)) &&
      send_message (&session, job, &error))
    {
      /* The message is accepted; a failed QUIT changes nothing. */
      run_command (&session, "QUIT", "QUIT", 2, NULL, NULL);
      session_clear (&session);
      g_task_return_boolean (task, TRUE);
      return;
    }

  session_clear (&session);
  g_task_return_error (task, g_steal_pointer (&error));
}

/* Returns the address inside "Name <address>", or @from itself. */
static char *
extract_address (const char *from)
{
  const char *open = strrchr (from, '<');
  const char *close = open != NULL ? strchr (open, '>') : NULL;

  if (open != NULL && close != NULL)
    return g_strndup (open + 1, close - open - 1);

  return g_strstrip (g_strdup (from));
}

static gboolean
is_header_safe (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return FALSE;
    }

  return TRUE;
}

static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    {
      g_prefix_error (error, "Failed to read the SMTP password (“password_file” in group [smtp]): ");
      return NULL;
    }

  /* As for the Jitsi secret: one trailing newline is not part of it. */
  if (length > 0 && contents[length - 1] == '\n')
    contents[--length] = '\0';
  if (length > 0 && contents[length - 1] == '\r')
    contents[--length] = '\0';

  return g_steal_pointer (&contents);
}

/* RFC 5322 dates name days and months in English, whatever the locale. */
static char *
format_date (gint64 time)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (time);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date),
                          g_date_time_get_minute (date),
                          g_date_time_get_second (date));
}

static void
append_base64_lines (GString    *out,
                     const char *text)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) text, strlen (text));
  gsize length = strlen (encoded);

  for (gsize i = 0; i < length; i += 76)
    {
      g_string_append_len (out, encoded + i, MIN (76, length - i));
      g_string_append (out, "\r\n");
    }
}

/* Appends @text as RFC 2047 encoded words, so that any UTF-8 survives.
 * Each word carries at most 45 bytes of whole characters, which keeps it
 * under the 75 characters RFC 2047 allows, and goes on its own folded line.
 */
static void
append_encoded_words (GString    *out,
                      const char *text)
{
  const char *start = text;

  while (*start != '\0')
    {
      const char *end = start;
      g_autofree char *encoded = NULL;

      while (*end != '\0' && g_utf8_next_char (end) - start <= 45)
        end = g_utf8_next_char (end);
      if (end == start)
        end = g_utf8_next_char (end);

      encoded = g_base64_encode ((const guchar *) start, end - start);
      g_string_append_printf (out, " =?UTF-8?B?%s?=\r\n", encoded);
      start = end;
    }

  if (start == text)
    g_string_append (out, "\r\n");
}

static void
cfs_smtp_client_finalize (GObject *object)
{
  CfsSmtpClient *self = CFS_SMTP_CLIENT (object);

  g_free (self->host);
  g_free (self->username);
  if (self->password != NULL)
    {
      memset (self->password, 0, strlen (self->password));
      g_free (self->password);
    }
  g_free (self->from);
  g_free (self->from_address);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (cfs_smtp_client_parent_class)->finalize (object);
}

static void
cfs_smtp_client_class_init (CfsSmtpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cfs_smtp_client_finalize;
}

static void
cfs_smtp_client_init (CfsSmtpClient *self)
{
}

/**
 * cfs_smtp_client_new:
 * @config: settings with `smtp_host` set
 *
 * Reads the password file and the CA file the settings name, and checks the
 * sender address.
 *
 * Returns: (transfer full): the client, or %NULL with @error naming the
 *   setting to fix
 */
CfsSmtpClient *
cfs_smtp_client_new (const CfsConfig  *config,
                     GError          **error)
{
  g_autoptr(CfsSmtpClient) self = NULL;

  g_return_val_if_fail (config != NULL && config->smtp_host != NULL, NULL);

  if (config->smtp_from == NULL || !is_header_safe (config->smtp_from) ||
      strchr (config->smtp_from, '@') == NULL)
    {
      g_set_error (error, CFS_SMTP_ERROR, CFS_SMTP_ERROR_SETTINGS,
                   "Set “from” in group [smtp] to the sender of invite mail, such as "
                   "Confab <confab@example.org>");
      return NULL;
    }

  if ((config->smtp_username == NULL) != (config->smtp_password_file == NULL))
    {
      g_set_error (error, CFS_SMTP_ERROR, CFS_SMTP_ERROR_SETTINGS,
                   "Set both “username” and “password_file” in group [smtp], or neither");
      return NULL;
    }

  self = g_object_new (CFS_TYPE_SMTP_CLIENT, NULL);
  self->host = g_strdup (config->smtp_host);
  self->port = config->smtp_port;
  self->starttls = config->smtp_starttls;
  self->username = g_strdup (config->smtp_username);
  self->from = g_strdup (config->smtp_from);
  self->from_address = extract_address (config->smtp_from);

  if (config->smtp_password_file != NULL)
    {
      self->password = read_password_file (config->smtp_password_file, error);
      if (self->password == NULL)
        return NULL;
    }

  if (config->smtp_ca_file != NULL)
    {
      self->tls_database = g_tls_file_database_new (config->smtp_ca_file, error);
      if (self->tls_database == NULL)
        {
          g_prefix_error (error, "Failed to read the CA certificates of “ca_file” in group [smtp]: ");
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/**
 * cfs_smtp_client_send_async:
 * @to: the recipient's address, already checked by the caller
 * @subject: UTF-8 text; newlines are not allowed
 * @body: UTF-8 plain text
 *
 * Sends one message in its own SMTP session, on a worker thread.
 */
void
cfs_smtp_client_send_async (CfsSmtpClient       *self,
                            const char          *to,
                            const char          *subject,
                            const char          *body,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendJob *job;

  g_return_if_fail (CFS_IS_SMTP_CLIENT (self));
  g_return_if_fail (to != NULL && is_header_safe (to));
  g_return_if_fail (subject != NULL && body != NULL);

  job = g_new0 (SendJob, 1);
  job->to = g_strdup (to);
  job->message = cfs_smtp_format_message (self->from, to, subject, body,
                                          g_get_real_time () / G_USEC_PER_SEC);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cfs_smtp_client_send_async);
  g_task_set_task_data (task, job, (GDestroyNotify) send_job_free);
  g_task_run_in_thread (task, send_in_thread);
}

gboolean
cfs_smtp_client_send_finish (CfsSmtpClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
cfs_smtp_format_message (const char *from,
                         const char *to,
                         const char *subject,
                         const char *body,
                         gint64      date)
{
  g_autoptr(GString) message = g_string_new (NULL);
  g_autofree char *date_text = format_date (date);
  g_autofree char *from_address = extract_address (from);
  const char *domain = strrchr (from_address, '@');
  char id[33];

  g_return_val_if_fail (is_header_safe (from) && is_header_safe (to) && is_header_safe (subject), NULL);

  for (guint i = 0; i < 32; i++)
    id[i] = "0123456789abcdef"[g_random_int_range (0, 16)];
  id[32] = '\0';

  g_string_append_printf (message, "From: %s\r\n", from);
  g_string_append_printf (message, "To: <%s>\r\n", to);
  g_string_append (message, "Subject:");
  append_encoded_words (message, subject);
  g_string_append_printf (message, "Date: %s\r\n", date_text);
  g_string_append_printf (message, "Message-ID: <%s%s>\r\n", id, domain != NULL ? domain : "@confab");
  g_string_append (message, "MIME-Version: 1.0\r\n");
  g_string_append (message, "Content-Type: text/plain; charset=UTF-8\r\n");
  g_string_append (message, "Content-Transfer-Encoding: base64\r\n");
  g_string_append (message, "\r\n");
  append_base64_lines (message, body);

  /* The caller sends "\r\n.\r\n" after this, so drop the last line end. */
  g_string_truncate (message, message->len - 2);

  return g_string_free (g_steal_pointer (&message), FALSE);
}
