/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * The demo scene: a textured, per-vertex-lit cube at a fixed angle, depth
 * tested (16-bit depth), over a cleared background, rendered with GLES2 on
 * the surfaceless EGL platform into an FBO and written as raw RGBA8 rows
 * (bottom row first, as glReadPixels returns them).
 *
 *   agx-scene OUT.rgba [SIZE]
 *
 * scripts/demo.sh runs it once on agx (through the functional drm-shim and
 * the simulator) and once on softpipe, converts both to PNG and compares.
 * Prints the GL renderer; exit status 0 when the image was written.
 */

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>

static const char *vs_src =
   "attribute vec3 pos;\n"
   "attribute vec3 normal;\n"
   "attribute vec2 uv;\n"
   "uniform mat4 mvp;\n"
   "uniform mat3 nmat;\n"
   "uniform vec3 light;\n"
   "varying vec2 v_uv;\n"
   "varying vec3 v_light;\n"
   "void main() {\n"
   "   gl_Position = mvp * vec4(pos, 1.0);\n"
   "   float d = max(dot(normalize(nmat * normal), light), 0.0);\n"
   "   v_light = vec3(0.2) + vec3(0.8, 0.8, 0.7) * d;\n"
   "   v_uv = uv;\n"
   "}\n";

static const char *fs_src =
   "precision mediump float;\n"
   "uniform sampler2D tex;\n"
   "varying vec2 v_uv;\n"
   "varying vec3 v_light;\n"
   "void main() {\n"
   "   gl_FragColor = vec4(texture2D(tex, v_uv).rgb * v_light, 1.0);\n"
   "}\n";

static GLuint
compile(GLenum type, const char *src)
{
   GLuint s = glCreateShader(type);
   glShaderSource(s, 1, &src, NULL);
   glCompileShader(s);
   GLint ok = 0;
   glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
   if (!ok) {
      char log[1024];
      glGetShaderInfoLog(s, sizeof(log), NULL, log);
      fprintf(stderr, "shader: %s\n", log);
   }
   return s;
}

static void
mat4_mul(float *out, const float *a, const float *b)
{
   float r[16];
   for (int c = 0; c < 4; c++) {
      for (int row = 0; row < 4; row++) {
         float s = 0;
         for (int k = 0; k < 4; k++)
            s += a[k * 4 + row] * b[c * 4 + k];
         r[c * 4 + row] = s;
      }
   }
   memcpy(out, r, sizeof(r));
}

