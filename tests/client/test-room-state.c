/* test-room-state.c: the room state model applied to protocol messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <pango/pango.h>
#include <string.h>

#include "confab-protocol.h"
#include "confab-room-state.h"

#define ROOM_ID 7
#define SELF_ID 1

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Applies a message given as JSON and returns the result. */
static ConfabRoomStateResult
apply_json (ConfabRoomState  *state,
            const char       *json,
            GError          **error)
{
  g_autoptr(JsonObject) message = parse_object (json);

  return confab_room_state_apply (state, json_object_get_string_member (message, "type"),
                                  message, error);
}

static void
apply_ok (ConfabRoomState *state,
          const char      *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (apply_json (state, json, &error), ==, CONFAB_ROOM_STATE_APPLIED);
  g_assert_no_error (error);
}

static const char room_state_json[] =
  "{\"type\": \"roomState\", \"requestId\": \"r1\", \"roomId\": 7, \"seq\": 41,"
  " \"room\": {\"id\": 7, \"name\": \"Café Été\", \"topic\": \"Weekly sync\", \"capacity\": 10,"
  "          \"jitsiRoom\": \"cafe-ete-7\"},"
  " \"self\": {\"userId\": 1, \"role\": \"owner\"},"
  " \"participants\": ["
  "   {\"userId\": 1, \"name\": \"Ada Lovelace\", \"avatarUrl\": null, \"role\": \"owner\","
  "    \"isOwner\": true, \"handRaised\": false, \"jitsiId\": \"3f2a9c1b\"},"
  "   {\"userId\": 2, \"name\": \"Grace Hopper\", \"avatarUrl\": null, \"role\": \"member\","
  "    \"isOwner\": false, \"handRaised\": true, \"jitsiId\": null}],"
  " \"notes\": {\"version\": 3, \"text\": \"Agenda\", \"updatedBy\": 1, \"updatedAt\": 1767225600},"
  " \"chat\": [{\"id\": 120, \"userId\": 2, \"name\": \"Grace Hopper\", \"text\": \"Hello!\","
  "            \"sentAt\": 1767225600, \"clientMsgId\": \"c-42\"}]}";

static ConfabRoomState *
new_joined_state (void)
{
  ConfabRoomState *state = confab_room_state_new (ROOM_ID, SELF_ID);

  apply_ok (state, room_state_json);
  return state;
}

static ConfabParticipant *
participant_at (ConfabRoomState *state,
                guint            position)
{
  g_autoptr(ConfabParticipant) participant =
    g_list_model_get_item (confab_room_state_get_participants (state), position);

  return participant;
}

