/* confab-protocol.h: names and limits shared by confab and confab-server.
 *
 * docs/protocol.md describes every message; this header is its
 * machine-checked half, so that the client and the server cannot drift.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CONFAB_PROTOCOL_VERSION 1

/* Sizes in bytes unless stated otherwise. */
#define CONFAB_REST_MAX_BODY            (64 * 1024)
#define CONFAB_WS_MAX_MESSAGE           (96 * 1024)
#define CONFAB_WS_MAX_SMALL_MESSAGE     (4 * 1024)
/* The largest message the server sends, by estimate: the roomState of a
 * full room with the longest names, avatar URLs, notes and chat is about
 * 3.4 MiB. Clients set their incoming limit to this.
 */
#define CONFAB_WS_MAX_SERVER_MESSAGE    (4 * 1024 * 1024)
#define CONFAB_CHAT_MAX_CHARS           2000
#define CONFAB_NOTES_MAX_BYTES          (64 * 1024)
#define CONFAB_REQUEST_ID_MAX           64
#define CONFAB_CLIENT_MSG_ID_MAX        64
#define CONFAB_JITSI_ID_MAX             64
#define CONFAB_KICK_REASON_MAX_CHARS    200
#define CONFAB_LOBBY_PAGE_ROOMS         200
#define CONFAB_CHAT_HISTORY_ON_JOIN     50

#define CONFAB_ROOM_NAME_MAX_CHARS      100
#define CONFAB_ROOM_TOPIC_MAX_CHARS     500
#define CONFAB_ROOM_CAPACITY_MIN        2
#define CONFAB_ROOM_CAPACITY_MAX        500
#define CONFAB_ROOM_CAPACITY_DEFAULT    10
#define CONFAB_USER_NAME_MAX_CHARS      80
#define CONFAB_EMAIL_MAX                254
#define CONFAB_PASSWORD_MIN             8
#define CONFAB_PASSWORD_MAX             1024
#define CONFAB_URL_MAX                  2048

/* Invites: unless the host sets other limits, a code works once and
 * expires after a week. Times in seconds.
 */
#define CONFAB_INVITE_TTL_DEFAULT       (7 * 24 * 60 * 60)
#define CONFAB_INVITE_TTL_MIN           60
#define CONFAB_INVITE_TTL_MAX           (30 * 24 * 60 * 60)
#define CONFAB_INVITE_MAX_USES_DEFAULT  1
#define CONFAB_INVITE_MAX_USES_MAX      1000
/* Invite links: confab://join/<host>[:port]/<room id>[?invite=<code>]. */
#define CONFAB_LINK_SCHEME              "confab"

/* GET /api/v1/users pages. */
#define CONFAB_USERS_PAGE_DEFAULT       50
#define CONFAB_USERS_PAGE_MAX           200

/* WebSocket close codes beyond RFC 6455's own (1000, 1008, 1009). */
#define CONFAB_CLOSE_SESSION_ENDED      4001
#define CONFAB_CLOSE_SHUTTING_DOWN      4002
#define CONFAB_CLOSE_SLOW_CONSUMER      4003

/* The reasons sent with CONFAB_CLOSE_SESSION_ENDED, one per cause, so that
 * a client can tell its user what happened in the user's own language.
 */
#define CONFAB_SESSION_END_EXPIRED      "The session expired: sign in again."
#define CONFAB_SESSION_END_SIGNED_OUT   "The session was signed out: sign in again."
#define CONFAB_SESSION_END_EVERYWHERE   "The account was signed out everywhere: sign in again."
#define CONFAB_SESSION_END_PASSWORD     "The account's password was changed: sign in with the new one."
#define CONFAB_SESSION_END_DISABLED     "The account was disabled: ask a site admin to enable it."

/* Roles in a room. */
#define CONFAB_ROLE_OWNER      "owner"
#define CONFAB_ROLE_MODERATOR  "moderator"
#define CONFAB_ROLE_MEMBER     "member"

/* Client → server message types. */
#define CONFAB_MSG_PING              "ping"
#define CONFAB_MSG_SUBSCRIBE_LOBBY   "subscribeLobby"
#define CONFAB_MSG_UNSUBSCRIBE_LOBBY "unsubscribeLobby"
#define CONFAB_MSG_JOIN_ROOM         "joinRoom"
#define CONFAB_MSG_LEAVE_ROOM        "leaveRoom"
#define CONFAB_MSG_RAISE_HAND        "raiseHand"
#define CONFAB_MSG_LOWER_HAND        "lowerHand"
#define CONFAB_MSG_CHAT              "chat"
#define CONFAB_MSG_NOTES_UPDATE      "notesUpdate"
#define CONFAB_MSG_JITSI_JOINED      "jitsiJoined"
#define CONFAB_MSG_MUTE              "mute"
#define CONFAB_MSG_MUTE_EVERYONE     "muteEveryone"
#define CONFAB_MSG_KICK              "kick"
#define CONFAB_MSG_SET_MODERATOR     "setModerator"

