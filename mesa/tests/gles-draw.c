/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * GLES2 draws on the surfaceless EGL platform, read back with glReadPixels
 * and compared with expectations computed here (not with another driver):
 *
 *   clear     glClear of a 64x64 RGBA8 FBO: the background program's clear
 *   triangle  one triangle with red/green/blue vertices: every pixel whose
 *             centre is clearly inside has the barycentric mix of the
 *             colours (w = 1, so linear = perspective), clearly outside keeps
 *             the clear colour
 *   indexed   the same triangle through glDrawElements (u8, u16 indices)
 *   depth     a 16-bit depth buffer, GL_LESS: a near green quad drawn first,
 *             a far red quad over it, then a nearer blue quad on the right
 *             half: left half green, right half blue
 *   texture   a 4x4 RGBA8 checkerboard (NEAREST) on a full-screen quad:
 *             each pixel is its texel
 *   blend     clear to blue, quad of (1, 0, 0, 0.5) with SRC_ALPHA /
 *             ONE_MINUS_SRC_ALPHA: (128, 0, 127)
 *   fbo       the triangle rendered into texture A, then A drawn as a
 *             texture into FBO B: B equals A; and a second pass on A
 *             without a clear keeps A's contents (background load)
 *   stencil   an 8-bit stencil buffer: a quad on the left half writes 1
 *             (REPLACE, colour masked off), then a full-screen red quad
 *             with EQUAL 1: red on the left half only
 *   cull      back-face culling of a clockwise quad and front-face culling
 *             of a counter-clockwise one leave the clear colour; a
 *             counter-clockwise quad with back-face culling is drawn,
 *             clipped by a scissor box
 *
 * Tolerance: 2/255 per channel for interpolated colours (interpolation and
 * rounding may differ by one step on each side), 1/255 for flat colours.
 * Prints TAP; exit status 0 if all pass.
 */

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
   fflush(stdout);
}

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
      printf("# shader compile failed: %s\n", log);
   }
   return s;
}

static GLuint
program(const char *vs, const char *fs)
{
   GLuint p = glCreateProgram();
   glAttachShader(p, compile(GL_VERTEX_SHADER, vs));
   glAttachShader(p, compile(GL_FRAGMENT_SHADER, fs));
   glBindAttribLocation(p, 0, "pos");
   glBindAttribLocation(p, 1, "attr");
   glLinkProgram(p);
   GLint ok = 0;
   glGetProgramiv(p, GL_LINK_STATUS, &ok);
   if (!ok)
      printf("# program link failed\n");
   return p;
}

static const char *vs_colour =
   "attribute vec4 pos;\n"
   "attribute vec4 attr;\n"
   "varying vec4 v;\n"
   "void main() { gl_Position = pos; v = attr; }\n";

static const char *fs_colour =
   "precision mediump float;\n"
   "varying vec4 v;\n"
   "void main() { gl_FragColor = v; }\n";

static const char *fs_texture =
   "precision mediump float;\n"
   "varying vec4 v;\n"
   "uniform sampler2D tex;\n"
   "void main() { gl_FragColor = texture2D(tex, v.xy); }\n";

static const char *fs_uniform =
   "precision mediump float;\n"
   "uniform vec4 colour;\n"
   "void main() { gl_FragColor = colour; }\n";

static GLuint
make_fbo(GLuint *tex_out, GLuint depth_rb)
{
   GLuint tex, fbo;
   glGenTextures(1, &tex);
   glBindTexture(GL_TEXTURE_2D, tex);
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, W, H, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                NULL);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
   glGenFramebuffers(1, &fbo);
   glBindFramebuffer(GL_FRAMEBUFFER, fbo);
   glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
                          tex, 0);
   if (depth_rb)
      glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT,
                                GL_RENDERBUFFER, depth_rb);
   *tex_out = tex;
   return fbo;
}

static GLubyte px[W * H * 4];

static void
readback(void)
{
   memset(px, 0x5a, sizeof(px));
   glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, px);
}

static bool
near_px(unsigned x, unsigned y, const float want[4], float tol)
{
   const GLubyte *p = &px[(y * W + x) * 4];
   for (unsigned c = 0; c < 4; c++) {
      if (fabsf(p[c] - want[c] * 255.0f) > tol + 0.5f)
         return false;
   }
   return true;
}

