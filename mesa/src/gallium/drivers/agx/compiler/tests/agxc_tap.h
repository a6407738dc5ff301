/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Minimal TAP output for the compiler's unit tests.
 */
#ifndef AGXC_TAP_H
#define AGXC_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static unsigned tap_n, tap_failed;

static inline void
tap_ok(int cond, const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   printf("%sok %u - ", cond ? "" : "not ", ++tap_n);
   vprintf(fmt, ap);
   printf("\n");
   va_end(ap);
   if (!cond)
      tap_failed++;
   fflush(stdout);
}

static inline void
tap_skip(const char *why, const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   printf("ok %u - ", ++tap_n);
   vprintf(fmt, ap);
   printf(" # SKIP %s\n", why);
   va_end(ap);
}

static inline int
tap_done(void)
{
   printf("1..%u\n", tap_n);
   return tap_failed ? 1 : 0;
}

static inline void
tap_hex(char *out, const unsigned char *b, unsigned n)
{
   for (unsigned i = 0; i < n; i++)
      sprintf(out + 2 * i, "%02x", b[i]);
   out[2 * n] = 0;
}

#endif
