/* Tests of the client message catalogue in src/common/confab-protocol.c. */
#include "config.h"

#include <string.h>

#include "confab-protocol.h"

typedef struct {
  const char *json;
  int         error_code;   /* -1: valid */
  const char *error_text;   /* a substring of the error message, or NULL */
} Case;

static void
check_case (const Case *test_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = NULL;
  const char *type = NULL;

  message = confab_protocol_parse_client_message (test_case->json, strlen (test_case->json),
                                                  &type, &error);

  if (test_case->error_code < 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (message);
      g_assert_nonnull (type);
      return;
    }

  g_assert_error (error, CONFAB_PROTOCOL_ERROR, test_case->error_code);
  g_assert_null (message);
  if (test_case->error_text != NULL)
    g_assert_nonnull (strstr (error->message, test_case->error_text));
}

static void
test_protocol_valid_messages (void)
{
  static const Case cases[] = {
    { "{\"type\":\"ping\"}", -1, NULL },
    { "{\"type\":\"joinRoom\",\"roomId\":7,\"requestId\":\"r1\"}", -1, NULL },
    { "{\"type\":\"raiseHand\",\"roomId\":7,\"raised\":false}", -1, NULL },
    { "{\"type\":\"chat\",\"roomId\":7,\"text\":\"hi <b>\",\"clientMsgId\":\"c-1\"}", -1, NULL },
    { "{\"type\":\"notesUpdate\",\"roomId\":7,\"baseVersion\":0,\"text\":\"\"}", -1, NULL },
    { "{\"type\":\"kick\",\"roomId\":7,\"userId\":2}", -1, NULL },
    { "{\"type\":\"kick\",\"roomId\":7,\"userId\":2,\"reason\":\"spam\",\"ban\":0}", -1, NULL },
    { "{\"type\":\"jitsiJoined\",\"roomId\":7,\"participantId\":\"3f2a9c1b\"}", -1, NULL },
    { "{\"type\":\"setModerator\",\"roomId\":7,\"userId\":2,\"moderator\":true}", -1, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_case (&cases[i]);
}

static void
test_protocol_invalid_messages (void)
{
  static const Case cases[] = {
    { "not json", CONFAB_PROTOCOL_ERROR_INVALID_JSON, "not valid JSON" },
    { "[1,2]", CONFAB_PROTOCOL_ERROR_INVALID_JSON, "JSON object" },
    { "{}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"type\"" },
    { "{\"type\":5}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"type\"" },
    { "{\"type\":\"dance\"}", CONFAB_PROTOCOL_ERROR_UNKNOWN_TYPE, "dance" },
    { "{\"type\":\"joinRoom\"}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"roomId\" is missing" },
    { "{\"type\":\"joinRoom\",\"roomId\":\"7\"}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"roomId\"" },
    { "{\"type\":\"joinRoom\",\"roomId\":0}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "positive" },
    { "{\"type\":\"joinRoom\",\"roomId\":1.5}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"roomId\"" },
    { "{\"type\":\"raiseHand\",\"roomId\":7,\"raised\":1}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"raised\"" },
    { "{\"type\":\"chat\",\"roomId\":7,\"text\":\"x\"}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"clientMsgId\"" },
    { "{\"type\":\"chat\",\"roomId\":7,\"text\":\"x\",\"clientMsgId\":\"\"}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"clientMsgId\"" },
    { "{\"type\":\"ping\",\"requestId\":\"a\\nb\"}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"requestId\"" },
    { "{\"type\":\"kick\",\"roomId\":7,\"userId\":2,\"ban\":-1}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"ban\"" },
    { "{\"type\":\"jitsiJoined\",\"roomId\":7,\"participantId\":\"<img>\"}", CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "\"participantId\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_case (&cases[i]);
}

static char *
build_chat_message (gsize text_chars,
                    const char *character)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < text_chars; i++)
    g_string_append (text, character);

  return g_strdup_printf ("{\"type\":\"chat\",\"roomId\":7,\"text\":\"%s\",\"clientMsgId\":\"c\"}",
                          text->str);
}

static void
test_protocol_chat_length_in_characters (void)
{
  g_autofree char *at_limit = build_chat_message (CONFAB_CHAT_MAX_CHARS, "é");
  g_autofree char *over_limit = build_chat_message (CONFAB_CHAT_MAX_CHARS + 1, "a");
  Case accepted = { at_limit, -1, NULL };
  Case rejected = { over_limit, CONFAB_PROTOCOL_ERROR_INVALID_FIELD, "2000 characters" };

  /* 2,000 two-byte characters are within the limit, which counts characters. */
  check_case (&accepted);
  check_case (&rejected);
}

static void
test_protocol_size_limits (void)
{
  g_autoptr(GString) padding = g_string_new (NULL);
  g_autofree char *small = NULL;
  g_autoptr(GString) huge = g_string_new ("{\"type\":\"ping\",\"x\":\"");
  Case small_over = { NULL, CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LARGE, "\"joinRoom\"" };
  Case huge_over = { NULL, CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LARGE, "98304" };

  /* Unknown members pass the field checks, so only the size limit can stop these. */
  for (gsize i = 0; i < CONFAB_WS_MAX_SMALL_MESSAGE; i++)
    g_string_append_c (padding, 'p');
  small = g_strdup_printf ("{\"type\":\"joinRoom\",\"roomId\":1,\"pad\":\"%s\"}", padding->str);
  small_over.json = small;
  check_case (&small_over);

  for (gsize i = 0; i < CONFAB_WS_MAX_MESSAGE; i++)
    g_string_append_c (huge, 'p');
  g_string_append (huge, "\"}");
  huge_over.json = huge->str;
  check_case (&huge_over);
}

static void
test_protocol_jitsi_id (void)
{
  g_assert_true (confab_protocol_is_jitsi_id ("3f2a9c1b"));
  g_assert_true (confab_protocol_is_jitsi_id ("a_b-C9"));
  g_assert_false (confab_protocol_is_jitsi_id (""));
  g_assert_false (confab_protocol_is_jitsi_id (NULL));
  g_assert_false (confab_protocol_is_jitsi_id ("a b"));
  g_assert_false (confab_protocol_is_jitsi_id ("é"));
  g_assert_false (confab_protocol_is_jitsi_id ("'); alert(1); ('"));
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/protocol/valid-messages", test_protocol_valid_messages);
  g_test_add_func ("/common/protocol/invalid-messages", test_protocol_invalid_messages);
  g_test_add_func ("/common/protocol/chat-length-in-characters", test_protocol_chat_length_in_characters);
  g_test_add_func ("/common/protocol/size-limits", test_protocol_size_limits);
  g_test_add_func ("/common/protocol/jitsi-id", test_protocol_jitsi_id);

  return g_test_run ();
}