/* Counts pixels that differ from the expectation; prints the first. */
static unsigned
count_bad(const char *what, bool (*expect)(unsigned x, unsigned y, float out[4],
                                           float *tol))
{
   unsigned bad = 0, checked = 0;
   for (unsigned y = 0; y < H; y++) {
      for (unsigned x = 0; x < W; x++) {
         float want[4], tol = 1;
         if (!expect(x, y, want, &tol))
            continue;
         checked++;
         if (!near_px(x, y, want, tol)) {
            if (!bad) {
               const GLubyte *p = &px[(y * W + x) * 4];
               printf("# %s: first mismatch at (%u, %u): got (%u %u %u %u), "
                      "want (%.0f %.0f %.0f %.0f)\n",
                      what, x, y, p[0], p[1], p[2], p[3], want[0] * 255,
                      want[1] * 255, want[2] * 255, want[3] * 255);
            }
            bad++;
         }
      }
   }
   printf("# %s: %u of %u checked pixels differ\n", what, bad, checked);
   return checked ? bad : 1;
}

/* ---- scenes --------------------------------------------------------------- */

static const float clear_rgba[4] = {0.25f, 0.5f, 0.75f, 1.0f};

static bool
expect_clear(unsigned x, unsigned y, float out[4], float *tol)
{
   memcpy(out, clear_rgba, sizeof(clear_rgba));
   return true;
}

/* Triangle in NDC; readback row y is window row y (GL's origin is the
 * bottom-left, as is glReadPixels').
 */
static const float tri_pos[3][2] = {{-0.8f, -0.8f}, {0.8f, -0.6f}, {0.0f, 0.8f}};
static const float tri_col[3][4] = {{1, 0, 0, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}};

static bool
expect_triangle(unsigned x, unsigned y, float out[4], float *tol)
{
   /* Pixel centre in window space; vertices in window space. */
   float px_ = x + 0.5f, py_ = y + 0.5f;
   float vx[3], vy[3];
   for (unsigned i = 0; i < 3; i++) {
      vx[i] = (tri_pos[i][0] + 1) * W / 2;
      vy[i] = (tri_pos[i][1] + 1) * H / 2;
   }
   float area = (vx[1] - vx[0]) * (vy[2] - vy[0]) - (vx[2] - vx[0]) * (vy[1] - vy[0]);
   float b[3];
   b[0] = ((vx[1] - px_) * (vy[2] - py_) - (vx[2] - px_) * (vy[1] - py_)) / area;
   b[1] = ((vx[2] - px_) * (vy[0] - py_) - (vx[0] - px_) * (vy[2] - py_)) / area;
   b[2] = 1 - b[0] - b[1];

   /* Skip pixels within ~1 pixel of an edge: the fill rule decides. */
   float margin = 0.05f;
   bool inside = b[0] > margin && b[1] > margin && b[2] > margin;
   bool outside = b[0] < -margin || b[1] < -margin || b[2] < -margin;
   if (inside) {
      for (unsigned c = 0; c < 4; c++)
         out[c] = b[0] * tri_col[0][c] + b[1] * tri_col[1][c] + b[2] * tri_col[2][c];
      *tol = 2;
      return true;
   }
   if (outside) {
      memcpy(out, clear_rgba, sizeof(clear_rgba));
      return true;
   }
   return false;
}

static void
draw_triangle(GLuint prog, GLenum index_type)
{
   float v[3][4], c[3][4];
   for (unsigned i = 0; i < 3; i++) {
      v[i][0] = tri_pos[i][0];
      v[i][1] = tri_pos[i][1];
      v[i][2] = 0;
      v[i][3] = 1;
      memcpy(c[i], tri_col[i], sizeof(c[i]));
   }
   glUseProgram(prog);
   glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 0, v);
   glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, 0, c);
   glEnableVertexAttribArray(0);
   glEnableVertexAttribArray(1);
   if (index_type == GL_UNSIGNED_BYTE) {
      static const GLubyte idx[3] = {0, 1, 2};
      glDrawElements(GL_TRIANGLES, 3, GL_UNSIGNED_BYTE, idx);
   } else if (index_type == GL_UNSIGNED_SHORT) {
      static const GLushort idx[3] = {0, 1, 2};
      glDrawElements(GL_TRIANGLES, 3, GL_UNSIGNED_SHORT, idx);
   } else {
      glDrawArrays(GL_TRIANGLES, 0, 3);
   }
}