static ConfabChatMessage *
chat_at (ConfabRoomState *state,
         guint            position)
{
  g_autoptr(ConfabChatMessage) message = g_list_model_get_item (confab_room_state_get_chat (state), position);

  return message;
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
count_with_argument_cb (gpointer  instance,
                        gpointer  argument,
                        guint    *count)
{
  (*count)++;
}

static void
test_room_state_snapshot (void)
{
  g_autoptr(ConfabRoomState) state = confab_room_state_new (ROOM_ID, SELF_ID);
  GListModel *participants = confab_room_state_get_participants (state);
  ConfabParticipant *ada, *grace;

  g_assert_false (confab_room_state_get_joined (state));

  apply_ok (state, room_state_json);

  g_assert_true (confab_room_state_get_joined (state));
  g_assert_cmpint (confab_room_state_get_seq (state), ==, 41);
  g_assert_cmpstr (confab_room_state_get_name (state), ==, "Café Été");
  g_assert_cmpstr (confab_room_state_get_topic (state), ==, "Weekly sync");
  g_assert_cmpstr (confab_room_state_get_jitsi_room (state), ==, "cafe-ete-7");
  g_assert_cmpstr (confab_room_state_get_self_role (state), ==, "owner");
  g_assert_true (confab_room_state_get_is_host (state));

  g_assert_cmpuint (g_list_model_get_n_items (participants), ==, 2);
  ada = participant_at (state, 0);
  grace = participant_at (state, 1);
  g_assert_cmpstr (confab_participant_get_name (ada), ==, "Ada Lovelace");
  g_assert_true (confab_participant_get_is_self (ada));
  g_assert_true (confab_participant_get_is_host (ada));
  g_assert_cmpstr (confab_participant_get_jitsi_id (ada), ==, "3f2a9c1b");
  g_assert_false (confab_participant_get_is_self (grace));
  g_assert_false (confab_participant_get_is_host (grace));
  g_assert_true (confab_participant_get_hand_raised (grace));
  g_assert_null (confab_participant_get_jitsi_id (grace));
  g_assert_true (confab_room_state_get_self (state) == ada);

  g_assert_cmpuint (g_list_model_get_n_items (confab_room_state_get_chat (state)), ==, 1);
  g_assert_cmpstr (confab_chat_message_get_text (chat_at (state, 0)), ==, "Hello!");
  g_assert_false (confab_chat_message_get_pending (chat_at (state, 0)));

  g_assert_cmpint (confab_room_state_get_notes_version (state), ==, 3);
  g_assert_cmpstr (confab_room_state_get_notes_text (state), ==, "Agenda");
  g_assert_cmpint (confab_room_state_lookup_jitsi_id (state, "3f2a9c1b"), ==, 1);
}

static void
test_room_state_join_and_leave (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  GListModel *participants = confab_room_state_get_participants (state);

  apply_ok (state,
            "{\"type\": \"userJoined\", \"roomId\": 7, \"seq\": 42, \"participant\":"
            " {\"userId\": 3, \"name\": \"Alan Turing\", \"avatarUrl\": null, \"role\": \"moderator\","
            "  \"isOwner\": false, \"handRaised\": false, \"jitsiId\": null}}");
  g_assert_cmpuint (g_list_model_get_n_items (participants), ==, 3);
  g_assert_cmpstr (confab_participant_get_name (participant_at (state, 2)), ==, "Alan Turing");
  g_assert_true (confab_participant_get_is_host (participant_at (state, 2)));

  apply_ok (state, "{\"type\": \"userLeft\", \"roomId\": 7, \"seq\": 43, \"userId\": 2, \"reason\": \"left\"}");
  g_assert_cmpuint (g_list_model_get_n_items (participants), ==, 2);
  g_assert_null (confab_room_state_find_participant (state, 2));
  g_assert_nonnull (confab_room_state_find_participant (state, 3));
  g_assert_cmpint (confab_room_state_get_seq (state), ==, 43);
}

static void
test_room_state_stale_dropped (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  g_autoptr(GError) error = NULL;

  /* seq 41 is the baseline itself, so this userLeft was already applied. */
  g_assert_cmpint (apply_json (state,
                               "{\"type\": \"userLeft\", \"roomId\": 7, \"seq\": 41, \"userId\": 2,"
                               " \"reason\": \"left\"}", &error),
                   ==, CONFAB_ROOM_STATE_STALE);
  g_assert_no_error (error);
  g_assert_nonnull (confab_room_state_find_participant (state, 2));
  g_assert_cmpint (confab_room_state_get_seq (state), ==, 41);
}

static void
test_room_state_gap_rejoins (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  g_autoptr(GError) error = NULL;
  guint rejoins = 0;
  guint snapshots = 0;

  g_signal_connect (state, "rejoin-needed", G_CALLBACK (count_cb), &rejoins);
  g_signal_connect (state, "snapshot-applied", G_CALLBACK (count_cb), &snapshots);

  g_assert_cmpint (apply_json (state,
                               "{\"type\": \"handRaised\", \"roomId\": 7, \"seq\": 44, \"userId\": 2,"
                               " \"raised\": false, \"byUserId\": 2}", &error),
                   ==, CONFAB_ROOM_STATE_GAP);
  g_assert_no_error (error);
  g_assert_cmpuint (rejoins, ==, 1);
  g_assert_true (confab_participant_get_hand_raised (confab_room_state_find_participant (state, 2)));
  g_assert_cmpint (confab_room_state_get_seq (state), ==, 41);

  /* The rejoin's snapshot is the new baseline, and the same objects are
   * updated in place.
   */
  {
    ConfabParticipant *grace = confab_room_state_find_participant (state, 2);

    apply_ok (state,
              "{\"type\": \"roomState\", \"roomId\": 7, \"seq\": 50,"
              " \"room\": {\"id\": 7, \"name\": \"Café Été\", \"topic\": null, \"capacity\": 10,"
              "          \"jitsiRoom\": \"cafe-ete-7\"},"
              " \"self\": {\"userId\": 1, \"role\": \"owner\"},"
              " \"participants\": ["
              "   {\"userId\": 2, \"name\": \"Grace Hopper\", \"avatarUrl\": null, \"role\": \"member\","
              "    \"isOwner\": false, \"handRaised\": false, \"jitsiId\": \"aa11\"},"
              "   {\"userId\": 1, \"name\": \"Ada Lovelace\", \"avatarUrl\": null, \"role\": \"owner\","
              "    \"isOwner\": true, \"handRaised\": false, \"jitsiId\": \"3f2a9c1b\"}],"
              " \"notes\": {\"version\": 3, \"text\": \"Agenda\", \"updatedBy\": 1, \"updatedAt\": 1},"
              " \"chat\": []}");
    g_assert_cmpuint (snapshots, ==, 1);
    g_assert_true (confab_room_state_find_participant (state, 2) == grace);
    g_assert_false (confab_participant_get_hand_raised (grace));
    g_assert_cmpstr (confab_participant_get_jitsi_id (grace), ==, "aa11");
    g_assert_cmpint (confab_room_state_get_seq (state), ==, 50);
    g_assert_null (confab_room_state_get_topic (state));
    /* Chat history already shown is kept. */
    g_assert_cmpuint (g_list_model_get_n_items (confab_room_state_get_chat (state)), ==, 1);
  }
}

static void
test_room_state_other_room_ignored (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (apply_json (state,
                               "{\"type\": \"userLeft\", \"roomId\": 8, \"seq\": 42, \"userId\": 2,"
                               " \"reason\": \"left\"}", &error),
                   ==, CONFAB_ROOM_STATE_IGNORED);
  g_assert_no_error (error);
  g_assert_nonnull (confab_room_state_find_participant (state, 2));

  g_assert_cmpint (apply_json (state, "{\"type\": \"lobby\", \"page\": 0, \"rooms\": []}", &error),
                   ==, CONFAB_ROOM_STATE_IGNORED);
  g_assert_no_error (error);
}

static void
test_room_state_events_before_snapshot (void)
{
  g_autoptr(ConfabRoomState) state = confab_room_state_new (ROOM_ID, SELF_ID);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (apply_json (state,
                               "{\"type\": \"userJoined\", \"roomId\": 7, \"seq\": 1, \"participant\":"
                               " {\"userId\": 3, \"name\": \"Alan\", \"avatarUrl\": null, \"role\": \"member\","
                               "  \"isOwner\": false, \"handRaised\": false, \"jitsiId\": null}}", &error),
                   ==, CONFAB_ROOM_STATE_IGNORED);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (confab_room_state_get_participants (state)), ==, 0);
}