int
main(int argc, char **argv)
{
   if (argc < 2) {
      fprintf(stderr, "usage: %s OUT.rgba [SIZE]\n", argv[0]);
      return 2;
   }
   int S = argc > 2 ? atoi(argv[2]) : 128;
   if (S < 16 || S > 1024)
      return 2;

   EGLDisplay dpy = eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA,
                                          EGL_DEFAULT_DISPLAY, NULL);
   if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, NULL, NULL))
      return 1;
   static const EGLint attribs[] = {EGL_CONTEXT_MAJOR_VERSION, 2, EGL_NONE};
   eglBindAPI(EGL_OPENGL_ES_API);
   EGLContext ctx =
      eglCreateContext(dpy, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attribs);
   if (ctx == EGL_NO_CONTEXT ||
       !eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx))
      return 1;
   printf("GL_RENDERER: %s\n", (const char *)glGetString(GL_RENDERER));

   /* Render target: RGBA8 texture + 16-bit depth. */
   GLuint rt, depth, fbo;
   glGenTextures(1, &rt);
   glBindTexture(GL_TEXTURE_2D, rt);
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, S, S, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                NULL);
   glGenRenderbuffers(1, &depth);
   glBindRenderbuffer(GL_RENDERBUFFER, depth);
   glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT16, S, S);
   glGenFramebuffers(1, &fbo);
   glBindFramebuffer(GL_FRAMEBUFFER, fbo);
   glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
                          rt, 0);
   glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT,
                             GL_RENDERBUFFER, depth);
   if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
      fprintf(stderr, "FBO incomplete\n");
      return 1;
   }

   /* Texture: 8x8 checker of orange and cream, with a dark border texel
    * row so the faces' orientation shows. NEAREST, so both drivers sample
    * identically away from texel edges.
    */
   GLubyte texels[8 * 8 * 4];
   for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
         GLubyte *t = &texels[(y * 8 + x) * 4];
         bool a = ((x + y) & 1) == 0;
         t[0] = a ? 240 : 250;
         t[1] = a ? 140 : 235;
         t[2] = a ? 40 : 200;
         t[3] = 255;
         if (y == 0) {
            t[0] = 60;
            t[1] = 60;
            t[2] = 140;
         }
      }
   }
   GLuint tex;
   glGenTextures(1, &tex);
   glActiveTexture(GL_TEXTURE0);
   glBindTexture(GL_TEXTURE_2D, tex);
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, 8, 8, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                texels);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);

   /* Cube: 6 faces x 4 vertices (pos, normal, uv), 36 u16 indices. */
   static const float face_n[6][3] = {{1, 0, 0},  {-1, 0, 0}, {0, 1, 0},
                                      {0, -1, 0}, {0, 0, 1},  {0, 0, -1}};
   float verts[24][8];
   GLushort idx[36];
   for (int f = 0; f < 6; f++) {
      const float *nn = face_n[f];
      /* Two tangents spanning the face: u, and v = n x u. */
      float u[3] = {0, 0, 0};
      u[nn[0] != 0 ? 2 : 0] = 1;
      float v[3] = {nn[1] * u[2] - nn[2] * u[1], nn[2] * u[0] - nn[0] * u[2],
                    nn[0] * u[1] - nn[1] * u[0]};
      for (int k = 0; k < 4; k++) {
         float su = (k & 1) ? 1 : -1, sv = (k & 2) ? 1 : -1;
         float *o = verts[f * 4 + k];
         for (int c = 0; c < 3; c++)
            o[c] = nn[c] + su * u[c] + sv * v[c];
         memcpy(o + 3, nn, sizeof(float) * 3);
         o[6] = (k & 1) ? 1 : 0;
         o[7] = (k & 2) ? 1 : 0;
      }
      static const int tri[6] = {0, 1, 2, 2, 1, 3};
      for (int i = 0; i < 6; i++)
         idx[f * 6 + i] = f * 4 + tri[i];
   }

   GLuint vbo, ibo;
   glGenBuffers(1, &vbo);
   glBindBuffer(GL_ARRAY_BUFFER, vbo);
   glBufferData(GL_ARRAY_BUFFER, sizeof(verts), verts, GL_STATIC_DRAW);
   glGenBuffers(1, &ibo);
   glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ibo);
   glBufferData(GL_ELEMENT_ARRAY_BUFFER, sizeof(idx), idx, GL_STATIC_DRAW);

   GLuint prog = glCreateProgram();
   glAttachShader(prog, compile(GL_VERTEX_SHADER, vs_src));
   glAttachShader(prog, compile(GL_FRAGMENT_SHADER, fs_src));
   glBindAttribLocation(prog, 0, "pos");
   glBindAttribLocation(prog, 1, "normal");
   glBindAttribLocation(prog, 2, "uv");
   glLinkProgram(prog);
   glUseProgram(prog);

   /* Model: rotate 35 degrees about X, then 40 about Y; view: move back 5;
    * projection: 45-degree perspective, near 1, far 10.
    */
   float ax = 35 * (float)M_PI / 180, ay = 40 * (float)M_PI / 180;
   float rx[16] = {1, 0, 0, 0, 0, cosf(ax), sinf(ax), 0,
                   0, -sinf(ax), cosf(ax), 0, 0, 0, 0, 1};
   float ry[16] = {cosf(ay), 0, -sinf(ay), 0, 0, 1, 0, 0,
                   sinf(ay), 0, cosf(ay), 0, 0, 0, 0, 1};
   float model[16], mvp[16];
   mat4_mul(model, rx, ry);
   float view[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, -5.5f, 1};
   float n = 1, f = 10, t = tanf(22.5f * (float)M_PI / 180);
   float proj[16] = {1 / t, 0, 0, 0, 0, 1 / t, 0, 0,
                     0, 0, -(f + n) / (f - n), -1, 0, 0, -2 * f * n / (f - n), 0};
   mat4_mul(mvp, view, model);
   mat4_mul(mvp, proj, mvp);
   float nmat[9] = {model[0], model[1], model[2], model[4], model[5],
                    model[6], model[8], model[9], model[10]};
   float light[3] = {0.4f, 0.7f, 0.6f};
   float ll = sqrtf(light[0] * light[0] + light[1] * light[1] + light[2] * light[2]);
   for (int i = 0; i < 3; i++)
      light[i] /= ll;

   glUniformMatrix4fv(glGetUniformLocation(prog, "mvp"), 1, GL_FALSE, mvp);
   glUniformMatrix3fv(glGetUniformLocation(prog, "nmat"), 1, GL_FALSE, nmat);
   glUniform3fv(glGetUniformLocation(prog, "light"), 1, light);
   glUniform1i(glGetUniformLocation(prog, "tex"), 0);

   glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 32, (void *)0);
   glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, 32, (void *)12);
   glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, 32, (void *)24);
   glEnableVertexAttribArray(0);
   glEnableVertexAttribArray(1);
   glEnableVertexAttribArray(2);

   glViewport(0, 0, S, S);
   glClearColor(0.10f, 0.12f, 0.18f, 1.0f);
   glClearDepthf(1.0f);
   glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
   glEnable(GL_DEPTH_TEST);
   glDepthFunc(GL_LESS);
   glDrawElements(GL_TRIANGLES, 36, GL_UNSIGNED_SHORT, 0);

   GLubyte *px = malloc((size_t)S * S * 4);
   glReadPixels(0, 0, S, S, GL_RGBA, GL_UNSIGNED_BYTE, px);
   GLenum err = glGetError();
   if (err != GL_NO_ERROR)
      fprintf(stderr, "GL error 0x%x\n", err);

   FILE *out = fopen(argv[1], "wb");
   if (!out || fwrite(px, 4, (size_t)S * S, out) != (size_t)S * S) {
      perror(argv[1]);
      return 1;
   }
   fclose(out);
   free(px);

   eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
   eglDestroyContext(dpy, ctx);
   eglTerminate(dpy);
   return err == GL_NO_ERROR ? 0 : 1;
}
