/* SPDX-License-Identifier: MIT */
/*
 * Compiles agx_pack.h on its own under strict settings (see meson.build):
 * ISO C11 with -pedantic, and with NDEBUG so that assert-only code paths
 * leave no unused variables behind.  AGX_PACK is used once per kind of
 * struct so that the macro itself is compiled too.
 */
#include "agx_pack.h"

int agx_genxml_header_check(void *out);

int
agx_genxml_header_check(void *out)
{
   struct agx_texture t;

   AGX_PACK(out, SAMPLER, cfg) {
      cfg.wrap_s = AGX_WRAP_REPEAT;
   }
   AGX_PACK(out, VDM_STREAM_TERMINATE, cfg) {
      (void)cfg;
   }
   AGX_PACK(out, TEXTURE, cfg) {
      cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
   }
   return (int)agx_unpack_texture(out, &t);
}