static void
test_room_state_invalid_rejected (void)
{
  static const char *invalid[] = {
    /* wrong types */
    "{\"type\": \"userLeft\", \"roomId\": 7, \"seq\": 42, \"userId\": \"2\"}",
    "{\"type\": \"userLeft\", \"roomId\": \"7\", \"seq\": 42, \"userId\": 2}",
    "{\"type\": \"userLeft\", \"roomId\": 7, \"seq\": \"42\", \"userId\": 2}",
    "{\"type\": \"handRaised\", \"roomId\": 7, \"seq\": 42, \"userId\": 2, \"raised\": 1}",
    /* missing fields */
    "{\"type\": \"userJoined\", \"roomId\": 7, \"seq\": 42}",
    "{\"type\": \"userJoined\", \"roomId\": 7, \"seq\": 42, \"participant\": {\"userId\": 3}}",
    "{\"type\": \"chatMessage\", \"roomId\": 7, \"seq\": 42, \"message\": {\"id\": 5, \"userId\": 2}}",
    /* out of range */
    "{\"type\": \"roleChanged\", \"roomId\": 7, \"seq\": 42, \"userId\": 2, \"role\": \"king\"}",
    "{\"type\": \"jitsiParticipant\", \"roomId\": 7, \"seq\": 42, \"userId\": 2,"
    " \"participantId\": \"<script>\"}",
    "{\"type\": \"userLeft\", \"roomId\": 7, \"seq\": 42, \"userId\": -2}",
    "{\"type\": \"roomState\", \"roomId\": 7, \"seq\": 50}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(ConfabRoomState) state = new_joined_state ();
      g_autoptr(GError) error = NULL;

      g_test_message ("message: %s", invalid[i]);
      g_assert_cmpint (apply_json (state, invalid[i], &error), ==, CONFAB_ROOM_STATE_INVALID);
      g_assert_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD);

      /* Nothing changed, seq included. */
      g_assert_cmpint (confab_room_state_get_seq (state), ==, 41);
      g_assert_cmpuint (g_list_model_get_n_items (confab_room_state_get_participants (state)), ==, 2);
      g_assert_cmpstr (confab_participant_get_role (confab_room_state_find_participant (state, 2)), ==,
                       "member");
      g_assert_null (confab_participant_get_jitsi_id (confab_room_state_find_participant (state, 2)));
    }
}

