/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * GLES2 on the surfaceless EGL platform: creates a context, renders into
 * a 64x64 RGBA8 texture through an FBO with glClear (whole, then
 * scissored) and reads it back with glReadPixels. On agx the whole clear
 * is a render pass on the GPU (background program) that glReadPixels
 * flushes; the scissored clear is still a CPU FALLBACK
 * (util_clear_render_target through transfers).
 * Prints TAP; exit status 0 if all pass.
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>

#define W 64
#define H 64

static unsigned n, failed;

static void
check(bool ok, const char *what)
{
   n++;
   if (!ok)
      failed++;
   printf("%s %u %s\n", ok ? "ok" : "not ok", n, what);
}

static bool
near(const GLubyte *px, unsigned r, unsigned g, unsigned b, unsigned a)
{
   return abs(px[0] - (int)r) <= 1 && abs(px[1] - (int)g) <= 1 &&
          abs(px[2] - (int)b) <= 1 && abs(px[3] - (int)a) <= 1;
}

int
main(void)
{
   printf("TAP version 13\n1..9\n");

   EGLDisplay dpy = eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA,
                                          EGL_DEFAULT_DISPLAY, NULL);
   bool ok = dpy != EGL_NO_DISPLAY && eglInitialize(dpy, NULL, NULL);
   PFNEGLGETDISPLAYDRIVERNAMEPROC get_driver_name =
      (PFNEGLGETDISPLAYDRIVERNAMEPROC)eglGetProcAddress(
         "eglGetDisplayDriverName");
   const char *drv = ok && get_driver_name ? get_driver_name(dpy) : "?";
   printf("# driver: %s\n", drv ? drv : "?");
   check(ok, "surfaceless EGL display initialised");

   static const EGLint attribs[] = {EGL_CONTEXT_MAJOR_VERSION, 2, EGL_NONE};
   eglBindAPI(EGL_OPENGL_ES_API);
   EGLContext ctx =
      ok ? eglCreateContext(dpy, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attribs)
         : EGL_NO_CONTEXT;
   ok = ctx != EGL_NO_CONTEXT &&
        eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx);
   check(ok, "GLES2 context created and made current");
   if (!ok)
      return 1;
   printf("# GL_RENDERER: %s\n", (const char *)glGetString(GL_RENDERER));

   GLuint tex, fbo;
   glGenTextures(1, &tex);
   glBindTexture(GL_TEXTURE_2D, tex);
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, W, H, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                NULL);
   glGenFramebuffers(1, &fbo);
   glBindFramebuffer(GL_FRAMEBUFFER, fbo);
   glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
                          tex, 0);
   check(glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE,
         "FBO with a 64x64 RGBA8 texture is complete");

   static GLubyte px[W * H * 4];
   glViewport(0, 0, W, H);
   glClearColor(0.25f, 0.5f, 0.75f, 1.0f);
   glClear(GL_COLOR_BUFFER_BIT);
   glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, px);
   bool all = glGetError() == GL_NO_ERROR;
   for (unsigned i = 0; i < W * H && all; i++)
      all = near(px + 4 * i, 64, 128, 191, 255);
   printf("# pixel 0: %u %u %u %u\n", px[0], px[1], px[2], px[3]);
   check(all, "glClear(0.25, 0.5, 0.75, 1) + glReadPixels: every pixel is "
              "(64, 128, 191, 255) [GPU background clear]");

   glEnable(GL_SCISSOR_TEST);
   glScissor(8, 16, 10, 20);
   glClearColor(1.0f, 0.0f, 0.0f, 0.0f);
   glClear(GL_COLOR_BUFFER_BIT);
   glDisable(GL_SCISSOR_TEST);
   glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, px);
   unsigned bad = 0;
   for (unsigned y = 0; y < H; y++) {
      for (unsigned x = 0; x < W; x++) {
         bool in = x >= 8 && x < 18 && y >= 16 && y < 36;
         const GLubyte *p = px + 4 * (y * W + x);
         if (!(in ? near(p, 255, 0, 0, 0) : near(p, 64, 128, 191, 255)))
            bad++;
      }
   }
   check(bad == 0, "scissored glClear touches exactly the scissor box");

   /* Bad input: a GL error, no crash. */
   while (glGetError() != GL_NO_ERROR)
      ;
   glReadPixels(0, 0, W, H, 0x1234, GL_UNSIGNED_BYTE, px);
   GLenum err = glGetError();
   printf("# error 0x%x\n", err);
   check(err == GL_INVALID_ENUM || err == GL_INVALID_OPERATION,
         "glReadPixels with a bad format gives a GL error, no crash");

   /* Larger than GL_MAX_TEXTURE_SIZE: GL_INVALID_VALUE, no crash. */
   GLint max_size = 0;
   glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
   GLuint huge;
   glGenTextures(1, &huge);
   glBindTexture(GL_TEXTURE_2D, huge);
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, 2 * max_size, 16, 0, GL_RGBA,
                GL_UNSIGNED_BYTE, NULL);
   err = glGetError();
   printf("# max texture size %d, error 0x%x\n", max_size, err);
   check(max_size > 0 && err == GL_INVALID_VALUE,
         "a texture wider than GL_MAX_TEXTURE_SIZE gives GL_INVALID_VALUE");

   /*
    * 1 GiB: on the drm-shim it is more than the simulator's RAM
    * (GL_OUT_OF_MEMORY); on agx.ko it fits as lazily backed shmem (no
    * error). Either way the context must keep working: a clear of the
    * FBO afterwards reads back right.
    */
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, 16384, 16384, 0, GL_RGBA,
                GL_UNSIGNED_BYTE, NULL);
   err = glGetError();
   printf("# 1 GiB texture: error 0x%x\n", err);
   glDeleteTextures(1, &huge);
   glBindFramebuffer(GL_FRAMEBUFFER, fbo);
   glClearColor(0.0f, 1.0f, 0.0f, 1.0f);
   glClear(GL_COLOR_BUFFER_BIT);
   glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, px);
   bool green = glGetError() == GL_NO_ERROR;
   for (unsigned i = 0; i < W * H && green; i++)
      green = near(px + 4 * i, 0, 255, 0, 255);
   check((err == GL_NO_ERROR || err == GL_OUT_OF_MEMORY) && green,
         "a 16384x16384 RGBA8 texture gives no error or GL_OUT_OF_MEMORY, "
         "and the context still renders");

   glDeleteFramebuffers(1, &fbo);
   glDeleteTextures(1, &tex);
   glFinish();
   eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
   eglDestroyContext(dpy, ctx);
   eglTerminate(dpy);
   check(true, "context and display torn down");
   return failed ? 1 : 0;
}