static void
draw_quad(GLuint prog, float x0, float y0, float x1, float y1, float z,
          const float attr[4][4])
{
   const float v[4][4] = {
      {x0, y0, z, 1}, {x1, y0, z, 1}, {x0, y1, z, 1}, {x1, y1, z, 1}};
   glUseProgram(prog);
   glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 0, v);
   glEnableVertexAttribArray(0);
   if (attr) {
      glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, 0, attr);
      glEnableVertexAttribArray(1);
   } else {
      glDisableVertexAttribArray(1);
   }
   glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

static bool
expect_depth(unsigned x, unsigned y, float out[4], float *tol)
{
   static const float green[4] = {0, 1, 0, 1}, blue[4] = {0, 0, 1, 1};
   if (x == W / 2 - 1 || x == W / 2)
      return false;
   memcpy(out, x < W / 2 ? green : blue, sizeof(green));
   return true;
}

static bool
expect_texture(unsigned x, unsigned y, float out[4], float *tol)
{
   /* 4x4 checker of 16x16-pixel cells; texel (i, j) white if i + j even. */
   unsigned i = x / 16, j = y / 16;
   if (x % 16 == 0 || x % 16 == 15 || y % 16 == 0 || y % 16 == 15)
      return false; /* texel boundaries: rounding of the coordinate */
   bool white = ((i + j) & 1) == 0;
   out[0] = white ? 1 : 1;
   out[1] = white ? 1 : 0;
   out[2] = white ? 1 : 0;
   out[3] = 1;
   return true;
}

static bool
expect_blend(unsigned x, unsigned y, float out[4], float *tol)
{
   /* src = (1, 0, 0, 0.5) over dst = (0, 0, 1, 1): 0.5 * src + 0.5 * dst;
    * alpha: 0.5 * 0.5 + 0.5 * 1 = 0.75.
    */
   out[0] = 0.5f;
   out[1] = 0;
   out[2] = 0.5f;
   out[3] = 0.75f;
   *tol = 2;
   return true;
}

static bool
expect_stencil(unsigned x, unsigned y, float out[4], float *tol)
{
   static const float red[4] = {1, 0, 0, 1};
   if (x == W / 2 - 1 || x == W / 2)
      return false;
   memcpy(out, x < W / 2 ? red : clear_rgba, sizeof(red));
   return true;
}

static bool
expect_cull(unsigned x, unsigned y, float out[4], float *tol)
{
   static const float green[4] = {0, 1, 0, 1};
   bool in = x >= 16 && x < 48 && y >= 8 && y < 32;
   memcpy(out, in ? green : clear_rgba, sizeof(green));
   return true;
}

static GLubyte fbo_a[W * H * 4];

static bool
expect_copy_of_a(unsigned x, unsigned y, float out[4], float *tol)
{
   for (unsigned c = 0; c < 4; c++)
      out[c] = fbo_a[(y * W + x) * 4 + c] / 255.0f;
   *tol = 1;
   return true;
}