static void
test_room_state_invalid_then_gap (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  g_autoptr(GError) error = NULL;
  guint rejoins = 0;

  g_signal_connect (state, "rejoin-needed", G_CALLBACK (count_cb), &rejoins);

  g_assert_cmpint (apply_json (state, "{\"type\": \"userLeft\", \"roomId\": 7, \"seq\": 42, \"userId\": \"x\"}",
                               &error),
                   ==, CONFAB_ROOM_STATE_INVALID);
  g_clear_error (&error);

  /* The invalid event's change is missing, so the next one is a gap. */
  g_assert_cmpint (apply_json (state, "{\"type\": \"userLeft\", \"roomId\": 7, \"seq\": 43, \"userId\": 2}",
                               &error),
                   ==, CONFAB_ROOM_STATE_GAP);
  g_assert_no_error (error);
  g_assert_cmpuint (rejoins, ==, 1);
}

static void
test_room_state_role_changed_live (void)
{
  g_autoptr(ConfabRoomState) state = NULL;
  g_autoptr(JsonObject) snapshot = parse_object (room_state_json);
  g_autoptr(GError) error = NULL;
  ConfabParticipant *grace;
  guint host_notifications = 0;

  /* The same snapshot as Grace (user 2, a member) receives it. */
  json_object_set_int_member (json_object_get_object_member (snapshot, "self"), "userId", 2);
  json_object_set_string_member (json_object_get_object_member (snapshot, "self"), "role", "member");
  state = confab_room_state_new (ROOM_ID, 2);
  g_assert_cmpint (confab_room_state_apply (state, "roomState", snapshot, &error), ==, CONFAB_ROOM_STATE_APPLIED);
  g_assert_no_error (error);

  g_assert_false (confab_room_state_get_is_host (state));
  grace = confab_room_state_get_self (state);
  g_assert_nonnull (grace);
  g_assert_true (confab_participant_get_is_self (grace));

  g_signal_connect (state, "notify::is-host", G_CALLBACK (count_with_argument_cb), &host_notifications);

  apply_ok (state,
            "{\"type\": \"roleChanged\", \"roomId\": 7, \"seq\": 42, \"userId\": 2, \"role\": \"moderator\","
            " \"byUserId\": 1}");
  g_assert_true (confab_room_state_get_is_host (state));
  g_assert_cmpuint (host_notifications, ==, 1);
  g_assert_true (confab_participant_get_is_host (grace));

  apply_ok (state,
            "{\"type\": \"handRaised\", \"roomId\": 7, \"seq\": 43, \"userId\": 2, \"raised\": false,"
            " \"byUserId\": 1}");
  g_assert_false (confab_participant_get_hand_raised (grace));

  apply_ok (state,
            "{\"type\": \"roleChanged\", \"roomId\": 7, \"seq\": 44, \"userId\": 2, \"role\": \"member\","
            " \"byUserId\": 1}");
  g_assert_false (confab_room_state_get_is_host (state));
  g_assert_cmpuint (host_notifications, ==, 2);
}

static void
test_room_state_user_updated (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) nameless = NULL;
  ConfabParticipant *grace = confab_room_state_find_participant (state, 2);

  g_assert_nonnull (grace);
  apply_ok (state,
            "{\"type\": \"userUpdated\", \"roomId\": 7, \"seq\": 42, \"userId\": 2, \"name\": \"Grace B. Hopper\","
            " \"avatarUrl\": \"https://example.org/grace.png\"}");
  g_assert_cmpstr (confab_participant_get_name (grace), ==, "Grace B. Hopper");
  g_assert_cmpstr (confab_participant_get_avatar_url (grace), ==, "https://example.org/grace.png");

  /* A name is required; the participant keeps the one it had. */
  nameless = parse_object ("{\"type\": \"userUpdated\", \"roomId\": 7, \"seq\": 43, \"userId\": 2, \"avatarUrl\": null}");
  g_assert_cmpint (confab_room_state_apply (state, "userUpdated", nameless, &error), ==, CONFAB_ROOM_STATE_INVALID);
  g_assert_nonnull (error);
  g_assert_cmpstr (confab_participant_get_name (grace), ==, "Grace B. Hopper");
}

