/* cfs-test-smtp-sink.c: an SMTP server on loopback for tests. */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "cfs-test-server.h"
#include "cfs-test-smtp-sink.h"

#define CLIENT_TIMEOUT_S 10

struct _CfsTestSmtpSink
{
  GSocketListener *listener;
  GCancellable    *cancellable;
  GTlsCertificate *certificate;   /* nullable: no STARTTLS */
  guint16          port;
  GThread         *thread;

  GMutex           lock;
  GPtrArray       *mails;         /* of CfsTestMail, under lock */
};

/* One client session, on the sink's thread. */
typedef struct {
  CfsTestSmtpSink  *sink;
  GIOStream        *stream;
  GDataInputStream *input;
  CfsTestMail      *mail;         /* the message being received */
  char             *auth;
  gboolean          tls;
} Session;

static CfsTestMail *
mail_copy (const CfsTestMail *mail)
{
  CfsTestMail *copy = g_new0 (CfsTestMail, 1);

  copy->mail_from = g_strdup (mail->mail_from);
  copy->rcpt_to = g_strdup (mail->rcpt_to);
  copy->data = g_strdup (mail->data);
  copy->auth = g_strdup (mail->auth);
  copy->tls = mail->tls;

  return copy;
}

void
cfs_test_mail_free (CfsTestMail *mail)
{
  if (mail == NULL)
    return;

  g_free (mail->mail_from);
  g_free (mail->rcpt_to);
  g_free (mail->data);
  g_free (mail->auth);
  g_free (mail);
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

static gboolean
reply (Session    *session,
       const char *text)
{
  GOutputStream *output = g_io_stream_get_output_stream (session->stream);

  return g_output_stream_write_all (output, text, strlen (text), NULL, NULL, NULL);
}

static char *
read_line (Session *session)
{
  return g_data_input_stream_read_line (session->input, NULL, session->sink->cancellable, NULL);
}

/* Returns the address between < and > of a MAIL FROM or RCPT TO line. */
static char *
get_path (const char *line)
{
  const char *open = strchr (line, '<');
  const char *close = open != NULL ? strchr (open, '>') : NULL;

  return close != NULL ? g_strndup (open + 1, close - open - 1) : g_strdup ("");
}

static gboolean
start_tls (Session *session)
{
  g_autoptr(GIOStream) tls = NULL;

  if (!reply (session, "220 2.0.0 Ready to start TLS\r\n"))
    return FALSE;

  tls = g_tls_server_connection_new (session->stream, session->sink->certificate, NULL);
  if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
    return FALSE;

  use_stream (session, tls);
  session->tls = TRUE;
  return TRUE;
}

static gboolean
receive_data (Session *session)
{
  g_autoptr(GString) data = g_string_new (NULL);

  if (!reply (session, "354 End data with <CR><LF>.<CR><LF>\r\n"))
    return FALSE;

  for (;;)
    {
      g_autofree char *line = read_line (session);

      if (line == NULL)
        return FALSE;
      if (strcmp (line, ".") == 0)
        break;

      if (data->len > 0)
        g_string_append (data, "\r\n");
      /* RFC 5321 4.5.2: a leading dot was doubled by the client. */
      g_string_append (data, line[0] == '.' ? line + 1 : line);
    }

  session->mail->data = g_string_free (g_steal_pointer (&data), FALSE);
  session->mail->auth = g_strdup (session->auth);
  session->mail->tls = session->tls;

  g_mutex_lock (&session->sink->lock);
  g_ptr_array_add (session->sink->mails, g_steal_pointer (&session->mail));
  g_mutex_unlock (&session->sink->lock);

  return reply (session, "250 2.0.0 Queued\r\n");
}

static void
decode_auth_plain (Session    *session,
                   const char *encoded)
{
  gsize length = 0;
  g_autofree guchar *decoded = g_base64_decode (encoded, &length);
  const char *user;
  const char *password;

  /* "authzid\0username\0password" */
  if (length < 2 || memchr (decoded, '\0', length) == NULL)
    return;

  user = memchr (decoded, '\0', length);
  user++;
  password = memchr (user, '\0', length - (user - (const char *) decoded));
  if (password == NULL)
    return;
  password++;

  g_free (session->auth);
  session->auth = g_strdup_printf ("%.*s:%.*s", (int) (password - 1 - user), user,
                                   (int) (length - (password - (const char *) decoded)), password);
}

static gboolean
handle_command (Session    *session,
                const char *line)
{
  CfsTestSmtpSink *sink = session->sink;

  if (g_ascii_strncasecmp (line, "EHLO", 4) == 0 || g_ascii_strncasecmp (line, "HELO", 4) == 0)
    return reply (session, "250-sink.test\r\n") &&
           (sink->certificate == NULL || session->tls || reply (session, "250-STARTTLS\r\n")) &&
           reply (session, "250-AUTH PLAIN\r\n250 8BITMIME\r\n");

  if (g_ascii_strcasecmp (line, "STARTTLS") == 0 && sink->certificate != NULL && !session->tls)
    return start_tls (session);

  if (g_ascii_strncasecmp (line, "AUTH PLAIN ", 11) == 0)
    {
      decode_auth_plain (session, line + 11);
      return reply (session, "235 2.7.0 Authentication successful\r\n");
    }

  if (g_ascii_strncasecmp (line, "MAIL FROM:", 10) == 0)
    {
      g_clear_pointer (&session->mail, cfs_test_mail_free);
      session->mail = g_new0 (CfsTestMail, 1);
      session->mail->mail_from = get_path (line);
      return reply (session, "250 2.1.0 Ok\r\n");
    }

  if (g_ascii_strncasecmp (line, "RCPT TO:", 8) == 0 && session->mail != NULL)
    {
      g_free (session->mail->rcpt_to);
      session->mail->rcpt_to = get_path (line);
      return reply (session, "250 2.1.5 Ok\r\n");
    }

  if (g_ascii_strcasecmp (line, "DATA") == 0 && session->mail != NULL && session->mail->rcpt_to != NULL)
    return receive_data (session);

  if (g_ascii_strcasecmp (line, "RSET") == 0 || g_ascii_strcasecmp (line, "NOOP") == 0)
    return reply (session, "250 2.0.0 Ok\r\n");

  return reply (session, "500 5.5.2 Command not recognized\r\n");
}

static void
serve_client (CfsTestSmtpSink   *sink,
              GSocketConnection *connection)
{
  Session session = { .sink = sink };

  g_socket_set_timeout (g_socket_connection_get_socket (connection), CLIENT_TIMEOUT_S);
  use_stream (&session, G_IO_STREAM (connection));

  if (reply (&session, "220 sink.test ESMTP\r\n"))
    {
      for (;;)
        {
          g_autofree char *line = read_line (&session);

          if (line == NULL)
            break;
          if (g_ascii_strcasecmp (line, "QUIT") == 0)
            {
              reply (&session, "221 2.0.0 Bye\r\n");
              break;
            }
          if (!handle_command (&session, line))
            break;
        }
    }

  g_clear_object (&session.input);
  g_io_stream_close (session.stream, NULL, NULL);
  g_clear_object (&session.stream);
  g_clear_pointer (&session.mail, cfs_test_mail_free);
  g_free (session.auth);
}

static gpointer
run_sink_thread (gpointer user_data)
{
  CfsTestSmtpSink *sink = user_data;

  while (!g_cancellable_is_cancelled (sink->cancellable))
    {
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_listener_accept (sink->listener, NULL, sink->cancellable, NULL);
      if (connection != NULL)
        serve_client (sink, connection);
    }

  return NULL;
}

CfsTestSmtpSink *
cfs_test_smtp_sink_start (const char *cert_file,
                          const char *key_file)
{
  CfsTestSmtpSink *sink = g_new0 (CfsTestSmtpSink, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  if (cert_file != NULL)
    {
      sink->certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
      g_assert_no_error (error);
    }

  sink->listener = g_socket_listener_new ();
  g_socket_listener_add_address (sink->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  sink->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  sink->cancellable = g_cancellable_new ();
  sink->mails = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_test_mail_free);
  g_mutex_init (&sink->lock);
  sink->thread = g_thread_new ("smtp-sink", run_sink_thread, sink);

  return sink;
}

guint16
cfs_test_smtp_sink_get_port (CfsTestSmtpSink *sink)
{
  return sink->port;
}

guint
cfs_test_smtp_sink_count (CfsTestSmtpSink *sink)
{
  guint count;

  g_mutex_lock (&sink->lock);
  count = sink->mails->len;
  g_mutex_unlock (&sink->lock);

  return count;
}

typedef struct {
  CfsTestSmtpSink *sink;
  guint            count;
} CountWait;

static gboolean
has_count (gpointer user_data)
{
  CountWait *wait = user_data;

  return cfs_test_smtp_sink_count (wait->sink) >= wait->count;
}

gboolean
cfs_test_smtp_sink_wait (CfsTestSmtpSink *sink,
                         guint            count,
                         guint            timeout_ms)
{
  CountWait wait = { sink, count };

  return cfs_test_wait_until (has_count, &wait, timeout_ms);
}

CfsTestMail *
cfs_test_smtp_sink_get_mail (CfsTestSmtpSink *sink,
                             guint            index)
{
  CfsTestMail *copy;

  g_mutex_lock (&sink->lock);
  g_assert_cmpuint (index, <, sink->mails->len);
  copy = mail_copy (g_ptr_array_index (sink->mails, index));
  g_mutex_unlock (&sink->lock);

  return copy;
}

void
cfs_test_smtp_sink_free (CfsTestSmtpSink *sink)
{
  if (sink == NULL)
    return;

  g_cancellable_cancel (sink->cancellable);
  g_thread_join (sink->thread);
  g_socket_listener_close (sink->listener);

  g_object_unref (sink->listener);
  g_object_unref (sink->cancellable);
  g_clear_object (&sink->certificate);
  g_ptr_array_unref (sink->mails);
  g_mutex_clear (&sink->lock);
  g_free (sink);
}

char *
cfs_test_mail_dup_body (const CfsTestMail *mail)
{
  const char *start = strstr (mail->data, "\r\n\r\n");
  g_autofree char *joined = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;
  guchar *decoded;

  g_assert_nonnull (start);
  lines = g_strsplit (start + 4, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 76);
  joined = g_strjoinv ("", lines);
  decoded = g_base64_decode (joined, &length);

  return g_strndup ((const char *) decoded, length);
}
