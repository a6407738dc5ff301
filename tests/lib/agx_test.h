/* SPDX-License-Identifier: MIT */
/*
 * agx_test.h - a small TAP-producing test harness for agx's C tests.
 *
 * Every C test program in the tree (host tests run by meson, and the
 * IGT-style tests that run inside the VM) uses this header, so every
 * suite reports in one format: TAP version 13 on stdout. The top-level
 * summariser (scripts/summarize.py) counts "ok" and "not ok" lines.
 *
 * Usage:
 *
 *	#include "agx_test.h"
 *
 *	AGX_TEST(gem_create_rejects_zero_size)
 *	{
 *		...
 *		AGX_CHECK(ret == -1 && errno == EINVAL, "ret=%d errno=%d", ret, errno);
 *	}
 *
 *	AGX_TEST_MAIN()
 *
 * A test fails when any AGX_CHECK in it fails; AGX_REQUIRE also stops the
 * test at once. AGX_SKIP(reason) ends a test as skipped: skips are reported
 * as "ok N name # SKIP reason" and counted as skipped, never as passed.
 *
 * Tests run in registration order (the order they appear in the file).
 * A filter can be given as the first argument: only tests whose name
 * contains it run. AGX_TEST_FORK=1 in the environment runs each test in a
 * child process, so a crash fails that test instead of the whole program.
 */
#ifndef AGX_TEST_H
#define AGX_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <unistd.h>
#include <sys/wait.h>

struct agx_test_case {
	const char *name;
	void (*fn)(void);
	struct agx_test_case *next;
};

struct agx_test_state {
	struct agx_test_case *head, **tail;
	bool failed;
	bool skipped;
	char skip_reason[160];
	jmp_buf stop;
};

static struct agx_test_state agx_test_state_ = { .tail = &agx_test_state_.head };

static inline void agx_test_register_(struct agx_test_case *tc)
{
	if (!agx_test_state_.tail)
		agx_test_state_.tail = &agx_test_state_.head;
	*agx_test_state_.tail = tc;
	agx_test_state_.tail = &tc->next;
}

#define AGX_TEST(test_name)                                                 \
	static void agx_test_fn_##test_name(void);                          \
	static struct agx_test_case agx_test_case_##test_name = {           \
		.name = #test_name, .fn = agx_test_fn_##test_name,          \
	};                                                                  \
	__attribute__((constructor)) static void                            \
	agx_test_reg_##test_name(void)                                      \
	{                                                                   \
		agx_test_register_(&agx_test_case_##test_name);             \
	}                                                                   \
	static void agx_test_fn_##test_name(void)

static inline void __attribute__((format(printf, 4, 5)))
agx_test_fail_(const char *file, int line, const char *expr, const char *fmt, ...)
{
	va_list ap;

	/* The macros prefix every message with one space, so that a check
	 * without a message still passes a non-empty format string. */
	agx_test_state_.failed = true;
	printf("# %s:%d: check failed: %s", file, line, expr);
	if (fmt[0] && fmt[1]) {
		printf(":");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
}

/* Record a failure and carry on with the test. */
#define AGX_CHECK(cond, ...)                                                \
	do {                                                                \
		if (!(cond))                                                \
			agx_test_fail_(__FILE__, __LINE__, #cond, " " __VA_ARGS__); \
	} while (0)

/* Record a failure and stop this test. */
#define AGX_REQUIRE(cond, ...)                                              \
	do {                                                                \
		if (!(cond)) {                                              \
			agx_test_fail_(__FILE__, __LINE__, #cond, " " __VA_ARGS__); \
			longjmp(agx_test_state_.stop, 1);                   \
		}                                                           \
	} while (0)

/* Compare two integers and print both on mismatch. */
#define AGX_CHECK_EQ(a, b)                                                  \
	do {                                                                \
		long long agx_a_ = (long long)(a), agx_b_ = (long long)(b); \
		if (agx_a_ != agx_b_)                                       \
			agx_test_fail_(__FILE__, __LINE__, #a " == " #b,    \
				       " %lld (0x%llx) != %lld (0x%llx)",    \
				       agx_a_, (unsigned long long)agx_a_,  \
				       agx_b_, (unsigned long long)agx_b_); \
	} while (0)

/* End the current test as skipped, with a reason. */
#define AGX_SKIP(...)                                                       \
	do {                                                                \
		agx_test_state_.skipped = true;                             \
		snprintf(agx_test_state_.skip_reason,                       \
			 sizeof(agx_test_state_.skip_reason), __VA_ARGS__); \
		longjmp(agx_test_state_.stop, 1);                           \
	} while (0)

/* Print a diagnostic line into the TAP stream. */
#define AGX_NOTE(...)                                                       \
	do {                                                                \
		printf("# ");                                               \
		printf(__VA_ARGS__);                                        \
		printf("\n");                                               \
	} while (0)

static inline void agx_test_run_one_(struct agx_test_case *tc)
{
	agx_test_state_.failed = false;
	agx_test_state_.skipped = false;
	agx_test_state_.skip_reason[0] = 0;
	if (setjmp(agx_test_state_.stop) == 0)
		tc->fn();
}

static inline int agx_test_main_(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	bool fork_each = getenv("AGX_TEST_FORK") && atoi(getenv("AGX_TEST_FORK"));
	struct agx_test_case *tc;
	int n = 0, planned = 0, nfail = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (tc = agx_test_state_.head; tc; tc = tc->next)
		if (!filter || strstr(tc->name, filter))
			planned++;

	printf("TAP version 13\n1..%d\n", planned);
	for (tc = agx_test_state_.head; tc; tc = tc->next) {
		if (filter && !strstr(tc->name, filter))
			continue;
		n++;
		if (fork_each) {
			int status = 0;
			pid_t pid;

			fflush(stdout);
			pid = fork();
			if (pid == 0) {
				agx_test_run_one_(tc);
				if (agx_test_state_.skipped) {
					printf("ok %d %s # SKIP %s\n", n, tc->name,
					       agx_test_state_.skip_reason);
					_exit(0);
				}
				printf("%sok %d %s\n", agx_test_state_.failed ? "not " : "",
				       n, tc->name);
				_exit(agx_test_state_.failed ? 1 : 0);
			}
			waitpid(pid, &status, 0);
			if (WIFSIGNALED(status)) {
				printf("not ok %d %s # crashed with signal %d\n", n,
				       tc->name, WTERMSIG(status));
				nfail++;
			} else if (WEXITSTATUS(status) != 0) {
				nfail++;
			}
			continue;
		}
		agx_test_run_one_(tc);
		if (agx_test_state_.skipped) {
			printf("ok %d %s # SKIP %s\n", n, tc->name, agx_test_state_.skip_reason);
		} else {
			printf("%sok %d %s\n", agx_test_state_.failed ? "not " : "", n, tc->name);
			nfail += agx_test_state_.failed;
		}
	}
	return nfail ? 1 : 0;
}

#define AGX_TEST_MAIN()                                                     \
	int main(int argc, char **argv)                                     \
	{                                                                   \
		return agx_test_main_(argc, argv);                          \
	}

#endif /* AGX_TEST_H */