static void
test_room_state_chat_pending_then_ack (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  GListModel *chat = confab_room_state_get_chat (state);
  ConfabChatMessage *pending;
  guint received = 0;

  g_signal_connect (state, "chat-message-received", G_CALLBACK (count_with_argument_cb), &received);

  pending = confab_room_state_add_pending_chat (state, "See https://example.org <b>now</b>", "c-1");
  g_assert_true (confab_chat_message_get_pending (pending));
  g_assert_cmpstr (confab_chat_message_get_name (pending), ==, "Ada Lovelace");
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);

  apply_ok (state, "{\"type\": \"chatAck\", \"roomId\": 7, \"clientMsgId\": \"c-1\", \"id\": 121, \"sentAt\": 1767225700}");
  g_assert_false (confab_chat_message_get_pending (pending));
  g_assert_cmpint (confab_chat_message_get_id (pending), ==, 121);
  g_assert_cmpint (confab_chat_message_get_sent_at (pending), ==, 1767225700);

  /* The room broadcast of the same message does not add a second copy. */
  apply_ok (state,
            "{\"type\": \"chatMessage\", \"roomId\": 7, \"seq\": 42, \"message\": {\"id\": 121, \"userId\": 1,"
            " \"name\": \"Ada Lovelace\", \"text\": \"See https://example.org <b>now</b>\","
            " \"sentAt\": 1767225700, \"clientMsgId\": \"c-1\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);
  g_assert_cmpuint (received, ==, 0);

  /* Someone else's message is added and announced. */
  apply_ok (state,
            "{\"type\": \"chatMessage\", \"roomId\": 7, \"seq\": 43, \"message\": {\"id\": 122, \"userId\": 2,"
            " \"name\": \"Grace Hopper\", \"text\": \"Hi\", \"sentAt\": 1767225701, \"clientMsgId\": \"g-9\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 3);
  g_assert_cmpuint (received, ==, 1);
  g_assert_cmpstr (confab_chat_message_get_text (chat_at (state, 2)), ==, "Hi");
}

static void
test_room_state_chat_broadcast_before_ack (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  GListModel *chat = confab_room_state_get_chat (state);
  ConfabChatMessage *pending;

  pending = confab_room_state_add_pending_chat (state, "first", "c-2");

  apply_ok (state,
            "{\"type\": \"chatMessage\", \"roomId\": 7, \"seq\": 42, \"message\": {\"id\": 130, \"userId\": 1,"
            " \"name\": \"Ada Lovelace\", \"text\": \"first\", \"sentAt\": 1767225800, \"clientMsgId\": \"c-2\"}}");
  g_assert_false (confab_chat_message_get_pending (pending));
  g_assert_cmpint (confab_chat_message_get_id (pending), ==, 130);

  apply_ok (state, "{\"type\": \"chatAck\", \"roomId\": 7, \"clientMsgId\": \"c-2\", \"id\": 130, \"sentAt\": 1767225800}");
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);
}

static void
test_room_state_chat_rejected (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  GListModel *chat = confab_room_state_get_chat (state);
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  confab_room_state_add_pending_chat (state, "too fast", "c-3");
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);

  text = confab_room_state_remove_pending_chat (state, "c-3");
  g_assert_cmpstr (text, ==, "too fast");
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 1);

  /* Only pending messages can be taken back. */
  again = confab_room_state_remove_pending_chat (state, "c-42");
  g_assert_null (again);
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 1);
}

