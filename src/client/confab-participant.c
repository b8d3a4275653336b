/* confab-participant.c: one person seated in a room.
 *
 * The room state model owns these objects and updates them in place, so a
 * row bound to one keeps showing the right hand, role and name as events
 * arrive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "confab-room"

#include "config.h"

#include "confab-protocol.h"
#include "confab-participant.h"

struct _ConfabParticipant
{
  GObject   parent_instance;

  gint64    user_id;
  char     *name;
  char     *avatar_url;
  char     *role;
  char     *jitsi_id;
  gboolean  is_owner;
  gboolean  hand_raised;
  gboolean  is_self;
};

G_DEFINE_FINAL_TYPE (ConfabParticipant, confab_participant, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USER_ID,
  PROP_NAME,
  PROP_AVATAR_URL,
  PROP_ROLE,
  PROP_IS_OWNER,
  PROP_IS_HOST,
  PROP_HAND_RAISED,
  PROP_JITSI_ID,
  PROP_IS_SELF,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Replaces *field with a copy of value; TRUE when it changed. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
role_is_host (const char *role,
              gboolean    is_owner)
{
  return is_owner ||
         g_strcmp0 (role, CONFAB_ROLE_OWNER) == 0 ||
         g_strcmp0 (role, CONFAB_ROLE_MODERATOR) == 0;
}

static void
confab_participant_finalize (GObject *object)
{
  ConfabParticipant *self = CONFAB_PARTICIPANT (object);

  g_free (self->name);
  g_free (self->avatar_url);
  g_free (self->role);
  g_free (self->jitsi_id);

  G_OBJECT_CLASS (confab_participant_parent_class)->finalize (object);
}

static void
confab_participant_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabParticipant *self = CONFAB_PARTICIPANT (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      g_value_set_int64 (value, self->user_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_AVATAR_URL:
      g_value_set_string (value, self->avatar_url);
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    case PROP_IS_OWNER:
      g_value_set_boolean (value, self->is_owner);
      break;
    case PROP_IS_HOST:
      g_value_set_boolean (value, confab_participant_get_is_host (self));
      break;
    case PROP_HAND_RAISED:
      g_value_set_boolean (value, self->hand_raised);
      break;
    case PROP_JITSI_ID:
      g_value_set_string (value, self->jitsi_id);
      break;
    case PROP_IS_SELF:
      g_value_set_boolean (value, self->is_self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_participant_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ConfabParticipant *self = CONFAB_PARTICIPANT (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      self->user_id = g_value_get_int64 (value);
      break;
    case PROP_NAME:
      confab_participant_set_name (self, g_value_get_string (value));
      break;
    case PROP_AVATAR_URL:
      confab_participant_set_avatar_url (self, g_value_get_string (value));
      break;
    case PROP_ROLE:
      confab_participant_set_role (self, g_value_get_string (value));
      break;
    case PROP_IS_OWNER:
      confab_participant_set_is_owner (self, g_value_get_boolean (value));
      break;
    case PROP_HAND_RAISED:
      confab_participant_set_hand_raised (self, g_value_get_boolean (value));
      break;
    case PROP_JITSI_ID:
      confab_participant_set_jitsi_id (self, g_value_get_string (value));
      break;
    case PROP_IS_SELF:
      confab_participant_set_is_self (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_participant_class_init (ConfabParticipantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = confab_participant_finalize;
  object_class->get_property = confab_participant_get_property;
  object_class->set_property = confab_participant_set_property;

  properties[PROP_USER_ID] =
    g_param_spec_int64 ("user-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AVATAR_URL] =
    g_param_spec_string ("avatar-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, CONFAB_ROLE_MEMBER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_OWNER] =
    g_param_spec_boolean ("is-owner", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Owners and moderators are the room's hosts. */
  properties[PROP_IS_HOST] =
    g_param_spec_boolean ("is-host", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAND_RAISED] =
    g_param_spec_boolean ("hand-raised", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The participant id that this user's own client reported from the
   * meeting; NULL until it did.
   */
  properties[PROP_JITSI_ID] =
    g_param_spec_string ("jitsi-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_SELF] =
    g_param_spec_boolean ("is-self", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_participant_init (ConfabParticipant *self)
{
  self->role = g_strdup (CONFAB_ROLE_MEMBER);
}

ConfabParticipant *
confab_participant_new (gint64      user_id,
                        const char *name)
{
  g_return_val_if_fail (user_id > 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (CONFAB_TYPE_PARTICIPANT,
                       "user-id", user_id,
                       "name", name,
                       NULL);
}

gint64
confab_participant_get_user_id (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), 0);

  return self->user_id;
}

const char *
confab_participant_get_name (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->name;
}

void
confab_participant_set_name (ConfabParticipant *self,
                             const char        *name)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANT (self));

  if (replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
confab_participant_get_avatar_url (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->avatar_url;
}

void
confab_participant_set_avatar_url (ConfabParticipant *self,
                                   const char        *avatar_url)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANT (self));

  if (replace_string (&self->avatar_url, avatar_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVATAR_URL]);
}

const char *
confab_participant_get_role (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->role;
}

void
confab_participant_set_role (ConfabParticipant *self,
                             const char        *role)
{
  gboolean was_host;

  g_return_if_fail (CONFAB_IS_PARTICIPANT (self));
  g_return_if_fail (role != NULL);

  was_host = confab_participant_get_is_host (self);

  if (!replace_string (&self->role, role))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);

  if (was_host != confab_participant_get_is_host (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_HOST]);
}

gboolean
confab_participant_get_is_owner (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);

  return self->is_owner;
}

void
confab_participant_set_is_owner (ConfabParticipant *self,
                                 gboolean           is_owner)
{
  gboolean was_host;

  g_return_if_fail (CONFAB_IS_PARTICIPANT (self));

  is_owner = !!is_owner;
  if (self->is_owner == is_owner)
    return;

  was_host = confab_participant_get_is_host (self);
  self->is_owner = is_owner;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_OWNER]);

  if (was_host != confab_participant_get_is_host (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_HOST]);
}

gboolean
confab_participant_get_is_host (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);

  return role_is_host (self->role, self->is_owner);
}

gboolean
confab_participant_get_hand_raised (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);

  return self->hand_raised;
}

void
confab_participant_set_hand_raised (ConfabParticipant *self,
                                    gboolean           hand_raised)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANT (self));

  hand_raised = !!hand_raised;
  if (self->hand_raised == hand_raised)
    return;

  self->hand_raised = hand_raised;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAND_RAISED]);
}

const char *
confab_participant_get_jitsi_id (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->jitsi_id;
}

void
confab_participant_set_jitsi_id (ConfabParticipant *self,
                                 const char        *jitsi_id)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANT (self));

  if (replace_string (&self->jitsi_id, jitsi_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JITSI_ID]);
}

gboolean
confab_participant_get_is_self (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);

  return self->is_self;
}

void
confab_participant_set_is_self (ConfabParticipant *self,
                                gboolean           is_self)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANT (self));

  is_self = !!is_self;
  if (self->is_self == is_self)
    return;

  self->is_self = is_self;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SELF]);
}