/* Server → client message types. */
#define CONFAB_MSG_HELLO             "hello"
#define CONFAB_MSG_PONG              "pong"
#define CONFAB_MSG_OK                "ok"
#define CONFAB_MSG_ERROR             "error"
#define CONFAB_MSG_LOBBY             "lobby"
#define CONFAB_MSG_ROOM_UPDATED      "roomUpdated"
#define CONFAB_MSG_ROOM_DELETED      "roomDeleted"
#define CONFAB_MSG_ROOM_HIDDEN       "roomHidden"
#define CONFAB_MSG_ROOM_ACCESS       "roomAccess"
#define CONFAB_MSG_ROOM_STATE        "roomState"
#define CONFAB_MSG_USER_JOINED       "userJoined"
#define CONFAB_MSG_USER_LEFT         "userLeft"
#define CONFAB_MSG_HAND_RAISED       "handRaised"
#define CONFAB_MSG_CHAT_ACK          "chatAck"
#define CONFAB_MSG_CHAT_MESSAGE      "chatMessage"
#define CONFAB_MSG_NOTES_UPDATED     "notesUpdated"
#define CONFAB_MSG_JITSI_PARTICIPANT "jitsiParticipant"
#define CONFAB_MSG_ROLE_CHANGED      "roleChanged"
#define CONFAB_MSG_USER_UPDATED      "userUpdated"
#define CONFAB_MSG_MUTE_REQUESTED    "muteRequested"
#define CONFAB_MSG_KICKED            "kicked"

/* Error codes, shared by REST bodies and WebSocket `error` messages. */
#define CONFAB_ERR_INVALID_JSON         "invalid-json"
#define CONFAB_ERR_INVALID_FIELD        "invalid-field"
#define CONFAB_ERR_UNKNOWN_TYPE         "unknown-type"
#define CONFAB_ERR_MESSAGE_TOO_LARGE    "message-too-large"
#define CONFAB_ERR_UNAUTHORIZED         "unauthorized"
#define CONFAB_ERR_INVALID_CREDENTIALS  "invalid-credentials"
#define CONFAB_ERR_ACCOUNT_DISABLED     "account-disabled"
#define CONFAB_ERR_FORBIDDEN            "forbidden"
#define CONFAB_ERR_BANNED               "banned"
#define CONFAB_ERR_REGISTRATION_CLOSED  "registration-closed"
#define CONFAB_ERR_NOT_FOUND            "not-found"
#define CONFAB_ERR_METHOD_NOT_ALLOWED   "method-not-allowed"
#define CONFAB_ERR_EMAIL_TAKEN          "email-taken"
#define CONFAB_ERR_ROOM_FULL            "room-full"
#define CONFAB_ERR_NOT_SEATED           "not-seated"
#define CONFAB_ERR_NOT_IN_ROOM          "not-in-room"
#define CONFAB_ERR_CONFLICT             "conflict"
#define CONFAB_ERR_BODY_TOO_LARGE       "body-too-large"
#define CONFAB_ERR_LENGTH_REQUIRED      "length-required"
#define CONFAB_ERR_RATE_LIMITED         "rate-limited"
#define CONFAB_ERR_JITSI_NOT_CONFIGURED "jitsi-not-configured"
#define CONFAB_ERR_INVITE_EXPIRED       "invite-expired"
#define CONFAB_ERR_INVITE_USED          "invite-used"
#define CONFAB_ERR_INVITE_WRONG_ROOM    "invite-wrong-room"
#define CONFAB_ERR_EMAIL_INVITES_OFF    "email-invites-off"
#define CONFAB_ERR_EMAIL_FAILED         "email-failed"
#define CONFAB_ERR_INTERNAL             "internal"

#define CONFAB_PROTOCOL_ERROR (confab_protocol_error_quark ())

/* GError codes from confab_protocol_check_client_message(); the message
 * names the field and says what it must be.
 */
typedef enum {
  CONFAB_PROTOCOL_ERROR_INVALID_JSON,
  CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
  CONFAB_PROTOCOL_ERROR_UNKNOWN_TYPE,
  CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LARGE,
} ConfabProtocolError;

GQuark       confab_protocol_error_quark           (void);

const char  *confab_protocol_error_code            (ConfabProtocolError  error);

JsonObject  *confab_protocol_parse_client_message  (const char          *data,
                                                    gsize                length,
                                                    const char         **type_out,
                                                    GError             **error);

gboolean     confab_protocol_check_client_message  (JsonObject          *message,
                                                    gsize                length,
                                                    const char         **type_out,
                                                    GError             **error);

gboolean     confab_protocol_is_jitsi_id           (const char          *participant_id);

G_END_DECLS