static void
test_room_state_earlier_chat (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  g_autoptr(JsonObject) page = parse_object (
    "{\"messages\": ["
    "  {\"id\": 118, \"user_id\": 1, \"name\": \"Ada Lovelace\", \"text\": \"first\", \"sent_at\": 1767225500,"
    "   \"client_msg_id\": null},"
    "  {\"id\": 119, \"user_id\": 2, \"name\": \"Grace Hopper\", \"text\": \"second\", \"sent_at\": 1767225550,"
    "   \"client_msg_id\": \"g-1\"},"
    "  {\"id\": 120, \"user_id\": 2, \"name\": \"Grace Hopper\", \"text\": \"Hello!\", \"sent_at\": 1767225600,"
    "   \"client_msg_id\": \"c-42\"}]}");
  g_autoptr(JsonObject) invalid = parse_object ("{\"messages\": [{\"id\": 117, \"userId\": 1}]}");
  g_autoptr(GError) error = NULL;
  GListModel *chat = confab_room_state_get_chat (state);

  g_assert_cmpint (confab_room_state_get_oldest_chat_id (state), ==, 120);

  /* Message 120 is already shown, so two are added above it, in order. */
  g_assert_cmpint (confab_room_state_add_earlier_chat (state, json_object_get_array_member (page, "messages"), &error),
                   ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 3);
  g_assert_cmpstr (confab_chat_message_get_text (chat_at (state, 0)), ==, "first");
  g_assert_cmpstr (confab_chat_message_get_text (chat_at (state, 1)), ==, "second");
  g_assert_cmpint (confab_chat_message_get_sent_at (chat_at (state, 1)), ==, 1767225550);
  g_assert_cmpstr (confab_chat_message_get_text (chat_at (state, 2)), ==, "Hello!");
  g_assert_cmpint (confab_room_state_get_oldest_chat_id (state), ==, 118);

  /* A page with an invalid message adds nothing. */
  g_assert_cmpint (confab_room_state_add_earlier_chat (state, json_object_get_array_member (invalid, "messages"), &error),
                   ==, -1);
  g_assert_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD);
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 3);
}

static void
test_room_state_jitsi_ids_and_bans (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();

  apply_ok (state, "{\"type\": \"jitsiParticipant\", \"roomId\": 7, \"seq\": 42, \"userId\": 2, \"participantId\": \"beef01\"}");
  g_assert_cmpstr (confab_participant_get_jitsi_id (confab_room_state_find_participant (state, 2)), ==, "beef01");
  g_assert_cmpint (confab_room_state_lookup_jitsi_id (state, "beef01"), ==, 2);

  confab_room_state_add_ban (state, 2);
  apply_ok (state, "{\"type\": \"userLeft\", \"roomId\": 7, \"seq\": 43, \"userId\": 2, \"reason\": \"kicked\"}");

  /* After the banned user left, their Jitsi id still maps to them. */
  g_assert_cmpint (confab_room_state_lookup_jitsi_id (state, "beef01"), ==, 2);
  g_assert_true (confab_room_state_is_banned (state, 2));
  g_assert_false (confab_room_state_is_banned (state, 1));
  g_assert_cmpint (confab_room_state_lookup_jitsi_id (state, "unknown"), ==, 0);
}

typedef struct {
  char     *by_name;
  char     *reason;
  gboolean  banned;
  gint64    until;
  guint     count;
} KickedRecord;

static void
kicked_cb (ConfabRoomState *state,
           const char      *by_name,
           const char      *reason,
           gboolean         banned,
           gint64           until,
           KickedRecord    *record)
{
  g_free (record->by_name);
  g_free (record->reason);
  record->by_name = g_strdup (by_name);
  record->reason = g_strdup (reason);
  record->banned = banned;
  record->until = until;
  record->count++;
}

static void
test_room_state_kicked (void)
{
  static const struct {
    const char *json;
    const char *reason;
    gboolean    banned;
    gint64      until;
  } cases[] = {
    { "{\"type\": \"kicked\", \"roomId\": 7, \"byUserId\": 3, \"byName\": \"Alan Turing\","
      " \"reason\": \"spam\", \"ban\": {\"until\": 1767229200}}", "spam", TRUE, 1767229200 },
    { "{\"type\": \"kicked\", \"roomId\": 7, \"byUserId\": 3, \"byName\": \"Alan Turing\"}",
      NULL, FALSE, 0 },
    { "{\"type\": \"kicked\", \"roomId\": 7, \"byUserId\": 3, \"byName\": \"Alan Turing\","
      " \"reason\": \"\", \"ban\": {\"until\": null}}", NULL, TRUE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ConfabRoomState) state = new_joined_state ();
      KickedRecord record = { 0, };

      g_test_message ("message: %s", cases[i].json);
      g_signal_connect (state, "kicked", G_CALLBACK (kicked_cb), &record);

      apply_ok (state, cases[i].json);
      g_assert_cmpuint (record.count, ==, 1);
      g_assert_cmpstr (record.by_name, ==, "Alan Turing");
      g_assert_cmpstr (record.reason, ==, cases[i].reason);
      g_assert_cmpint (record.banned, ==, cases[i].banned);
      g_assert_cmpint (record.until, ==, cases[i].until);
      g_assert_false (confab_room_state_get_joined (state));

      g_free (record.by_name);
      g_free (record.reason);
    }
}

