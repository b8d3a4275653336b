/* cfs-server-private.h: the server's parts, for the REST routes. */
#pragma once

#include <libsoup/soup.h>

#include "cfs-auth.h"
#include "cfs-config.h"
#include "cfs-hub.h"
#include "cfs-server.h"
#include "cfs-smtp-client.h"
#include "cfs-store.h"

G_BEGIN_DECLS

struct _CfsServer
{
  GObject     parent_instance;

  CfsConfig  *config;
  CfsStore   *store;
  CfsAuth    *auth;
  CfsHub     *hub;
  CfsSmtpClient *smtp;      /* NULL: email invites are off */
  GHashTable *email_sends;  /* gint64 user id → GArray of gint64 send times, the last hour */
  SoupServer *soup_server;
  char       *url;
};

G_END_DECLS
