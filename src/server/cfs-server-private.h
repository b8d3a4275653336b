/* cfs-server-private.h: the server's parts, for the REST routes. */
#pragma once

#include <libsoup/soup.h>

#include "cfs-auth.h"
#include "cfs-config.h"
#include "cfs-hub.h"
#include "cfs-server.h"
#include "cfs-store.h"

G_BEGIN_DECLS

struct _CfsServer
{
  GObject     parent_instance;

  CfsConfig  *config;
  CfsStore   *store;
  CfsAuth    *auth;
  CfsHub     *hub;
  SoupServer *soup_server;
  char       *url;
};

G_END_DECLS