typedef struct {
  char     *by_name;
  gboolean  everyone;
  guint     count;
} MuteRecord;

static void
mute_requested_cb (ConfabRoomState *state,
                   const char      *by_name,
                   gboolean         everyone,
                   MuteRecord      *record)
{
  g_free (record->by_name);
  record->by_name = g_strdup (by_name);
  record->everyone = everyone;
  record->count++;
}

static void
test_room_state_mute_and_delete (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  MuteRecord record = { 0, };
  guint deleted = 0;

  g_signal_connect (state, "mute-requested", G_CALLBACK (mute_requested_cb), &record);
  g_signal_connect (state, "room-deleted", G_CALLBACK (count_cb), &deleted);

  apply_ok (state,
            "{\"type\": \"muteRequested\", \"roomId\": 7, \"byUserId\": 3, \"byName\": \"Alan Turing\","
            " \"everyone\": true}");
  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpstr (record.by_name, ==, "Alan Turing");
  g_assert_true (record.everyone);

  apply_ok (state, "{\"type\": \"roomDeleted\", \"roomId\": 7}");
  g_assert_cmpuint (deleted, ==, 1);
  g_assert_false (confab_room_state_get_joined (state));

  g_free (record.by_name);
}

typedef struct {
  gint64  version;
  char   *text;
  gint64  updated_by;
  guint   count;
} NotesRecord;

static void
notes_changed_cb (ConfabRoomState *state,
                  gint64           version,
                  const char      *text,
                  gint64           updated_by,
                  NotesRecord     *record)
{
  g_free (record->text);
  record->version = version;
  record->text = g_strdup (text);
  record->updated_by = updated_by;
  record->count++;
}

static void
test_room_state_notes_updated (void)
{
  g_autoptr(ConfabRoomState) state = new_joined_state ();
  NotesRecord record = { 0, };

  g_signal_connect (state, "notes-changed", G_CALLBACK (notes_changed_cb), &record);

  apply_ok (state,
            "{\"type\": \"notesUpdated\", \"roomId\": 7, \"seq\": 42, \"version\": 4,"
            " \"text\": \"Agenda\\n- budget\", \"updatedBy\": 2, \"updatedAt\": 1767225601}");
  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpint (record.version, ==, 4);
  g_assert_cmpstr (record.text, ==, "Agenda\n- budget");
  g_assert_cmpint (record.updated_by, ==, 2);
  g_assert_cmpint (confab_room_state_get_notes_version (state), ==, 4);
  g_assert_cmpstr (confab_room_state_get_notes_text (state), ==, "Agenda\n- budget");

  g_free (record.text);
}

