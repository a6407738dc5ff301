/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * Opens the surfaceless EGL display, prints the Mesa driver behind it and
 * tries to create a GLES 2 context. Used by check-registration.sh; output:
 *
 *    driver: <name>
 *    context: created | none (0x<EGL error>)
 */

#include <stdio.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>

int
main(void)
{
   EGLDisplay dpy = eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA,
                                          EGL_DEFAULT_DISPLAY, NULL);
   if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, NULL, NULL)) {
      printf("initialize: failed (0x%x)\n", eglGetError());
      return 1;
   }

   PFNEGLGETDISPLAYDRIVERNAMEPROC get_driver_name =
      (PFNEGLGETDISPLAYDRIVERNAMEPROC)eglGetProcAddress(
         "eglGetDisplayDriverName");
   printf("driver: %s\n", get_driver_name ? get_driver_name(dpy) : "?");

   static const EGLint attribs[] = {EGL_CONTEXT_MAJOR_VERSION, 2, EGL_NONE};
   eglBindAPI(EGL_OPENGL_ES_API);
   EGLContext ctx =
      eglCreateContext(dpy, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attribs);
   if (ctx == EGL_NO_CONTEXT) {
      printf("context: none (0x%x)\n", eglGetError());
   } else {
      printf("context: created\n");
      eglDestroyContext(dpy, ctx);
   }

   eglTerminate(dpy);
   return 0;
}
