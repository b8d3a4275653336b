/* cfs-test-smtp-sink.h: an SMTP server on loopback that keeps what it
 * receives, for tests of mail sent by confab-server.
 *
 * It runs on a thread of its own, so it answers while the test blocks in
 * its main loop, and speaks enough of RFC 5321 for one client at a time:
 * EHLO, STARTTLS (with a certificate), AUTH PLAIN, MAIL, RCPT, DATA, RSET,
 * NOOP and QUIT.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CfsTestSmtpSink CfsTestSmtpSink;

/* One message as the sink received it. */
typedef struct {
  char     *mail_from;
  char     *rcpt_to;
  char     *data;          /* the DATA text, CRLF line ends, without the final "." */
  char     *auth;          /* "username:password" from AUTH PLAIN, or NULL */
  gboolean  tls;           /* whether STARTTLS came before MAIL */
} CfsTestMail;

/* Listens on 127.0.0.1 with a port picked by the kernel. With @cert_file
 * and @key_file (PEM), the sink offers STARTTLS with that certificate.
 */
CfsTestSmtpSink *cfs_test_smtp_sink_start        (const char       *cert_file,
                                                  const char       *key_file);
guint16          cfs_test_smtp_sink_get_port     (CfsTestSmtpSink  *sink);

/* Waits up to @timeout_ms, iterating the default main context, until the
 * sink holds at least @count messages; returns whether it does.
 */
gboolean         cfs_test_smtp_sink_wait         (CfsTestSmtpSink  *sink,
                                                  guint             count,
                                                  guint             timeout_ms);
guint            cfs_test_smtp_sink_count        (CfsTestSmtpSink  *sink);

/* Returns a copy of message @index; free it with cfs_test_mail_free(). */
CfsTestMail     *cfs_test_smtp_sink_get_mail     (CfsTestSmtpSink  *sink,
                                                  guint             index);
void             cfs_test_mail_free              (CfsTestMail      *mail);

/* Returns the decoded text of @mail's base64 body, after checking that
 * its lines keep to the 76 characters RFC 2045 allows.
 */
char            *cfs_test_mail_dup_body          (const CfsTestMail *mail);

/* Stops the thread, closes the socket and frees @sink. */
void             cfs_test_smtp_sink_free         (CfsTestSmtpSink  *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsTestMail, cfs_test_mail_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsTestSmtpSink, cfs_test_smtp_sink_free)

G_END_DECLS