int
main(void)
{
   printf("TAP version 13\n1..12\n");

   EGLDisplay dpy = eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA,
                                          EGL_DEFAULT_DISPLAY, NULL);
   bool ok = dpy != EGL_NO_DISPLAY && eglInitialize(dpy, NULL, NULL);
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

   GLuint prog_col = program(vs_colour, fs_colour);
   GLuint prog_tex = program(vs_colour, fs_texture);
   GLuint prog_uni = program(vs_colour, fs_uniform);

   GLuint depth_rb;
   glGenRenderbuffers(1, &depth_rb);
   glBindRenderbuffer(GL_RENDERBUFFER, depth_rb);
   glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT16, W, H);

   GLuint tex_a, tex_b;
   GLuint fbo_a_id = make_fbo(&tex_a, 0);
   check(glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE,
         "FBO with a 64x64 RGBA8 texture is complete");
   glViewport(0, 0, W, H);

   /* clear */
   glClearColor(clear_rgba[0], clear_rgba[1], clear_rgba[2], clear_rgba[3]);
   glClear(GL_COLOR_BUFFER_BIT);
   readback();
   check(count_bad("clear", expect_clear) == 0,
         "clear: every pixel is the clear colour");

   /* triangle */
   glClear(GL_COLOR_BUFFER_BIT);
   draw_triangle(prog_col, 0);
   readback();
   check(count_bad("triangle", expect_triangle) == 0,
         "triangle: interpolated colours inside, clear colour outside");
   memcpy(fbo_a, px, sizeof(px));

   /* indexed */
   glClear(GL_COLOR_BUFFER_BIT);
   draw_triangle(prog_col, GL_UNSIGNED_BYTE);
   readback();
   unsigned bad8 = count_bad("indexed u8", expect_triangle);
   glClear(GL_COLOR_BUFFER_BIT);
   draw_triangle(prog_col, GL_UNSIGNED_SHORT);
   readback();
   unsigned bad16 = count_bad("indexed u16", expect_triangle);
   check(bad8 == 0 && bad16 == 0, "indexed: glDrawElements with u8 and u16");

   /* depth */
   GLuint tex_d;
   GLuint fbo_d = make_fbo(&tex_d, depth_rb);
   bool complete =
      glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
   glEnable(GL_DEPTH_TEST);
   glDepthFunc(GL_LESS);
   glClearDepthf(1.0f);
   glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
   const float green[4][4] = {{0, 1, 0, 1}, {0, 1, 0, 1}, {0, 1, 0, 1}, {0, 1, 0, 1}};
   const float red[4][4] = {{1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}};
   const float blue[4][4] = {{0, 0, 1, 1}, {0, 0, 1, 1}, {0, 0, 1, 1}, {0, 0, 1, 1}};
   draw_quad(prog_col, -1, -1, 1, 1, 0.0f, green);
   draw_quad(prog_col, -1, -1, 1, 1, 0.5f, red);
   draw_quad(prog_col, 0, -1, 1, 1, -0.5f, blue);
   readback();
   check(complete && count_bad("depth", expect_depth) == 0,
         "depth: GL_LESS against a 16-bit depth buffer");
   glDisable(GL_DEPTH_TEST);

   /* texture */
   glBindFramebuffer(GL_FRAMEBUFFER, fbo_a_id);
   GLuint tex_c;
   GLubyte checker[4 * 4 * 4];
   for (unsigned j = 0; j < 4; j++) {
      for (unsigned i = 0; i < 4; i++) {
         bool white = ((i + j) & 1) == 0;
         GLubyte *t = &checker[(j * 4 + i) * 4];
         t[0] = 255;
         t[1] = t[2] = white ? 255 : 0;
         t[3] = 255;
      }
   }
   glGenTextures(1, &tex_c);
   glActiveTexture(GL_TEXTURE0);
   glBindTexture(GL_TEXTURE_2D, tex_c);
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, 4, 4, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                checker);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
   const float uv[4][4] = {{0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {1, 1, 0, 0}};
   glUseProgram(prog_tex);
   glUniform1i(glGetUniformLocation(prog_tex, "tex"), 0);
   glClear(GL_COLOR_BUFFER_BIT);
   draw_quad(prog_tex, -1, -1, 1, 1, 0, uv);
   readback();
   check(count_bad("texture", expect_texture) == 0,
         "texture: NEAREST-sampled 4x4 checkerboard on a full-screen quad");

   /* blend */
   glClearColor(0, 0, 1, 1);
   glClear(GL_COLOR_BUFFER_BIT);
   glEnable(GL_BLEND);
   glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
   glUseProgram(prog_uni);
   glUniform4f(glGetUniformLocation(prog_uni, "colour"), 1, 0, 0, 0.5f);
   draw_quad(prog_uni, -1, -1, 1, 1, 0, NULL);
   glDisable(GL_BLEND);
   readback();
   check(count_bad("blend", expect_blend) == 0,
         "blend: SRC_ALPHA, ONE_MINUS_SRC_ALPHA over a cleared colour");

   /* fbo: triangle into A, A sampled into B */
   glClearColor(clear_rgba[0], clear_rgba[1], clear_rgba[2], clear_rgba[3]);
   glBindFramebuffer(GL_FRAMEBUFFER, fbo_a_id);
   glClear(GL_COLOR_BUFFER_BIT);
   draw_triangle(prog_col, 0);
   GLuint fbo_b = make_fbo(&tex_b, 0);
   glClearColor(0, 0, 0, 0);
   glClear(GL_COLOR_BUFFER_BIT);
   glBindTexture(GL_TEXTURE_2D, tex_a);
   glUseProgram(prog_tex);
   const float uv_px[4][4] = {{0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {1, 1, 0, 0}};
   draw_quad(prog_tex, -1, -1, 1, 1, 0, uv_px);
   readback();
   /* fbo_a holds the triangle as read back earlier from the same draw. */
   check(count_bad("fbo", expect_copy_of_a) == 0,
         "fbo: a rendered texture sampled into another FBO reproduces it");

   /* load: a pass on A without a clear keeps its contents */
   glBindFramebuffer(GL_FRAMEBUFFER, fbo_a_id);
   glEnable(GL_SCISSOR_TEST);
   glScissor(0, 0, 1, 1);
   glUseProgram(prog_uni);
   glUniform4f(glGetUniformLocation(prog_uni, "colour"), 0, 0, 0, 1);
   draw_quad(prog_uni, -1, -1, 1, 1, 0, NULL);
   glDisable(GL_SCISSOR_TEST);
   readback();
   /* Pixel (0, 0) is now black; the rest is still the triangle. */
   fbo_a[0] = fbo_a[1] = fbo_a[2] = 0;
   fbo_a[3] = 255;
   check(count_bad("load", expect_copy_of_a) == 0,
         "load: a pass without a clear keeps the attachment (background load)");

   /* stencil */
   GLuint stencil_rb, tex_s;
   glGenRenderbuffers(1, &stencil_rb);
   glBindRenderbuffer(GL_RENDERBUFFER, stencil_rb);
   glRenderbufferStorage(GL_RENDERBUFFER, GL_STENCIL_INDEX8, W, H);
   GLuint fbo_s = make_fbo(&tex_s, 0);
   glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_STENCIL_ATTACHMENT,
                             GL_RENDERBUFFER, stencil_rb);
   complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
   glClearColor(clear_rgba[0], clear_rgba[1], clear_rgba[2], clear_rgba[3]);
   glClearStencil(0);
   glClear(GL_COLOR_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
   glEnable(GL_STENCIL_TEST);
   glStencilFunc(GL_ALWAYS, 1, 0xff);
   glStencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
   glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
   draw_quad(prog_col, -1, -1, 0, 1, 0, green);
   glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
   glStencilFunc(GL_EQUAL, 1, 0xff);
   glStencilOp(GL_KEEP, GL_KEEP, GL_KEEP);
   draw_quad(prog_col, -1, -1, 1, 1, 0, red);
   glDisable(GL_STENCIL_TEST);
   readback();
   check(complete && count_bad("stencil", expect_stencil) == 0,
         "stencil: REPLACE then EQUAL against an 8-bit stencil buffer");

   /* cull + scissor */
   glBindFramebuffer(GL_FRAMEBUFFER, fbo_a_id);
   glClear(GL_COLOR_BUFFER_BIT);
   glEnable(GL_CULL_FACE);
   glCullFace(GL_BACK);
   glFrontFace(GL_CCW);
   /* x0 > x1 mirrors the strip: clockwise, a back face */
   draw_quad(prog_col, 1, -1, -1, 1, 0, red);
   glCullFace(GL_FRONT);
   draw_quad(prog_col, -1, -1, 1, 1, 0, red); /* counter-clockwise, culled */
   glCullFace(GL_BACK);
   glEnable(GL_SCISSOR_TEST);
   glScissor(16, 8, 32, 24);
   draw_quad(prog_col, -1, -1, 1, 1, 0, green); /* drawn inside the box */
   glDisable(GL_SCISSOR_TEST);
   glDisable(GL_CULL_FACE);
   readback();
   check(count_bad("cull", expect_cull) == 0,
         "cull: back/front faces culled, the front face drawn inside the scissor");

   glDeleteFramebuffers(1, &fbo_s);
   glDeleteFramebuffers(1, &fbo_b);
   glDeleteFramebuffers(1, &fbo_d);
   eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
   eglDestroyContext(dpy, ctx);
   eglTerminate(dpy);
   return failed ? 1 : 0;
}
