/* A tiny assertion layer for mapgen's tests: each failed check prints where
 * and what, the test goes on, and main returns the failure count. */
#ifndef MG_TESTS_CHECK_H
#define MG_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

#define CHECK_INT(a, b)                                                      \
    do {                                                                     \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);      \
        if (check_a_ != check_b_) {                                          \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__,  \
                    __LINE__, #a, check_a_, check_b_);                       \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                \
    do {                                                                     \
        double check_a_ = (a), check_b_ = (b);                               \
        if (!(fabs(check_a_ - check_b_) <= (tol))) {                         \
            fprintf(stderr, "%s:%d: %s == %.10g, expected %.10g (+-%g)\n",   \
                    __FILE__, __LINE__, #a, check_a_, check_b_,              \
                    (double)(tol));                                          \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                      \
    do {                                                                     \
        const char *check_a_ = (a), *check_b_ = (b);                         \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {     \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n",        \
                    __FILE__, __LINE__, #a, check_a_ ? check_a_ : "(null)",  \
                    check_b_ ? check_b_ : "(null)");                         \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

#define CHECK_DONE()                                                         \
    do {                                                                     \
        if (check_failures)                                                  \
            fprintf(stderr, "%d check(s) failed\n", check_failures);         \
        return check_failures ? 1 : 0;                                       \
    } while (0)

#endif