static void
test_notes_merge (void)
{
  static const struct {
    const char *base, *local, *remote, *expected;
  } cases[] = {
    /* One side unchanged. */
    { "abc", "abc", "abXc", "abXc" },
    { "abc", "aYbc", "abc", "aYbc" },
    { "abc", "abcd", "abcd", "abcd" },
    /* Disjoint edits keep both, in either order. */
    { "one\ntwo\nthree\n", "ONE\ntwo\nthree\n", "one\ntwo\nTHREE\n", "ONE\ntwo\nTHREE\n" },
    { "one\ntwo\nthree\n", "one\ntwo\nthree\nfour\n", "zero\none\ntwo\nthree\n", "zero\none\ntwo\nthree\nfour\n" },
    /* An edit right after a replaced span is still disjoint. */
    { "Agenda: budget", "Agenda: budget and hiring", "Agenda: travel", "Agenda: travel and hiring" },
    /* Multi-byte characters at the edges of an edit stay whole. */
    { "Café é", "Café éa", "Cafè é", "Cafè éa" },
    /* Deleting text that someone else changed keeps their change. */
    { "abc def", "abc ", "abc DEF", "abc DEF" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *merged = confab_room_state_merge_notes (cases[i].base, cases[i].local, cases[i].remote);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (merged, ==, cases[i].expected);
      g_assert_true (g_utf8_validate (merged, -1, NULL));
    }
}

static void
test_notes_merge_conflict_keeps_local (void)
{
  g_autofree char *merged = confab_room_state_merge_notes ("Agenda: budget", "Agenda: budget review",
                                                           "Agenda: budget cuts");

  /* Both inserted at the same point: the server's text comes first, then
   * the user's typed words, marked.
   */
  g_assert_true (g_str_has_prefix (merged, "Agenda: budget cuts\n"));
  g_assert_nonnull (strstr (merged, " review"));
  g_assert_nonnull (strstr (merged, "———"));
}

static void
test_chat_markup (void)
{
  static const struct {
    const char *text, *markup;
  } cases[] = {
    { "plain", "plain" },
    /* Markup in a message is text. */
    { "<b>bold</b> & <a href='x'>", "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=&apos;x&apos;&gt;" },
    { "see https://example.org/a?b=1&c=2.", "see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>." },
    { "(http://example.org)", "(<a href=\"http://example.org\">http://example.org</a>)" },
    { "HTTPS://EXAMPLE.ORG and https://b.example", "<a href=\"HTTPS://EXAMPLE.ORG\">HTTPS://EXAMPLE.ORG</a> and <a href=\"https://b.example\">https://b.example</a>" },
    /* Only http and https become links. */
    { "javascript:alert(1) file:///etc/passwd", "javascript:alert(1) file:///etc/passwd" },
    { "https://example.org/\"onclick=\"x", "<a href=\"https://example.org/\">https://example.org/</a>&quot;onclick=&quot;x" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *markup = confab_chat_message_format_markup (cases[i].text);

      g_test_message ("text: %s", cases[i].text);
      g_assert_cmpstr (markup, ==, cases[i].markup);

      /* Without links, the markup must parse back to exactly the typed text. */
      if (strstr (markup, "<a ") == NULL)
        {
          g_autofree char *parsed = NULL;

          g_assert_true (pango_parse_markup (markup, -1, 0, NULL, &parsed, NULL, NULL));
          g_assert_cmpstr (parsed, ==, cases[i].text);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/room-state/snapshot", test_room_state_snapshot);
  g_test_add_func ("/client/room-state/join-and-leave", test_room_state_join_and_leave);
  g_test_add_func ("/client/room-state/stale-dropped", test_room_state_stale_dropped);
  g_test_add_func ("/client/room-state/gap-rejoins", test_room_state_gap_rejoins);
  g_test_add_func ("/client/room-state/other-room-ignored", test_room_state_other_room_ignored);
  g_test_add_func ("/client/room-state/events-before-snapshot", test_room_state_events_before_snapshot);
  g_test_add_func ("/client/room-state/invalid-rejected", test_room_state_invalid_rejected);
  g_test_add_func ("/client/room-state/invalid-then-gap", test_room_state_invalid_then_gap);
  g_test_add_func ("/client/room-state/role-changed-live", test_room_state_role_changed_live);
  g_test_add_func ("/client/room-state/user-updated", test_room_state_user_updated);
  g_test_add_func ("/client/room-state/chat-pending-then-ack", test_room_state_chat_pending_then_ack);
  g_test_add_func ("/client/room-state/chat-broadcast-before-ack", test_room_state_chat_broadcast_before_ack);
  g_test_add_func ("/client/room-state/chat-rejected", test_room_state_chat_rejected);
  g_test_add_func ("/client/room-state/earlier-chat", test_room_state_earlier_chat);
  g_test_add_func ("/client/room-state/jitsi-ids-and-bans", test_room_state_jitsi_ids_and_bans);
  g_test_add_func ("/client/room-state/kicked", test_room_state_kicked);
  g_test_add_func ("/client/room-state/mute-and-delete", test_room_state_mute_and_delete);
  g_test_add_func ("/client/room-state/notes-updated", test_room_state_notes_updated);
  g_test_add_func ("/client/room-state/notes-merge", test_notes_merge);
  g_test_add_func ("/client/room-state/notes-merge-conflict", test_notes_merge_conflict_keeps_local);
  g_test_add_func ("/client/chat/markup", test_chat_markup);

  return g_test_run ();
}
