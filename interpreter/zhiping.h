/* The C API of Zhiping (职评): load a policy, evaluate records, read the reports as JSON.
 *
 *   char* diag = NULL;
 *   zp_policy* p = zp_load_dir("policies/zhengzhou-2024", &diag);
 *   if (!p) { fputs(diag, stderr); zp_string_free(diag); return 2; }
 *   zp_string_free(diag);                        // warnings, or NULL
 *   char* report = NULL;
 *   int rc = zp_evaluate(p, json, strlen(json), &report);   // 0 pass, 1 fail, 3 invalid input
 *   puts(report);
 *   zp_string_free(report);
 *   zp_policy_free(p);
 *
 * Conventions: every string in and out is UTF-8. Every string returned through a `char**` is owned
 * by the caller and must be released with zp_string_free (never free()). A zp_policy is immutable
 * once loaded: zp_evaluate may be called on one policy from any number of threads at once. No C++
 * exception ever crosses this interface; failures are return codes plus a message. The report JSON
 * is the object of `zhiping check --format json` (shared/spec/CLI.md).
 */
#ifndef ZHIPING_H
#define ZHIPING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes of zp_evaluate and zp_evaluate_ex. */
enum {
  ZP_PASS = 0,          /* evaluated; the decision is pass */
  ZP_FAIL = 1,          /* evaluated; the decision is fail (some finding has severity error) */
  ZP_BAD_POLICY = 2,    /* the policy pointer is NULL */
  ZP_INVALID_INPUT = 3, /* the record is not JSON or not of the declared types; the message says where */
  ZP_BAD_ARGUMENT = 4,  /* a required argument is NULL, or the subject does not exist */
  ZP_INTERNAL = 5       /* an unexpected internal failure (out of memory…); the message says what */
};

/* A loaded, immutable policy (opaque). */
typedef struct zp_policy zp_policy;

/* One source text of a policy given from memory; files ending in ".zp" are parsed, others are data
 * files (e.g. "examples/x.json") that the policy's tests may name. */
typedef struct zp_source {
  const char* path; /* used in messages and to resolve imports; NUL-terminated UTF-8 */
  const char* text; /* the content, UTF-8 */
  size_t len;       /* length of text in bytes */
} zp_source;

/* The library version, e.g. "0.1.0"; a static string, not to be freed. */
const char* zp_version(void);

/* Loads a `.zp` file or a folder of them (as `zhiping check` does); returns NULL when loading
 * failed. If diagnostics_out is not NULL it receives the rendered errors and warnings (Chinese), or
 * NULL when there are none; free it with zp_string_free. */
zp_policy* zp_load_dir(const char* path, char** diagnostics_out);

/* Loads a policy from `count` in-memory sources; otherwise as zp_load_dir. */
zp_policy* zp_load_sources(const zp_source* sources, size_t count, char** diagnostics_out);

/* As zp_load_sources, with the diagnostics rendered in English when english != 0. */
zp_policy* zp_load_sources_lang(const zp_source* sources, size_t count, int english, char** diagnostics_out);

/* Releases a policy (NULL is allowed). No evaluation may be running on it. */
void zp_policy_free(zp_policy* policy);

/* Evaluates one JSON record (json, len bytes; need not be NUL-terminated) with the policy's first
 * subject. Returns ZP_PASS or ZP_FAIL with the report JSON in *report_json_out, or another code with
 * {"error": "…"} in *report_json_out. report_json_out may be NULL if only the decision matters. */
int zp_evaluate(const zp_policy* policy, const char* json, size_t len, char** report_json_out);

/* As zp_evaluate, for a named subject (NULL or "" = the first) and with messages in English when
 * english != 0. */
int zp_evaluate_ex(const zp_policy* policy, const char* subject, int english, const char* json, size_t len,
                   char** report_json_out);

/* Runs the policy's own `test` blocks; returns the number of failures (or -1 if policy is NULL) and,
 * if summary_json_out is not NULL, the summary as JSON ({"passed", "failed", "failures": […]}). */
int zp_run_tests(const zp_policy* policy, char** summary_json_out);

/* The declared input schema of a subject (NULL or "" = the first) as JSON, for building forms; NULL
 * if there is no such subject. Free with zp_string_free. */
char* zp_schema(const zp_policy* policy, const char* subject);

/* Releases a string returned by this API (NULL is allowed). */
void zp_string_free(char* s);

#ifdef __cplusplus
}
#endif

#endif /* ZHIPING_H */
